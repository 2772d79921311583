"""What is due, for whom: the focal office's view of every unit's reports for a period (submitted,
accepted, returned, draft or not reported), the reminder text it pastes into the ward's messaging,
and the deadlines a calendar subscribes to (reporting deadlines and task deadlines)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from pci_metrics.base.cells import is_blank
from pci_metrics.base.i18n import t
from pci_metrics.domain.periods import due_date, period_label
from pci_metrics.store import tasks_db
from pci_metrics.views.tasks import TasksModel, tasks_model

NOT_REPORTED = "none"
PROGRESS_STATES = ("accepted", "submitted", "returned", "draft", NOT_REPORTED)


def unit_progress(model: TasksModel, reports: pd.DataFrame) -> pd.DataFrame:
    """Per unit and task it leads or supports (still due in the period): the report's state, or
    "none" when the unit has not reported.

    ``reports`` are the period's reports in every state (the focal office reads them all but drafts).
    """
    links = model.task_units[["task_id", "unit_key", "role"]]
    states = reports.set_index("task_id")["state"].fillna("accepted") if not reports.empty else pd.Series(dtype=object)
    out = links.assign(state=[str(states.get(tid, NOT_REPORTED)) for tid in links["task_id"]])
    return out.merge(model.tasks[["task_id", "title_vi", "title_en"]], on="task_id", how="left")


def progress_table(progress: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Per unit: how many of its tasks are in each state (every state, zero included), units as listed.

    >>> p = pd.DataFrame({"unit_key": ["a", "a", "b"], "state": ["accepted", "none", "submitted"]})
    >>> progress_table(p, pd.DataFrame({"unit_key": ["a", "b"]}))[["unit_key", "accepted", "none"]].values.tolist()
    [['a', 1, 1], ['b', 0, 0]]
    """
    rows = []
    for unit in units["unit_key"]:
        mine = progress[progress["unit_key"] == unit]
        if mine.empty:
            continue
        rows.append({"unit_key": str(unit), **{s: int((mine["state"] == s).sum()) for s in PROGRESS_STATES}})
    return pd.DataFrame(rows, columns=["unit_key", *PROGRESS_STATES])


def reminder_text(unit_name: str, period: str, due: date, progress: pd.DataFrame, lang: str = "vi") -> str | None:
    """The reminder for one unit, ready to paste into the ward's messaging: what it has not reported
    and what was returned to it; None when nothing is missing.

    >>> p = pd.DataFrame({"task_id": ["T14"], "title_vi": ["Tuyên truyền"], "title_en": ["Publicise"],
    ...                   "state": ["none"]})
    >>> print(reminder_text("Phòng VH-XH", "2026-Q1", date(2026, 3, 15), p))
    Kính gửi Phòng VH-XH: đề nghị đơn vị gửi báo cáo kết quả thực hiện nhiệm vụ Quý 1/2026 (hạn 15/03/2026) về Phòng Kinh tế – Hạ tầng và Đô thị.
    Chưa báo cáo: T14 – Tuyên truyền.
    """
    title = "title_en" if lang == "en" else "title_vi"

    def listed(states: tuple[str, ...]) -> str:
        part = progress[progress["state"].isin(states)]
        return "; ".join(f"{r.task_id} – {getattr(r, title) if not is_blank(getattr(r, title)) else r.title_vi}"
                         for r in part.itertuples())

    missing, returned = listed((NOT_REPORTED, "draft")), listed(("returned",))
    if not missing and not returned:
        return None
    lines = [t("units_remind_head", lang, unit=unit_name, period=period_label(period, lang),
               due=due.strftime("%d/%m/%Y") if lang == "vi" else due.isoformat())]
    if missing:
        lines.append(t("units_remind_missing", lang, tasks=missing))
    if returned:
        lines.append(t("units_remind_returned", lang, tasks=returned))
    return "\n".join(lines)


@dataclass(frozen=True)
class Deadline:
    """One day in the calendar: a reporting deadline or a task's deadline."""

    uid: str
    day: date
    summary: str
    description: str


def deadlines(con: duckdb.DuckDBPyConnection, today: date | str, lang: str = "vi") -> list[Deadline]:
    """Every reporting deadline of the plan and every deadline of a task still followed, for a calendar.

    Example: the default database → the reports due 05/12/2025, 15/03, 15/06, 15/09 and 05/12/2026.
    """
    model = tasks_model(con, None, today=today)
    calendar = tasks_db.load_calendar(con)
    out = [Deadline(f"report-{p}@pci-hong-bang", due_date(p, calendar),
                    t("units_ics_report", lang, period=period_label(p, lang)), t("units_ics_report_desc", lang))
           for p in model.periods]
    for r in model.tasks.itertuples():
        if r.deadline is not None and not is_blank(r.deadline):
            title = r.title_en if lang == "en" and not is_blank(r.title_en) else r.title_vi
            out.append(Deadline(f"task-{r.task_id}@pci-hong-bang", pd.Timestamp(r.deadline).date(),
                                t("units_ics_task", lang, task=r.task_id), str(title)))
    return sorted(out, key=lambda d: (d.day, d.uid))


@dataclass
class DueOverview:
    """The focal office's view of one period: per unit and task the report's state, per unit the
    counts, and per unit the reminder text (None: nothing missing)."""

    period: str
    due: date
    progress: pd.DataFrame
    table: pd.DataFrame
    reminders: dict[str, str | None]


def due_overview(con: duckdb.DuckDBPyConnection, period: str, today: date | str, lang: str = "vi") -> DueOverview:
    """Which units have submitted, been accepted, been returned or not reported for a period.

    Example: the default database, 2026-Q1 → every unit that leads or supports a task, all "none".
    """
    model = tasks_model(con, period, today=today)
    reports = tasks_db.load_task_reports(con)
    progress = unit_progress(model, reports[reports["period"] == model.period])
    units = model.units
    names = dict(zip(units["unit_key"], units["name_en" if lang == "en" else "name_vi"], strict=True))
    table = progress_table(progress, units)
    reminders = {str(u): reminder_text(str(names.get(u, u)), model.period, model.due,
                                       progress[progress["unit_key"] == u], lang) for u in table["unit_key"]}
    return DueOverview(model.period, model.due, progress, table, reminders)
