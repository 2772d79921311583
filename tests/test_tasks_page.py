"""The Tasks page in AppTest: filters (unit, sub-index, status, period, in the URL), the alerts an
analyst acts on, and the editors (same validation as imports, every save audited)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest

from pci_metrics.imports import task_reports
from pci_metrics.store import audit_db, storage, tasks_db
from pci_metrics.views import tasks
from tests.conftest import ROOT
from tests.test_pages import goto

APP = str(ROOT / "app.py")
TODAY = "2026-03-16"  # the day after the Q1 report was due


def open_tasks(lang: str = "vi", role: str | None = "analyst", query: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["tasks_today"] = TODAY
    if role:
        at.session_state["role"], at.session_state["user_name"] = role, "chuyen-vien-a"
    for k, v in (query or {}).items():
        at.query_params[k] = v
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    goto(at, "tasks")
    at.run()
    assert not at.exception, at.exception
    return at


def tab(at: AppTest, label: str):
    return next(x for x in at.tabs if x.label == label)


def task_list(at: AppTest) -> pd.DataFrame:
    return tab(at, "Danh sách nhiệm vụ").dataframe[0].value


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def alert_box(at: AppTest) -> tuple[str, list[str]]:
    """The one box above the task list (its kind and its lines); the page shows no other alert box
    outside the tabs (six stacked boxes pushed the list below the fold)."""
    boxes = [(kind, b.value) for kind in ("success", "info", "warning", "error")
             for b in getattr(at, kind) if not b.value.startswith(("Chỉ chuyên viên", "Only analysts"))]
    summary = [(kind, text) for kind, text in boxes if text.startswith("- ")]
    assert len(summary) == 1, boxes
    kind, text = summary[0]
    return kind, [line.removeprefix("- ") for line in text.split("\n")]


def quarter_reports(db) -> None:
    """Q1 2026: T12 done, T13 in progress; T01 has a deadline of 1 March and no report."""
    with storage.connect(db) as con:
        tasks.save_task_edits(con, [tasks.TaskEdit("T01", deadline=date(2026, 3, 1), lead=("kt_ht_dt",))], user="t")
        clean, _ = task_reports.validate_task_reports(
            pd.DataFrame({"task_id": ["T12", "T13"], "period": ["2026-Q1"] * 2, "status": ["Hoàn thành", "Đang thực hiện"],
                          "progress": [100, 40], "outcome": ["Đã đôn đốc các đơn vị", "Đang tìm hiểu"]}),
            tasks=tasks_db.load_tasks(con), units=tasks_db.load_units(con), sheet="x")
        tasks.save_reports(con, clean, user="t")


def test_default_view_is_the_current_period_with_next_report(app_db):
    at = open_tasks()
    assert at.selectbox(key="tasks_period").value == "2026-Q2"
    m = metrics(at)
    assert "Báo cáo tiếp theo: Quý 2/2026, hạn nộp 15/06/2026 (còn 91 ngày), gửi Phòng KT-HT&ĐT." in alert_box(at)[1]
    assert m["Chưa có báo cáo"] == "14" and m["Hoàn thành"] == "0"
    assert len(task_list(at)) == 14
    infos = " ".join(alert_box(at)[1])
    assert "14/14 nhiệm vụ chưa có thời hạn" in infos and "8 nhiệm vụ chưa có đơn vị chủ trì" in infos


FILTER_CASES = [  # (filter key, value, task codes shown); one AppTest steps through them all
    ("tasks_unit", "vh_xh", ["T14"]),  # the unit leads
    ("tasks_unit", "kt_ht_dt", ["T11", "T12", "T13"]),  # leads or supports
    ("tasks_code", "market_entry", ["T01", "T02"]),
    ("tasks_code", "none", ["T08", "T09", "T10", "T11", "T12"]),
    ("tasks_status", "hoan_thanh", []),
    ("tasks_status", "chua_bao_cao", [f"T{i:02d}" for i in range(1, 15)]),
]


def test_filters(app_db):
    at = open_tasks()
    for key, value, expected_ids in FILTER_CASES:
        for other in ("tasks_unit", "tasks_code", "tasks_status"):
            at.selectbox(key=other).set_value(value if other == key else "")
        at.run()
        assert task_list(at)["Mã"].tolist() == expected_ids, (key, value)
        assert f"{len(expected_ids)}/14 nhiệm vụ theo bộ lọc" in [c.value for c in at.caption]
        assert at.query_params[key] in (value, [value])  # the view lives in the URL


def test_filters_open_from_a_link(app_db):
    at = open_tasks(query={"tasks_period": "2026-Q1", "tasks_code": "private_economy"})
    assert at.selectbox(key="tasks_period").value == "2026-Q1"
    assert task_list(at)["Mã"].tolist() == ["T03", "T07"]


def test_a_quarter_of_reports_shows_status_overdue_and_missing_units(app_db):
    quarter_reports(app_db)
    at = open_tasks(query={"tasks_period": "2026-Q1"})
    m = metrics(at)
    assert (m["Hoàn thành"], m["Đang thực hiện"], m["Chậm tiến độ"], m["Chưa có báo cáo"]) == ("1", "1", "1", "11")
    kind, warnings = alert_box(at)
    assert kind == "warning" and warnings[0].startswith(("Đã quá hạn", "1 nhiệm vụ"))  # the serious lines first
    assert any("1 nhiệm vụ quá thời hạn" in w for w in warnings)
    assert any(w.startswith("Đã quá hạn nộp báo cáo Quý 1/2026 (hạn 15/03/2026)") and "Phòng KT-HT&ĐT (T01)" in w
               and "Đơn vị khác (T09, T10, T11)" in w for w in warnings)
    assert len([w for w in warnings if "Quý 1/2026" in w]) == 1  # said once, not twice
    assert at.expander[0].label == "1 nhiệm vụ quá thời hạn hoàn thành mà chưa xong"
    overdue = at.dataframe[0].value  # right under the box, above the tabs
    assert overdue["Mã"].tolist() == ["T01"] and overdue["Thời hạn hoàn thành"].tolist() == ["01/03/2026"]
    # the status filter and the charts agree with the metrics
    at.selectbox(key="tasks_status").set_value("cham_tien_do")
    at.run()
    assert task_list(at)["Mã"].tolist() == ["T01"]
    assert metrics(at)["Chậm tiến độ"] == "1" and metrics(at)["Hoàn thành"] == "0"  # the metrics follow the filters
    spec = json.loads(next(c for c in at.get("plotly_chart") if "by_unit" in c.proto.id).proto.spec)
    done = next(tr for tr in spec["data"] if tr["name"] == "Hoàn thành")
    assert dict(zip(done["y"], done["x"], strict=True))["Phòng KT-HT&ĐT"] == 1
    history = tab(at, "Lịch sử báo cáo").dataframe[0].value
    assert set(history["Mã"]) == {"T12", "T13"} and "Đã đôn đốc các đơn vị" in history["Kết quả"].tolist()


def test_in_english(app_db):
    at = open_tasks(lang="en")
    assert at.title[0].value == "Plan tasks and progress reports"
    assert any(line.startswith("Next report: Q2 2026, due 2026-06-15 (91 days left), to the Economy")
               for line in alert_box(at)[1])
    assert "Code" in tab(at, "Task list").dataframe[0].value.columns


def test_viewers_cannot_edit(app_db):
    at = open_tasks(role="viewer")
    assert "Chỉ chuyên viên được chỉnh sửa nhiệm vụ và báo cáo." in [i.value for i in at.info]
    assert not at.data_editor


def test_editing_a_task_is_saved_and_audited(app_db):
    at = open_tasks(tasks_edit_tasks={"edited_rows": {0: {"deadline": "2026-03-01", "lead": ["kt_ht_dt"],
                                                          "product_vi": "Quy trình liên thông"}},
                                      "added_rows": [], "deleted_rows": []})
    at.button(key="tasks_save_tasks").click()
    at.run()
    assert not at.exception
    assert "Đã lưu 1 nhiệm vụ" in " ".join(s.value for s in at.success)
    with storage.connect(app_db, read_only=True) as con:
        task = tasks_db.load_tasks(con).set_index("task_id").loc["T01"]
        audit = audit_db.load_audit(con)
    assert pd.Timestamp(task["deadline"]).date() == date(2026, 3, 1)
    mine = audit[audit["action"].isin(["task.update", "task_unit.set"])]
    assert set(mine["user_name"]) == {"chuyen-vien-a"} and len(mine) == 2
    # the page now shows T01 overdue
    assert any("1 nhiệm vụ quá thời hạn" in w for w in alert_box(at)[1])


def test_report_editor_uses_the_import_validation(app_db):
    at = open_tasks(query={"tasks_period": "2026-Q1"},
                    tasks_edit_reports={"edited_rows": {}, "deleted_rows": [],
                                        "added_rows": [{"task_id": "T12", "status": "hoan_thanh", "progress": 100},
                                                       {"task_id": "T13", "progress": 30}]})
    at.button(key="tasks_save_reports").click()
    at.run()
    assert "Chưa lưu: sửa các lỗi dưới đây rồi lưu lại." in [e.value for e in at.error]
    problems = tab(at, "Chỉnh sửa").dataframe[-1].value
    assert any('trang tính "Trình chỉnh sửa", dòng 2, cột status' in p and "cột bắt buộc" in p
               for p in problems.iloc[:, 0])
    with storage.connect(app_db, read_only=True) as con:
        assert tasks_db.load_task_reports(con).empty  # nothing written: all or nothing


def test_report_editor_saves_adds_and_deletes(app_db):
    quarter_reports(app_db)
    at = open_tasks(query={"tasks_period": "2026-Q1"},
                    tasks_edit_reports={"edited_rows": {1: {"progress": 55}}, "deleted_rows": [0],
                                        "added_rows": [{"task_id": "T14", "status": "cham_tien_do",
                                                        "unit_key": "vh_xh", "outcome": "=cmd|' /C calc'!A0"}]})
    at.button(key="tasks_save_reports").click()
    at.run()
    assert not at.exception and not at.error
    assert "thêm 1, sửa 1, xóa 1" in " ".join(s.value for s in at.success)
    with storage.connect(app_db, read_only=True) as con:
        saved = tasks_db.load_task_reports(con).set_index("task_id")
        audit = audit_db.load_audit(con)
    assert sorted(saved.index) == ["T13", "T14"] and saved.at["T13", "progress"] == 55
    assert saved.at["T14", "outcome"] == "=cmd|' /C calc'!A0" and saved.at["T14", "reported_by"] == "chuyen-vien-a"
    assert {"task_report.delete", "task_report.upsert"} <= set(audit["action"])
