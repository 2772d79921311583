"""Validation of task reports: the import template's sheet and the Tasks page's report editor.

Each column has one rule in :data:`REPORT_RULES` (see :mod:`pci_metrics.imports.sheet_rules`);
every problem names the sheet, row and column, the value found and what is expected, and all
problems of a sheet are found at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from pci_metrics.base.cells import cell_text, fold, is_blank, parse_number
from pci_metrics.base.i18n import fmt_num
from pci_metrics.base.problems import Problem
from pci_metrics.domain.periods import parse_period, period_key
from pci_metrics.domain.task_status import DONE, NOT_REPORTED, REPORTED_STATUSES, parse_status
from pci_metrics.imports.sheet_rules import (
    ColumnRule,
    Finding,
    canonical_columns,
    closest,
    missing_columns,
    placed,
    problem,
    read_row,
    row_numbers,
)

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


def _task_number(text: str) -> str:
    """A task code written loosely, in the folded form of the plan's codes.

    >>> _task_number("T1"), _task_number("t 01"), _task_number("12"), _task_number("abc")
    ('t01', 't01', 't12', 'abc')
    """
    f = fold(text)
    m = re.match(r"^t?_?0*(\d{1,2})$", f)
    return f"t{int(m.group(1)):02d}" if m else f


@dataclass
class _Plan:
    """What a report row is checked against: the plan's tasks, units, assignments and years."""

    by_id: dict[str, str]  # folded code or title -> task_id
    task_ids: list[str]
    titles: dict[str, str]  # title -> "T01 – title" (what a suggestion shows)
    unit_by_name: dict[str, str]  # folded key or name -> unit_key
    unit_names: list[str]  # what a unit suggestion is chosen from
    leads: dict[str, list[str]] = field(default_factory=dict)
    assigned: dict[str, set[str]] | None = None  # None: assignments not known
    years: set[int] | None = None


def _plan(tasks: pd.DataFrame, units: pd.DataFrame, task_units: pd.DataFrame | None,
          years: Sequence[int] | None) -> _Plan:
    task_ids = [str(x) for x in tasks["task_id"]]
    titles_col = tasks["title_vi"] if "title_vi" in tasks.columns else tasks["task_id"]
    by_id = {fold(x): x for x in task_ids}
    if "title_vi" in tasks.columns:
        by_id.update({fold(title): str(tid) for tid, title in zip(tasks["task_id"], titles_col, strict=True)
                      if cell_text(title)})
    short = [*units["short_vi"]] if "short_vi" in units.columns else [None] * len(units)
    unit_by_name = {fold(name): str(key) for key, *names in zip(units["unit_key"], units["name_vi"],
                                                               units["name_en"], short, strict=True)
                    for name in (key, *names) if cell_text(name)}
    unit_names = [*(str(u) for u in units["unit_key"]), *units["name_vi"].astype(str),
                  *(str(x) for x in short if cell_text(x))]
    plan = _Plan(by_id, task_ids, {str(title): f"{tid} – {str(title)[:60]}"
                                   for tid, title in zip(tasks["task_id"], titles_col, strict=True)},
                 unit_by_name, unit_names, years=set(years) if years is not None else None)
    if task_units is not None:
        plan.assigned = {}
        for tid, unit, role in zip(task_units["task_id"], task_units["unit_key"], task_units["role"], strict=True):
            plan.assigned.setdefault(str(tid), set()).add(str(unit))
            if role == "lead":
                plan.leads.setdefault(str(tid), []).append(str(unit))
    return plan


def _task(cell: Any, plan: _Plan, row: dict[str, Any]) -> str | Finding:
    raw = str(cell_text(cell))
    for key in (fold(raw), _task_number(raw)):
        if key in plan.by_id:
            return plan.by_id[key]
    guess = closest(raw, [*plan.task_ids, *plan.titles])
    guess = plan.titles.get(guess, guess) if guess else None
    return Finding("tasks_exp_task_suggest" if guess else "tasks_exp_task", "unknown_task", kw={"s": guess})


def _period(cell: Any, plan: _Plan, row: dict[str, Any]) -> str | Finding | None:
    period = parse_period(cell)
    if period is not None and period.endswith("-Q4"):
        return Finding("tasks_exp_period_q4", "period_q4")
    if period is not None and plan.years is not None and period_key(period)[0] not in plan.years:
        return Finding("tasks_exp_period_years", "period",
                       kw={"years": "–".join(str(y) for y in (min(plan.years), max(plan.years)))})
    return period


def _status(cell: Any, plan: _Plan, row: dict[str, Any]) -> str | Finding | None:
    status = parse_status(cell)
    return Finding("tasks_exp_status_derived", "status") if status == NOT_REPORTED else status


def _percent(cell: Any) -> tuple[float | None, str]:
    """A progress cell as a number: the column may write a trailing "%", then the one parser reads it."""
    return parse_number(cell.strip().removesuffix("%") if isinstance(cell, str) else cell)


def _progress(cell: Any, plan: _Plan, row: dict[str, Any]) -> float | None:
    number, how = _percent(cell)
    return number if how in ("ok", "comma") and number is not None and 0 <= number <= 100 else None


