"""Unit reports: what a unit owes this period, filing and submitting its reports with evidence, the
focal office's review queue, every unit's reporting with a reminder text, and the deadline calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.domain import periods as period_rules
from pci_metrics.outputs.calendar_ics import ics_bytes
from pci_metrics.ui.common import current_role, current_user, has_role, inside_app, lang, load, with_db
from pci_metrics.ui.unit_reports import evidence_downloads, file_form, owes_table, review_forms, submit_buttons
from pci_metrics.views import tasks, unit_due
from pci_metrics.views import unit_reports as ur

inside_app()  # never run without app.py's navigation and role gate

# Inputs.
lg = lang()
today = date.fromisoformat(st.session_state.get("tasks_today") or date.today().isoformat())
actor = load(ur.actor_of, current_user(), current_role())
base = load(tasks.tasks_model, None, today.isoformat())
names = dict(zip(base.units["unit_key"], base.units["name_en" if lg == "en" else "name_vi"], strict=True))
st.title(t("units_title", lg))
st.caption(t("units_caption", lg))
if st.session_state.get("units_flash"):
    st.success(st.session_state.pop("units_flash"))
sees_all = actor.is_focal or has_role("analyst")
choices = list(names) if sees_all else [u for u in names if u in actor.memberships]
c1, c2 = st.columns(2)
period = c1.selectbox(t("tasks_f_period", lg), base.periods, index=base.periods.index(base.period), key="units_period",
                      format_func=lambda p: period_rules.period_label(p, lg))
unit = c2.selectbox(t("units_f_unit", lg), choices, key="units_unit", format_func=names.get) if choices else None
# Data.
page = load(ur.unit_page, actor, unit, period, today.isoformat()) if unit else None
pending = load(ur.to_review, actor, period)
overview = load(unit_due.due_overview, period, today.isoformat(), lg) if sees_all else None
# Render.
if page is None:
    st.info(t("units_no_unit", lg))
else:
    st.subheader(t("units_owes_head", lg, period=period_rules.period_label(period, lg),
                   due=page.due.strftime("%d/%m/%Y") if lg == "vi" else page.due.isoformat()))
    st.dataframe(owes_table(page, lg, today), hide_index=True, placeholder="", key="units_owes")
    for r in page.tasks[page.tasks["state"] == "returned"].itertuples():  # the focal office's words, in full
        st.warning(t("units_returned_note", lg, task=r.task_id, comment=r.review_comment), icon=":material/undo:")
    submit_buttons(actor, page, lg)
    file_form(actor, page, lg)
    evidence_downloads(page.files, lg)
if actor.is_focal:
    review_forms(actor, pending, period, names, lg)
if overview is not None:
    st.subheader(t("units_overview_head", lg))
    table = overview.table.assign(unit_key=[names.get(u, u) for u in overview.table["unit_key"]])
    st.dataframe(table.rename(columns={"unit_key": t("units_col_unit", lg), "none": t("units_not_yet", lg),
                                       **{s: ur.report_state_label(s, lg) for s in ur.REPORT_STATES}}),
                 hide_index=True, placeholder="", key="units_overview")
    st.markdown(f"**{t('units_remind_head_ui', lg)}**")
    texts = [x for x in overview.reminders.values() if x]
    for text in texts:
        st.code(text, language=None, wrap_lines=True)  # the copy button is one click
    if not texts:
        st.caption(t("units_remind_none", lg))
st.download_button(t("units_ics_download", lg), key="units_ics", file_name="han-bao-cao-pci.ics", mime="text/calendar",
                   data=lambda: ics_bytes(with_db(lambda con: unit_due.deadlines(con, today.isoformat(), lg)),
                                          name=t("units_ics_name", lg), now=datetime.now(UTC)),
                   on_click="ignore")

