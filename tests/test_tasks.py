"""Tasks: the status rule, periods and due dates, the reporting calendar and the validation
of task reports, as tables; storage writes against a real DuckDB file."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from pci_metrics.domain import periods, task_status
from pci_metrics.domain.task_status import DONE, IN_PROGRESS, LATE, NOT_REPORTED, NOT_STARTED
from pci_metrics.imports import task_reports
from pci_metrics.outputs import task_tables
from pci_metrics.store import audit_db, storage, tasks_db
from pci_metrics.views import tasks

# The plan's calendar, as the seed stores it.
CAL = pd.DataFrame({
    "kind": ["quarterly", "quarterly", "quarterly", "annual"],
    "period_suffix": ["Q1", "Q2", "Q3", None],
    "month": [3, 6, 9, 12], "day": [15, 15, 15, 5], "recipient_unit": ["kt_ht_dt"] * 4})
PERIODS_2026 = ["2026-Q1", "2026-Q2", "2026-Q3", "2026"]
D = date


# --- the status rule -------------------------------------------------------------------------

@pytest.mark.parametrize("reported, deadline, as_of, done_earlier, expected", [
    pytest.param(None, None, D(2026, 3, 16), False, NOT_REPORTED, id="no-report-no-deadline"),
    pytest.param(None, D(2026, 3, 15), D(2026, 3, 14), False, NOT_REPORTED, id="no-report-before-deadline"),
    pytest.param(None, D(2026, 3, 15), D(2026, 3, 15), False, NOT_REPORTED, id="no-report-on-deadline-day"),
    pytest.param(None, D(2026, 3, 15), D(2026, 3, 16), False, LATE, id="no-report-day-after-deadline"),
    pytest.param(IN_PROGRESS, D(2026, 3, 15), D(2026, 3, 15), False, IN_PROGRESS, id="in-progress-on-deadline-day"),
    pytest.param(IN_PROGRESS, D(2026, 3, 15), D(2026, 3, 16), False, LATE, id="in-progress-after-deadline"),
    pytest.param(NOT_STARTED, D(2026, 12, 31), D(2027, 1, 1), False, LATE, id="not-started-past-year-end"),
    pytest.param(DONE, D(2026, 3, 15), D(2026, 6, 1), False, DONE, id="done-late-is-still-done"),
    pytest.param(LATE, None, D(2026, 3, 1), False, LATE, id="unit-reports-itself-late"),
    pytest.param(LATE, D(2026, 9, 1), D(2026, 3, 1), False, LATE, id="self-reported-late-before-deadline"),
    pytest.param(None, D(2026, 3, 1), D(2026, 6, 1), True, DONE, id="done-in-an-earlier-period"),
    pytest.param(NOT_STARTED, None, D(2026, 3, 1), False, NOT_STARTED, id="not-started-no-deadline"),
])
def test_task_status(reported, deadline, as_of, done_earlier, expected):
    assert task_status.task_status(reported, deadline=deadline, as_of=as_of, done_earlier=done_earlier) == expected


def test_statuses_in_period_judges_a_past_period_at_its_due_date():
    """Looking back at Q1 in November: the deadline of 1 April had not passed on Q1's due date."""
    frame = pd.DataFrame({"task_id": ["T1", "T2"], "deadline": [D(2026, 4, 1), D(2026, 3, 1)]})
    reports = pd.DataFrame({"task_id": ["T1", "T2"], "period": ["2026-Q1", "2026-Q1"],
                            "status": [IN_PROGRESS, IN_PROGRESS]})
    as_of = min(D(2026, 11, 27), periods.due_date("2026-Q1", CAL))
    got = task_status.statuses_in_period(frame, reports, "2026-Q1", as_of)
    assert got["status"].tolist() == [IN_PROGRESS, LATE]


# --- periods and due dates -------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2026-Q1", "2026-Q1"), ("2026-q2", "2026-Q2"), ("Q3/2026", "2026-Q3"), ("Quý I/2026", "2026-Q1"),
    ("quý 2 năm 2026", "2026-Q2"), ("Quý 2 2026", "2026-Q2"), ("2026", "2026"), ("Năm 2026", "2026"), (2026, "2026"),
    (2026.0, "2026"), ("2026-Q4", "2026-Q4"), ("", None), (None, None), ("Q5/2026", None), ("26-Q1", None),
])
def test_parse_period(text, expected):
    assert periods.parse_period(text) == expected


