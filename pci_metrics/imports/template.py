"""The import template: an .xlsx generated from the database's frameworks, entities, units and tasks.

Sheets (Vietnamese names; the reader also accepts the English ones): "Hướng dẫn" (instructions),
"Điểm" (scores), "Mục tiêu" (targets), "Báo cáo nhiệm vụ" (task reports), "Nhiệm vụ" and "Đơn vị"
(the plan's appendix: its tasks and units, see :mod:`pci_metrics.imports.appendix`), "Chỉ số phục vụ"
(Decision 766 service-index readings), "Ghi chú" (the story behind the curve) and "Danh mục" (the
lists behind the drop-downs: codes, provinces, units, statuses, groups, tasks).

>>> # with storage.connect(path) as con: data = build_template(con); open("mau.xlsx", "wb").write(data)
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pci_metrics.domain.measures import measure_names
from pci_metrics.domain.notes import YEAR_NOTE_MAX_CHARS
from pci_metrics.domain.task_status import REPORTED_STATUSES, status_label
from pci_metrics.imports.columns import measure_choice
from pci_metrics.store import reference_db, service_db, storage, tasks_db
from pci_metrics.store.storage import records

LISTS_SHEET = "Danh mục"
CODE_HINT = ("Chọn chỉ số trong danh sách (tên, mã trong ngoặc); gõ mã (composite, entry…) hoặc tên chỉ số cũng được / "
             "pick a measure from the list (name, code in brackets); a typed code or name works too")
DATA_ROWS = 5000  # rows that carry the drop-down lists


@dataclass(frozen=True)
class Column:
    """One template column: header, width, a hint shown as a cell comment, and its drop-down list."""

    header: str
    width: int
    hint: str
    listing: str | None = None  # a column of the lists sheet, or "year"/"number" validation


SHEETS: dict[str, list[Column]] = {
    "Điểm": [
        Column("Năm", 8, "Năm đánh giá PCI (ví dụ 2024) / PCI year", "year"),
        Column("Đơn vị", 24, "Tỉnh/thành phố hoặc đơn vị, chọn trong danh sách / entity", "entities"),
        Column("Mã chỉ số", 36, CODE_HINT, "codes"),
        Column("Giá trị", 10, "Điểm 0–10; điểm tổng hợp 0–100; dấu phẩy thập phân được chấp nhận / score", "number"),
        Column("Xếp hạng", 10, "Hạng (số nguyên), có thể để trống / rank, optional", "rank"),
        Column("Nguồn", 40, "Văn bản hoặc đường dẫn nguồn số liệu / source (document or link)"),
    ],
    "Mục tiêu": [
        Column("Kế hoạch", 18, "Mã kế hoạch (để trống: kế hoạch duy nhất) / plan id", "plans"),
        Column("Đơn vị", 24, "Đơn vị đặt mục tiêu / entity", "entities"),
        Column("Năm", 8, "Năm của mục tiêu / year", "target_year"),
        Column("Khung đánh giá", 14, "Để trống: khung áp dụng năm đó / framework (blank: the year's)", "frameworks"),
        Column("Mã chỉ số", 36, CODE_HINT, "codes"),
        Column("Điểm mục tiêu", 12, "Điểm mục tiêu (có thể để trống nếu có hạng) / target score", "number"),
        Column("Hạng mục tiêu", 12, "Hạng mục tiêu (có thể để trống nếu có điểm) / target rank", "rank"),
        Column("Nguồn", 40, "Văn bản đặt mục tiêu / the document that set it"),
    ],
    "Báo cáo nhiệm vụ": [
        Column("Mã nhiệm vụ", 12, "Mã nhiệm vụ trong kế hoạch (T01, ...) / task id", "tasks"),
        Column("Kỳ báo cáo", 12, "2026-Q1, 2026-Q2, 2026-Q3 hoặc 2026 (báo cáo năm) / period"),
        Column("Đơn vị báo cáo", 30, "Đơn vị báo cáo / reporting unit", "units"),
        Column("Trạng thái", 18, "Chưa thực hiện, Đang thực hiện, Hoàn thành, Chậm tiến độ / status", "statuses"),
        Column("Tiến độ (%)", 10, "0–100 / progress in %", "percent"),
        Column("Kết quả", 40, "Kết quả thực hiện / outcome"),
        Column("Minh chứng", 40, "Văn bản, đường dẫn minh chứng / evidence"),
    ],
    "Nhiệm vụ": [
        Column("Mã nhiệm vụ", 12, "Mã trong Phụ lục (ví dụ PL01, 1.2); mã đã có thì sửa nhiệm vụ đó / task code"),
        Column("Nội dung nhiệm vụ", 60, "Nhiệm vụ cụ thể như trong Phụ lục Kế hoạch / the task as the appendix says"),
        Column("Chỉ số", 30, "Chỉ số thành phần hoặc ưu tiên nhiệm vụ phục vụ, chọn trong danh sách / sub-index served",
               "subindices"),
        Column("Đơn vị chủ trì", 30, "Tên hoặc tên viết tắt; nhiều đơn vị cách nhau bằng dấu ; / lead unit(s)"),
        Column("Đơn vị phối hợp", 30, "Tên hoặc tên viết tắt; nhiều đơn vị cách nhau bằng dấu ; / supporting units"),
        Column("Thời hạn", 12, "Ngày dd/mm/yyyy trong thời gian Kế hoạch / deadline within the plan", "plan_date"),
        Column("Sản phẩm", 30, "Sản phẩm đầu ra / product"),
        Column("Thẩm quyền", 24, "Cấp có thẩm quyền quyết định / authority"),
        Column("Nguồn", 30, "Văn bản giao nhiệm vụ (để trống: Phụ lục Kế hoạch) / source"),
        Column("Thôi theo dõi từ ngày", 14, "Để trống khi còn theo dõi / retired from (blank: still followed)"),
    ],
    "Đơn vị": [
        Column("Mã đơn vị", 14, "Có thể để trống: tạo từ tên viết tắt / unit code (blank: made from the short name)"),
        Column("Tên đơn vị", 40, "Tên đầy đủ của phòng, ban, đơn vị / unit name"),
        Column("Tên viết tắt", 18, "Ví dụ Phòng VH-XH / short name"),
        Column("Tên tiếng Anh", 30, "Có thể để trống / English name"),
        Column("Nguồn", 30, "Văn bản / source"),
        Column("Thôi theo dõi từ ngày", 14, "Để trống khi còn theo dõi / retired from (blank: still followed)"),
    ],
    "Chỉ số phục vụ": [
        Column("Đơn vị", 24, "Đơn vị được đánh giá / entity", "entities"),
        Column("Kỳ", 12, "2026, 2026-Q1 hoặc 2026-03 / period"),
        Column("Nhóm", 30, "Nhóm chỉ số của QĐ 766 / Decision 766 group", "groups"),
        Column("Điểm", 10, "Điểm của nhóm (không quá điểm tối đa) / score", "number"),
        Column("Nguồn", 40, "Cổng Dịch vụ công quốc gia, ngày lấy số liệu / source"),
    ],
    "Ghi chú": [
        Column("Đơn vị", 24, "Đơn vị / entity", "entities"),
        Column("Năm", 8, "Năm / year", "year"),
        Column("Mã chỉ số", 36, CODE_HINT, "codes"),
        Column("Nội dung", 80, f"Câu chuyện phía sau số liệu (tối đa {YEAR_NOTE_MAX_CHARS} ký tự) / "
                               f"the story behind the curve (at most {YEAR_NOTE_MAX_CHARS} characters)"),
    ],
}

INSTRUCTIONS_VI = [
    "Cách dùng mẫu nhập liệu",
    "1. Mỗi trang tính là một loại dữ liệu: Điểm, Mục tiêu, Báo cáo nhiệm vụ, Chỉ số phục vụ, Ghi chú. "
    "Trang nào không dùng thì để trống.",
    "2. Giữ nguyên dòng tiêu đề (dòng 1). Mỗi dòng bên dưới là một số liệu. Ô có danh sách chọn: bấm mũi tên để chọn.",
    "3. Số thập phân viết 6,85 hoặc 6.85 đều được. Điểm chỉ số thành phần 0–10, điểm tổng hợp 0–100, tiến độ 0–100.",
    "4. Mã chỉ số: chọn trong danh sách (tên chỉ số, mã trong ngoặc), hoặc gõ mã hay tên chỉ số; «composite» là điểm "
    "tổng hợp; chỉ số của từng khung đánh giá xem trang Danh mục.",
    "5. Phụ lục nhiệm vụ: trang «Nhiệm vụ» mỗi dòng một nhiệm vụ (mã, nội dung, chỉ số, đơn vị chủ trì, phối hợp, "
    "thời hạn, sản phẩm, thẩm quyền, nguồn); đơn vị mới khai ở trang «Đơn vị». Mã đã có thì sửa nhiệm vụ đó; đơn vị "
    "chủ trì và phối hợp của dòng thay cho danh sách cũ.",
    "6. Mục tiêu có thể là điểm, là hạng, hoặc cả hai. Kỳ báo cáo: 2026-Q1, 2026-Q2, 2026-Q3 hoặc 2026 (báo cáo năm).",
    "7. Không dùng công thức: nếu có, hãy dán giá trị (Paste Values). Không cần macro; macro nếu có sẽ bị bỏ qua.",
    "8. Tải tệp lên trang «Nhập dữ liệu»: hệ thống kiểm tra, báo mọi lỗi (trang tính, dòng, cột, giá trị, cần gì) "
    "và cho xem trước phần thêm mới / thay đổi trước khi bấm «Nhập». Mỗi lần nhập có thể hoàn tác.",
    "9. Số liệu đã công bố (VCCI) không bị ghi đè nếu chưa xác nhận rõ ràng.",
    "Giới hạn: tệp tối đa 20 MB và 200.000 dòng.",
]
INSTRUCTIONS_EN = [
    "How to use this template (English)",
    "One sheet per kind of data; leave unused sheets empty. Keep the header row. Decimal comma or point both work. "
    "Measures: pick one from the list (its name, the code in brackets) or type a code or name; «composite» is the "
    "composite score; each framework's measures are on the «Danh mục» (lists) sheet. Targets may be a "
    "score, a rank or both. Periods: 2026-Q1, 2026-Q2, 2026-Q3 or 2026 (annual). No formulas, no macros. Upload on "
    "the Import page: every problem is listed at once, and you see a preview before anything is written.",
]


def template_lists(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The drop-down lists, from the database: entity names, measure codes, units, statuses, groups, tasks.

    Example: ``template_lists(con)["statuses"]`` → Chưa thực hiện, Đang thực hiện, Hoàn thành, Chậm tiến độ;
    ``template_lists(con)["codes"][0]`` → ``'Điểm tổng hợp (composite)'`` (the import reads the code in brackets).
    """
    entities = reference_db.load_entities(con)
    entities = entities[entities["level"].isin(["province", "ward", "nation"])]
    ordered = pd.concat([entities[entities["level"] == "ward"], entities[entities["level"] == "province"]
                         .sort_values("name_vi"), entities[entities["level"] == "nation"]])
    names = measure_names(reference_db.load_subindices(con), reference_db.load_frameworks(con), "vi")
    this_year = date.today().year
    return {
        "entities": list(ordered["name_vi"]),
        "codes": [measure_choice(code, name) for code, name in names.items()],
        "units": list(tasks_db.load_units(con)["name_vi"]),
        "statuses": [status_label(s, "vi") for s in REPORTED_STATUSES],
        "groups": list(service_db.load_service_groups(con)["name_vi"]),
        "tasks": list(tasks_db.load_tasks(con)["task_id"]),
        "subindices": [*(measure_choice(r.code, r.name_vi) for r in records(reference_db.load_priorities(con))),
                       "Chỉ số phục vụ (QĐ 766)"],
        "plans": list(reference_db.load_plan(con)["plan_id"]),
        "frameworks": list(reference_db.load_frameworks(con)["framework_id"]),
        "years": [str(y) for y in range(2005, this_year + 1)],
    }