def _progress_notes(number: float, cell: Any, plan: _Plan, row: dict[str, Any]) -> list[Finding]:
    notes = []
    if _percent(cell)[1] == "comma":
        notes.append(Finding("tasks_note_decimal_comma", "decimal_comma", severity="notice",
                             kw={"raw": cell_text(cell), "value": fmt_num(number, "vi", 1)}))
    if row.get("status") == DONE and number < 100:
        notes.append(Finding("tasks_note_done_progress", "done_progress", severity="notice"))
    return notes


def _unit(cell: Any, plan: _Plan, row: dict[str, Any]) -> str | Finding:
    raw = str(cell_text(cell))
    if fold(raw) in plan.unit_by_name:
        return plan.unit_by_name[fold(raw)]
    guess = closest(raw, plan.unit_names)
    return Finding("tasks_exp_unit_suggest" if guess else "tasks_exp_unit", "unknown_unit", kw={"s": guess})


def _lead_unit(plan: _Plan, row: dict[str, Any]) -> str | None:
    """A blank unit is the task's lead unit when it has exactly one."""
    lead_units = plan.leads.get(row.get("task_id", ""), [])
    return lead_units[0] if len(lead_units) == 1 else None


def _unit_notes(unit: str, cell: Any, plan: _Plan, row: dict[str, Any]) -> list[Finding]:
    tid = row.get("task_id")
    if tid and plan.assigned is not None and unit not in plan.assigned.get(tid, set()):
        return [Finding("tasks_note_unit_not_assigned", "unit_not_assigned", severity="notice",
                        kw={"unit": unit, "task": tid})]
    return []


def _free_text(cell: Any, plan: _Plan, row: dict[str, Any]) -> str | Finding | None:
    """Free text as typed (line breaks kept), stripped; at most ``MAX_TEXT`` characters."""
    text = cell.strip() if isinstance(cell, str) else cell_text(cell)
    if text is not None and len(text) > MAX_TEXT:
        return Finding("tasks_exp_text_long", "too_long", found=text[:40] + "…", kw={"n": MAX_TEXT})
    return text


def _reported_at(cell: Any, plan: _Plan, row: dict[str, Any]) -> pd.Timestamp | None:
    when = parse_date(cell)
    return None if when is None else pd.Timestamp(when)


REPORT_RULES: tuple[ColumnRule, ...] = (
    ColumnRule("task_id", True, _task),
    ColumnRule("period", True, _period, "tasks_exp_period", "period"),
    ColumnRule("status", True, _status, "tasks_exp_status", "status", allowed=REPORTED_STATUSES),
    ColumnRule("progress", False, _progress, "tasks_exp_progress", "progress", notes=_progress_notes),
    ColumnRule("unit_key", False, _unit, blank=_lead_unit, notes=_unit_notes),
    *(ColumnRule(key, False, _free_text) for key in ("outcome", "evidence", "reported_by")),
    ColumnRule("reported_at", False, _reported_at, "tasks_exp_date", "date"),
)


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
    data = canonical_columns(frame, REPORT_HEADERS)
    problems = missing_columns(sheet, data.columns, REQUIRED_REPORT_COLUMNS)
    if problems:
        return pd.DataFrame(columns=list(REPORT_COLUMNS)), problems
    header = {canon: str(orig) for orig, canon in zip(frame.columns, data.columns, strict=True)}
    plan = _plan(tasks, units, task_units, years)
    seen: dict[tuple[str, str], int] = {}
    clean_rows: list[dict[str, Any]] = []
    for row_no, rec in zip(row_numbers(frame, first_row), data.to_dict("records"), strict=True):
        cells = {k: rec.get(k) for k in REPORT_COLUMNS}
        if all(is_blank(v) for v in cells.values()):
            continue  # a blank line in the sheet
        out: dict[str, Any] = {}
        found = read_row(REPORT_RULES, cells, plan, out) + _duplicate(out, seen, row_no)
        problems += [placed(sheet, row_no, header.get(column, column), f) for column, f in found]
        if not any(f.severity == "error" for _, f in found):
            clean_rows.append(out)
    if not clean_rows and not any(p.severity == "error" for p in problems):
        problems.append(problem(sheet, None, None, None, "tasks_note_empty", code="empty"))
    clean = pd.DataFrame(clean_rows, columns=list(REPORT_COLUMNS))
    clean["progress"] = clean["progress"].astype("Float64")
    clean["reported_at"] = pd.to_datetime(clean["reported_at"])
    return clean, problems


def _duplicate(out: dict[str, Any], seen: dict[tuple[str, str], int], row_no: int) -> list[tuple[str, Finding]]:
    """One report per task and period: a second row for them is an error naming the first."""
    if "task_id" not in out or "period" not in out:
        return []
    k = (out["task_id"], out["period"])
    if k in seen:
        return [("task_id", Finding("tasks_exp_duplicate", "duplicate", found=f"{k[0]} {k[1]}",
                                    kw={"other": seen[k]}))]
    seen[k] = row_no
    return []