@pytest.mark.parametrize("period, due", [
    ("2026-Q1", D(2026, 3, 15)), ("2026-Q2", D(2026, 6, 15)), ("2026-Q3", D(2026, 9, 15)), ("2026", D(2026, 12, 5)),
    ("2025", D(2025, 12, 5)),
])
def test_due_dates_follow_the_calendar(period, due):
    assert periods.due_date(period, CAL) == due


@pytest.mark.parametrize("today, period, days_left, state", [
    pytest.param(D(2026, 1, 1), "2026-Q1", 73, "upcoming", id="new-year"),
    pytest.param(D(2026, 3, 14), "2026-Q1", 1, "upcoming", id="14-march"),
    pytest.param(D(2026, 3, 15), "2026-Q1", 0, "due_today", id="15-march-due-today"),
    pytest.param(D(2026, 3, 16), "2026-Q2", 91, "upcoming", id="16-march-next-is-Q2"),
    pytest.param(D(2026, 6, 15), "2026-Q2", 0, "due_today", id="15-june"),
    pytest.param(D(2026, 6, 16), "2026-Q3", 91, "upcoming", id="16-june"),
    pytest.param(D(2026, 9, 15), "2026-Q3", 0, "due_today", id="15-september"),
    pytest.param(D(2026, 9, 16), "2026", 80, "upcoming", id="16-september-no-Q4-annual-next"),
    pytest.param(D(2026, 12, 4), "2026", 1, "upcoming", id="4-december"),
    pytest.param(D(2026, 12, 5), "2026", 0, "due_today", id="5-december"),
])
def test_next_due_around_each_deadline(today, period, days_left, state):
    nxt = periods.next_due(today, CAL, PERIODS_2026)
    assert (nxt.period, nxt.days_left, periods.due_state(nxt.due, today)) == (period, days_left, state)
    assert nxt.recipient == "kt_ht_dt"


@pytest.mark.parametrize("today", [D(2026, 12, 6), D(2026, 12, 31)], ids=["6-december", "year-end"])
def test_no_report_due_after_the_plans_last_annual_report(today):
    assert periods.next_due(today, CAL, PERIODS_2026) is None
    assert periods.last_due(today, CAL, PERIODS_2026) == "2026"


def test_a_longer_plan_rolls_over_the_year_end():
    found = periods.periods_for_years(CAL, [2026, 2027])
    assert "2026-Q4" not in found and found[3:5] == ["2026", "2027-Q1"]
    assert periods.next_due(D(2026, 12, 31), CAL, found).period == "2027-Q1"


@pytest.mark.parametrize("today, expected", [
    (D(2026, 3, 15), "2025"), (D(2026, 3, 16), "2026-Q1"), (D(2026, 12, 5), "2026-Q3"), (D(2026, 12, 6), "2026"),
], ids=["15-march", "16-march", "5-december", "6-december"])
def test_last_past_due_period(today, expected):
    assert periods.last_due(today, CAL, ["2025", *PERIODS_2026]) == expected


def test_plan_periods_start_after_the_plan_was_issued():
    plan = pd.DataFrame({"year_from": [2025], "year_to": [2026], "doc_ref": ["Số: /KH-UBND, tháng 9 năm 2025"]})
    assert periods.plan_periods(CAL, plan) == ["2025", *PERIODS_2026]


# --- who has reported ------------------------------------------------------------------------

def test_a_unit_has_reported_when_every_task_it_leads_has_a_report():
    tu = pd.DataFrame({"task_id": ["T1", "T2", "T3", "T3", "T4"], "unit_key": ["a", "a", "b", "c", "d"],
                       "role": ["lead", "lead", "lead", "lead", "support"]})
    reps = pd.DataFrame({"task_id": ["T1", "T3", "T2"], "period": ["2026-Q1", "2026-Q1", "2025"]})
    got = task_status.units_not_reported(tu, reps, "2026-Q1").set_index("unit_key")
    assert got["has_reported"].to_dict() == {"a": False, "b": True, "c": True}  # d only supports: not expected
    assert got.at["a", "missing"] == "T2"  # a report of another period does not count


