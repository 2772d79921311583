"""Streamlit helpers shared by pages: language, theme, cached loading, and the chart block.

Only ``pci_metrics.ui`` imports streamlit. Cached loaders take the database path and the data
stamp (which changes on every commit) as arguments, so an import shows up for every session on
its next rerun without clearing any cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.logger import get_logger
from streamlit.runtime.scriptrunner import RerunException, StopException

from pci_metrics.base import exports
from pci_metrics.base.cells import parse_number
from pci_metrics.base.i18n import t
from pci_metrics.base.paths import ROOT
from pci_metrics.imports import limits
from pci_metrics.outputs.charts import Style
from pci_metrics.store import storage
from pci_metrics.trust import failures, roles

T = TypeVar("T")
LOG = get_logger(__name__)  # the server's log, in Streamlit's format and level


def inside_app() -> None:
    """Make sure a page runs inside app.py (navigation, language switch, role gate), never alone.

    Streamlit 1.67 serves a process's first request (when not started through
    :mod:`pci_metrics.ui.serve`) and every AppTest run in its old "pages/ folder" mode: a deep link
    such as ``/users`` then runs ``pages/users.py`` by itself, without app.py's gate (no supported
    switch exists: see serve.py). Every page calls this first; in that mode it switches the old mode
    off (:func:`pci_metrics.ui.serve.navigation_only`) and runs app.py in its place, in the same run
    (a rerun would lose a clicked button), so app.py's ``st.navigation`` picks this same page by its
    URL. tests/test_startup.py opens ``/users`` as a fresh plain ``streamlit run``'s first request.
    """
    from pci_metrics.ui.serve import navigation_only

    if navigation_only():
        app = ROOT / "app.py"
        exec(compile(app.read_text(encoding="utf-8"), str(app), "exec"),  # noqa: S102 - our own entry point
             {"__name__": "__main__", "__file__": str(app)})
        st.stop()


def lang() -> str:
    """The chosen language (Vietnamese unless the switch says English); kept in the URL."""
    return "en" if st.session_state.get("lang") == "en" else "vi"


# --- view state in the URL: every value a link carries is checked here, once ---

def choice_from_url(raw: str | None, options: Iterable[Any], default: Any) -> tuple[Any, str]:
    """The option a link names (compared as text: ``?wi_year=2019`` names 2019), and ``"ok"``; for
    anything else (an unknown code, a year not offered, ``1e308``) the default and ``"ignored"``.

    >>> choice_from_url("2019", [2019, 2022], 2022), choice_from_url("1e308", [2019, 2022], 2022)
    ((2019, 'ok'), (2022, 'ignored'))
    """
    if raw is None:
        return default, "ok"
    by_text = {str(o): o for o in options}
    return (by_text[raw], "ok") if raw in by_text else (default, "ignored")


def on_scale(value: float, lo: float, hi: float, step: float | None = None) -> float:
    """A finite number kept inside [lo, hi] and on the ``step`` grid (clamped first, so that even
    1e308 never overflows the grid arithmetic).

    >>> on_scale(0.53, -1, 1, 0.05), on_scale(1e308, -6.45, 3.5, 0.05), on_scale(-0.0, -1, 1)
    (0.55, 3.5, 0.0)
    """
    value = min(hi, max(lo, value))
    if step:
        value = min(hi, max(lo, round(round(value / step) * step, 10)))
    return float(value) + 0.0


def number_from_url(raw: str | None, lo: float, hi: float, default: float,
                    step: float | None = None) -> tuple[float, str]:
    """A number from a link (a decimal comma is accepted) on the scale of its widget, and what was
    done: ``"ok"``, ``"clamped"`` (outside [lo, hi]: the nearest end) or ``"ignored"`` (not a finite
    number — text, ``nan``, ``inf``, ``1e999`` — so the default).

    >>> number_from_url("0,53", -1, 1, 0.0, 0.05), number_from_url("9", -1, 1, 0.0), number_from_url("nan", -1, 1, 0.0)
    ((0.55, 'ok'), (1.0, 'clamped'), (0.0, 'ignored'))
    """
    if raw is None:
        return default, "ok"
    number, _how = parse_number(raw)  # the import's own cell parser: one rule for every number typed
    if number is None:
        return default, "ignored"
    return on_scale(number, lo, hi, step), "ok" if lo <= number <= hi else "clamped"


def _tell(key: str, done: str) -> None:
    """A small notice that a link's value for ``key`` was not used as given."""
    if done != "ok":
        st.toast(t(f"error_url_{done}", lang(), name=key), icon=":material/link_off:")