def _lists_sheet(ws: Worksheet, con: duckdb.DuckDBPyConnection, lists: dict[str, list[str]]) -> dict[str, str]:
    """Write the lists side by side with a readable reference table; return list name -> range formula."""
    ranges: dict[str, str] = {}
    bold = Font(bold=True)
    order = ["entities", "codes", "units", "statuses", "groups", "tasks", "plans", "frameworks", "subindices"]
    titles = {"entities": "Đơn vị / entity", "codes": "Chỉ số (mã) / measure (code)", "units": "Đơn vị báo cáo / unit",
              "statuses": "Trạng thái / status", "groups": "Nhóm QĐ 766 / group", "tasks": "Nhiệm vụ / task",
              "plans": "Kế hoạch / plan", "frameworks": "Khung / framework",
              "subindices": "Chỉ số ưu tiên / priority"}
    for j, name in enumerate(order, start=1):
        letter = get_column_letter(j)
        ws.cell(row=1, column=j, value=titles[name]).font = bold
        for i, value in enumerate(lists[name], start=2):
            ws.cell(row=i, column=j, value=value)
        ws.column_dimensions[letter].width = 28 if name in ("entities", "units", "groups") else 18
        last = max(2, len(lists[name]) + 1)
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${last}"
    # a reference table: which code means what in which framework
    start = len(order) + 2
    for k, head in enumerate(["Khung / framework", "Mã / code", "Tên", "Name", "Trọng số % / weight"]):
        ws.cell(row=1, column=start + k, value=head).font = bold
    subs = reference_db.load_subindices(con)
    for i, r in enumerate(records(subs), start=2):
        weight = None if r.weight is None or pd.isna(r.weight) else float(r.weight)
        for k, value in enumerate([r.framework_id, r.code, r.name_vi, r.name_en, weight]):
            ws.cell(row=i, column=start + k, value=value)
    for k, width in enumerate([14, 22, 40, 40, 12]):
        ws.column_dimensions[get_column_letter(start + k)].width = width
    tasks = tasks_db.load_tasks(con)
    tcol = start + 6
    ws.cell(row=1, column=tcol, value="Mã nhiệm vụ / task").font = bold
    ws.cell(row=1, column=tcol + 1, value="Nhiệm vụ").font = bold
    for i, r in enumerate(records(tasks), start=2):
        ws.cell(row=i, column=tcol, value=r.task_id)
        ws.cell(row=i, column=tcol + 1, value=r.title_vi)
    ws.column_dimensions[get_column_letter(tcol + 1)].width = 80
    return ranges


