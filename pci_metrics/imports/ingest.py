"""Analysts' data import: read a file, validate it, preview the change, commit it atomically, undo it.

The engine behind the Import page and ``python -m pci_metrics import``:

1. :func:`read_file` checks the bytes (size, type, zip bomb, encryption, macros) and reads a VCCI
   workbook, our template workbook or a long-format CSV — nothing touches the database;
2. :func:`validate` checks every row against the database's frameworks, entities, units and tasks
   and lists every problem at once (sheet, row, column, value found, what was expected);
3. :func:`diff` compares with the database: rows added, changed (old → new) and unchanged;
4. :func:`commit` writes one batch in one transaction (rows, ``batch_change`` with old and new,
   the audit log); a changed *published* value needs ``allow_changes``;
5. :func:`undo` restores exactly the rows a batch replaced.

Uploaded file names are only ever labels: bytes are read in memory, never from a path built from them.

>>> r = read_file(b"", "empty.xlsx")
>>> [p.code for p in r.problems]
['empty']
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from pci_metrics.base.cells import blank_mask, is_blank, parse_number, parse_numbers
from pci_metrics.base.i18n import t
from pci_metrics.base.problems import InputError, Problem
from pci_metrics.domain.provinces import ALIASES, normalize_name
from pci_metrics.imports import sandbox
from pci_metrics.imports.sandbox import LimitExceeded
from pci_metrics.imports.vcci import VcciResult, read_vcci_workbook
from pci_metrics.store import storage

# ---------------------------------------------------------------------------
# Limits (README "Importing data")
# ---------------------------------------------------------------------------

MAX_BYTES = 20 * 1024 * 1024  # also .streamlit/config.toml server.maxUploadSize
MAX_ROWS = 200_000  # data rows per file, all sheets together
MAX_UNCOMPRESSED = 300 * 1024 * 1024  # total size of a workbook's zip entries once unpacked
MAX_RATIO = 100  # unpacked / packed size of one zip entry above 10 MB
MAX_SHEET_CELLS = 5_000_000  # rows × columns a worksheet may declare (a reader allocates them all)
MAX_PROBLEMS = 500  # problems listed; the rest are counted
MAX_TEXT = 4000
MAX_ADDED_LINES = 5000  # added rows listed cell by cell in a preview, per table (all are counted)
YEAR_MIN = 2005
TOLERANCE = 5e-5 + 1e-9  # values equal to 4 decimals are unchanged (the reference CSV has 4 decimals)
COMPOSITE = "composite"

KIND_VCCI, KIND_TEMPLATE, KIND_CSV, KIND_FORM = "vcci", "template", "csv", "form"

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _p(code: str, vi: str, en: str, *, sheet: str | None = None, row: int | None = None,
       column: str | None = None, found: Any = None, notice: bool = False) -> Problem:
    text = None if found is None else str(found)
    if text is not None and len(text) > 80:
        text = text[:77] + "..."
    return Problem(sheet, row, column, text, vi, en, severity="notice" if notice else "error", code=code)


def errors(problems: Sequence[Problem]) -> list[Problem]:
    """Only the problems that block an import.

    >>> errors([Problem(None, None, None, None, "a", "a", severity="notice")])
    []
    """
    return [p for p in problems if p.severity == "error"]


def safe_file_name(name: str | None) -> str:
    """A file name usable as a label only: no folders, no control characters, at most 120 characters.

    >>> safe_file_name("../../etc/passwd"), safe_file_name("C:\\\\x\\\\pci 2017.xlsx"), safe_file_name(None)
    ('passwd', 'pci 2017.xlsx', 'tệp không tên')
    """
    if not name:
        return "tệp không tên"
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:120] or "tệp không tên"


def sha256(data: bytes) -> str:
    """Hex SHA-256 of the file's bytes.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def _text(v: Any) -> str | None:
    if is_blank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(str(v).split())


def _year(v: Any) -> int | None:
    f, how = parse_number(v)
    if f is None or how == "comma" or not float(f).is_integer():
        return None
    return int(f)


# ---------------------------------------------------------------------------
# 1. Reading a file (no database)
# ---------------------------------------------------------------------------


@dataclass
class RawSheet:
    """One data sheet of a template (or the CSV): its kind, rows with original headers and ``_row``."""

    sheet: str | None
    kind: str  # scores | targets | task_reports | service | notes
    frame: pd.DataFrame


@dataclass
class RawFile:
    """What a file holds before validation, and the problems found reading it."""

    kind: str
    file_name: str
    sha256: str
    size: int
    sheets: list[RawSheet] = field(default_factory=list)
    vcci: VcciResult | None = None
    problems: list[Problem] = field(default_factory=list)
    year: int | None = None


_MAGIC = [
    (b"\x89PNG", "ảnh PNG", "a PNG image"), (b"\xff\xd8\xff", "ảnh JPEG", "a JPEG image"),
    (b"GIF8", "ảnh GIF", "a GIF image"), (b"BM", "ảnh BMP", "a BMP image"),
    (b"%PDF", "tệp PDF", "a PDF file"), (b"II*\x00", "ảnh TIFF", "a TIFF image"),
    (b"MM\x00*", "ảnh TIFF", "a TIFF image"),
]
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHEET_KINDS: dict[str, tuple[str, ...]] = {
    "scores": ("diem", "scores", "score", "diemso"),
    "targets": ("muctieu", "targets", "target"),
    "task_reports": ("baocaonhiemvu", "taskreports", "baocao"),
    "service": ("chisophucvu", "serviceindex", "service", "phucvu"),
    "notes": ("ghichu", "notes", "note"),
}
IGNORED_SHEETS = ("huongdan", "instructions", "danhmuc", "lists")


def too_large(file_name: str, size: int) -> Problem:
    """The problem of a file over the size limit.

    >>> too_large("x.xlsx", 30 * 1024 * 1024).expected_en
    'a file of at most 20 MB (this one is 30.0 MB)'
    """
    mb = size / 1024 / 1024
    return _p("too_large", f"tệp không quá {MAX_BYTES // 1024 // 1024} MB (tệp này {mb:.1f} MB)",
              f"a file of at most {MAX_BYTES // 1024 // 1024} MB (this one is {mb:.1f} MB)", found=file_name)


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``; raises InputError for a device such as
    /dev/zero, a pipe or a larger file, and the operating system's error for a missing, unreadable
    or folder path (worded by :mod:`pci_metrics.trust.failures`). Never reads more than ``MAX_BYTES + 1``
    bytes, whatever the file claims its size is.
    """
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise InputError([_p("not_a_file", "một tệp thông thường (đây là một thiết bị hoặc luồng)",
                                 "a regular file (this is a device or a stream)", found=str(path))])
        if st.st_size > MAX_BYTES:
            raise InputError([too_large(safe_file_name(path.name), st.st_size)])
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError([too_large(safe_file_name(path.name), len(data))])
    return data


def _wrong_type(file_name: str, vi: str, en: str, code: str = "wrong_type") -> Problem:
    return _p(code, f"một bảng tính .xlsx, .xls hoặc tệp .csv; {vi}", f"an .xlsx or .xls workbook or a .csv file; {en}",
              found=file_name)


def sniff(data: bytes, file_name: str) -> tuple[str | None, list[Problem]]:
    """What the bytes are ('xlsx', 'xls', 'csv') and the problems that stop or qualify reading them.

    Checks before anything is opened: empty, too large, an image or PDF, a password-protected
    (encrypted) file, a zip bomb, a macro-enabled workbook (macros are ignored, never run), a text
    file renamed .xlsx.

    >>> sniff(b"\\x89PNG\\r\\n", "chart.xlsx")[1][0].code
    'wrong_type'
    >>> sniff(b"year,entity_key,code,value\\n", "x.csv")[0]
    'csv'
    """
    ext = PurePosixPath(file_name.lower()).suffix
    if not data:
        return None, [_p("empty", "một tệp có dữ liệu (tệp này rỗng, 0 byte)", "a file with data (this file is empty)",
                         found=file_name)]
    if len(data) > MAX_BYTES:
        return None, [too_large(file_name, len(data))]
    for magic, vi, en in _MAGIC:
        if data.startswith(magic):
            return None, [_wrong_type(file_name, f"tệp này là {vi}", f"this file is {en}")]
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            return None, [_p("encrypted", "một tệp không đặt mật khẩu: mở tệp trong Excel, bỏ mật khẩu "
                                          "(Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu lại",
                             "a file without a password: open it in Excel, remove the password "
                             "(File → Info → Protect Workbook) and save it again", found=file_name)]
        if "WordDocument".encode("utf-16-le") in data:
            return None, [_wrong_type(file_name, "tệp này là văn bản Word", "this file is a Word document")]
        return "xls", []
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, file_name, ext)
    text = _decode(data)
    if text is None and b"\x00" not in data[:4096]:
        return None, [_p("encoding", "văn bản mã UTF-8 (trong Excel: Lưu dạng «CSV UTF-8 (Comma delimited)»)",
                         "UTF-8 text (in Excel: Save as «CSV UTF-8 (Comma delimited)»)", found=file_name)]
    if text is None or "\x00" in text[:4096]:
        return None, [_wrong_type(file_name, "không nhận ra nội dung tệp (tệp hỏng hoặc không phải bảng tính)",
                                  "the content is not recognised (a damaged file or not a spreadsheet)",
                                  code="corrupt")]
    if ext in (".xlsx", ".xls", ".xlsm", ".ods"):
        return None, [_wrong_type(
            file_name, f"tệp này là văn bản (CSV?) nhưng đặt tên đuôi {ext}: đổi tên thành .csv, "
                       "hoặc mở trong Excel rồi lưu dạng .xlsx",
            f"this file is text (CSV?) named {ext}: rename it .csv, or open it in Excel and save it as .xlsx",
            code="renamed")]
    return "csv", []


def _sniff_zip(data: bytes, file_name: str, ext: str) -> tuple[str | None, list[Problem]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            bomb = _zip_bomb(zf, infos, data, file_name)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None, [_wrong_type(file_name, "tệp nén bị hỏng (tải lại hoặc lưu lại tệp)",
                                  "the zip container is damaged (download or save it again)", code="corrupt")]
    if bomb:
        return None, bomb
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        if "word/document.xml" in names:
            return None, [_wrong_type(file_name, "tệp này là văn bản Word", "this file is a Word document")]
        if "ppt/presentation.xml" in names:
            return None, [_wrong_type(file_name, "tệp này là bản trình chiếu", "this file is a presentation")]
        return None, [_wrong_type(file_name, "tệp nén không chứa bảng tính Excel",
                                  "a zip file without an Excel workbook")]
    problems: list[Problem] = []
    if "xl/workbook.bin" in names:
        return None, [_wrong_type(file_name, "tệp .xlsb (nhị phân) chưa được hỗ trợ: lưu lại dạng .xlsx",
                                  "binary .xlsb is not supported: save it as .xlsx")]
    if "xl/vbaProject.bin" in names or ext == ".xlsm":
        problems.append(_p("macros", "—", "—", found=file_name, notice=True))
        problems[-1] = Problem(None, None, None, file_name,
                               "bảng tính có macro (.xlsm): chỉ đọc dữ liệu, macro bị bỏ qua và không bao giờ chạy",
                               "a macro-enabled workbook (.xlsm): only its data is read; the macros were ignored "
                               "and never run", severity="notice", code="macros")
    return "xlsx", problems


_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?"')
_CHUNK = 1024 * 1024


def _column_number(letters: bytes) -> int:
    """Excel column letters as a number: b"A" → 1, b"XFD" → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _declared_cells(head: bytes) -> tuple[str, int] | None:
    """A worksheet's declared area (``<dimension ref="A1:XFD1048576"/>``, near the top of its XML) and how
    many cells a reader would allocate for it; None when not declared.

    >>> _declared_cells(b'<worksheet><dimension ref="A1:XFD1048576"/>')
    ('A1:XFD1048576', 17179869184)
    >>> _declared_cells(b'<dimension ref="1:71"/>')
    ('1:71', 71)
    """
    m = _DIMENSION_RE.search(head)
    if m is None:
        return None
    c1, r1, c2, r2 = (g or b"" for g in m.groups())
    rows = abs(int(r2 or r1 or 1) - int(r1 or 1)) + 1
    cols = abs(_column_number(c2 or c1) - _column_number(c1)) + 1 if (c1 or c2) else 1
    ref = (c1 + r1 + (b":" + c2 + r2 if m.group(3) is not None else b"")).decode()
    return ref, rows * cols


