"""What only a browser shows, in Vietnamese: the uploader's button, size line and drop overlay (texts
Streamlit writes itself, replaced by our stylesheet), Compare's province list (Enter after "Hà N" picks
one province, no "Select 4 matches"), the chart toolbar's tooltips and the table toolbar's (texts
Streamlit writes itself, swapped by our script)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pci_metrics.store import storage
from tests.conftest import ARTIFACTS, Server, sign_in_at, start_server, wait_ready

pytestmark = pytest.mark.browser
PASSWORD = "Kiem-thu-viet-2026!"
ANALYST = "chuyen-vien-viet"

# What a reader sees of an element: its text, unless our stylesheet shrank it to nothing, then the
# text drawn by its ::after rule.
SHOWN_JS = """(sel) => [...document.querySelectorAll(sel)].map(e => {
  const after = getComputedStyle(e, '::after').content;
  const hidden = parseFloat(getComputedStyle(e).fontSize) === 0;
  return hidden ? (after && after !== 'none' ? JSON.parse(after) : '') : e.innerText;
})"""
# The element is what a pointer at its centre would reach (nothing lies over it).
TOPMOST_JS = """(e) => { const r = e.getBoundingClientRect();
  return e.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }"""
DRAG_JS = """(sel) => { const d = new DataTransfer(); d.items.add(new File(['x'], 'a.csv', {type: 'text/csv'}));
  document.querySelector(sel).dispatchEvent(new DragEvent('dragenter', {dataTransfer: d, bubbles: true})); }"""


@pytest.fixture(scope="module")
def viet_server(tmp_path_factory: pytest.TempPathFactory, built_db: Path) -> Iterator[Server]:
    from pci_metrics.trust import auth

    db = tmp_path_factory.mktemp("viet-srv") / "pci.duckdb"
    shutil.copy(built_db, db)
    with storage.connect(db) as con:
        auth.add_user(con, ANALYST, "analyst", PASSWORD, by="kiem-thu")
    srv = start_server(db, {"PCI_ADMIN_PASSWORD": PASSWORD})
    yield srv
    srv.stop()


def test_uploader_texts_are_vietnamese(viet_server: Server, browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in_at(page, viet_server.url + "/import", ANALYST, PASSWORD, '[data-testid="stFileUploader"]')
    wait_ready(page, 60000)
    zone = '[data-testid="stFileUploaderDropzone"]'
    button = page.evaluate(SHOWN_JS, f'{zone} button [data-testid="stMarkdownContainer"] p')
    limit = page.evaluate(SHOWN_JS, '[data-testid="stFileUploaderDropzoneInstructions"] span')
    assert button == ["Chọn tệp"] and limit == ["Tối đa 20 MB mỗi tệp"]
    page.evaluate(DRAG_JS, zone)
    page.wait_for_selector(f"{zone} > div:not([data-testid]) > span", timeout=5000)
    assert page.evaluate(SHOWN_JS, f"{zone} > div:not([data-testid]) > span") == ["Thả tệp vào đây"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "uploader-vi.png"))
    page.close()


def test_compare_province_list_and_chart_toolbar_in_vietnamese(viet_server: Server, browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(viet_server.url + "/compare", wait_until="domcontentloaded")
    wait_ready(page, 60000)
    box = page.locator('[data-testid="stMultiSelect"] input').first
    before = page.locator('[data-testid="stMultiSelect"]').first.inner_text()
    box.click()
    box.type("Hà N")
    page.wait_for_selector('[role="listbox"] [role="option"]', timeout=10000)
    options = page.locator('[role="listbox"]').inner_text()
    assert "Select" not in options and "matches" not in options and "Hà Nội" in options
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)
    wait_ready(page, 60000)
    after = page.locator('[data-testid="stMultiSelect"]').first.inner_text()
    added = set(after.splitlines()) - set(before.splitlines()) - {""}
    assert len(added) == 1 and added <= {"Hà Nội", "Hà Nam", "Hà Giang", "Hà Tĩnh"}, added  # one, not every match
    box.type("zzz")
    page.wait_for_timeout(800)
    assert page.evaluate(SHOWN_JS, 'div[role="option"][style*="contents"] > span') == ["Không tìm thấy"]
    page.keyboard.press("Escape")
    # the chart toolbar's tooltips come from Plotly's locale: Vietnamese
    page.wait_for_selector(".js-plotly-plot", timeout=60000)
    titles = page.evaluate("() => [...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))")
    assert "Tải biểu đồ (PNG)" in titles and "Download plot as a PNG" not in titles and "Zoom in" not in titles
    assert "Toàn màn hình" in titles and "Fullscreen" not in titles  # the button Streamlit adds to Plotly's
    # the toolbar Streamlit draws over a table: its labels, and the tooltip a pointer on a button shows
    # (on a page that has just finished drawing: while a table is drawn again after a change, its
    # scrolling layer lies over the toolbar)
    page.close()
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(viet_server.url + "/compare", wait_until="domcontentloaded")
    wait_ready(page, 60000)
    table = page.locator('[data-testid="stElementContainer"]:has([data-testid="stDataFrame"])').first
    table.scroll_into_view_if_needed()
    table.hover()
    button = table.locator('[data-testid="stElementToolbarButton"] button').last
    button.wait_for()
    page.wait_for_function(TOPMOST_JS, arg=button.element_handle(), timeout=10000)
    button.hover()
    tip = page.locator('[data-testid="stTooltipContent"]')
    tip.wait_for(timeout=10000)
    page.wait_for_timeout(300)
    labels = page.evaluate("() => [...document.querySelectorAll('[aria-label], [title], [data-title], [placeholder]')]"
                           ".flatMap(e => ['aria-label', 'title', 'data-title', 'placeholder'].map(a => e.getAttribute(a)))")
    english = {"Download as CSV", "Search", "Fullscreen", "Show/hide columns", "Clear all", "Choose an option"}
    assert not english & set(labels), english & set(labels)
    assert {"Tải CSV", "Toàn màn hình", "Ẩn/hiện cột"} <= set(labels)
    assert tip.inner_text() == "Toàn màn hình"
    page.close()
