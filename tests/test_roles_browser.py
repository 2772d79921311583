"""Roles in a real browser against a real server (issue 8), tried as a new user would: a viewer
sees no analyst pages and is refused when opening one by its URL; an analyst signs in and imports;
the administrator finds that import in the audit log. Hostile text in names and notes shows as
typed, and creates no element."""

from __future__ import annotations

import csv
import io
import shutil
from urllib.parse import urlsplit

import pytest

from pci_metrics.store import reference_db, scores_db, storage, tasks_db
from pci_metrics.trust import auth
from tests.conftest import ARTIFACTS, download, start_server, wait_ready
from tests.test_hostile import HTML, MARKDOWN, SCRIPT

pytestmark = pytest.mark.browser

ADMIN_PW = "quan-tri-hong-bang-2026"
LAN_PW = "chuyen-vien-lan-2026"
WRITE_PAGES = ["Nhập dữ liệu", "Người dùng", "Nhật ký thay đổi"]


@pytest.fixture(scope="module")
def trust_server(tmp_path_factory, built_db):
    """A private server (its very first request is part of the test) on a database with an analyst
    and hostile text in a task name, a unit name and a note."""
    db = tmp_path_factory.mktemp("roles") / "pci.duckdb"
    shutil.copy(built_db, db)
    with storage.connect(db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", display_name="Nguyễn Thị Lan", rounds=4)
        task_id = tasks_db.load_tasks(con)["task_id"].iloc[0]
        with storage.transaction(con):
            con.execute("UPDATE task SET title_vi = ? WHERE task_id = ?", [HTML + " " + SCRIPT, task_id])
        for code in reference_db.load_priorities(con)["code"]:
            scores_db.save_year_note(con, "haiphong", 2022, code, MARKDOWN + " " + HTML, "lan")
    srv = start_server(db, {"PCI_ADMIN_PASSWORD": ADMIN_PW, "PCI_REQUIRE_LOGIN": "0"})
    yield srv
    srv.stop()


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="domcontentloaded")
    wait_ready(page, 90000)
    return page, errors


def nav_items(page) -> list[str]:
    """Every page the sidebar lists (after "view more", which the list shows past ten pages)."""
    more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if more.count() and "more" in more.inner_text():  # Streamlit's own text, English only
        more.click()
        page.wait_for_timeout(200)
    return [x.split("\n")[-1] for x in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def sign_in(page, user: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").last.fill(user)
    page.get_by_label("Mật khẩu").last.fill(password)
    page.locator('[data-testid="stFormSubmitButton"] button').last.click()
    page.get_by_text("Đã đăng nhập").first.wait_for(timeout=90000)
    wait_ready(page, 90000)


def go(page, title: str) -> None:
    """Follow a sidebar link (the same session: a sign-in lasts for the tab)."""
    link = page.locator('[data-testid="stSidebarNav"] a', has_text=title).first
    target = urlsplit(link.evaluate("a => a.href")).path
    link.click()
    # on a loaded machine the new page's run may start late: wait for its URL, not a fixed pause,
    # or a form of the page being left gets filled in
    page.wait_for_url(lambda url: urlsplit(url).path == target, timeout=90000)
    page.wait_for_timeout(300)
    wait_ready(page, 90000)


def test_a_viewer_is_refused_an_admin_page_even_as_the_servers_first_request(trust_server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, errors = open_page(browser, trust_server.url + "/audit")
    text = main_text(page)
    assert "Trang này dành cho Quản trị" in text
    # the page ran inside app.py (pages.inside_app), not alone in Streamlit's old pages/ mode:
    # the language switch and the data-built page list are there
    assert page.locator('[data-testid="stSidebar"]').get_by_text("English").count() == 1
    assert "Gia nhập thị trường" in " ".join(nav_items(page))
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / "roles-viewer-refused-audit.png"), full_page=True)
    assert not errors
    page.close()


def test_a_viewer_sees_no_analyst_pages_and_cannot_open_them(trust_server, browser):
    page, errors = open_page(browser, trust_server.url + "/")
    page.wait_for_selector(".js-plotly-plot", timeout=90000)
    items = " ".join(nav_items(page))
    assert "Tổng quan" in items and not [p for p in WRITE_PAGES if p in items], items
    assert "Chưa đăng nhập" in page.inner_text('[data-testid="stSidebar"]')
    page.screenshot(path=str(ARTIFACTS / "roles-viewer-overview.png"), full_page=True)
    page.goto(trust_server.url + "/import", wait_until="domcontentloaded")
    wait_ready(page, 90000)
    text = main_text(page)
    assert "Trang này dành cho Chuyên viên" in text
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / "roles-viewer-refused-import.png"), full_page=True)
    assert not errors
    page.close()


