"""Tasks: who does what by when, status by period, overdue tasks, missing reports, editing, reports."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from pci_metrics.base.i18n import t, tn
from pci_metrics.domain import periods as period_rules
from pci_metrics.domain import task_status as status_rules
from pci_metrics.imports import task_reports
from pci_metrics.outputs import charts, reports, task_tables
from pci_metrics.ui.appendix import catalogue_tab
from pci_metrics.ui.common import (
    cached_figure,
    cached_view,
    chart_block,
    current_user,
    db,
    has_role,
    inside_app,
    lang,
    load,
    style,
    sync_url,
    url_value,
    with_db,
)
from pci_metrics.views import tasks

inside_app()  # never run without app.py's navigation and role gate

ICONS = {"success": ":material/task_alt:", "info": ":material/info:", "warning": ":material/warning:"}
# Inputs.
lg = lang()
sty = style()
today = date.fromisoformat(st.session_state.get("tasks_today") or date.today().isoformat())
base = load(tasks.tasks_model, None, today.isoformat())
url_value("tasks_period", base.periods, base.period)
st.title(t("tasks_title", lg))
st.caption(t("tasks_caption", lg))
if st.session_state.get("tasks_flash"):
    st.success(st.session_state.pop("tasks_flash"))
units = task_tables.unit_names(base.units, lg)
codes = {str(r.code): str(r.name_en if lg == "en" else r.name_vi) for r in base.priorities.itertuples()}
c1, c2, c3, c4 = st.columns(4)
period = c1.selectbox(t("tasks_f_period", lg), base.periods, key="tasks_period",
                      format_func=lambda p: period_rules.period_label(p, lg))
for key in ("tasks_unit", "tasks_code", "tasks_status"):
    url_value(key, [""] + list({"tasks_unit": units, "tasks_code": [*codes, "none"],
                                "tasks_status": status_rules.ALL_STATUSES}[key]), "")
unit = c2.selectbox(t("tasks_f_unit", lg), ["", *units], key="tasks_unit",
                    format_func=lambda u: units.get(u, t("tasks_f_all", lg)))
code = c3.selectbox(t("tasks_f_subindex", lg), ["", *codes, "none"], key="tasks_code",
                    format_func=lambda c: codes.get(c, t("tasks_f_none", lg) if c == "none" else t("tasks_f_all", lg)))
status = c4.selectbox(t("tasks_f_status", lg), ["", *status_rules.ALL_STATUSES], key="tasks_status",
                      format_func=lambda s: status_rules.status_label(s, lg) if s else t("tasks_f_all", lg))
for key in ("tasks_period", "tasks_unit", "tasks_code", "tasks_status"):
    sync_url(key, base.period if key == "tasks_period" else "")
# Data.
m = base if period == base.period else load(tasks.tasks_model, period, today.isoformat())
shown = tasks.filter_tasks(m.tasks, unit=unit or None, code=code or None, status=status or None)
plabel = period_rules.period_label(m.period, lg)
# Render.
for col, r in zip(st.columns(5), status_rules.count_statuses(shown).itertuples(), strict=True):  # as filtered
    col.metric(status_rules.status_label(r.status, lg), str(r.n))
kind, summary = task_tables.alert_summary(m, lg)  # one box, not one per line
getattr(st, kind)(summary, icon=ICONS[kind])
if not m.overdue.empty:
    with st.expander(tn("tasks_overdue_head", lg, len(m.overdue)), expanded=True):
        st.dataframe(task_tables.task_table(m.overdue, lg), hide_index=True, placeholder="")
with st.expander(t("tasks_rule_head", lg)):
    st.write(t("tasks_rule", lg))

tabs = st.tabs([t(k, lg) for k in ("tasks_tab_list", "tasks_tab_matrix", "tasks_tab_calendar", "tasks_tab_history",
                                    "tasks_tab_reports", "units_tab_catalogue", "tasks_tab_edit")])
with tabs[0]:
    st.caption(t("tasks_shown", lg, n=len(shown), total=len(m.tasks)))
    progress = t("tasks_col_progress", lg)
    st.dataframe(task_tables.task_table(shown, lg), hide_index=True, placeholder="",
                 column_config={progress: st.column_config.ProgressColumn(progress, min_value=0, max_value=100,
                                                                          format="%.0f%%")})
    labels, series = cached_view(lambda: task_tables.status_by_subindex(m, lg), "tasks-by-sub", m.period, today)
    fig = cached_figure(lambda: charts.stacked_bars_figure(
        labels, series, lang=lg, style=sty, x_title=t("tasks_col_count", lg),
        title=t("tasks_chart_by_subindex", lg, period=plabel)), "tasks-by-sub", m.period, today)
    chart_block(fig, pd.DataFrame({"": labels, **{n: v for n, v in series}}), key="tasks_by_subindex",
                source=t("tasks_source", lg), file_stem=f"nhiem-vu-theo-chi-so-{m.period}")
    labels, series = cached_view(lambda: task_tables.status_by_unit(m, lg), "tasks-by-unit", m.period, today)
    fig = cached_figure(lambda: charts.stacked_bars_figure(
        labels, series, lang=lg, style=sty, x_title=t("tasks_col_count", lg),
        title=t("tasks_chart_by_unit", lg, period=plabel)), "tasks-by-unit", m.period, today)
    chart_block(fig, pd.DataFrame({"": labels, **{n: v for n, v in series}}), key="tasks_by_unit",
                source=t("tasks_source", lg), file_stem=f"nhiem-vu-theo-don-vi-{m.period}")
with tabs[1]:
    st.dataframe(task_tables.matrix_table(m, lg), hide_index=True, placeholder="")
with tabs[2]:
    st.dataframe(task_tables.calendar_table(m, lg), hide_index=True, placeholder="")
    st.dataframe(task_tables.missing_table(m, lg), hide_index=True, placeholder="")
with tabs[3]:
    if m.history.empty:
        st.info(t("tasks_history_empty", lg))
    else:
        pick = st.selectbox(t("tasks_history_task", lg), ["", *m.tasks["task_id"]], key="tasks_history_task",
                            format_func=lambda x: x or t("tasks_f_all", lg))
        st.dataframe(task_tables.history_table(m, lg, pick or None), hide_index=True, placeholder="")
with tabs[4]:
    st.write(t("tasks_reports_intro", lg, period=plabel))
    issuer = st.radio(t("tasks_issuer", lg), list(reports.ISSUERS), key="tasks_issuer", horizontal=True,
                      format_func=lambda i: t(f"tasks_issuer_{i}", lg))
    d1, d2 = st.columns(2)
    d1.download_button(t("tasks_dl_docx", lg), key="tasks_dl_docx", file_name=reports.file_name(m.period, "docx", lg),
                       data=lambda: reports.render(db(), m.period, "docx", lang=lg, today=today, issuer=issuer),
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", on_click="ignore")
    d2.download_button(t("tasks_dl_xlsx", lg), key="tasks_dl_xlsx", file_name=reports.file_name(m.period, "xlsx", lg),
                       data=lambda: reports.render(db(), m.period, "xlsx", lang=lg, today=today),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
with tabs[5]:
    catalogue_tab(m, lg, units, codes, today)
with tabs[6]:
    if not has_role("analyst"):
        st.info(t("tasks_edit_viewer", lg))
        st.stop()
    st.subheader(t("tasks_edit_tasks_head", lg))
    original = tasks.task_editor_frame(m)
    unit_opts = list(units)
    edited = st.data_editor(original, key="tasks_edit_tasks", hide_index=True, placeholder="", disabled=["task_id", "title_vi"],
                            column_config={
                                "task_id": t("tasks_col_task_id", lg), "title_vi": t("tasks_col_title", lg),
                                "deadline": st.column_config.DateColumn(t("tasks_col_deadline", lg), format="DD/MM/YYYY"),
                                "product_vi": t("tasks_col_product", lg), "authority_vi": t("tasks_col_authority", lg),
                                "lead": st.column_config.MultiselectColumn(t("tasks_col_lead", lg), options=unit_opts,
                                                                           format_func=units.get),
                                "support": st.column_config.MultiselectColumn(t("tasks_col_support", lg),
                                                                              options=unit_opts, format_func=units.get)})
    if st.button(t("tasks_save", lg), key="tasks_save_tasks"):
        edits = tasks.edits_from_editor(original, edited)
        n = with_db(lambda con: tasks.save_task_edits(con, edits, user=current_user())) if edits else 0
        st.session_state["tasks_flash"] = t("tasks_saved_tasks", lg, n=n) if n else t("tasks_nothing_changed", lg)
        st.session_state.pop("tasks_edit_tasks", None)
        st.rerun()
    st.subheader(t("tasks_edit_reports_head", lg, period=plabel))
    st.caption(t("tasks_edit_reports_help", lg))
    rep_original = tasks.report_editor_frame(m)
    rep_edited = st.data_editor(rep_original, key="tasks_edit_reports", hide_index=True, placeholder="", num_rows="dynamic",
                                column_config={
                                    "task_id": st.column_config.SelectboxColumn(t("tasks_col_task_id", lg),
                                                                                options=list(m.tasks["task_id"])),
                                    "unit_key": st.column_config.SelectboxColumn(t("tasks_col_unit", lg), options=unit_opts,
                                                                                 format_func=units.get),
                                    "status": st.column_config.SelectboxColumn(
                                        t("tasks_col_status", lg), options=list(status_rules.REPORTED_STATUSES),
                                        format_func=lambda s: status_rules.status_label(s, lg)),
                                    "progress": st.column_config.NumberColumn(t("tasks_col_progress", lg), min_value=0,
                                                                              max_value=100),
                                    "outcome": t("tasks_col_outcome", lg), "evidence": t("tasks_col_evidence", lg)})
    if st.button(t("tasks_save", lg), key="tasks_save_reports"):
        rows, deleted = tasks.report_changes(rep_original, rep_edited, m.period)
        clean, problems = task_reports.validate_task_reports(rows, tasks=m.tasks, units=m.units,
                                                             task_units=m.task_units, sheet=t("tasks_editor_sheet", lg),
                                                             years=m.years, first_row=1)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            st.error(t("tasks_not_saved", lg))
            st.dataframe(pd.DataFrame({"": [p.message(lg) for p in problems]}), hide_index=True, placeholder="",
                         key="tasks_problems")
        else:
            c = with_db(lambda con: tasks.save_report_edits(con, clean, deleted, m.period, user=current_user()))
            st.session_state["tasks_flash"] = t("tasks_saved_reports", lg, **c)
            st.session_state.pop("tasks_edit_reports", None)
            st.rerun()
