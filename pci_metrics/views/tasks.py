"""The plan's tasks and their reports: status rule, periods and deadlines, reporting calendar,
responsibility matrix, overdue and next due, report history, and the validation of task reports.

The rules, written once here and tested as tables (tests/test_tasks*.py):

* **Periods.** A year has four reporting periods: ``YYYY-Q1``, ``YYYY-Q2``, ``YYYY-Q3`` and the
  annual ``YYYY``. There is no fourth-quarter report: the annual report replaces it (the plan,
  mục III.1). Order: Q1 < Q2 < Q3 < annual.
* **Due dates** come from the ``report_calendar`` table (quarterly: the 15th of March, June,
  September; annual: 5 December). The plan says "trước ngày 15": we take the calendar day as the
  last day a report is on time. On 15 March the Q1 report is *due today*; from 16 March it is
  *past due*.
* **The current period** at a date is the period whose report is due next (due date ≥ today):
  on 14 and 15 March it is Q1; on 16 March it becomes Q2; from 16 September to 5 December it is
  the annual report; after 5 December of the plan's last year there is none.
* **Task status in a period P** (:func:`task_status`), judged as of ``as_of`` = the earlier of today
  and P's due date:
  1. *Hoàn thành* if a report of P — or of an earlier period — says done (done stays done);
  2. else *Chậm tiến độ* if the task's deadline has passed (``as_of`` after the deadline day);
  3. else *Chưa có báo cáo* when there is no report for P;
  4. else what P's report says (a unit may itself report *Chậm tiến độ*).
* **A unit has reported for P** when every task it leads has a report for P. A report is kept per
  task and period (one row), so one report counts for all co-lead units of that task. Units that
  lead no task are not expected to report.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.cells import is_blank
from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.base.problems import Problem
from pci_metrics.store import storage

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

NOT_STARTED, IN_PROGRESS, DONE, LATE, NOT_REPORTED = (
    "chua_thuc_hien", "dang_thuc_hien", "hoan_thanh", "cham_tien_do", "chua_bao_cao")
REPORTED_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, LATE)
ALL_STATUSES = (*REPORTED_STATUSES, NOT_REPORTED)
ROLES = ("lead", "support")
REPORT_COLUMNS = ("task_id", "period", "unit_key", "status", "progress", "outcome", "evidence",
                  "reported_by", "reported_at")
MAX_TEXT = 4000

# Headers a sheet may use for each column (compared folded: no case, no diacritics).
REPORT_HEADERS: dict[str, tuple[str, ...]] = {
    "task_id": ("task", "ma_nhiem_vu", "ma_nv", "nhiem_vu", "task_code"),
    "period": ("ky_bao_cao", "ky", "reporting_period"),
    "unit_key": ("unit", "don_vi", "ma_don_vi", "don_vi_bao_cao", "reporting_unit"),
    "status": ("trang_thai", "tinh_trang"),
    "progress": ("tien_do", "ti_le_hoan_thanh", "ty_le_hoan_thanh", "progress_percent"),
    "outcome": ("ket_qua", "ket_qua_thuc_hien"),
    "evidence": ("minh_chung", "tai_lieu_minh_chung"),
    "reported_by": ("nguoi_bao_cao", "reporter"),
    "reported_at": ("ngay_bao_cao", "report_date"),
}
REQUIRED_REPORT_COLUMNS = ("task_id", "period", "status")


def status_label(status: str, lang: str = "vi") -> str:
    """The glossary's label of a status code.

    >>> status_label("cham_tien_do"), status_label("chua_bao_cao", "en")
    ('Chậm tiến độ', 'Not reported')
    """
    return t(f"tasks_status_{status}", lang)


# ---------------------------------------------------------------------------
# Text helpers (shared with service.py)
# ---------------------------------------------------------------------------

def fold(text: Any) -> str:
    """Lower case, no diacritics, runs of non-alphanumerics as one ``_``.

    >>> fold("  Đơn vị chủ trì "), fold("Tiến độ (%)"), fold("task_id")
    ('don_vi_chu_tri', 'tien_do', 'task_id')
    """
    return _fold(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """:func:`fold` of a string, remembered: a sheet repeats the same names and periods many times
    (a 70,000-row service sheet spent 60% of its validation folding the same few strings)."""
    s = text.strip().lower().replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    return _NOT_ALNUM.sub("_", s).strip("_")


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def cell_text(value: Any) -> str | None:
    """A cell as stripped text; None for blank, NaN or None.

    >>> cell_text("  a "), cell_text(float("nan")), cell_text(""), cell_text(3.0)
    ('a', None, None, '3')
    """
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return s or None


def closest(found: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``found`` (compared without case or diacritics), or None.

    >>> closest("kt_ht_d", ["kt_ht_dt", "vh_xh"]), closest("zzz", ["kt_ht_dt"])
    ('kt_ht_dt', None)
    """
    folded = {fold(c): str(c) for c in candidates}
    hits = difflib.get_close_matches(fold(found), list(folded), n=1, cutoff=0.5)
    return folded[hits[0]] if hits else None


def parse_number(value: Any) -> tuple[float | None, bool, bool]:
    """A cell as a number: (value, ok, read_a_decimal_comma); blank is (None, True, False).

    >>> parse_number("6,8"), parse_number(7), parse_number("50%"), parse_number("abc")
    ((6.8, True, True), (7.0, True, False), (50.0, True, False), (None, False, False))
    >>> parse_number("1.234,5"), parse_number(" "), parse_number(float("inf"))
    ((1234.5, True, True), (None, True, False), (None, False, False))
    """
    if is_blank(value):
        return None, True, False
    if isinstance(value, bool):
        return None, False, False
    if isinstance(value, int | float):
        return (float(value), True, False) if math.isfinite(float(value)) else (None, False, False)
    s = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None, True, False
    s = s.removesuffix("%")
    comma = "," in s
    if comma:
        s = s.replace(".", "").replace(",", ".")  # Vietnamese: dot thousands, decimal comma
    try:
        number = float(s)
    except ValueError:
        return None, False, False
    return (number, True, comma) if math.isfinite(number) else (None, False, False)


