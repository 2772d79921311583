"""The dashboard as a system service: the unit files ``make install-service`` installs are valid for
systemd, start the server the checked way, come back after a crash, and give the service user only
its data folder. (That the server comes back after a SIGKILL, and how fast, is tests/test_supervisor.py:
the health check answers again within 30 s; under systemd ``Restart=always`` does the supervisor's job.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pci_metrics.ops import service


def directives(text: str) -> dict[str, list[str]]:
    """``Section.Key`` -> every value given (systemd allows a key more than once)."""
    out: dict[str, list[str]] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return out


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("units")
    written = service.write_unit_files(folder, service.ServiceSettings(python=Path(sys.executable)))
    return {p.name: p for p in written}


def test_the_units_are_valid_for_systemd(units: dict[str, Path]) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    for path in units.values():
        if path.suffix in (".service", ".timer"):
            done = subprocess.run(["systemd-analyze", "verify", str(path)], cwd=path.parent, capture_output=True,
                                  text=True, check=False)
            # an unknown key is only a warning: any line about the file counts as a failure
            assert done.returncode == 0 and path.name not in done.stderr, done.stderr


def test_the_dashboard_unit_restarts_runs_unprivileged_and_logs_to_the_journal(units: dict[str, Path]) -> None:
    unit = directives(units["pci-dashboard.service"].read_text(encoding="utf-8"))
    data = "/var/lib/pci-dashboard"
    assert unit["Service.ExecStart"] == [f"{sys.executable} -m pci_metrics.ui.serve --server.headless true"]
    assert unit["Service.WorkingDirectory"] == [str(service.ROOT)]
    assert unit["Install.WantedBy"] == ["multi-user.target"]  # started at boot
    assert unit["Service.Restart"] == ["always"] and unit["Service.RestartPreventExitStatus"] == ["2"]
    assert unit["Service.User"] == ["pci"] and unit["Service.Group"] == ["pci"]
    # the one folder it may write: its state directory, where the database lives
    assert unit["Service.StateDirectory"] == ["pci-dashboard"]
    assert f"PCI_DB_PATH={data}/pci.duckdb" in unit["Service.Environment"]
    assert unit["Service.ProtectSystem"] == ["strict"] and unit["Service.ProtectHome"] == ["yes"]
    assert unit["Service.NoNewPrivileges"] == ["yes"] and "Service.ReadWritePaths" not in unit
    assert unit["Service.StandardOutput"] == unit["Service.StandardError"] == ["journal"]
    for path in units.values():  # every field filled in
        assert re.search(r"@[A-Z_]+@", path.read_text(encoding="utf-8")) is None, path.name