def url_value(key: str, options: Iterable[Any], default: Any) -> None:
    """Seed a widget's state from the URL once (``?key=value``), falling back to ``default``; a state
    that is not one of the options (forged, or left from other data) is replaced the same way.

    We keep the URL ourselves rather than with ``bind="query-params"`` so that URLs hold stable
    codes (``?lang=en&view_composite=table``), not the language-dependent labels shown.
    """
    options = list(options)
    from_link = key not in st.session_state  # a state left from other data is no fault of the link
    if not from_link and any(_same(st.session_state[key], o) for o in options):
        return
    value, done = choice_from_url(st.query_params.get(key), options, default)
    _tell(key, done if from_link else "ok")
    st.session_state[key] = value


def _same(value: object, option: object) -> bool:
    """Equality that never raises (a forged state may be of any type)."""
    try:
        return bool(value == option)
    except Exception:  # noqa: BLE001 - whatever it is, it is not this option
        return False


def url_values(key: str, options: Iterable[Any], default: list[Any]) -> None:
    """Like :func:`url_value` for a list (``?key=a&key=b``): values that are not options are dropped."""
    options = list(options)
    from_link = key not in st.session_state
    held = st.session_state.get(key)
    if isinstance(held, list) and all(any(_same(v, o) for o in options) for v in held):
        return
    picked = [choice_from_url(raw, options, None) for raw in st.query_params.get_all(key)]
    _tell(key, "ignored" if from_link and any(done != "ok" for _, done in picked) else "ok")
    st.session_state[key] = [v for v, done in picked if done == "ok"] or default


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


def url_number(key: str, lo: float, hi: float, default: float, step: float | None = None) -> None:
    """Seed a numeric widget (a slider) from the URL once (``?key=0.5``: :func:`number_from_url`),
    then keep its value inside [lo, hi] and on the ``step`` grid on every run — the bounds may change
    with the data, and a forged state may be anything. Call it before the widget, without ``value=``."""
    if key in st.session_state:
        held, _how = parse_number(st.session_state[key])
        st.session_state[key] = on_scale(default if held is None else held, lo, hi, step)
        return
    value, done = number_from_url(st.query_params.get(key), lo, hi, default, step)
    _tell(key, done)
    st.session_state[key] = value


def sync_url_number(key: str, default: float, decimals: int = 2) -> None:
    """Write a numeric widget's value to the URL as a plain number (``0.5``, ``-1.25``); removed at the default."""
    value = st.session_state.get(key)
    if value is None or round(float(value), decimals) == round(default, decimals):
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = format(round(float(value), decimals) + 0.0, "g")


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
    def run() -> T:
        with storage.connect(db(), read_only=False) as con:
            return fn(con)

    return available(run)


def tell_unavailable(exc: BaseException, lg: str) -> bool:
    """Say on the page that the database is missing (an error) or busy (a warning, it passes);
    False, saying nothing, for any other failure."""
    if isinstance(exc, storage.DatabaseMissing):
        st.error(t("db_missing", lg))
        return True
    if isinstance(exc, storage.DatabaseBusy):
        st.warning(t("db_busy", lg))
        return True
    return False


def available(call: Callable[[], T]) -> T:
    """``call()``, or — when the database is missing or busy — the page says so and stops there."""
    try:
        return call()
    except (storage.DatabaseMissing, storage.DatabaseBusy) as exc:
        tell_unavailable(exc, lang())
        st.stop()
    raise AssertionError("unreachable")


@st.cache_data(show_spinner=False, max_entries=64)
def cached(_fn: Callable[..., Any], fn_name: str, db_path: str, data_stamp: str, *args: Any) -> Any:
    """Cache ``_fn(con, *args)`` per (function name, database, data stamp, arguments)."""
    with storage.connect(db_path, read_only=False) as con:
        return _fn(con, *args)


def load(fn: Callable[..., T], *args: Any) -> T:
    """Load a page model through the cache (keyed by the data stamp)."""
    return available(lambda: cached(fn, f"{fn.__module__}.{fn.__qualname__}", db(), stamp(), *args))  # type: ignore[no-any-return]


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_by_path(_fn: Callable[..., Any], fn_name: str, db_path: str, data_stamp: str, *args: Any) -> Any:
    return _fn(db_path, *args)


