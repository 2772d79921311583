"""Strings of the plan's appendix (tasks and units as data): key -> (Vietnamese, English).
Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
    # validation of the "Nhiệm vụ" and "Đơn vị" sheets: what is expected
    "units_exp_task_code": ("mã nhiệm vụ gồm chữ, số, dấu chấm hoặc gạch (tối đa 20 ký tự, ví dụ PL01 hoặc 1.2)",
                            "a task code of letters, digits, dots or dashes (at most 20 characters, e.g. PL01 or 1.2)"),
    "units_exp_subindex": ("tên hoặc mã một chỉ số thành phần của kế hoạch, hoặc «Chỉ số phục vụ (QĐ 766)»",
                           "the name or code of one of the plan's sub-indices, or «Chỉ số phục vụ (QĐ 766)»"),
    "units_exp_subindex_suggest": ("tên hoặc mã một chỉ số thành phần của kế hoạch; có phải \"{s}\"?",
                                   "the name or code of one of the plan's sub-indices; did you mean \"{s}\"?"),
    "units_exp_unit": ("tên, tên viết tắt hoặc mã một đơn vị có trong danh sách (trang Đơn vị), "
                       "nhiều đơn vị cách nhau bằng dấu «;»",
                       "the name, short name or code of a listed unit (the Đơn vị sheet), several separated by «;»"),
    "units_exp_deadline_plan": ("thời hạn trong thời gian kế hoạch (từ {start} đến {end})",
                                "a deadline within the plan's years (from {start} to {end})"),
    "units_exp_duplicate_task": ("mỗi mã nhiệm vụ một dòng (trùng với dòng {other})",
                                 "one row per task code (the same as row {other})"),
    "units_exp_duplicate_unit": ("mỗi đơn vị một dòng (trùng với dòng {other})",
                                 "one row per unit (the same as row {other})"),
    "units_exp_unit_code": ("mã đơn vị gồm chữ và số (tối đa 40 ký tự), có thể để trống",
                            "a unit code of letters and digits (at most 40 characters), may be left blank"),
    "units_note_no_tasks": ("ít nhất một dòng nhiệm vụ", "at least one task row"),
    # the import's preview: tables and fields
    "ingest_tbl_unit": ("Đơn vị", "Units"),
    "ingest_tbl_task": ("Nhiệm vụ", "Tasks"),
    "ingest_tbl_task_unit": ("Phân công đơn vị", "Units assigned"),
    "ingest_field_plan_id": ("Kế hoạch", "Plan"),
    "ingest_field_title_vi": ("Nội dung nhiệm vụ", "Task"),
    "ingest_field_title_en": ("Nội dung (tiếng Anh)", "Task (English)"),
    "ingest_field_code": ("Chỉ số", "Sub-index"),
    "ingest_field_deadline": ("Thời hạn", "Deadline"),
    "ingest_field_product_vi": ("Sản phẩm", "Product"),
    "ingest_field_authority_vi": ("Thẩm quyền", "Authority"),
    "ingest_field_source": ("Nguồn", "Source"),
    "ingest_field_origin": ("Xuất xứ", "Origin"),
    "ingest_field_retired_on": ("Thôi theo dõi từ ngày", "Retired from"),
    "ingest_field_role": ("Vai trò", "Role"),
    "ingest_field_name_vi": ("Tên đơn vị", "Unit name"),
    "ingest_field_name_en": ("Tên tiếng Anh", "English name"),
    "ingest_field_short_vi": ("Tên viết tắt", "Short name"),
    "ingest_field_is_focal": ("Cơ quan đầu mối", "Focal office"),
    # where a task comes from
    "units_origin_plan_body": ("Danh sách ban đầu (nội dung Kế hoạch)", "Starting list (the plan's body)"),
    "units_origin_appendix": ("Phụ lục Kế hoạch", "The plan's appendix"),
    "units_origin_entered": ("Chuyên viên thêm", "Added by an analyst"),
    "units_yes": ("có", "yes"),
    "units_no": ("không", "no"),
    "units_service_index": ("Chỉ số phục vụ (QĐ 766)", "Service index (Decision 766)"),
}
STRINGS.update({
    # the Tasks page's catalogue tab
    "units_tab_catalogue": ("Danh mục nhiệm vụ, đơn vị", "Task and unit list"),
    "units_catalogue_help": (
        "Mọi nhiệm vụ của Kế hoạch: danh sách ban đầu (14 nhiệm vụ nêu trong nội dung Kế hoạch), nhiệm vụ của Phụ lục "
        "và nhiệm vụ chuyên viên thêm. Nhiệm vụ thôi theo dõi vẫn giữ lịch sử và báo cáo, nhưng không còn phải báo "
        "cáo từ ngày thôi theo dõi. Nạp cả Phụ lục bằng các trang «Nhiệm vụ» và «Đơn vị» của mẫu nhập liệu.",
        "Every task of the plan: the starting list (the 14 tasks the plan's body names), the appendix's tasks and "
        "tasks added by analysts. A retired task keeps its history and reports but is no longer due from the day "
        "it was retired. Load a whole appendix with the template's «Nhiệm vụ» and «Đơn vị» sheets."),
    "units_task_form_head": ("Thêm hoặc sửa một nhiệm vụ", "Add or change a task"),
    "units_task_form_help": (
        "Mã mới là nhiệm vụ mới; mã đã có thì sửa nhiệm vụ đó (ô để trống giữ nguyên). Kiểm tra như một dòng của trang "
        "«Nhiệm vụ»; lưu thành một lần nhập, có thể hoàn tác trên trang Nhập dữ liệu.",
        "A new code is a new task; a stored code changes that task (blank fields stay as they are). Checked like a "
        "row of the «Nhiệm vụ» sheet; saved as an import batch that the Import page can undo."),
    "units_unit_form_head": ("Thêm hoặc sửa một đơn vị", "Add or change a unit"),
    "units_unit_form_help": (
        "Tên hoặc tên viết tắt đã có thì sửa đơn vị đó; tên mới là đơn vị mới.",
        "A stored name or short name changes that unit; a new name is a new unit."),
    "units_save_task": ("Lưu nhiệm vụ", "Save the task"),
    "units_save_unit": ("Lưu đơn vị", "Save the unit"),
    "units_saved_task": ("Đã lưu nhiệm vụ.", "Task saved."),
    "units_saved_unit": ("Đã lưu đơn vị.", "Unit saved."),
    "units_retire_head": ("Thôi theo dõi hoặc theo dõi lại một nhiệm vụ, một đơn vị", "Retire a task or a unit, or follow it again"),
    "units_retire_task": ("Nhiệm vụ hoặc đơn vị", "Task or unit"),
    "units_retire_from": ("Từ ngày", "From"),
    "units_retire": ("Thôi theo dõi", "Retire"),
    "units_reinstate": ("Theo dõi lại", "Follow again"),
    "units_retired": ("{task} thôi theo dõi; lịch sử và báo cáo được giữ nguyên.",
                      "{task} retired; its history and reports are kept."),
    "units_reinstated": ("{task} được theo dõi lại.", "{task} is followed again."),
})
STRINGS.update({
    # unit roles and report states
    "units_role_reporter": ("Người báo cáo", "Reporter"),
    "units_role_follower": ("Đầu mối theo dõi", "Follow-up officer"),
    "units_state_draft": ("Bản nháp", "Draft"),
    "units_state_submitted": ("Đã gửi, chờ duyệt", "Submitted"),
    "units_state_accepted": ("Đã chấp nhận", "Accepted"),
    "units_state_returned": ("Bị trả lại", "Returned"),
    # refusals of a report's steps
    "units_err_report_problems": ("Báo cáo chưa lưu: có lỗi cần sửa.", "The report was not saved: fix the problems."),
    "units_err_file": ("Không thể sửa báo cáo này: chỉ người báo cáo hoặc đầu mối theo dõi của đơn vị được sửa, và "
                       "chỉ khi báo cáo là bản nháp hoặc bị trả lại.",
                       "This report cannot be changed: only the unit's reporters or follow-up officer may, and only "
                       "while it is a draft or returned."),
    "units_err_not_assigned": ("Đơn vị không chủ trì hay phối hợp nhiệm vụ {task}.",
                               "The unit neither leads nor supports task {task}."),
    "units_err_submit": ("Không thể gửi báo cáo này: chỉ đơn vị của báo cáo gửi được, khi báo cáo là bản nháp hoặc bị "
                         "trả lại.", "This report cannot be submitted: only its unit may, while it is a draft or "
                                     "returned."),
    "units_err_review": ("Chỉ cán bộ Phòng Kinh tế – Hạ tầng và Đô thị duyệt được, và chỉ báo cáo đã gửi.",
                         "Only the staff of the focal office review, and only submitted reports."),
    "units_err_comment": ("Khi trả lại báo cáo, hãy ghi rõ lý do để đơn vị sửa.",
                          "When returning a report, say why, so the unit can correct it."),
    # evidence files
    "units_file_no_name": ("Tệp minh chứng cần có tên.", "An evidence file needs a name."),
    "units_file_path": ("Tên tệp không được chứa thư mục (không có /, \\, : hay ..).",
                        "The file name must not hold folders (no /, \\, : or ..)."),
    "units_file_bad_name": ("Tên tệp có ký tự điều khiển hoặc dài quá {n} ký tự.",
                            "The file name holds a control character or is longer than {n} characters."),
    "units_file_empty": ("Tệp rỗng.", "The file is empty."),
    "units_file_too_big": ("Tệp quá lớn: tối đa {mb} MB.", "The file is too large: at most {mb} MB."),
    "units_file_type": ("Chỉ nhận PDF, ảnh PNG/JPEG, Word (.docx) hoặc Excel (.xlsx) không có macro — loại tệp được "
                        "đọc từ nội dung, không theo đuôi tên tệp.",
                        "Only PDF, PNG/JPEG images, Word (.docx) or Excel (.xlsx) without macros are accepted — the "
                        "type is read from the content, not from the file name."),
})
STRINGS.update({
    "units_err_members": ("Chỉ quản trị viên quản lý thành viên đơn vị.", "Only administrators manage unit members."),
    "units_err_unknown_unit": ("Không có đơn vị «{unit}».", "There is no unit «{unit}»."),
    "units_err_unit_role": ("Vai trò trong đơn vị là Người báo cáo hoặc Đầu mối theo dõi (nhận được «{role}»).",
                            "A unit role is Reporter or Follow-up officer (found «{role}»)."),
})
STRINGS.update({
    "units_remind_head": ("Kính gửi {unit}: đề nghị đơn vị gửi báo cáo kết quả thực hiện nhiệm vụ {period} (hạn {due}) "
                          "về Phòng Kinh tế – Hạ tầng và Đô thị.",
                          "To {unit}: please send your report on the tasks for {period} (due {due}) to the Economy, "
                          "Infrastructure and Urban Affairs Division."),
    "units_remind_missing": ("Chưa báo cáo: {tasks}.", "Not reported: {tasks}."),
    "units_remind_returned": ("Bị trả lại, cần sửa và gửi lại: {tasks}.", "Returned, to correct and resend: {tasks}."),
    "units_ics_report": ("Hạn báo cáo PCI {period}", "PCI report due: {period}"),
    "units_ics_report_desc": ("Các đơn vị gửi báo cáo kết quả thực hiện nhiệm vụ về Phòng Kinh tế – Hạ tầng và Đô thị.",
                              "Units send their task reports to the Economy, Infrastructure and Urban Affairs "
                              "Division."),
    "units_ics_task": ("Hạn nhiệm vụ {task}", "Task {task} deadline"),
    "units_ics_name": ("Hạn báo cáo và nhiệm vụ PCI — phường Hồng Bàng", "PCI reporting and task deadlines — Hồng Bàng"),
})
STRINGS.update({
    "units_nav": ("Báo cáo của đơn vị", "Unit reports"),
    "units_title": ("Báo cáo của đơn vị", "Unit reports"),
    "units_caption": ("Đơn vị lập và gửi báo cáo nhiệm vụ được giao; Phòng Kinh tế – Hạ tầng và Đô thị chấp nhận hoặc "
                      "trả lại kèm ý kiến. Chỉ báo cáo đã chấp nhận được tính vào trạng thái nhiệm vụ và báo cáo tổng hợp.",
                      "Units file and submit the reports of their tasks; the focal office accepts them or returns "
                      "them with a comment. Only accepted reports count in task status and the compiled report."),
    "units_f_unit": ("Đơn vị", "Unit"),
    "units_no_unit": ("Tài khoản chưa thuộc đơn vị nào. Quản trị viên thêm thành viên đơn vị ở trang Người dùng.",
                      "This account belongs to no unit. An administrator adds unit members on the Users page."),
    "units_owes_head": ("Nhiệm vụ đơn vị phải báo cáo — {period} (hạn {due})",
                        "Tasks the unit reports on — {period} (due {due})"),
    "units_col_role": ("Vai trò", "Role"),
    "units_col_state": ("Tình trạng báo cáo", "Report"),
    "units_col_comment": ("Ý kiến khi trả lại", "Comment when returned"),
    "units_col_late": ("Quá hạn", "Late"),
    "units_form_sheet": ("Biểu mẫu báo cáo", "Report form"),
    "units_not_yet": ("Chưa báo cáo", "Not reported"),
    "units_file_head": ("Lập hoặc sửa báo cáo", "File or correct a report"),
    "units_file_files": ("Tệp minh chứng (PDF, ảnh, Word, Excel; tối đa 10 MB mỗi tệp)",
                         "Evidence files (PDF, images, Word, Excel; at most 10 MB each)"),
    "units_save_draft": ("Lưu bản nháp", "Save the draft"),
    "units_saved_draft": ("Đã lưu bản nháp.", "Draft saved."),
    "units_submit": ("Gửi báo cáo {task}", "Submit report {task}"),
    "units_submitted": ("Đã gửi báo cáo; báo cáo bị khóa cho đến khi được duyệt.",
                        "Report submitted; it is locked until reviewed."),
    "units_review_head": ("Báo cáo chờ duyệt", "Reports to review"),
    "units_review_none": ("Không có báo cáo nào chờ duyệt.", "No report waits for review."),
    "units_review_line": ("{unit} · {status} · {progress} · {outcome}", "{unit} · {status} · {progress} · {outcome}"),
    "units_review_comment": ("Ý kiến (bắt buộc khi trả lại)", "Comment (required to return)"),
    "units_accept": ("Chấp nhận", "Accept"),
    "units_return": ("Trả lại", "Return"),
    "units_accepted": ("Đã chấp nhận báo cáo.", "Report accepted."),
    "units_returned": ("Đã trả lại báo cáo kèm ý kiến.", "Report returned with the comment."),
    "units_download": ("Tải minh chứng {task}: {name}", "Download evidence {task}: {name}"),
    "units_overview_head": ("Tình hình báo cáo của các đơn vị", "Units' reporting"),
    "units_col_unit": ("Đơn vị", "Unit"),
    "units_remind_head_ui": ("Nhắc việc (sao chép để gửi qua tin nhắn)", "Reminders (copy into the ward's messaging)"),
    "units_remind_none": ("Mọi đơn vị đã báo cáo đủ.", "Every unit has reported."),
    "units_ics_download": ("Tải lịch hạn báo cáo và nhiệm vụ (.ics)", "Download the deadline calendar (.ics)"),
    "units_members_head": ("Thành viên đơn vị", "Unit members"),
    "units_members_help": ("Người báo cáo lập và gửi báo cáo của đơn vị; đầu mối theo dõi là công chức được phân công "
                           "theo dõi, cũng lập và gửi được. Thành viên của Phòng Kinh tế – Hạ tầng và Đô thị duyệt báo "
                           "cáo của mọi đơn vị.",
                           "Reporters file and submit their unit's reports; the follow-up officer is the named officer "
                           "who follows up, and files and submits too. Members of the focal office review every "
                           "unit's reports."),
    "units_member_user": ("Người dùng", "User"),
    "units_member_role": ("Vai trò trong đơn vị", "Unit role"),
    "units_member_none": ("(bỏ khỏi đơn vị)", "(remove from the unit)"),
    "units_member_apply": ("Lưu thành viên", "Save membership"),
    "units_member_saved": ("Đã lưu.", "Saved."),
})
STRINGS.update({
    "units_rpt_col_used": ("Báo cáo sử dụng", "Report used"),
    "units_rpt_accepted": ("{unit}, chấp nhận {day}", "{unit}, accepted {day}"),
    "units_rpt_before_review": ("{unit}, nhập trước khi có bước duyệt", "{unit}, entered before the review step"),
    "units_rpt_on_behalf": (" (nhập thay đơn vị: {who})", " (filed on the unit's behalf by {who})"),
    "units_rpt_done_earlier": ("Hoàn thành theo báo cáo {period}", "Done as reported for {period}"),
})
STRINGS.update({
    "units_returned_note": ("Báo cáo {task} bị trả lại: {comment}", "Report {task} was returned: {comment}"),
})
STRINGS.update({
    "units_retire_what": ("Thôi theo dõi", "Retire"),
    "units_retire_task_kind": ("Nhiệm vụ", "A task"),
    "units_retire_unit_kind": ("Đơn vị", "A unit"),
})