def _unpacked_chunks(data: bytes, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's content in steps of at most 1 MB, unpacked from its compressed bytes as they really
    are: the sizes and checksum in its headers are ignored, since a bomb lies about them."""
    local = data[info.header_offset:info.header_offset + 30]
    if info.compress_type != zipfile.ZIP_DEFLATED or len(local) < 30 or local[:4] != b"PK\x03\x04":
        with zf.open(info) as member:  # stored (no expansion) or a rare method: the library's reader
            while chunk := member.read(_CHUNK):
                yield chunk
        return
    start = info.header_offset + 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little")
    packed = data[start:start + info.compress_size]
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    pending = packed
    while pending and not inflate.eof:
        chunk = inflate.decompress(pending, _CHUNK)
        pending = inflate.unconsumed_tail
        if chunk:
            yield chunk


def _zip_bomb(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], data: bytes, file_name: str) -> list[Problem]:
    """Problems of a zip that would unpack too large, measured by unpacking it in 1 MB steps (what a
    member really holds, not what its header declares: a lying header is the classic bomb), and of
    worksheets that declare more cells than a reader may allocate. Stops at the first limit passed.
    """
    total = 0
    sheet_names = {path: name for name, path in _sheet_paths(zf).items()}
    for info in infos:
        size = 0
        head = b""
        for chunk in _unpacked_chunks(data, zf, info):
            size += len(chunk)
            total += len(chunk)
            if len(head) < 4096:
                head += chunk[:4096]
            ratio = size / max(info.compress_size, 1)
            if total > MAX_UNCOMPRESSED or (size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
                return [_p("zip_bomb",
                           f"một bảng tính bình thường: khi giải nén tệp này vượt quá "
                           f"{MAX_UNCOMPRESSED // 1024 // 1024} MB hoặc tỉ lệ nén {MAX_RATIO}:1 "
                           f"(phần «{info.filename}» đã tới {size / 1024 / 1024:.0f} MB) — "
                           "có thể là «bom giải nén»; tệp không được mở",
                           f"an ordinary workbook: this one unpacks to more than "
                           f"{MAX_UNCOMPRESSED // 1024 // 1024} MB or beyond a compression ratio of "
                           f"{MAX_RATIO}:1 (member «{info.filename}» reached {size / 1024 / 1024:.0f} MB) — "
                           "possibly a decompression bomb; it was not opened", found=file_name)]
        if info.filename.startswith("xl/worksheets/") and (declared := _declared_cells(head)) is not None:
            ref, cells = declared
            if cells > MAX_SHEET_CELLS:
                limit = f"{MAX_SHEET_CELLS:,}"
                return [_p("sheet_too_large",
                           f"tối đa {limit.replace(',', '.')} ô mỗi trang tính (bộ đọc cấp bộ nhớ cho cả vùng) — "
                           "xoá các ô thừa ở xa vùng dữ liệu rồi lưu lại",
                           f"at most {limit} cells per sheet (a reader allocates the whole area) — "
                           "delete stray cells far from the data and save it again",
                           sheet=sheet_names.get(info.filename, info.filename),
                           found=f"{ref} ({cells:,} ô / cells)")]
    return []


def _decode(data: bytes) -> str | None:
    for enc in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return text
    return None


_FORMULA_RE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>\s*<f[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')


def formula_cells_without_value(data: bytes) -> dict[str, list[str]]:
    """Sheet name -> cells (e.g. 'D5') holding a formula but no saved value (written by a program, never
    opened in Excel): such cells read as empty, so they are reported instead.

    >>> formula_cells_without_value(b"not a zip")
    {}
    """
    out: dict[str, list[str]] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return out
    with zf:
        sheets = _sheet_paths(zf)
        for name, path in sheets.items():
            try:
                xml = zf.read(path)
            except KeyError:
                continue
            if b"<f" not in xml:
                continue
            cells = [f"{m.group(1).decode()}{m.group(2).decode()}" for m in _FORMULA_RE.finditer(xml)]
            if cells:
                out[name] = cells
    return out


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet XML path inside an .xlsx."""
    try:
        wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out: dict[str, str] = {}
    for attrs in re.findall(r"<sheet\b([^>]*)/?>", wb):
        name = re.search(r'name="([^"]*)"', attrs)
        rid = re.search(r'r:id="([^"]*)"', attrs) or re.search(r'\bid="([^"]*)"', attrs)
        if not name or not rid or rid.group(1) not in targets:
            continue
        target = targets[rid.group(1)].lstrip("/")
        path = target if target.startswith("xl/") else "xl/" + target
        import html

        out[html.unescape(name.group(1))] = path
    return out


def _sheet_kind(name: str) -> str | None:
    norm = normalize_name(name)
    for kind, names in SHEET_KINDS.items():
        if norm in names:
            return kind
    return None


def _calamine_sheets(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names]


def _frame_from_rows(rows: list[list[Any]], first_data_row: int, header: list[Any]) -> pd.DataFrame:
    """Data rows under a header as a DataFrame of raw cells plus ``_row`` (the sheet's row number)."""
    names: list[str] = []
    for i, h in enumerate(header):
        label = _text(h) or f"col{i + 1}"
        while label in names:
            label += "_"
        names.append(label)
    width = len(names)
    body = rows if all(len(r) == width for r in rows) else [(list(r) + [""] * (width - len(r)))[:width] for r in rows]
    frame = pd.DataFrame(body, columns=names, dtype=object) if body else pd.DataFrame(columns=names, dtype=object)
    frame["_row"] = np.arange(first_data_row, first_data_row + len(frame))
    if not frame.empty:
        cells = frame[names]
        empty = np.ones(len(frame), dtype=bool)
        for name in names:
            empty &= blank_mask(cells[name])
        frame = frame[~empty].reset_index(drop=True)
    return frame


def _header_row(rows: list[list[Any]], kind: str) -> int:
    """Index of the header row among the first five: the one naming most of the sheet's columns."""
    aliases = FIELD_ALIASES.get(kind, {})
    known = {a for names in aliases.values() for a in names} if aliases else set()
    best, best_n = 0, -1
    for i, row in enumerate(rows[:5]):
        if kind == "task_reports":
            from pci_metrics.views.tasks import REPORT_HEADERS, fold

            n = sum(1 for v in row if _text(v) and (fold(v) in REPORT_HEADERS or
                                                    any(fold(v) in names for names in REPORT_HEADERS.values())))
        else:
            n = sum(1 for v in row if _text(v) and normalize_name(str(v)) in known)
        if n > best_n:
            best, best_n = i, n
    return best


def read_file(data: bytes, file_name: str | None, *, year: int | None = None) -> RawFile:
    """Check and read an uploaded file in memory; problems are collected, nothing is raised.

    >>> r = read_file(b"year,entity_key,code,value\\n2017,haiphong,composite,65.15\\n", "x.csv")
    >>> r.kind, len(r.sheets[0].frame), r.problems
    ('csv', 1, [])
    """
    name = safe_file_name(file_name)
    raw = RawFile(kind="", file_name=name, sha256=sha256(data), size=len(data), year=year)
    fmt, problems = sniff(data, name)
    raw.problems.extend(problems)
    if fmt is None:
        return raw
    if fmt == "csv":
        raw.kind = KIND_CSV
        _read_csv(data, raw)
        return raw
    if year is not None and not YEAR_MIN <= year <= date.today().year:
        raw.problems.append(_p("year_out_of_range", f"năm từ {YEAR_MIN} đến {date.today().year}",
                               f"a year from {YEAR_MIN} to {date.today().year}", column="--year", found=year))
        return raw
    try:
        sheets = _calamine_sheets(data)
        names = [n for n, _ in sheets]
    except Exception:  # noqa: BLE001 - calamine cannot open it: the VCCI reader has the openpyxl fallback
        sheets, names = [], []
    if sheets and any(_sheet_kind(n) for n in names):
        raw.kind = KIND_TEMPLATE
        _read_template(data, sheets, raw)
        return raw
    raw.kind = KIND_VCCI
    try:
        raw.vcci = read_vcci_workbook(data, file_name=name, year=year)
        raw.year = raw.vcci.year
    except InputError as exc:
        raw.problems.extend(exc.problems)
    except Exception as exc:  # noqa: BLE001 - a damaged workbook: say so, never crash
        raw.problems.append(_wrong_type(name, f"không đọc được tệp ({exc})", f"the file cannot be read ({exc})",
                                        code="corrupt"))
    return raw


def _read_template(data: bytes, sheets: list[tuple[str, list[list[Any]]]], raw: RawFile) -> None:
    formulas = formula_cells_without_value(data)
    total = 0
    for name, rows in sheets:
        kind = _sheet_kind(name)
        if kind is None:
            if normalize_name(name) not in IGNORED_SHEETS:
                raw.problems.append(Problem(name, None, None, None,
                                            "trang tính không thuộc mẫu nhập liệu: bỏ qua",
                                            "a sheet that is not part of the template: skipped",
                                            severity="notice", code="sheet_skipped"))
            continue
        for cell in formulas.get(name, [])[:50]:
            col, row = re.match(r"([A-Z]+)(\d+)", cell).groups()  # type: ignore[union-attr]
            raw.problems.append(_p("formula_without_value",
                                   "một giá trị; ô có công thức nhưng chưa có kết quả đã lưu: mở tệp trong Excel, "
                                   "lưu lại (hoặc dán giá trị thay công thức)",
                                   "a value; the cell has a formula but no saved result: open the file in Excel and "
                                   "save it (or paste values instead of the formula)",
                                   sheet=name, row=int(row), column=col, found="=…"))
        trimmed = rows
        while trimmed and all(is_blank(v) for v in trimmed[-1]):
            trimmed = trimmed[:-1]
        if not trimmed:
            continue
        h = _header_row(trimmed, kind)
        frame = _frame_from_rows(trimmed[h + 1:], h + 2, trimmed[h])
        if frame.empty:
            continue  # a sheet left empty: nothing to import from it
        total += len(frame)
        if total > MAX_ROWS:
            raw.problems.append(_p("too_many_rows", f"tối đa {MAX_ROWS:,} dòng dữ liệu mỗi tệp".replace(",", "."),
                                   f"at most {MAX_ROWS:,} data rows per file", sheet=name, found=f"{total}+"))
            return
        raw.sheets.append(RawSheet(name, kind, frame))


def _read_csv(data: bytes, raw: RawFile) -> None:
    text = _decode(data)
    if text is None:
        raw.problems.append(_p("encoding", "văn bản mã UTF-8 (trong Excel: Lưu dạng «CSV UTF-8»)",
                               "UTF-8 text (in Excel: Save as «CSV UTF-8»)", found=raw.file_name))
        return
    lines = text.count("\n")
    if lines > MAX_ROWS + 1:  # before parsing: 20 MB of blank lines would become 20 million rows
        raw.problems.append(_p("too_many_rows", f"tối đa {MAX_ROWS} dòng dữ liệu mỗi tệp",
                               f"at most {MAX_ROWS} data rows per file", found=f"{lines} dòng / lines"))
        return
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    except csv.Error as exc:
        raw.problems.append(_p("corrupt", "một tệp CSV hợp lệ", "a valid CSV file", found=str(exc)))
        return
    if len(rows) - 1 > MAX_ROWS:
        raw.problems.append(_p("too_many_rows", f"tối đa {MAX_ROWS} dòng dữ liệu mỗi tệp",
                               f"at most {MAX_ROWS} data rows per file", found=len(rows) - 1))
        return
    if not rows or all(is_blank(v) for v in rows[0]):
        raw.problems.append(_p("empty", "một dòng tiêu đề (year, entity_key, code, value, ...) và dữ liệu",
                               "a header row (year, entity_key, code, value, ...) and data", found=raw.file_name))
        return
    raw.sheets.append(RawSheet(None, "scores", _frame_from_rows(rows[1:], 2, list(rows[0]))))


# ---------------------------------------------------------------------------
# 2. Validation against the database
# ---------------------------------------------------------------------------

# Header spellings per sheet kind and field, compared normalised (no case, accents, spaces, punctuation).
FIELD_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "scores": {
        "year": ("nam", "year"),
        "entity": ("donvi", "tinh", "tinhthanhpho", "entity", "entitykey", "province", "diaphuong"),
        "code": ("machiso", "chiso", "code", "subindex", "machisothanhphan"),
        "value": ("giatri", "diem", "value", "score"),
        "rank": ("xephang", "hang", "rank"),
        "source": ("nguon", "source"),
        "framework": ("khungdanhgia", "khung", "framework", "frameworkid"),
    },
    "targets": {
        "plan": ("kehoach", "plan", "planid"),
        "entity": ("donvi", "tinh", "entity", "entitykey", "province", "diaphuong"),
        "year": ("nam", "year"),
        "framework": ("khungdanhgia", "khung", "framework", "frameworkid"),
        "code": ("machiso", "chiso", "code", "subindex"),
        "target_score": ("diemmuctieu", "muctieudiem", "targetscore", "diem", "score"),
        "target_rank": ("hangmuctieu", "muctieuhang", "targetrank", "xephangmuctieu", "hang", "rank"),
        "source": ("nguon", "source", "cancu"),
    },
    "service": {
        "entity": ("donvi", "entity", "entitykey", "diaphuong"),
        "period": ("ky", "kybaocao", "kydanhgia", "period"),
        "group": ("nhom", "nhomchiso", "manhom", "group", "groupcode"),
        "score": ("diem", "score", "giatri", "value"),
        "source": ("nguon", "source"),
    },
    "notes": {
        "entity": ("donvi", "tinh", "entity", "entitykey", "diaphuong"),
        "year": ("nam", "year"),
        "code": ("machiso", "chiso", "code", "subindex"),
        "text": ("noidung", "ghichu", "text", "note", "cauchuyen"),
    },
}
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "scores": ("year", "entity", "code"), "targets": ("entity", "year", "code"),
    "service": ("entity", "period", "group", "score"), "notes": ("entity", "year", "code", "text"),
}
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "year": ("Năm", "year"), "entity": ("Đơn vị", "entity"), "code": ("Mã chỉ số", "code"),
    "value": ("Giá trị", "value"), "rank": ("Xếp hạng", "rank"), "source": ("Nguồn", "source"),
    "framework": ("Khung đánh giá", "framework"), "plan": ("Kế hoạch", "plan"),
    "target_score": ("Điểm mục tiêu", "target score"), "target_rank": ("Hạng mục tiêu", "target rank"),
    "period": ("Kỳ", "period"), "group": ("Nhóm", "group"), "score": ("Điểm", "score"),
    "text": ("Nội dung", "text"),
}
COMPOSITE_NAMES = ("composite", "diemtonghop", "pci", "tonghop", "pcicotrongso", "weightedpci")


