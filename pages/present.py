"""Trình chiếu: the deck on a projector — one slide per screen, large type, no sidebar or menus,
→/←/PageDown/PageUp (what presenter clickers send), the slide number in the URL (?slide=3), Esc
back to the dashboard, and the handouts (PDF, HTML) to download."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from pci_metrics.base.i18n import t
from pci_metrics.outputs import handout, slides
from pci_metrics.ui.common import db, inside_app, lang, load_shared, plotly_config, sync_url, url_value

inside_app()  # never run without app.py's navigation and role gate

CSS = Path(__file__).with_name("present.css")


def step(delta: int, total: int) -> None:
    """Move by ``delta`` slides (a button callback, so the new slide renders in the same rerun)."""
    st.session_state["slide"] = min(max(int(st.session_state.get("slide", 1)) + delta, 1), total)


def jump(to: int) -> None:
    st.session_state["slide"] = to


# Inputs.
lg = lang()
st.html(CSS)  # our own static stylesheet: large type, high contrast, no sidebar/toolbar/menu
with st.spinner(t("slides_loading", lg)):  # built once per data change and language, then shared
    deck = load_shared(slides.deck, lg, slides.db_changed_at(db()), date.today())
total = len(deck.slides)
if not total:
    st.title(t("slides_nav", lg))
    st.info(t("slides_no_slides", lg))
    st.stop()
url_value("slide", list(range(1, total + 1)), 1)
sync_url("slide", 1)
n = int(st.session_state["slide"])
slide = deck.slides[n - 1]

# Render: the slide.
with st.container(key="slide_head", horizontal=True, vertical_alignment="bottom"):
    st.title(slides.md_escape(slide.title), anchor=False, width="stretch")
    st.markdown(" · ".join(x for x in (slides.md_escape(slide.subtitle), t("slides_counter", lg, n=n, total=total))
                           if x), width="content")
if slide.figures:
    with st.container(key="slide_figures", horizontal=True):
        for i, f in enumerate(slide.figures):
            with st.container(key=f"fig_{slide.slide_id}_{i}", border=True):
                st.markdown(slides.md_escape(f.label))
                st.markdown(f"**{slides.md_escape(f.value)}**")
                if f.note:
                    st.markdown(slides.md_escape(f.note))
body = st.container(key=f"slide_body_{'chart' if slide.chart is not None else 'text'}", horizontal=True)
with body:
    if slide.chart is not None:
        with st.container(key="slide_chart"):
            st.plotly_chart(slide.chart, theme=None, config=plotly_config(lg), key=f"chart_{slide.slide_id}_{lg}",
                            width="stretch", height="stretch")
    if slide.bullets:
        with st.container(key="slide_bullets"):
            st.markdown("\n".join(f"- {slides.md_escape(b)}" for b in slide.bullets))
if slide.source:
    with st.container(key="slide_source"):
        st.markdown(slides.md_escape(slide.source))

# Render: the controls (hidden ones carry the extra keys clickers and keyboards send).
with st.container(key="slide_nav", horizontal=True, vertical_alignment="center"):
    st.button("", key="slide_prev", icon=":material/arrow_back:", shortcut="Left", help=t("slides_prev", lg),
              on_click=step, args=(-1, total), disabled=n == 1)
    st.button("", key="slide_next", icon=":material/arrow_forward:", shortcut="Right", help=t("slides_next", lg),
              on_click=step, args=(1, total), disabled=n == total)
    st.button("PgUp", key="slide_pgup", shortcut="PageUp", on_click=step, args=(-1, total))
    st.button("PgDn", key="slide_pgdn", shortcut="PageDown", on_click=step, args=(1, total))
    st.button("Home", key="slide_home", shortcut="Home", on_click=jump, args=(1,))
    st.button("End", key="slide_end", shortcut="End", on_click=jump, args=(total,))
    exit_ = st.button(t("slides_exit", lg), key="slide_exit", icon=":material/close:", shortcut="Esc",
                      help=t("slides_exit_help", lg))
    if handout.pdf_available():  # the PDF needs Playwright and Chromium on the server
        st.download_button("PDF", lambda: handout.deck_pdf(deck), key="slide_pdf", help=t("slides_download_pdf", lg),
                           file_name=handout.file_name(deck, "pdf"), mime="application/pdf",
                           icon=":material/download:", on_click="ignore")
    st.download_button("HTML", lambda: handout.deck_html(deck).encode("utf-8"), key="slide_html",
                       help=t("slides_download_html", lg), file_name=handout.file_name(deck, "html"),
                       mime="text/html", icon=":material/download:", on_click="ignore")
    st.markdown(deck.footer, width="stretch")
if exit_:
    st.session_state.pop("slide", None)
    st.query_params.pop("slide", None)
    st.switch_page("pages/overview.py")