# --- validation of task reports --------------------------------------------------------------

@pytest.fixture(scope="module")
def plan_frames(built_db):
    with storage.connect(built_db, read_only=True) as con:
        return tasks_db.load_tasks(con), tasks_db.load_units(con), tasks_db.load_task_units(con)


def _validate(plan_frames, rows: dict, **kw):
    tasks_f, units_f, tu = plan_frames
    return task_reports.validate_task_reports(pd.DataFrame(rows), tasks=tasks_f, units=units_f, task_units=tu,
                                       sheet="Báo cáo nhiệm vụ", years=[2025, 2026], **kw)


def test_valid_rows_with_the_templates_vietnamese_headers(plan_frames):
    clean, problems = _validate(plan_frames, {
        "Mã nhiệm vụ": ["T12", "t13"], "Kỳ báo cáo": ["2026-Q1", "Quý I/2026"], "Đơn vị": ["", "Phòng KT-HT&ĐT"],
        "Trạng thái": ["Hoàn thành", "dang thuc hien"], "Tiến độ (%)": [100, 40],
        "Kết quả": ["Đã đôn đốc", None], "Minh chứng": ["CV 12/KT", None]})
    assert not problems
    assert clean[["task_id", "period", "unit_key", "status", "progress"]].values.tolist() == [
        ["T12", "2026-Q1", "kt_ht_dt", DONE, 100.0], ["T13", "2026-Q1", "kt_ht_dt", IN_PROGRESS, 40.0]]


@pytest.mark.parametrize("column, value, code, expected_vi", [
    pytest.param("task_id", "T99", "unknown_task", "mã nhiệm vụ có trong kế hoạch", id="unknown-task"),
    pytest.param("task_id", "Xây dựng niềm tin với doanh nghiệp", "unknown_task", 'có phải "T06', id="task-suggestion"),
    pytest.param("task_id", None, "required", "cột bắt buộc", id="task-missing"),
    pytest.param("period", "2026-Q4", "period_q4", "báo cáo năm", id="no-fourth-quarter"),
    pytest.param("period", "2024", "period", "2025–2026", id="outside-the-plan"),
    pytest.param("period", "tháng 3", "period", "2026-Q1", id="unreadable-period"),
    pytest.param("status", "xong rồi", "status", "Đang thực hiện", id="unknown-status"),
    pytest.param("status", "Chưa có báo cáo", "status", "tự xác định", id="derived-status-refused"),
    pytest.param("progress", 120, "progress", "0 đến 100", id="progress-over-100"),
    pytest.param("progress", "nhiều", "progress", "0 đến 100", id="progress-not-a-number"),
    pytest.param("progress", "1.234,5", "progress", "0 đến 100", id="progress-thousands-separator-refused"),
    pytest.param("unit_key", "Phòng KT", "unknown_unit", "có phải", id="unit-suggestion"),
    pytest.param("reported_at", "31/02/2026", "date", "dd/mm/yyyy", id="impossible-date"),
])
def test_each_problem_names_row_column_found_and_expected(plan_frames, column, value, code, expected_vi):
    row = {"task_id": "T12", "period": "2026-Q1", "status": "Hoàn thành", "progress": 100, "unit_key": None,
           "reported_at": None}
    row[column] = value
    clean, problems = _validate(plan_frames, {k: [v] for k, v in row.items()})
    errors = [p for p in problems if p.severity == "error"]
    assert clean.empty and len(errors) == 1, [p.message() for p in problems]
    p = errors[0]
    assert (p.sheet, p.row, p.column, p.code) == ("Báo cáo nhiệm vụ", 2, column, code)
    assert expected_vi in p.expected_vi and p.expected_en
    assert p.message("vi").startswith('Lỗi ở trang tính "Báo cáo nhiệm vụ", dòng 2, cột ' + column)


