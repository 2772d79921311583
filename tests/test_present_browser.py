"""Presentation mode in a real Chromium: step through every slide with the keyboard at 1024×768 and
1920×1080, nothing overflows the screen, type is large enough, screenshots saved for a look; a link
opens a slide, Esc leads back, the HTML handout downloads and works with no network."""

from __future__ import annotations

from datetime import date

import pytest

from pci_metrics.outputs import handout, slides
from pci_metrics.store import storage
from tests.conftest import ARTIFACTS, download, wait_ready

pytestmark = pytest.mark.browser

VIEWPORTS = [pytest.param((1024, 768), id="1024x768"), pytest.param((1920, 1080), id="1920x1080")]
BODY_MIN_PX, TICK_MIN_PX = 24, 18

# What a projector shows and how big: every visible element's box, every text's font size, the ticks.
MEASURE = """() => {
  const vw = innerWidth, vh = innerHeight;
  const main = document.querySelector('[data-testid="stMain"]');
  const out = {scroll: document.scrollingElement.scrollHeight, vh, vw, mainScroll: main.scrollHeight,
               mainClient: main.clientHeight, outside: [], small: [], ticks: 0, smallTicks: [], texts: 0};
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden') continue;
    if (r.bottom > vh + 1 || r.right > vw + 1 || r.top < -1 || r.left < -1)
      out.outside.push(el.tagName + '.' + String(el.className).slice(0, 50) + ' ' + JSON.stringify(r));
    if (el.closest('svg')) continue;  // chart text is measured as ticks below
    const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (text) { out.texts += 1;
      if (parseFloat(cs.fontSize) < MIN_BODY) out.small.push(el.tagName + ' ' + el.textContent.trim().slice(0, 40) + ' ' + cs.fontSize); }
  }
  // axis ticks, and a map's colour-bar ticks (its axes are hidden: the tiles are the map)
  for (const tx of main.querySelectorAll('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text, '
                                         + '.js-plotly-plot .colorbar .cbaxis text')) {
    out.ticks += 1;
    const fs = parseFloat(getComputedStyle(tx).fontSize);
    if (fs < MIN_TICK) out.smallTicks.push(tx.textContent + ' ' + fs);
  }
  return out;
}""".replace("MIN_BODY", str(BODY_MIN_PX)).replace("MIN_TICK", str(TICK_MIN_PX))


@pytest.fixture(scope="module")
def deck(server) -> slides.Deck:
    """The deck the server shows (same database, today's date)."""
    with storage.connect(server.db, read_only=True) as con:
        return slides.deck(con, "vi", None, date.today())


def wait_slide(page, deck: slides.Deck, n: int) -> None:
    """Wait until slide n's title and (if it has one) its chart are on screen."""
    s = deck.slides[n - 1]
    page.wait_for_function("t => { const h = document.querySelector('h1'); return h && h.textContent.trim() === t }",
                           arg=s.title, timeout=60000)
    if s.chart is not None:
        page.wait_for_selector(f".st-key-chart_{s.slide_id}_vi .js-plotly-plot .main-svg", timeout=60000)
    wait_ready(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_step_through_every_slide_with_the_keyboard(server, browser, deck, viewport):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = viewport
    page = browser.new_page(viewport={"width": w, "height": h})
    page.goto(server.url + "/present", wait_until="domcontentloaded")
    total = len(deck.slides)
    for n in range(1, total + 1):
        wait_slide(page, deck, n)
        assert (f"slide={n}" in page.url) if n > 1 else ("slide=" not in page.url), page.url
        page.screenshot(path=str(ARTIFACTS / f"present-{w}x{h}-{n:02d}.png"))
        m = page.evaluate(MEASURE)
        where = f"slide {n} ({deck.slides[n - 1].slide_id}) at {w}×{h}"
        assert m["scroll"] <= m["vh"] and m["mainScroll"] <= m["mainClient"] + 1, (where, m)
        assert not m["outside"], (where, m["outside"][:5])
        assert m["texts"] >= 3 and not m["small"], (where, m["small"][:5])
        if deck.slides[n - 1].chart is not None:
            assert m["ticks"] >= 3 and not m["smallTicks"], (where, m["smallTicks"][:5])
        if n < total:
            page.keyboard.press("ArrowRight" if n % 2 else "PageDown")  # arrows and presenter clickers
    # and back, the way a clicker goes back
    page.keyboard.press("PageUp")
    wait_slide(page, deck, total - 1)
    page.keyboard.press("ArrowLeft")
    wait_slide(page, deck, total - 2)
    page.close()


def test_a_link_opens_a_slide_without_menus_and_esc_returns(server, browser, deck, tmp_path):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(server.url + "/present?slide=6", wait_until="domcontentloaded")
    wait_slide(page, deck, 6)
    assert page.inner_text("h1") == "Gia nhập thị trường"
    for testid in ("stSidebar", "stHeader", "stToolbar", "stMainMenu", "stExpandSidebarButton"):
        loc = page.locator(f'[data-testid="{testid}"]')
        assert loc.count() == 0 or not loc.first.is_visible(), testid
    # the HTML handout downloads from here
    saved = download(page, page.locator(".st-key-slide_html button:visible").first, tmp_path, timeout=120000)
    text = saved.read_text(encoding="utf-8")
    assert all(s.title.replace("'", "&#x27;") in text for s in deck.slides) and "Plotly.newPlot" in text
    # Esc: back to the dashboard, sidebar and all
    page.keyboard.press("Escape")
    page.wait_for_function("() => !location.pathname.endsWith('/present') && "
                           "document.querySelector('h1')?.textContent.includes('Tổng quan PCI')", timeout=120000)
    assert "slide=" not in page.url
    page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=120000)
    page.screenshot(path=str(ARTIFACTS / "present-exit-to-overview.png"))
    page.close()


def test_html_handout_works_offline(browser, built_db, tmp_path):
    with storage.connect(built_db, read_only=True) as con:
        d = slides.deck(con, "vi", None, date.today())
    path = tmp_path / "handout.html"
    path.write_text(handout.deck_html(d), encoding="utf-8")
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    fetched: list[str] = []

    def block(route):
        fetched.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith("file:"), block)
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    n_charts = sum(s.chart is not None for s in d.slides)
    page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n_charts}",
                           timeout=60000)
    plots = page.locator(".js-plotly-plot")
    assert plots.count() == n_charts
    for i in range(n_charts):  # each chart drew its traces (lines or bars), not an empty frame
        assert plots.nth(i).locator(".scatterlayer .trace, .barlayer .trace").count() >= 1
    # and no chart spills over the bullets beside it
    spill = page.evaluate("""() => [...document.querySelectorAll('.chart')].filter(c => {
        const svg = c.querySelector('.main-svg'); return svg && svg.getBoundingClientRect().right >
        c.getBoundingClientRect().right + 1; }).length""")
    assert spill == 0
    assert not fetched, fetched
    assert page.locator("section.slide").count() == len(d.slides)
    assert page.locator("footer").first.inner_text().startswith("Số liệu đến năm 2024")
    page.screenshot(path=str(ARTIFACTS / "handout-html.png"))
    context.close()
