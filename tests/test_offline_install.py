"""Offline install: the wheelhouse ``make wheelhouse`` builds installs the dashboard's pinned
dependencies into a fresh venv with no index reachable (the README's path for a ward machine without
internet), and the engine runs from it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing answers


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once for this module, as ``make wheelhouse`` builds it (this is the step that needs an index)."""
    dest = tmp_path_factory.mktemp("wheelhouse")
    done = subprocess.run([sys.executable, "-m", "scripts.wheelhouse", "--dest", str(dest)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return dest


def canonical(line: str) -> str:
    """``Streamlit==1.67.0`` and ``streamlit==1.67.0`` alike; comments dropped."""
    return line.split("#")[0].strip().lower().replace("_", "-")


def offline_env() -> dict[str, str]:
    """No pip configuration, no extra wheel folders, every index and proxy pointing nowhere."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PIP_", "HTTP_PROXY", "HTTPS_PROXY"))}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": UNREACHABLE + "/simple",
            "http_proxy": UNREACHABLE, "https_proxy": UNREACHABLE, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def test_a_fresh_venv_installs_from_the_wheelhouse_with_no_index(wheelhouse: Path, tmp_path: Path,
                                                                 built_db: Path) -> None:
    assert (wheelhouse / "requirements.txt").read_text() == (ROOT / "requirements.txt").read_text()
    python = shutil.which("python3.11") or sys.executable
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, env=offline_env(), timeout=300)
    # the README's command (--no-compile only spares the test compiling every module ahead of use)
    done = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-index", "--find-links", str(wheelhouse),
                           "-r", str(ROOT / "requirements.txt"), "--no-compile", "--quiet"],
                          env=offline_env(), capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    # the engine runs from the fresh venv: the full database checks out
    db = tmp_path / "pci.duckdb"
    shutil.copy(built_db, db)
    check = subprocess.run([str(venv / "bin" / "python"), "-m", "pci_metrics", "verify", "--db", str(db)], cwd=ROOT,
                           env=offline_env(), capture_output=True, text=True, timeout=300, check=False)
    assert check.returncode == 0 and "verify passed" in check.stdout, check.stderr[-2000:]
    frozen = subprocess.run([str(venv / "bin" / "pip"), "freeze"], env=offline_env(), capture_output=True, text=True,
                            check=True).stdout
    installed = {canonical(line) for line in frozen.splitlines()}
    pinned = [canonical(line) for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line]
    assert pinned and set(pinned) <= installed  # every pin, at its pinned version