@dataclass
class Context:
    """What validation needs from the database: the vocabularies rows are checked against."""

    entities: pd.DataFrame
    frameworks: pd.DataFrame
    subindices: pd.DataFrame
    year_info: pd.DataFrame
    plans: pd.DataFrame
    units: pd.DataFrame
    tasks: pd.DataFrame
    task_units: pd.DataFrame
    groups: pd.DataFrame
    indicators: pd.DataFrame
    entity_lookup: dict[str, str] = field(default_factory=dict)
    _n_by_year: dict[int, int | None] = field(default_factory=dict)

    def framework_for(self, year: int) -> str | None:
        """The framework in force in a year (year_info first, then the frameworks' ranges)."""
        row = self.year_info[self.year_info["year"] == year]
        if not row.empty:
            return str(row["framework_id"].iloc[0])
        for r in storage.records(self.frameworks):
            to = 9999 if is_blank(r.year_to) else int(r.year_to)
            if int(r.year_from) <= year <= to:
                return str(r.framework_id)
        return None

    def n_provinces(self, year: int) -> int | None:
        """How many provinces were ranked in a year, when known."""
        if not self._n_by_year and not self.year_info.empty:
            self._n_by_year.update({int(y): None if is_blank(n) else int(n)
                                    for y, n in zip(self.year_info["year"], self.year_info["n_provinces"],
                                                    strict=True)})
        return self._n_by_year.get(int(year))

    def entity_name(self, key: str) -> str:
        """An entity's Vietnamese name (the key when unknown)."""
        hit = self.entities[self.entities["entity_key"] == key]
        return key if hit.empty else str(hit["name_vi"].iloc[0])


def load_context(con: duckdb.DuckDBPyConnection) -> Context:
    """The vocabularies of an open database (see :class:`Context`).

    Example: ``load_context(con).entity_lookup["tphcm"]`` → ``'hochiminhcity'``.
    """
    ctx = Context(
        entities=storage.load_entities(con), frameworks=storage.load_frameworks(con),
        subindices=storage.load_subindices(con), year_info=storage.load_year_info(con),
        plans=storage.load_plan(con), units=storage.load_units(con), tasks=storage.load_tasks(con),
        task_units=storage.load_task_units(con), groups=storage.load_service_groups(con),
        indicators=storage.load_indicators(con))
    lookup: dict[str, str] = {}
    for r in storage.records(ctx.entities):
        for spelling in (r.entity_key, r.name_vi, r.name_en):
            if spelling:
                lookup.setdefault(normalize_name(spelling), str(r.entity_key))
    keys = set(ctx.entities["entity_key"])
    for alias, key in ALIASES.items():
        if key in keys:
            lookup.setdefault(alias, key)
    if "hongbang" in keys:
        lookup.setdefault("hongbang", "hongbang")
    ctx.entity_lookup = lookup
    return ctx


def _suggest(text: str, candidates: Sequence[str], n: int = 3) -> list[str]:
    import difflib

    folded = {normalize_name(c): c for c in candidates}
    hits = difflib.get_close_matches(normalize_name(text), list(folded), n=n, cutoff=0.5)
    return [folded[h] for h in hits]


@dataclass
class Incoming:
    """Validated rows per table (the store's columns, plus ``_sheet``/``_row`` of each row) and problems."""

    kind: str
    file_name: str
    sha256: str
    tables: dict[str, pd.DataFrame]
    problems: list[Problem]
    year: int | None = None

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return not errors(self.problems)