def parse_date(value: Any) -> date | None:
    """A cell as a date (date/datetime objects, dd/mm/yyyy or ISO text); None when it is not one.

    >>> parse_date("15/03/2026"), parse_date("2026-03-15"), parse_date("x")
    (datetime.date(2026, 3, 15), datetime.date(2026, 3, 15), None)
    """
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    s = cell_text(value)
    if s is None:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def canonical_columns(frame: pd.DataFrame, headers: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Rename a sheet's headers to canonical keys (first matching header wins; others kept).

    >>> list(canonical_columns(pd.DataFrame(columns=["Mã nhiệm vụ", "Kỳ báo cáo", "x"]), REPORT_HEADERS).columns)
    ['task_id', 'period', 'x']
    """
    mapping: dict[Any, str] = {}
    for col in frame.columns:
        f = fold(col)
        for key, names in headers.items():
            if key not in mapping.values() and (f == key or f in names):
                mapping[col] = key
                break
    return frame.rename(columns=mapping)


def _row_numbers(frame: pd.DataFrame, first_row: int) -> list[int]:
    if "_row" in frame.columns:
        return [int(r) for r in frame["_row"]]
    return list(range(first_row, first_row + len(frame)))


# ---------------------------------------------------------------------------
# Periods and the reporting calendar
# ---------------------------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PERIOD_RE = re.compile(r"^(\d{4})(?:_?q([1-4]))?$")


def parse_period(text: Any) -> str | None:
    """A period cell in its canonical form ``YYYY-Qn`` or ``YYYY`` (``YYYY-Q4`` is returned as such
    so the caller can explain that there is no fourth-quarter report); None when unreadable.

    >>> [parse_period(x) for x in ["2026-Q1", "Q2/2026", "Quý III/2026", "quy 1 2026", "Năm 2026", 2026.0, "abc"]]
    ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q1', '2026', '2026', None]
    """
    s = cell_text(text)
    if s is None:
        return None
    f = fold(s)
    f = re.sub(r"^(nam|year)_", "", f)
    m = _PERIOD_RE.match(f)
    if m:
        return m.group(1) + (f"-Q{m.group(2)}" if m.group(2) else "")
    m = re.match(r"^(?:q|quy|quarter)_?([1-4]|i{1,3}|iv)_?(?:nam_|year_)?(\d{4})$", f)
    if m:
        q = _ROMAN.get(m.group(1)) or int(m.group(1))
        return f"{m.group(2)}-Q{q}"
    return None


def period_key(period: str) -> tuple[int, int]:
    """Sort key of a period: (year, 1..3 for quarters, 4 for the annual report).

    >>> sorted(["2026", "2026-Q2", "2025", "2026-Q1"], key=period_key)
    ['2025', '2026-Q1', '2026-Q2', '2026']
    """
    year, _, q = period.partition("-Q")
    return int(year), int(q) if q else 4


def period_kind(period: str) -> str:
    """``quarterly`` or ``annual``.

    >>> period_kind("2026-Q3"), period_kind("2026")
    ('quarterly', 'annual')
    """
    return "quarterly" if "-Q" in period else "annual"


def period_label(period: str, lang: str = "vi") -> str:
    """A period for people: "Quý 1/2026" / "Q1 2026"; "Năm 2026" / "Year 2026".

    >>> period_label("2026-Q1"), period_label("2026", "en")
    ('Quý 1/2026', 'Year 2026')
    """
    year, _, q = period.partition("-Q")
    return t("tasks_period_quarter", lang, q=q, year=year) if q else t("tasks_period_year", lang, year=year)


def period_suffix(period: str) -> str | None:
    """The calendar's suffix of a period (Q1..Q3), None for the annual report.

    >>> period_suffix("2026-Q2"), period_suffix("2026")
    ('Q2', None)
    """
    return "Q" + period.partition("-Q")[2] if "-Q" in period else None


def periods_for_years(calendar: pd.DataFrame, years: Iterable[int]) -> list[str]:
    """Every reporting period of the calendar in the given years, in order.

    >>> cal = pd.DataFrame({"kind": ["quarterly", "annual"], "period_suffix": ["Q1", None], "month": [3, 12], "day": [15, 5]})
    >>> periods_for_years(cal, [2026])
    ['2026-Q1', '2026']
    """
    out: list[str] = []
    for year in years:
        for r in storage.records(calendar):
            suffix = cell_text(r.period_suffix)
            out.append(f"{year}-{suffix}" if r.kind == "quarterly" and suffix else str(year))
    return sorted(set(out), key=period_key)


def due_date(period: str, calendar: pd.DataFrame) -> date:
    """The last day a period's report is on time, from the calendar table.

    >>> cal = pd.DataFrame({"kind": ["quarterly", "annual"], "period_suffix": ["Q1", None], "month": [3, 12], "day": [15, 5]})
    >>> due_date("2026-Q1", cal), due_date("2026", cal)
    (datetime.date(2026, 3, 15), datetime.date(2026, 12, 5))
    """
    year = period_key(period)[0]
    suffix = period_suffix(period)
    for r in storage.records(calendar):
        if (suffix is None and r.kind == "annual") or (
                suffix is not None and r.kind == "quarterly" and cell_text(r.period_suffix) == suffix):
            return date(year, int(r.month), int(r.day))
    raise ValueError(f"no due date for period {period!r} in the calendar")


@dataclass(frozen=True)
class DueReport:
    """The next report to send: its period, kind, due date and how many days are left."""

    period: str
    kind: str
    due: date
    days_left: int
    recipient: str | None = None


def next_due(today: date, calendar: pd.DataFrame, periods: Sequence[str]) -> DueReport | None:
    """The report due next on ``today`` (due date ≥ today) among ``periods``, or None after the last.

    >>> cal = pd.DataFrame({"kind": ["quarterly", "annual"], "period_suffix": ["Q1", None],
    ...                     "month": [3, 12], "day": [15, 5], "recipient_unit": ["kt_ht_dt"] * 2})
    >>> ps = ["2026-Q1", "2026"]
    >>> next_due(date(2026, 3, 15), cal, ps).period, next_due(date(2026, 3, 16), cal, ps).period
    ('2026-Q1', '2026')
    >>> next_due(date(2026, 12, 6), cal, ps) is None
    True
    """
    for period in sorted(periods, key=period_key):
        due = due_date(period, calendar)
        if due >= today:
            recipient = None
            if "recipient_unit" in calendar.columns:
                kind_rows = calendar[calendar["kind"] == period_kind(period)]
                recipient = cell_text(kind_rows["recipient_unit"].iloc[0]) if not kind_rows.empty else None
            return DueReport(period, period_kind(period), due, (due - today).days, recipient)
    return None


def due_state(due: date, today: date) -> str:
    """Where a report stands against its due date: ``upcoming``, ``due_today`` or ``overdue``.

    >>> [due_state(date(2026, 3, 15), date(2026, 3, d)) for d in (14, 15, 16)]
    ['upcoming', 'due_today', 'overdue']
    """
    if today < due:
        return "upcoming"
    return "due_today" if today == due else "overdue"


def last_due(today: date, calendar: pd.DataFrame, periods: Sequence[str]) -> str | None:
    """The latest of ``periods`` whose due date has passed on ``today`` (None before the first).

    >>> cal = pd.DataFrame({"kind": ["quarterly"], "period_suffix": ["Q1"], "month": [3], "day": [15]})
    >>> last_due(date(2026, 3, 15), cal, ["2026-Q1"]), last_due(date(2026, 3, 16), cal, ["2026-Q1"])
    (None, '2026-Q1')
    """
    passed = [p for p in sorted(periods, key=period_key) if due_date(p, calendar) < today]
    return passed[-1] if passed else None


# ---------------------------------------------------------------------------
# The status rule
# ---------------------------------------------------------------------------

def deadline_passed(deadline: date | None, as_of: date) -> bool:
    """True when ``as_of`` is after the deadline day (the deadline day itself is still on time).

    >>> [deadline_passed(date(2026, 3, 15), date(2026, 3, d)) for d in (14, 15, 16)]
    [False, False, True]
    >>> deadline_passed(None, date(2026, 3, 16))
    False
    """
    return deadline is not None and as_of > deadline


def task_status(reported: str | None, *, deadline: date | None, as_of: date,
                done_earlier: bool = False) -> str:
    """A task's status in a period (see the module docstring for the rule).

    ``reported`` is the status of the period's report (None: no report this period);
    ``done_earlier`` says an earlier period's report already said done.

    >>> task_status("dang_thuc_hien", deadline=date(2026, 3, 15), as_of=date(2026, 3, 16))
    'cham_tien_do'
    >>> task_status(None, deadline=None, as_of=date(2026, 3, 16), done_earlier=True)
    'hoan_thanh'
    >>> task_status(None, deadline=None, as_of=date(2026, 3, 16))
    'chua_bao_cao'
    """
    if done_earlier or reported == DONE:
        return DONE
    if deadline_passed(deadline, as_of):
        return LATE
    if reported is None:
        return NOT_REPORTED
    return reported


def parse_status(value: Any) -> str | None:
    """A status cell (code, Vietnamese or English label, any case or accents) as its code.

    >>> parse_status("Hoàn thành"), parse_status("in progress"), parse_status("cham tien do"), parse_status("x")
    ('hoan_thanh', 'dang_thuc_hien', 'cham_tien_do', None)
    """
    s = cell_text(value)
    if s is None:
        return None
    if not _STATUS_WORDS:
        for code in ALL_STATUSES:
            for word in (code, status_label(code, "vi"), status_label(code, "en")):
                _STATUS_WORDS[fold(word)] = code
    return _STATUS_WORDS.get(fold(s))


_STATUS_WORDS: dict[str, str] = {}


# ---------------------------------------------------------------------------
# Validation of task reports (the import template's sheet and the in-app editor)
# ---------------------------------------------------------------------------

def _problem(sheet: str, row: int | None, column: str | None, found: Any, key: str, *,
             severity: str = "error", code: str = "invalid", **kw: Any) -> Problem:
    found_text = None if found is None else str(found)
    return Problem(sheet, row, column, found_text, t(key, "vi", **kw), t(key, "en", **kw),
                   severity=severity, code=code)


def _task_number(text: str) -> str:
    """A task code written loosely, in the folded form of the plan's codes.

    >>> _task_number("T1"), _task_number("t 01"), _task_number("12"), _task_number("abc")
    ('t01', 't01', 't12', 'abc')
    """
    f = fold(text)
    m = re.match(r"^t?_?0*(\d{1,2})$", f)
    return f"t{int(m.group(1)):02d}" if m else f


def _unit_lookup(units: pd.DataFrame) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in storage.records(units):
        for name in (r.unit_key, r.name_vi, r.name_en, getattr(r, "short_vi", None)):
            if cell_text(name):
                out[fold(name)] = str(r.unit_key)
    return out


def validate_task_reports(frame: pd.DataFrame, *, tasks: pd.DataFrame, units: pd.DataFrame, sheet: str,
                          task_units: pd.DataFrame | None = None, years: Sequence[int] | None = None,
                          first_row: int = 2) -> tuple[pd.DataFrame, list[Problem]]:
    """Check task-report rows and return (clean rows, every problem found at once).

    ``frame`` holds the sheet's rows with its headers (canonical keys or the template's Vietnamese
    headers, see ``REPORT_HEADERS``). Row numbers in problems are the sheet's: ``first_row`` is the
    number of the frame's first row (2 under a header row), or a ``_row`` column gives them.
    ``clean`` has the columns ``REPORT_COLUMNS`` and only rows without an error; notices (decimal
    comma read, a unit not assigned to the task) do not block. A blank unit becomes the task's lead
    unit when it has exactly one (``task_units`` given).

    >>> tasks = pd.DataFrame({"task_id": ["T01"], "title_vi": ["Việc"]})
    >>> units = pd.DataFrame({"unit_key": ["kt_ht_dt"], "name_vi": ["Phòng KT"], "name_en": ["Div"]})
    >>> rows = pd.DataFrame({"Mã nhiệm vụ": ["T01", "T1x"], "Kỳ báo cáo": ["2026-Q1", "2026-Q4"],
    ...                      "Trạng thái": ["Đang thực hiện", "done"], "Tiến độ": ["6,8", 120]})
    >>> clean, problems = validate_task_reports(rows, tasks=tasks, units=units, sheet="Báo cáo")
    >>> clean[["task_id", "period", "status", "progress"]].values.tolist()
    [['T01', '2026-Q1', 'dang_thuc_hien', 6.8]]
    >>> [(p.row, p.column, p.severity) for p in problems]
    [(2, 'Tiến độ', 'notice'), (3, 'Mã nhiệm vụ', 'error'), (3, 'Kỳ báo cáo', 'error'), (3, 'Tiến độ', 'error')]
    """
    problems: list[Problem] = []
    original = list(frame.columns)
    data = canonical_columns(frame, REPORT_HEADERS)
    header = {canon: orig for orig, canon in zip(original, data.columns, strict=True)}
    for key in REQUIRED_REPORT_COLUMNS:
        if key not in data.columns:
            problems.append(_problem(sheet, None, key, None, "tasks_exp_column", code="missing_column", col=key))
    if problems:
        return pd.DataFrame(columns=list(REPORT_COLUMNS)), problems
    rows = _row_numbers(frame, first_row)
    task_ids = [str(x) for x in tasks["task_id"]]
    by_id = {fold(x): x for x in task_ids}
    if "title_vi" in tasks.columns:
        by_id.update({fold(title): str(tid) for tid, title in zip(tasks["task_id"], tasks["title_vi"], strict=True)
                      if cell_text(title)})
    titles = {str(title): f"{tid} – {str(title)[:60]}" for tid, title in
              zip(tasks["task_id"], tasks["title_vi"] if "title_vi" in tasks.columns else tasks["task_id"], strict=True)}
    unit_by_name = _unit_lookup(units)
    unit_keys = [str(u) for u in units["unit_key"]]
    leads: dict[str, list[str]] = {}
    assigned: dict[str, set[str]] = {}
    if task_units is not None:
        for r in storage.records(task_units):
            assigned.setdefault(str(r.task_id), set()).add(str(r.unit_key))
            if r.role == "lead":
                leads.setdefault(str(r.task_id), []).append(str(r.unit_key))
    year_set = set(years) if years is not None else None
    seen: dict[tuple[str, str], int] = {}
    clean_rows: list[dict[str, Any]] = []

    def col(key: str) -> str:
        return str(header.get(key, key))

    for i, rec in enumerate(data.to_dict("records")):
        row_no = rows[i]
        values = {k: rec.get(k) for k in REPORT_COLUMNS}
        if all(cell_text(values[k]) is None for k in REPORT_COLUMNS):
            continue  # a blank line in the sheet
        bad = False
        out: dict[str, Any] = {}
        # task
        raw = cell_text(values["task_id"])
        if raw is None:
            problems.append(_problem(sheet, row_no, col("task_id"), None, "tasks_exp_required", code="required"))
            bad = True
        elif fold(raw) in by_id:
            out["task_id"] = by_id[fold(raw)]
        elif _task_number(raw) in by_id:
            out["task_id"] = by_id[_task_number(raw)]
        else:
            guess = closest(raw, [*task_ids, *titles])
            guess = titles.get(guess, guess) if guess else None
            problems.append(_problem(sheet, row_no, col("task_id"), raw,
                                     "tasks_exp_task_suggest" if guess else "tasks_exp_task",
                                     code="unknown_task", s=guess))
            bad = True
        # period
        raw = cell_text(values["period"])
        period = parse_period(raw)
        if raw is None:
            problems.append(_problem(sheet, row_no, col("period"), None, "tasks_exp_required", code="required"))
            bad = True
        elif period is None:
            problems.append(_problem(sheet, row_no, col("period"), raw, "tasks_exp_period", code="period"))
            bad = True
        elif period.endswith("-Q4"):
            problems.append(_problem(sheet, row_no, col("period"), raw, "tasks_exp_period_q4", code="period_q4"))
            bad = True
        elif year_set is not None and period_key(period)[0] not in year_set:
            problems.append(_problem(sheet, row_no, col("period"), raw, "tasks_exp_period_years", code="period",
                                     years="–".join(str(y) for y in (min(year_set), max(year_set)))))
            bad = True
        else:
            out["period"] = period
        # status
        raw = cell_text(values["status"])
        status = parse_status(raw)
        if raw is None:
            problems.append(_problem(sheet, row_no, col("status"), None, "tasks_exp_required", code="required"))
            bad = True
        elif status == NOT_REPORTED:
            problems.append(_problem(sheet, row_no, col("status"), raw, "tasks_exp_status_derived", code="status"))
            bad = True
        elif status is None:
            problems.append(_problem(sheet, row_no, col("status"), raw, "tasks_exp_status", code="status"))
            bad = True
        else:
            out["status"] = status
        # progress
        number, ok, comma = parse_number(values["progress"])
        if not ok or (number is not None and not 0 <= number <= 100):
            problems.append(_problem(sheet, row_no, col("progress"), cell_text(values["progress"]),
                                     "tasks_exp_progress", code="progress"))
            bad = True
        else:
            out["progress"] = number
            if comma:
                problems.append(_problem(sheet, row_no, col("progress"), cell_text(values["progress"]),
                                         "tasks_note_decimal_comma", severity="notice", code="decimal_comma",
                                         raw=cell_text(values["progress"]), value=fmt_num(number, "vi", 1)))
            if status == DONE and number is not None and number < 100:
                problems.append(_problem(sheet, row_no, col("progress"), cell_text(values["progress"]),
                                         "tasks_note_done_progress", severity="notice", code="done_progress"))
        # unit
        raw = cell_text(values["unit_key"])
        unit: str | None = None
        if raw is None:
            lead_units = leads.get(out.get("task_id", ""), [])
            unit = lead_units[0] if len(lead_units) == 1 else None
        elif fold(raw) in unit_by_name:
            unit = unit_by_name[fold(raw)]
            tid = out.get("task_id")
            if tid and task_units is not None and unit not in assigned.get(tid, set()):
                problems.append(_problem(sheet, row_no, col("unit_key"), raw, "tasks_note_unit_not_assigned",
                                         severity="notice", code="unit_not_assigned", unit=unit, task=tid))
        else:
            names = [*unit_keys, *units["name_vi"].astype(str)]
            if "short_vi" in units.columns:
                names += [str(x) for x in units["short_vi"] if cell_text(x)]
            guess = closest(raw, names)
            problems.append(_problem(sheet, row_no, col("unit_key"), raw,
                                     "tasks_exp_unit_suggest" if guess else "tasks_exp_unit",
                                     code="unknown_unit", s=guess))
            bad = True
        out["unit_key"] = unit
        # free text
        for key in ("outcome", "evidence", "reported_by"):
            text = cell_text(values[key])
            if text is not None and len(text) > MAX_TEXT:
                problems.append(_problem(sheet, row_no, col(key), text[:40] + "…", "tasks_exp_text_long",
                                         code="too_long", n=MAX_TEXT))
                bad = True
            out[key] = text
        raw_at = values["reported_at"]
        when = parse_date(raw_at)
        if cell_text(raw_at) is not None and when is None:
            problems.append(_problem(sheet, row_no, col("reported_at"), cell_text(raw_at), "tasks_exp_date",
                                     code="date"))
            bad = True
        out["reported_at"] = pd.Timestamp(when) if when else None
        # one report per task and period
        if "task_id" in out and "period" in out:
            k = (out["task_id"], out["period"])
            if k in seen:
                problems.append(_problem(sheet, row_no, col("task_id"), f"{k[0]} {k[1]}", "tasks_exp_duplicate",
                                         code="duplicate", other=seen[k]))
                bad = True
            else:
                seen[k] = row_no
        if not bad:
            clean_rows.append(out)
    if not clean_rows and not any(p.severity == "error" for p in problems):
        problems.append(_problem(sheet, None, None, None, "tasks_note_empty", code="empty"))
    clean = pd.DataFrame(clean_rows, columns=list(REPORT_COLUMNS))
    clean["progress"] = clean["progress"].astype("Float64")
    clean["reported_at"] = pd.to_datetime(clean["reported_at"])
    return clean, problems


# ---------------------------------------------------------------------------
# Page model
# ---------------------------------------------------------------------------

@dataclass
class TasksModel:
    """Everything the Tasks page and the reports show for one period, as of one day."""

    period: str
    today: date
    as_of: date
    due: date
    periods: list[str]
    tasks: pd.DataFrame  # one row per task: ids, names, units, deadline, status and the period's report
    matrix: pd.DataFrame  # task_id × unit_key: "lead" / "support" / ""
    counts: pd.DataFrame  # status, n (every status, zero included)
    overdue: pd.DataFrame  # tasks whose deadline has passed (today) and that are not done
    due_next: pd.DataFrame  # tasks with a deadline from today on, soonest first
    missing: pd.DataFrame  # per lead unit: tasks led, reported, missing, has_reported
    calendar: pd.DataFrame  # per period: kind, due, state, tasks reported
    history: pd.DataFrame  # every report of every task, oldest period first
    units: pd.DataFrame
    priorities: pd.DataFrame
    next_report: DueReport | None
    task_units: pd.DataFrame = field(default_factory=pd.DataFrame)
    years: list[int] = field(default_factory=list)
    past_period: str | None = None  # the latest period whose report is past due on today
    past_missing: pd.DataFrame = field(default_factory=pd.DataFrame)  # its lead units that have not reported
    past_due: date | None = None
    no_deadline: int = 0
    notes: list[str] = field(default_factory=list)


def plan_years(plan: pd.DataFrame) -> list[int]:
    """The years a plan covers.

    >>> plan_years(pd.DataFrame({"year_from": [2025], "year_to": [2026]}))
    [2025, 2026]
    """
    if plan.empty:
        return []
    return list(range(int(plan["year_from"].min()), int(plan["year_to"].max()) + 1))


def plan_start(plan: pd.DataFrame) -> date | None:
    """The first day after the month the plan was issued, read from its reference ("tháng 9 năm 2025").

    Reports due before then are not expected: a plan issued in September 2025 asks first for the
    2025 annual report (5 December), not for the reports of the quarters before it existed.

    >>> plan_start(pd.DataFrame({"doc_ref": ["Số: /KH-UBND, Hồng Bàng, tháng 9 năm 2025"]}))
    datetime.date(2025, 10, 1)
    >>> plan_start(pd.DataFrame({"doc_ref": [None]})) is None
    True
    """
    if plan.empty or "doc_ref" not in plan.columns:
        return None
    m = re.search(r"tháng\s+(\d{1,2})\s+năm\s+(\d{4})", str(plan["doc_ref"].iloc[0] or ""))
    if not m:
        return None
    month, year = int(m.group(1)), int(m.group(2))
    return date(year + month // 12, month % 12 + 1, 1)


def plan_periods(calendar: pd.DataFrame, plan: pd.DataFrame) -> list[str]:
    """The reporting periods a plan asks for: its years, from the first report due after it was issued.

    >>> cal = pd.DataFrame({"kind": ["quarterly", "annual"], "period_suffix": ["Q3", None], "month": [9, 12], "day": [15, 5]})
    >>> plan_periods(cal, pd.DataFrame({"year_from": [2025], "year_to": [2026], "doc_ref": ["tháng 9 năm 2025"]}))
    ['2025', '2026-Q3', '2026']
    """
    start = plan_start(plan)
    periods = periods_for_years(calendar, plan_years(plan))
    return [p for p in periods if start is None or due_date(p, calendar) >= start]


def responsibility_matrix(tasks: pd.DataFrame, task_units: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Task × unit grid of roles ("lead", "support" or ""), tasks in plan order, units as listed.

    >>> m = responsibility_matrix(pd.DataFrame({"task_id": ["T1", "T2"]}),
    ...     pd.DataFrame({"task_id": ["T1"], "unit_key": ["a"], "role": ["lead"]}), pd.DataFrame({"unit_key": ["a", "b"]}))
    >>> m.loc["T1"].tolist(), m.loc["T2"].tolist()
    (['lead', ''], ['', ''])
    """
    grid = pd.DataFrame("", index=pd.Index(tasks["task_id"].astype(str), name="task_id"),
                        columns=[str(u) for u in units["unit_key"]])
    for r in storage.records(task_units):
        if str(r.task_id) in grid.index and str(r.unit_key) in grid.columns:
            grid.at[str(r.task_id), str(r.unit_key)] = str(r.role)
    return grid


