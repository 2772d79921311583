"""PCI dashboard for phường Hồng Bàng: page config, theme, language, navigation built from the data."""

from __future__ import annotations

import streamlit as st

from pci_metrics.ui.common import friendly_errors, language_switch, presenting, screen_fit, widget_texts
from pci_metrics.ui.navigation import build_pages
from pci_metrics.ui.trust import account_box, guard, nav_position

present = presenting()  # the projector page hides the navigation and the sidebar
st.set_page_config(page_title="PCI Hồng Bàng", page_icon="📊", layout="wide",
                   initial_sidebar_state="collapsed" if present else "auto")
# Everything that may touch the database runs inside one handler: a damaged database, a full disk or
# a bug shows a clear page in the reader's language (and an error id), never a traceback.
with friendly_errors():
    lang = language_switch()
    widget_texts(lang)  # Streamlit's own English widget texts, in our words
    screen_fit()  # narrower margins on projector and laptop screens
    if not present:
        account_box(lang)  # who is signed in
    # expanded: every page the user may open stays listed (by default Streamlit folds a list of more
    # than twelve pages into an English-only "View N more" button)
    page = st.navigation(build_pages(lang), position="hidden" if present else nav_position(), expanded=True)
    st.session_state["nav_page"] = page.url_path  # one file serves every priority page: it reads its code here
    guard(page)  # sign-in when required; pages above the user's role are refused
    page.run()
