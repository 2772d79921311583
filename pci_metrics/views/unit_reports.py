"""A unit's task report, through its life: the unit files a draft (with evidence text and files) and
submits it (then it is locked for the unit); the focal office accepts it or returns it with a
comment; a returned report goes back to the unit, which corrects and submits it again. Only
accepted reports feed the status rule, the Tasks page, the quarterly report and the slides.

Who may do what is asked of :func:`pci_metrics.trust.roles.may_on_report` (the one policy); every
step is one transaction and one audit line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.i18n import t
from pci_metrics.base.problems import Problem
from pci_metrics.domain.periods import plan_years
from pci_metrics.imports.evidence import Evidence
from pci_metrics.imports.task_reports import validate_task_reports
from pci_metrics.store import reference_db, storage, tasks_db, unit_reports_db
from pci_metrics.trust.roles import REPORT_STATES, UNIT_ROLES, may_on_report

__all__ = ["REPORT_STATES", "Actor", "ReportRefused", "UnitPage"]
from pci_metrics.views.tasks import tasks_model


@dataclass(frozen=True)
class Actor:
    """Who acts: the user, their global role, their units (unit_key -> unit role) and the focal units."""

    user_name: str
    role: str
    memberships: dict[str, str] = field(default_factory=dict)
    focal_units: frozenset[str] = frozenset()

    def may(self, action: str, unit_key: str | None, state: str | None) -> bool:
        """The one policy, asked for this user."""
        return may_on_report(self.role, self.memberships, action, unit_key, state, self.focal_units)

    @property
    def is_focal(self) -> bool:
        """True for a member of the focal office (it reviews every unit's reports)."""
        return any(u in self.memberships for u in self.focal_units)


class ReportRefused(Exception):
    """A step the user may not take, or a report with problems; the reason in both languages."""

    def __init__(self, key: str, problems: Sequence[Problem] = (), **kw: Any) -> None:
        super().__init__(t(key, "en", **kw))
        self.key, self.kw, self.problems = key, kw, list(problems)

    def message(self, lang: str = "vi") -> str:
        """The reason, in the user's language."""
        return t(self.key, lang, **self.kw)


def actor_of(con: duckdb.DuckDBPyConnection, user_name: str, role: str) -> Actor:
    """The acting user with their memberships, read from the store.

    Example: a reporter of Phòng VH-XH → ``Actor("lan", "viewer", {"vh_xh": "reporter"}, {"kt_ht_dt"})``.
    """
    members = unit_reports_db.load_memberships(con, user_name)
    units = tasks_db.load_units(con)
    return Actor(user_name, role, dict(zip(members["unit_key"], members["unit_role"], strict=True)),
                 frozenset(str(u) for u in units.loc[units["is_focal"].astype(bool), "unit_key"]))


def _state(report: dict[str, Any] | None) -> str | None:
    return None if report is None else str(report.get("state") or "accepted")


def _unit_of(report: dict[str, Any] | None, unit_key: str | None) -> str | None:
    return unit_key if report is None or not report.get("unit_key") else str(report["unit_key"])


def _check_draft(con: duckdb.DuckDBPyConnection, task_id: str, period: str, values: dict[str, Any]) -> dict[str, Any]:
    """A draft's fields checked by the same rules as the template's "Báo cáo nhiệm vụ" rows."""
    years = plan_years(reference_db.load_plan(con))
    row = pd.DataFrame([{"task_id": task_id, "period": period, **values}], dtype=object)
    # the form has no sheet: the message names it in both languages, as the command line does
    sheet = f"{t('units_form_sheet', 'vi')} / {t('units_form_sheet', 'en')}"
    clean, problems = validate_task_reports(row, tasks=tasks_db.load_tasks(con), units=tasks_db.load_units(con),
                                            task_units=tasks_db.load_task_units(con), sheet=sheet,
                                            years=years or None, first_row=1)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ReportRefused("units_err_report_problems", errors)
    rec = clean.iloc[0].to_dict()
    return {k: (None if pd.isna(rec[k]) else rec[k]) for k in ("unit_key", "status", "progress", "outcome", "evidence")}


def save_draft(con: duckdb.DuckDBPyConnection, actor: Actor, task_id: str, period: str, unit_key: str,
               values: dict[str, Any], files: Sequence[Evidence] = ()) -> None:
    """File or change a unit's draft (status, progress, outcome, evidence text) and keep its evidence
    files; refused once submitted, and for a unit not assigned to the task.

    Example: ``save_draft(con, lan, "T14", "2026-Q1", "vh_xh", {"status": "dang_thuc_hien", "progress": 40})``.
    """
    with storage.transaction(con):
        report = unit_reports_db.load_report(con, task_id, period)
        unit = _unit_of(report, unit_key)
        if not actor.may("file", unit, _state(report)) or (report is not None and unit != unit_key):
            raise ReportRefused("units_err_file", state=_state(report) or "")
        links = tasks_db.load_task_units(con)
        if unit_key not in set(links.loc[links["task_id"] == task_id, "unit_key"]):
            raise ReportRefused("units_err_not_assigned", task=task_id)
        fields = _check_draft(con, task_id, period, {**values, "unit_key": unit_key})
        unit_reports_db.write_report(con, task_id, period, {**fields, "state": "draft", "on_behalf": False},
                                     user=actor.user_name, action="task_report.draft")
        for f in files:
            unit_reports_db.add_file(con, task_id, period, f.file_name, f.media_type, f.content, f.sha256,
                                     user=actor.user_name)


def submit(con: duckdb.DuckDBPyConnection, actor: Actor, task_id: str, period: str) -> None:
    """Submit a unit's draft (or its corrected returned report) to the focal office; it is then locked."""
    with storage.transaction(con):
        report = unit_reports_db.load_report(con, task_id, period)
        if report is None or not actor.may("submit", _unit_of(report, None), _state(report)):
            raise ReportRefused("units_err_submit", state=_state(report) or "")
        unit_reports_db.write_report(con, task_id, period, {
            "state": "submitted", "submitted_by": actor.user_name, "submitted_at": _now()},
            user=actor.user_name, action="task_report.submit")


def review(con: duckdb.DuckDBPyConnection, actor: Actor, task_id: str, period: str, *, accept: bool,
           comment: str = "") -> None:
    """The focal office accepts a submitted report, or returns it with a comment (required)."""
    with storage.transaction(con):
        report = unit_reports_db.load_report(con, task_id, period)
        if report is None or not actor.may("review", _unit_of(report, None), _state(report)):
            raise ReportRefused("units_err_review", state=_state(report) or "")
        if not accept and not comment.strip():
            raise ReportRefused("units_err_comment")
        unit_reports_db.write_report(con, task_id, period, {
            "state": "accepted" if accept else "returned", "reviewed_by": actor.user_name, "reviewed_at": _now(),
            "review_comment": comment.strip() or None},
            user=actor.user_name, action="task_report.accept" if accept else "task_report.return")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def readable_reports(con: duckdb.DuckDBPyConnection, actor: Actor, period: str | None = None) -> pd.DataFrame:
    """The task reports (any state) this user may read, of one period or all, with their titles.

    Example: a viewer gets only accepted reports; a unit's reporter also its own unit's drafts.
    """
    reports = tasks_db.load_task_reports(con)
    if period is not None:
        reports = reports[reports["period"] == period]
    states = reports["state"].fillna("accepted").astype(str)
    keep = pd.Series([actor.may("read", None if pd.isna(u) else str(u), s)
                      for u, s in zip(reports["unit_key"], states, strict=True)], index=reports.index, dtype=bool)
    out = reports[keep].assign(state=states[keep])
    titles = tasks_db.load_tasks(con)[["task_id", "title_vi", "title_en"]]
    return out.merge(titles, on="task_id", how="left").reset_index(drop=True)


def report_state_label(state: str, lang: str = "vi") -> str:
    """A report's state in words.

    >>> report_state_label("returned"), report_state_label("submitted", "en")
    ('Bị trả lại', 'Submitted')
    """
    return t(f"units_state_{state}", lang) if state in REPORT_STATES else state


def set_membership(con: duckdb.DuckDBPyConnection, actor: Actor, user_name: str, unit_key: str,
                   unit_role: str | None) -> bool:
    """An admin adds, changes or ends (None) a user's membership of a unit; one transaction, audited."""
    if not actor.may("manage_members", unit_key, None):
        raise ReportRefused("units_err_members")
    with storage.transaction(con):
        if unit_key not in set(tasks_db.load_units(con)["unit_key"]):
            raise ReportRefused("units_err_unknown_unit", unit=unit_key)
        if unit_role is not None and unit_role not in UNIT_ROLES:
            raise ReportRefused("units_err_unit_role", role=unit_role)
        return unit_reports_db.set_membership(con, user_name, unit_key, unit_role, by=actor.user_name)


@dataclass
class UnitPage:
    """What one unit owes in one period: its tasks (lead or support) still due, each with its report's
    state, and the evidence files kept with them."""

    unit_key: str
    period: str
    due: Any
    tasks: pd.DataFrame  # task_id, title_vi, title_en, role, deadline, state, status, progress, outcome, evidence, review_comment
    files: pd.DataFrame


def unit_page(con: duckdb.DuckDBPyConnection, actor: Actor, unit_key: str, period: str, today: Any) -> UnitPage:
    """A unit's tasks for a period with their reports as this user may read them.

    Example: Phòng VH-XH, 2026-Q1 → T14 (lead), state "—" until a draft is filed.
    """
    model = tasks_model(con, period, today=today)
    links = model.task_units[model.task_units["unit_key"] == unit_key][["task_id", "role"]]
    mine = links.merge(model.tasks[["task_id", "title_vi", "title_en", "deadline"]], on="task_id")
    reports = readable_reports(con, actor, period)
    cols = ["task_id", "state", "status", "progress", "outcome", "evidence", "review_comment", "unit_key"]
    mine = mine.merge(reports[cols].rename(columns={"unit_key": "report_unit"}), on="task_id", how="left")
    files = unit_reports_db.load_files(con)
    files = files[(files["period"] == period) & files["task_id"].isin(mine["task_id"])]
    return UnitPage(unit_key, period, model.due, mine.reset_index(drop=True), files.reset_index(drop=True))


def to_review(con: duckdb.DuckDBPyConnection, actor: Actor, period: str) -> pd.DataFrame:
    """The submitted reports of a period the focal office has to accept or return (empty for others)."""
    if not actor.is_focal:
        return pd.DataFrame(columns=["task_id", "unit_key", "status", "progress", "outcome", "evidence"])
    reports = readable_reports(con, actor, period)
    return reports[reports["state"] == "submitted"].reset_index(drop=True)