class _Checker:
    """Collects problems for one sheet; maps header texts to fields; converts columns."""

    def __init__(self, sheet: RawSheet, problems: list[Problem]):
        self.sheet, self.problems = sheet, problems
        aliases = FIELD_ALIASES[sheet.kind]
        self.columns: dict[str, str] = {}  # field -> original header
        for col in sheet.frame.columns:
            if col == "_row":
                continue
            norm = normalize_name(str(col))
            for fld, names in aliases.items():
                if fld not in self.columns and (norm in names or norm == normalize_name(fld)):
                    self.columns[fld] = str(col)
                    break
        self.rows = sheet.frame["_row"].to_numpy()

    def missing(self, required: Sequence[str]) -> bool:
        gone = [f for f in required if f not in self.columns]
        for f in gone:
            vi, en = FIELD_LABELS[f]
            self.problems.append(_p("missing_column", f'một cột "{vi}" trong dòng tiêu đề',
                                    f'a column "{en}" ("{vi}") in the header row', sheet=self.sheet.sheet, row=1))
        return bool(gone)

    def col(self, fld: str) -> pd.Series:
        if fld in self.columns:
            return self.sheet.frame[self.columns[fld]]
        return pd.Series([None] * len(self.sheet.frame), index=self.sheet.frame.index, dtype=object)

    def add(self, i: int | np.integer[Any], fld: str, found: Any, vi: str, en: str, code: str,
            notice: bool = False) -> None:
        self.problems.append(_p(code, vi, en, sheet=self.sheet.sheet, row=int(self.rows[int(i)]),
                                column=self.columns.get(fld, fld), found=_text(found) if found is not None else None,
                                notice=notice))

    def numbers(self, fld: str, low: float | pd.Series, high: float | pd.Series, *, required: bool = False,
                integer: bool = False, what_vi: str = "một số", what_en: str = "a number") -> tuple[pd.Series, pd.Series]:
        """(values, bad mask); decimal commas accepted with one notice per column."""
        raw = self.col(fld)
        values, how = parse_numbers(raw)
        lows = low if isinstance(low, pd.Series) else pd.Series(low, index=raw.index)
        highs = high if isinstance(high, pd.Series) else pd.Series(high, index=raw.index)
        bad = pd.Series(False, index=raw.index)
        for i in np.flatnonzero((how == "bad").to_numpy()):
            self.add(i, fld, raw.iloc[i], f"{what_vi} (ví dụ 6,85 hoặc 6.85)", f"{what_en} (e.g. 6.85)", "not_a_number")
            bad.iloc[i] = True
        if required:
            for i in np.flatnonzero((how == "blank").to_numpy()):
                self.add(i, fld, None, f"{what_vi} (cột bắt buộc)", f"{what_en} (a required column)", "required")
                bad.iloc[i] = True
        given = values.notna()
        out = given & ((values < lows - 1e-9) | (values > highs + 1e-9))
        if integer:
            out |= given & (values != values.round())
        for i in np.flatnonzero(out.to_numpy()):
            lo, hi = float(lows.iloc[i]), float(highs.iloc[i])
            kind_vi, kind_en = ("số nguyên", "a whole number") if integer else ("một số", "a number")
            self.add(i, fld, raw.iloc[i], f"{kind_vi} từ {lo:g} đến {hi:g}", f"{kind_en} from {lo:g} to {hi:g}",
                     "out_of_range")
            bad.iloc[i] = True
        commas = np.flatnonzero((how == "comma").to_numpy())
        if len(commas):
            first = int(commas[0])
            more = f" và {len(commas) - 1} ô khác" if len(commas) > 1 else ""
            more_en = f" and {len(commas) - 1} other cells" if len(commas) > 1 else ""
            self.add(first, fld, raw.iloc[first], f"đã đọc dấu phẩy thập phân «{_text(raw.iloc[first])}» là "
                     f"{values.iloc[first]:g}{more}", f"read the decimal comma «{_text(raw.iloc[first])}» as "
                     f"{values.iloc[first]:g}{more_en}", "decimal_comma", notice=True)
        return values.where(~bad), bad

    def years(self, low: int, high: int) -> tuple[pd.Series, pd.Series]:
        raw = self.col("year")
        numbers, how = parse_numbers(raw)
        whole = numbers.notna() & (how == "ok") & (numbers == numbers.round())
        values: list[int | None] = [int(v) if w else None for v, w in zip(numbers, whole, strict=True)]
        bad = np.zeros(len(values), dtype=bool)
        for i, y in enumerate(values):
            if y is None:
                self.add(i, "year", raw.iloc[i], f"một năm (ví dụ {high - 1})", f"a year (e.g. {high - 1})",
                         "required" if is_blank(raw.iloc[i]) else "not_a_year")
                bad[i] = True
            elif not low <= y <= high:
                self.add(i, "year", raw.iloc[i], f"năm từ {low} đến {high}", f"a year from {low} to {high}",
                         "year_out_of_range")
                bad[i] = True
                values[i] = None
        return pd.Series(values, index=raw.index, dtype=object), pd.Series(bad, index=raw.index)

    def entities(self, ctx: Context) -> tuple[pd.Series, pd.Series]:
        raw = self.col("entity")
        uniq = {v: ctx.entity_lookup.get(normalize_name(str(v))) for v in raw.dropna().unique() if not is_blank(v)}
        keys = raw.map(lambda v: uniq.get(v) if not is_blank(v) else None)
        bad = pd.Series(False, index=raw.index)
        names = list(ctx.entities["name_vi"])
        for i in np.flatnonzero(keys.isna().to_numpy()):
            v = raw.iloc[i]
            if is_blank(v):
                self.add(i, "entity", None, "tên tỉnh/thành phố hoặc đơn vị (cột bắt buộc)",
                         "a province or entity name (a required column)", "required")
            else:
                hints = _suggest(str(v), names) or ["Hải Phòng", "Phường Hồng Bàng"]
                self.add(i, "entity", v, f"tên tỉnh hoặc đơn vị đã biết, ví dụ {', '.join(hints)}",
                         f"a known province or entity, e.g. {', '.join(hints)}", "unknown_entity")
            bad.iloc[i] = True
        return keys, bad

    def codes(self, ctx: Context, frameworks: pd.Series, *, allow_composite: bool = True) -> tuple[pd.Series, pd.Series]:
        raw = self.col("code")
        lookups: dict[str, dict[str, str]] = {}
        for fw, group in ctx.subindices.groupby("framework_id"):
            lk: dict[str, str] = {}
            for r in storage.records(group):
                for spelling in (r.code, r.name_vi, r.name_en):
                    lk.setdefault(normalize_name(spelling), str(r.code))
            if allow_composite:
                for name in COMPOSITE_NAMES:
                    lk.setdefault(name, COMPOSITE)
            lookups[str(fw)] = lk
        out: list[str | None] = []
        bad = pd.Series(False, index=raw.index)
        norm: dict[Any, str] = {}
        blanks = blank_mask(raw)
        for i, (v, fw) in enumerate(zip(raw, frameworks, strict=True)):
            if blanks[i]:
                self.add(i, "code", None, "mã chỉ số (cột bắt buộc)", "a measure code (a required column)", "required")
                out.append(None)
                bad.iloc[i] = True
                continue
            if fw is None or (isinstance(fw, float) and math.isnan(fw)):
                out.append(None)  # the year or framework was already reported
                bad.iloc[i] = True
                continue
            if v not in norm:
                norm[v] = normalize_name(str(v))
            code = lookups.get(str(fw), {}).get(norm[v])
            if code is None:
                valid = ([COMPOSITE] if allow_composite else []) + \
                    list(ctx.subindices[ctx.subindices["framework_id"] == fw]["code"])
                hints = _suggest(str(v), valid) or valid[:4]
                self.add(i, "code", v, f"mã chỉ số của khung {fw}: {', '.join(valid)}"
                         + (f" (gần nhất: {', '.join(hints)})" if hints else ""),
                         f"a measure code of framework {fw}: {', '.join(valid)}", "unknown_code")
                bad.iloc[i] = True
            out.append(code)
        return pd.Series(out, index=raw.index, dtype=object), bad

    def texts(self, fld: str, *, limit: int = MAX_TEXT) -> pd.Series:
        raw = self.col(fld)
        uniq = {v: _text(v) for v in pd.unique(raw.astype(object)) if not is_blank(v)} if len(raw) else {}
        out = raw.astype(object).map(uniq).astype(object)
        out = out.where(out.notna(), None)
        for i in np.flatnonzero(out.map(lambda s: isinstance(s, str) and len(s) > limit).to_numpy()):
            self.add(i, fld, str(out.iloc[i])[:40] + "…", f"nội dung không quá {limit} ký tự",
                     f"text of at most {limit} characters", "too_long")
        return out.map(lambda s: s[:limit] if isinstance(s, str) else None).astype(object)

    def duplicates(self, frame: pd.DataFrame, key: Sequence[str], ok: pd.Series, fld: str) -> pd.Series:
        """Mark rows whose key repeats an earlier row of the file."""
        keyed = frame.loc[ok, list(key)]
        dup = keyed.duplicated(keep="first")
        bad = pd.Series(False, index=frame.index)
        if dup.any():
            first_row = {tuple(k): int(r) for k, r in zip(keyed[~dup].itertuples(index=False),
                                                           self.rows[np.flatnonzero(ok.to_numpy())][~dup.to_numpy()],
                                                           strict=True)}
            for idx in keyed.index[dup.to_numpy()]:
                i = frame.index.get_loc(idx)
                k = tuple(keyed.loc[idx])
                other = first_row.get(k)
                self.add(int(i), fld, " · ".join(str(x) for x in k),
                         f"mỗi khóa một lần trong tệp (trùng với dòng {other})",
                         f"each key once in the file (same as row {other})", "duplicate")
                bad.loc[idx] = True
        return bad


def _framework_series(ctx: Context, years: pd.Series) -> pd.Series:
    cache: dict[int, str | None] = {}
    out: list[str | None] = []
    for y in years:
        if y is None or (isinstance(y, float) and math.isnan(y)):
            out.append(None)
            continue
        y = int(y)
        if y not in cache:
            cache[y] = ctx.framework_for(y)
        out.append(cache[y])
    return pd.Series(out, index=years.index, dtype=object)


def _default_source(file_name: str, kind: str) -> str:
    return f"Nhập liệu từ {file_name} / entered from {file_name}" if kind != KIND_FORM else \
        "Nhập tay trên trang Nhập dữ liệu / entered on the Import page"


def _validate_scores(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem]) -> pd.DataFrame:
    ck = _Checker(sheet, problems)
    if ck.missing(REQUIRED_FIELDS["scores"]):
        return pd.DataFrame()
    if "value" not in ck.columns and "rank" not in ck.columns:
        ck.missing(["value"])
        return pd.DataFrame()
    this_year = date.today().year
    years, bad = ck.years(YEAR_MIN, this_year)
    fws = _framework_series(ctx, years)
    keys, bad_e = ck.entities(ctx)
    codes, bad_c = ck.codes(ctx, fws)
    high = pd.Series(np.where(codes.isna(), np.inf, np.where(codes == COMPOSITE, 100.0, 10.0)), index=codes.index)
    values, bad_v = ck.numbers("value", 0.0, high, what_vi="điểm (0–10, điểm tổng hợp 0–100)",
                               what_en="a score (0–10, composite 0–100)")
    n_max = pd.Series([ctx.n_provinces(int(y)) if not is_blank(y) else None for y in years],
                      index=years.index, dtype="Float64").fillna(63).astype(float)
    ranks, bad_r = ck.numbers("rank", 1.0, n_max, integer=True, what_vi="hạng (số nguyên)", what_en="a rank (whole number)")
    bad_all = bad | bad_e | bad_c | bad_v | bad_r
    if "framework" in ck.columns:
        given = ck.col("framework").map(_text)
        for i in np.flatnonzero((given.notna() & fws.notna() & (given != fws)).to_numpy()):
            ck.add(int(i), "framework", given.iloc[i], f"khung {fws.iloc[i]} (khung áp dụng năm {int(years.iloc[i])})",
                   f"framework {fws.iloc[i]} (the one in force in {int(years.iloc[i])})", "unknown_framework")
            bad_all.iloc[i] = True
    both_blank = values.isna() & ranks.isna() & ~bad_v & ~bad_r
    for i in np.flatnonzero(both_blank.to_numpy()):
        ck.add(int(i), "value", None, "một giá trị hoặc một thứ hạng", "a value or a rank", "required")
        bad_all.iloc[i] = True
    sources = ck.texts("source", limit=1000).fillna(_default_source(raw.file_name, raw.kind))
    frame = pd.DataFrame({
        "entity_key": keys, "year": years, "framework_id": fws, "code": codes, "value": values,
        "rank": ranks, "source": sources, "_sheet": sheet.sheet, "_row": ck.rows})
    ok = ~bad_all
    bad_d = ck.duplicates(frame, ["entity_key", "year", "code"], ok, "code")
    frame = frame[ok & ~bad_d].copy()
    frame["year"] = frame["year"].astype("int64")
    frame["rank"] = frame["rank"].round().astype("Int64")
    n = [ctx.n_provinces(int(y)) for y in frame["year"]]
    frame["rank_of"] = pd.array([int(x) if x is not None and not is_blank(r) else None
                                 for x, r in zip(n, frame["rank"], strict=True)], dtype="Int64")
    frame["provenance"] = "entered"
    frame["rank_provenance"] = [None if is_blank(r) else "entered" for r in frame["rank"]]
    frame["_derive_rank"] = False
    return frame


