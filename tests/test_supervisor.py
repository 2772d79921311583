"""The dashboard comes back after a crash: ``make run`` starts it under :mod:`pci_metrics.ui.supervisor`,
which restarts it and writes the restart to its log; a stop request stops both."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pci_metrics.ui import supervisor
from tests.conftest import ROOT, free_port


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def wait_healthy(url: str, seconds: float) -> float:
    """Seconds until the health check answers; fails after ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if healthy(url):
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"no answer from {url} within {seconds} s")


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_a_crashed_dashboard_is_restarted_and_the_restart_is_logged(tmp_path: Path, built_db: Path) -> None:
    db = tmp_path / "pci.duckdb"
    shutil.copy(built_db, db)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "supervisor.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pci_metrics.ui.supervisor", "--server.address", "127.0.0.1",
                                 "--server.port", str(port), "--server.headless", "true"],
                                cwd=ROOT, env={**os.environ, "PCI_DB_PATH": str(db)}, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, 60)
        [first] = children(proc.pid)
        os.kill(first, signal.SIGKILL)  # a crash: the native-code abort of an upload, the kernel's OOM killer
        time.sleep(0.5)
        assert not healthy(url)
        back_in = wait_healthy(url, 30)
        [second] = children(proc.pid)
        assert second != first
        text = log.read_text()
        assert "dashboard ended unexpectedly (killed by signal 9 (SIGKILL)); restarting in 1 s" in text
        assert f"dashboard started (pid {second}), restart #1" in text
        print(f"health answered again {back_in:.1f} s after the crash was noticed")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
    assert code == 0
    assert "dashboard stopped on request" in log.read_text()
    assert not healthy(url)


@pytest.mark.parametrize("previous, ran_s, expected", [
    pytest.param(0.0, 3.0, 1.0, id="first-quick-failure-waits-1s"),
    pytest.param(4.0, 3.0, 8.0, id="repeated-failures-double"),
    pytest.param(30.0, 3.0, 30.0, id="capped"),
    pytest.param(30.0, 600.0, 0.0, id="after-a-long-run-at-once"),
])
def test_restart_delay(previous: float, ran_s: float, expected: float) -> None:
    assert supervisor.next_delay(previous, ran_s) == expected
