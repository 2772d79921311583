"""Handouts of the deck: a PDF with one slide per page, and one self-contained HTML file whose
charts stay interactive with no network.

Both print the data date and the deck's filters on every page. The PDF is laid out as an HTML
print page (one ``<section>`` per slide, each exactly one A4 landscape page) with every chart as
a PNG rendered by kaleido, then printed by Debian's Chromium through Playwright's ``page.pdf()``.
The HTML file embeds plotly.js once, inline, then one ``<div>`` per chart.

Images come from :mod:`pci_metrics.outputs.chart_images` (drawn once per data stamp and figure) and
:func:`pci_metrics.outputs.charts.figure_png`: kaleido's sync server, started once per
process (``mathjax=False``) and guarded by one process-wide lock because it is not thread-safe and
Streamlit runs each session in a thread. Playwright's sync API refuses to run inside an asyncio
loop, so the print runs in a worker thread of its own.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from pci_metrics.base.i18n import t
from pci_metrics.outputs import chart_images
from pci_metrics.outputs.slides import Deck, Slide

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# chart image in the PDF: CSS pixels of the figure (fonts keep their projector size, so they stay
# legible once the image is scaled to the page) and the pixel density of the PNG
PNG_WIDTH, PNG_HEIGHT, PNG_SCALE = 1100, 640, 1.5
PLOTLY_HTML_CONFIG = {"displaylogo": False, "responsive": True,
                      "toImageButtonOptions": {"format": "png", "scale": 2}}

def figure_png(fig: go.Figure, width: int = PNG_WIDTH, height: int = PNG_HEIGHT, scale: float = PNG_SCALE,
               stamp: str = "") -> bytes:
    """A slide's chart as PNG bytes at the handout's size, drawn once per data stamp
    (:mod:`pci_metrics.outputs.chart_images`: one kaleido server and one lock for every export)."""
    return chart_images.png(fig, width=width, height=height, scale=scale, stamp=stamp)


def file_name(deck: Deck, ext: str) -> str:
    """The download name of a handout.

    >>> from pci_metrics.outputs.slides import Deck
    >>> file_name(Deck("vi", [], "", "", 2024, None, []), "pdf")
    'trinh-chieu-pci-2024-vi.pdf'
    """
    return f"trinh-chieu-pci-{deck.data_year or 'na'}-{deck.lang}.{ext}"


# ---------------------------------------------------------------------------
# One layout for both handouts
# ---------------------------------------------------------------------------

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #1A1A1A;
       background: #FFFFFF; }
section.slide { display: flex; flex-direction: column; gap: 3mm; padding: 0; }
.kicker { font-size: 13pt; font-weight: bold; color: #333; margin: 0; }
h1 { font-size: 22pt; margin: 0; line-height: 1.15; }
.figures { display: flex; gap: 4mm; flex-wrap: wrap; }
.figure { border: 1.5px solid #1A1A1A; border-radius: 2mm; padding: 2mm 4mm; min-width: 45mm; }
.figure .label { font-size: 11pt; } .figure .value { font-size: 18pt; font-weight: bold; }
.figure .note { font-size: 10pt; color: #333; }
.body { display: flex; gap: 5mm; flex: 1 1 auto; min-height: 0; }
.chart { flex: 3 1 0; min-width: 0; order: -1; } .chart img { width: 100%; height: 100%; object-fit: contain; }
.bullets { flex: 2 1 0; font-size: 13pt; margin: 0; padding-left: 6mm; }
.bullets li { margin-bottom: 2mm; }
.body.text-only .bullets { font-size: 15pt; }
.source { font-size: 9.5pt; color: #333; margin: 0; }
footer { font-size: 9.5pt; border-top: 1px solid #1A1A1A; padding-top: 1.5mm; display: flex;
         justify-content: space-between; gap: 4mm; }
"""
PRINT_CSS = """
@page { size: A4 landscape; margin: 10mm 12mm; }
section.slide { height: 188mm; overflow: hidden; }
section.slide:not(:last-of-type) { break-after: page; }
"""
SCREEN_CSS = """
body { background: #EDEDED; }
main { max-width: 1200px; margin: 0 auto; padding: 16px; }
header.deck { padding: 8px 0 16px; } header.deck p { margin: 4px 0; }
section.slide { background: #FFF; padding: 20px 28px; margin-bottom: 24px; border: 1px solid #999; }
.chart { min-height: 480px; } .chart .plotly-graph-div { height: 480px !important; }
@media print { body { background: #FFF; } section.slide { break-after: page; border: none; margin: 0; } }
"""