def load_by_path(fn: Callable[..., T], *args: Any) -> T:
    """Like :func:`load`, for work that opens the database itself, briefly, and must not hold it
    meanwhile (reading an upload in the limited worker): ``fn(db_path, *args)``, cached per data stamp."""
    return available(lambda: _cached_by_path(fn, f"{fn.__module__}.{fn.__qualname__}", db(), stamp(), *args))  # type: ignore[no-any-return]


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """A displayed table as XLSX bytes; text that looks like a formula stays text."""
    return exports.to_xlsx_bytes(frame, sheet)


def to_csv(frame: pd.DataFrame) -> bytes:
    """A displayed table as UTF-8 CSV with BOM (Excel opens Vietnamese text); formulas neutralised."""
    return exports.to_csv_bytes(frame)


@st.cache_resource(show_spinner=False, max_entries=256, ttl=6 * 3600)
def _files_of(digest: str, _frame: pd.DataFrame) -> tuple[bytes, bytes]:
    return to_csv(_frame), to_xlsx(_frame)


def content_digest(frame: pd.DataFrame) -> str:
    """A digest of a table's cells, index, column names and types (pandas' vectorised row hashes;
    the CSV text for cells pandas cannot hash)."""
    try:
        cells = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:
        cells = to_csv(frame)
    return hashlib.sha256(cells + repr((list(frame.columns), list(frame.dtypes))).encode("utf-8")).hexdigest()


def table_files(frame: pd.DataFrame) -> tuple[bytes, bytes]:
    """A chart's table as CSV and XLSX bytes, handed to the download buttons with the page.

    Not made on the click: a file made on the click (Streamlit's deferred download) is unreferenced
    once made, and two script runs of any session finishing before the browser fetches it delete it —
    on a busy server a third of the downloads answered 404 (17 of 50 at 50 sessions,
    scripts/bench_capacity.py). A file given with the page stays until the session's next run. Both
    files are made once per content (:func:`content_digest`, about a millisecond) and shared."""
    return _files_of(content_digest(frame), frame)  # type: ignore[no-any-return]


PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}
# Plotly's toolbar tooltips are English texts that Plotly looks up in a locale dictionary; Plotly's
# ``config.locales`` carries the dictionary with the figure (no global ``Plotly.register`` needed, which
# Streamlit's bundled Plotly does not expose), and st.plotly_chart passes ``config`` through unchanged.
MODEBAR_KEYS = ("png", "zoom", "pan", "zoom_in", "zoom_out", "autoscale", "reset_axes", "reset", "reset_view",
                "box_select", "lasso_select", "spikes", "hover_closest", "hover_compare", "hover_toggle",
                "zoom_back", "legend_isolate", "fullscreen", "close_fullscreen")


def plotly_config(lg: str) -> dict[str, Any]:
    """The chart toolbar's settings, with its tooltips in the language (Plotly's ``locale``)."""
    if lg == "en":
        return PLOTLY_CONFIG
    words = {t(f"modebar_{k}", "en"): t(f"modebar_{k}", lg) for k in MODEBAR_KEYS}
    return {**PLOTLY_CONFIG, "locale": lg, "locales": {lg: {"dictionary": words}}}