def _validation(kind: str, ranges: dict[str, str], plan_years: tuple[int, int] = (2025, 2026)) -> DataValidation | None:
    this_year = date.today().year
    if kind == "year":
        dv = DataValidation(type="whole", operator="between", formula1="2005", formula2=str(this_year))
        dv.error = f"Năm từ 2005 đến {this_year} / a year from 2005 to {this_year}"
    elif kind == "target_year":
        dv = DataValidation(type="whole", operator="between", formula1="2005", formula2=str(this_year + 10))
        dv.error = "Năm không hợp lệ / not a valid year"
    elif kind == "number":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
        dv.error = "Một số từ 0 đến 100 (chỉ số thành phần 0–10) / a number from 0 to 100"
    elif kind == "percent":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
        dv.error = "Tiến độ từ 0 đến 100 / progress from 0 to 100"
    elif kind == "rank":
        dv = DataValidation(type="whole", operator="between", formula1="1", formula2="63")
        dv.error = "Hạng là số nguyên từ 1 đến 63 / a rank from 1 to 63"
    elif kind == "plan_date":  # the import names the plan's years; Excel only warns
        dv = DataValidation(type="date", operator="between", formula1=f"DATE({plan_years[0]},1,1)",
                            formula2=f"DATE({plan_years[1]},12,31)",
                            errorStyle="warning")
        dv.error = "Ngày trong thời gian Kế hoạch / a date within the plan"
    elif kind in ("codes", "subindices"):  # a typed code or name is accepted by the import, so Excel only warns
        dv = DataValidation(type="list", formula1=f"={ranges[kind]}", errorStyle="warning")
        dv.error = "Không có trong danh sách: dùng mã hoặc tên chỉ số / not in the list: use a measure's code or name"
    elif kind in ranges:
        dv = DataValidation(type="list", formula1=f"={ranges[kind]}")
        dv.error = "Chọn một giá trị trong danh sách / pick a value from the list"
    else:
        return None
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = "Giá trị không hợp lệ / invalid value"
    return dv


