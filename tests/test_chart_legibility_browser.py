"""Real Chromium at a ward laptop's projector size (1024×768) and a phone's (390×844): on every page
with charts, no two texts of a chart overlap (ticks, annotations, titles, legends, axis titles) and
no title or value is cut off (titles inside the chart, values inside the plot area)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.conftest import ARTIFACTS, wait_ready

pytestmark = pytest.mark.browser

VIEWPORTS = {"laptop": (1024, 768), "phone": (390, 844)}
PAGES = ["overview", "market_entry", "resource_access", "transparency_accountability", "private_economy",
         "proactivity_government", "compare"]

# Every text box of every drawn chart, in page coordinates, grouped by chart. "label" texts must not
# overlap each other; "title" texts must lie inside the chart's box; "value" texts inside its plot area.
_BOXES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map(plot => {
    // a text's four corners on screen (a turned tick label is a turned box, not its bounding box)
    const r = e => {
        const b = e.getBoundingClientRect();
        let quad = [[b.left, b.top], [b.right, b.top], [b.right, b.bottom], [b.left, b.bottom]];
        if (e.getBBox && e.getScreenCTM) {
            const k = e.getBBox(), m = e.getScreenCTM();
            quad = [[k.x, k.y], [k.x + k.width, k.y], [k.x + k.width, k.y + k.height], [k.x, k.y + k.height]]
                .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
        }
        return {x0: b.left, y0: b.top, x1: b.right, y1: b.bottom, quad, text: e.textContent};
    };
    const shown = e => e.textContent.trim() && e.getBoundingClientRect().width > 0
        && getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).opacity !== '0';
    const all = sel => [...plot.querySelectorAll(sel)].filter(shown).map(r);
    const area = plot.querySelector('.draglayer .nsewdrag');
    return {
        box: r(plot),
        area: area ? r(area) : null,
        title: (plot.querySelector('.gtitle') || {}).textContent || '',
        labels: all('.xtick text, .ytick text, .x2tick text, .annotation-text, .gtitle, .legendtext, '
                    + '.g-xtitle text, .g-ytitle text, .cbaxis .ytick text'),
        titles: all('.gtitle, .annotation-text, .legendtext, .g-xtitle text, .g-ytitle text'),
        values: all('.textpoint text, .bartext'),
    };
})"""


def _overlap(a: dict[str, Any], b: dict[str, Any], slack: float = 1.0) -> bool:
    """Two (possibly turned) text boxes overlap by more than ``slack`` px: no side of either box
    separates them (the separating axis test for convex quadrilaterals)."""
    for quad in (a["quad"], b["quad"]):
        for i in range(4):
            (x0, y0), (x1, y1) = quad[i], quad[(i + 1) % 4]
            length = math.hypot(x1 - x0, y1 - y0) or 1.0
            nx, ny = (y0 - y1) / length, (x1 - x0) / length
            pa = [nx * x + ny * y for x, y in a["quad"]]
            pb = [nx * x + ny * y for x, y in b["quad"]]
            if min(max(pa), max(pb)) - max(min(pa), min(pb)) <= slack:
                return False
    return True


def _inside(inner: dict[str, Any], outer: dict[str, Any], slack: float = 1.0) -> bool:
    return (inner["x0"] >= outer["x0"] - slack and inner["x1"] <= outer["x1"] + slack
            and inner["y0"] >= outer["y0"] - slack and inner["y1"] <= outer["y1"] + slack)


def chart_problems(charts: list[dict[str, Any]]) -> list[str]:
    """Every overlap of two texts and every text outside its box, worded for a failure message."""
    problems = []
    for n, c in enumerate(charts):
        name = f"chart {n + 1} «{c['title'][:40]}»"
        labels = c["labels"]
        for i, a in enumerate(labels):
            problems += [f"{name}: «{a['text']}» overlaps «{b['text']}»" for b in labels[i + 1:] if _overlap(a, b)]
        problems += [f"{name}: «{a['text']}» is cut off by the chart's edge"
                     for a in c["titles"] if not _inside(a, c["box"])]
        if c["area"]:
            problems += [f"{name}: value «{a['text']}» is cut off by the plot area"
                         for a in c["values"] if not _inside(a, c["area"])]
    return problems


@pytest.fixture(scope="module")
def warm(server, browser):
    """Open the root once so that later pages do not wait for the first run's cached models."""
    page = browser.new_page()
    page.goto(server.url + "/", wait_until="domcontentloaded")
    wait_ready(page, 120000)
    page.close()


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("page_id", PAGES)
def test_chart_texts_neither_collide_nor_get_cut(server, browser, warm, page_id: str, size: str) -> None:
    width, height = VIEWPORTS[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server.url + ("/" if page_id == "overview" else f"/{page_id}"), wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot", timeout=90000)
        wait_ready(page, 90000)
        page.wait_for_timeout(300)  # Plotly's resize to the column's width
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"charts-{page_id}-{size}.png"), full_page=True)
        charts = page.evaluate(_BOXES)
        assert len(charts) >= 2
        if page_id == "overview":  # the scorecard keeps its width (it scrolls sideways) on a phone
            cells = page.locator('[data-testid="stTable"] td').evaluate_all(
                "els => els.map(e => [e.textContent, e.getBoundingClientRect().height])")
            page.locator('[data-testid="stTable"]').screenshot(path=str(ARTIFACTS / f"scorecard-{size}.png"))
            assert max(h for _, h in cells) < 80, cells  # at most three lines; one word a line made five
            # the status column is on screen without scrolling sideways
            status = page.locator('[data-testid="stTable"] th').nth(1)
            assert status.text_content().strip() == "Trạng thái"
            box = page.locator('[data-testid="stTable"]').bounding_box()
            head = status.bounding_box()
            assert box and head and head["x"] + head["width"] <= min(box["x"] + box["width"], width) + 1, (head, box)
        # no key figure's label (which names the year) or value is cut short with an ellipsis
        cut = page.locator('[data-testid="stMetricLabel"], [data-testid="stMetricValue"]').evaluate_all(
            "els => els.filter(e => [e, ...e.querySelectorAll('*')].some(x => x.scrollWidth > x.clientWidth + 1))"
            ".map(e => e.textContent)")
        assert not cut, cut
        problems = chart_problems(charts)
        assert not problems, "\n".join(problems)
    finally:
        page.close()