def statuses_in_period(tasks: pd.DataFrame, reports: pd.DataFrame, period: str, as_of: date) -> pd.DataFrame:
    """Each task's status in a period with that period's report (progress, outcome, evidence, …).

    >>> tasks = pd.DataFrame({"task_id": ["T1", "T2", "T3"], "deadline": [None, date(2026, 3, 1), None]})
    >>> reps = pd.DataFrame({"task_id": ["T1", "T3"], "period": ["2026-Q1", "2025"],
    ...                      "status": ["dang_thuc_hien", "hoan_thanh"], "progress": [40.0, 100.0]})
    >>> statuses_in_period(tasks, reps, "2026-Q1", date(2026, 3, 15))["status"].tolist()
    ['dang_thuc_hien', 'cham_tien_do', 'hoan_thanh']
    """
    key = period_key(period)
    reps = reports.copy()
    reps["_key"] = [period_key(str(p)) for p in reps["period"]] if not reps.empty else []
    upto = reps[[k <= key for k in reps["_key"]]] if not reps.empty else reps
    this = upto[upto["period"] == period].set_index("task_id") if not upto.empty else upto
    done_ids = set(upto[upto["status"] == DONE]["task_id"]) if not upto.empty else set()
    rows = []
    for r in storage.records(tasks):
        tid = str(r.task_id)
        deadline = None if is_blank(r.deadline) else pd.Timestamp(r.deadline).date()
        rep = this.loc[tid] if tid in getattr(this, "index", []) else None
        reported = None if rep is None else str(rep["status"])
        latest = upto[upto["task_id"] == tid].sort_values("_key") if not upto.empty else upto
        rows.append(dict(
            task_id=tid,
            status=task_status(reported, deadline=deadline, as_of=as_of, done_earlier=tid in done_ids),
            reported_status=reported,
            progress=None if rep is None else rep.get("progress"),
            outcome=None if rep is None else rep.get("outcome"),
            evidence=None if rep is None else rep.get("evidence"),
            unit_key=None if rep is None else rep.get("unit_key"),
            reported_by=None if rep is None else rep.get("reported_by"),
            reported_at=None if rep is None else rep.get("reported_at"),
            last_period=None if latest.empty else str(latest["period"].iloc[-1]),
        ))
    out = pd.DataFrame(rows, columns=["task_id", "status", "reported_status", "progress", "outcome", "evidence",
                                      "unit_key", "reported_by", "reported_at", "last_period"])
    out["progress"] = pd.to_numeric(out["progress"], errors="coerce").astype("Float64")
    return out


