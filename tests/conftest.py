"""Shared fixtures: a real database built by the app's own code, a real server, a real browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full default database, built once per test session from data/seed."""
    from pci_metrics.store.build import build_database

    path = tmp_path_factory.mktemp("db") / "pci.duckdb"
    build_database(path)
    return path


@pytest.fixture
def fresh_db(built_db: Path, tmp_path: Path) -> Path:
    """A private copy of the full database that a test may change."""
    path = tmp_path / "pci.duckdb"
    shutil.copy(built_db, path)
    return path


@pytest.fixture
def app_db(fresh_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app at a private database and start with empty Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("PCI_DB_PATH", str(fresh_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield fresh_db
    st.cache_data.clear()


@pytest.fixture(autouse=True)
def no_hidden_page_failures(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """app.py shows a bug in a page as a friendly page with an error id (never a traceback), so an
    AppTest sees an error box, not ``at.exception``. Here every such bug fails the test that caused
    it — unless the test is marked ``shows_failures`` (it makes a page fail on purpose)."""
    if request.node.get_closest_marker("shows_failures"):
        yield
        return
    from pci_metrics.trust import failures
    from pci_metrics.ui import common

    bugs: list[BaseException] = []
    shown = common.show_failure

    def record(exc: Exception) -> None:
        if failures.kind_of(exc) is None:
            bugs.append(exc)
        shown(exc)

    monkeypatch.setattr(common, "show_failure", record)
    yield
    assert not bugs, f"a page failed (shown to the user as an error id): {bugs!r}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, db: Path, proc: subprocess.Popen[bytes]):
        self.url, self.db, self.proc = url, db, proc

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_server(db: Path, env_extra: dict[str, str] | None = None) -> Server:
    port = free_port()
    # no warm-up visitor sharing the CPU with the test (tests/test_warmup.py turns it on)
    env = {**os.environ, "PCI_DB_PATH": str(db), "PCI_WARMUP": "0", **(env_extra or {})}
    log = open(db.parent / f"server-{port}.log", "wb")  # what the server said, next to its database
    proc = subprocess.Popen(
        [sys.executable, "-m", "pci_metrics.ui.serve", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--logger.level", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()  # the child keeps its own handle
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return Server(url, db, proc)
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, built_db: Path) -> Iterator[Server]:
    """A real Streamlit server on a free port, on a private copy of the database."""
    db = tmp_path_factory.mktemp("srv") / "pci.duckdb"
    shutil.copy(built_db, db)
    srv = start_server(db)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (tests are skipped when it is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# The script has finished a run ("initial" before the first one) and what it sent is on screen:
# Streamlit loads each element kind's code lazily (a stSkeleton shows meanwhile) and Plotly draws
# each chart asynchronously after the run ends, so "notRunning" alone can be seen while the second
# and third charts of a page are still being drawn.
_READY = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]')) return false;
    return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .every(chart => chart.querySelector('.js-plotly-plot .main-svg'));
}"""


def wait_ready(page: object, timeout: int = 30000) -> None:
    """Wait until the script has finished running and every element it sent, charts included, is
    drawn."""
    page.wait_for_function(_READY, timeout=timeout)  # type: ignore[attr-defined]


def sign_in_at(page: Any, url: str, user: str, password: str, ready: str) -> None:
    """Open ``url`` (a page that asks for a sign-in), sign in, and wait for ``ready`` (a selector of
    the page shown once signed in) and for the app to be idle."""
    page.goto(url, wait_until="domcontentloaded")
    wait_ready(page, 60000)
    page.locator('input[autocomplete="username"]').fill(user)
    page.locator('input[type="password"]').fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector(ready, timeout=60000)
    wait_ready(page, 60000)


ARTIFACTS = ROOT / "tests" / "artifacts"


def download(page: Any, button: Any, folder: Path, timeout: int = 60000) -> Path:
    """Click a download button once the app is idle and return the saved file. Every download
    button passes on_click="ignore": with Streamlit's default (a rerun on each click) a deferred
    file raced the rerun and the button could spin forever (tests/test_pages.py checks this)."""
    wait_ready(page, 90000)
    with page.expect_download(timeout=timeout) as info:
        button.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def xlsx_bytes(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook with the given sheets and rows, as an analyst's upload would arrive."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