def _css_text(text: str) -> str:
    """Text as a CSS string literal (our own catalogue text; quotes and backslashes escaped anyway)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def widget_texts(lg: str) -> None:
    """Put our words in place of the English texts that Streamlit 1.67 writes into its widgets and
    offers no parameter for: the file uploader's button ("Upload"), its size line ("200MB per file")
    and its drag overlay ("Drag and drop files here"), and a list's "No results". The multiselect's
    bulk option ("Select all", "Select 4 matches") is switched off where it is made (``select_all=False``,
    supported) and its placeholder set with ``placeholder=``. Our own fixed stylesheet, scoped by
    Streamlit's ``data-testid`` attributes: the original text is shrunk to nothing and ours drawn by
    ``::after``. tests/test_vietnamese_browser.py fails if Streamlit changes this markup."""
    up = '[data-testid="stFileUploaderDropzone"]'
    rules = {
        f'{up} button [data-testid="stMarkdownContainer"] p': t("widget_upload", lg),
        '[data-testid="stFileUploaderDropzoneInstructions"] span': t("widget_upload_limit", lg, mb=limits.MAX_BYTES // 1024 // 1024),
        f'{up} > div:not([data-testid]) > span': t("widget_drop_here", lg),
        'div[role="option"][style*="contents"] > span': t("widget_no_results", lg),
    }
    css = "".join(f"{sel}{{font-size:0;}}{sel}::after{{content:{_css_text(text)};font-size:0.875rem;}}"
                  for sel, text in rules.items())
    st.html(f"<style>{css}</style>")
    st.html(f"<script>{streamlit_words_script(lg)}</script>", unsafe_allow_javascript=True, width="content")


# Texts Streamlit writes in English into tooltips and labels it renders itself (the table toolbar's
# "Download as CSV", "Search", "Fullscreen", the chart's "Fullscreen" button, a list's "Clear all"),
# with no parameter to set them. Our own fixed script swaps exactly these whole texts for the
# catalogue's, in the tooltip being shown and in the attributes a tooltip or screen reader reads;
# no other text of the page is touched, and switching back to English swaps them back.
STREAMLIT_WORDS = ("widget_download_csv", "widget_search", "widget_fullscreen", "widget_close_fullscreen",
                   "widget_columns", "widget_clear_all", "widget_choose_option")
_WORDS_JS = """(() => {
  window.__pciWords = %s;
  if (window.__pciWordsObserver) { window.__pciWordsFix(document.body); return; }
  const ATTRS = ['aria-label', 'title', 'data-title', 'placeholder'];
  const TIP = '[data-testid="stTooltipContent"] p';
  const one = e => {
    const w = window.__pciWords;
    for (const a of ATTRS) { const v = e.getAttribute(a); if (v && Object.hasOwn(w, v)) e.setAttribute(a, w[v]); }
    if (e.matches(TIP) && Object.hasOwn(w, e.textContent)) e.textContent = w[e.textContent];
  };
  window.__pciWordsFix = root => {
    if (!root || root.nodeType !== 1) return;
    one(root);
    root.querySelectorAll('[aria-label], [title], [data-title], [placeholder], ' + TIP).forEach(one);
  };
  window.__pciWordsObserver = new MutationObserver(records => records.forEach(r => {
    if (r.type === 'attributes') window.__pciWordsFix(r.target);
    else r.addedNodes.forEach(n => window.__pciWordsFix(n.nodeType === 3 ? n.parentElement : n));
  }));
  window.__pciWordsObserver.observe(document.body,
    {subtree: true, childList: true, characterData: false, attributes: true, attributeFilter: ATTRS});
  window.__pciWordsFix(document.body);
})();"""


def streamlit_words_script(lg: str) -> str:
    """The script that puts the catalogue's words in place of :data:`STREAMLIT_WORDS` (and, in
    English, Streamlit's own words back in place of ours)."""
    other = "en" if lg != "en" else "vi"
    words = {t(k, other): t(k, lg) for k in STREAMLIT_WORDS}
    return _WORDS_JS % json.dumps(words, ensure_ascii=True).replace("<", "\\u003c")


# Streamlit's wide layout keeps 5rem of margin on each side at every width; on a 1024-px projector or
# laptop, beside the 300-px sidebar, that leaves 560 px for the page. Below 1280 px the margins shrink
# to 1.5rem (phones keep Streamlit's own 1rem), so a scorecard, three key figures and a chart's title
# fit without sideways scrolling.
# A key figure's label and value wrap onto a second line rather than end in "…" ("Chưa có số l…").
_METRIC = ", ".join(f"[data-testid='{k}']{sub}" for k in ("stMetricLabel", "stMetricValue") for sub in ("", " *"))
SCREEN_FIT_CSS = ("@media (min-width: 641px) and (max-width: 1280px) { [data-testid='stMain'] "
                  "[data-testid='stMainBlockContainer'] { padding-left: 1.5rem; padding-right: 1.5rem; } }"
                  f"{_METRIC} {{ white-space: normal !important; text-overflow: clip !important; "
                  "overflow: visible !important; }")


