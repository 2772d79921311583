"""Cheap checks of an uploaded file's bytes before any reader opens it.

Size, type (an image, a PDF, a Word document, a text file renamed .xlsx), password protection,
macros, zip bombs and worksheets that declare more cells than a reader may allocate are all found
from the bytes alone, so a hostile file is refused before it can cost memory or time. File names
are only ever labels (:func:`safe_file_name`): bytes are read in memory, never from a path built
from a name.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pci_metrics.base.cells import column_letter
from pci_metrics.base.problems import InputError, Problem
from pci_metrics.imports.limits import MAX_BYTES, MAX_RATIO, MAX_SHEET_CELLS, MAX_UNCOMPRESSED, problem, too_large


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


_MAGIC = [
    (b"\x89PNG", "ảnh PNG", "a PNG image"), (b"\xff\xd8\xff", "ảnh JPEG", "a JPEG image"),
    (b"GIF8", "ảnh GIF", "a GIF image"), (b"BM", "ảnh BMP", "a BMP image"),
    (b"%PDF", "tệp PDF", "a PDF file"), (b"II*\x00", "ảnh TIFF", "a TIFF image"),
    (b"MM\x00*", "ảnh TIFF", "a TIFF image"),
]
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``; raises InputError for a device such as
    /dev/zero, a pipe or a larger file, and the operating system's error for a missing, unreadable
    or folder path (worded by :mod:`pci_metrics.trust.failures`). Never reads more than ``MAX_BYTES + 1``
    bytes, whatever the file claims its size is.
    """
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise InputError([problem("not_a_file", "một tệp thông thường (đây là một thiết bị hoặc luồng)",
                                      "a regular file (this is a device or a stream)", found=str(path))])
        if st.st_size > MAX_BYTES:
            raise InputError([too_large(safe_file_name(path.name), st.st_size)])
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError([too_large(safe_file_name(path.name), len(data))])
    return data


