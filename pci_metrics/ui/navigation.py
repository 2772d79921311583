"""The page list, built from the data: fixed pages that exist under ``pages/`` plus one page per
prioritized sub-index of the plan (adding a priority to the data adds a page, no code change)."""

from __future__ import annotations

import csv

import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.base.paths import PAGES_DIR, SEED_DIR
from pci_metrics.store import reference_db, storage
from pci_metrics.ui.common import cached_view, load, may_open

PAGES = PAGES_DIR

# (section key, file, url_path, title key, icon); a page is listed only once its file exists. Material
# icons: Streamlit serves their font itself (emoji need a font the ward's PCs may not have).
FIXED: list[tuple[str, str, str, str, str]] = [
    ("nav_general", "overview.py", "overview", "nav_overview", ":material/home:"),
    ("nav_general", "compare.py", "compare", "leadership_nav_compare", ":material/compare_arrows:"),
    ("nav_general", "provinces.py", "provinces", "provinces_nav_table", ":material/table_view:"),
    ("nav_general", "province.py", "province", "provinces_nav_profile", ":material/location_city:"),
    ("nav_general", "present.py", "present", "slides_nav", ":material/slideshow:"),
    ("tasks_nav_section", "tasks.py", "tasks", "tasks_nav_tasks", ":material/checklist:"),
    ("tasks_nav_section", "unit_reports.py", "units", "units_nav", ":material/assignment_turned_in:"),
    ("tasks_nav_section", "service.py", "service", "tasks_nav_service", ":material/account_balance:"),
    ("whatif_nav_section", "whatif.py", "whatif", "whatif_nav_title", ":material/track_changes:"),
    ("nav_data", "import.py", "import", "ingest_nav", ":material/upload_file:"),
    ("trust_nav_section", "signin.py", "signin", "trust_nav_signin", ":material/login:"),
    ("trust_nav_section", "users.py", "users", "trust_nav_users", ":material/group:"),
    ("trust_nav_section", "audit.py", "audit", "trust_nav_audit", ":material/history:"),
]



def _fixed(lang: str) -> dict[str, list[st.Page]]:
    """The fixed pages by section; a page above the user's role (``trust.roles.PAGES``) is hidden
    from the list, and app.py's gate (``ui.trust.guard``) refuses it when its URL is opened."""
    sections: dict[str, list[st.Page]] = {}
    for section, file, url, title, icon in FIXED:
        if (PAGES / file).exists():
            sections.setdefault(t(section, lang), []).append(
                st.Page(str(PAGES / file), title=t(title, lang), icon=icon, url_path=url,
                        default=url == "overview",
                        visibility="visible" if may_open(url) else "hidden"))
    return sections


def _priority_pages(lang: str) -> list[st.Page]:
    """One page per prioritized sub-index of the plan, all served by pages/priority.py (which reads
    its code from ``st.session_state["nav_page"]``, set in app.py)."""
    fixed = {url for _, _, url, _, _ in FIXED}
    specs = cached_view(lambda: [(str(code), str(vi), str(en)) for code, vi, en in
                                 load(reference_db.load_priorities)[["code", "name_vi", "name_en"]].itertuples(index=False)
                                 if str(code) not in fixed], "nav-priorities")
    return [st.Page(str(PAGES / "priority.py"), title=en if lang == "en" else vi, icon=":material/flag:", url_path=code)
            for code, vi, en in specs]


def build_pages(lang: str) -> dict[str, list[st.Page]]:
    """Sections of the sidebar, each a list of pages: general first, then the priorities."""
    fixed = _fixed(lang)
    general = t("nav_general", lang)
    out = {general: fixed.pop(general)} if general in fixed else {}
    prios = _priority_pages(lang) if (PAGES / "priority.py").exists() else []
    if prios:
        out[t("nav_priorities", lang)] = prios
    out.update(fixed)
    return out


def priority_codes(db: str | None = None) -> list[str]:
    """Codes of the prioritized sub-indices: from the database, or from the seed before it is built."""
    path = storage.db_path(db)
    if path.exists():
        with storage.connect(path) as con:
            return [str(c) for c in reference_db.load_priorities(con)["code"]]
    with open(SEED_DIR / "plan_priorities.csv", encoding="utf-8") as f:
        return [row["code"] for row in sorted(csv.DictReader(f), key=lambda r: int(r["sort_order"]))]


def page_ids() -> list[str]:
    """The url_path of every page (for tests and benchmarks), without running Streamlit."""
    fixed = [url for _, file, url, _, _ in FIXED if (PAGES / file).exists()]
    prios = priority_codes() if (PAGES / "priority.py").exists() else []
    return fixed + [c for c in prios if c not in fixed]
