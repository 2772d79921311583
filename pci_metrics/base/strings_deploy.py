"""Strings for running the dashboard at the ward: serving on the office network, certificates,
scheduled backups and upgrades: key -> (Vietnamese, English). Merged into i18n.CATALOG."""

STRINGS: dict[str, tuple[str, str]] = {
    # serving on the office network
    "deploy_err_port": ("Cổng không hợp lệ: {port} (cần một số từ 1 đến 65535)",
                        "invalid port: {port} (expected a number from 1 to 65535)"),
    "deploy_err_tls_half": (
        "Cần đặt cả PCI_TLS_CERT và PCI_TLS_KEY (chứng chỉ và khoá riêng), hoặc không đặt biến nào",
        "set both PCI_TLS_CERT and PCI_TLS_KEY (certificate and private key), or neither"),
    "deploy_err_tls_missing": ("Không tìm thấy tệp chứng chỉ hoặc khoá: {path}",
                               "certificate or key file not found: {path}"),
    "deploy_err_plain_http": (
        "Không phục vụ bằng HTTP thường trên địa chỉ mạng {host}:{port}: mật khẩu sẽ đi qua mạng ở dạng đọc được. "
        "Tạo chứng chỉ bằng `python -m pci_metrics cert --host TÊN-MÁY --ip ĐỊA-CHỈ-IP` (hoặc đặt PCI_TLS_CERT và "
        "PCI_TLS_KEY), hoặc nếu đã có proxy HTTPS phía trước thì đặt PCI_ALLOW_HTTP=1",
        "refusing plain HTTP on the network address {host}:{port}: passwords would cross the network readable. "
        "Make a certificate with `python -m pci_metrics cert --host HOST-NAME --ip IP-ADDRESS` (or set "
        "PCI_TLS_CERT and PCI_TLS_KEY), or, with an HTTPS proxy in front, set PCI_ALLOW_HTTP=1"),
    "deploy_log_plain_http": (
        "CẢNH BÁO: phục vụ bằng HTTP thường trên {host}:{port} vì PCI_ALLOW_HTTP=1",
        "WARNING: serving plain HTTP on {host}:{port} because PCI_ALLOW_HTTP=1"),
    "deploy_log_listen": (
        "Phục vụ tại {scheme}://{host}:{port} (PCI_REQUIRE_LOGIN={login}; \"-\": theo cài đặt ở trang Người dùng)",
        "serving at {scheme}://{host}:{port} (PCI_REQUIRE_LOGIN={login}; \"-\": as set on the Users page)"),
    # certificates
    "deploy_err_cert_names": ("Cần ít nhất một --host hoặc --ip", "give at least one --host or --ip"),
    "deploy_err_cert_ip": ("Địa chỉ IP không hợp lệ: {ip}", "invalid IP address: {ip}"),
    "deploy_err_cert_host": ("Tên máy không hợp lệ: {host} (chỉ chữ, số, dấu chấm và gạch ngang)",
                             "invalid host name: {host} (letters, digits, dots and hyphens only)"),
    "deploy_err_no_openssl": ("Không có lệnh openssl: cài bằng `sudo apt-get install -y openssl`",
                              "the openssl command is missing: install it with `sudo apt-get install -y openssl`"),
    "deploy_err_openssl": ("openssl báo lỗi: {error}", "openssl failed: {error}"),
    "deploy_cert_done": (
        "Đã tạo chứng chỉ cho {names} (hết hạn sau {days} ngày): {cert}, khoá {keyfile}. Cài {ca} trên mỗi máy "
        "tính và điện thoại mở bảng điều khiển (một lần) để trình duyệt tin cậy.",
        "certificate made for {names} (valid {days} days): {cert}, key {keyfile}. Install {ca} once on every "
        "computer and phone that opens the dashboard so that browsers trust it."),
    # scheduled backups
    "deploy_backup_verified": ("Đã sao lưu và kiểm tra (khôi phục thử đạt): {dir} ({rows} dòng)",
                               "backed up and verified (a trial restore passed): {dir} ({rows} rows)"),
    "deploy_backup_copied": ("Đã chép sang: {dir}", "copied to: {dir}"),
    "deploy_backup_kept": ("Giữ {n} bản sao lưu tốt ({daily} ngày gần nhất, {monthly} tháng gần nhất); xoá {deleted}",
                           "kept {n} good backups (last {daily} days, last {monthly} months); deleted {deleted}"),
    "deploy_backup_bad": ("HỎNG, không tính là bản sao lưu tốt: {dir}: {reason}",
                          "BAD, not counted as a good backup: {dir}: {reason}"),
    "deploy_backup_last_good": ("Bản sao lưu tốt gần nhất: {when}", "last good backup: {when}"),
    "deploy_backup_none": ("chưa có", "none"),
    "deploy_err_keep": ("Số bản giữ lại phải từ 1 trở lên: {option} {value}",
                        "the number of backups kept must be 1 or more: {option} {value}"),
    # the Overview, for administrators
    "deploy_overview_backup_ok": ("Bản sao lưu tốt gần nhất: {when} ({folder}).",
                                  "Last good backup: {when} ({folder})."),
    "deploy_overview_backup_stale": (
        "Bản sao lưu tốt gần nhất đã cũ hơn hai ngày: {when}. Kiểm tra lịch sao lưu hằng đêm "
        "(`systemctl status pci-backup.timer`, `journalctl -u pci-backup`).",
        "The last good backup is more than two days old: {when}. Check the nightly backup "
        "(`systemctl status pci-backup.timer`, `journalctl -u pci-backup`)."),
    "deploy_overview_backup_none": (
        "Chưa có bản sao lưu tốt nào trong {folder}. Bật sao lưu hằng đêm (README, mục \"Triển khai tại phường\").",
        "No good backup in {folder} yet. Turn on the nightly backup (README, \"Deploying at the ward\")."),
    # upgrades
    "deploy_upgraded": (
        "Đã nâng cấp lược đồ: v{before} → v{after}; sao lưu trước khi nâng cấp: {backup}; tệp cũ giữ tại {kept}",
        "schema upgraded: v{before} → v{after}; backup taken first: {backup}; the old file is kept as {kept}"),
    "deploy_err_upgrade": (
        "Nâng cấp cơ sở dữ liệu {db} từ v{before} lên v{to} không thành công ({error}); tệp không bị thay đổi. "
        "Để quay lại: dừng dịch vụ, đưa mã nguồn về phiên bản trước (`git checkout <phiên-bản-trước>`), chạy "
        "lại; bản sao lưu vừa tạo: {backup} (khôi phục bằng `python -m pci_metrics restore {backup}`)",
        "upgrading the database {db} from v{before} to v{to} failed ({error}); the file was not changed. "
        "To roll back: stop the service, put the previous version of the code back (`git checkout "
        "<previous-version>`) and start it again; the backup just taken: {backup} (restore it with "
        "`python -m pci_metrics restore {backup}`)"),
    "deploy_rebuild_backup": ("Đã sao lưu cơ sở dữ liệu cũ trước khi dựng lại: {backup}",
                              "the old database was backed up before the rebuild: {backup}"),
}