def _validate_targets(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem]) -> pd.DataFrame:
    ck = _Checker(sheet, problems)
    if ck.missing(REQUIRED_FIELDS["targets"]):
        return pd.DataFrame()
    years, bad = ck.years(YEAR_MIN, date.today().year + 10)
    plans = list(ctx.plans["plan_id"])
    plan_raw = ck.col("plan").map(_text)
    plan = plan_raw.fillna(plans[0] if len(plans) == 1 else "")
    for i in np.flatnonzero((~plan.isin(plans)).to_numpy()):
        ck.add(int(i), "plan", plan_raw.iloc[i], f"mã kế hoạch: {', '.join(plans)}", f"a plan id: {', '.join(plans)}",
               "unknown_plan")
        bad.iloc[i] = True
    fw_given = ck.col("framework").map(_text)
    fws = _framework_series(ctx, years)
    fws = fw_given.where(fw_given.notna(), fws)
    known_fw = set(ctx.frameworks["framework_id"])
    for i in np.flatnonzero((fws.notna() & ~fws.isin(known_fw)).to_numpy()):
        ck.add(int(i), "framework", fws.iloc[i], f"khung đánh giá: {', '.join(sorted(known_fw))}",
               f"a framework: {', '.join(sorted(known_fw))}", "unknown_framework")
        bad.iloc[i] = True
        fws.iloc[i] = None
    keys, bad_e = ck.entities(ctx)
    codes, bad_c = ck.codes(ctx, fws)
    high = pd.Series(np.where(codes.isna(), np.inf, np.where(codes == COMPOSITE, 100.0, 10.0)), index=codes.index)
    scores, bad_s = ck.numbers("target_score", 0.0, high, what_vi="điểm mục tiêu", what_en="a target score")
    ranks, bad_r = ck.numbers("target_rank", 1.0, 63.0, integer=True, what_vi="hạng mục tiêu", what_en="a target rank")
    bad_all = bad | bad_e | bad_c | bad_s | bad_r
    if "target_score" not in ck.columns and "target_rank" not in ck.columns:
        ck.missing(["target_score"])
        return pd.DataFrame()
    for i in np.flatnonzero((scores.isna() & ranks.isna() & ~bad_s & ~bad_r).to_numpy()):
        ck.add(int(i), "target_score", None, "điểm mục tiêu và/hoặc hạng mục tiêu", "a target score and/or rank",
               "required")
        bad_all.iloc[i] = True
    frame = pd.DataFrame({
        "plan_id": plan, "entity_key": keys, "year": years, "framework_id": fws, "code": codes,
        "target_score": scores, "target_rank": ranks,
        "source": ck.texts("source", limit=1000).fillna(_default_source(raw.file_name, raw.kind)),
        "_sheet": sheet.sheet, "_row": ck.rows})
    ok = ~bad_all
    bad_d = ck.duplicates(frame, ["plan_id", "entity_key", "year", "code"], ok, "code")
    frame = frame[ok & ~bad_d].copy()
    frame["year"] = frame["year"].astype("int64")
    frame["target_rank"] = frame["target_rank"].round().astype("Int64")
    return frame


def _validate_notes(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem]) -> pd.DataFrame:
    ck = _Checker(sheet, problems)
    if ck.missing(REQUIRED_FIELDS["notes"]):
        return pd.DataFrame()
    years, bad = ck.years(YEAR_MIN, date.today().year + 1)
    keys, bad_e = ck.entities(ctx)
    codes, bad_c = ck.codes(ctx, _framework_series(ctx, years))
    text = ck.texts("text")
    for i in np.flatnonzero(text.isna().to_numpy()):
        ck.add(int(i), "text", None, "nội dung ghi chú (cột bắt buộc)", "the note's text (a required column)", "required")
        bad.iloc[i] = True
    frame = pd.DataFrame({"entity_key": keys, "year": years, "code": codes, "text": text,
                          "_sheet": sheet.sheet, "_row": ck.rows})
    ok = ~(bad | bad_e | bad_c)
    bad_d = ck.duplicates(frame, ["entity_key", "year", "code"], ok, "code")
    frame = frame[ok & ~bad_d].copy()
    frame["year"] = frame["year"].astype("int64")
    return frame


def _validate_service(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem]) -> pd.DataFrame:
    """Service-index readings, checked by the tasks area's validator (issue 5)."""
    from pci_metrics.views.service import validate_service_readings

    clean, found = validate_service_readings(sheet.frame, groups=ctx.groups, entities=ctx.entities,
                                             sheet=sheet.sheet or "")
    problems.extend(found)
    if clean.empty:
        return pd.DataFrame()
    clean = clean.copy()
    clean["_sheet"] = sheet.sheet
    return clean


def _validate_task_reports(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem],
                           user: str) -> pd.DataFrame:
    from pci_metrics.views.tasks import validate_task_reports

    plan_years = [y for r in storage.records(ctx.plans) for y in range(int(r.year_from), int(r.year_to) + 1)]
    clean, found = validate_task_reports(sheet.frame, tasks=ctx.tasks, units=ctx.units, sheet=sheet.sheet or "",
                                         task_units=ctx.task_units, years=plan_years or None)
    problems.extend(found)
    if clean.empty:
        return pd.DataFrame()
    clean = clean.copy()
    clean["reported_by"] = clean["reported_by"].where(clean["reported_by"].notna(), user)
    clean["reported_at"] = clean["reported_at"].where(clean["reported_at"].notna(),
                                                      pd.Timestamp(datetime.now().replace(microsecond=0)))
    clean["_sheet"], clean["_row"] = sheet.sheet, None
    return clean


def _vcci_tables(result: VcciResult, ctx: Context, raw: RawFile, problems: list[Problem]) -> dict[str, pd.DataFrame]:
    year = result.year
    fw = ctx.framework_for(year)
    if fw is None or not YEAR_MIN <= year <= date.today().year:
        problems.append(_p("year_out_of_range", f"năm từ {YEAR_MIN} đến {date.today().year}",
                           f"a year from {YEAR_MIN} to {date.today().year}", found=year))
        return {}
    known = set(ctx.entities["entity_key"])
    scores = result.scores.rename(columns={"province_key": "entity_key"})
    unknown = sorted(set(scores["entity_key"]) - known)
    for key in unknown:
        problems.append(_p("unknown_entity", "một tỉnh có trong cơ sở dữ liệu", "a province in the database", found=key))
    codes = set(ctx.subindices[ctx.subindices["framework_id"] == fw]["code"]) | {COMPOSITE}
    for code in sorted(set(scores["code"]) - codes):
        problems.append(_p("unknown_code", f"chỉ số thành phần của khung {fw}", f"a sub-index of framework {fw}",
                           found=code))
    if errors(problems):
        return {}
    source = f"VCCI, PCI {year}: bảng tính VCCI / VCCI workbook {raw.file_name}"
    official = result.rank_source == "official"
    n = int(scores.loc[scores["code"] == COMPOSITE, "value"].notna().sum())
    out = pd.DataFrame({
        "entity_key": scores["entity_key"].astype(str), "year": year, "framework_id": fw,
        "code": scores["code"].astype(str), "value": scores["value"].astype(float),
        "rank": scores["rank"].astype("Int64"), "provenance": "published", "source": source,
        "_sheet": result.sheet_used, "_row": None})
    is_comp = out["code"] == COMPOSITE
    out["rank_of"] = pd.array([n if c else None for c in is_comp], dtype="Int64")
    out["rank_provenance"] = np.where(is_comp & official, "published", "derived")
    out["_derive_rank"] = ~(is_comp & official)
    out = out[out["value"].notna()]
    tables = {"score": out}
    ind = result.indicators
    if not ind.empty:
        tables.update(_vcci_indicators(result, fw, ctx, raw, problems))
    if n >= 40:  # a full ranking (not a top-30 list): benchmarks and year information follow from it
        tables["_full_year"] = pd.DataFrame({"year": [year], "n": [n], "framework_id": [fw]})
    return tables


def _vcci_indicators(result: VcciResult, fw: str, ctx: Context, raw: RawFile,
                     problems: list[Problem]) -> dict[str, pd.DataFrame]:
    ind = result.indicators
    if result.year < 2017:
        problems.append(Problem(None, None, None, None,
                                "các trang chỉ tiêu trước 2017 dùng mã biến khác danh mục chỉ tiêu: không nhập chỉ tiêu",
                                "indicator sheets before 2017 use other variable codes than the catalogue: "
                                "indicators not imported", severity="notice", code="indicators_skipped"))
        return {}
    catalogue = ctx.indicators[ctx.indicators["framework_id"] == fw].set_index("indicator_code")
    labels = ind.drop_duplicates("indicator_code").set_index("indicator_code")["label"]

    def core(label: object) -> str:
        # the wording without notes in brackets: PCI 2017 prints the scale of transparency_1/2 as
        # "(1=Easy; 5=Impossible)" and 2018 "(1=Impossible; 5=Easy)" for the same values (means 2.44/2.38)
        return normalize_name(re.sub(r"\([^)]*\)?", "", str(label or "")))

    def same(code: str) -> bool:
        if code not in catalogue.index:
            return False
        a = core(catalogue.at[code, "label_en"] or catalogue.at[code, "label_vi"])
        b = core(labels.get(code, ""))
        return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))

    keep = {str(c) for c in labels.index if same(str(c))}
    skipped = sorted(set(map(str, labels.index)) - keep)
    if skipped:
        problems.append(Problem(None, None, None, ", ".join(skipped[:10]),
                                f"{len(skipped)} chỉ tiêu không khớp danh mục (mã hoặc tên khác): không nhập",
                                f"{len(skipped)} indicators do not match the catalogue (other code or label): "
                                "not imported", severity="notice", code="indicators_skipped"))
    rows = ind[ind["indicator_code"].isin(keep) & ind["province_key"].isin(set(ctx.entities["entity_key"]))]
    sheet_of = result.indicator_sheets
    return {"indicator_value": pd.DataFrame({
        "entity_key": rows["province_key"].astype(str), "year": result.year, "framework_id": fw,
        "indicator_code": rows["indicator_code"].astype(str), "value": rows["value"].astype(float),
        "provenance": "published",
        "source": [f"VCCI PCI {result.year} workbook ({raw.file_name}), sheet {sheet_of.get(s, '?')}"
                   for s in rows["subindex"]],
        "_sheet": [sheet_of.get(s) for s in rows["subindex"]], "_row": None})}


VALIDATORS: dict[str, tuple[str, Callable[[RawSheet, Context, RawFile, list[Problem]], pd.DataFrame]]] = {
    "scores": ("score", _validate_scores), "targets": ("target", _validate_targets),
    "notes": ("year_note", _validate_notes), "service": ("service_reading", _validate_service),
}


def validate(raw: RawFile, ctx: Context, *, user: str = "chuyen-vien") -> Incoming:
    """Check every row of a read file against the database's vocabularies; list every problem at once.

    Example: a score of 12 for ``entry`` on row 4 of "Điểm" → a problem (sheet "Điểm", row 4, column
    "Giá trị", found "12", expected "một số từ 0 đến 10"); ``incoming.ok`` is False, ``tables`` empty.
    """
    problems = list(raw.problems)
    tables: dict[str, pd.DataFrame] = {}
    if not errors(problems):
        if raw.kind == KIND_VCCI and raw.vcci is not None:
            problems.extend(Problem(None, None, None, None, n, e, severity="notice", code="read")
                            for n, e in zip(raw.vcci.notices, raw.vcci.notices_en, strict=True))
            tables = _vcci_tables(raw.vcci, ctx, raw, problems)
        for sheet in raw.sheets:
            if sheet.kind == "task_reports":
                frame = _validate_task_reports(sheet, ctx, raw, problems, user)
                table = "task_report"
            else:
                table, fn = VALIDATORS[sheet.kind]
                frame = fn(sheet, ctx, raw, problems)
            if not frame.empty:
                tables[table] = pd.concat([tables[table], frame], ignore_index=True) if table in tables else frame
        if raw.kind in (KIND_TEMPLATE, KIND_CSV) and not tables and not errors(problems):
            problems.append(_p("no_rows", "ít nhất một dòng dữ liệu dưới dòng tiêu đề",
                               "at least one data row under the header row", found=raw.file_name))
    stamp = datetime.now().replace(microsecond=0)
    for name, frame in tables.items():
        if name == "target":
            frame["entered_by"], frame["entered_at"] = user, stamp
        elif name == "year_note":
            frame["author"], frame["created_at"] = user, stamp
    if len(problems) > MAX_PROBLEMS:
        rest = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [Problem(None, None, None, None, f"… và {rest} vấn đề nữa",
                                                      f"… and {rest} more problems", code="more")]
    return Incoming(raw.kind, raw.file_name, raw.sha256, tables if not errors(problems) else {}, problems, raw.year)


