"""Strings of the tasks area: key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation
    "tasks_nav_section": ("Kế hoạch", "Plan"),
    "tasks_nav_tasks": ("Nhiệm vụ và báo cáo", "Tasks and reports"),
    "tasks_nav_service": ("Chỉ số phục vụ (QĐ 766)", "Service index (Decision 766)"),
    # statuses (glossary)
    "tasks_status_chua_thuc_hien": ("Chưa thực hiện", "Not started"),
    "tasks_status_dang_thuc_hien": ("Đang thực hiện", "In progress"),
    "tasks_status_hoan_thanh": ("Hoàn thành", "Done"),
    "tasks_status_cham_tien_do": ("Chậm tiến độ", "Late"),
    "tasks_status_chua_bao_cao": ("Chưa có báo cáo", "Not reported"),
    # roles
    "tasks_role_lead": ("Chủ trì", "Lead"),
    "tasks_role_support": ("Phối hợp", "Support"),
    # periods
    "tasks_period_quarter": ("Quý {q}/{year}", "Q{q} {year}"),
    "tasks_period_year": ("Năm {year}", "Year {year}"),
    "tasks_kind_quarterly": ("Báo cáo quý", "Quarterly report"),
    "tasks_kind_annual": ("Báo cáo năm", "Annual report"),
    "tasks_due_upcoming": ("Sắp đến hạn", "Upcoming"),
    "tasks_due_due_today": ("Hạn nộp hôm nay", "Due today"),
    "tasks_due_overdue": ("Đã quá hạn", "Past due"),
    # validation: what is expected (vi, en)
    "tasks_exp_task": ("mã nhiệm vụ có trong kế hoạch (ví dụ T01)", "a task code from the plan (e.g. T01)"),
    "tasks_exp_task_suggest": ("mã nhiệm vụ có trong kế hoạch; có phải \"{s}\"?",
                               "a task code from the plan; did you mean \"{s}\"?"),
    "tasks_exp_unit": ("mã hoặc tên đơn vị có trong kế hoạch (ví dụ kt_ht_dt)",
                       "a unit code or name from the plan (e.g. kt_ht_dt)"),
    "tasks_exp_unit_suggest": ("mã hoặc tên đơn vị có trong kế hoạch; có phải \"{s}\"?",
                               "a unit code or name from the plan; did you mean \"{s}\"?"),
    "tasks_exp_period": ("kỳ báo cáo dạng 2026-Q1, 2026-Q2, 2026-Q3 hoặc 2026 (báo cáo năm)",
                         "a reporting period like 2026-Q1, 2026-Q2, 2026-Q3 or 2026 (annual report)"),
    "tasks_exp_period_q4": ("không có báo cáo quý IV: báo cáo năm (ví dụ 2026) thay cho quý IV",
                            "there is no fourth-quarter report: the annual report (e.g. 2026) replaces it"),
    "tasks_exp_period_years": ("kỳ báo cáo trong thời gian kế hoạch ({years})",
                               "a reporting period within the plan's years ({years})"),
    "tasks_exp_status": ("một trạng thái: Chưa thực hiện, Đang thực hiện, Hoàn thành hoặc Chậm tiến độ",
                         "a status: Not started, In progress, Done or Late"),
    "tasks_exp_status_derived": (
        "một trạng thái đã báo cáo (\"Chưa có báo cáo\" do hệ thống tự xác định; bỏ dòng này nếu chưa báo cáo)",
        "a reported status (\"Not reported\" is derived by the system; leave the row out instead)"),
    "tasks_exp_progress": ("tiến độ là số từ 0 đến 100 (%)", "progress as a number from 0 to 100 (%)"),
    "tasks_exp_required": ("một giá trị (cột bắt buộc)", "a value (required column)"),
    "tasks_exp_column": ("cột \"{col}\" trong trang tính", "a column \"{col}\" in the sheet"),
    "tasks_exp_duplicate": ("mỗi nhiệm vụ một báo cáo mỗi kỳ (trùng với dòng {other})",
                            "one report per task and period (same as row {other})"),
    "tasks_exp_date": ("ngày dạng dd/mm/yyyy", "a date as dd/mm/yyyy"),
    "tasks_exp_text_long": ("nội dung không quá {n} ký tự", "text of at most {n} characters"),
    "tasks_note_decimal_comma": ("một số (đã đọc dấu phẩy thập phân \"{raw}\" là {value})",
                                 "a number (the decimal comma \"{raw}\" was read as {value})"),
    "tasks_note_unit_not_assigned": ("một đơn vị được phân công nhiệm vụ {task} (\"{unit}\" chưa được phân công; vẫn ghi nhận)",
                                     "a unit assigned to task {task} (\"{unit}\" is not; recorded anyway)"),
    "tasks_note_done_progress": ("tiến độ 100 khi trạng thái là Hoàn thành (vẫn ghi nhận)",
                                 "progress 100 when the status is Done (recorded anyway)"),
    "tasks_note_empty": ("ít nhất một dòng báo cáo", "at least one report row"),
    # service index (Decision 766): validation
    "service_exp_group": ("một nhóm của Bộ chỉ số phục vụ (QĐ 766), ví dụ publicity hoặc \"Công khai, minh bạch\"",
                          "a group of the service index (Decision 766), e.g. publicity or \"Publicity & transparency\""),
    "service_exp_group_suggest": ("một nhóm của Bộ chỉ số phục vụ (QĐ 766); có phải \"{s}\"?",
                                  "a group of the service index (Decision 766); did you mean \"{s}\"?"),
    "service_exp_entity": ("mã hoặc tên địa bàn có trong dữ liệu (ví dụ hongbang)",
                           "an entity code or name in the data (e.g. hongbang)"),
    "service_exp_entity_suggest": ("mã hoặc tên địa bàn có trong dữ liệu; có phải \"{s}\"?",
                                   "an entity code or name in the data; did you mean \"{s}\"?"),
    "service_exp_period": ("kỳ dạng 2026, 2026-Q1 (quý) hoặc 2026-03 (tháng)",
                           "a period like 2026, 2026-Q1 (quarter) or 2026-03 (month)"),
    "service_exp_score": ("điểm là số từ 0 đến {max}", "a score from 0 to {max}"),
    "service_exp_score_unknown_max": (
        "điểm là số từ 0 đến {max} (điểm tối đa của nhóm này chưa xác định; mỗi nhóm 18–22 điểm)",
        "a score from 0 to {max} (this group's maximum is not known; each group has 18–22 points)"),
    "service_exp_pair": ("tổng hai nhóm Số hóa hồ sơ và Cung cấp dịch vụ trực tuyến không quá 44 điểm (đang là {total})",
                         "the Dossier digitisation and Online services groups together at most 44 points (now {total})"),
    "service_exp_total": ("tổng năm nhóm không quá 100 điểm (đang là {total})",
                          "the five groups together at most 100 points (now {total})"),
    "service_exp_duplicate": ("mỗi nhóm một điểm mỗi kỳ (trùng với dòng {other})",
                              "one score per group and period (same as row {other})"),
    "service_note_source_default": ("nguồn số liệu ở mỗi dòng (dòng để trống được ghi \"{source}\")",
                                    "a source on every row (blank ones were recorded as \"{source}\")"),
    "service_source_default": ("Nhập liệu từ trang tính \"{sheet}\"", "Entered from sheet \"{sheet}\""),
    # task tables
    "tasks_col_task_id": ("Mã", "Code"),
    "tasks_col_title": ("Nhiệm vụ", "Task"),
    "tasks_col_subindex": ("Chỉ số thành phần", "Sub-index"),
    "tasks_col_lead": ("Đơn vị chủ trì", "Lead unit"),
    "tasks_col_support": ("Đơn vị phối hợp", "Supporting units"),
    "tasks_col_deadline": ("Thời hạn hoàn thành", "Deadline"),
    "tasks_col_product": ("Sản phẩm", "Expected product"),
    "tasks_col_authority": ("Thẩm quyền", "Authority"),
    "tasks_col_status": ("Trạng thái", "Status"),
    "tasks_col_progress": ("Tiến độ (%)", "Progress (%)"),
    "tasks_col_outcome": ("Kết quả", "Outcome"),
    "tasks_col_evidence": ("Minh chứng", "Evidence"),
    "tasks_col_last_period": ("Kỳ báo cáo gần nhất", "Latest report"),
    "tasks_col_unit": ("Đơn vị", "Unit"),
    "tasks_col_led": ("Nhiệm vụ chủ trì", "Tasks led"),
    "tasks_col_reported": ("Đã báo cáo", "Reported"),
    "tasks_col_missing": ("Còn thiếu báo cáo", "Reports missing"),
    "tasks_col_has_reported": ("Đã báo cáo đủ", "Fully reported"),
    "tasks_col_period": ("Kỳ báo cáo", "Reporting period"),
    "tasks_col_kind": ("Loại báo cáo", "Report"),
    "tasks_col_due": ("Hạn nộp báo cáo", "Report due date"),
    "tasks_col_state": ("Tình trạng", "State"),
    "tasks_col_reports": ("Nhiệm vụ đã có báo cáo", "Tasks reported"),
    "tasks_col_reported_by": ("Người báo cáo", "Reported by"),
    "tasks_col_reported_at": ("Ngày báo cáo", "Reported on"),
    "tasks_col_count": ("Số nhiệm vụ", "Tasks"),
    "tasks_no_deadline": ("Chưa có thời hạn", "No deadline set"),
    "tasks_unassigned": ("Chưa phân công", "Not assigned"),
    "tasks_yes": ("Có", "Yes"),
    "tasks_no": ("Chưa", "Not yet"),
    # the Word report (NĐ 30/2020/NĐ-CP layout)
    "tasks_rpt_quoc_hieu": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
    "tasks_rpt_tieu_ngu": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "tasks_rpt_ward_body": ("ỦY BAN NHÂN DÂN\nPHƯỜNG HỒNG BÀNG", "PEOPLE'S COMMITTEE\nOF HỒNG BÀNG WARD"),
    "tasks_rpt_ward_upper": ("UBND PHƯỜNG HỒNG BÀNG", "HỒNG BÀNG WARD PEOPLE'S COMMITTEE"),
    "tasks_rpt_ward_speaker": ("Ủy ban nhân dân phường Hồng Bàng", "The People's Committee of Hồng Bàng ward"),
    "tasks_rpt_symbol_ward": ("Số:        /BC-UBND", "No.:        /BC-UBND"),
    "tasks_rpt_symbol_focal": ("Số:        /BC-KTHTĐT", "No.:        /BC-KTHTĐT"),
    "tasks_rpt_sign_ward": ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
                            "ON BEHALF OF THE PEOPLE'S COMMITTEE\nFOR THE CHAIR\nVICE-CHAIR"),
    "tasks_rpt_sign_focal": ("TRƯỞNG PHÒNG", "HEAD OF DIVISION"),
    "tasks_rpt_recipients_head": ("Nơi nhận:", "Recipients:"),
    "tasks_rpt_recipients_ward": (
        "- UBND thành phố (để b/c);\n- Sở Tài chính;\n- CT, các PCT UBND phường;\n"
        "- Các phòng, ban, đơn vị thuộc phường;\n- Lưu: VT, KT-HT&ĐT.",
        "- City People's Committee (to report);\n- Department of Finance;\n- Ward Chair and Vice-Chairs;\n"
        "- The ward's divisions and units;\n- Archive: VT, KT-HT&ĐT."),
    "tasks_rpt_recipients_focal": ("- UBND phường (để b/c);\n- Các phòng, ban, đơn vị thuộc phường;\n- Lưu: VT.",
                                   "- Ward People's Committee (to report);\n- The ward's divisions and units;\n- Archive: VT."),
    "tasks_rpt_title": ("BÁO CÁO", "REPORT"),
    "tasks_rpt_subject": ("Kết quả thực hiện {plan}, {period}", "Results of the {plan}, {period}"),
    "tasks_rpt_opening": (
        "Thực hiện {plan}, {speaker} báo cáo kết quả thực hiện {period} như sau:",
        "Under the {plan}, {speaker} reports the results for {period} as follows:"),
    "tasks_rpt_derived_from": ("trung bình của chỉ số cổ điển {names} (liên kết kế thừa, một nhận định)",
                               "mean of the classic sub-index {names} (lineage link, a judgment)"),
    "tasks_rpt_trend_break": ("Xu hướng: năm {year} áp dụng phương pháp mới của VCCI, không so sánh với năm trước.",
                              "Trend: {year} uses VCCI's new methodology, not compared with the year before."),
    "tasks_rpt_h_priorities": ("I. CÁC CHỈ SỐ THÀNH PHẦN ƯU TIÊN", "I. THE PRIORITIZED SUB-INDICES"),
    "tasks_rpt_priorities_note": (
        "Số liệu PCI của thành phố Hải Phòng (VCCI không công bố PCI cấp phường). VCCI chưa công bố chỉ số thành "
        "phần của PCI 2025; lịch sử mỗi chỉ số ưu tiên được nối từ chỉ số PCI cổ điển tương ứng (liên kết kế thừa "
        "là một nhận định, chờ Phòng KT-HT&ĐT xác nhận).",
        "PCI figures of Hải Phòng city (VCCI publishes no ward-level PCI). VCCI has not published the PCI 2025 "
        "sub-indices; each priority's history is carried by the corresponding classic PCI sub-index (the lineage "
        "link is a judgment awaiting confirmation by the Economy, Infrastructure and Urban Affairs Division)."),
    "tasks_rpt_latest": ("Giá trị gần nhất: {value} điểm (năm {year}; {prov}: {source}).",
                         "Latest value: {value} points ({year}; {prov}: {source})."),
    "tasks_rpt_latest_none": ("Giá trị gần nhất: chưa có số liệu.", "Latest value: no data."),
    "tasks_rpt_no_target": ("Mục tiêu: chưa có mục tiêu.", "Target: no target set."),
    "tasks_rpt_target": ("Mục tiêu năm {year}: {target} điểm; khoảng cách đến mục tiêu: {gap} điểm ({status}).",
                         "Target for {year}: {target} points; gap to target: {gap} points ({status})."),
    "tasks_rpt_target_no_gap": ("Mục tiêu năm {year}: {target} điểm; chưa tính được khoảng cách đến mục tiêu "
                                "({status}).",
                                "Target for {year}: {target} points; the gap to target cannot be computed "
                                "({status})."),
    "tasks_rpt_target_rank": ("Mục tiêu năm {year}: hạng {rank} hoặc cao hơn ({status}).",
                              "Target for {year}: rank {rank} or better ({status})."),
    "tasks_rpt_target_rank_too": ("Mục tiêu xếp hạng cùng năm: hạng {rank} hoặc cao hơn (trạng thái trên tính cả "
                                  "mục tiêu này).",
                                  "Rank target for the same year: rank {rank} or better (the status above "
                                  "counts it too)."),
    "tasks_rpt_up": ("Xu hướng: tăng {change} điểm so với năm trước (năm {year}).",
                     "Trend: up {change} points on the year before ({year})."),
    "tasks_rpt_down": ("Xu hướng: giảm {change} điểm so với năm trước (năm {year}).",
                       "Trend: down {change} points on the year before ({year})."),
    "tasks_rpt_flat": ("Xu hướng: không đổi so với năm trước (năm {year}); thay đổi {change} điểm.",
                       "Trend: unchanged on the year before ({year}); change {change} points."),
    "tasks_rpt_trend_none": ("Xu hướng: chưa so sánh được với năm trước (thiếu số liệu hoặc thay đổi phương pháp).",
                             "Trend: no comparison with the year before (missing data or a methodology change)."),
    "tasks_rpt_best": ("Cao nhất {best} điểm (năm {best_year}), thấp nhất {worst} điểm (năm {worst_year}).",
                       "Highest {best} points ({best_year}), lowest {worst} points ({worst_year})."),
    "tasks_rpt_h_tasks": ("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ {period}", "II. TASK OUTCOMES IN {period}"),
    "tasks_rpt_status_summary": ("Tổng số {n} nhiệm vụ: {parts}.", "{n} tasks in all: {parts}."),
    "tasks_rpt_unassigned_group": ("Nhiệm vụ chưa phân công đơn vị chủ trì", "Tasks with no lead unit assigned"),
    "tasks_rpt_h_attention": ("III. NHIỆM VỤ CHẬM TIẾN ĐỘ VÀ ĐƠN VỊ CHƯA BÁO CÁO",
                              "III. LATE TASKS AND UNITS THAT HAVE NOT REPORTED"),
    "tasks_rpt_no_overdue": ("Không có nhiệm vụ quá thời hạn hoàn thành.", "No task is past its deadline."),
    "tasks_rpt_overdue_line": ("{task} – {title}: thời hạn {deadline}, chưa hoàn thành (chủ trì: {lead}).",
                               "{task} – {title}: deadline {deadline}, not done (lead: {lead})."),
    "tasks_rpt_no_deadline": ("{n}/{total} nhiệm vụ chưa có thời hạn hoàn thành (Kế hoạch không nêu; chuyên viên "
                              "cập nhật trên bảng điều khiển).",
                              "{n} of {total} tasks have no deadline (the plan names none; analysts set them in "
                              "the dashboard)."),
    "tasks_rpt_all_reported": ("Các đơn vị chủ trì đã báo cáo đủ các nhiệm vụ trong kỳ.",
                               "Every lead unit has reported on all its tasks for the period."),
    "tasks_rpt_missing_line": ("{unit}: chưa báo cáo nhiệm vụ {tasks}.", "{unit}: no report yet on {tasks}."),
    "tasks_rpt_h_service": ("IV. BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QĐ 766/QĐ-TTg)",
                            "IV. CITIZEN AND BUSINESS SERVICE INDEX (DECISION 766/QĐ-TTg)"),
    "tasks_rpt_service_none": ("Chưa có số liệu của phường (nhập theo mẫu nhập liệu).",
                               "No data for the ward yet (entered through the import template)."),
    "tasks_rpt_service_latest": ("Kỳ {period}: {total}/100 điểm, xếp loại {band}; thay đổi so với kỳ trước: {change}.",
                                 "Period {period}: {total}/100 points, band {band}; change on the previous period: {change}."),
    "tasks_rpt_h_proposals": ("V. ĐỀ XUẤT, KIẾN NGHỊ", "V. PROPOSALS"),
    "tasks_rpt_closing": ("Trên đây là báo cáo kết quả thực hiện Kế hoạch của {speaker}./.",
                          "This is the report of {speaker} on the plan's implementation./."),
    "tasks_rpt_provenance": (
        "Số liệu trích từ Bảng điều khiển PCI phường Hồng Bàng ngày {date}. Nguồn: VCCI, PCI (pcivietnam.vn); "
        "báo cáo nhiệm vụ do các đơn vị nhập; giá trị \"tính toán\" là trung bình các chỉ số cổ điển liên kết.",
        "Figures from the Hồng Bàng PCI dashboard on {date}. Sources: VCCI, PCI (pcivietnam.vn); task reports "
        "entered by the units; \"derived\" values are means of the linked classic sub-indices."),
    "tasks_chart_by_unit": ("Trạng thái nhiệm vụ theo đơn vị chủ trì — {period}", "Task status by lead unit — {period}"),
    "tasks_chart_by_subindex": ("Trạng thái nhiệm vụ theo chỉ số thành phần — {period}",
                                "Task status by sub-index — {period}"),
    # the Excel annex
    "tasks_xlsx_sheet_tasks": ("Nhiệm vụ", "Tasks"),
    "tasks_xlsx_sheet_units": ("Đơn vị báo cáo", "Reporting units"),
    "tasks_xlsx_sheet_history": ("Lịch sử báo cáo", "Report history"),
    "tasks_xlsx_sheet_calendar": ("Lịch báo cáo", "Reporting calendar"),
    "tasks_xlsx_caption_tasks": ("Phụ lục: nhiệm vụ và kết quả thực hiện, {period} (số liệu ngày {today})",
                                 "Annex: tasks and outcomes, {period} (data as of {today})"),
    "tasks_xlsx_caption_units": ("Đơn vị chủ trì và báo cáo trong kỳ {period}", "Lead units and their reports, {period}"),
    "tasks_xlsx_caption_history": ("Tất cả báo cáo nhiệm vụ đã nhận", "Every task report received"),
    "tasks_xlsx_caption_calendar": ("Lịch báo cáo theo Kế hoạch (mục III.1)", "The plan's reporting calendar (III.1)"),
    # service index bands and page
    "service_band_xuat_sac": ("Xuất sắc", "Excellent"),
    "service_band_yeu": ("Yếu", "Weak"),
    "service_band_unknown": ("chưa xác định (ngưỡng xếp loại từ 50 đến dưới 90 điểm chưa công bố)",
                             "not determined (the bands from 50 to under 90 points are not published)"),
    "service_band_no_data": ("Chưa có số liệu", "No data"),
    # the Tasks page
    "tasks_title": ("Nhiệm vụ và báo cáo kết quả thực hiện Kế hoạch", "Plan tasks and progress reports"),
    "tasks_caption": (
        "Ai làm gì, đến khi nào: nhiệm vụ của Kế hoạch nâng cao PCI 2025-2026, trạng thái theo kỳ báo cáo, "
        "nhiệm vụ quá hạn, đơn vị chưa báo cáo và báo cáo quý/năm gửi Phòng Kinh tế – Hạ tầng và Đô thị.",
        "Who does what by when: the tasks of the 2025-2026 PCI plan, their status by reporting period, overdue "
        "tasks, units that have not reported, and the quarterly/annual reports to the Economy, Infrastructure "
        "and Urban Affairs Division."),
    "tasks_f_period": ("Kỳ báo cáo", "Reporting period"),
    "tasks_f_unit": ("Đơn vị", "Unit"),
    "tasks_f_subindex": ("Chỉ số thành phần", "Sub-index"),
    "tasks_f_status": ("Trạng thái", "Status"),
    "tasks_f_all": ("Tất cả", "All"),
    "tasks_f_none": ("Không gắn chỉ số ưu tiên", "No prioritized sub-index"),
    "tasks_days_left": ("còn {n} ngày", "{n} days left"),
    "tasks_days_left_one": ("còn {n} ngày", "{n} day left"),
    "tasks_due_today_short": ("hạn hôm nay", "due today"),
    "tasks_no_next_report": ("Kế hoạch không còn kỳ báo cáo nào", "The plan asks for no further report"),
    "tasks_overdue_head": ("{n} nhiệm vụ quá thời hạn hoàn thành mà chưa xong", "{n} tasks past their deadline and not done"),
    "tasks_overdue_head_one": ("{n} nhiệm vụ quá thời hạn hoàn thành mà chưa xong", "{n} task past its deadline and not done"),
    "tasks_no_overdue": ("Không có nhiệm vụ quá thời hạn hoàn thành.", "No task is past its deadline."),
    "tasks_no_deadline_info": (
        "{n}/{total} nhiệm vụ chưa có thời hạn hoàn thành (Kế hoạch không nêu thời hạn). Chuyên viên đặt thời hạn ở "
        "thẻ \"Chỉnh sửa\"; khi đó nhiệm vụ quá hạn sẽ hiện ở đây.",
        "{n} of {total} tasks have no deadline (the plan names none). Analysts set them on the \"Edit\" tab; "
        "overdue tasks then show here."),
    "tasks_unassigned_info": ("{n} nhiệm vụ chưa có đơn vị chủ trì (Kế hoạch không nêu). Chuyên viên phân công ở thẻ \"Chỉnh sửa\".",
                              "{n} tasks have no lead unit (the plan names none). Analysts assign them on the \"Edit\" tab."),
    "tasks_unassigned_info_one": ("{n} nhiệm vụ chưa có đơn vị chủ trì (Kế hoạch không nêu). Chuyên viên phân công ở thẻ \"Chỉnh sửa\".",
                                  "{n} task has no lead unit (the plan names none). Analysts assign it on the \"Edit\" tab."),
    "tasks_missing_head": ("Đơn vị chưa báo cáo đủ cho {period} (hạn {due}): {units}",
                           "Units that have not fully reported for {period} (due {due}): {units}"),
    "tasks_past_missing": ("Đã quá hạn nộp báo cáo {period} (hạn {due}), còn thiếu: {units}",
                           "The {period} report is past due ({due}); still missing: {units}"),
    "tasks_next_line": ("Báo cáo tiếp theo: {period}, hạn nộp {due} ({left}), gửi {to}.",
                        "Next report: {period}, due {due} ({left}), to the {to}."),
    "tasks_all_reported": ("Các đơn vị chủ trì đã báo cáo đủ cho {period}.", "Every lead unit has reported for {period}."),
    "tasks_rule_head": ("Cách xác định trạng thái và hạn báo cáo", "How statuses and due dates are decided"),
    "tasks_rule": (
        "Quy tắc trạng thái: Hoàn thành khi báo cáo kỳ này (hoặc kỳ trước) nói đã xong; Chậm tiến độ khi đã quá thời "
        "hạn hoàn thành mà chưa xong, hoặc khi đơn vị tự báo chậm; Chưa có báo cáo khi kỳ này chưa có báo cáo. "
        "Hạn nộp báo cáo: ngày 15 tháng 3, 6, 9 và ngày 05/12 (báo cáo năm thay báo cáo quý IV). Một đơn vị đã báo "
        "cáo khi mọi nhiệm vụ đơn vị chủ trì đều có báo cáo trong kỳ.",
        "Status rule: Done when this period's (or an earlier) report says so; Late when the deadline has passed and "
        "the task is not done, or when the unit reports it late; Not reported when there is no report this period. "
        "Report due dates: 15 March, June, September and 5 December (the annual report replaces Q4). A unit has "
        "reported when every task it leads has a report for the period."),
    "tasks_tab_list": ("Danh sách nhiệm vụ", "Task list"),
    "tasks_tab_matrix": ("Ma trận trách nhiệm", "Responsibility matrix"),
    "tasks_tab_calendar": ("Lịch báo cáo", "Reporting calendar"),
    "tasks_tab_history": ("Lịch sử báo cáo", "Report history"),
    "tasks_tab_reports": ("Tải báo cáo", "Download reports"),
    "tasks_tab_edit": ("Chỉnh sửa", "Edit"),
    "tasks_shown": ("{n}/{total} nhiệm vụ theo bộ lọc", "{n} of {total} tasks match the filters"),
    "tasks_history_task": ("Nhiệm vụ", "Task"),
    "tasks_history_empty": ("Chưa có báo cáo nào. Báo cáo quý được nhập bằng mẫu nhập liệu (trang Nhập dữ liệu) "
                            "hoặc ở thẻ \"Chỉnh sửa\".",
                            "No reports yet. Quarterly reports come in through the import template (Import page) "
                            "or the \"Edit\" tab."),
    "tasks_source": ("Kế hoạch nâng cao PCI 2025-2026, UBND phường Hồng Bàng (nhiệm vụ, đơn vị, lịch báo cáo); "
                     "báo cáo nhiệm vụ do các đơn vị nhập.",
                     "The 2025-2026 PCI plan, Hồng Bàng ward People's Committee (tasks, units, calendar); task "
                     "reports entered by the units."),
    "tasks_reports_intro": (
        "Báo cáo {period} theo thể thức Nghị định 30/2020/NĐ-CP (quốc hiệu, tiêu ngữ, số, ngày, nơi nhận; để trống "
        "số, ngày và chữ ký) và phụ lục Excel bảng nhiệm vụ. Tạo báo cáo Word mất vài giây (vẽ biểu đồ).",
        "The {period} report laid out per Decree 30/2020/NĐ-CP (national title, motto, number, date, recipients; "
        "number, day and signature left blank) and the Excel annex with the task table. The Word report takes a "
        "few seconds (it draws the charts)."),
    "tasks_dl_docx": ("Tải báo cáo (.docx)", "Download report (.docx)"),
    "tasks_dl_xlsx": ("Tải phụ lục (.xlsx)", "Download annex (.xlsx)"),
    "tasks_issuer": ("Cơ quan ban hành", "Issuing body"),
    "tasks_issuer_ward": ("UBND phường Hồng Bàng", "Hồng Bàng ward People's Committee"),
    "tasks_issuer_focal": ("Phòng Kinh tế – Hạ tầng và Đô thị", "Economy, Infrastructure and Urban Affairs Division"),
    "tasks_edit_viewer": ("Chỉ chuyên viên được chỉnh sửa nhiệm vụ và báo cáo.", "Only analysts can edit tasks and reports."),
    "tasks_edit_tasks_head": ("Nhiệm vụ: thời hạn, sản phẩm, thẩm quyền, đơn vị", "Tasks: deadline, product, authority, units"),
    "tasks_edit_reports_head": ("Báo cáo {period}", "Reports for {period}"),
    "tasks_edit_reports_help": ("Thêm dòng cho nhiệm vụ đã báo cáo; xóa dòng để xóa báo cáo. Kiểm tra giống hệt khi nhập tệp. "
                                "Báo cáo nhập ở đây là nhập thay đơn vị: được tính khi Phòng Kinh tế – Hạ tầng và Đô thị "
                                "chấp nhận (trang Báo cáo của đơn vị).",
                                "Add a row per reported task; delete a row to delete its report. Checked exactly as "
                                "an imported file. Reports typed here are filed on the unit's behalf: they count once "
                                "the focal office accepts them (Unit reports page)."),
    "tasks_save": ("Lưu thay đổi", "Save changes"),
    "tasks_saved_tasks": ("Đã lưu {n} nhiệm vụ (ghi vào nhật ký thay đổi).", "Saved {n} tasks (recorded in the audit log)."),
    "tasks_saved_reports": ("Đã lưu: thêm {added}, sửa {changed}, xóa {deleted} báo cáo (ghi vào nhật ký thay đổi).",
                            "Saved: {added} added, {changed} changed, {deleted} deleted (recorded in the audit log)."),
    "tasks_nothing_changed": ("Không có thay đổi nào.", "Nothing changed."),
    "tasks_not_saved": ("Chưa lưu: sửa các lỗi dưới đây rồi lưu lại.", "Not saved: fix the errors below and save again."),
    "tasks_editor_sheet": ("Trình chỉnh sửa", "Editor"),
    "tasks_chart_counts": ("Số nhiệm vụ theo trạng thái — {period}", "Tasks by status — {period}"),
    # the service index page
    "service_title": ("Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)",
                      "Citizen and business service index (Decision 766)"),
    "service_caption": (
        "Điểm của phường Hồng Bàng theo Quyết định 766/QĐ-TTg: năm nhóm, tổng 100 điểm, tính trên Cổng Dịch vụ công "
        "quốc gia. Kế hoạch yêu cầu thường xuyên theo dõi để đạt điểm cao nhất.",
        "Hồng Bàng ward's score under Decision 766/QĐ-TTg: five groups, 100 points, computed on the National Public "
        "Service Portal. The plan asks for it to be tracked regularly to reach the highest score."),
    "service_empty": (
        "Chưa có số liệu của phường. Chuyên viên nhập theo mẫu nhập liệu: trang Nhập dữ liệu → tải mẫu nhập liệu → "
        "điền trang tính Bộ chỉ số phục vụ (QĐ 766) mỗi dòng một kỳ và một nhóm: kỳ (ví dụ 2026-Q1), nhóm, điểm, "
        "nguồn (ví dụ dichvucong.gov.vn) → tải tệp lên, xem trước, nhập.",
        "No data for the ward yet. Analysts enter it through the import template: Import page → download the "
        "template → fill the service index (Decision 766) sheet, one row per period and group: period (e.g. "
        "2026-Q1), group, score, source (e.g. dichvucong.gov.vn) → upload, preview, import."),
    "service_latest": ("Tổng điểm gần nhất", "Latest total"),
    "service_band": ("Xếp loại", "Band"),
    "service_change": ("so với kỳ trước", "on the previous period"),
    "service_partial": ("Kỳ {period} chưa đủ năm nhóm nên chưa có tổng điểm.",
                        "Period {period} lacks some groups, so it has no total."),
    "service_pair_note": (
        "Điểm tối đa của nhóm Số hóa hồ sơ và nhóm Cung cấp dịch vụ trực tuyến chưa xác định (hai nhóm cộng 44 điểm, "
        "mỗi nhóm 18–22 điểm). Ngưỡng xếp loại giữa 50 và 90 điểm chưa công bố.",
        "The maxima of the Dossier digitisation and Online services groups are not known (together 44 points, each "
        "18–22). The bands between 50 and 90 points are not published."),
    "service_chart_title": ("Điểm theo kỳ và theo nhóm", "Score by period and group"),
    "service_line_excellent": ("Xuất sắc từ 90", "Excellent from 90"),
    "service_line_weak": ("Yếu dưới 50", "Weak under 50"),
    "service_col_group": ("Nhóm", "Group"),
    "service_col_max": ("Điểm tối đa", "Maximum points"),
    "service_col_latest": ("Điểm kỳ gần nhất", "Latest score"),
    "service_col_period": ("Kỳ", "Period"),
    "service_col_total": ("Tổng điểm", "Total"),
    "service_col_band": ("Xếp loại", "Band"),
    "service_col_change": ("Thay đổi", "Change"),
    "service_max_unknown": ("Chưa xác định", "Not known"),
    "service_month": ("Tháng {month}/{year}", "Month {month}/{year}"),
    "service_source": ("QĐ 766/QĐ-TTg (23/6/2022); điểm của phường do chuyên viên nhập từ Cổng Dịch vụ công quốc gia.",
                       "Decision 766/QĐ-TTg (23/6/2022); the ward's scores entered by analysts from the National "
                       "Public Service Portal."),
}
