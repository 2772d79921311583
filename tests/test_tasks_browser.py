"""Real Chromium against a real server (issue 5): the Tasks page as a user sees it, and the quarterly
report really downloads from the page as a Word file."""

from __future__ import annotations

import docx
import pytest

from tests.conftest import ARTIFACTS, download, wait_ready

pytestmark = pytest.mark.browser


def test_tasks_page_and_the_report_download(server, browser, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page.goto(server.url + "/tasks?tasks_period=2026-Q1&tasks_code=market_entry", wait_until="domcontentloaded")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30000)
    text = page.inner_text('[data-testid="stMain"]')
    assert "Nhiệm vụ và báo cáo kết quả thực hiện Kế hoạch" in text
    assert "2/14 nhiệm vụ theo bộ lọc" in text  # the link's sub-index filter was applied
    assert "Đã quá hạn nộp báo cáo" in text or "Đơn vị chưa báo cáo đủ" in text
    page.screenshot(path=str(ARTIFACTS / "tasks.png"), full_page=True)
    page.get_by_role("tab", name="Tải báo cáo").click()
    path = download(page, page.get_by_role("button", name="Tải báo cáo (.docx)"), tmp_path, timeout=180000)
    assert path.name == "bao-cao-pci-hong-bang-2026-Q1.docx"
    document = docx.Document(str(path))
    assert document.tables[0].cell(0, 1).text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert len(document.inline_shapes) == 6  # five priorities and the status chart, drawn by the server
    page.close()
