"""Strings of the leadership area: key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation
    "leadership_nav_compare": ("So sánh các tỉnh", "Compare provinces"),
    # the source line under a chart (chart_block writes "Nguồn:" before it)
    "leadership_source": (
        "VCCI, Chỉ số năng lực cạnh tranh cấp tỉnh (PCI), pcivietnam.vn; bảng tính hằng năm của VCCI 2005–2019; số liệu "
        "2020–2024 theo trang hồ sơ tỉnh và báo chí (đường dẫn từng dòng trong bảng số liệu). Trung vị, tỉnh dẫn đầu và "
        "ngưỡng top 10 đến 2019 được tính từ điểm của tất cả các tỉnh.",
        "VCCI, Provincial Competitiveness Index (PCI), pcivietnam.vn; VCCI's yearly workbooks 2005–2019; 2020–2024 "
        "figures from the province profile and the press (a link per row in the data table). Median, top province and "
        "top-10 cut-off up to 2019 are computed from all provinces' scores."),
    # target status (glossary: Đạt · Cần chú ý · Chưa đạt); views.marks adds the shape
    "target_status_on_track": ("Đạt", "On track"),
    "target_status_watch": ("Cần chú ý", "Watch"),
    "target_status_off_track": ("Chưa đạt", "Off track"),
    "target_status_not_due": ("Chưa đến kỳ đánh giá", "Not yet due"),
    "target_status_no_target": ("Chưa có mục tiêu", "No target set"),
    "target_status_no_data": ("Chưa có số liệu", "No data"),
    "leadership_no_target": ("Chưa có mục tiêu", "No target set"),
    "leadership_target_who": (
        "Chưa có mục tiêu cho chỉ số này. Chuyên viên (Phòng Kinh tế – Hạ tầng và Đô thị) nhập mục tiêu "
        "(điểm và/hoặc hạng) ở trang Nhập dữ liệu; trạng thái Đạt/Cần chú ý/Chưa đạt sẽ hiện khi có mục tiêu.",
        "No target is set for this sub-index. Analysts (Economy, Infrastructure and Urban Affairs Division) enter "
        "targets (score and/or rank) on the Import page; the On track/Watch/Off track status appears once one exists."),
    "leadership_target_rank": ("hạng {rank}", "rank {rank}"),
    "leadership_rule_title": ("Quy tắc trạng thái Đạt / Cần chú ý / Chưa đạt", "Status rule: On track / Watch / Off track"),
    "leadership_rule": (
        "● **Đạt**: giá trị mới nhất đạt hoặc vượt mục tiêu. ▲ **Cần chú ý**: thấp hơn mục tiêu không quá "
        "{band} điểm (mục tiêu điểm) hoặc không quá {places} bậc (mục tiêu hạng). ■ **Chưa đạt**: thấp hơn nữa. "
        "Có cả mục tiêu điểm và hạng thì lấy trạng thái kém hơn. ○ **Chưa đến kỳ đánh giá** khi năm của mục tiêu "
        "chưa có số liệu: chỉ nêu giá trị mới nhất và khoảng cách còn lại. – **Chưa có mục tiêu** khi chưa ai nhập "
        "mục tiêu; – **Chưa có số liệu** khi chưa có giá trị. Hai ngưỡng do chuyên viên điều chỉnh.",
        "● **On track**: the latest value reaches or beats the target. ▲ **Watch**: below the target by at most "
        "{band} points (score target) or {places} places (rank target). ■ **Off track**: further below. With both "
        "a score and a rank target, the worse status counts. ○ **Not yet due** while the target's year has no "
        "data: only the latest value and the remaining gap are stated. – **No target set** until someone enters "
        "one; – **No data** when there is no value. Analysts can change both bands."),
    "leadership_band_points": ("Ngưỡng cần chú ý (điểm)", "Watch band (points)"),
    "leadership_band_places": ("Ngưỡng cần chú ý (bậc xếp hạng)", "Watch band (rank places)"),
    "leadership_save": ("Lưu", "Save"),
    # table headers
    "leadership_col_haiphong": ("Hải Phòng", "Hải Phòng"),
    "leadership_col_rank_of": ("Số tỉnh xếp hạng", "Provinces ranked"),
    "leadership_col_framework": ("Khung đánh giá", "Framework"),
    "leadership_col_top_score": ("Điểm tỉnh dẫn đầu", "Top province's score"),
    "leadership_col_top10": ("Ngưỡng top 10", "Top-10 cut-off"),
    "leadership_col_code": ("Mã", "Code"),
    "leadership_col_reference": ("So với", "Against"),
    "leadership_col_reference_value": ("Giá trị so sánh", "Reference value"),
    "leadership_col_gap_points": ("Khoảng cách (điểm)", "Gap (points)"),
    "leadership_col_gap_places": ("Khoảng cách (bậc xếp hạng)", "Gap (rank places)"),
    "leadership_gap_best": ("Tỉnh dẫn đầu", "Top province"),
    "leadership_gap_top10": ("Ngưỡng top 10", "Top-10 cut-off"),
    "leadership_reached": ("đã đạt (vượt {over})", "reached (over by {over})"),
    "leadership_reached_equal": ("đã đạt", "reached"),
    "leadership_col_change_since": ("Tăng từ điểm xuất phát", "Rise since the starting point"),
    "leadership_places_reached": ("đã đạt (hạng {rank})", "reached (rank {rank})"),
    "leadership_place_to_climb": ("cần lên {n} bậc (đến hạng {rank})", "{n} place to climb (to rank {rank})"),
    "leadership_none_set": ("Chưa có", "None set"),
    "leadership_places_to_climb": ("cần lên {n} bậc (đến hạng {rank})", "{n} places to climb (to rank {rank})"),
    "leadership_col_min": ("Thấp nhất", "Lowest"),
    "leadership_col_max": ("Cao nhất", "Highest"),
    "leadership_col_indicator": ("Chỉ tiêu (nhãn tiếng Anh của VCCI)", "Indicator (VCCI's English label)"),
    "leadership_col_task": ("Mã nhiệm vụ", "Task"),
    "leadership_col_task_title": ("Nhiệm vụ", "Task"),
    "leadership_col_lead_unit": ("Đơn vị chủ trì", "Lead unit"),
    "leadership_col_deadline": ("Thời hạn hoàn thành", "Deadline"),
    "leadership_col_status": ("Trạng thái", "Status"),
    "leadership_col_progress": ("Tiến độ", "Progress"),
    "leadership_col_measure": ("Chỉ số", "Measure"),
    "leadership_col_latest": ("Giá trị mới nhất", "Latest value"),
    "leadership_col_change": ("Thay đổi so với năm trước", "Change on last year"),
    "leadership_change_break": ("không so sánh được (thay đổi phương pháp)", "not comparable (methodology change)"),
    "leadership_col_priorities": ("Chỉ số ưu tiên kế thừa", "Priority it feeds"),
    "leadership_col_best_province": ("Tỉnh dẫn đầu", "Top province"),
    "leadership_col_weight_then": ("Trọng số {year} (%)", "Weight {year} (%)"),
    "leadership_col_points": ("Điểm tổng hợp có thể tăng", "Composite points to gain"),
    "leadership_col_weight_now": ("Trọng số hiện hành {fw} (%)", "Current weight {fw} (%)"),
    "leadership_col_points_now": ("Điểm có thể tăng theo trọng số hiện hành", "Points to gain at current weights"),
    "leadership_col_province": ("Tỉnh/thành phố", "Province"),
    "leadership_col_leader": ("Tỉnh dẫn đầu", "Leader"),
    "leadership_col_from": ("Xuất phát (năm, hạng)", "Starting point (year, rank)"),
    # priority page
    "leadership_priority_caption": (
        "Chỉ số ưu tiên của Kế hoạch nâng cao PCI 2025–2026 phường Hồng Bàng ({plan}). Số liệu là của thành phố "
        "Hải Phòng (PCI đo cấp tỉnh).",
        "A priority of Hồng Bàng ward's plan to raise the PCI in 2025–2026 ({plan}). Figures are Hải Phòng "
        "city's (the PCI measures provinces)."),
    "leadership_unknown_priority": ("Không tìm thấy chỉ số ưu tiên này trong kế hoạch.",
                                    "This priority is not in the plan."),
    "leadership_lineage_info": (
        "VCCI chưa công bố điểm {framework} của chỉ số này. Lịch sử dưới đây là **trung bình của các chỉ số "
        "thành phần cổ điển** {classic} — một **nhận định** về liên kết kế thừa của {author}, không phải số liệu "
        "VCCI công bố. Các năm có phương pháp khác nhau không được nối với nhau.",
        "VCCI has not published {framework} scores for this sub-index. The history below is the **mean of the "
        "classic sub-indices** {classic} — a **judgment** about lineage made by {author}, not a figure VCCI "
        "published. Years under different methodologies are never joined."),
    "leadership_no_history": (
        "Chưa có số liệu: chỉ số này chưa có điểm và chưa được liên kết với chỉ số cổ điển nào. Chuyên viên "
        "nhập điểm ở trang Nhập dữ liệu; Phòng KT-HT&ĐT có thể đề xuất liên kết kế thừa.",
        "No data: this sub-index has no scores and no link to a classic sub-index yet. Analysts enter scores "
        "on the Import page; the Economy, Infrastructure and Urban Affairs Division can propose a lineage link."),
    "leadership_weights_unknown": (
        "Trọng số của {framework} chưa được VCCI công bố: chưa thể tính chỉ số này đóng góp bao nhiêu điểm tổng hợp.",
        "VCCI has not published the {framework} weights: how many composite points this sub-index carries is unknown."),
    "leadership_latest_value": ("Giá trị mới nhất ({year})", "Latest value ({year})"),
    "leadership_latest_rank": ("Xếp hạng ({year})", "Rank ({year})"),
    "leadership_target": ("Mục tiêu", "Target"),
    "leadership_target_of": ("Mục tiêu {year}", "Target {year}"),
    "leadership_status": ("Trạng thái", "Status"),
    "leadership_change_break_note": (
        "Không tính thay đổi so với năm trước: năm {year} VCCI đổi phương pháp (thay đổi phương pháp).",
        "No change on last year is given: VCCI changed its methodology in {year}."),
    "leadership_gaps_title": ("Khoảng cách đến mục tiêu và các mốc so sánh", "Gaps to the target and the benchmarks"),
    "leadership_gaps_caption": (
        "Khoảng cách đến tỉnh dẫn đầu, ngưỡng top 10 và trung vị tính ở năm {year} — năm gần nhất có điểm của tất "
        "cả các tỉnh. Số dương: số điểm còn thiếu; hạng của trung vị là hạng giữa bảng.",
        "Gaps to the top province, the top-10 cut-off and the median are for {year}, the latest year with every "
        "province's scores. Positive: points still to gain; the median's rank is the middle of the table."),
    "leadership_gaps_none": (
        "Chưa có năm nào có điểm của tất cả các tỉnh cho chỉ số này: chưa tính được khoảng cách đến các mốc.",
        "No year has every province's scores for this sub-index yet: gaps to the benchmarks are unknown."),
    "leadership_trend_title": ("{name}: Hải Phòng qua các năm", "{name}: Hải Phòng over the years"),
    "leadership_trend_caption": (
        "Đường đứt đoạn ở các năm VCCI thay đổi phương pháp; trung vị và tỉnh dẫn đầu tính từ điểm của tất cả các "
        "tỉnh (đến {year}).",
        "Lines break where VCCI changed its methodology; the median and the top province are computed from every "
        "province's scores (up to {year})."),
    "leadership_rank_title": ("{name}: xếp hạng của Hải Phòng", "{name}: Hải Phòng's rank"),
    "leadership_rank_none": (
        "Chưa có số liệu xếp hạng: hạng chỉ tính được ở năm có điểm của tất cả các tỉnh.",
        "No rank data: a rank needs every province's scores for the year."),
    "leadership_dist_title": ("{name}: Hải Phòng giữa các tỉnh năm {year}", "{name}: Hải Phòng among provinces, {year}"),
    "leadership_dist_caption": (
        "Mỗi cột là một tỉnh, xếp từ cao đến thấp; Hải Phòng tô màu, ba tỉnh dẫn đầu có tên.",
        "One bar per province, highest first; Hải Phòng in colour, the top three named."),
    "leadership_notes_title": ("Câu chuyện sau đường biểu diễn", "The story behind the curve"),
    "leadership_notes_none": ("Chưa có ghi chú. Chuyên viên có thể viết ghi chú cho từng năm.",
                              "No notes yet. Analysts can write a note for each year."),
    "leadership_note_line": ("✎ {year}: {text} — {author}", "✎ {year}: {text} — {author}"),
    "leadership_note_edit": ("Viết hoặc sửa ghi chú của một năm (chuyên viên)", "Write or edit a year's note (analysts)"),
    "leadership_note_year": ("Năm", "Year"),
    "leadership_note_text": ("Ghi chú (để trống để xóa)", "Note (leave empty to delete)"),
    "leadership_lineage_title": ("Lịch sử này đến từ đâu: liên kết kế thừa", "Where this history comes from: lineage"),
    "leadership_col_note": ("Lý do", "Reason"),
    "leadership_col_author": ("Người đề xuất", "Proposed by"),
    "leadership_classic_title": ("Các chỉ số thành phần cổ điển của Hải Phòng", "Hải Phòng's classic sub-indices"),
    "leadership_indicators_title": ("Các chỉ tiêu bên trong", "The indicators behind it"),
    "leadership_indicators_note": (
        "Bảng tính của VCCI chỉ ghi nhãn chỉ tiêu bằng tiếng Anh; nhãn được giữ nguyên. Cơ sở dữ liệu có giá trị chỉ "
        "tiêu các năm {years}. Với một số chỉ tiêu (số ngày, chi phí) giá trị thấp hơn là tốt hơn.",
        "VCCI's workbooks label indicators in English only; the labels are kept as they are. The database holds "
        "indicator values for {years}. For some indicators (days, costs) lower is better."),
    "leadership_indicators_none": ("Chưa có số liệu chỉ tiêu cho chỉ số này.", "No indicator data for this sub-index."),
    "leadership_indicator_sub": ("Chỉ số thành phần", "Sub-index"),
    "leadership_tasks_title": ("Nhiệm vụ của kế hoạch gắn với chỉ số này", "The plan's tasks for this sub-index"),
    "leadership_tasks_caption": ("Trạng thái kỳ báo cáo {period}.", "Status for the reporting period {period}."),
    "leadership_tasks_none": ("Kế hoạch chưa có nhiệm vụ gắn với chỉ số này.", "The plan has no task for this sub-index."),
    "leadership_derived_source": (
        "Giá trị, xếp hạng, trung vị và tỉnh dẫn đầu của chỉ số này được tính từ điểm các chỉ số cổ điển của VCCI "
        "(trung bình theo liên kết kế thừa).",
        "This sub-index's values, ranks, median and top province are computed from VCCI's classic sub-index "
        "scores (mean along the lineage)."),
    "leadership_lineage_row_source": (
        "Tính toán: trung bình của {names} (chỉ số cổ điển của VCCI; liên kết kế thừa là một nhận định)",
        "Computed: mean of {names} (VCCI's classic sub-indices; the lineage is a judgment)"),
    "leadership_lineage_row_source_one": (
        "Tính toán: bằng chỉ số cổ điển {names} của VCCI (liên kết kế thừa là một nhận định)",
        "Computed: equal to VCCI's classic sub-index {names} (the lineage is a judgment)"),
    # overview scorecard
    "leadership_scorecard_title": ("Bảng theo dõi các chỉ số ưu tiên", "Scorecard of the priority sub-indices"),
    "leadership_target_source": ("Nguồn mục tiêu — {line}", "Target source — {line}"),
    "leadership_scorecard_lineage": (
        "(*) Chỉ số PCI 2025 chưa có điểm công bố: giá trị là trung bình các chỉ số cổ điển kế thừa (một nhận định; "
        "xem trang của từng chỉ số).",
        "(*) PCI 2025 sub-index without published scores: the value is the mean of the classic sub-indices it "
        "continues (a judgment; see each sub-index's page)."),
    "leadership_points_title": ("Điểm nằm ở đâu", "Where the points are"),
    "leadership_points_chart": (
        "Điểm tổng hợp Hải Phòng có thể tăng nếu bắt kịp tỉnh dẫn đầu từng chỉ số ({year})",
        "Composite points Hải Phòng would gain by catching up with the top province in each sub-index ({year})"),
    "leadership_points_caption": (
        "Điểm có thể tăng = trọng số (%) × (điểm tỉnh dẫn đầu − điểm Hải Phòng) / 10, năm {year} với trọng số {fw} "
        "(cột cuối: cùng khoảng cách với trọng số hiện hành {now}).",
        "Points to gain = weight (%) × (top province's score − Hải Phòng's score) / 10, in {year} with the {fw} "
        "weights (last column: the same gaps at the current {now} weights)."),
    "leadership_points_year_note": (
        "Điểm chỉ số thành phần của Hải Phòng có đến năm {hp}, nhưng điểm của tỉnh dẫn đầu từng chỉ số chỉ có đến năm "
        "{year}: khoảng cách tính ở năm {year}. Chuyên viên có thể nhập điểm các tỉnh năm sau ở trang Nhập dữ liệu.",
        "Hải Phòng's sub-index scores run to {hp}, but the top province of each sub-index is known only up to {year}: "
        "the gaps are those of {year}. Analysts can enter later years' province scores on the Import page."),
    "leadership_points_2025": (
        "Trọng số của các chỉ số PCI 2025 (5 chỉ số ưu tiên) chưa được VCCI công bố: chưa tính được điểm theo các "
        "chỉ số đó. Bảng dưới là phiên bản theo chỉ số cổ điển; cột \"Chỉ số ưu tiên kế thừa\" cho biết mỗi chỉ số "
        "cổ điển nuôi chỉ số ưu tiên nào.",
        "VCCI has not published the weights of the PCI 2025 sub-indices (the five priorities): points per priority "
        "cannot be computed. Below is the classic sub-index version; the \"Priority it feeds\" column says which "
        "priority each classic sub-index continues."),
    "leadership_points_none": ("Chưa có số liệu để tính điểm nằm ở đâu.", "No data to compute where the points are."),
    # compare page
    "leadership_compare_title": ("So sánh với các tỉnh dẫn đầu", "Compare with the leaders"),
    "leadership_compare_caption": (
        "Chọn tỉnh và năm: bản đồ nhiệt chỉ số thành phần, điểm và hạng, điểm tổng hợp qua các năm, và học hỏi từ "
        "các tỉnh dẫn đầu (kế hoạch, mục III.2).",
        "Pick provinces and years: a sub-index heatmap, scores with ranks, composite over the years, and learning "
        "from the leaders (the plan, section III.2)."),
    "leadership_provinces": ("Tỉnh/thành phố", "Provinces"),
    "leadership_year": ("Năm (bản đồ nhiệt, điểm và hạng, tỉnh dẫn đầu)", "Year (heatmap, scores and ranks, leaders)"),
    "leadership_span_from": ("Đường qua các năm: từ năm", "Lines over the years: from"),
    "leadership_span_to": ("đến năm", "to"),
    "leadership_no_provinces": ("Hãy chọn ít nhất một tỉnh.", "Pick at least one province."),
    "leadership_partial_year": (
        "Năm {year} chưa có điểm chỉ số thành phần của tất cả các tỉnh (năm gần nhất có đủ: {full}); ô trống là "
        "chưa có số liệu.",
        "{year} does not have every province's sub-index scores (latest full year: {full}); empty cells are no data."),
    "leadership_heatmap_title": ("Chỉ số thành phần năm {year}", "Sub-indices, {year}"),
    "leadership_scores_title": ("Điểm và xếp hạng năm {year}", "Scores and ranks, {year}"),
    "leadership_traj_title": ("Điểm tổng hợp PCI qua các năm", "PCI composite over the years"),
    "leadership_leaders_title": ("Học hỏi từ tỉnh dẫn đầu", "Learn from the leaders"),
    "leadership_leaders_caption": (
        "Tỉnh dẫn đầu từng chỉ số năm {year}, điểm xuất phát của họ (năm đầu cùng phương pháp trong giai đoạn) và "
        "mức tăng; khoảng cách của Hải Phòng.",
        "The top province of each sub-index in {year}, where it started (first year of the same methodology in the "
        "span) and how much it rose; Hải Phòng's gap."),
    "leadership_leaders_none": (
        "Chưa có số liệu tỉnh dẫn đầu từng chỉ số năm {year} (cần điểm của tất cả các tỉnh; năm gần nhất có đủ: {full}).",
        "The top province of each sub-index in {year} is unknown (it needs every province's scores; latest full "
        "year: {full})."),
    "leadership_leader_pick": ("Chỉ số để xem đường đi của tỉnh dẫn đầu", "Sub-index whose leader to follow"),
    "leadership_leader_traj_title": ("{name}: {leader} đã đi lên thế nào", "{name}: how {leader} got there"),
}