def _section(deck: Deck, slide: Slide, n: int, chart_html: str | None) -> str:
    e = html.escape
    lg = deck.lang
    parts = [f'<section class="slide" id="slide-{n}" data-slide="{e(slide.slide_id)}">']
    if slide.subtitle:
        parts.append(f'<p class="kicker">{e(slide.subtitle)}</p>')
    parts.append(f"<h1>{e(slide.title)}</h1>")
    if slide.figures:
        parts.append('<div class="figures">' + "".join(
            f'<div class="figure"><div class="label">{e(f.label)}</div><div class="value">{e(f.value)}</div>'
            + (f'<div class="note">{e(f.note)}</div>' if f.note else "") + "</div>" for f in slide.figures)
            + "</div>")
    # the bullets come first in the document and the chart is shown first (CSS order): a chart's
    # inline script sizes the chart while the page is parsed, and only then is its final width known
    body = []
    if slide.bullets:
        body.append('<ul class="bullets">' + "".join(f"<li>{e(b)}</li>" for b in slide.bullets) + "</ul>")
    if chart_html is not None:
        body.append(f'<div class="chart">{chart_html}</div>')
    if body:
        parts.append(f'<div class="body{"" if chart_html is not None else " text-only"}">' + "".join(body) + "</div>")
    if slide.source:
        parts.append(f'<p class="source">{e(slide.source)}</p>')
    page = t("slides_page", lg, n=n, total=len(deck.slides))
    parts.append(f"<footer><span>{e(deck.footer)} · {e(' · '.join(deck.filters))}</span><span>{e(page)}</span></footer>")
    parts.append("</section>")
    return "\n".join(parts)


def _document(deck: Deck, sections: list[str], css: str, head_extra: str = "", header: str = "") -> str:
    title = html.escape(f"{t('slides_handout_title', deck.lang)} — {deck.plan_title}")
    return (f'<!DOCTYPE html>\n<html lang="{deck.lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{CSS}{css}</style>{head_extra}</head>"
            f"<body><main>{header}{''.join(sections)}</main></body></html>")


def print_html(deck: Deck) -> str:
    """The print layout of the deck: one A4 landscape page per slide, charts as PNG images."""
    sections = []
    for n, slide in enumerate(deck.slides, start=1):
        img = None
        if slide.chart is not None:
            png = base64.b64encode(figure_png(slide.chart, stamp=deck.stamp)).decode("ascii")
            img = f'<img alt="{html.escape(slide.title)}" src="data:image/png;base64,{png}">'
        sections.append(_section(deck, slide, n, img))
    return _document(deck, sections, PRINT_CSS)


def deck_html(deck: Deck) -> str:
    """The deck as one self-contained HTML file: plotly.js inline once, every chart interactive
    offline, the data date and filters on every slide."""
    sections = []
    first = True
    for n, slide in enumerate(deck.slides, start=1):
        div = None
        if slide.chart is not None:
            div = pio.to_html(slide.chart, include_plotlyjs=first, full_html=False, config=PLOTLY_HTML_CONFIG,
                              default_width="100%", default_height="480px", div_id=f"chart-{n}", validate=False)
            first = False
        sections.append(_section(deck, slide, n, div))
    e = html.escape
    header = (f'<header class="deck"><p><strong>{e(t("slides_handout_title", deck.lang))}</strong> — '
              f"{e(deck.issuer)}</p><p>{e(deck.footer)}</p><p>{e(' · '.join(deck.filters))}</p></header>")
    # each chart's script runs while the page is still being parsed, before the bullets beside it
    # exist: size every chart again once the layout is complete
    resize = ("<script>window.addEventListener('load', function () {"
              "document.querySelectorAll('.js-plotly-plot').forEach(function (p) { Plotly.Plots.resize(p); });"
              "});</script>")
    return _document(deck, sections + [resize], SCREEN_CSS, header=header)


def pdf_available() -> bool:
    """Whether this machine can print PDFs: Playwright installed and Chromium at ``CHROMIUM``."""
    return importlib.util.find_spec("playwright") is not None and Path(CHROMIUM).exists()


# One Chromium for every PDF of the process, owned by one worker thread (Playwright's sync objects
# belong to the thread that made them): starting Playwright and Chromium cost 1.5–2 s of each print.
_PRINTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pci-pdf")
_BROWSER: dict[str, Any] = {}


def _browser() -> Any:
    """The printer thread's Chromium, started on first use and again if it went away."""
    browser = _BROWSER.get("browser")
    if browser is None or not browser.is_connected():
        from playwright.sync_api import sync_playwright

        if "playwright" not in _BROWSER:
            _BROWSER["playwright"] = sync_playwright().start()
        _BROWSER["browser"] = _BROWSER["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    return _BROWSER["browser"]


def _print(document: str) -> bytes:
    """Runs in the printer thread: one new page of the kept Chromium, printed and closed."""
    try:
        page = _browser().new_page()
    except Exception:  # noqa: BLE001 - a browser that died: start a new one once
        _BROWSER.pop("browser", None)
        page = _browser().new_page()
    try:
        page.set_content(document, wait_until="load")
        return bytes(page.pdf(prefer_css_page_size=True, print_background=True))
    finally:
        page.close()


def html_to_pdf(document: str) -> bytes:
    """Print an HTML document to PDF with Debian's Chromium (Playwright), A4 landscape. Prints run one
    at a time in a thread of their own (Playwright's sync API cannot run inside an asyncio loop, and
    Streamlit serves every session from one)."""
    return _PRINTER.submit(_print, document).result()


def deck_pdf(deck: Deck) -> bytes:
    """The deck as a PDF: one page per slide, data date and filters printed on each page."""
    return html_to_pdf(print_html(deck))


def write(deck: Deck, out: str | os.PathLike[str]) -> Path:
    """Write the deck to ``out`` as PDF or HTML, chosen by the file's extension."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        data = deck_pdf(deck)
    elif suffix in (".html", ".htm"):
        data = deck_html(deck).encode("utf-8")
    else:
        raise ValueError(t("slides_bad_out", deck.lang, path=str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