def test_an_analysts_import_shows_in_the_admins_audit_log(trust_server, browser, tmp_path):
    page, errors = open_page(browser, trust_server.url + "/import")
    sign_in(page, "lan", LAN_PW)  # the refusal offers the form; signed in, the page opens
    assert "Nhập dữ liệu" in " ".join(nav_items(page)) and "Nhật ký thay đổi" not in " ".join(nav_items(page))
    assert "Nguyễn Thị Lan" in page.inner_text('[data-testid="stSidebar"]')
    upload = tmp_path / "diem-2023-hai-phong.csv"
    upload.write_text("year,entity_key,code,value,source\n2023,haiphong,land,6.61,Báo cáo thử\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    page.get_by_role("button", name="Nhập", exact=True).wait_for(timeout=90000)
    page.screenshot(path=str(ARTIFACTS / "roles-analyst-preview.png"), full_page=True)
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.get_by_text("Đã nhập lần #").wait_for(timeout=90000)
    page.screenshot(path=str(ARTIFACTS / "roles-analyst-imported.png"), full_page=True)
    # the analyst signs out; the administrator signs in on the account page
    page.locator('[data-testid="stSidebar"] button', has_text="Đăng xuất").click()
    page.get_by_text("Chưa đăng nhập").wait_for(timeout=90000)
    wait_ready(page, 90000)
    assert "Nhập dữ liệu" not in " ".join(nav_items(page))
    go(page, "Đăng nhập")
    sign_in(page, "admin", ADMIN_PW)
    go(page, "Nhật ký thay đổi")
    assert "Nhật ký thay đổi" in main_text(page)
    saved = download(page, page.locator('[data-testid="stDownloadButton"] button', has_text="Tải CSV"), tmp_path)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    imports = [r for r in rows if r["Người thực hiện"] == "lan" and r["Thao tác"] == "Nhập dữ liệu"]
    assert imports and imports[0]["Bảng"] == "Điểm chỉ số" and imports[0]["Lần nhập"] == "1", rows
    page.screenshot(path=str(ARTIFACTS / "roles-admin-audit.png"), full_page=True)
    assert not errors
    page.close()


def test_hostile_names_and_notes_show_as_typed_and_create_no_element(trust_server, browser):
    pages = [("/tasks", None), ("/" + storage_first_priority(trust_server.db), ".js-plotly-plot")]
    for path, wait in pages:
        page, errors = open_page(browser, trust_server.url + path)
        if wait:
            page.wait_for_selector(wait, timeout=90000)
        created = page.evaluate("""() => ({
            pwn: document.querySelectorAll('#pwn').length,
            script: [...document.scripts].filter(s => s.textContent.includes('pwned')).length,
            pwned: window.pwned === 1,
            strong: [...document.querySelectorAll('strong, b')].filter(e => e.textContent.includes('pwn')).length,
            js: document.querySelectorAll('a[href^="javascript"]').length})""")
        assert created == {"pwn": 0, "script": 0, "pwned": False, "strong": 0, "js": 0}, (path, created)
        if wait:  # the note is shown as typed under the chart
            assert MARKDOWN in main_text(page)
        page.screenshot(path=str(ARTIFACTS / f"hostile{path.replace('/', '-')}.png"), full_page=True)
        assert not errors
        page.close()


def storage_first_priority(db) -> str:
    with storage.connect(db, read_only=True) as con:
        return str(reference_db.load_priorities(con)["code"].iloc[0])


def test_the_default_server_shows_the_navigation(server, browser):
    page, _ = open_page(browser, server.url + "/")
    page.wait_for_selector(".js-plotly-plot", timeout=90000)
    assert "Tổng quan" in " ".join(nav_items(page))
    page.close()