def units_not_reported(task_units: pd.DataFrame, reports: pd.DataFrame, period: str) -> pd.DataFrame:
    """Per unit that leads a task: tasks led, reported and missing for a period (rule in the module doc).

    >>> tu = pd.DataFrame({"task_id": ["T1", "T2", "T2"], "unit_key": ["a", "a", "b"], "role": ["lead", "lead", "lead"]})
    >>> reps = pd.DataFrame({"task_id": ["T2"], "period": ["2026-Q1"]})
    >>> units_not_reported(tu, reps, "2026-Q1")[["unit_key", "missing", "has_reported"]].values.tolist()
    [['a', 'T1', False], ['b', '', True]]
    """
    leads = task_units[task_units["role"] == "lead"]
    done = set(reports[reports["period"] == period]["task_id"].astype(str)) if not reports.empty else set()
    rows = []
    for unit, group in leads.groupby("unit_key", sort=True):
        led = sorted(str(x) for x in group["task_id"])
        missing = [x for x in led if x not in done]
        rows.append(dict(unit_key=str(unit), led=", ".join(led), n_led=len(led), n_reported=len(led) - len(missing),
                         missing=", ".join(missing), has_reported=not missing))
    return pd.DataFrame(rows, columns=["unit_key", "led", "n_led", "n_reported", "missing", "has_reported"])


