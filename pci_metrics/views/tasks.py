"""The Tasks page's model: the plan's tasks in one reporting period as of one day, the
responsibility matrix, overdue and next due, report history; and saving the page's edits.

The rules live in :mod:`pci_metrics.domain.periods` (periods, due dates) and
:mod:`pci_metrics.domain.task_status` (the status rule, who has reported); reports are checked by
:mod:`pci_metrics.imports.task_reports`; the tables for people are in
:mod:`pci_metrics.outputs.task_tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.cells import cell_text
from pci_metrics.domain.periods import (
    DueReport,
    due_date,
    due_state,
    last_due,
    next_due,
    period_key,
    period_kind,
    plan_periods,
    plan_years,
)
from pci_metrics.domain.task_status import (
    DONE,
    ROLES,
    accepted_reports,
    as_date,
    count_statuses,
    deadline_passed,
    filed_on_behalf,
    statuses_in_period,
    still_followed,
    units_not_reported,
)
from pci_metrics.store import reference_db, storage, tasks_db


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
    retired: pd.DataFrame = field(default_factory=pd.DataFrame)  # tasks no longer due in the period (kept with their reports)


def responsibility_matrix(tasks: pd.DataFrame, task_units: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Task × unit grid of roles ("lead", "support" or ""), tasks in plan order, units as listed.

    >>> m = responsibility_matrix(pd.DataFrame({"task_id": ["T1", "T2"]}),
    ...     pd.DataFrame({"task_id": ["T1"], "unit_key": ["a"], "role": ["lead"]}), pd.DataFrame({"unit_key": ["a", "b"]}))
    >>> m.loc["T1"].tolist(), m.loc["T2"].tolist()
    (['lead', ''], ['', ''])
    """
    grid = pd.DataFrame("", index=pd.Index(tasks["task_id"].astype(str), name="task_id"),
                        columns=[str(u) for u in units["unit_key"]])
    for tid, unit, role in zip(task_units["task_id"], task_units["unit_key"], task_units["role"], strict=True):
        if str(tid) in grid.index and str(unit) in grid.columns:
            grid.at[str(tid), str(unit)] = str(role)
    return grid


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


def _task_frame(tasks: pd.DataFrame, subs: pd.DataFrame, task_units: pd.DataFrame, units: pd.DataFrame,
                status: pd.DataFrame, today: date) -> pd.DataFrame:
    """One row per task: sub-index names, lead and supporting units (keys and names), deadline,
    the period's status and report, and whether it is overdue on ``today``."""
    names = subs[["framework_id", "code", "name_vi", "name_en"]].rename(
        columns={"name_vi": "subindex_vi", "name_en": "subindex_en"})
    frame = tasks.merge(names, on=["framework_id", "code"], how="left").merge(status, on="task_id", how="left")
    names_vi = dict(zip(units["unit_key"], units["name_vi"], strict=True))
    names_en = dict(zip(units["unit_key"], units["name_en"], strict=True))
    for role in ROLES:
        by_task = task_units[task_units["role"] == role].groupby("task_id")["unit_key"].apply(list)
        frame[role] = [list(by_task.get(tid, [])) for tid in frame["task_id"]]
        frame[f"{role}_vi"] = ["; ".join(names_vi.get(u, u) for u in us) for us in frame[role]]
        frame[f"{role}_en"] = ["; ".join(names_en.get(u, u) for u in us) for us in frame[role]]
    frame["deadline"] = [as_date(d) for d in frame["deadline"]]
    frame["overdue"] = [deadline_passed(d, today) and s != DONE
                        for d, s in zip(frame["deadline"], frame["status"], strict=True)]
    return frame


def _calendar_frame(periods: Sequence[str], calendar: pd.DataFrame, reports: pd.DataFrame, n_tasks: int,
                    today: date) -> pd.DataFrame:
    """Per period: kind, due date, state on ``today`` and how many tasks have a report."""
    rows = []
    for p in periods:
        d = due_date(p, calendar)
        n_rep = int((reports["period"] == p).sum()) if not reports.empty else 0
        rows.append(dict(period=p, kind=period_kind(p), due=d, state=due_state(d, today), n_reported=n_rep,
                         n_tasks=n_tasks))
    return pd.DataFrame(rows, columns=["period", "kind", "due", "state", "n_reported", "n_tasks"])


