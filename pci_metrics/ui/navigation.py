"""The page list, built from the data: fixed pages that exist under ``pages/`` plus one page per
prioritized sub-index of the plan (adding a priority to the data adds a page, no code change)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..i18n import t

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "pages"

# (section key, file, url_path, title key, icon); a page is listed only once its file exists.
FIXED: list[tuple[str, str, str, str, str]] = [
    ("nav_general", "overview.py", "overview", "nav_overview", "🏠"),
]


def _fixed(lang: str) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for section, file, url, title, icon in FIXED:
        if (PAGES / file).exists():
            sections.setdefault(t(section, lang), []).append(
                st.Page(str(PAGES / file), title=t(title, lang), icon=icon, url_path=url,
                        default=url == "overview"))
    return sections


def build_pages(lang: str) -> dict[str, list[st.Page]]:
    """Sections of the sidebar, each a list of pages."""
    return _fixed(lang)


def page_ids() -> list[str]:
    """The url_path of every page (for tests and benchmarks), without running Streamlit."""
    return [url for _, file, url, _, _ in FIXED if (PAGES / file).exists()]
