"""A real browser uploads a VCCI workbook through the real uploader and sees the new year on the
Overview; the command line imports while that server runs (locking, README "Locking")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pci_metrics.store import storage, tables_db
from tests.conftest import ARTIFACTS, ROOT, Server, sign_in_at, start_server, wait_ready
from tests.test_import_page import without_2018

pytestmark = pytest.mark.browser
WORKBOOK_2018 = ROOT / "tests" / "fixtures" / "vcci" / "pci_2018.xlsx"
PASSWORD = "Kiem-thu-nhap-2026!"
ANALYST = "chuyen-vien"
HP_YEARS_JS = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  return plot.data.filter(t => t.name === 'Hải Phòng').flatMap(t => Array.from(t.x));
}"""


@pytest.fixture(scope="module")
def import_server(tmp_path_factory: pytest.TempPathFactory, built_db: Path) -> Iterator[Server]:
    """A private server on a database where PCI 2018 was not imported yet, with an analyst account."""
    from pci_metrics.trust import auth

    db = tmp_path_factory.mktemp("import-srv") / "pci.duckdb"
    shutil.copy(built_db, db)
    without_2018(db)
    with storage.connect(db) as con:
        auth.add_user(con, ANALYST, "analyst", PASSWORD, by="kiem-thu")
    srv = start_server(db, {"PCI_ADMIN_PASSWORD": PASSWORD})
    yield srv
    srv.stop()


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pci_metrics", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180, env={**os.environ, **(env or {})})


def overview_years(page) -> list[int]:  # noqa: ANN001 - a Playwright page
    page.wait_for_selector(".js-plotly-plot", timeout=60000)
    return sorted({int(x) for x in page.evaluate(HP_YEARS_JS)})


def test_upload_through_the_browser_shows_the_new_year(import_server: Server, browser) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(import_server.url + "/", wait_until="domcontentloaded")
    wait_ready(page, 60000)
    assert 2018 not in overview_years(page) and 2017 in overview_years(page)
    # the Import page asks an analyst to sign in, then shows itself in the same session
    sign_in_at(page, import_server.url + "/import", ANALYST, PASSWORD, '[data-testid="stFileUploader"]')
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(WORKBOOK_2018))
    page.wait_for_selector('[data-testid="stMetric"]', timeout=120000)
    wait_ready(page, 60000)
    main = page.inner_text('[data-testid="stMain"]')
    assert "bảng tính PCI của VCCI năm 2018" in main and "8.757" in main
    page.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.wait_for_selector("text=Đã nhập lần #1", timeout=120000)
    wait_ready(page, 60000)
    page.screenshot(path=str(ARTIFACTS / "import-done.png"), full_page=True)
    # any session (here a new one) sees the new year on the Overview
    page.goto(import_server.url + "/", wait_until="domcontentloaded")
    wait_ready(page, 60000)
    assert 2018 in overview_years(page)
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(ARTIFACTS / "import-overview-2018.png"))
    page.close()


def test_cli_import_while_the_server_serves_sessions(import_server: Server, browser, tmp_path: Path) -> None:  # noqa: ANN001
    csv = tmp_path / "hp-2024.csv"
    csv.write_text("year,entity_key,code,value,source\n2024,haiphong,entry,7.05,Báo cáo thử\n", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    proc = subprocess.Popen([sys.executable, "-m", "pci_metrics", "import", str(csv), "--db", str(import_server.db)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(3):  # sessions keep reading while the import runs
        page.goto(import_server.url + "/", wait_until="domcontentloaded")
        wait_ready(page, 60000)
    out, err = proc.communicate(timeout=180)
    page.close()
    # either it went through, or it stopped with the clear message; never half-written
    assert proc.returncode == 0 and "thêm 1" in out or (proc.returncode == 2 and "in use by another process" in err)
    verify = cli("verify", "--db", str(import_server.db))
    assert verify.returncode == 0 and "verify passed" in verify.stdout


def test_cli_import_stops_with_a_clear_message_when_the_file_is_held(import_server: Server, tmp_path: Path) -> None:
    db = import_server.db
    with storage.connect(db, read_only=True) as con:
        before = tables_db.table_checksums(con)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(8)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        r = cli("import", str(WORKBOOK_2018), "--db", str(db), env={"PCI_LOCK_WAIT_S": "1"})
        assert r.returncode == 2
        assert "đang được tiến trình khác sử dụng" in r.stderr and "in use by another process" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and time.monotonic() - started < 60
    finally:
        holder.wait(30)
    with storage.connect(db, read_only=True) as con:
        assert tables_db.table_checksums(con) == before
    assert cli("verify", "--db", str(db)).returncode == 0
