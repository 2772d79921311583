"""Start-up of the multipage app (a real server, a real browser): a fresh process's FIRST request
for a deep URL goes through app.py's ``st.navigation`` and role gate.

Streamlit 1.67 has no supported way to keep the page files in ``pages/`` and have ``st.navigation``
route that first request (see pci_metrics/ui/serve.py). One shim, ``serve.navigation_only``, switches
Streamlit's old "pages/ folder" mode off: before the server starts (serve.py) and at the top of every
page (``common.inside_app``). The canaries below fail when Streamlit changes what the shim relies on
or stops doing what it corrects: then delete the shim (serve.navigation_only, inside_app and its call
in every page) if the canary says so, or adapt it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, Server, free_port, start_server, wait_ready

pytestmark = pytest.mark.browser

HOW_TO_FIX = ("Streamlit changed its old 'pages/ folder' mode (streamlit/runtime/pages_manager.py, "
              "scriptrunner/script_runner.py `_mpa_v1`). Check what a fresh server's first request "
              "for /tasks and /market_entry does without pci_metrics.ui.serve.navigation_only: if it "
              "goes through app.py, delete navigation_only, common.inside_app and its call in every "
              "page; otherwise adapt navigation_only to the new internals.")


def plain_streamlit_run(script: Path, db: Path | None = None) -> Server:
    """``streamlit run <script>`` started directly (not through pci_metrics.ui.serve)."""
    port = free_port()
    env = {**os.environ, **({"PCI_DB_PATH": str(db)} if db else {})}
    log_dir = db.parent if db else script.parent
    with open(log_dir / f"plain-{port}.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=script.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return Server(url, db or script, proc)
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def first_request(browser, server: Server, path: str) -> str:
    """Open ``path`` as the server's very first request; the whole page's text once it is idle."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(server.url + path, wait_until="domcontentloaded")
        wait_ready(page, 90000)
        page.wait_for_timeout(500)  # a "Page not found" dialog arrives with the run's first messages
        return str(page.inner_text("body"))
    finally:
        page.close()


@pytest.fixture
def fresh() -> Iterator[list[Server]]:
    """Servers started by the test on a private copy of the database, stopped afterwards."""
    servers: list[Server] = []
    yield servers
    for srv in servers:
        srv.stop()


def private_db(tmp_path: Path, built_db: Path) -> Path:
    db = tmp_path / "pci.duckdb"
    shutil.copy(built_db, db)
    return db


NOT_FOUND = "Page not found"
ADMIN_ONLY = "Trang này dành cho Quản trị"


def test_a_priority_page_is_a_fresh_servers_first_request(browser, fresh, tmp_path, built_db):
    """/market_entry exists only in app.py's navigation (built from the data): the page opens with
    its title, without Streamlit's "Page not found" (the old mode would show it)."""
    fresh.append(srv := start_server(private_db(tmp_path, built_db)))
    text = first_request(browser, srv, "/market_entry")
    assert "Gia nhập thị trường" in text
    assert NOT_FOUND not in text
    assert "Tiếng Việt" in text and "English" in text  # app.py's language switch: app.py ran


def test_an_admin_page_is_refused_as_a_fresh_servers_first_request(browser, fresh, tmp_path, built_db):
    fresh.append(srv := start_server(private_db(tmp_path, built_db)))
    text = first_request(browser, srv, "/users")
    assert ADMIN_ONLY in text and "Đăng nhập" in text
    assert NOT_FOUND not in text


def test_a_plain_streamlit_run_refuses_an_admin_page_as_its_first_request(browser, fresh, tmp_path, built_db):
    """``streamlit run app.py`` without serve.py: every page still runs inside app.py (inside_app)."""
    fresh.append(srv := plain_streamlit_run(ROOT / "app.py", private_db(tmp_path, built_db)))
    text = first_request(browser, srv, "/users")
    assert ADMIN_ONLY in text and "Đăng nhập" in text
    assert "Tiếng Việt" in text and "English" in text


# --- canaries: what the shim relies on, and what it corrects, in Streamlit itself ------------------

def test_canary_the_flag_the_shim_sets_still_exists() -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner

    assert "uses_pages_directory" in vars(PagesManager), HOW_TO_FIX
    assert hasattr(script_runner, "_mpa_v1"), HOW_TO_FIX
    saved = PagesManager.uses_pages_directory
    try:
        PagesManager.uses_pages_directory = None  # a fresh process: decided by the first session
        PagesManager(str(ROOT / "app.py"))
        assert PagesManager.uses_pages_directory is True, HOW_TO_FIX  # because pages/ is next to app.py
    finally:
        PagesManager.uses_pages_directory = saved


TOY_APP = """import streamlit as st
st.sidebar.write("FRAME OF APP")
st.navigation([st.Page("pages/home.py", url_path="home", default=True),
               st.Page("pages/tasks.py", url_path="tasks"),
               st.Page("pages/home.py", url_path="only_in_navigation", title="Only")]).run()
"""


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    """A minimal app shaped like ours (st.navigation in app.py, page files in pages/), no shim."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "home.py").write_text("import streamlit as st\nst.title('HOME PAGE')\n")
    (tmp_path / "pages" / "tasks.py").write_text("import streamlit as st\nst.title('TASKS PAGE')\n")
    (tmp_path / "app.py").write_text(TOY_APP)
    return tmp_path / "app.py"


def test_canary_streamlit_still_runs_a_page_file_alone_on_the_first_request(browser, fresh, toy):
    """What inside_app corrects: without it, the first request for /tasks skips app.py."""
    fresh.append(srv := plain_streamlit_run(toy))
    text = first_request(browser, srv, "/tasks")
    assert "TASKS PAGE" in text
    assert "FRAME OF APP" not in text, HOW_TO_FIX


def test_canary_streamlit_still_says_page_not_found_on_the_first_request(browser, fresh, toy):
    """What serve.py corrects: without it, a page only st.navigation knows is "not found" first."""
    fresh.append(srv := plain_streamlit_run(toy))
    text = first_request(browser, srv, "/only_in_navigation")
    assert NOT_FOUND in text, HOW_TO_FIX
