"""The Users page's unit members section: who belongs to which unit, with which unit role; an admin
adds, changes or removes a membership (one transaction, one audit line each)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.store import tasks_db, unit_reports_db
from pci_metrics.trust.roles import UNIT_ROLES
from pci_metrics.ui.common import current_role, current_user, load, with_db
from pci_metrics.views import unit_reports as ur


def members_section(user_names: list[str], lg: str) -> None:
    """The memberships table and the form that changes one."""
    st.subheader(t("units_members_head", lg))
    st.caption(t("units_members_help", lg))
    members = load(unit_reports_db.load_memberships)
    units = load(tasks_db.load_units)
    names = dict(zip(units["unit_key"], units["name_en" if lg == "en" else "name_vi"], strict=True))
    st.dataframe(pd.DataFrame({
        t("units_member_user", lg): members["user_name"],
        t("units_f_unit", lg): [names.get(u, u) for u in members["unit_key"]],
        t("units_member_role", lg): [t(f"units_role_{r}", lg) for r in members["unit_role"]]}),
        hide_index=True, placeholder="", key="users_members")
    with st.form("users_members_form"):
        c1, c2, c3 = st.columns(3)
        who = c1.selectbox(t("units_member_user", lg), user_names, key="users_member_user")
        unit = c2.selectbox(t("units_f_unit", lg), list(names), key="users_member_unit", format_func=names.get)
        role = c3.selectbox(t("units_member_role", lg), [*UNIT_ROLES, ""], key="users_member_role",
                            format_func=lambda r: t(f"units_role_{r}", lg) if r else t("units_member_none", lg))
        if st.form_submit_button(t("units_member_apply", lg)):
            actor = ur.Actor(current_user(), current_role())
            try:
                with_db(lambda con: ur.set_membership(con, actor, who, unit, role or None))
            except ur.ReportRefused as exc:
                st.error(exc.message(lg))
            else:
                st.success(t("units_member_saved", lg))
