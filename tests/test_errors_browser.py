"""No tracebacks in a real Chromium: a server on a damaged database says how to restore it (on the
sign-in page too), with no traceback or server path; a link with an absurd slider value opens the page."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, Server, start_server, wait_ready

pytestmark = pytest.mark.browser

RESTORE = ".venv/bin/python -m pci_metrics restore backups/"


@pytest.fixture(scope="module")
def damaged_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose database file holds random bytes, as a failed disk can leave it."""
    db = tmp_path_factory.mktemp("damaged") / "pci.duckdb"
    db.write_bytes(os.urandom(64 * 1024))
    srv = start_server(db)
    yield srv
    srv.stop()


def test_a_damaged_database_says_how_to_restore_on_every_page(damaged_server: Server, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    for path in ("/", "/signin"):
        page.goto(damaged_server.url + path, wait_until="domcontentloaded")
        wait_ready(page, timeout=60000)
        page.wait_for_selector('[data-testid="stCode"]', timeout=30000)
        text = page.locator('[data-testid="stApp"]').inner_text()
        assert "Không đọc được cơ sở dữ liệu" in text and RESTORE in text, text
        assert "Traceback" not in text and str(damaged_server.db.parent) not in text and 'File "' not in text
        assert not page.locator('[data-testid="stException"]').count()
        # the id on the page leads an administrator to the details in the server log
        error_id = re.search(r"\b[0-9a-f]{8}\b", text)
        assert error_id, text
        port = damaged_server.url.rsplit(":", 1)[1]
        log = Path(damaged_server.db.parent / f"server-{port}.log").read_text(encoding="utf-8", errors="replace")
        assert error_id.group() in log
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "damaged-database.png"))
    page.close()


def test_a_link_with_an_absurd_slider_value_opens_the_page(server: Server, browser) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 2000})
    page.goto(server.url + "/whatif?wi_year=2019&wi_d_labor=1e308", wait_until="domcontentloaded")
    wait_ready(page, timeout=60000)
    page.wait_for_selector(".js-plotly-plot", timeout=60000)
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    assert "Mô phỏng" in text and "Traceback" not in text
    assert not page.locator('[data-testid="stException"]').count()
    assert not page.locator('[data-testid="stAlertContentError"]').count()
    # the slider stands at the end of its scale and the link now says so
    page.wait_for_function("() => location.search.includes('wi_d_labor=1.75')", timeout=30000)
    page.close()