def screen_fit() -> None:
    """Our own fixed stylesheet for the page's margins on projector and laptop screens, and key
    figures that wrap instead of being cut short."""
    st.html(f"<style>{SCREEN_FIT_CSS}</style>")


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
        st.dataframe(styled(data, lg), hide_index=True, placeholder="", width="stretch")  # decimal comma in vi
    else:
        st.plotly_chart(fig, theme=None, config=plotly_config(lg), key=f"fig_{key}", width="stretch")
    cols = st.columns([1, 1, 4])
    # the files come with the page (see table_files). on_click="ignore": a click does not rerun the
    # page (with Streamlit's default each click reruns it: 31 stalls in 100 clicks with deferred files)
    csv, xlsx = table_files(data)
    cols[0].download_button(t("download_csv", lg), csv, file_name=f"{file_stem}.csv",
                            mime="text/csv", key=f"csv_{key}", on_click="ignore")
    cols[1].download_button(t("download_xlsx", lg), xlsx, file_name=f"{file_stem}.xlsx",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            key=f"xlsx_{key}", on_click="ignore")
    st.caption(f"{t('source', lg)}: {source}")


# --- who is using the app (sign-in and the page gate: ui/trust.py; who may do what: trust/roles.py) ---

def current_user() -> str:
    """The signed-in user's name (recorded with every write); "guest" when nobody signed in."""
    return str(st.session_state.get("user_name") or "guest")


def current_role() -> str:
    """The signed-in user's role: viewer, analyst or admin; "viewer" when nobody signed in
    (set by ``ui.trust`` at sign-in; AppTests set ``st.session_state["role"]`` directly)."""
    return roles.known(st.session_state.get("role"))


def has_role(role: str) -> bool:
    """True when the current user has at least ``role``."""
    return roles.allows(current_role(), role)


def may_open(page: str | None) -> bool:
    """True when the current user may open a page (by its url_path)."""
    return roles.may_open(current_role(), page)


def require_role(role: str) -> None:
    """Stop the page with a clear message unless the user has at least ``role``."""
    if not has_role(role):
        lg = lang()
        st.error(t("trust_refused", lg, role=t(f"trust_role_{role}", lg),
                   current=t(f"trust_role_{current_role()}", lg)))
        st.stop()


# --- presentation mode ---
PRESENT_URL = "present"