def wrong_type(file_name: str, vi: str, en: str, code: str = "wrong_type") -> Problem:
    return problem(code, f"một bảng tính .xlsx, .xls hoặc tệp .csv; {vi}", f"an .xlsx or .xls workbook or a .csv file; {en}",
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
        return None, [problem("empty", "một tệp có dữ liệu (tệp này rỗng, 0 byte)", "a file with data (this file is empty)",
                              found=file_name)]
    if len(data) > MAX_BYTES:
        return None, [too_large(file_name, len(data))]
    for magic, vi, en in _MAGIC:
        if data.startswith(magic):
            return None, [wrong_type(file_name, f"tệp này là {vi}", f"this file is {en}")]
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            return None, [problem("encrypted", "một tệp không đặt mật khẩu: mở tệp trong Excel, bỏ mật khẩu "
                                          "(Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu lại",
                                  "a file without a password: open it in Excel, remove the password "
                                  "(File → Info → Protect Workbook) and save it again", found=file_name)]
        if "WordDocument".encode("utf-16-le") in data:
            return None, [wrong_type(file_name, "tệp này là văn bản Word", "this file is a Word document")]
        return "xls", []
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, file_name, ext)
    text = decode_text(data)
    if text is None and b"\x00" not in data[:4096]:
        return None, [problem("encoding", "văn bản mã UTF-8 (trong Excel: Lưu dạng «CSV UTF-8 (Comma delimited)»)",
                              "UTF-8 text (in Excel: Save as «CSV UTF-8 (Comma delimited)»)", found=file_name)]
    if text is None or "\x00" in text[:4096]:
        return None, [wrong_type(file_name, "không nhận ra nội dung tệp (tệp hỏng hoặc không phải bảng tính)",
                                 "the content is not recognised (a damaged file or not a spreadsheet)",
                                 code="corrupt")]
    if ext in (".xlsx", ".xls", ".xlsm", ".ods"):
        return None, [wrong_type(
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
        return None, [wrong_type(file_name, "tệp nén bị hỏng (tải lại hoặc lưu lại tệp)",
                                 "the zip container is damaged (download or save it again)", code="corrupt")]
    if bomb:
        return None, bomb
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        if "word/document.xml" in names:
            return None, [wrong_type(file_name, "tệp này là văn bản Word", "this file is a Word document")]
        if "ppt/presentation.xml" in names:
            return None, [wrong_type(file_name, "tệp này là bản trình chiếu", "this file is a presentation")]
        return None, [wrong_type(file_name, "tệp nén không chứa bảng tính Excel",
                                 "a zip file without an Excel workbook")]
    problems: list[Problem] = []
    if "xl/workbook.bin" in names:
        return None, [wrong_type(file_name, "tệp .xlsb (nhị phân) chưa được hỗ trợ: lưu lại dạng .xlsx",
                                 "binary .xlsb is not supported: save it as .xlsx")]
    if "xl/vbaProject.bin" in names or ext == ".xlsm":
        problems.append(problem("macros", "—", "—", found=file_name, notice=True))
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
    sheet_names = {path: name for name, path in sheet_paths(zf).items()}
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
                return [problem("zip_bomb",
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
                return [problem("sheet_too_large",
                                f"tối đa {limit.replace(',', '.')} ô mỗi trang tính (bộ đọc cấp bộ nhớ cho cả vùng) — "
                                "xoá các ô thừa ở xa vùng dữ liệu rồi lưu lại",
                                f"at most {limit} cells per sheet (a reader allocates the whole area) — "
                                "delete stray cells far from the data and save it again",
                                sheet=sheet_names.get(info.filename, info.filename),
                                found=f"{ref} ({cells:,} ô / cells)")]
    return []


def decode_text(data: bytes) -> str | None:
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
_ERROR_RE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*?(?<!/)>\s*(?:<f[^>]*?(?:/>|>[^<]*</f>)\s*)?<v>([^<]*)</v>')

# A formula element (<f>, <f t="shared" …>, <f/>): cheap to look for first, and unlike a bare "<f" not
# found in every sheet with drop-down lists (<formula1>), where the cell pattern would scan megabytes.
_FORMULA_TAG_RE = re.compile(rb"<f[\s/>]")

FORMULA_WITHOUT_VALUE = "formula_without_value"
ERROR_VALUE = "error_value"


@dataclass(frozen=True)
class UntrustedCell:
    """A cell that reads as empty but is not: a formula without a saved result, or an error value
    (``#N/A``, ``#REF!``...). ``row`` and ``column`` are 0-based, like :class:`Sheet` rows."""

    row: int
    column: int
    kind: str  # FORMULA_WITHOUT_VALUE or ERROR_VALUE
    text: str  # what the cell shows: "=…" or the error, e.g. "#N/A"

    @property
    def ref(self) -> str:
        """The cell's Excel reference, e.g. "D5"."""
        return f"{column_letter(self.column)}{self.row + 1}"


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def untrusted_cells(data: bytes) -> dict[str, dict[tuple[int, int], UntrustedCell]]:
    """Sheet name -> (row, column) -> the cells of an .xlsx that a reader shows as empty although they
    are not: formulas with no saved result (a file written by a program, never saved by Excel) and error
    values. Reading them as blank would guess; the import refuses them instead. Other formats: nothing.

    >>> untrusted_cells(b"not a zip")
    {}
    """
    out: dict[str, dict[tuple[int, int], UntrustedCell]] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return out
    with zf:
        for name, path in sheet_paths(zf).items():
            try:
                xml = zf.read(path)
            except KeyError:
                continue
            found: dict[tuple[int, int], UntrustedCell] = {}
            if _FORMULA_TAG_RE.search(xml):
                for m in _FORMULA_RE.finditer(xml):
                    at = (int(m.group(2)) - 1, _column_index(m.group(1)))
                    found[at] = UntrustedCell(*at, FORMULA_WITHOUT_VALUE, "=…")
            if b't="e"' in xml:
                for m in _ERROR_RE.finditer(xml):
                    at = (int(m.group(2)) - 1, _column_index(m.group(1)))
                    found[at] = UntrustedCell(*at, ERROR_VALUE, html.unescape(m.group(3).decode("utf-8", "replace")))
            if found:
                out[name] = found
    return out


def untrusted_problem(sheet: str, cell: UntrustedCell) -> Problem:
    """The refusal of one untrusted cell, naming the sheet, row, column and what it holds.

    >>> untrusted_problem("Summary", UntrustedCell(4, 3, ERROR_VALUE, "#N/A")).message("en")[:60]
    'Error in sheet "Summary", row 5, column D: found "#N/A", exp'
    """
    if cell.kind == FORMULA_WITHOUT_VALUE:
        return problem(FORMULA_WITHOUT_VALUE,
                       "một giá trị; ô có công thức nhưng chưa có kết quả đã lưu (công thức chưa có giá trị — "
                       "mở tệp trong Excel và lưu lại, hoặc dán giá trị thay công thức)",
                       "a value; the cell has a formula but no saved result (open the file in Excel and save it, "
                       "or paste values instead of the formula)",
                       sheet=sheet, row=cell.row + 1, column=column_letter(cell.column), found=cell.text)
    return problem(ERROR_VALUE,
                   "một số; ô chứa giá trị lỗi của Excel (như #N/A, #REF!, #DIV/0!): sửa công thức hoặc nhập số",
                   "a number; the cell holds an Excel error value (such as #N/A, #REF!, #DIV/0!): fix the formula "
                   "or type the number", sheet=sheet, row=cell.row + 1, column=column_letter(cell.column), found=cell.text)


def untrusted_problems(sheet: str, cells: Iterable[UntrustedCell], limit: int = 50) -> list[Problem]:
    """The refusals of a sheet's untrusted cells, in sheet order, at most ``limit``."""
    ordered = sorted(cells, key=lambda c: (c.row, c.column))
    return [untrusted_problem(sheet, c) for c in ordered[:limit]]


def sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
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
        out[html.unescape(name.group(1))] = path
    return out
