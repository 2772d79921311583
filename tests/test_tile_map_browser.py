"""Real Chromium: the Compare page's tile map at a ward laptop's 1024×768 and a desk screen's
1920×1080: the whole map fits the screen, its tiles are squares, and the
screenshots (tests/artifacts/map-*.png) are there to be looked at."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, wait_ready

pytestmark = pytest.mark.browser

MAP = ".st-key-fig_map"  # the chart_block's chart, keyed "map"


@pytest.mark.parametrize(("width", "height", "query"), [
    (1024, 768, "cmp_map_year=2024"),
    (1920, 1080, "cmp_map_year=2019&cmp_map=labor&lang=en"),
])
def test_the_map_fits_and_its_tiles_are_square(server, browser, width: int, height: int, query: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server.url}/compare?{query}", wait_until="domcontentloaded")
    wait_ready(page, 120000)
    chart = page.locator(MAP)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["height"] <= height - 60  # the whole map, title and legend, on one screen
    cell = page.evaluate("""() => {
        const layer = document.querySelector('.st-key-fig_map .heatmaplayer image');
        const r = layer.getBoundingClientRect();
        return {w: r.width, h: r.height};
    }""")
    assert cell["w"] > 0 and abs(cell["h"] / cell["w"] - 22 / 7) < 0.05  # 22 rows × 7 columns of squares
    chart.screenshot(path=str(ARTIFACTS / f"map-{width}x{height}.png"))
    page.close()