def count_statuses(frame: pd.DataFrame) -> pd.DataFrame:
    """How many tasks are in each status (every status listed, zero included).

    >>> count_statuses(pd.DataFrame({"status": ["hoan_thanh", "hoan_thanh"]}))["n"].tolist()
    [0, 0, 2, 0, 0]
    """
    counts = pd.DataFrame({"status": list(ALL_STATUSES)})
    counts["n"] = [int((frame["status"] == s).sum()) for s in ALL_STATUSES]
    return counts


def filter_tasks(frame: pd.DataFrame, *, unit: str | None = None, code: str | None = None,
                 status: str | None = None) -> pd.DataFrame:
    """Tasks matching the page's filters (None = any): unit (lead or support), sub-index, status.

    ``code`` "none" keeps tasks linked to no prioritized sub-index.

    >>> f = pd.DataFrame({"task_id": ["T1", "T2"], "lead": [["a"], []], "support": [[], ["a"]],
    ...                   "code": ["entry", None], "status": ["hoan_thanh", "chua_bao_cao"]})
    >>> filter_tasks(f, unit="a")["task_id"].tolist(), filter_tasks(f, code="none")["task_id"].tolist()
    (['T1', 'T2'], ['T2'])
    >>> filter_tasks(f, status="hoan_thanh")["task_id"].tolist()
    ['T1']
    """
    keep = pd.Series(True, index=frame.index)
    if unit:
        keep &= pd.Series([unit in (lead or []) or unit in (sup or [])
                           for lead, sup in zip(frame["lead"], frame["support"], strict=True)], index=frame.index)
    if code == "none":
        keep &= frame["code"].isna()
    elif code:
        keep &= frame["code"] == code
    if status:
        keep &= frame["status"] == status
    return frame[keep].reset_index(drop=True)