def build_template(con: duckdb.DuckDBPyConnection) -> bytes:
    """The template workbook as .xlsx bytes, generated from the database (drop-downs included).

    Example: its sheets are Hướng dẫn, Điểm, Mục tiêu, Báo cáo nhiệm vụ, Nhiệm vụ, Đơn vị, Chỉ số phục vụ, Ghi chú,
    Danh mục.
    """
    # Load inputs.
    lists = template_lists(con)
    plan = reference_db.load_plan(con)
    plan_years = (int(plan["year_from"].min()), int(plan["year_to"].max())) if not plan.empty else (2025, 2026)
    # Process data: one sheet per kind, the lists sheet behind the drop-downs.
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide.column_dimensions["A"].width = 120
    guide.cell(row=1, column=1, value="MẪU NHẬP LIỆU — BẢNG ĐIỀU KHIỂN PCI PHƯỜNG HỒNG BÀNG").font = Font(bold=True, size=14)
    for i, line in enumerate([*INSTRUCTIONS_VI, "", *INSTRUCTIONS_EN], start=3):
        cell = guide.cell(row=i, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if line in (INSTRUCTIONS_VI[0], INSTRUCTIONS_EN[0]):
            cell.font = Font(bold=True)
    lists_ws = wb.create_sheet(LISTS_SHEET)
    ranges = _lists_sheet(lists_ws, con, lists)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for title, columns in SHEETS.items():
        ws = wb.create_sheet(title, index=len(wb.sheetnames) - 1)
        for j, col in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=j, value=col.header)
            cell.font, cell.fill = Font(bold=True), header_fill
            cell.comment = Comment(col.hint, "PCI")
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = col.width
            dv = _validation(col.listing, ranges, plan_years) if col.listing else None
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
        ws.freeze_panes = "A2"
    # Save outputs.
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_bytes(path: str | None = None) -> bytes:
    """Open the database, build the template, close it (for a deferred download button).

    Example: ``template_bytes("data/pci.duckdb")[:2]`` → ``b'PK'`` (an .xlsx is a zip).
    """
    with storage.connect(path, read_only=True) as con:
        return build_template(con)
