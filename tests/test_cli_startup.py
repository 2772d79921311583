"""The command line answers what needs no data without loading the data libraries: ``--help`` of the
program and of every command, a mistyped argument, ``cert`` and ``service-files`` run without pandas,
numpy, DuckDB, Plotly, Streamlit or openpyxl; and its help is Vietnamese first, English after."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pci_metrics.base.i18n import CATALOG
from pci_metrics.cli import commands
from pci_metrics.cli.main import main
from tests.conftest import ROOT

HEAVY = ("pandas", "numpy", "duckdb", "plotly", "streamlit", "openpyxl")

# Runs each command line in turn in one fresh interpreter and says, per command, which of HEAVY it
# loaded (a library loaded by one command is charged to that command); a command's output is kept
# (what importing the command line itself loads is charged to the first command).
RUNNER = """
import contextlib, io, json, sys
heavy, report, seen = {heavy}, [], {{m for m in {heavy} if m in sys.modules}}
from pci_metrics.cli.main import main
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    now = {{m for m in heavy if m in sys.modules}}
    report.append([argv, code, sorted(now - seen), out.getvalue(), err.getvalue()])
    seen = now
print(json.dumps(report))
"""


def every_parser() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """The program's parser and each command's (and sub-command's), by the words that reach it."""
    top, _ = commands.parser()
    found = {(): top}
    todo = [((), top)]
    while todo:
        words, p = todo.pop()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    found[(*words, name)] = child
                    todo.append(((*words, name), child))
    return found


def run_in_one_interpreter(argvs: list[list[str]]) -> list[list]:
    proc = subprocess.run([sys.executable, "-c", RUNNER.format(heavy=HEAVY), json.dumps(argvs)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_python_m_pci_metrics_help_loads_no_data_library() -> None:
    """The real entry point, as a user types it: every module Python imported is listed by -X importtime."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "pci_metrics", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "pci_metrics.cli.main" in imported
    assert not {m for m in imported if m.split(".")[0] in HEAVY}
    assert proc.stdout.startswith("cách dùng / usage: python -m pci_metrics")
    assert "Công cụ dữ liệu của bảng điều khiển PCI / PCI dashboard engine" in proc.stdout
    assert "lệnh / commands:" in proc.stdout and "tùy chọn / options:" in proc.stdout


def test_every_help_a_wrong_argument_cert_and_service_files_load_no_data_library(tmp_path: Path) -> None:
    helps = [[*words, "--help"] for words in every_parser()]
    light = [["show", "--year", "năm"], ["nosuch"],
             ["service-files", "--out", str(tmp_path / "units"), "--python", "/opt/pci/.venv/bin/python"],
             ["cert", "--out", str(tmp_path / "tls"), "--host", "pci.hongbang.local", "--ip", "192.168.1.20"]]
    report = run_in_one_interpreter(helps + light)
    assert {tuple(argv): loaded for argv, _, loaded, _, _ in report if loaded} == {}
    codes = {tuple(argv): code for argv, code, *_ in report}
    assert [codes[tuple(argv)] for argv in helps] == [0] * len(helps)
    assert codes[("nosuch",)] == codes[("show", "--year", "năm")] == 2
    assert codes[tuple(light[2])] == codes[tuple(light[3])] == 0
    assert "/opt/pci/.venv/bin/python" in (tmp_path / "units" / "pci-dashboard.service").read_text()
    assert {p.name for p in (tmp_path / "tls").iterdir()} == {"ca.pem", "server.pem", "server.key"}
    for argv, _, _, out, _ in report[:len(helps)]:
        assert out.startswith("cách dùng / usage: python -m pci_metrics"), argv
        assert "tùy chọn / options:" in out and "in hướng dẫn này rồi thoát / show this help message" in out, argv
    wrong = next(err for argv, _, _, _, err in report if argv == ["nosuch"])
    assert wrong.startswith("cách dùng / usage:") and "python -m pci_metrics: lỗi / error: " in wrong


# Every catalogue entry written "Vietnamese / English", its ``{…}`` fields matching any text.
BOTH = re.compile("|".join(re.sub(r"\\\{\w+\\\}", ".+", re.escape(f"{vi} / {en}"))
                           for vi, en in CATALOG.values() if vi != en), flags=re.S)


@pytest.mark.parametrize("words", list(every_parser()), ids=lambda w: " ".join(w) or "(program)")
def test_every_help_text_is_vietnamese_then_english(words: tuple[str, ...]) -> None:
    p = every_parser()[words]
    texts = [p.description, *(a.help for a in p._actions if a.help not in (None, argparse.SUPPRESS))]
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            texts += [choice.help for choice in action._choices_actions]
    assert texts[0] is not None and len(texts) > 1
    assert [t for t in texts if not BOTH.fullmatch(str(t))] == []


def test_every_command_runs_its_own_function() -> None:
    _, table = commands.parser()
    for name, target in table.items():
        function = commands.handler(target)
        assert callable(function) and function.__name__.startswith("cmd_"), name


def test_a_wrong_argument_exits_2_with_the_vietnamese_error_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["whatif", "--rank", "một"]) == 2
    err = capsys.readouterr().err
    assert "python -m pci_metrics whatif: lỗi / error: argument --rank: invalid int value: 'một'" in err
