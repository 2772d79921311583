"""The what-if page in a real Chromium: a shared link opens the same simulation; a slider moves it live."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, wait_ready

pytestmark = pytest.mark.browser


def test_link_with_slider_values_then_keyboard_on_a_slider(server, browser) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 2600})
    page.goto(server.url + "/whatif?wi_year=2019&wi_d_transparency=0.5&wi_rank=5", wait_until="domcontentloaded")
    wait_ready(page, timeout=60000)
    page.wait_for_selector(".js-plotly-plot", timeout=60000)
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    # the same numbers as the CLI and AppTest: +0,5 transparency (20 %) → 69,73, rank 10 → 6
    assert "69,73" in text and "hạng 6/63" in text and "+4 bậc" in text
    assert "Để đạt hạng 5, cần ít nhất 0,71 điểm" in text
    slider = main.locator('[data-testid="stSlider"]').filter(has_text="Tính minh bạch")
    assert "+0,50" in slider.inner_text()  # decimal comma on the slider itself
    page.screenshot(path=str(ARTIFACTS / "whatif.png"), full_page=True)

    # one step to the right with the keyboard: +0,55 → +1,10 composite points, and the URL follows
    slider.locator('input[type="range"]').focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('wi_d_transparency=0.55')", timeout=30000)
    wait_ready(page, timeout=60000)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('69,83')", timeout=30000)
    assert "+1,10" in main.inner_text()
    page.close()
