"""The plan's reporting periods and due dates: pure dates and tables, no database.

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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from pci_metrics.base.cells import cell_text, fold
from pci_metrics.base.i18n import t

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PERIOD_RE = re.compile(r"^(\d{4})(?:_?q([1-4]))?$")
_QUARTER_RE = re.compile(r"^(?:q|quy|quarter)_?([1-4]|i{1,3}|iv)_?(?:nam_|year_)?(\d{4})$")


def parse_period(text: Any) -> str | None:
    """A period cell in its canonical form ``YYYY-Qn`` or ``YYYY`` (``YYYY-Q4`` is returned as such
    so the caller can explain that there is no fourth-quarter report); None when unreadable.

    >>> [parse_period(x) for x in ["2026-Q1", "Q2/2026", "Quý III/2026", "quy 1 2026", "Năm 2026", 2026.0, "abc"]]
    ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q1', '2026', '2026', None]
    """
    s = cell_text(text)
    if s is None:
        return None
    f = re.sub(r"^(nam|year)_", "", fold(s))
    m = _PERIOD_RE.match(f)
    if m:
        return m.group(1) + (f"-Q{m.group(2)}" if m.group(2) else "")
    m = _QUARTER_RE.match(f)
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
        for r in calendar.itertuples(index=False):
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
    for r in calendar.itertuples(index=False):
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