def _history(reports: pd.DataFrame, tasks: pd.DataFrame) -> pd.DataFrame:
    """Every report with its task's titles, per task and oldest period first."""
    history = reports.merge(tasks[["task_id", "title_vi", "title_en"]], on="task_id", how="left")
    if history.empty:
        return history
    return history.assign(_k=[period_key(str(p)) for p in history["period"]]).sort_values(
        ["task_id", "_k"]).drop(columns="_k").reset_index(drop=True)


def tasks_model(con: duckdb.DuckDBPyConnection, period: str | None = None,
                today: date | str | None = None) -> TasksModel:
    """Build the Tasks page's model for a period (default: the current one) as of ``today``.

    ``today`` is injectable (an ISO string is accepted so cached loaders can key on it); the
    caller passes the real date. Nothing here reads the clock.
    """
    if today is None:
        raise ValueError("tasks_model needs today (pass date.today() at the edge)")
    today = date.fromisoformat(today) if isinstance(today, str) else today
    plan, calendar = reference_db.load_plan(con), tasks_db.load_calendar(con)
    every_task, every_link = tasks_db.load_tasks(con), tasks_db.load_task_units(con)
    units, reports = tasks_db.load_units(con), accepted_reports(tasks_db.load_task_reports(con))
    periods = plan_periods(calendar, plan)
    nxt, past = next_due(today, calendar, periods), last_due(today, calendar, periods)
    if period is None:
        period = nxt.period if nxt else (periods[-1] if periods else str(today.year))
    due = due_date(period, calendar)
    as_of = min(today, due)
    tasks = still_followed(every_task, as_of)  # a retired task is no longer due, its reports stay in the history
    current_units = still_followed(units, as_of)["unit_key"]  # a retired unit no longer owes reports
    task_units = every_link[every_link["task_id"].isin(tasks["task_id"])
                            & every_link["unit_key"].isin(current_units)].reset_index(drop=True)
    frame = _task_frame(tasks, reference_db.load_subindices(con), task_units, units,
                        statuses_in_period(tasks, reports, period, as_of), today)
    upcoming = frame[[d is not None and d >= today and s != DONE
                      for d, s in zip(frame["deadline"], frame["status"], strict=True)]]
    return TasksModel(
        period=period, today=today, as_of=as_of, due=due, periods=periods, tasks=frame,
        matrix=responsibility_matrix(tasks, task_units, units), counts=count_statuses(frame),
        overdue=frame[frame["overdue"]].reset_index(drop=True),
        due_next=upcoming.sort_values("deadline").reset_index(drop=True),
        missing=units_not_reported(task_units, reports, period),
        calendar=_calendar_frame(periods, calendar, reports, len(tasks), today),
        history=_history(reports, every_task), units=units, priorities=reference_db.load_priorities(con), next_report=nxt,
        task_units=task_units, years=plan_years(plan), past_period=past,
        past_due=due_date(past, calendar) if past else None,
        past_missing=units_not_reported(task_units, reports, past).query("~has_reported").reset_index(drop=True)
        if past else pd.DataFrame(),
        no_deadline=int(sum(d is None for d in frame["deadline"])),
        retired=every_task[~every_task["task_id"].isin(tasks["task_id"])].reset_index(drop=True),
    )


# ---------------------------------------------------------------------------
# Saving edits (one transaction per save, every change audited by the store)
# ---------------------------------------------------------------------------

def save_reports(con: duckdb.DuckDBPyConnection, clean: pd.DataFrame, *, user: str,
                 batch_id: int | None = None) -> dict[str, int]:
    """Write validated reports (see :func:`pci_metrics.imports.task_reports.validate_task_reports`)
    in one transaction.

    >>> # save_reports(con, clean, user="an") -> {"added": 3, "changed": 0, "unchanged": 0}
    """
    with storage.transaction(con):
        return tasks_db.tasks_upsert_reports(con, clean, user=user, batch_id=batch_id)


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


def _task_fields(e: TaskEdit) -> dict[str, Any]:
    """The task columns an edit changes (an empty text clears the column).

    >>> _task_fields(TaskEdit("T1", product_vi="", clear_deadline=True))
    {'deadline': None, 'product_vi': None}
    """
    fields: dict[str, Any] = {}
    if e.deadline is not None or e.clear_deadline:
        fields["deadline"] = e.deadline
    if e.product_vi is not None:
        fields["product_vi"] = e.product_vi or None
    if e.authority_vi is not None:
        fields["authority_vi"] = e.authority_vi or None
    return fields


