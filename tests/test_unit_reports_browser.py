"""Real Chromium against a real server: a unit's reporter files and submits a report, the focal
office returns it with a comment, the unit sees the comment, corrects and resubmits, the focal
office accepts it — and only then does the task's status change."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pci_metrics.store import storage, tasks_db
from pci_metrics.views import unit_reports as ur
from tests.conftest import ARTIFACTS, Server, sign_in_at, start_server, wait_ready

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-du-dai-2026"


@pytest.fixture(scope="module")
def unit_server(tmp_path_factory: pytest.TempPathFactory, built_db: Path) -> Iterator[Server]:
    """A server whose database has a reporter of Phòng VH-XH and a follow-up officer of the focal office."""
    from pci_metrics.trust import auth

    db = tmp_path_factory.mktemp("units-srv") / "pci.duckdb"
    shutil.copy(built_db, db)
    admin = ur.Actor("quan-tri", "admin")
    with storage.connect(db) as con:
        for user, unit, unit_role in [("lan", "vh_xh", "reporter"), ("hoa", "kt_ht_dt", "follower")]:
            auth.add_user(con, user, "viewer", PASSWORD, by="kiem-thu")
            ur.set_membership(con, admin, user, unit, unit_role)
    srv = start_server(db, {"PCI_ADMIN_PASSWORD": PASSWORD})
    yield srv
    srv.stop()


def signed_in(browser, server: Server, user: str):  # noqa: ANN001, ANN201 - Playwright objects
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in_at(page, server.url + "/signin", user, PASSWORD, "text=Đăng xuất")
    page.locator('[data-testid="stSidebarNav"] a', has_text="Báo cáo của đơn vị").click()
    page.wait_for_selector("text=Báo cáo của đơn vị", timeout=60000)
    wait_ready(page, 60000)
    return page


def click(page, name: str, done: str) -> None:  # noqa: ANN001 - a Playwright page
    page.get_by_role("button", name=name).click()
    page.wait_for_selector(f"text={done}", timeout=60000)
    wait_ready(page, 60000)


def state(db: Path) -> str:
    with storage.connect(db, read_only=True) as con:
        reports = tasks_db.load_task_reports(con)
    return str(reports.set_index("task_id").at["T14", "state"])


def test_file_return_correct_accept_in_the_browser(unit_server: Server, browser) -> None:  # noqa: ANN001
    lan = signed_in(browser, unit_server, "lan")
    click(lan, "Lưu bản nháp", "Đã lưu bản nháp.")
    click(lan, "Gửi báo cáo T14", "Đã gửi báo cáo")
    assert state(unit_server.db) == "submitted"
    hoa = signed_in(browser, unit_server, "hoa")
    hoa.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill("Bổ sung số người tham dự")
    hoa.get_by_label("Ý kiến (bắt buộc khi trả lại)").press("Enter")
    wait_ready(hoa, 60000)
    click(hoa, "Trả lại", "Đã trả lại báo cáo kèm ý kiến.")
    lan.reload(wait_until="domcontentloaded")
    lan.wait_for_selector("text=Bổ sung số người tham dự", state="attached", timeout=60000)  # back at the unit
    wait_ready(lan, 60000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lan.screenshot(path=str(ARTIFACTS / "unit-report-returned.png"), full_page=True)
    click(lan, "Lưu bản nháp", "Đã lưu bản nháp.")
    click(lan, "Gửi báo cáo T14", "Đã gửi báo cáo")
    hoa.reload(wait_until="domcontentloaded")
    hoa.wait_for_selector("text=Báo cáo chờ duyệt", timeout=60000)
    wait_ready(hoa, 60000)
    click(hoa, "Chấp nhận", "Đã chấp nhận báo cáo.")
    assert state(unit_server.db) == "accepted"
    with storage.connect(unit_server.db, read_only=True) as con:
        from pci_metrics.views import tasks

        model = tasks.tasks_model(con, None, today=date.today())
    assert model.tasks.set_index("task_id").at["T14", "reported_status"] == "chua_thuc_hien"
