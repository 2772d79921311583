"""The unit reports page (AppTest): a unit files and submits, the focal office returns with a
comment, the unit corrects and resubmits, the focal office accepts; the status and the quarterly
report change only then; the focal office's overview and reminder text; the .ics calendar parses
with a maintained iCalendar library and holds every deadline of the plan."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest
from streamlit.testing.v1 import AppTest

from pci_metrics.outputs.calendar_ics import ics_bytes
from pci_metrics.store import storage
from pci_metrics.views import tasks, unit_due
from pci_metrics.views import unit_reports as ur
from tests.conftest import ROOT
from tests.test_pages import goto

TODAY = "2026-03-10"


@pytest.fixture
def ward(app_db):
    admin = ur.Actor("quan-tri", "admin")
    with storage.connect(app_db) as con:
        ur.set_membership(con, admin, "lan", "vh_xh", "reporter")
        ur.set_membership(con, admin, "hoa", "kt_ht_dt", "follower")
    return app_db


def as_user(user: str, at: AppTest | None = None) -> AppTest:
    """The units page as ``user`` (a unit user is a viewer globally); an open AppTest switches user."""
    first = at is None
    at = at or AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["tasks_today"] = "vi", TODAY
    at.session_state["role"], at.session_state["user_name"] = "viewer", user
    at.run()
    if first:
        goto(at, "units")
        at.run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def status_of(db, task_id: str) -> str:
    with storage.connect(db, read_only=True) as con:
        return tasks.tasks_model(con, "2026-Q1", today=date(2026, 3, 10)).tasks.set_index("task_id").loc[task_id, "status"]


def test_a_report_filed_returned_corrected_and_accepted_on_the_page(ward) -> None:
    lan = as_user("lan")
    lan.selectbox(key="units_file_status").set_value("dang_thuc_hien")
    lan.number_input(key="units_file_progress").set_value(30)
    lan.text_area(key="units_file_outcome").set_value("Đã tuyên truyền tại 2 tổ dân phố")
    lan.button(key="FormSubmitter:units_file_form-Lưu bản nháp").click().run()
    button(lan, "units_submit_T14").click().run()
    assert "Đã gửi" in lan.success[0].value
    assert status_of(ward, "T14") == "chua_bao_cao"  # not yet accepted

    hoa = as_user("hoa", lan)
    hoa.text_input(key="units_comment_T14").set_value("Bổ sung số người tham dự")
    button(hoa, "units_return_T14").click().run()

    lan = as_user("lan", hoa)
    assert list(lan.dataframe[0].value.set_index("Mã").loc[["T14"], "Ý kiến khi trả lại"]) == ["Bổ sung số người tham dự"]
    assert [w.value for w in lan.warning] == ["Báo cáo T14 bị trả lại: Bổ sung số người tham dự"]
    lan.selectbox(key="units_file_status").set_value("dang_thuc_hien")
    lan.number_input(key="units_file_progress").set_value(50)
    lan.button(key="FormSubmitter:units_file_form-Lưu bản nháp").click().run()
    button(lan, "units_submit_T14").click().run()
    hoa = as_user("hoa", lan)
    reminder = "\n".join(c.value for c in hoa.code)
    # T14's one report counts for its three co-lead units; the units that lead T09–T11 still owe theirs
    assert "T14" not in reminder and "Kính gửi Các phòng, ban, đơn vị khác thuộc phường" in reminder
    assert "Chưa báo cáo: T09 – " in reminder
    button(hoa, "units_accept_T14").click().run()
    assert status_of(ward, "T14") == "dang_thuc_hien"  # the status rule, the page, the report and the slides


def test_a_user_of_no_unit_is_told_so_and_sees_no_drafts(ward) -> None:
    at = as_user("khach")
    assert "chưa thuộc đơn vị nào" in at.info[0].value
    assert not [b for b in at.button if b.key and b.key.startswith(("units_accept", "units_submit"))]


def test_the_calendar_holds_every_deadline_and_parses(fresh_db) -> None:
    with storage.connect(fresh_db) as con:
        con.execute("UPDATE task SET deadline = DATE '2026-06-30' WHERE task_id = 'T01'")
        events = unit_due.deadlines(con, TODAY)
    cal = icalendar.Calendar.from_ical(ics_bytes(events, name="Hạn báo cáo PCI, phường Hồng Bàng"))
    found = {(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in cal.walk("VEVENT")}
    assert found == {("Hạn báo cáo PCI Năm 2025", date(2025, 12, 5)), ("Hạn báo cáo PCI Quý 1/2026", date(2026, 3, 15)),
                     ("Hạn báo cáo PCI Quý 2/2026", date(2026, 6, 15)), ("Hạn báo cáo PCI Quý 3/2026", date(2026, 9, 15)),
                     ("Hạn báo cáo PCI Năm 2026", date(2026, 12, 5)), ("Hạn nhiệm vụ T01", date(2026, 6, 30))}
    assert str(cal["X-WR-CALNAME"]) == "Hạn báo cáo PCI, phường Hồng Bàng"


def test_an_admin_makes_a_user_a_unit_reporter_on_the_users_page(app_db) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["role"], at.session_state["user_name"] = "vi", "admin", "admin"
    at.run()
    goto(at, "users")
    at.run()
    at.selectbox(key="users_member_user").set_value(at.selectbox(key="users_member_user").options[0])
    at.selectbox(key="users_member_unit").set_value("vh_xh")
    at.selectbox(key="users_member_role").set_value("reporter")
    at.button(key="FormSubmitter:users_members_form-Lưu thành viên").click().run()
    assert not at.exception and at.success[-1].value == "Đã lưu."
    at.run()
    table = at.dataframe[1].value  # under the accounts table
    assert table.values.tolist() == [[at.selectbox(key="users_member_user").value, "Phòng Văn hóa – Xã hội",
                                      "Người báo cáo"]]