def tasks_model(con: duckdb.DuckDBPyConnection, period: str | None = None,
                today: date | str | None = None) -> TasksModel:
    """Build the Tasks page's model for a period (default: the current one) as of ``today``.

    ``today`` is injectable (an ISO string is accepted so cached loaders can key on it); the
    caller passes the real date. Nothing here reads the clock.
    """
    if today is None:
        raise ValueError("tasks_model needs today (pass date.today() at the edge)")
    today = date.fromisoformat(today) if isinstance(today, str) else today
    # Load inputs.
    plan = storage.load_plan(con)
    calendar = storage.load_calendar(con)
    tasks = storage.load_tasks(con)
    task_units = storage.load_task_units(con)
    units = storage.load_units(con)
    reports = storage.load_task_reports(con)
    priorities = storage.load_priorities(con)
    subs = storage.load_subindices(con)
    # Process data.
    periods = plan_periods(calendar, plan)
    nxt = next_due(today, calendar, periods)
    past = last_due(today, calendar, periods)
    if period is None:
        period = nxt.period if nxt else (periods[-1] if periods else str(today.year))
    due = due_date(period, calendar)
    as_of = min(today, due)
    status = statuses_in_period(tasks, reports, period, as_of)
    names = subs[["framework_id", "code", "name_vi", "name_en"]].rename(
        columns={"name_vi": "subindex_vi", "name_en": "subindex_en"})
    frame = tasks.merge(names, on=["framework_id", "code"], how="left").merge(status, on="task_id", how="left")
    unit_names = dict(zip(units["unit_key"], units["name_vi"], strict=True))
    unit_names_en = dict(zip(units["unit_key"], units["name_en"], strict=True))
    for role in ROLES:
        by_task = task_units[task_units["role"] == role].groupby("task_id")["unit_key"].apply(list)
        frame[role] = [list(by_task.get(tid, [])) for tid in frame["task_id"]]
        frame[f"{role}_vi"] = ["; ".join(unit_names.get(u, u) for u in us) for us in frame[role]]
        frame[f"{role}_en"] = ["; ".join(unit_names_en.get(u, u) for u in us) for us in frame[role]]
    frame["deadline"] = [None if is_blank(d) else pd.Timestamp(d).date() for d in frame["deadline"]]
    frame["overdue"] = [deadline_passed(d, today) and s != DONE for d, s in zip(frame["deadline"], frame["status"],
                                                                                strict=True)]
    counts = count_statuses(frame)
    upcoming = frame[[d is not None and d >= today and s != DONE for d, s in zip(frame["deadline"], frame["status"],
                                                                                 strict=True)]]
    cal_rows = []
    for p in periods:
        d = due_date(p, calendar)
        n_rep = int((reports["period"] == p).sum()) if not reports.empty else 0
        cal_rows.append(dict(period=p, kind=period_kind(p), due=d, state=due_state(d, today),
                             n_reported=n_rep, n_tasks=len(tasks)))
    history = reports.merge(tasks[["task_id", "title_vi", "title_en"]], on="task_id", how="left")
    if not history.empty:
        history = history.assign(_k=[period_key(str(p)) for p in history["period"]]).sort_values(
            ["task_id", "_k"]).drop(columns="_k").reset_index(drop=True)
    # Save outputs.
    return TasksModel(
        period=period, today=today, as_of=as_of, due=due, periods=periods, tasks=frame,
        matrix=responsibility_matrix(tasks, task_units, units), counts=counts,
        overdue=frame[frame["overdue"]].reset_index(drop=True),
        due_next=upcoming.sort_values("deadline").reset_index(drop=True),
        missing=units_not_reported(task_units, reports, period),
        calendar=pd.DataFrame(cal_rows, columns=["period", "kind", "due", "state", "n_reported", "n_tasks"]),
        history=history, units=units, priorities=priorities, next_report=nxt, task_units=task_units,
        years=plan_years(plan), past_period=past, past_due=due_date(past, calendar) if past else None,
        past_missing=units_not_reported(task_units, reports, past).query("~has_reported").reset_index(drop=True)
        if past else pd.DataFrame(),
        no_deadline=int(sum(d is None for d in frame["deadline"])),
    )


# ---------------------------------------------------------------------------
# Saving edits (one transaction per save, every change audited)
# ---------------------------------------------------------------------------

def save_reports(con: duckdb.DuckDBPyConnection, clean: pd.DataFrame, *, user: str,
                 batch_id: int | None = None) -> dict[str, int]:
    """Write validated reports (see :func:`validate_task_reports`) in one transaction.

    >>> # save_reports(con, clean, user="an") -> {"added": 3, "changed": 0, "unchanged": 0}
    """
    with storage.transaction(con):
        return storage.tasks_upsert_reports(con, clean, user=user, batch_id=batch_id)


@dataclass(frozen=True)
class TaskEdit:
    """An analyst's edit of one task: deadline, product, authority and units (None = leave as is)."""

    task_id: str
    deadline: date | None = None
    product_vi: str | None = None
    authority_vi: str | None = None
    lead: tuple[str, ...] | None = None
    support: tuple[str, ...] | None = None
    clear_deadline: bool = False


def save_task_edits(con: duckdb.DuckDBPyConnection, edits: Sequence[TaskEdit], *, user: str) -> int:
    """Apply task edits in one transaction; returns how many tasks changed.

    >>> # save_task_edits(con, [TaskEdit("T01", deadline=date(2026, 6, 30), lead=("kt_ht_dt",))], user="an") -> 1
    """
    changed = 0
    with storage.transaction(con):
        for e in edits:
            fields: dict[str, Any] = {}
            if e.deadline is not None or e.clear_deadline:
                fields["deadline"] = e.deadline
            if e.product_vi is not None:
                fields["product_vi"] = e.product_vi or None
            if e.authority_vi is not None:
                fields["authority_vi"] = e.authority_vi or None
            hit = storage.tasks_update_task(con, e.task_id, fields, user=user) if fields else False
            if e.lead is not None or e.support is not None:
                current = storage.load_task_units(con)
                mine = current[current["task_id"] == e.task_id]
                lead = e.lead if e.lead is not None else tuple(mine[mine["role"] == "lead"]["unit_key"])
                support = e.support if e.support is not None else tuple(mine[mine["role"] == "support"]["unit_key"])
                hit = storage.tasks_set_units(con, e.task_id, lead, support, user=user,
                                              source=f"Chuyên viên {user} / analyst {user}") or hit
            changed += int(hit)
    return changed


def save_report_edits(con: duckdb.DuckDBPyConnection, clean: pd.DataFrame, deleted: Sequence[str], period: str, *,
                      user: str) -> dict[str, int]:
    """Save the report editor: upsert ``clean`` and delete the period's reports of ``deleted`` tasks,
    in one transaction.

    >>> # save_report_edits(con, clean, ["T05"], "2026-Q1", user="an") -> {"added": 1, ..., "deleted": 1}
    """
    with storage.transaction(con):
        counts = storage.tasks_upsert_reports(con, clean, user=user)
        counts["deleted"] = sum(storage.tasks_delete_report(con, tid, period, user=user) for tid in deleted)
    return counts


