"""Real Chromium: the Compare page's tile map at a ward laptop's 1024×768 and a desk screen's
1920×1080: the whole map fits the screen, its tiles are squares, and the screenshots
(tests/artifacts/map-*.png) are there to be looked at."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, wait_ready

pytestmark = pytest.mark.browser

MAP = ".st-key-fig_map"  # the chart_block's chart, keyed "map"
FILLS = """() => {
    const box = document.querySelector('.st-key-fig_map').getBoundingClientRect();
    const svg = document.querySelector('.st-key-fig_map .main-svg').getBoundingClientRect();
    return Math.abs(box.width - svg.width) < 2 && !!document.querySelector('.st-key-fig_map .gtitle');
}"""
TILE_IMAGE = """() => {
    const r = document.querySelector('.st-key-fig_map .heatmaplayer image').getBoundingClientRect();
    return {w: r.width, h: r.height};
}"""


def test_the_map_fits_and_its_tiles_are_square_on_a_laptop_and_a_desk_screen(server, browser) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{server.url}/compare?cmp_map_year=2024", wait_until="domcontentloaded")  # 2024: mostly unknown
    wait_ready(page, 120000)
    for width, height in ((1024, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        chart = page.locator(MAP)
        chart.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of the sticky top bar
        page.wait_for_function(FILLS)  # Plotly has redrawn the chart, title included, to the new width
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["height"] <= height - 60  # the whole map, title and legend, on one screen
        cell = page.evaluate(TILE_IMAGE)
        assert cell["w"] > 0 and abs(cell["h"] / cell["w"] - 22 / 7) < 0.05  # 22 rows × 7 columns of squares
        chart.screenshot(path=str(ARTIFACTS / f"map-{width}x{height}.png"))
    page.close()
