"""Real Chromium against a real server: find a province in the all-provinces table by typing its
name without accents, open its profile, and reach a profile from Compare; the profile's link is a
bookmark."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, wait_ready

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def warm(server, browser):
    """Open the root once (see tests/test_leadership_browser.py: the first session of a fresh server)."""
    page = browser.new_page()
    page.goto(server.url + "/", wait_until="domcontentloaded")
    wait_ready(page, 120000)
    page.close()


def open_page(browser, url: str, width: int = 1366, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url, wait_until="domcontentloaded")
    wait_ready(page, 90000)
    return page


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def test_type_a_name_without_accents_and_open_its_profile(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = open_page(browser, server.url + "/provinces")
    assert "Bảng xếp hạng PCI các tỉnh, thành phố" in main_text(page)
    assert "top 30" in main_text(page)  # 2024 opens, and says VCCI published only a top list
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60000)
    page.screenshot(path=str(ARTIFACTS / "provinces-2024.png"), full_page=True)
    page.get_by_label("Tìm tỉnh, thành phố").fill("quang ninh")
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Mở hồ sơ Quảng Ninh")
    link.wait_for(timeout=60000)
    link.click()
    page.wait_for_function("() => location.pathname.endsWith('/province') && location.search.includes('quangninh')",
                           timeout=60000)
    wait_ready(page, 90000)
    assert "Hồ sơ PCI: Quảng Ninh" in main_text(page)
    assert page.locator(".js-plotly-plot").count() == 3
    bookmark = page.url
    page.screenshot(path=str(ARTIFACTS / "province-quangninh.png"), full_page=True)
    page.close()
    again = open_page(browser, bookmark)  # the bookmark opens the same province
    assert "Hồ sơ PCI: Quảng Ninh" in main_text(again)
    again.close()


def test_compare_links_to_each_chosen_provinces_profile(server, browser):
    page = open_page(browser, server.url + "/compare?lang=en")
    link = page.get_by_role("link", name="Quang Ninh", exact=True)
    link.click()
    page.wait_for_function("() => location.search.includes('province=quangninh')", timeout=60000)
    wait_ready(page, 90000)
    assert "PCI profile: Quang Ninh" in main_text(page)
    page.close()


def test_profile_on_a_phone(server, browser):
    page = open_page(browser, server.url + "/province?province=danang", width=390, height=844)
    assert "Hồ sơ PCI: Đà Nẵng" in main_text(page)
    page.screenshot(path=str(ARTIFACTS / "province-danang-390.png"), full_page=True)
    page.close()
