"""Users (administrators): accounts and roles, and whether browsing needs a sign-in."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.trust import auth, roles
from pci_metrics.ui.common import current_user, inside_app, lang, load, require_role, with_db
from pci_metrics.ui.members import members_section
from pci_metrics.ui.trust import role_label

inside_app()  # never run without app.py's navigation and role gate

require_role("admin")
# Inputs.
lg = lang()
me = current_user()
st.title(t("trust_users_title", lg))
st.caption(t("trust_users_caption", lg))
# Data.
users = load(auth.list_users)
required = load(auth.login_required)
# Render.
st.dataframe(pd.DataFrame({
    t("trust_user_name", lg): [u.user_name for u in users],
    t("trust_display_name", lg): [u.display_name for u in users],
    t("trust_role", lg): [role_label(u.role, lg) for u in users],
    t("trust_active", lg): [t("trust_yes" if u.active else "trust_no", lg) for u in users],
}), hide_index=True, placeholder="", width="stretch", key="users_table")


def run_write(write) -> bool:  # type: ignore[no-untyped-def]
    """Do one user change; show the reason when it is refused."""
    try:
        with_db(write)
    except auth.AuthError as exc:
        st.error(exc.message(lg))
        return False
    st.success(t("trust_saved", lg))
    return True


left, right = st.columns(2)
with left.form("users_add", clear_on_submit=True):
    st.subheader(t("trust_add_user", lg))
    name = st.text_input(t("trust_user_name", lg), key="users_add_name")
    display = st.text_input(t("trust_display_name", lg), key="users_add_display")
    role = st.selectbox(t("trust_role", lg), list(roles.ROLES), index=1, key="users_add_role",
                        format_func=lambda r: role_label(r, lg))
    password = st.text_input(t("trust_password", lg), type="password", key="users_add_password",
                             autocomplete="new-password")
    if st.form_submit_button(t("trust_add_user", lg), type="primary"):
        run_write(lambda con: auth.add_user(con, name, role, password, by=me, display_name=display))

right.subheader(t("trust_edit_user", lg))
who = right.selectbox(t("trust_user_name", lg), [u.user_name for u in users], key="users_edit_name")
current = next((u for u in users if u.user_name == who), None)
with right.form(f"users_edit_{who}", clear_on_submit=True):  # one form per user: its current values
    new_role = st.selectbox(t("trust_role", lg), list(roles.ROLES), key=f"users_edit_role_{who}",
                            index=roles.ROLES.index(current.role) if current else 0,
                            format_func=lambda r: role_label(r, lg))
    active = st.checkbox(t("trust_active", lg), value=current.active if current else True,
                         key=f"users_edit_active_{who}")
    new_password = st.text_input(t("trust_new_password", lg), type="password", key=f"users_edit_password_{who}",
                                 autocomplete="new-password")
    if st.form_submit_button(t("trust_apply", lg)) and current is not None:
        def edit(con):  # type: ignore[no-untyped-def]
            if new_role != current.role:
                auth.set_role(con, who, new_role, by=me)
            if active != current.active:
                auth.set_active(con, who, active, by=me)
            if new_password:
                auth.set_password(con, who, new_password, by=me)
        run_write(edit)

st.divider()
members_section([u.user_name for u in users], lg)

st.divider()
env = auth.login_required_override()
want = st.toggle(t("trust_require_login", lg), value=required, key="users_require_login", disabled=env is not None)
if env is not None:
    st.caption(t("trust_require_login_env", lg, value=env))
elif want != required:
    run_write(lambda con: auth.set_login_required(con, want, by=me))
