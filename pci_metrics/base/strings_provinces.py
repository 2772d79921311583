"""Strings of the provinces area (the all-provinces table and a province's profile):
key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation
    "provinces_nav_table": ("Bảng xếp hạng các tỉnh", "All provinces"),
    "provinces_nav_profile": ("Hồ sơ tỉnh", "Province profile"),
    # the all-provinces table
    "provinces_title": ("Bảng xếp hạng PCI các tỉnh, thành phố", "PCI of every province"),
    "provinces_caption": (
        "Điểm tổng hợp, xếp hạng và điểm chỉ số thành phần của các tỉnh, thành phố trong một năm. Gõ tên để lọc "
        "(có dấu hay không dấu đều được), bấm tiêu đề cột để sắp xếp, bấm “Xem hồ sơ” hoặc chọn một dòng để mở "
        "hồ sơ của tỉnh.",
        "Composite score, rank and sub-index scores of the provinces in a year. Type a name to filter (with or "
        "without Vietnamese accents), click a column header to sort, click “Open profile” or pick a row to open "
        "the province's profile."),
    "provinces_search": ("Tìm tỉnh, thành phố", "Find a province"),
    "provinces_search_placeholder": ("Ví dụ: hai phong, Quảng Ninh", "For example: hai phong, Quảng Ninh"),
    "provinces_count": ("{n} tỉnh, thành phố có số liệu năm {year}.", "{n} provinces with data in {year}."),
    "provinces_count_one": ("1 tỉnh, thành phố có số liệu năm {year}.", "1 province with data in {year}."),
    "provinces_scope_top": (
        "Năm {year}, VCCI chỉ công bố danh sách nhóm đứng đầu (top 30), không công bố đủ {total} tỉnh, thành phố: "
        "bảng chỉ có {n} tỉnh, thành phố mà cơ sở dữ liệu có số liệu; các tỉnh khác là chưa có số liệu.",
        "In {year} VCCI published only the leading group (top 30), not all {total} provinces: the table holds "
        "the {n} provinces the database has figures for; the others are unknown."),
    "provinces_no_match": ("Không có tỉnh, thành phố nào khớp với “{text}” trong năm {year}.",
                           "No province matches “{text}” in {year}."),
    "provinces_blank_note": (
        "Ô để trống: chưa có số liệu (không bao giờ là 0). “Loại hạng” cho biết hạng do VCCI công bố hay được "
        "tính lại từ điểm của tất cả các tỉnh. Hải Phòng được tô màu.",
        "An empty cell is unknown (never 0). “Rank kind” says whether VCCI published the rank or it was "
        "computed from all provinces' scores. Hải Phòng is highlighted."),
    "provinces_no_tier": (
        "VCCI xếp nhóm (rất tốt, tốt, khá…) chưa được lưu trong cơ sở dữ liệu nên bảng không có cột nhóm.",
        "VCCI's groups (very good, good, fair…) are not in the database, so the table has no group column."),
    "provinces_col_rank_of": ("Trên tổng số", "Out of"),
    "provinces_col_rank_kind": ("Loại hạng", "Rank kind"),
    "provinces_col_profile": ("Hồ sơ", "Profile"),
    "provinces_open_profile": ("Xem hồ sơ", "Open profile"),
    "provinces_col_gap": ("Chênh lệch với trung vị", "Difference from the median"),
    "provinces_col_median_source": ("Nguồn trung vị", "Median source"),
    "provinces_profile_of": ("Mở hồ sơ {name}", "Open {name}'s profile"),
    "provinces_pick_hint": ("Chọn một dòng trong bảng để mở hồ sơ của tỉnh đó ngay trong trang này.",
                            "Pick a row of the table to open that province's profile in this tab."),
    # a province's profile
    "profile_title": ("Hồ sơ PCI: {name}", "PCI profile: {name}"),
    "profile_caption": (
        "Điểm tổng hợp và xếp hạng PCI của một tỉnh, thành phố qua các năm, so với trung vị và tỉnh dẫn đầu, và "
        "các chỉ số thành phần của năm gần nhất có số liệu so với trung vị. Đường dẫn của trang giữ tỉnh đã chọn.",
        "A province's PCI composite score and rank over the years, against the median and the top province, and "
        "its sub-indices in its latest year with data against the median. The page's link keeps the province."),
    "profile_province": ("Tỉnh, thành phố", "Province"),
    "profile_composite_title": ("Điểm tổng hợp PCI của {name}", "{name}'s PCI composite score"),
    "profile_rank_title": ("Xếp hạng PCI của {name}", "{name}'s PCI rank"),
    "profile_no_composite": ("Chưa có điểm tổng hợp của {name}.", "No composite score for {name} yet."),
    "profile_sub_title": ("Chỉ số thành phần {year}: {name} so với trung vị",
                          "Sub-indices {year}: {name} against the median"),
    "profile_sub_none": ("Chưa có số liệu chỉ số thành phần của {name}.", "No sub-index scores for {name} yet."),
    "profile_sub_known": ("Năm {year}: có số liệu {n}/{total} chỉ số thành phần của {name}.",
                          "{year}: {n} of {total} sub-index scores of {name} are known."),
    "profile_sub_no_median": ("Chưa có trung vị chỉ số thành phần năm {year} (VCCI chưa công bố đủ số liệu).",
                              "No sub-index median for {year} (VCCI has not published every province's scores)."),
    "profile_sub_median_in": ("Năm gần nhất có trung vị để so sánh: {year}.",
                              "The latest year with a median to compare against: {year}."),
    "profile_scope_top": (
        "Năm {year}, VCCI chỉ công bố nhóm đứng đầu (top 30): hạng ngoài nhóm này là chưa có số liệu.",
        "In {year} VCCI published only the leading group (top 30): ranks outside it are unknown."),
    "compare_profiles": ("Hồ sơ từng tỉnh:", "Each province's profile:"),
}