# ---------------------------------------------------------------------------
# 3. What an import would change
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TableSpec:
    """How one table is keyed and which columns make a row "changed"."""

    key: tuple[str, ...]
    compare: tuple[str, ...]
    provenance: dict[str, str] = field(default_factory=dict)  # compared column -> its provenance column


SPECS: dict[str, TableSpec] = {
    "score": TableSpec(("entity_key", "year", "code"), ("value", "rank"),
                       {"value": "provenance", "rank": "rank_provenance"}),
    "indicator_value": TableSpec(("entity_key", "year", "indicator_code"), ("value",), {"value": "provenance"}),
    "target": TableSpec(("plan_id", "entity_key", "year", "code"), ("framework_id", "target_score", "target_rank")),
    "task_report": TableSpec(("task_id", "period"), ("unit_key", "status", "progress", "outcome", "evidence")),
    "service_reading": TableSpec(("entity_key", "period", "group_code"), ("score",)),
    "year_note": TableSpec(("entity_key", "year", "code"), ("text",)),
    "benchmark": TableSpec(("year", "code"), ("median", "top_score", "top_entity_key", "top10_cutoff"),
                           {c: "provenance" for c in ("median", "top_score", "top_entity_key", "top10_cutoff")}),
    "year_info": TableSpec(("year",), ("framework_id", "n_provinces")),
}
TABLE_ORDER = tuple(SPECS)


def _equal(old: Any, new: Any) -> bool:
    if is_blank(new):
        return True  # not given: the old value stays
    if is_blank(old):
        return False
    if isinstance(new, int | float | np.integer | np.floating) and not isinstance(new, bool):
        try:
            return abs(float(old) - float(new)) <= TOLERANCE
        except (TypeError, ValueError):
            return False
    return str(old).strip() == str(new).strip()