def test_all_problems_at_once_and_good_rows_kept(plan_frames):
    clean, problems = _validate(plan_frames, {
        "task_id": ["T12", "T99", "T13", "T12"], "period": ["2026-Q1", "2026-Q1", "2026-Q5", "2026-Q1"],
        "status": ["Hoàn thành", "abc", "Hoàn thành", "Hoàn thành"], "progress": ["6,8", 1, 2, 3]})
    assert clean["task_id"].tolist() == ["T12"]
    assert [(p.row, p.code) for p in problems] == [
        (2, "decimal_comma"), (2, "done_progress"), (3, "unknown_task"), (3, "status"), (4, "period"),
        (4, "done_progress"), (5, "done_progress"), (5, "duplicate")]
    assert clean["progress"].tolist() == [6.8]  # the decimal comma is read, with a notice
    assert "6,8" in problems[0].message("vi") and problems[0].severity == "notice"


@pytest.mark.parametrize("written, value, notices", [
    pytest.param("50%", 50.0, [], id="percent-sign"), pytest.param(" 50 % ", 50.0, [], id="percent-with-spaces"),
    pytest.param("6,5%", 6.5, ["decimal_comma"], id="decimal-comma-and-percent"),
    pytest.param(40, 40.0, [], id="number")])
def test_progress_may_be_written_with_a_percent_sign(plan_frames, written, value, notices):
    """Only the progress column accepts a trailing "%"; the number itself is read by the one cell parser."""
    clean, problems = _validate(plan_frames, {"task_id": ["T12"], "period": ["2026"], "status": ["Đang thực hiện"],
                                              "progress": [written]})
    assert clean["progress"].tolist() == [value] and [p.code for p in problems] == notices


@pytest.mark.parametrize("written", ["T1", "t01", "T 01", "01"])
def test_loosely_written_task_codes_are_read(plan_frames, written):
    clean, problems = _validate(plan_frames, {"task_id": [written], "period": ["2026"], "status": ["Đang thực hiện"]})
    assert clean["task_id"].tolist() == ["T01"] and not problems


def test_row_numbers_come_from_the_sheet(plan_frames):
    _, problems = _validate(plan_frames, {"task_id": ["T99"], "period": ["2026"], "status": ["Hoàn thành"],
                                          "_row": [17]})
    assert problems[0].row == 17


def test_a_missing_required_column_is_one_problem(plan_frames):
    clean, problems = _validate(plan_frames, {"task_id": ["T12"], "status": ["Hoàn thành"]})
    assert clean.empty and [(p.code, p.column) for p in problems] == [("missing_column", "period")]


def test_unit_not_assigned_is_a_notice_and_kept(plan_frames):
    clean, problems = _validate(plan_frames, {"task_id": ["T12"], "period": ["2026"], "status": ["Hoàn thành"],
                                              "unit_key": ["vh_xh"]})
    assert clean["unit_key"].tolist() == ["vh_xh"]
    assert [(p.severity, p.code) for p in problems] == [("notice", "unit_not_assigned")]


# --- storage writes, audited -----------------------------------------------------------------

def test_save_reports_is_audited_and_idempotent(fresh_db, plan_frames):
    clean, _ = _validate(plan_frames, {"task_id": ["T12", "T13"], "period": ["2026-Q1"] * 2,
                                       "status": ["Hoàn thành", "Đang thực hiện"], "progress": [100, 40],
                                       "outcome": ["=HYPERLINK(\"x\")", "Đang làm"]})
    with storage.connect(fresh_db) as con:
        assert tasks.save_reports(con, clean, user="an") == {"added": 2, "changed": 0, "unchanged": 0}
        assert tasks.save_reports(con, clean, user="an") == {"added": 0, "changed": 0, "unchanged": 2}
        changed = clean.assign(progress=[100, 60])
        assert tasks.save_reports(con, changed, user="binh") == {"added": 0, "changed": 1, "unchanged": 1}
        saved = tasks_db.load_task_reports(con)
        audit = audit_db.load_audit(con)
    assert saved.set_index("task_id").at["T13", "progress"] == 60
    assert saved.set_index("task_id").at["T12", "outcome"] == "=HYPERLINK(\"x\")"  # stored as plain text
    last = audit.iloc[0]
    assert (last.user_name, last.action) == ("binh", "task_report.upsert")
    assert json.loads(last.old_json)["progress"] == 40 and json.loads(last.new_json)["progress"] == 60
    assert len(audit) == 3


