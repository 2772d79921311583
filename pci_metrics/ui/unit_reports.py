"""The unit reports page's forms: a unit files and submits its reports (with evidence files), the
focal office accepts or returns them, and everyone downloads the evidence they may read (as a file,
never shown as a page). Every step goes through :mod:`pci_metrics.views.unit_reports`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.domain import task_status as status_rules
from pci_metrics.imports.evidence import EvidenceRefused, check_evidence
from pci_metrics.outputs.task_tables import fmt_task_date
from pci_metrics.store import unit_reports_db
from pci_metrics.ui.common import with_db
from pci_metrics.views import unit_reports as ur
from pci_metrics.views.unit_reports import Actor, UnitPage


def _run(step: Callable[[Any], None], lg: str, done: str) -> None:
    """One step of a report's life; its refusal in words, or a flash and a rerun."""
    try:
        with_db(step)
    except ur.ReportRefused as exc:
        st.error(exc.message(lg))
        if exc.problems:
            st.dataframe(pd.DataFrame({"": [p.message(lg) for p in exc.problems]}), hide_index=True, placeholder="")
        return
    st.session_state["units_flash"] = t(done, lg)
    st.rerun()


def file_form(actor: Actor, page: UnitPage, lg: str) -> None:
    """The unit's form: a task it may still file, its status, progress, outcome, evidence text and files."""
    open_tasks = [r.task_id for r in page.tasks.itertuples()
                  if actor.may("file", page.unit_key, None if pd.isna(r.state) else str(r.state))]
    if not open_tasks:
        return
    titles = dict(zip(page.tasks["task_id"], page.tasks["title_vi"], strict=True))
    with st.form("units_file_form", clear_on_submit=True):
        st.subheader(t("units_file_head", lg))
        task = st.selectbox(t("tasks_col_task_id", lg), open_tasks, key="units_file_task",
                            format_func=lambda k: f"{k} – {str(titles[k])[:80]}")
        status = st.selectbox(t("tasks_col_status", lg), list(status_rules.REPORTED_STATUSES), key="units_file_status",
                              format_func=lambda s: status_rules.status_label(s, lg))
        progress = st.number_input(t("tasks_col_progress", lg), 0, 100, value=None, key="units_file_progress")
        outcome = st.text_area(t("tasks_col_outcome", lg), key="units_file_outcome")
        evidence = st.text_area(t("tasks_col_evidence", lg), key="units_file_evidence", max_chars=2000)
        uploads = st.file_uploader(t("units_file_files", lg), accept_multiple_files=True, key="units_file_uploads")
        saved = st.form_submit_button(t("units_save_draft", lg), type="primary")
    if not saved:
        return
    try:
        files = [check_evidence(u.name, u.getvalue()) for u in uploads or []]
    except EvidenceRefused as exc:
        st.error(exc.message(lg))
        return
    values = {"status": status, "progress": progress, "outcome": outcome or None, "evidence": evidence or None}
    _run(lambda con: ur.save_draft(con, actor, task, page.period, page.unit_key, values, files), lg, "units_saved_draft")


def submit_buttons(actor: Actor, page: UnitPage, lg: str) -> None:
    """One button per draft or returned report the unit may submit."""
    for r in page.tasks.itertuples():
        state = None if pd.isna(r.state) else str(r.state)
        if state is not None and actor.may("submit", page.unit_key, state):
            if st.button(t("units_submit", lg, task=r.task_id), key=f"units_submit_{r.task_id}"):
                _run(lambda con, tid=r.task_id: ur.submit(con, actor, tid, page.period), lg, "units_submitted")


def review_forms(actor: Actor, pending: pd.DataFrame, period: str, unit_names: dict[str, str], lg: str) -> None:
    """The focal office's queue: each submitted report with accept, and return with a comment."""
    st.subheader(t("units_review_head", lg))
    if pending.empty:
        st.caption(t("units_review_none", lg))
        return
    for r in pending.itertuples():
        with st.container(border=True):
            st.markdown(f"**{r.task_id}** – {r.title_vi}")
            st.text(t("units_review_line", lg, unit=unit_names.get(str(r.unit_key), str(r.unit_key)),
                      status=status_rules.status_label(str(r.status), lg),
                      progress="—" if pd.isna(r.progress) else f"{float(r.progress):.0f}%",
                      outcome=r.outcome if isinstance(r.outcome, str) else "—"))
            comment = st.text_input(t("units_review_comment", lg), key=f"units_comment_{r.task_id}")
            c1, c2 = st.columns(2)
            if c1.button(t("units_accept", lg), key=f"units_accept_{r.task_id}", type="primary"):
                _run(lambda con, tid=r.task_id: ur.review(con, actor, tid, period, accept=True), lg, "units_accepted")
            if c2.button(t("units_return", lg), key=f"units_return_{r.task_id}"):
                _run(lambda con, tid=r.task_id, c=comment: ur.review(con, actor, tid, period, accept=False, comment=c),
                     lg, "units_returned")


def evidence_downloads(files: pd.DataFrame, lg: str) -> None:
    """Each evidence file as a download with its checked type (a browser saves it, never renders it)."""
    for r in files.itertuples():
        st.download_button(t("units_download", lg, task=r.task_id, name=r.file_name), key=f"units_dl_{r.file_id}",
                           data=lambda fid=int(r.file_id): with_db(lambda con: unit_reports_db.file_content(con, fid)),
                           file_name=str(r.file_name), mime=str(r.media_type), on_click="ignore")


def owes_table(page: UnitPage, lg: str, today: Any) -> pd.DataFrame:
    """What the unit owes this period, for people: task, role, deadline, report state, comment, late."""
    states = [t("units_not_yet", lg) if pd.isna(s) else ur.report_state_label(str(s), lg) for s in page.tasks["state"]]
    late = [status_rules.report_late(None if pd.isna(s) else str(s), page.due, today) for s in page.tasks["state"]]
    return pd.DataFrame({
        t("tasks_col_task_id", lg): page.tasks["task_id"],
        t("tasks_col_title", lg): page.tasks["title_en" if lg == "en" else "title_vi"].fillna(page.tasks["title_vi"]),
        t("units_col_role", lg): [t(f"tasks_role_{r}", lg) for r in page.tasks["role"]],
        t("tasks_col_deadline", lg): [fmt_task_date(d, lg) for d in page.tasks["deadline"]],
        t("units_col_state", lg): states,
        t("units_col_comment", lg): page.tasks["review_comment"].fillna(""),
        t("units_col_late", lg): [t("units_yes" if x else "units_no", lg) for x in late]})
