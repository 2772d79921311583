"""Strings of the written commentary, the projection to the target year and the provinces' tile map:
key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
    # commentary: headings and footnotes
    "cm_title": ("Nhận định", "Commentary"),
    "cm_sources": ("Nguồn của các số trong nhận định:", "Sources of the figures in the commentary:"),
    "cm_footnote": ("[{n}] {source}", "[{n}] {source}"),
    "cm_composite_name": ("điểm PCI tổng hợp", "PCI composite score"),
    "cm_lineage": (" (giá trị kế thừa: trung bình của {names})", " (a lineage value: the mean of {names})"),
    "cm_lineage_one": (" (giá trị kế thừa từ {names})", " (a lineage value carried over from {names})"),
    # the value and its change on the previous year
    "cm_missing": ("Chưa có số liệu về {name} của Hải Phòng.", "There are no figures yet for Hải Phòng's {name}."),
    "cm_up": ("Năm {year}, {name} của Hải Phòng đạt {value} điểm, tăng {change} điểm so với năm {prev}.",
              "In {year}, Hải Phòng's {name} was {value}, up {change} points on {prev}."),
    "cm_down": ("Năm {year}, {name} của Hải Phòng đạt {value} điểm, giảm {change} điểm so với năm {prev}.",
                "In {year}, Hải Phòng's {name} was {value}, down {change} points on {prev}."),
    "cm_flat": ("Năm {year}, {name} của Hải Phòng đạt {value} điểm, không đổi so với năm {prev}.",
                "In {year}, Hải Phòng's {name} was {value}, unchanged on {prev}."),
    "cm_break": (
        "Năm {year}, {name} của Hải Phòng đạt {value} điểm; không so sánh với năm {prev} vì phương pháp tính "
        "đã thay đổi.",
        "In {year}, Hải Phòng's {name} was {value}; it is not compared with {prev} because the methodology "
        "changed."),
    "cm_no_prev": ("Năm {year}, {name} của Hải Phòng đạt {value} điểm; năm {prev} chưa có số liệu để so sánh.",
                   "In {year}, Hải Phòng's {name} was {value}; {prev} has no figure to compare with."),
    # rank
    "cm_rank": ("Về xếp hạng, Hải Phòng đứng thứ {rank}/{n} năm {year}.",
                "Hải Phòng ranked {rank} of {n} in {year}."),
    "cm_rank_missing": ("Xếp hạng năm {year}: chưa có số liệu.", "Its {year} rank: no figure yet."),
    # largest change among the sub-indices
    "cm_most_up": ("Năm {year}, trong {n} chỉ số thành phần, {names} tăng nhiều nhất: {change} điểm so với năm {prev}.",
                   "In {year}, of the {n} sub-indices, {names} rose most: {change} points on {prev}."),
    "cm_most_up_tie": (
        "Năm {year}, trong {n} chỉ số thành phần, {names} cùng tăng nhiều nhất: {change} điểm so với năm {prev}.",
        "In {year}, of the {n} sub-indices, {names} rose most, equally: {change} points on {prev}."),
    "cm_most_down": ("Năm {year}, trong {n} chỉ số thành phần, {names} giảm nhiều nhất: {change} điểm so với năm {prev}.",
                     "In {year}, of the {n} sub-indices, {names} fell most: {change} points on {prev}."),
    "cm_most_down_tie": (
        "Năm {year}, trong {n} chỉ số thành phần, {names} cùng giảm nhiều nhất: {change} điểm so với năm {prev}.",
        "In {year}, of the {n} sub-indices, {names} fell most, equally: {change} points on {prev}."),
    "cm_none_up": ("Năm {year}, không chỉ số thành phần nào tăng so với năm {prev}.",
                   "In {year}, no sub-index rose on {prev}."),
    "cm_none_down": ("Năm {year}, không chỉ số thành phần nào giảm so với năm {prev}.",
                     "In {year}, no sub-index fell on {prev}."),
    "cm_subs_break": (
        "Các chỉ số thành phần năm {year} tính theo phương pháp mới, nên không so sánh với năm {prev}.",
        "The {year} sub-indices follow a new methodology, so they are not compared with {prev}."),
    "cm_subs_missing": ("Chưa có đủ số liệu chỉ số thành phần của hai năm liền nhau để so sánh.",
                        "There are not yet sub-index figures for two consecutive years to compare."),
    "cm_is_most_up": ("Đây là mức tăng lớn nhất trong {n} chỉ số thành phần năm {year}.",
                      "This is the largest rise among the {n} sub-indices in {year}."),
    "cm_is_most_down": ("Đây là mức giảm lớn nhất trong {n} chỉ số thành phần năm {year}.",
                        "This is the largest fall among the {n} sub-indices in {year}."),
    "cm_and": (" và ", " and "),
    # the target
    "cm_no_target": ("Chưa có mục tiêu cho {name}.", "No target is set for {name}."),
    "cm_target_points": ("Mục tiêu năm {ty}: {target} điểm; so với số liệu năm {year}: {gap}. Trạng thái: {status}.",
                         "Target for {ty}: {target}; against the {year} figure: {gap}. Status: {status}."),
    "cm_target_rank": ("Mục tiêu năm {ty}: hạng {target}; so với hạng năm {year}: {gap}. Trạng thái: {status}.",
                       "Target for {ty}: rank {target}; against the {year} rank: {gap}. Status: {status}."),
    "cm_target_points_gap": ("còn thiếu {gap} điểm", "{gap} points short"),
    "cm_target_no_value": ("Mục tiêu năm {ty}: {target}; chưa có số liệu để tính khoảng cách. Trạng thái: {status}.",
                           "Target for {ty}: {target}; no figure yet to measure the gap. Status: {status}."),
    # compare
    "cm_cmp_best": ("Năm {year}, trong các tỉnh đã chọn, {best} có điểm tổng hợp cao nhất ({value} điểm{rank}).",
                    "In {year}, of the chosen provinces, {best} had the highest composite ({value}{rank})."),
    "cm_cmp_rank": (", hạng {rank}/{n}", ", rank {rank} of {n}"),
    "cm_cmp_hp": ("Hải Phòng đạt {value} điểm{rank}.", "Hải Phòng had {value}{rank}."),
    "cm_cmp_hp_missing": ("Điểm tổng hợp năm {year} của Hải Phòng: chưa có số liệu.",
                          "Hải Phòng's {year} composite: no figure yet."),
    "cm_cmp_far": ("Khoảng cách lớn nhất tới tỉnh dẫn đầu là ở {name}: {gap} điểm sau {leader}.",
                   "The widest gap to the leader is in {name}: {gap} points behind {leader}."),
    "cm_cmp_near": ("Gần nhất là ở {name}: {gap} điểm sau {leader}.",
                    "The narrowest is in {name}: {gap} points behind {leader}."),
    "cm_cmp_leads": ("Hải Phòng dẫn đầu cả nước về {names} năm {year}.", "Hải Phòng led the country in {names} in {year}."),
    "cm_cmp_subs_missing": ("Năm {year} chưa có đủ số liệu chỉ số thành phần để so với tỉnh dẫn đầu.",
                            "In {year} there are not enough sub-index figures to compare with the leaders."),
    # projection to the target year
    "pj_title": ("Dự báo đến năm mục tiêu", "Projection to the target year"),
    "pj_status_on_course": ("Đúng hướng", "On course"),
    "pj_status_accelerate": ("Cần tăng tốc", "Needs to speed up"),
    "pj_status_not_enough": ("Chưa đủ số liệu để dự báo", "Not enough data to project"),
    "pj_status_no_target": ("Chưa có mục tiêu để so", "No target to compare with"),
    "pj_value_score": ("{value} điểm (khoảng {low}–{high})", "{value} (range {low}–{high})"),
    "pj_value_rank": ("hạng {value} (khoảng hạng {low}–{high})", "rank {value} (range: ranks {low}–{high})"),
    "pj_sentence": ("Dự báo {name} năm {ty} theo tốc độ {first}–{last}: {value}. Đánh giá: {status}.",
                    "Projection of {name} for {ty} at the {first}–{last} pace: {value}. Verdict: {status}."),
    "pj_break": (
        "Dự báo {name} năm {ty}: chưa đủ số liệu để dự báo. Năm {ty} tính theo phương pháp {fw}, mới có {n} năm "
        "số liệu theo phương pháp này (cần ít nhất {min}); số liệu theo phương pháp trước không được nối sang.",
        "Projection of {name} for {ty}: not enough data to project. {ty} follows the {fw} methodology, which has "
        "{n} years of figures so far (at least {min} are needed); figures under the earlier methodology are not "
        "carried across."),
    "pj_few": (
        "Dự báo {name} năm {ty}: chưa đủ số liệu để dự báo. Mới có {n} năm số liệu theo phương pháp {fw} (cần ít "
        "nhất {min}).",
        "Projection of {name} for {ty}: not enough data to project. The {fw} methodology has {n} years of figures "
        "so far (at least {min} are needed)."),
    "pj_no_data": ("Dự báo {name} năm {ty}: chưa đủ số liệu để dự báo (chưa có số liệu).",
                   "Projection of {name} for {ty}: not enough data to project (no figures yet)."),
    "pj_when": ("Dự báo sẽ tự có khi đủ {min} năm số liệu theo phương pháp {fw}.",
                "A projection will appear by itself once {fw} has {min} years of figures."),
    "pj_method": (
        "Phương pháp: đường xu hướng Theil–Sen (trung vị độ dốc giữa mọi cặp năm) trên tối đa {window} năm gần nhất "
        "cùng phương pháp tính với năm mục tiêu, cần ít nhất {min} năm. Dải bất định: ±2 độ lệch chuẩn của phần dư, "
        "nới rộng theo khoảng cách tới năm mục tiêu — đo độ dao động của chính số liệu, không phải xác suất.",
        "Method: a Theil–Sen trend line (the median slope between every pair of years) on at most the last {window} "
        "years under the target year's methodology, at least {min} of them. Band: ±2 standard deviations of the "
        "residuals, widened with the distance to the target year — the data's own variation, not a probability."),
    "pj_limits": (
        "Giới hạn: giả định tốc độ gần đây giữ nguyên; không nối số liệu qua thay đổi phương pháp; hạng được dự báo "
        "từ chuỗi hạng, không từ điểm; khi chưa có mục tiêu, năm dự báo là năm cuối của kế hoạch.",
        "Limits: assumes the recent pace holds; never joins figures across a methodology change; a rank is "
        "projected from the rank series, not from scores; without a target the plan's last year is used."),
    "pj_series": ("Số liệu dùng để dự báo", "Figures used"),
    "pj_line": ("Dự báo", "Projection"),
    "pj_band": ("Dải bất định", "Band"),
    "pj_chart_title": ("Dự báo {name} đến năm {ty}", "Projection of {name} to {ty}"),
    # the provinces' tile map
    "cm_map_title": ("Bản đồ các tỉnh", "Map of the provinces"),
    "cm_map_chart": ("{name} năm {year} ({units} đơn vị)", "{name} in {year} ({units} units)"),
    "cm_map_unknown": ("Chưa có số liệu (?)", "No data (?)"),
    "cm_map_measure": ("Chỉ số trên bản đồ", "Measure on the map"),
    "cm_map_year": ("Năm trên bản đồ", "Year on the map"),
    "cm_map_caption": (
        "Mỗi ô vuông là một tỉnh, xếp theo vị trí trên bản đồ Việt Nam (không theo diện tích). Đến năm 2024: 63 "
        "tỉnh, thành phố; từ năm 2025: 34 đơn vị theo Nghị quyết 202/2025/QH15. Ô để trống, viền chấm, có dấu "
        "\"?\" là chưa có số liệu, không phải điểm 0. Ô viền đậm: Hải Phòng. Có số liệu: {known}/{units}.",
        "Each square is one province, placed as on a map of Vietnam (not by area). To 2024: the 63 provinces; from "
        "2025: the 34 units of Resolution 202/2025/QH15. An empty dotted tile with \"?\" has no data — it is not a "
        "zero. "
        "Outlined: Hải Phòng. With data: {known} of {units}."),
    "slides_map_haiphong": ("Hải Phòng năm {year}: {value} điểm, {rank}.", "Hải Phòng in {year}: {value}, {rank}."),
}
