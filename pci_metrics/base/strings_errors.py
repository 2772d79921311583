"""Strings for what goes wrong outside the program's control, and for a bug's friendly page:
key -> (Vietnamese, English). Merged into i18n.CATALOG.

The dashboard shows them without file paths; the command line prints ``vi / en`` and the file.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # a bug: a friendly page in the browser, the traceback with the same id in the server log
    "error_unexpected": (
        "Đã xảy ra lỗi nên trang này không hiển thị được. Hãy tải lại trang; nếu lỗi vẫn còn, "
        "báo cho quản trị viên mã lỗi **{id}**.",
        "Something went wrong and this page could not be shown. Reload the page; if it happens again, "
        "give the administrator the error id **{id}**."),
    "error_id": ("Mã lỗi: {id} (chi tiết trong nhật ký máy chủ)", "Error id: {id} (details in the server log)"),
    # the database file cannot be read
    "error_db_corrupt": (
        "Không đọc được cơ sở dữ liệu (tệp bị hỏng, bị cắt ngắn hoặc không phải tệp cơ sở dữ liệu); "
        "hãy khôi phục bản sao lưu gần nhất",
        "The database cannot be read (the file is damaged, cut short or not a database file); "
        "restore the latest backup"),
    "error_db_corrupt_who": (
        "Không thao tác nào trên trang sửa được lỗi này. Quản trị viên chạy lệnh dưới đây trong thư mục của "
        "ứng dụng, thay thư mục bằng bản sao lưu mới nhất trong backups/; bản cũ được giữ lại bên cạnh.",
        "Nothing on this page can repair it. An administrator runs the command below in the app's folder, "
        "with the newest backup folder in backups/; the damaged file is kept beside it."),
    "error_backup_folder": ("<thư-mục-sao-lưu>", "<backup-folder>"),
    # files and disks (the command line adds the file's path)
    "error_disk_full": (
        "Ổ đĩa đã đầy nên không ghi được; hãy giải phóng dung lượng (hoặc báo quản trị viên) rồi thử lại",
        "the disk is full, so nothing could be written; free some space (or tell the administrator) and try again"),
    "error_read_only": ("Ổ đĩa chỉ cho đọc nên không ghi được", "the disk is read-only, so nothing could be written"),
    "error_permission": ("Không có quyền đọc hoặc ghi tệp", "permission denied"),
    "error_not_found": ("Không tìm thấy tệp", "file not found"),
    "error_is_directory": ("Đây là một thư mục, cần một tệp", "this is a folder, a file is needed"),
    "error_not_directory": ("Một phần của đường dẫn không phải là thư mục", "part of the path is not a folder"),
    "error_exists": ("Đã có tệp hoặc thư mục trùng tên", "a file or folder of that name already exists"),
    "error_file_system": ("Lỗi đọc hoặc ghi tệp ({reason})", "could not read or write a file ({reason})"),
    # command-line arguments
    "error_bad_argument": ("Giá trị không hợp lệ cho {option}: {value} (cần {expected})",
                           "invalid value for {option}: {value} (expected {expected})"),
    "error_expect_positive": ("một số nguyên từ 1 trở lên", "a whole number of 1 or more"),
    "error_expect_non_negative": ("một số từ 0 trở lên", "a number of 0 or more"),
    # links (view state in the URL)
    "error_url_ignored": ("Đường dẫn có giá trị không hợp lệ cho “{name}”: đã dùng giá trị mặc định.",
                          "The link had an invalid value for “{name}”: the default is used."),
    "error_url_clamped": ("Đường dẫn có giá trị ngoài khoảng cho “{name}”: đã dùng giá trị gần nhất trong khoảng.",
                          "The link had a value out of range for “{name}”: the nearest allowed value is used."),
}
