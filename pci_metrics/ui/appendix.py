"""The Tasks page's catalogue tab: the plan's tasks and units as data. Analysts add or change a task
or a unit (checked and saved exactly like a row of the template's "Nhiệm vụ" / "Đơn vị" sheets, as
an undoable import batch) and retire a task or follow it again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.base.problems import InputError
from pci_metrics.imports import forms
from pci_metrics.imports.appendix import SERVICE_INDEX
from pci_metrics.imports.display import problems_frame
from pci_metrics.outputs import task_tables
from pci_metrics.ui.common import current_user, db, has_role, with_db
from pci_metrics.views import tasks
from pci_metrics.views.tasks import TasksModel


def _save(kind: str, values: dict[str, Any], lg: str, flash: str) -> None:
    """Save one form as an import batch; show every problem, or flash the outcome and rerun."""
    try:
        outcome = forms.save_form(db(), kind, values, user=current_user())
    except InputError as exc:
        st.error(t("tasks_not_saved", lg))
        st.dataframe(problems_frame(exc.problems, lg), hide_index=True, placeholder="", key=f"units_problems_{kind}")
        return
    st.session_state["tasks_flash"] = f"{t(flash, lg)} {outcome.message(lg)}"
    st.rerun()


def _task_form(m: TasksModel, lg: str, units: dict[str, str], codes: dict[str, str]) -> None:
    first, last = date(min(m.years), 1, 1), date(max(m.years), 12, 31)
    subs = {**codes, SERVICE_INDEX: t("units_service_index", lg)}
    with st.form("units_task_form", clear_on_submit=False):
        st.caption(t("units_task_form_help", lg))
        c1, c2 = st.columns([1, 3])
        code = c1.text_input(t("tasks_col_task_id", lg), key="units_task_id")
        title = c2.text_area(t("tasks_col_title", lg), key="units_task_title", height=80)
        sub = st.selectbox(t("tasks_col_subindex", lg), ["", *subs], key="units_task_sub",
                           format_func=lambda c: subs.get(c, "—"))
        lead = st.multiselect(t("tasks_col_lead", lg), list(units), key="units_task_lead", format_func=units.get)
        support = st.multiselect(t("tasks_col_support", lg), list(units), key="units_task_support",
                                 format_func=units.get)
        deadline = st.date_input(t("tasks_col_deadline", lg), value=None, min_value=first, max_value=last,
                                 format="DD/MM/YYYY", key="units_task_deadline")
        product = st.text_input(t("tasks_col_product", lg), key="units_task_product")
        authority = st.text_input(t("tasks_col_authority", lg), key="units_task_authority")
        source = st.text_input(t("ingest_field_source", lg), key="units_task_source")
        submitted = st.form_submit_button(t("units_save_task", lg))
    if submitted:
        _save("appendix_tasks", {"task_id": code, "title_vi": title, "subindex": sub or None, "lead": "; ".join(lead),
                                 "support": "; ".join(support), "deadline": deadline, "product_vi": product,
                                 "authority_vi": authority, "source": source}, lg, "units_saved_task")


def _unit_form(lg: str) -> None:
    with st.form("units_unit_form"):
        st.caption(t("units_unit_form_help", lg))
        name = st.text_input(t("ingest_field_name_vi", lg), key="units_unit_name")
        short = st.text_input(t("ingest_field_short_vi", lg), key="units_unit_short")
        name_en = st.text_input(t("ingest_field_name_en", lg), key="units_unit_name_en")
        submitted = st.form_submit_button(t("units_save_unit", lg))
    if submitted:
        _save("units", {"name_vi": name, "short_vi": short, "name_en": name_en}, lg, "units_saved_unit")


def _retire_form(m: TasksModel, lg: str, today: date) -> None:
    every = pd.concat([m.tasks, m.retired], ignore_index=True) if not m.retired.empty else m.tasks
    table = st.radio(t("units_retire_what", lg), ["task", "unit"], horizontal=True, key="units_retire_what",
                     format_func=lambda x: t(f"units_retire_{x}_kind", lg))
    titles = dict(zip(every["task_id"].astype(str), every["title_vi"].astype(str), strict=True)) if table == "task" \
        else dict(zip(m.units["unit_key"].astype(str), m.units["name_vi"].astype(str), strict=True))
    c1, c2 = st.columns([3, 1])
    task_id = c1.selectbox(t("units_retire_task", lg), list(titles), key="units_retire_task",
                           format_func=lambda k: f"{k} – {titles[k][:80]}")
    day = c2.date_input(t("units_retire_from", lg), value=today, format="DD/MM/YYYY", key="units_retire_day")
    b1, b2 = st.columns(2)
    act: Callable[[date | None], bool] = lambda d: with_db(  # noqa: E731 - one call, two buttons
        lambda con: tasks.retire(con, table, task_id, d, user=current_user()))
    if b1.button(t("units_retire", lg), key="units_retire_btn"):
        st.session_state["tasks_flash"] = t("units_retired" if act(day) else "tasks_nothing_changed", lg, task=task_id)
        st.rerun()
    if b2.button(t("units_reinstate", lg), key="units_reinstate_btn"):
        st.session_state["tasks_flash"] = t("units_reinstated" if act(None) else "tasks_nothing_changed", lg,
                                            task=task_id)
        st.rerun()


def catalogue_tab(m: TasksModel, lg: str, units: dict[str, str], codes: dict[str, str], today: date) -> None:
    """Every task (where it comes from, when retired); for analysts the forms that change the catalogue."""
    st.caption(t("units_catalogue_help", lg))
    st.dataframe(task_tables.catalogue_table(m, lg), hide_index=True, placeholder="", key="units_catalogue")
    if not has_role("analyst"):
        st.info(t("tasks_edit_viewer", lg))
        return
    with st.expander(t("units_task_form_head", lg)):
        _task_form(m, lg, units, codes)
    with st.expander(t("units_unit_form_head", lg)):
        _unit_form(lg)
    with st.expander(t("units_retire_head", lg)):
        _retire_form(m, lg, today)
