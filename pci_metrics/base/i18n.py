"""One string catalogue for every screen, export and message: Vietnamese first, English the switch.

Terms follow the project glossary (one term per idea).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pci_metrics.base import (
    strings_cli,
    strings_commentary,
    strings_deploy,
    strings_errors,
    strings_ingest,
    strings_leadership,
    strings_provinces,
    strings_slides,
    strings_tasks,
    strings_trust,
    strings_units,
    strings_whatif,
)
from pci_metrics.base.blanks import is_blank

LANGS = ("vi", "en")

CATALOG: dict[str, tuple[str, str]] = {
    # app and navigation
    "app_title": ("Bảng điều khiển PCI — phường Hồng Bàng", "PCI dashboard — Hồng Bàng ward"),
    "language": ("Ngôn ngữ", "Language"),
    "nav_overview": ("Tổng quan", "Overview"),
    "nav_priorities": ("Chỉ số ưu tiên", "Priority sub-indices"),
    "nav_general": ("Chung", "General"),
    "nav_data": ("Dữ liệu", "Data"),
    # overview
    "overview_title": ("Tổng quan PCI Hải Phòng", "Hải Phòng PCI overview"),
    "overview_caption": (
        "Điểm tổng hợp và xếp hạng PCI của Hải Phòng qua các năm, so với trung vị và tỉnh dẫn đầu.",
        "Hải Phòng's PCI composite score and rank over the years, against the median and the top province."),
    "rank_of": ("hạng {rank}/{n}", "rank {rank} of {n}"),
    "change_on_last_year": ("so với năm trước", "on last year"),
    "composite_chart_title": ("Điểm tổng hợp PCI của Hải Phòng", "Hải Phòng's PCI composite score"),
    "rank_chart_title": ("Xếp hạng PCI của Hải Phòng", "Hải Phòng's PCI rank"),
    "profile_chart_title": ("Chỉ số thành phần {year} so với {prev}", "Sub-indices {year} against {prev}"),
    "profile_unknown": (
        "Chưa có số liệu chỉ số thành phần của Hải Phòng năm {year} (VCCI chỉ công bố dạng hình ảnh). "
        "Biểu đồ dưới đây là năm gần nhất có đủ số liệu. Chuyên viên có thể nhập số liệu ở trang Nhập dữ liệu.",
        "Hải Phòng's {year} sub-index scores are not available (VCCI published them only as images). "
        "The chart below shows the latest year with full data. Analysts can enter them on the Import page."),
    "series_haiphong": ("Hải Phòng", "Hải Phòng"),
    "series_median": ("Trung vị", "Median"),
    "composite_of_year": ("Điểm tổng hợp {year}", "Composite score {year}"),
    "rank_of_year": ("Xếp hạng {year}", "Rank {year}"),
    "median_of_year": ("Trung vị {year}", "Median {year}"),
    "series_top": ("Tỉnh dẫn đầu", "Top province"),
    "series_target": ("Mục tiêu", "Target"),
    "year": ("Năm", "Year"),
    "score": ("Điểm", "Score"),
    "composite": ("Điểm tổng hợp", "Composite score"),
    "rank": ("Xếp hạng", "Rank"),
    "subindex": ("Chỉ số thành phần", "Sub-index"),
    "value": ("Giá trị", "Value"),
    "source": ("Nguồn", "Source"),
    "provenance": ("Loại nguồn", "Provenance"),
    "prov_published": ("số liệu công bố", "published"),
    "prov_derived": ("tính toán", "derived"),
    "prov_entered": ("nhập liệu", "entered"),
    "no_data": ("Chưa có số liệu", "No data"),
    "methodology_change": ("Thay đổi phương pháp", "Methodology change"),
    "sources_footer": (
        "Nguồn: VCCI, Chỉ số năng lực cạnh tranh cấp tỉnh (PCI), pcivietnam.vn; bảng tính hằng năm của VCCI "
        "2005–2019; số liệu 2020–2024 theo trang hồ sơ tỉnh và báo chí (đường dẫn từng dòng trong bảng số liệu). "
        "Trung vị, tỉnh dẫn đầu và ngưỡng top 10 đến 2019 được tính từ điểm của tất cả các tỉnh.",
        "Source: VCCI, Provincial Competitiveness Index (PCI), pcivietnam.vn; VCCI's yearly workbooks 2005–2019; "
        "2020–2024 figures from the province profile and the press (a link per row in the data table). "
        "Median, top province and top-10 cut-off up to 2019 are computed from all provinces' scores."),
    "top30_note": (
        "Từ PCI 2023, VCCI chỉ công bố điểm và hạng của 30 địa phương đứng đầu; hạng ngoài nhóm này là chưa có số liệu.",
        "From PCI 2023 VCCI publishes scores and ranks of the top 30 only; ranks outside it are unknown."),
    "chart": ("Biểu đồ", "Chart"),
    "table": ("Bảng", "Table"),
    "view_as": ("Xem dạng", "View as"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "download_xlsx": ("Tải XLSX", "Download XLSX"),
    "download_png": ("Tải PNG", "Download PNG"),
    "db_missing": (
        "Chưa có cơ sở dữ liệu. Chạy `make run` (hoặc `python -m pci_metrics build`) để tạo từ dữ liệu gốc.",
        "No database yet. Run `make run` (or `python -m pci_metrics build`) to build it from the seed data."),
    "db_busy": ("Cơ sở dữ liệu đang bận (đang nhập dữ liệu). Hãy thử lại sau ít giây.",
                "The database is busy (an import is running). Try again in a few seconds."),
    "data_date": ("Số liệu đến năm {year}", "Data up to {year}"),
    # Streamlit's own widget texts that it does not let us set (see ui.common.widget_texts)
    "widget_upload": ("Chọn tệp", "Choose a file"),
    "widget_upload_limit": ("Tối đa {mb} MB mỗi tệp", "Up to {mb} MB per file"),
    "widget_drop_here": ("Thả tệp vào đây", "Drop the file here"),
    "widget_no_results": ("Không tìm thấy", "No results"),
    "widget_choose_provinces": ("Chọn tỉnh, thành phố", "Choose provinces"),
    # the element toolbar's and the chart toolbar's tooltips and labels, in Streamlit's own English
    # (the second text must be exactly Streamlit's: see ui.common.STREAMLIT_WORDS)
    "widget_download_csv": ("Tải CSV", "Download as CSV"),
    "widget_search": ("Tìm trong bảng", "Search"),
    "widget_fullscreen": ("Toàn màn hình", "Fullscreen"),
    "widget_close_fullscreen": ("Thoát toàn màn hình", "Close fullscreen"),
    "widget_columns": ("Ẩn/hiện cột", "Show/hide columns"),
    "widget_clear_all": ("Xoá hết", "Clear all"),
    "widget_choose_option": ("Chọn", "Choose an option"),
    # the chart toolbar's tooltips (Plotly's own English texts, translated through its locale)
    "modebar_png": ("Tải biểu đồ (PNG)", "Download plot as a PNG"),
    "modebar_zoom": ("Phóng vùng chọn", "Zoom"),
    "modebar_pan": ("Kéo", "Pan"),
    "modebar_zoom_in": ("Phóng to", "Zoom in"),
    "modebar_zoom_out": ("Thu nhỏ", "Zoom out"),
    "modebar_autoscale": ("Tự động co giãn", "Autoscale"),
    "modebar_reset_axes": ("Đặt lại trục", "Reset axes"),
    "modebar_reset": ("Đặt lại", "Reset"),
    "modebar_reset_view": ("Đặt lại khung nhìn", "Reset view"),
    "modebar_box_select": ("Chọn theo khung", "Box Select"),
    "modebar_lasso_select": ("Chọn tự do", "Lasso Select"),
    "modebar_spikes": ("Bật/tắt đường dóng", "Toggle Spike Lines"),
    "modebar_hover_closest": ("Hiện số liệu gần nhất", "Show closest data on hover"),
    "modebar_hover_compare": ("So sánh số liệu khi di chuột", "Compare data on hover"),
    "modebar_hover_toggle": ("Bật/tắt hiện số liệu gần nhất", "Toggle show closest data on hover"),
    "modebar_zoom_back": ("Nhấp đúp để trở lại", "Double-click to zoom back out"),
    "modebar_legend_isolate": ("Nhấp đúp vào chú giải để chỉ xem một đường", "Double-click on legend to isolate one trace"),
    "modebar_fullscreen": ("Toàn màn hình", "Fullscreen"),
    "modebar_close_fullscreen": ("Thoát toàn màn hình", "Close fullscreen"),
}


# One catalogue, kept in several files so that each area owns its strings: the base entries above
# plus ``pci_metrics/base/strings_<area>.py`` (each a ``STRINGS`` dict). A test checks that no key is
# defined twice and that every entry has both languages.
STRING_MODULES = {"leadership": strings_leadership, "ingest": strings_ingest, "tasks": strings_tasks,
                  "slides": strings_slides, "whatif": strings_whatif, "trust": strings_trust,
                  "errors": strings_errors, "provinces": strings_provinces,
                  "deploy": strings_deploy, "commentary": strings_commentary, "units": strings_units,
                  "cli": strings_cli}


def _merge() -> None:
    for area, module in STRING_MODULES.items():
        for key, pair in module.STRINGS.items():
            if key in CATALOG:
                raise KeyError(f"string {key!r} defined twice (strings_{area})")
            CATALOG[key] = pair


_merge()


def t(key: str, lang: str = "vi", **kwargs: Any) -> str:
    """The text for a key in a language, formatted with kwargs.

    >>> t("rank_of", "vi", rank=3, n=63)
    'hạng 3/63'
    >>> t("rank_of", "en", rank=3, n=63)
    'rank 3 of 63'
    """
    vi, en = CATALOG[key]
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text


def tn(key: str, lang: str, count: int, **kwargs: Any) -> str:
    """:func:`t` for a text with a count: English takes the ``<key>_one`` form when ``count`` is 1
    (Vietnamese has one form); ``count`` is also passed to the text as ``n``.

    >>> tn("tasks_days_left", "en", 1), tn("tasks_days_left", "en", 3), tn("tasks_days_left", "vi", 1)
    ('1 day left', '3 days left', 'còn 1 ngày')
    """
    one = f"{key}_one"
    return t(one if count == 1 and one in CATALOG else key, lang, n=count, **kwargs)


def fmt_num(value: Any, lang: str = "vi", decimals: int = 2) -> str:
    """A number in the language's format: decimal comma and dot thousands in Vietnamese.

    >>> fmt_num(74.84, "vi"), fmt_num(1234.5, "vi", 1), fmt_num(74.84, "en"), fmt_num(None, "vi")
    ('74,84', '1.234,5', '74.84', 'Chưa có số liệu')
    """
    if is_blank(value):
        return t("no_data", lang)
    text = f"{float(value):,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_share(value: Any, lang: str = "vi", decimals: int = 1) -> str:
    """A share kept as a fraction (0.174) written as a percentage in the language's format.

    >>> fmt_share(0.1739, "vi"), fmt_share(0.1739, "en"), fmt_share(1, "vi", 0), fmt_share(None, "en")
    ('17,4 %', '17.4%', '100 %', 'No data')
    """
    if is_blank(value):
        return t("no_data", lang)
    return fmt_num(float(value) * 100, lang, decimals) + (" %" if lang == "vi" else "%")


def fmt_signed(value: Any, lang: str = "vi", decimals: int = 2) -> str:
    """A change with its sign.

    >>> fmt_signed(4.5, "vi"), fmt_signed(-0.42, "en")
    ('+4,50', '-0.42')
    """
    if is_blank(value):
        return t("no_data", lang)
    sign = "+" if float(value) > 0 else ""
    return sign + fmt_num(value, lang, decimals)


def fmt_date(value: date | None, lang: str = "vi") -> str:
    """A date: dd/mm/yyyy in Vietnamese, ISO in English.

    >>> fmt_date(date(2026, 3, 15), "vi"), fmt_date(date(2026, 3, 15), "en")
    ('15/03/2026', '2026-03-15')
    """
    if value is None:
        return t("no_data", lang)
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def name_col(lang: str) -> str:
    """The name column of a table for a language.

    >>> name_col("en")
    'name_en'
    """
    return "name_en" if lang == "en" else "name_vi"