def save_task_edits(con: duckdb.DuckDBPyConnection, edits: Sequence[TaskEdit], *, user: str) -> int:
    """Apply task edits in one transaction; returns how many tasks changed.

    >>> # save_task_edits(con, [TaskEdit("T01", deadline=date(2026, 6, 30), lead=("kt_ht_dt",))], user="an") -> 1
    """
    changed = 0
    with storage.transaction(con):
        for e in edits:
            fields = _task_fields(e)
            hit = tasks_db.tasks_update_task(con, e.task_id, fields, user=user) if fields else False
            if e.lead is not None or e.support is not None:
                current = tasks_db.load_task_units(con)
                mine = current[current["task_id"] == e.task_id]
                lead = e.lead if e.lead is not None else tuple(mine[mine["role"] == "lead"]["unit_key"])
                support = e.support if e.support is not None else tuple(mine[mine["role"] == "support"]["unit_key"])
                hit = tasks_db.tasks_set_units(con, e.task_id, lead, support, user=user,
                                              source=f"Chuyên viên {user} / analyst {user}") or hit
            changed += int(hit)
    return changed


def retire(con: duckdb.DuckDBPyConnection, table: str, key: str, day: date | None, *, user: str) -> bool:
    """Retire a task or unit from ``day`` on (None: follow it again), in one transaction, audited.

    >>> # retire(con, "task", "PL07", date(2026, 4, 1), user="an") -> True; its reports stay in the history
    """
    with storage.transaction(con):
        return tasks_db.set_retired(con, table, key, day, user=user)


def save_report_edits(con: duckdb.DuckDBPyConnection, clean: pd.DataFrame, deleted: Sequence[str], period: str, *,
                      user: str) -> dict[str, int]:
    """Save the report editor: upsert ``clean`` and delete the period's reports of ``deleted`` tasks,
    in one transaction. Reports typed here are submitted on the unit's behalf and count once the focal
    office accepts them (:func:`~pci_metrics.domain.task_status.filed_on_behalf`), as if loaded from the template.

    >>> # save_report_edits(con, clean, ["T05"], "2026-Q1", user="an") -> {"added": 1, ..., "deleted": 1}
    """
    clean = filed_on_behalf(clean, user, pd.Timestamp.now().floor("s"))
    with storage.transaction(con):
        counts = tasks_db.tasks_upsert_reports(con, clean, user=user)
        counts["deleted"] = sum(tasks_db.tasks_delete_report(con, tid, period, user=user) for tid in deleted)
    return counts


# ---------------------------------------------------------------------------
# The editors' frames
# ---------------------------------------------------------------------------

EDITOR_TASK_COLUMNS = ("task_id", "title_vi", "deadline", "product_vi", "authority_vi", "lead", "support")
EDITOR_REPORT_COLUMNS = ("task_id", "unit_key", "status", "progress", "outcome", "evidence")


def task_editor_frame(model: TasksModel) -> pd.DataFrame:
    """The tasks as the editor shows them: deadline, product, authority and unit lists editable."""
    f = model.tasks[list(EDITOR_TASK_COLUMNS)].copy()
    f["deadline"] = pd.to_datetime(pd.Series(f["deadline"], dtype=object)).dt.date
    f["lead"] = [list(x) for x in f["lead"]]
    f["support"] = [list(x) for x in f["support"]]
    return f.reset_index(drop=True)


def _unit_list(value: Any) -> list[str]:
    return sorted(str(u) for u in (value if isinstance(value, list | tuple) else []) or [])


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
        new_d, old_d = as_date(rec.get("deadline")), as_date(old["deadline"])
        if new_d != old_d:
            kw["deadline"] = new_d
            kw["clear_deadline"] = new_d is None
        for col in ("product_vi", "authority_vi"):
            if (cell_text(rec.get(col)) or None) != (cell_text(old[col]) or None):
                kw[col] = cell_text(rec.get(col)) or ""
        for col in ("lead", "support"):
            if _unit_list(rec.get(col)) != _unit_list(old[col]):
                kw[col] = tuple(_unit_list(rec.get(col)))
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
