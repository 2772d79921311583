"""Strings of the whatif area: key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation
    "whatif_nav_section": ("Phân tích", "Analysis"),
    "whatif_nav_title": ("Mô phỏng cải thiện", "What-if"),
    # page header and inputs
    "whatif_title": ("Mô phỏng: cải thiện chỉ số nào có lợi nhất", "What-if: which improvements pay most"),
    "whatif_caption": (
        "Kéo thanh trượt để thay đổi điểm từng chỉ số thành phần (điểm, thang 0–10): điểm tổng hợp và xếp hạng "
        "được tính lại ngay theo trọng số của năm đó. Đường dẫn của trang giữ mọi lựa chọn để gửi cho người khác.",
        "Move the sliders to change each sub-index score (points, 0–10 scale): the composite score and the rank "
        "are recomputed at once with that year's weights. The page's link keeps every choice, to share it."),
    "whatif_entity": ("Tỉnh/thành phố", "Province"),
    "whatif_year": ("Năm", "Year"),
    "whatif_view": ("Khung đánh giá", "Framework"),
    "whatif_view_classic": ("PCI theo trọng số năm đó", "PCI with that year's weights"),
    "whatif_view_pci2025": ("PCI 2025 (giả định)", "PCI 2025 (assumed)"),
    "whatif_assumption": ("Giả định trọng số PCI 2025", "PCI 2025 weight assumption"),
    "whatif_assume_equal": ("Trọng số bằng nhau", "Equal weights"),
    "whatif_assume_lineage_2022": ("Trọng số PCI 2022 theo liên kết kế thừa",
                                   "PCI 2022 weights through the lineage"),
    "whatif_assume_tag_equal": ("giả định: trọng số bằng nhau", "assumption: equal weights"),
    "whatif_assume_tag_lineage_2022": ("giả định: trọng số PCI 2022 theo liên kết kế thừa",
                                       "assumption: PCI 2022 weights through the lineage"),
    "whatif_pci2025_intro": (
        "VCCI chưa công bố trọng số của PCI 2025. Kết quả dưới đây là kịch bản theo giả định đã chọn; điểm mỗi chỉ "
        "số PCI 2025 là trung bình các chỉ số cổ điển năm {year} mà nó kế thừa.",
        "VCCI has not published the PCI 2025 weights. The results below are a scenario under the chosen "
        "assumption; each PCI 2025 sub-index score is the mean of the classic {year} sub-indices it continues."),
    "whatif_rank_unsupported": (
        "Mô phỏng xếp hạng cần điểm chỉ số thành phần của mọi tỉnh trong năm; chỉ các năm {years} có đủ. "
        "Năm {year} mới có điểm chỉ số thành phần của {entity}, nên ở đây chỉ mô phỏng được điểm tổng hợp. "
        "Chuyên viên có thể nhập điểm của các tỉnh khác ở trang Nhập dữ liệu.",
        "Rank simulation needs every province's sub-index scores for the year; only {years} have them. "
        "For {year} only {entity}'s sub-index scores are known, so only the composite score can be simulated "
        "here. Analysts can enter the other provinces' scores on the Import page."),
    "whatif_problem_who": (
        "Chuyên viên có thể nhập số liệu còn thiếu ở trang Nhập dữ liệu.",
        "Analysts can enter the missing data on the Import page."),
    # sliders
    "whatif_sliders": ("Thay đổi điểm chỉ số thành phần", "Change the sub-index scores"),
    "whatif_sliders_help": (
        "Mức thay đổi tính bằng điểm; điểm mới luôn nằm trong thang 0–10.",
        "Changes in points; the new score always stays within the 0–10 scale."),
    "whatif_slider_label": ("{name} (hiện {score}; trọng số {weight}%)", "{name} (now {score}; weight {weight}%)"),
    "whatif_reset": ("Đặt lại", "Reset"),
    # results
    "whatif_results": ("Kết quả mô phỏng", "Simulated result"),
    "whatif_composite": ("Điểm tổng hợp", "Composite score"),
    "whatif_composite_2025": ("Điểm tổng hợp PCI 2025", "PCI 2025 composite score"),
    "whatif_rank": ("Xếp hạng", "Rank"),
    "whatif_rank_range": ("hạng {best}–{worst}/{n}", "rank {best}–{worst} of {n}"),
    "whatif_rank_unknown": ("Chưa tính được", "Not computable"),
    "whatif_places": ("{places:+d} bậc", "{places:+d} places"),
    "whatif_places_same": ("không đổi", "unchanged"),
    "whatif_before": (
        "Trước mô phỏng: {composite} điểm, {rank}.", "Before the simulation: {composite} points, {rank}."),
    "whatif_basis_recomputed": (
        "Điểm tổng hợp tính lại từ điểm chỉ số thành phần và trọng số ({framework}) cho mọi tỉnh.",
        "Composite scores recomputed from the sub-index scores and the weights ({framework}) for every province."),
    "whatif_basis_published": (
        "Điểm tổng hợp = điểm công bố {published} cộng phần tăng tính từ trọng số ({framework}).",
        "Composite = the published {published} plus the gain computed from the weights ({framework})."),
    "whatif_bounds_help": (
        "Khoảng hạng suy ra từ điểm tổng hợp công bố của: {provinces}.",
        "Rank range inferred from the published composite scores of: {provinces}."),
    "whatif_bounds_none": ("không tỉnh nào khác", "no other province"),
    "whatif_changes_table": ("Các thay đổi", "The changes"),
    # what it takes to reach a rank
    "whatif_target": ("Cần gì để đạt hạng mục tiêu", "What it takes to reach a rank"),
    "whatif_target_rank": ("Hạng mục tiêu", "Target rank"),
    "whatif_max_step": ("Mức tăng tối đa mỗi chỉ số", "Largest rise per sub-index"),
    "whatif_max_step_best": ("đến điểm cao nhất năm đó", "up to the year's best score"),
    "whatif_max_step_points": ("tối đa +{points} điểm", "at most +{points} points"),
    "whatif_target_met": (
        "{entity} đã đạt hạng {target} (hiện hạng {rank}/{n}): không cần cải thiện.",
        "{entity} already meets rank {target} (now rank {rank} of {n}): no improvement needed."),
    "whatif_target_plan": (
        "Để đạt hạng {target}, cần ít nhất {total} điểm chỉ số thành phần cộng lại (điểm tổng hợp +{points}, "
        "bằng điểm của {holders}; bằng điểm thì cùng hạng). Kế hoạch rẻ nhất: tăng chỉ số có trọng số lớn nhất "
        "trước, mỗi chỉ số không vượt {cap}.",
        "Rank {target} needs at least {total} sub-index points in all (composite +{points}, level with "
        "{holders}; an equal composite shares the rank). The cheapest plan raises the heaviest sub-indices "
        "first, none beyond {cap}."),
    "whatif_target_unreachable": (
        "Không thể đạt hạng {target} trong giới hạn này: kể cả khi mọi chỉ số tăng đến mức tối đa ({cap}), "
        "điểm tổng hợp chỉ đạt {best} so với {needed} cần có. Hạng tốt nhất có thể: {best_rank}/{n} "
        "(kế hoạch dưới đây).",
        "Rank {target} cannot be reached within these bounds: even with every sub-index at its maximum "
        "({cap}) the composite only reaches {best} against the {needed} needed. Best reachable rank: "
        "{best_rank} of {n} (plan below)."),
    "whatif_cap_best": ("điểm cao nhất của năm đó", "the year's best score"),
    "whatif_cap_best_or_step": ("điểm cao nhất của năm đó và +{points} điểm", "the year's best score and +{points} points"),
    "whatif_cap_ten": ("10 điểm", "10 points"),
    "whatif_cap_ten_or_step": ("10 điểm và +{points} điểm", "10 points and +{points} points"),
    "whatif_target_partial": (
        "Hạng chính xác cần điểm của mọi tỉnh năm {year}. Từ điểm tổng hợp công bố: chắc chắn đạt hạng {target} "
        "khi điểm tổng hợp tăng thêm {gain} (vượt {province}: {score}, hạng {rank}). Đây là mức đủ, có thể chưa "
        "phải mức ít nhất. Kế hoạch rẻ nhất cho mức đó (chưa biết điểm cao nhất năm {year}, nên mỗi chỉ số "
        "không vượt {cap}):",
        "The exact rank needs every province's {year} scores. From the published composites: rank {target} is "
        "certain once the composite rises by {gain} (passing {province}: {score}, rank {rank}). This is "
        "sufficient, perhaps not the least. The cheapest plan for it ({year}'s best scores are unknown, so no "
        "sub-index goes beyond {cap}):"),
    "whatif_target_partial_unreachable": (
        "Không thể chắc chắn đạt hạng {target} trong giới hạn này: cần điểm tổng hợp tăng {gain} nhưng mức tối "
        "đa ({cap}) chỉ thêm được {best}.",
        "Rank {target} cannot be made certain within these bounds: the composite must rise by {gain} but the "
        "maximum ({cap}) only adds {best}."),
    "whatif_target_unknown": (
        "Chưa tính được: cần điểm chỉ số thành phần của mọi tỉnh năm {year} (có đủ: {years}), và điểm tổng hợp "
        "công bố của các tỉnh đã biết không đủ để khẳng định hạng {target}.",
        "Not computable: it needs every province's {year} sub-index scores (complete: {years}), and the "
        "published composites known do not settle rank {target}."),
    # plan table columns
    "whatif_col_subindex": ("Chỉ số thành phần", "Sub-index"),
    "whatif_col_weight": ("Trọng số (%)", "Weight (%)"),
    "whatif_col_from": ("Điểm hiện tại", "Current score"),
    "whatif_col_to": ("Điểm cần đạt", "Score needed"),
    "whatif_col_delta": ("Mức tăng (điểm)", "Rise (points)"),
    "whatif_col_points": ("Điểm tổng hợp thêm", "Composite points added"),
    "whatif_col_new": ("Điểm mới", "New score"),
    "whatif_col_change": ("Thay đổi (điểm)", "Change (points)"),
    # marginal value
    "whatif_marginal": ("Giá trị biên: mỗi điểm cải thiện đáng bao nhiêu", "Marginal value: what a point is worth"),
    "whatif_gap_fraction": ("Phần khoảng cách đến tỉnh dẫn đầu được thu hẹp",
                            "Share of the gap to the leading province closed"),
    "whatif_marginal_per_point": ("Mỗi 1 điểm chỉ số", "Per point of sub-index"),
    "whatif_marginal_closing": ("Thu hẹp {pct}% khoảng cách đến tỉnh dẫn đầu",
                                "Closing {pct}% of the gap to the leader"),
    "whatif_marginal_title": ("Điểm tổng hợp tăng thêm theo từng chỉ số — {entity} {year}",
                              "Composite points gained per sub-index — {entity} {year}"),
    "whatif_marginal_axis": ("Điểm tổng hợp tăng thêm", "Composite points gained"),
    "whatif_marginal_no_best": (
        "Chưa biết điểm cao nhất năm {year} của các tỉnh, nên chỉ tính được giá trị của mỗi điểm.",
        "The provinces' best {year} scores are unknown, so only the value of one point can be given."),
    "whatif_col_best": ("Điểm cao nhất năm", "Year's best score"),
    "whatif_col_leader": ("Tỉnh dẫn đầu", "Leading province"),
    "whatif_col_gap": ("Khoảng cách (điểm)", "Gap (points)"),
    "whatif_col_per_point": ("Điểm tổng hợp / 1 điểm", "Composite points per point"),
    "whatif_col_closing": ("Điểm tổng hợp khi thu hẹp", "Composite points when closing"),
    "whatif_col_rank_closing": ("Hạng khi thu hẹp", "Rank when closing"),
    # standings chart
    "whatif_standings_title": ("Các tỉnh quanh {entity} sau mô phỏng: {rank}",
                               "Provinces around {entity} after the simulation: {rank}"),
    "whatif_standings_before": ("Trước mô phỏng", "Before the simulation"),
    "whatif_source": (
        "Điểm chỉ số thành phần: VCCI, PCI {year} ({sources}); trọng số: {framework}; điểm tổng hợp = "
        "Σ trọng số × điểm / 10 (tính toán).",
        "Sub-index scores: VCCI, PCI {year} ({sources}); weights: {framework}; composite = "
        "Σ weight × score / 10 (derived)."),
    "whatif_source_2025": (
        "Điểm PCI 2025: trung bình các chỉ số cổ điển kế thừa (liên kết kế thừa do {author} đề xuất); trọng số: {assumption}.",
        "PCI 2025 scores: mean of the classic sub-indices continued (lineage proposed by {author}); weights: {assumption}."),
}

# Command line (printed as "Vietnamese / English" on one line, like the rest of the CLI).
STRINGS.update({
    "whatif_cli_help": ("mô phỏng thay đổi điểm chỉ số thành phần", "simulate sub-index changes"),
    "whatif_cli_header": ("{entity} {year} — {framework}", "{entity} {year} — {framework}"),
    "whatif_cli_composite": ("Điểm tổng hợp", "Composite"),
    "whatif_cli_rank": ("Xếp hạng", "Rank"),
    "whatif_cli_note": ("Lưu ý", "Note"),
    "whatif_cli_no_changes": ("không có thay đổi nào (--set)", "no changes given (--set)"),
    "whatif_cli_unknown_entity": ("Không có tỉnh '{entity}'", "unknown province '{entity}'"),
    "whatif_cli_rank_needs_all": (
        "mô phỏng hạng cần điểm của mọi tỉnh; năm có đủ: {years}",
        "rank simulation needs every province's scores; complete years: {years}"),
    "whatif_cli_bounds": ("khoảng suy từ điểm công bố của {provinces}",
                          "range from the published composites of {provinces}"),
    "whatif_cli_target": ("Hạng mục tiêu {target}", "Target rank {target}"),
    "whatif_cli_target_met": ("đã đạt (hiện hạng {rank}/{n})", "already met (now rank {rank} of {n})"),
    "whatif_cli_target_plan": (
        "cần ít nhất {total} điểm chỉ số thành phần (điểm tổng hợp +{points}, bằng {holders})",
        "needs at least {total} sub-index points (composite +{points}, level with {holders})"),
    "whatif_cli_target_partial": (
        "chắc chắn khi điểm tổng hợp tăng {gain} (vượt {province}); mỗi chỉ số tối đa {cap}",
        "certain once the composite rises by {gain} (passing {province}); each sub-index at most {cap}"),
})
