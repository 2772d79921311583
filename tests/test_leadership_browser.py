"""Real Chromium against a real server: a copied link opens the same view (issue 3)."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, wait_ready

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def warm(server, browser):
    """Open the root once: until app.py's st.navigation has run in a fresh server process, Streamlit
    1.67 emulates the old pages/ folder for the first session and says "Page not found" for a URL that
    is not a file name in pages/ (it then runs app.py, which routes it)."""
    page = browser.new_page()
    page.goto(server.url + "/", wait_until="domcontentloaded")
    wait_ready(page, 120000)  # the first run builds every cached model
    page.close()


def open_page(browser, url: str, charts: int = 1):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url, wait_until="domcontentloaded")
    wait_ready(page, 90000)
    if charts:
        page.wait_for_selector(".js-plotly-plot", timeout=60000)
    return page


def svg_texts(locator) -> list[str]:
    return locator.evaluate_all("els => els.map(e => e.textContent)")


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def test_a_view_chosen_on_a_priority_page_is_a_link(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = open_page(browser, server.url + "/market_entry")
    assert "Gia nhập thị trường" in main_text(page) and "6,45" in main_text(page)
    charts = page.locator(".js-plotly-plot").count()
    # the trend's chart/table switch writes the choice into the URL ...
    assert page.locator('[role="dialog"]').count() == 0
    page.get_by_role("radio", name="Bảng").first.click()
    page.wait_for_function("() => location.search.includes('view_trend=table')")
    wait_ready(page)
    copied = page.url
    page.screenshot(path=str(ARTIFACTS / "priority-market-entry.png"), full_page=True)
    page.close()
    # ... and the copied link opens the same view: the trend as a table, the other charts as charts
    again = open_page(browser, copied)
    assert again.locator(".js-plotly-plot").count() == charts - 1
    assert "Trung vị" in again.locator('[data-testid="stDataFrame"]').nth(1).inner_text() or \
        again.locator('[data-testid="stDataFrame"]').count() >= 3
    again.close()


def test_copied_priority_link_with_language_and_drill_down(server, browser):
    page = open_page(browser, server.url + "/resource_access?lang=en&view_trend=table&ind_sub=labor")
    text = main_text(page)
    assert "Access to development resources" in text and "judgment" in text
    assert "Latest value (2022)" in text and "6.73" in text
    # the indicator drill-down opened on labour training, as the link asked
    checked = page.locator('[data-testid="stButtonGroup"] button[aria-checked="true"]').all_inner_texts()
    assert any("Labor training" in c for c in checked), checked
    page.screenshot(path=str(ARTIFACTS / "priority-resource-access-en.png"), full_page=True)
    page.close()


def test_copied_compare_link_opens_the_same_view(server, browser):
    url = (server.url + "/compare?cmp_provinces=haiphong&cmp_provinces=danang&cmp_year=2018"
           "&cmp_from=2013&cmp_to=2019&cmp_lead=labor")
    page = open_page(browser, url)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 3")
    text = main_text(page)
    assert "Chỉ số thành phần năm 2018" in text and "Đà Nẵng" in text
    chips = page.locator('[data-testid="stMultiSelect"] .react-aria-ComboBox span[title]').all_inner_texts()
    assert [c.strip() for c in chips] == ["Hải Phòng", "Đà Nẵng"]
    heat_x = svg_texts(page.locator(".js-plotly-plot").first.locator(".xtick text"))
    assert heat_x == ["Hải Phòng", "Đà Nẵng"]
    traj_x = svg_texts(page.locator(".js-plotly-plot").nth(1).locator(".xtick text"))
    assert traj_x[0] == "2013" and traj_x[-1] == "2019" and not any("." in x for x in traj_x)
    leader_title = svg_texts(page.locator(".js-plotly-plot").nth(2).locator(".gtitle"))[0]
    assert "Đà Nẵng" in leader_title and "Đào tạo lao động" in leader_title
    page.screenshot(path=str(ARTIFACTS / "compare-2018.png"), full_page=True)
    page.close()


def test_overview_scorecard_in_the_browser(server, browser):
    page = open_page(browser, server.url + "/?lang=en")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 4")
    text = main_text(page)
    assert "Scorecard of the priority sub-indices" in text and "Where the points are" in text
    assert "– No target set" in text and "○ Not yet due" in text
    page.screenshot(path=str(ARTIFACTS / "overview-scorecard-en.png"), full_page=True)
    page.close()
