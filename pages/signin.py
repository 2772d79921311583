"""Sign in, or (when signed in) the account: who you are, what you may do, change password."""

from __future__ import annotations

import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.ui.common import current_role, inside_app, lang, plain_md
from pci_metrics.ui.trust import (
    MUST_CHANGE,
    change_password_form,
    forced_password_change,
    role_label,
    sign_in_form,
    sign_out,
    signed_in,
)

inside_app()  # never run without app.py's navigation and role gate

# Inputs.
lg = lang()
role = current_role()
# Render.
if not signed_in():
    st.title(t("trust_signin_title", lg))
    st.caption(t("trust_signin_caption", lg))
    sign_in_form(lg, key="trust_signin")
    st.subheader(t("trust_your_rights", lg))
    st.caption(f"{role_label('viewer', lg)}: {t('trust_rights_viewer', lg)}")
    st.stop()

st.title(t("trust_account_title", lg))
name = st.session_state.get("display_name") or st.session_state.get("user_name", "")
st.caption(plain_md(t("trust_signed_in_as", lg, name=name, role=role_label(role, lg))))
st.subheader(t("trust_your_rights", lg))
st.caption(t(f"trust_rights_{role}", lg))
if st.session_state.get(MUST_CHANGE):
    forced_password_change(lg)
else:
    with st.expander(t("trust_change_password", lg)):
        change_password_form(lg, key="trust_passwd")
if st.button(t("trust_sign_out", lg), key="trust_signout_page"):
    sign_out()
    st.rerun()