def presenting() -> bool:
    """True when this run shows the presentation page, so that app.py hides the navigation and the
    sidebar before ``st.navigation`` runs. The page this run is *going to* (a link to /present, a
    rerun on it, or ``st.switch_page`` away from it) is the script run's intended page; the URL
    (``st.context.url``) is the fallback. False when no browser is attached (AppTest, scripts)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        from streamlit.util import calc_hash

        ctx = get_script_run_ctx()
        pm = ctx.pages_manager if ctx is not None else None
        if pm is not None and pm.intended_page_script_hash:
            return bool(pm.intended_page_script_hash == calc_hash(PRESENT_URL))
        if pm is not None and pm.intended_page_name:
            return bool(pm.intended_page_name.strip("/") == PRESENT_URL)
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context, or Streamlit internals moved
        return False
    return url.rstrip("/").endswith("/" + PRESENT_URL)


@st.cache_resource(show_spinner=False, max_entries=8)
def _shared(_fn: Callable[..., Any], fn_name: str, db_path: str, data_stamp: str, *args: Any) -> Any:
    with storage.connect(db_path, read_only=False) as con:
        return _fn(con, *args)


def load_shared(fn: Callable[..., T], *args: Any) -> T:
    """Like :func:`load`, but the result is shared between sessions without copying (no pickling):
    for large read-only models such as the slide deck, where a copy per rerun would cost
    hundreds of milliseconds. Callers must not change the object they get."""
    return available(lambda: _shared(fn, f"{fn.__module__}.{fn.__qualname__}", db(), stamp(), *args))  # type: ignore[no-any-return]


# --- leadership pages: figures built once, tables in the language's number format ---
@st.cache_resource(show_spinner=False, max_entries=256, ttl=6 * 3600)  # bounded: old data stamps age out
def _view(_build: Callable[[], Any], key: tuple[Any, ...], db_path: str, data_stamp: str) -> Any:
    return _build()


def cached_view(build: Callable[[], T], *key: Any) -> T:
    """Build something a page shows (a figure, a display table) once per (key, language, theme,
    data stamp) and share it between reruns and sessions without copying. ``key`` must name
    everything it shows besides the data, the language and the theme. Callers must not change it."""
    s = style()
    return _view(build, (*key, lang(), s.dark, s.projector), db(), stamp())  # type: ignore[no-any-return]


class _FrozenFigure(go.Figure):
    """A figure that nobody changes any more: ``to_dict`` (called by st.plotly_chart on every rerun,
    a deep copy of ~5 ms) returns the dict computed once."""

    def to_dict(self) -> dict[str, Any]:
        frozen = self.__dict__.get("_frozen_dict")
        if frozen is None:
            frozen = super().to_dict()
            self.__dict__["_frozen_dict"] = frozen
        return dict(frozen)


def _freeze(fig: go.Figure) -> go.Figure:
    frozen = _FrozenFigure()
    frozen.__dict__.update(fig.__dict__)  # same traces and layout, no copy or validation
    frozen.to_dict()
    return frozen


def cached_figure(build: Callable[[], go.Figure], *key: Any) -> go.Figure:
    """A figure through :func:`cached_view`: building a Plotly figure costs ~50–100 ms; reusing the
    cached one costs ~1 ms (its dict is computed once, see ``_FrozenFigure``)."""
    return cached_view(lambda: _freeze(build()), "figure", *key)


def styled(frame: pd.DataFrame, lg: str | None = None) -> Any:
    """A table for st.dataframe with decimal numbers in the language's format (74,84 in Vietnamese)
    and unknowns written as "Chưa có số liệu"; the data itself (and downloads) stay numeric."""
    lg = lg or lang()
    floats = [c for c in frame.columns if str(frame[c].dtype).lower().startswith("float")]
    if not floats:
        return frame
    decimal, thousands = (",", ".") if lg == "vi" else (".", ",")
    return frame.style.format(subset=floats, precision=2, decimal=decimal, thousands=thousands,
                              na_rep=t("no_data", lg))


_MD_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:&"


def plain_md(text: object) -> str:
    """User text made literal inside Markdown-rendering elements (caption, markdown, title, metric
    labels): every Markdown/HTML special character is backslash-escaped, so ``**x**``,
    ``[a](javascript:…)`` or ``<b>`` show as typed."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))


def arrow(frame: pd.DataFrame) -> Any:
    """A DataFrame as an Arrow table for st.dataframe/st.table. Build it inside :func:`cached_view`:
    Streamlit converts a DataFrame on every rerun (~5 ms a table), a ready Arrow table costs ~0.2 ms."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


# --- failures: the browser never shows a traceback (app.py runs every page inside friendly_errors) ---

def show_failure(exc: Exception) -> None:
    """Say what went wrong, in the reader's language, without a traceback or a server path: how to
    restore a damaged database, that the disk is full, that the database is missing or busy; for
    anything else (a bug) a friendly page with a short error id. The id goes to the server log with
    the full traceback, so that an administrator can find the one the user reports."""
    lg, error_id = lang(), secrets.token_hex(4)
    kind = failures.kind_of(exc)
    if kind is None:
        LOG.error("error id %s on page %s", error_id, st.session_state.get("nav_page"), exc_info=exc)
        st.error(t("error_unexpected", lg, id=error_id), icon=":material/error:")
        return
    LOG.warning("error id %s (%s) on page %s: %s", error_id, kind, st.session_state.get("nav_page"), exc)
    if isinstance(exc, storage.DatabaseCorrupt):  # a folder too: the file to restore is the same
        st.error(t("error_db_corrupt", lg) + ".", icon=":material/database:")
        st.caption(t("error_db_corrupt_who", lg))
        st.code(failures.restore_command(lg), language="bash")
    elif not tell_unavailable(exc, lg):
        text = failures.message(exc, lg) or ""
        st.error(text[:1].upper() + text[1:] + ("" if text.endswith(".") else "."))
    st.caption(t("error_id", lg, id=error_id))


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """Run a block (app.py: the language switch, the account box, the navigation and the page) so
    that an exception ends in :func:`show_failure`. Streamlit's own control flow — ``st.rerun``,
    ``st.stop``, ``st.switch_page`` raise RerunException/StopException — passes through untouched."""
    try:
        yield
    except (RerunException, StopException):
        raise
    except Exception as exc:  # noqa: BLE001 - shown as a clear message, logged with its id
        show_failure(exc)
