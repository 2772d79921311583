"""Streamlit helpers shared by pages: language, theme, cached loading, and the chart block.

Only ``pci_metrics.ui`` imports streamlit. Cached loaders take the database path and the data
stamp (which changes on every commit) as arguments, so an import shows up for every session on
its next rerun without clearing any cache.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .. import storage
from ..charts import Style
from ..i18n import t

T = TypeVar("T")


def lang() -> str:
    """The chosen language (Vietnamese unless the switch says English); kept in the URL."""
    return "en" if st.session_state.get("lang") == "en" else "vi"


def url_value(key: str, options: list[Any], default: Any) -> None:
    """Seed a widget's state from the URL once (``?key=value``), falling back to ``default``.

    We keep the URL ourselves rather than with ``bind="query-params"`` so that URLs hold stable
    codes (``?lang=en&view_composite=table``), not the language-dependent labels shown.
    """
    if key in st.session_state and st.session_state[key] in options:
        return
    raw = st.query_params.get(key)
    by_text = {str(o): o for o in options}
    st.session_state[key] = by_text.get(str(raw), default) if raw is not None else default


def url_values(key: str, options: list[Any], default: list[Any]) -> None:
    """Like :func:`url_value` for a list (``?key=a&key=b``)."""
    if key in st.session_state:
        return
    raw = st.query_params.get_all(key)
    by_text = {str(o): o for o in options}
    picked = [by_text[r] for r in raw if r in by_text]
    st.session_state[key] = picked or default


def sync_url(key: str, default: Any) -> None:
    """Write a widget's current value to the URL (removed when it equals the default)."""
    value = st.session_state.get(key)
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif isinstance(value, list | tuple):
        st.query_params[key] = [str(v) for v in value]
    else:
        st.query_params[key] = str(value)


def language_switch() -> str:
    """The sidebar switch between Tiếng Việt and English (kept in the URL as ``?lang=``)."""
    url_value("lang", ["vi", "en"], "vi")
    st.sidebar.segmented_control(
        "Ngôn ngữ / Language", options=["vi", "en"], key="lang",
        format_func=lambda o: "Tiếng Việt" if o == "vi" else "English", required=True)
    sync_url("lang", "vi")
    return lang()


def style(projector: bool = False) -> Style:
    """Chart style following the active theme (light or dark)."""
    dark = False
    try:
        dark = st.context.theme.type == "dark"
    except Exception:  # noqa: BLE001 - no browser context (AppTest, scripts): light theme
        dark = False
    return Style(dark=dark, projector=projector)


def db() -> str:
    """The database path of this server (``PCI_DB_PATH`` or the default)."""
    return str(storage.db_path())


def stamp() -> str:
    """The current data stamp (cheap: file metadata only)."""
    return storage.data_stamp(db())


def with_db(fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run a read against the database, showing a clear message when it is missing or busy."""
    try:
        with storage.connect(db(), read_only=False) as con:
            return fn(con)
    except storage.DatabaseMissing:
        st.error(t("db_missing", lang()))
        st.stop()
    except storage.DatabaseBusy:
        st.warning(t("db_busy", lang()))
        st.stop()
    raise AssertionError("unreachable")


@st.cache_data(show_spinner=False, max_entries=64)
def cached(_fn: Callable[..., Any], fn_name: str, db_path: str, data_stamp: str, *args: Any) -> Any:
    """Cache ``_fn(con, *args)`` per (function name, database, data stamp, arguments)."""
    with storage.connect(db_path, read_only=False) as con:
        return _fn(con, *args)


def load(fn: Callable[..., T], *args: Any) -> T:
    """Load a page model through the cache (keyed by the data stamp)."""
    try:
        return cached(fn, f"{fn.__module__}.{fn.__qualname__}", db(), stamp(), *args)  # type: ignore[no-any-return]
    except storage.DatabaseMissing:
        st.error(t("db_missing", lang()))
        st.stop()
    except storage.DatabaseBusy:
        st.warning(t("db_busy", lang()))
        st.stop()
    raise AssertionError("unreachable")


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """A DataFrame as XLSX bytes; text cells that look like formulas are written as inert text."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or str(safe[col].dtype).startswith("str"):
            safe[col] = safe[col].map(lambda v: "'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


def to_csv(frame: pd.DataFrame) -> bytes:
    """A DataFrame as UTF-8 CSV with BOM (Excel opens Vietnamese text correctly); formulas neutralised."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or str(safe[col].dtype).startswith("str"):
            safe[col] = safe[col].map(lambda v: "'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v)
    return safe.to_csv(index=False).encode("utf-8-sig")


PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def chart_block(fig: go.Figure, data: pd.DataFrame, *, key: str, source: str, file_stem: str) -> None:
    """A chart with the grapher's tools: chart/table switch (in the URL), CSV/XLSX downloads,
    a PNG download (the camera button on the chart), and the source line under it."""
    lg = lang()
    view_key = f"view_{key}"
    url_value(view_key, ["chart", "table"], "chart")
    st.segmented_control(t("view_as", lg), options=["chart", "table"], key=view_key,
                         format_func=lambda o: t(o, lg), required=True, label_visibility="collapsed")
    sync_url(view_key, "chart")
    if st.session_state.get(view_key) == "table":
        st.dataframe(data, hide_index=True, width="stretch")
    else:
        st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=f"fig_{key}", width="stretch")
    cols = st.columns([1, 1, 4])
    # deferred: the files are generated only when someone clicks (keeps reruns fast)
    cols[0].download_button(t("download_csv", lg), lambda: to_csv(data), file_name=f"{file_stem}.csv",
                            mime="text/csv", key=f"csv_{key}")
    cols[1].download_button(t("download_xlsx", lg), lambda: to_xlsx(data), file_name=f"{file_stem}.xlsx",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            key=f"xlsx_{key}")
    st.caption(f"{t('source', lg)}: {source}")


# --- who is using the app (issue 8 replaces this with real sign-in and roles) ---
ROLE_ORDER = {"viewer": 0, "analyst": 1, "admin": 2}


def current_user() -> str:
    """The signed-in user's name (recorded with every write)."""
    return str(st.session_state.get("user_name", "chuyen-vien"))


def current_role() -> str:
    """The signed-in user's role: viewer, analyst or admin."""
    return str(st.session_state.get("role", "analyst"))


def has_role(role: str) -> bool:
    """True when the current user has at least ``role``."""
    return ROLE_ORDER.get(current_role(), 0) >= ROLE_ORDER[role]


def require_role(role: str) -> None:
    """Stop the page with a clear message unless the user has at least ``role``."""
    if not has_role(role):
        st.error("Trang này dành cho chuyên viên / This page is for analysts"
                 if lang() == "vi" else "This page is for analysts")
        st.stop()