@dataclass
class Preview:
    """What an import would do: per table the rows added, changed (old → new) and unchanged."""

    incoming: Incoming
    rows: dict[str, pd.DataFrame]  # table -> full new rows (store columns) with _status, _old_json
    changes: pd.DataFrame  # table, status, key, column, old, new, published, sheet, row
    counts: dict[str, dict[str, int]]
    same_file_batch: dict[str, Any] | None = None

    @property
    def added(self) -> int:
        """Rows the import adds."""
        return sum(c["added"] for c in self.counts.values())

    @property
    def changed(self) -> int:
        """Rows the import changes."""
        return sum(c["changed"] for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        """Rows already there with the same values."""
        return sum(c["unchanged"] for c in self.counts.values())

    @property
    def published_changes(self) -> int:
        """Changed rows whose old value was published: they need an explicit confirmation."""
        if self.changes.empty:
            return 0
        ch = self.changes[(self.changes["status"] == "changed") & self.changes["published"]]
        return int(ch[["table", "key"]].drop_duplicates().shape[0])

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return self.incoming.ok

    def summary(self, lang: str = "vi") -> str:
        """One line: added / changed / unchanged.

        >>> p = Preview(Incoming("csv", "x.csv", "", {}, []), {}, pd.DataFrame(), {"score": {"added": 2, "changed": 1, "unchanged": 5}})
        >>> p.summary("en")
        '2 added, 1 changed, 5 unchanged'
        """
        if lang == "en":
            return f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged"
        return f"thêm {self.added}, thay đổi {self.changed}, không đổi {self.unchanged}"


def _derive_ranks(frame: pd.DataFrame) -> pd.DataFrame:
    """Ranks (and rank_of) of rows marked ``_derive_rank`` from their effective values, per year and code
    (ties share the best rank, like :func:`pci_metrics.domain.composite.rank_min`)."""
    mask = frame["_derive_rank"].fillna(False).astype(bool)
    if not mask.any():
        return frame
    part = frame.loc[mask, ["year", "code", "_effective"]].astype({"_effective": "float64"})
    grouped = part.groupby(["year", "code"])["_effective"]
    frame["rank"] = frame["rank"].astype("Int64")
    frame["rank_of"] = frame["rank_of"].astype("Int64")
    frame.loc[mask, "rank"] = grouped.rank(method="min", ascending=False).round().astype("Int64")
    frame.loc[mask, "rank_of"] = grouped.transform("count").astype("Int64")
    return frame


def diff(con: duckdb.DuckDBPyConnection, incoming: Incoming) -> Preview:
    """Compare validated rows with the database: added, changed (old → new), unchanged.

    Example: pci_2017.xlsx against the default database → 0 added, 0 changed, 8,769 unchanged.
    """
    rows: dict[str, pd.DataFrame] = {}
    counts: dict[str, dict[str, int]] = {}
    changes: list[pd.DataFrame] = []
    tables = dict(incoming.tables)
    full_years = tables.pop("_full_year", None)
    if "score" in tables and full_years is not None:
        tables.update(_derived_year_tables(con, tables["score"], full_years, incoming.file_name))
    for table in TABLE_ORDER:
        if table not in tables or tables[table].empty:
            continue
        new, ch, cnt = _diff_table(con, table, tables[table])
        rows[table], counts[table] = new, cnt
        if not ch.empty:
            changes.append(ch)
    change_frame = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame(
        columns=["table", "status", "key", "column", "old", "new", "published", "sheet", "row"])
    same = storage.batches_with_sha(con, incoming.sha256) if incoming.kind != KIND_FORM else pd.DataFrame()
    return Preview(incoming, rows, change_frame, counts, None if same.empty else same.iloc[0].to_dict())


_COLUMNS: dict[str, dict[str, str]] = {}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """A table's columns and types (fixed by the migrations, so looked up once per process)."""
    if table not in _COLUMNS:
        _COLUMNS[table] = storage.table_columns(con, table)
    return _COLUMNS[table]


def _equal_vec(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Vectorised :func:`_equal`: True where the file's value leaves the stored one unchanged."""
    new_blank, old_blank = blank_mask(new), blank_mask(old)
    if pd.api.types.is_numeric_dtype(new) and not pd.api.types.is_bool_dtype(new):
        a = pd.to_numeric(old, errors="coerce").astype("float64").to_numpy()
        b = pd.to_numeric(new, errors="coerce").astype("float64").to_numpy()
        with np.errstate(invalid="ignore"):
            same = np.abs(a - b) <= TOLERANCE
    else:
        same = (old.astype(object).astype(str).str.strip().to_numpy()
                == new.astype(object).astype(str).str.strip().to_numpy())
    return np.asarray(new_blank | (~old_blank & same), dtype=bool)


def _diff_table(con: duckdb.DuckDBPyConnection, table: str,
                frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    spec = SPECS[table]
    columns = list(_columns(con, table))
    old = storage.ingest_existing(con, table, spec.key, frame)
    old = old.assign(json=storage.ingest_row_json(con, old))  # becomes _old_json below
    merged = frame.reset_index(drop=True).merge(
        old.rename(columns={c: f"_old_{c}" for c in old.columns if c not in spec.key}),
        on=list(spec.key), how="left", indicator=True)
    exists = (merged.pop("_merge") == "both").to_numpy()
    if table == "score" and "_derive_rank" in merged.columns:
        old_val = merged["_old_value"]
        keep_old = exists & _equal_vec(old_val, merged["value"]) & old_val.notna().to_numpy()
        merged["_effective"] = np.where(keep_old, old_val, merged["value"])
        merged = _derive_ranks(merged)
    compare = [c for c in spec.compare if c in merged.columns]
    differs = {c: exists & ~_equal_vec(merged[f"_old_{c}"], merged[c]) for c in compare}
    any_diff = np.zeros(len(merged), dtype=bool)
    for d in differs.values():
        any_diff |= d
    status = np.where(~exists, "added", np.where(any_diff, "changed", "unchanged"))
    cnt = {s: int((status == s).sum()) for s in ("added", "changed", "unchanged")}
    # full new rows: the old row, overwritten by what the file gives
    new = pd.DataFrame(index=merged.index)
    for c in columns:
        if c == "batch_id":
            continue
        given = merged[c] if c in merged.columns else pd.Series([None] * len(merged), index=merged.index)
        old_c = merged.get(f"_old_{c}")
        if old_c is not None and c not in spec.key:
            keep = given.isna() if c in spec.compare else pd.Series(False, index=merged.index)
            if table == "score" and c in ("rank_of", "rank_provenance"):
                keep = merged["rank"].isna() if "rank" in merged.columns else keep
            new[c] = given.astype(object).where(~keep, old_c.astype(object))
        else:
            new[c] = given
    new["_status"], new["_old_json"] = status, merged.get("_old_json")
    new["_sheet"], new["_row"] = merged.get("_sheet"), merged.get("_row")
    new = new[new["_status"] != "unchanged"].reset_index(drop=True)
    ch = _change_rows(table, spec, merged, compare, differs, status)
    return new, ch, cnt


CHANGE_COLUMNS = ["table", "status", "key", "column", "old", "new", "published", "sheet", "row"]


def _change_rows(table: str, spec: TableSpec, merged: pd.DataFrame, compare: list[str],
                 differs: dict[str, np.ndarray], status: np.ndarray) -> pd.DataFrame:
    """One line per changed or added cell: table, status, key, column, old, new, published, sheet, row."""
    touched = status != "unchanged"
    if not touched.any():
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    part = merged[touched].reset_index(drop=True)
    st = status[touched]
    keys = part[spec.key[0]].astype(str)
    for k in spec.key[1:]:
        keys = keys + " · " + part[k].astype(str)
    sheet = part["_sheet"] if "_sheet" in part else pd.Series([None] * len(part))
    row = part["_row"] if "_row" in part else pd.Series([None] * len(part))
    out = []
    for c in compare:
        mask = (st == "added") & ~blank_mask(part[c]) | (st == "changed") & differs[c][touched]
        mask &= (st != "added") | (np.cumsum(st == "added") <= MAX_ADDED_LINES)  # the preview shows a sample
        if not mask.any():
            continue
        prov = spec.provenance.get(c)
        published = (part[f"_old_{prov}"] == "published").fillna(False).to_numpy(dtype=bool) \
            if prov and f"_old_{prov}" in part else np.zeros(len(part), bool)
        out.append(pd.DataFrame({
            "table": table, "status": st[mask], "key": keys[mask].to_numpy(), "column": c,
            "old": [None if s == "added" else _show(v) for s, v in zip(st[mask], part.loc[mask, f"_old_{c}"], strict=True)],
            "new": [_show(v) for v in part.loc[mask, c]], "published": published[mask],
            "sheet": sheet[mask].to_numpy(), "row": row[mask].to_numpy()}))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=CHANGE_COLUMNS)


def _where(sheet: Any, row: Any) -> tuple[str | None, int | None]:
    return (None if is_blank(sheet) else str(sheet), None if is_blank(row) else int(row))


def _show(v: Any) -> str | None:
    if is_blank(v):
        return None
    if isinstance(v, float | np.floating):
        return f"{float(v):.6g}"
    return str(v)


def _derived_year_tables(con: duckdb.DuckDBPyConnection, scores: pd.DataFrame, full_years: pd.DataFrame,
                         file_name: str) -> dict[str, pd.DataFrame]:
    """Benchmarks (median, leader, top-10 cut-off) and year information of a fully ranked year, computed
    from the scores the year will have after the import (unchanged values keep their stored form)."""
    bench: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    for r in storage.records(full_years):
        year = int(r.year)
        part = scores[scores["year"] == year]
        stored = storage.load_scores(con, year=year)[["entity_key", "code", "value"]]
        merged = part[["entity_key", "code", "value"]].merge(stored, on=["entity_key", "code"], how="left",
                                                             suffixes=("", "_old"))
        keep = [_equal(o, n) and not is_blank(o) for o, n in zip(merged["value_old"], merged["value"], strict=True)]
        merged["eff"] = np.where(keep, merged["value_old"], merged["value"])
        for code, group in merged.groupby("code", sort=True):
            ordered = group.sort_values("eff", ascending=False)
            bench.append(dict(
                year=year, code=str(code), median=float(group["eff"].median()), median_kind="derived",
                top_score=float(ordered["eff"].iloc[0]), top_entity_key=str(ordered["entity_key"].iloc[0]),
                top10_cutoff=float(ordered["eff"].iloc[9]) if len(ordered) >= 10 else None, provenance="derived",
                source=f"Tính từ điểm của tất cả các tỉnh năm {year} (bảng tính VCCI) / "
                       f"computed from all provinces' scores in {year} (VCCI workbook)"))
        info.append(dict(year=year, framework_id=str(r.framework_id), n_provinces=int(r.n), published_scope="all",
                         note=None, source=f"VCCI workbook {file_name}"))
    return {"benchmark": pd.DataFrame(bench), "year_info": pd.DataFrame(info)}


# ---------------------------------------------------------------------------
# 4. Commit and undo
# ---------------------------------------------------------------------------


class ChangesNotConfirmed(InputError):
    """The import would change published values and that was not confirmed."""


@dataclass
class Outcome:
    """What a commit or an undo did."""

    batch_id: int | None
    status: str  # committed | nothing | undone
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    preview: Preview | None = None

    def message(self, lang: str = "vi") -> str:
        """One line for the user.

        >>> Outcome(3, "committed", 2, 0, 5).message("en")
        'Imported as batch #3: 2 added, 0 changed, 5 unchanged.'
        """

        if self.status == "nothing":
            same = self.preview.same_file_batch if self.preview else None
            if same:
                return t("ingest_same_file", lang, batch=same["batch_id"], when=str(same["created_at"])[:16])
            return t("ingest_nothing", lang)
        if self.status == "undone":
            return t("ingest_undone", lang, batch=self.batch_id)
        return t("ingest_done", lang, batch=self.batch_id, added=self.added, changed=self.changed,
                 unchanged=self.unchanged)


def _not_confirmed(preview: Preview) -> ChangesNotConfirmed:
    ch = preview.changes[(preview.changes["status"] == "changed") & preview.changes["published"]]
    problems = [_p("published_change",
                   "xác nhận ghi đè số liệu đã công bố (trên trang: đánh dấu ô xác nhận; dòng lệnh: --allow-changes)",
                   "confirmation to overwrite a published figure (page: tick the confirmation; command line: "
                   "--allow-changes)", sheet=r.sheet, row=None if is_blank(r.row) else int(r.row), column=r.column,
                   found=f"{r.key}: {r.old} → {r.new}")
                for r in storage.records(ch.head(MAX_PROBLEMS))]
    return ChangesNotConfirmed(problems)


def commit(con: duckdb.DuckDBPyConnection, incoming: Incoming, *, user: str,
           allow_changes: bool = False) -> Outcome:
    """Write validated rows as one batch in one transaction (re-compared inside it, so a preview that
    went stale meanwhile cannot overwrite anything silently).

    Example: pci_2018.xlsx into an empty database → batch 1, 8,768 added (scores, indicators, benchmarks).
    """
    if not incoming.ok:
        raise InputError(errors(incoming.problems))
    with storage.transaction(con):
        preview = diff(con, incoming)
        if preview.published_changes and not allow_changes:
            raise _not_confirmed(preview)
        if preview.added + preview.changed == 0:
            return Outcome(None, "nothing", 0, 0, preview.unchanged, preview)
        batch_id = storage.next_batch_id(con)
        storage.insert_batch(con, dict(
            batch_id=batch_id, file_name=incoming.file_name, sha256=incoming.sha256, kind=incoming.kind,
            user_name=user, created_at=datetime.now(), added=preview.added, changed=preview.changed,
            unchanged=preview.unchanged, status="committed",
            note=f"năm / year {incoming.year}" if incoming.year else None))
        seq = 0
        change_rows: list[pd.DataFrame] = []
        for table, new in preview.rows.items():
            if new.empty:
                continue
            spec = SPECS[table]
            write = new.drop(columns=[c for c in new.columns if c.startswith("_")])
            if "batch_id" in _columns(con, table):
                write["batch_id"] = batch_id
            write = _typed(con, table, write)
            storage.ingest_delete_keys(con, table, spec.key, write[new["_status"].to_numpy() == "changed"])
            storage.append_rows(con, table, write)
            new_json = storage.ingest_row_json(con, write)
            keys = storage.ingest_row_json(con, write[list(spec.key)])
            change_rows.append(pd.DataFrame({
                "batch_id": batch_id, "seq": np.arange(seq + 1, seq + 1 + len(write)), "table_name": table,
                "key_json": keys, "old_json": new["_old_json"].where(new["_status"] == "changed", None).astype(object),
                "new_json": new_json}))
            seq += len(write)
            storage.write_audit(con, user, "import", table, json.dumps({"batch_id": batch_id}),
                                None, json.dumps(preview.counts[table]), batch_id)
        storage.append_rows(con, "batch_change", pd.concat(change_rows, ignore_index=True))
    return Outcome(batch_id, "committed", preview.added, preview.changed, preview.unchanged, preview)


_PANDAS_TYPES = {"INTEGER": "Int64", "BIGINT": "Int64", "DOUBLE": "float64", "BOOLEAN": "boolean"}


def _typed(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Cast a frame's columns to the table's types (object columns of mixed None/number confuse DuckDB)."""
    types = _columns(con, table)
    out = frame.copy()
    for c in out.columns:
        kind = types.get(c, "VARCHAR")
        if kind in _PANDAS_TYPES:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype(_PANDAS_TYPES[kind]) \
                if kind != "BOOLEAN" else out[c].astype("boolean")
        elif kind == "TIMESTAMP":
            out[c] = pd.to_datetime(out[c])
        elif kind == "DATE":
            out[c] = pd.to_datetime(out[c]).dt.date
        else:
            col = out[c].astype(object)
            out[c] = col.where(~blank_mask(col), None)
    return out


def undo(con: duckdb.DuckDBPyConnection, batch_id: int, *, user: str) -> Outcome:
    """Undo one committed batch: every row it added is removed, every row it changed gets its old
    content back — exactly. Refused while a later batch changed the same rows (undo that first).

    Example: undo of batch 1 above → every data table's checksum equals the one before the import.
    """
    batch = storage.load_batch(con, batch_id)
    if batch is None or batch["status"] != "committed":
        found = "—" if batch is None else batch["status"]
        raise InputError([_p("no_batch", "số của một lần nhập đang có hiệu lực",
                             "the number of a committed import batch", column="batch", found=f"#{batch_id} ({found})")])
    later = storage.later_batches_touching(con, batch_id)
    if later:
        raise InputError([_p("later_batch",
                             f"hoàn tác trước các lần nhập sau đã sửa cùng dòng: {', '.join(f'#{b}' for b in later)}",
                             f"undo the later batches that changed the same rows first: "
                             f"{', '.join(f'#{b}' for b in later)}", column="batch", found=f"#{batch_id}")])
    with storage.transaction(con):
        changes = storage.load_batch_changes(con, batch_id)
        for table, group in changes.groupby("table_name", sort=False):
            spec = SPECS[str(table)]
            keys = pd.DataFrame([json.loads(k) for k in group["key_json"]], columns=list(spec.key))  # objects
            storage.ingest_delete_keys(con, str(table), spec.key, keys)
            olds = [str(j) for j in group["old_json"] if not is_blank(j)]
            storage.ingest_restore_json(con, str(table), olds)
            storage.write_audit(con, user, "undo", str(table), json.dumps({"batch_id": batch_id}),
                                json.dumps({"rows": len(group)}), json.dumps({"restored": len(olds)}), batch_id)
        storage.set_batch_status(con, batch_id, "undone", f"hoàn tác bởi / undone by {user} {datetime.now():%Y-%m-%d %H:%M}")
    return Outcome(batch_id, "undone", preview=None)


# ---------------------------------------------------------------------------
# One call for the page and the command line
# ---------------------------------------------------------------------------


def read_and_validate(data: bytes, file_name: str | None, year: int | None, ctx: Context,
                      user: str) -> Incoming:
    """Read a file and check every row (what the limited worker runs: bytes and vocabularies in,
    validated rows out; no database handle).

    >>> ctx = Context(*(pd.DataFrame() for _ in range(10)))
    >>> read_and_validate(b"", "empty.csv", None, ctx, "lan").problems[0].code
    'empty'
    """
    return validate(read_file(data, file_name, year=year), ctx, user=user)


def _limit_problem(exc: LimitExceeded, file_name: str | None) -> Problem:
    """The refusal of a file that exceeded the worker's limits, e.g. "… found "x.xlsx", expected a file
    readable within the limits (memory: 1,536 MB); it could not be read within them and was not imported"."""
    return _p(f"limit_{exc.which}", t("ingest_limit_expected", "vi", limit=exc.limit_text("vi")),
              t("ingest_limit_expected", "en", limit=exc.limit_text("en")), found=safe_file_name(file_name))


def incoming_from_file(path: str | None, data: bytes, file_name: str | None, *, user: str,
                       year: int | None = None) -> Incoming:
    """Read and validate an untrusted file in a limited worker process (:mod:`pci_metrics.imports.sandbox`).

    The database is open only to load the vocabularies (milliseconds), never while the file is read,
    so a command-line import or a backup can run meanwhile. A file that exceeds the worker's memory or
    time limit, or kills its reader, comes back as one problem (``limit_memory``, ``limit_time``,
    ``limit_crash``); the caller's process is never at risk.
    """
    # Load inputs.
    with storage.connect(path) as con:
        ctx = load_context(con)
    # Process data.
    try:
        return sandbox.run(read_and_validate, data, file_name, year, ctx, user)
    except LimitExceeded as exc:
        return Incoming("", safe_file_name(file_name), sha256(data), {}, [_limit_problem(exc, file_name)], year)


def _refused_preview(incoming: Incoming) -> Preview:
    return Preview(incoming, {}, pd.DataFrame(columns=["table", "status", "key", "column", "old", "new",
                                                       "published", "sheet", "row"]), {})


def preview_file(path: str | None, data: bytes, file_name: str | None, year: int | None = None,
                 user: str = "chuyen-vien") -> Preview:
    """Read and validate a file (in the limited worker), then compare it with the database at ``path``;
    never raises for a bad file (see ``ok``).

    Example: an empty upload → ``preview.ok`` False, one problem with code ``empty``.
    """
    incoming = incoming_from_file(path, data, file_name, user=user, year=year)
    if not incoming.ok:
        return _refused_preview(incoming)
    with storage.connect(path) as con:
        return diff(con, incoming)


def import_file(path: str | None, data: bytes, file_name: str | None, *, user: str, year: int | None = None,
                dry_run: bool = False, allow_changes: bool = False) -> Outcome:
    """Read and validate a file in the limited worker, then (unless ``dry_run``) commit it into the
    database at ``path``; raises InputError.

    The comparison with the database runs once, inside the commit's transaction. Example: the same
    file twice → the second outcome has status ``nothing`` and names the first batch.
    """
    incoming = incoming_from_file(path, data, file_name, user=user, year=year)
    if not incoming.ok:
        raise InputError(errors(incoming.problems))
    if dry_run:
        with storage.connect(path) as con:
            preview = diff(con, incoming)
        return Outcome(None, "preview", preview.added, preview.changed, preview.unchanged, preview)
    with storage.connect(path) as con:
        return commit(con, incoming, user=user, allow_changes=allow_changes)


# ---------------------------------------------------------------------------
# Forms (a target, a single missing value) and the export
# ---------------------------------------------------------------------------


def form_incoming(ctx: Context, sheet_kind: str, values: dict[str, Any], *, user: str) -> Incoming:
    """Validate one form entry exactly like a template row (kind 'form').

    >>> # form_incoming(ctx, "targets", {"entity": "hongbang", "year": 2026, "code": "composite", "target_score": 75}, user="a")
    """
    frame = pd.DataFrame([{k: v for k, v in values.items()}], dtype=object)
    frame["_row"] = [1]
    label = "Mục tiêu" if sheet_kind == "targets" else "Điểm"
    raw = RawFile(kind=KIND_FORM, file_name=f"form:{sheet_kind}", size=0,
                  sha256=sha256(json.dumps(values, sort_keys=True, default=str).encode() + str(datetime.now()).encode()),
                  sheets=[RawSheet(label, sheet_kind, frame)])
    return validate(raw, ctx, user=user)


def export_scores(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All scores in the canonical long format (names for readability, provenance and source per row).

    Example: the row of Hải Phòng 2024 → year 2024, entity_key haiphong, code composite, value 74.84,
    rank 1, provenance published, source a press URL.
    """
    frame = storage.load_scores_export(con)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["rank_of"] = frame["rank_of"].astype("Int64")
    frame["batch_id"] = frame["batch_id"].astype("Int64")
    return frame


BATCH_COLUMNS = ["batch_id", "created_at", "file_name", "kind", "user_name", "added", "changed", "unchanged", "status"]


def batches_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Import batches for the page and the CLI, newest first.

    Example: after importing pci_2018.xlsx → one row: batch 1, kind vcci, added 8,757, status committed.
    """
    return storage.load_batches(con)[BATCH_COLUMNS]


def batches_frame(batches: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Import batches with the glossary's column names and values, for display.

    >>> list(batches_frame(pd.DataFrame(columns=BATCH_COLUMNS), "en").columns)[:3]
    ['Batch', 'When', 'File']
    """

    out = batches.copy()
    out["kind"] = [t(f"ingest_kind_{k}", lang, year="").strip() for k in out["kind"]]
    out["status"] = [t(f"ingest_batch_{s}", lang) for s in out["status"]]
    out["created_at"] = [str(v)[:16] for v in out["created_at"]]
    return out.rename(columns={c: t(f"ingest_bcol_{c}", lang) for c in BATCH_COLUMNS})


def undoable(batches: pd.DataFrame, user: str, role: str) -> list[int]:
    """Committed batches this user may undo: an analyst their own, an administrator any.

    >>> b = pd.DataFrame({"batch_id": [2, 1], "status": ["committed", "committed"], "user_name": ["lan", "minh"]})
    >>> undoable(b, "lan", "analyst"), undoable(b, "an", "admin")
    ([2], [2, 1])
    """
    from pci_metrics.trust.auth import can_undo

    live = batches[batches["status"] == "committed"]
    return [int(b) for b, who in zip(live["batch_id"], live["user_name"], strict=True) if can_undo(role, user, str(who))]


def batch_label(batches: pd.DataFrame, batch_id: int) -> str:
    """A batch as one line for a picker: number, file, time.

    >>> batch_label(pd.DataFrame({"batch_id": [3], "file_name": ["pci_2018.xlsx"], "created_at": ["2026-11-27 22:35:24"]}), 3)
    '#3 · pci_2018.xlsx · 2026-11-27 22:35'
    """
    row = batches[batches["batch_id"] == batch_id].iloc[0]
    return f"#{batch_id} · {row['file_name']} · {str(row['created_at'])[:16]}"


# ---------------------------------------------------------------------------
# For the page: tables in the user's language, and writes that open the database themselves
# ---------------------------------------------------------------------------


def notice_text(p: Problem, lang: str = "vi") -> str:
    """A problem as one line; a notice reads as a statement, not as "expected …".

    >>> notice_text(Problem("Điểm", 3, "Giá trị", "6,8", "đã đọc 6,8 là 6.8", "read 6,8 as 6.8", severity="notice"), "en")
    'Notice in sheet "Điểm", row 3, column Giá trị: read 6,8 as 6.8'
    """
    if p.severity == "error":
        return p.message(lang)
    vi = lang == "vi"
    where = []
    if p.sheet is not None:
        where.append(f'trang tính "{p.sheet}"' if vi else f'sheet "{p.sheet}"')
    if p.row is not None:
        where.append(f"dòng {p.row}" if vi else f"row {p.row}")
    if p.column is not None:
        where.append(f"cột {p.column}" if vi else f"column {p.column}")
    head = ("Lưu ý" if vi else "Notice") + ((" ở " if vi else " in ") + ", ".join(where) if where else "")
    return f"{head}: {p.expected_vi if vi else p.expected_en}"


def problems_frame(problems: Sequence[Problem], lang: str = "vi") -> pd.DataFrame:
    """Problems as a table with the glossary's columns: sheet, row, column, value found, expected.

    >>> list(problems_frame([], "en").columns)
    ['Sheet', 'Row', 'Column', 'Found', 'Expected']
    """
    cols = ["Trang tính", "Dòng", "Cột", "Giá trị", "Cần"] if lang == "vi" else \
        ["Sheet", "Row", "Column", "Found", "Expected"]
    rows = [(p.sheet, p.row, p.column, p.found, p.expected_vi if lang == "vi" else p.expected_en) for p in problems]
    frame = pd.DataFrame(rows, columns=cols)
    frame[cols[1]] = frame[cols[1]].astype("Int64")
    return frame


def changes_frame(preview: Preview, lang: str = "vi", limit: int = 2000) -> pd.DataFrame:
    """Rows added and changed (old → new) in the user's language, changed and published first.

    Example: Hải Phòng 2019 composite 68.7326 → 70 gives the row (Điểm, thay đổi,
    "haiphong · 2019 · composite · value", 68.7326, 70, published ✓).
    """

    ch = preview.changes.copy()
    if ch.empty:
        return pd.DataFrame(columns=[t(k, lang) for k in ("ingest_col_table", "ingest_col_status", "ingest_col_key",
                                                          "ingest_col_old", "ingest_col_new", "ingest_col_published",
                                                          "ingest_col_where")])
    ch["_o"] = np.where(ch["status"] == "changed", 0, 1) - ch["published"].astype(int)
    ch["_t"] = ch["table"].map({name: i for i, name in enumerate(TABLE_ORDER)})
    ch = ch.sort_values(["_o", "_t"], kind="stable").head(limit)
    where = [", ".join(x for x in (None if is_blank(s) else str(s), None if is_blank(r) else f"{int(r)}") if x)
             for s, r in zip(ch["sheet"], ch["row"], strict=True)]
    return pd.DataFrame({
        t("ingest_col_table", lang): [t(f"ingest_tbl_{x}", lang) for x in ch["table"]],
        t("ingest_col_status", lang): [t(f"ingest_status_{x}", lang) for x in ch["status"]],
        t("ingest_col_key", lang): ch["key"].astype(str) + " · " + ch["column"].astype(str),
        t("ingest_col_old", lang): ch["old"].fillna("—"), t("ingest_col_new", lang): ch["new"].fillna("—"),
        t("ingest_col_published", lang): ch["published"].astype(bool), t("ingest_col_where", lang): where})


def commit_to(path: str | None, incoming: Incoming, *, user: str, allow_changes: bool = False) -> Outcome:
    """Open the database, commit a validated import, close it (raises InputError, DatabaseBusy).

    Example: ``commit_to(db, preview.incoming, user="lan").message("en")`` → "Imported as batch #1: …".
    """
    with storage.connect(path) as con:
        return commit(con, incoming, user=user, allow_changes=allow_changes)


def undo_in(path: str | None, batch_id: int, *, user: str) -> Outcome:
    """Open the database, undo one batch, close it (raises InputError, DatabaseBusy).

    Example: ``undo_in(db, 1, user="lan").message("en")`` → "Batch #1 undone: …".
    """
    with storage.connect(path) as con:
        return undo(con, batch_id, user=user)


@dataclass
class FormOptions:
    """Choices offered by the quick-entry forms."""

    entities: list[str]  # Vietnamese names (the validator also takes keys and English names)
    codes: list[str]
    years: list[int]


def form_options(con: duckdb.DuckDBPyConnection) -> FormOptions:
    """Entities (ward and provinces first), measure codes and years for the forms.

    Example: ``form_options(con).entities[0]`` → ``'Phường Hồng Bàng'``; codes start with ``composite``.
    """
    ents = storage.load_entities(con)
    ordered = pd.concat([ents[ents["level"] == "ward"], ents[ents["level"] == "province"].sort_values("name_vi"),
                         ents[ents["level"] == "nation"]])
    codes = [COMPOSITE, *dict.fromkeys(storage.load_subindices(con)["code"])]
    return FormOptions(list(ordered["name_vi"]), codes, list(range(date.today().year + 5, YEAR_MIN - 1, -1)))


def save_form(path: str | None, sheet_kind: str, values: dict[str, Any], *, user: str,
              allow_changes: bool = False) -> Outcome:
    """Validate and commit one form entry ('targets' or 'scores') as a batch of kind 'form'.

    Raises InputError listing every problem, like a file import. Example: ``{"entity": "Phường Hồng
    Bàng", "year": 2026, "code": "market_entry", "target_score": 7.5}`` as "targets" → 1 added.
    """
    with storage.connect(path) as con:
        incoming = form_incoming(load_context(con), sheet_kind, values, user=user)
        if not incoming.ok:
            raise InputError(errors(incoming.problems))
        return commit(con, incoming, user=user, allow_changes=allow_changes)
