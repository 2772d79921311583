"""The page list, built from the data: every page file under ``pages/`` in a fixed order."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..i18n import t

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "pages"


def build_pages(lang: str) -> dict[str, list[st.Page]]:
    """Sections of the sidebar, each a list of pages."""
    general = [
        st.Page(str(PAGES / "overview.py"), title=t("nav_overview", lang), icon="🏠", url_path="overview",
                default=True),
    ]
    return {t("nav_general", lang): general}


def page_ids() -> list[str]:
    """The url_path of every page (for tests and benchmarks), without running Streamlit."""
    return ["overview"]