# ---------------------------------------------------------------------------
# Tables for people (localized headers) and the editors' frames
# ---------------------------------------------------------------------------

def _name(lang: str) -> str:
    return "en" if lang == "en" else "vi"


def _fmt_date(d: Any, lang: str) -> str:
    if is_blank(d):
        return t("tasks_no_deadline", lang)
    d = pd.Timestamp(d).date()
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def task_table(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The task list as shown and downloaded: localized headers, labels, dates and progress.

    >>> f = pd.DataFrame({"task_id": ["T1"], "title_vi": ["Việc"], "title_en": ["Job"], "subindex_vi": [None],
    ...     "subindex_en": [None], "lead_vi": ["Phòng A"], "lead_en": ["Div A"], "support_vi": [""], "support_en": [""],
    ...     "deadline": [None], "product_vi": [None], "status": ["chua_bao_cao"], "progress": [None],
    ...     "outcome": [None], "evidence": [None], "last_period": [None]})
    >>> task_table(f).iloc[0].tolist()[:4]
    ['T1', 'Việc', '—', 'Phòng A']
    """
    n = _name(lang)
    title = frame[f"title_{n}"].where(frame[f"title_{n}"].notna(), frame["title_vi"])
    out = pd.DataFrame({
        t("tasks_col_task_id", lang): frame["task_id"],
        t("tasks_col_title", lang): title,
        t("tasks_col_subindex", lang): frame[f"subindex_{n}"].fillna("—"),
        t("tasks_col_lead", lang): frame[f"lead_{n}"].replace("", t("tasks_unassigned", lang)),
        t("tasks_col_support", lang): frame[f"support_{n}"],
        t("tasks_col_deadline", lang): [_fmt_date(d, lang) for d in frame["deadline"]],
        t("tasks_col_product", lang): frame["product_vi"].fillna(""),
        t("tasks_col_status", lang): [status_label(s, lang) for s in frame["status"]],
        t("tasks_col_progress", lang): [None if is_blank(p) else float(p) for p in frame["progress"]],
        t("tasks_col_outcome", lang): frame["outcome"].fillna(""),
        t("tasks_col_evidence", lang): frame["evidence"].fillna(""),
        t("tasks_col_last_period", lang): [period_label(p, lang) if cell_text(p) else "" for p in frame["last_period"]],
    })
    return out.reset_index(drop=True)


def matrix_table(model: TasksModel, lang: str = "vi") -> pd.DataFrame:
    """The responsibility matrix with unit names as columns and "Chủ trì"/"Phối hợp" in cells."""
    names = {str(r.unit_key): (cell_text(r.short_vi) or r.name_vi) if lang == "vi" else r.name_en
             for r in storage.records(model.units)}
    labels = {"lead": t("tasks_role_lead", lang), "support": t("tasks_role_support", lang), "": ""}
    grid = model.matrix.replace(labels).rename(columns=names)
    grid.insert(0, t("tasks_col_title", lang), model.tasks.set_index("task_id")[f"title_{_name(lang)}"]
                .fillna(model.tasks.set_index("task_id")["title_vi"]).reindex(grid.index))
    grid.index.name = t("tasks_col_task_id", lang)
    return grid.reset_index()


def unit_names(units: pd.DataFrame, lang: str = "vi") -> dict[str, str]:
    """unit_key -> display name (short Vietnamese name where there is one).

    >>> unit_names(pd.DataFrame({"unit_key": ["a"], "name_vi": ["Phòng A"], "name_en": ["Div A"], "short_vi": [None]}))
    {'a': 'Phòng A'}
    """
    return {str(r.unit_key): (cell_text(getattr(r, "short_vi", None)) or r.name_vi) if lang == "vi" else str(r.name_en)
            for r in storage.records(units)}


def missing_table(model: TasksModel, lang: str = "vi") -> pd.DataFrame:
    """Per lead unit: tasks led, reported and missing for the model's period."""
    names = unit_names(model.units, lang)
    m = model.missing
    return pd.DataFrame({
        t("tasks_col_unit", lang): [names.get(u, u) for u in m["unit_key"]],
        t("tasks_col_led", lang): m["led"],
        t("tasks_col_reported", lang): [f"{a}/{b}" for a, b in zip(m["n_reported"], m["n_led"], strict=True)],
        t("tasks_col_missing", lang): m["missing"],
        t("tasks_col_has_reported", lang): [t("tasks_yes" if h else "tasks_no", lang) for h in m["has_reported"]],
    })


def calendar_table(model: TasksModel, lang: str = "vi") -> pd.DataFrame:
    """The reporting calendar: period, kind, due date, state on today, reports received."""
    c = model.calendar
    return pd.DataFrame({
        t("tasks_col_period", lang): [period_label(p, lang) for p in c["period"]],
        t("tasks_col_kind", lang): [t(f"tasks_kind_{k}", lang) for k in c["kind"]],
        t("tasks_col_due", lang): [_fmt_date(d, lang) for d in c["due"]],
        t("tasks_col_state", lang): [t(f"tasks_due_{s}", lang) for s in c["state"]],
        t("tasks_col_reports", lang): [f"{a}/{b}" for a, b in zip(c["n_reported"], c["n_tasks"], strict=True)],
    })


def history_table(model: TasksModel, lang: str = "vi", task_id: str | None = None) -> pd.DataFrame:
    """Every report (of one task, or all): period, status, progress, outcome, evidence, who, when."""
    h = model.history
    if task_id:
        h = h[h["task_id"] == task_id]
    names = unit_names(model.units, lang)
    return pd.DataFrame({
        t("tasks_col_task_id", lang): h["task_id"],
        t("tasks_col_period", lang): [period_label(str(p), lang) for p in h["period"]],
        t("tasks_col_unit", lang): [names.get(str(u), "") if cell_text(u) else "" for u in h["unit_key"]],
        t("tasks_col_status", lang): [status_label(str(s), lang) for s in h["status"]],
        t("tasks_col_progress", lang): [None if is_blank(p) else float(p) for p in h["progress"]],
        t("tasks_col_outcome", lang): h["outcome"].fillna(""),
        t("tasks_col_evidence", lang): h["evidence"].fillna(""),
        t("tasks_col_reported_by", lang): h["reported_by"].fillna(""),
        t("tasks_col_reported_at", lang): [_fmt_date(d, lang) if not is_blank(d) else "" for d in h["reported_at"]],
    }).reset_index(drop=True)


def status_by_unit(model: TasksModel, lang: str = "vi") -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Counts of task statuses per lead unit (tasks with no lead unit grouped as "unassigned"),
    ready for :func:`pci_metrics.outputs.charts.stacked_bars_figure`."""
    names = unit_names(model.units, lang)
    rows: list[tuple[str, str]] = []
    for lead, status in zip(model.tasks["lead"], model.tasks["status"], strict=True):
        for u in lead or [None]:
            rows.append((names.get(u, u) if u else t("tasks_unassigned", lang), status))
    frame = pd.DataFrame(rows, columns=["unit", "status"])
    labels = list(dict.fromkeys(frame["unit"]))
    series = [(status_label(s, lang), [float(((frame["unit"] == u) & (frame["status"] == s)).sum()) for u in labels])
              for s in ALL_STATUSES]
    return labels, series


def status_by_subindex(model: TasksModel, lang: str = "vi") -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Counts of task statuses per prioritized sub-index (plan order; tasks with none last)."""
    n = "en" if lang == "en" else "vi"
    names = {str(r.code): str(getattr(r, f"name_{n}")) for r in storage.records(model.priorities)}
    other = t("tasks_f_none", lang)
    keys = [names.get(str(c), other) if cell_text(c) else other for c in model.tasks["code"]]
    labels = [x for x in [*names.values(), other] if x in keys]
    series = [(status_label(s, lang), [float(sum(k == lab and st == s for k, st in zip(keys, model.tasks["status"],
                                                                                      strict=True))) for lab in labels])
              for s in ALL_STATUSES]
    return labels, series


EDITOR_TASK_COLUMNS = ("task_id", "title_vi", "deadline", "product_vi", "authority_vi", "lead", "support")
EDITOR_REPORT_COLUMNS = ("task_id", "unit_key", "status", "progress", "outcome", "evidence")


def task_editor_frame(model: TasksModel) -> pd.DataFrame:
    """The tasks as the editor shows them: deadline, product, authority and unit lists editable."""
    f = model.tasks[list(EDITOR_TASK_COLUMNS)].copy()
    f["deadline"] = pd.to_datetime(pd.Series(f["deadline"], dtype=object)).dt.date
    f["lead"] = [list(x) for x in f["lead"]]
    f["support"] = [list(x) for x in f["support"]]
    return f.reset_index(drop=True)


def _opt_date(v: Any) -> date | None:
    if is_blank(v):
        return None
    return pd.Timestamp(v).date()


def edits_from_editor(original: pd.DataFrame, edited: pd.DataFrame) -> list[TaskEdit]:
    """What changed between the task editor's original and edited frames, as task edits.

    >>> o = pd.DataFrame({"task_id": ["T1"], "deadline": [None], "product_vi": [None], "authority_vi": [None],
    ...                   "lead": [[]], "support": [[]]})
    >>> e = o.assign(deadline=[date(2026, 6, 30)], lead=[["a"]])
    >>> edits_from_editor(o, e)
    [TaskEdit(task_id='T1', deadline=datetime.date(2026, 6, 30), product_vi=None, authority_vi=None, lead=('a',), support=None, clear_deadline=False)]
    """
    before = original.set_index("task_id")
    out: list[TaskEdit] = []
    for rec in edited.to_dict("records"):
        tid = str(rec["task_id"])
        if tid not in before.index:
            continue
        old = before.loc[tid]
        kw: dict[str, Any] = {}
        new_d, old_d = _opt_date(rec.get("deadline")), _opt_date(old["deadline"])
        if new_d != old_d:
            kw["deadline"] = new_d
            kw["clear_deadline"] = new_d is None
        for col in ("product_vi", "authority_vi"):
            if (cell_text(rec.get(col)) or None) != (cell_text(old[col]) or None):
                kw[col] = cell_text(rec.get(col)) or ""
        for col in ("lead", "support"):
            new_u = sorted(str(u) for u in (rec.get(col) if isinstance(rec.get(col), list | tuple) else []) or [])
            old_u = sorted(str(u) for u in (old[col] if isinstance(old[col], list | tuple) else []) or [])
            if new_u != old_u:
                kw[col] = tuple(new_u)
        if kw:
            out.append(TaskEdit(tid, **kw))
    return out


def report_editor_frame(model: TasksModel) -> pd.DataFrame:
    """The period's reports as the report editor shows them (one row per reported task)."""
    h = model.history[model.history["period"] == model.period] if not model.history.empty else model.history
    f = pd.DataFrame({c: (h[c] if c in h.columns else []) for c in EDITOR_REPORT_COLUMNS})
    f["progress"] = pd.to_numeric(f["progress"], errors="coerce")
    for c in ("task_id", "unit_key", "status", "outcome", "evidence"):
        f[c] = f[c].astype(object).where(f[c].notna(), None)
    return f.reset_index(drop=True)


def report_changes(original: pd.DataFrame, edited: pd.DataFrame, period: str) -> tuple[pd.DataFrame, list[str]]:
    """The report editor's rows to validate (with the period) and the tasks whose report was removed.

    >>> o = pd.DataFrame({"task_id": ["T1", "T2"], "status": ["dang_thuc_hien", "hoan_thanh"]})
    >>> rows, deleted = report_changes(o, o.iloc[:1], "2026-Q1")
    >>> rows[["task_id", "period"]].values.tolist(), deleted
    ([['T1', '2026-Q1']], ['T2'])
    """
    rows = edited.copy()
    rows = rows[[any(cell_text(v) is not None for v in r) for r in rows.itertuples(index=False)]]
    rows.insert(1, "period", period)
    kept = {str(x) for x in rows["task_id"] if cell_text(x)}
    deleted = [str(x) for x in original["task_id"] if str(x) not in kept]
    return rows.reset_index(drop=True), deleted


def alerts(model: TasksModel, lang: str = "vi") -> list[tuple[str, str]]:
    """What the page says above the tables, in order, as (kind, text): kind is success, info or warning.

    The next report and its recipient; who has not reported for the period shown (past due or not);
    the latest past-due period's missing units when another period is shown; overdue tasks; tasks
    with no deadline or no lead unit (the plan names none: analysts set them).
    """
    names = unit_names(model.units, lang)

    def listing(frame: pd.DataFrame) -> str:
        return "; ".join(f"{names.get(u, u)} ({ms})" for u, ms in zip(frame["unit_key"], frame["missing"], strict=True))

    out: list[tuple[str, str]] = []
    nxt = model.next_report
    if nxt is None:
        out.append(("info", t("tasks_no_next_report", lang)))
    else:
        left = t("tasks_days_left", lang, n=nxt.days_left) if nxt.days_left else t("tasks_due_today_short", lang)
        out.append(("info", t("tasks_next_line", lang, period=period_label(nxt.period, lang), due=_fmt_date(nxt.due, lang), left=left,
                              to=names.get(nxt.recipient or "", nxt.recipient or "—"))))
    label = period_label(model.period, lang)
    missing = model.missing[~model.missing["has_reported"]]
    if missing.empty:
        out.append(("success", t("tasks_all_reported", lang, period=label)))
    elif model.today > model.due:
        out.append(("warning", t("tasks_past_missing", lang, period=label, due=_fmt_date(model.due, lang),
                                 units=listing(missing))))
    else:
        out.append(("warning", t("tasks_missing_head", lang, period=label, due=_fmt_date(model.due, lang),
                                 units=listing(missing))))
    if model.past_period and model.past_period != model.period and not model.past_missing.empty:
        out.append(("warning", t("tasks_past_missing", lang, period=period_label(model.past_period, lang),
                                 due=_fmt_date(model.past_due, lang), units=listing(model.past_missing))))
    if model.overdue.empty:
        out.append(("info", t("tasks_no_overdue", lang)))
    else:
        out.append(("warning", t("tasks_overdue_head", lang, n=len(model.overdue))))
    if model.no_deadline:
        out.append(("info", t("tasks_no_deadline_info", lang, n=model.no_deadline, total=len(model.tasks))))
    unassigned = int(sum(not lead for lead in model.tasks["lead"]))
    if unassigned:
        out.append(("info", t("tasks_unassigned_info", lang, n=unassigned)))
    return out
