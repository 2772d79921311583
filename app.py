"""PCI dashboard for phường Hồng Bàng: page config, theme, language, navigation built from the data."""

from __future__ import annotations

import streamlit as st

from pci_metrics.ui.common import language_switch
from pci_metrics.ui.navigation import build_pages

st.set_page_config(page_title="PCI Hồng Bàng", page_icon="📊", layout="wide")
lang = language_switch()
st.navigation(build_pages(lang), position="sidebar").run()
