"""Strings of the trust area (sign-in, roles, audit log, backups): key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
    # roles (glossary: Người xem · chuyên viên · quản trị)
    "trust_role_viewer": ("Người xem", "Viewer"),
    "trust_role_analyst": ("Chuyên viên", "Analyst"),
    "trust_role_admin": ("Quản trị", "Administrator"),
    "trust_rights_viewer": ("Xem, trình chiếu và tải số liệu.", "Browse, present and download."),
    "trust_rights_analyst": (
        "Xem, trình chiếu, tải số liệu; nhập dữ liệu; sửa nhiệm vụ, mục tiêu và ghi chú; hoàn tác lần nhập của mình.",
        "Browse, present, download; import; edit tasks, targets and notes; undo your own imports."),
    "trust_rights_admin": (
        "Mọi quyền của chuyên viên; quản lý người dùng; hoàn tác mọi lần nhập; xem nhật ký thay đổi.",
        "Everything an analyst does; manage users; undo any import; read the audit log."),
    # navigation
    "trust_nav_section": ("Tài khoản", "Account"),
    "trust_nav_signin": ("Đăng nhập", "Sign in"),
    "trust_nav_audit": ("Nhật ký thay đổi", "Audit log"),
    "trust_nav_users": ("Người dùng", "Users"),
    # sign-in and account
    "trust_signin_title": ("Đăng nhập", "Sign in"),
    "trust_account_title": ("Tài khoản", "Account"),
    "trust_signin_caption": (
        "Người xem không cần đăng nhập trên mạng nội bộ của phường (trừ khi quản trị bật \"Cần đăng nhập\"). "
        "Chuyên viên và quản trị đăng nhập để nhập dữ liệu, sửa nhiệm vụ, mục tiêu, ghi chú và quản lý.",
        "Viewers browse without signing in on the ward's network (unless an administrator turned on "
        "\"Sign-in required\"). Analysts and administrators sign in to import, edit tasks, targets and notes, "
        "and manage."),
    "trust_user_name": ("Tên đăng nhập", "User name"),
    "trust_password": ("Mật khẩu", "Password"),
    "trust_sign_in": ("Đăng nhập", "Sign in"),
    "trust_sign_out": ("Đăng xuất", "Sign out"),
    "trust_bad_login": ("Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.",
                        "Wrong user name or password, or the account is disabled."),
    "trust_throttled": (
        "Có quá nhiều lần đăng nhập sai với tên này hoặc từ máy này, nên mật khẩu chưa được kiểm tra. "
        "Hãy thử lại sau {s} giây.",
        "Too many failed sign-ins for this name or from this computer, so the password was not checked. "
        "Try again in {s} seconds."),
    "trust_signed_in_as": ("Đã đăng nhập: {name} ({role})", "Signed in: {name} ({role})"),
    "trust_browsing_as_viewer": ("Chưa đăng nhập: bạn đang xem với vai trò Người xem.",
                                 "Not signed in: you are browsing as a viewer."),
    "trust_your_rights": ("Quyền của bạn", "What you can do"),
    "trust_must_change": ("Bạn đang dùng mật khẩu dùng một lần. Hãy đặt mật khẩu mới trước khi tiếp tục.",
                          "You signed in with a one-time password. Choose a new password to continue."),
    "trust_change_password": ("Đổi mật khẩu", "Change password"),
    "trust_current_password": ("Mật khẩu hiện tại", "Current password"),
    "trust_new_password": ("Mật khẩu mới", "New password"),
    "trust_new_password2": ("Nhập lại mật khẩu mới", "New password again"),
    "trust_password_mismatch": ("Hai mật khẩu mới không giống nhau.", "The two new passwords differ."),
    "trust_wrong_current": ("Mật khẩu hiện tại không đúng.", "The current password is wrong."),
    "trust_password_changed": ("Đã đổi mật khẩu.", "Password changed."),
    # the gate
    "trust_refused": (
        "Trang này dành cho {role}. Bạn đang dùng với vai trò {current}: hãy đăng nhập bằng tài khoản có quyền.",
        "This page is for the {role} role. You are using the {current} role: sign in with an account that may."),
    "trust_login_required": ("Cần đăng nhập để xem bảng điều khiển.", "Sign in to see the dashboard."),
    "trust_session_expired": (
        "Phiên đăng nhập đã hết hạn vì lâu không dùng; hãy đăng nhập lại.",
        "Your sign-in expired after a long time unused; sign in again."),
    "trust_account_gone": (
        "Tài khoản của bạn vừa thay đổi (đổi mật khẩu, đổi vai trò, bị khóa hoặc bị xóa) nên phiên làm việc "
        "đã kết thúc; hãy đăng nhập lại.",
        "Your account changed (new password, new role, disabled or removed), so this session ended; sign in again."),
    # errors (user management, backups)
    "trust_err_user_name": (
        "Tên đăng nhập \"{found}\" không hợp lệ: cần 2–32 ký tự a-z, 0-9, dấu chấm, gạch dưới hoặc gạch ngang",
        "Invalid user name \"{found}\": expected 2–32 characters a-z, 0-9, dot, underscore or hyphen"),
    "trust_err_password_short": ("Mật khẩu cần ít nhất {n} ký tự", "A password needs at least {n} characters"),
    "trust_err_password_long": ("Mật khẩu dài quá {n} byte", "A password may not exceed {n} bytes"),
    "trust_err_role": ("Vai trò \"{found}\" không hợp lệ: cần viewer, analyst hoặc admin",
                       "Invalid role \"{found}\": expected viewer, analyst or admin"),
    "trust_err_user_exists": ("Đã có người dùng \"{user}\"", "User \"{user}\" already exists"),
    "trust_err_no_user": ("Không có người dùng \"{user}\"", "No user \"{user}\""),
    "trust_err_last_admin": ("Không thể bỏ quyền hoặc khóa quản trị cuối cùng",
                             "The last administrator cannot be demoted or disabled"),
    "trust_err_backup_exists": ("Thư mục {dir} đã có dữ liệu: hãy chọn một thư mục mới",
                                "Folder {dir} is not empty: choose a new folder"),
    "trust_err_no_manifest": ("{dir} không phải bản sao lưu (thiếu hoặc hỏng manifest.json)",
                              "{dir} is not a backup (manifest.json missing or damaged)"),
    "trust_err_backup_corrupt": ("Bản sao lưu bị hỏng: tệp {file} không khớp mã kiểm tra; không có gì thay đổi",
                                 "The backup is damaged: file {file} does not match its checksum; nothing changed"),
    "trust_err_schema_newer": (
        "Bản sao lưu có phiên bản lược đồ {found}, mới hơn phần mềm này ({current}): hãy cập nhật phần mềm",
        "The backup has schema version {found}, newer than this software ({current}): update the software"),
    "trust_err_restore_mismatch": ("Khôi phục không khớp ở bảng {table}: đã hủy, cơ sở dữ liệu không đổi",
                                   "The restore does not match in table {table}: cancelled, database unchanged"),
    # signed backups and checked restores
    "trust_err_unsigned": (
        "Bản sao lưu {dir} không có chữ ký của cài đặt này: không khôi phục, không có gì thay đổi "
        "(quản trị có thể chấp nhận bằng --accept-unsigned --user TÊN)",
        "Backup {dir} is not signed by this installation: not restored, nothing changed "
        "(an administrator may accept it with --accept-unsigned --user NAME)"),
    "trust_err_bad_signature": (
        "Chữ ký của bản sao lưu {dir} không khớp khóa của cài đặt này ({path}): bản sao lưu đã bị sửa sau khi ký "
        "hoặc được ký ở nơi khác; không khôi phục, không có gì thay đổi",
        "The signature of backup {dir} does not match this installation's key ({path}): the backup was changed "
        "after it was signed, or signed elsewhere; not restored, nothing changed"),
    "trust_err_no_key": (
        "Không có khóa ký sao lưu ở {path}: không kiểm tra được chữ ký (chép khóa của cài đặt đã tạo bản sao lưu "
        "hoặc đặt PCI_BACKUP_KEY); không có gì thay đổi",
        "No backup signing key at {path}: the signature cannot be checked (copy the key of the installation "
        "that made the backup, or set PCI_BACKUP_KEY); nothing changed"),
    "trust_err_key_open": ("Người khác có thể đọc hoặc ghi khóa ký sao lưu {path}: hãy chạy chmod 600 {path}",
                           "Others may read or write the backup signing key {path}: run chmod 600 {path}"),
    "trust_err_key_bad": ("Khóa ký sao lưu {path} bị hỏng", "The backup signing key {path} is damaged"),
    "trust_err_key_inside": ("Khóa ký {path} nằm trong thư mục sao lưu {dir}: khóa phải ở ngoài mọi bản sao lưu",
                             "The signing key {path} is inside the backup folder {dir}: the key must stay "
                             "outside every backup"),
    "trust_err_not_admin": (
        "\"{user}\" không phải quản trị đang hoạt động của {db}: không thể chấp nhận bản sao lưu không có chữ ký",
        "\"{user}\" is not an active administrator of {db}: cannot accept a backup without a valid signature"),
    "trust_err_accept_needs_user": ("--accept-unsigned và --user TÊN đi cùng nhau (TÊN: một quản trị)",
                                    "--accept-unsigned and --user NAME go together (NAME: an administrator)"),
    "trust_err_restore_schema": ("Bảng {table} của bản sao lưu không hợp lược đồ ({error}): không khôi phục, "
                                 "cơ sở dữ liệu không đổi",
                                 "Table {table} of the backup does not fit the schema ({error}): not restored, "
                                 "database unchanged"),
    "trust_err_restore_invalid": (
        "Bản sao lưu có {n} giá trị mà một lần nhập hoặc `verify` sẽ từ chối: không khôi phục, cơ sở dữ liệu không đổi",
        "The backup holds {n} values that an import or `verify` would refuse: not restored, database unchanged"),
    "trust_restore_problem": ("Bảng {table}, dòng {row}, cột {column}: giá trị \"{found}\", cần {expected}",
                              "Table {table}, row {row}, column {column}: found \"{found}\", expected {expected}"),
    "trust_restore_problem_table": ("{table}: giá trị \"{found}\", cần {expected}",
                                    "{table}: found \"{found}\", expected {expected}"),
    "trust_restore_more": ("… và {n} vấn đề nữa", "… and {n} more problems"),
    "trust_blank": ("(trống)", "(blank)"),
    "trust_exp_finite": ("một số hữu hạn", "a finite number"),
    "trust_exp_verify": ("kiểm tra `verify` đạt", "`verify` to pass"),
    "trust_exp_role": ("một vai trò: {roles}", "a role: {roles}"),
    "trust_exp_source": ("nguồn của số liệu công bố", "the source of a published figure"),
    "trust_exp_reference": ("một khóa có trong bảng {table}", "a key that exists in table {table}"),
    "trust_exp_user_name": ("tên đăng nhập 2–32 ký tự a-z, 0-9, dấu chấm, gạch dưới hoặc gạch ngang",
                            "a user name of 2–32 characters a-z, 0-9, dot, underscore or hyphen"),
    "trust_backup_signed": ("Đã ký manifest bằng khóa của cài đặt này ({path}, mã {key_id}); đừng chép khóa vào "
                            "bản sao lưu",
                            "Manifest signed with this installation's key ({path}, id {key_id}); never copy the key "
                            "into a backup"),
    "trust_restore_signed": (
        "Chữ ký hợp lệ (khóa {key_id}); mọi dòng đạt quy tắc của lần nhập và `verify`; đã ghi vào nhật ký thay đổi",
        "Signature valid (key {key_id}); every row passes the import's rules and `verify`; written to the audit log"),
    "trust_restore_accepted": (
        "Bản sao lưu KHÔNG có chữ ký hợp lệ, được quản trị {user} chấp nhận; mọi dòng đạt quy tắc của lần nhập và "
        "`verify`; đã ghi vào nhật ký thay đổi",
        "Backup WITHOUT a valid signature, accepted by administrator {user}; every row passes the import's rules "
        "and `verify`; written to the audit log"),
    # command line
    "trust_backup_done": ("Đã sao lưu {tables} bảng ({rows} dòng) vào {dir} trong {s} giây",
                          "Backed up {tables} tables ({rows} rows) to {dir} in {s} s"),
    "trust_restore_done": ("Đã khôi phục {dir} vào {db} trong {s} giây; mọi bảng khớp mã kiểm tra",
                           "Restored {dir} into {db} in {s} s; every table matches its checksum"),
    "trust_restore_previous": ("Bản cơ sở dữ liệu trước đó được giữ ở {path}", "The previous database is kept at {path}"),
    "trust_user_added": ("Đã thêm người dùng {user} ({role})", "Added user {user} ({role})"),
    "trust_user_changed": ("Đã cập nhật người dùng {user}", "Updated user {user}"),
    "trust_user_removed": ("Đã xóa người dùng {user}", "Removed user {user}"),
    "trust_setting_saved": ("Đã lưu: cần đăng nhập để xem = {value}", "Saved: sign-in required to browse = {value}"),
    "trust_audit_exported": ("Đã xuất {n} dòng nhật ký vào {file}", "Exported {n} audit lines to {file}"),
    "trust_err_export_kind": ("Tệp xuất cần đuôi .csv hoặc .xlsx: {file}", "The export file must end in .csv or .xlsx: {file}"),
    "trust_first_admin": (
        "Lần chạy đầu: đã tạo tài khoản quản trị \"admin\" với mật khẩu dùng một lần: {password} "
        "(chỉ in một lần; đổi ngay khi đăng nhập)",
        "First run: created administrator \"admin\" with the one-time password: {password} "
        "(printed only once; change it at the first sign-in)"),
    "trust_first_admin_env": ("Lần chạy đầu: đã tạo tài khoản quản trị \"admin\" với mật khẩu từ PCI_ADMIN_PASSWORD",
                              "First run: created administrator \"admin\" with the password from PCI_ADMIN_PASSWORD"),
    "trust_prompt_password": ("Mật khẩu cho {user}: ", "Password for {user}: "),
    # audit log page
    "trust_audit_title": ("Nhật ký thay đổi", "Audit log"),
    "trust_audit_caption": (
        "Mọi thay đổi dữ liệu: ai, khi nào, thay đổi gì (giá trị cũ → mới) và thuộc lần nhập nào. "
        "Chỉ quản trị xem được trang này.",
        "Every change to the data: who, when, what (old → new value) and which import batch. "
        "Only administrators see this page."),
    "trust_any": ("Tất cả", "All"),
    "trust_f_user": ("Người thực hiện", "User"),
    "trust_f_action": ("Thao tác", "Action"),
    "trust_f_table": ("Bảng", "Table"),
    "trust_f_batch": ("Lần nhập số", "Import batch no."),
    "trust_f_days": ("Trong bao nhiêu ngày gần đây", "Within the last days"),
    "trust_audit_count": ("{n} dòng", "{n} lines"),
    "trust_audit_count_one": ("{n} dòng", "{n} line"),
    "trust_audit_empty": ("Chưa có thay đổi nào khớp bộ lọc.", "No change matches the filters."),
    "trust_col_audit_id": ("Số", "No."),
    "trust_col_at_time": ("Thời điểm", "Time"),
    "trust_col_user_name": ("Người thực hiện", "User"),
    "trust_col_action": ("Thao tác", "Action"),
    "trust_col_table_name": ("Bảng", "Table"),
    "trust_col_key_json": ("Khóa", "Key"),
    "trust_col_old_json": ("Giá trị cũ", "Old value"),
    "trust_col_new_json": ("Giá trị mới", "New value"),
    "trust_col_batch_id": ("Lần nhập", "Import batch"),
    "trust_col_seq": ("Thứ tự", "Seq."),
    "trust_col_record": ("Bản ghi", "Record"),
    "trust_col_change": ("Thay đổi", "Change"),
    "trust_removed": ("(đã xóa)", "(removed)"),
    # the audit log's actions and tables in words (an unknown one shows as recorded)
    "trust_action_user_add": ("Thêm người dùng", "User added"),
    "trust_action_user_password": ("Đổi mật khẩu", "Password changed"),
    "trust_action_user_role": ("Đổi vai trò", "Role changed"),
    "trust_action_user_active": ("Bật/tắt tài khoản", "Account switched on/off"),
    "trust_action_user_remove": ("Xóa người dùng", "User removed"),
    "trust_action_import": ("Nhập dữ liệu", "Import"),
    "trust_action_undo": ("Hoàn tác lần nhập", "Import undone"),
    "trust_action_restore": ("Khôi phục bản sao lưu", "Backup restored"),
    "trust_action_set_setting": ("Đổi cài đặt", "Setting changed"),
    "trust_action_save_year_note": ("Lưu ghi chú năm", "Year note saved"),
    "trust_action_delete_year_note": ("Xóa ghi chú năm", "Year note deleted"),
    "trust_action_task_update": ("Sửa nhiệm vụ", "Task edited"),
    "trust_action_task_unit_set": ("Phân công đơn vị", "Units assigned"),
    "trust_action_task_report_upsert": ("Lưu báo cáo nhiệm vụ", "Task report saved"),
    "trust_action_task_report_delete": ("Xóa báo cáo nhiệm vụ", "Task report deleted"),
    "trust_action_service_reading_upsert": ("Lưu số liệu phục vụ", "Service reading saved"),
    "trust_table_app_user": ("Người dùng", "Users"),
    "trust_table_setting": ("Cài đặt", "Settings"),
    "trust_table_task": ("Nhiệm vụ", "Tasks"),
    "trust_table_task_unit": ("Đơn vị thực hiện nhiệm vụ", "Task units"),
    "trust_table_task_report": ("Báo cáo nhiệm vụ", "Task reports"),
    "trust_table_service_reading": ("Số liệu phục vụ", "Service readings"),
    "trust_table_year_note": ("Ghi chú năm", "Year notes"),
    "trust_table_score": ("Điểm chỉ số", "Scores"),
    "trust_table_indicator_value": ("Giá trị chỉ tiêu", "Indicator values"),
    "trust_table_target": ("Mục tiêu", "Targets"),
    "trust_table_benchmark": ("Mốc so sánh", "Benchmarks"),
    "trust_field_key": ("Khóa", "Key"),
    "trust_field_value": ("Giá trị", "Value"),
    "trust_field_batch_id": ("Lần nhập", "Import batch"),
    "trust_field_rows": ("Số dòng", "Rows"),
    "trust_field_backup": ("Bản sao lưu", "Backup"),
    "trust_field_entity_key": ("Địa phương", "Province"),
    "trust_field_group_code": ("Nhóm dịch vụ", "Service group"),
    "trust_field_code": ("Chỉ số", "Index"),
    "trust_field_note_vi": ("Ghi chú", "Note"),
    "trust_password_one_time": ("mật khẩu dùng một lần", "one-time password"),
    "trust_batch_rows": ("Từng dòng lần nhập #{batch} đã thay đổi (giá trị cũ → mới)",
                         "Row by row, what import batch #{batch} changed (old → new value)"),
    "trust_audit_file": ("nhat-ky-thay-doi", "audit-log"),
    # users page
    "trust_users_title": ("Người dùng", "Users"),
    "trust_users_caption": ("Tài khoản và vai trò. Mật khẩu chỉ được lưu dạng băm (bcrypt).",
                            "Accounts and roles. Passwords are stored only as bcrypt hashes."),
    "trust_add_user": ("Thêm người dùng", "Add a user"),
    "trust_display_name": ("Tên hiển thị", "Display name"),
    "trust_role": ("Vai trò", "Role"),
    "trust_active": ("Đang hoạt động", "Active"),
    "trust_edit_user": ("Sửa người dùng", "Edit a user"),
    "trust_apply": ("Lưu", "Save"),
    "trust_require_login": ("Cần đăng nhập để xem (kể cả người xem)", "Sign-in required to browse (viewers too)"),
    "trust_require_login_env": ("Đang được đặt bởi biến môi trường PCI_REQUIRE_LOGIN={value} trên máy chủ.",
                                "Set by the server's environment variable PCI_REQUIRE_LOGIN={value}."),
    "trust_saved": ("Đã lưu.", "Saved."),
    "trust_yes": ("có", "yes"),
    "trust_no": ("không", "no"),
}