def test_task_edits_in_one_transaction(fresh_db):
    edits = [tasks.TaskEdit("T01", deadline=D(2026, 6, 30), lead=("kt_ht_dt",), support=("tt_pvhcc",),
                            product_vi="Quy trình liên thông"),
             tasks.TaskEdit("NOPE", deadline=D(2026, 6, 30))]
    with storage.connect(fresh_db) as con:
        with pytest.raises(ValueError):
            tasks.save_task_edits(con, edits, user="an")
        assert tasks_db.load_tasks(con).set_index("task_id").at["T01", "deadline"] is pd.NaT or \
            pd.isna(tasks_db.load_tasks(con).set_index("task_id").at["T01", "deadline"])  # rolled back
        assert tasks.save_task_edits(con, edits[:1], user="an") == 1
        task = tasks_db.load_tasks(con).set_index("task_id").loc["T01"]
        units = tasks_db.load_task_units(con)
        audit = audit_db.load_audit(con)
    assert pd.Timestamp(task["deadline"]).date() == D(2026, 6, 30) and task["product_vi"] == "Quy trình liên thông"
    assert set(map(tuple, units[units["task_id"] == "T01"][["unit_key", "role"]].values)) == {
        ("kt_ht_dt", "lead"), ("tt_pvhcc", "support")}
    assert set(audit["action"]) == {"task.update", "task_unit.set"}
    assert json.loads(audit[audit["action"] == "task.update"].iloc[0].old_json) == {"deadline": None,
                                                                                  "product_vi": None}


def test_the_model_on_the_default_database(built_db):
    with storage.connect(built_db, read_only=True) as con:
        m = tasks.tasks_model(con, None, D(2026, 3, 16))
    assert m.period == "2026-Q2" and m.past_period == "2026-Q1"
    assert m.periods == ["2025", *PERIODS_2026]
    assert len(m.tasks) == 14 and m.no_deadline == 14 and m.overdue.empty
    assert m.matrix.loc["T14"].to_dict() == {"kt_ht_dt": "", "vh_xh": "lead", "tt_pvhcc": "lead", "tt_snc": "lead",
                                             "khac": ""}
    assert dict(zip(m.counts["status"], m.counts["n"], strict=True))[NOT_REPORTED] == 14
    assert set(m.missing["unit_key"]) == {"kt_ht_dt", "khac", "vh_xh", "tt_pvhcc", "tt_snc"}
    with pytest.raises(ValueError):
        with storage.connect(built_db, read_only=True) as con:
            tasks.tasks_model(con, None, None)  # today is always injected


@pytest.mark.parametrize("today", [D(2026, 3, 14), D(2026, 3, 15), D(2026, 12, 5), D(2026, 12, 6)],
                         ids=["before-a-deadline", "on-a-quarterly-deadline", "on-the-annual-deadline",
                              "after-the-last-deadline"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_table_of_the_tasks_page_renders_on_any_day(built_db, today, lang):
    """The reporting calendar names each report's state, "due today" included: on 5 December 2026 a
    missing label for that state took the Tasks page down."""
    with storage.connect(built_db, read_only=True) as con:
        m = tasks.tasks_model(con, "2026-Q1", today)
    calendar = task_tables.calendar_table(m, lang)
    states = set(calendar.iloc[:, 3])
    assert states and not any(s.startswith("tasks_") for s in states)
    expected = {D(2026, 3, 15): {"vi": "Hạn nộp hôm nay", "en": "Due today"},
                D(2026, 12, 5): {"vi": "Hạn nộp hôm nay", "en": "Due today"}}.get(today)
    if expected:
        assert expected[lang] in states
    for table in (task_tables.task_table(m.tasks, lang), task_tables.matrix_table(m, lang),
                  task_tables.missing_table(m, lang), task_tables.history_table(m, lang)):
        assert isinstance(table, pd.DataFrame)
