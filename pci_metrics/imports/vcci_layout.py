"""How a VCCI sheet is laid out: sub-index names, what each header announces, where the province table is.

VCCI's layout changes from year to year, so nothing relies on a fixed position: headers are
classified by their words (Vietnamese or English) and the province block is found by what its
cells hold (a province name and numbers).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pci_metrics.base.cells import cell_text, column_letter, is_blank, parse_number
from pci_metrics.domain.provinces import ProvinceMatcher, normalize_name
from pci_metrics.imports.workbook import Sheet

SUBINDEX_CODES: tuple[str, ...] = (
    "entry", "land", "transparency", "time", "informal",
    "policy_bias", "proactivity", "business_support", "labor", "legal",
)
IMPLEMENTATION_2005 = "implementation_2005"
COMPOSITE = "composite"
FULL_RANKING_MIN = 40  # a summary with at least this many provinces is the whole ranking, not a top-30 list

SUBINDEX_NAMES: dict[str, tuple[str, str]] = {
    "entry": ("Gia nhập thị trường", "Entry costs"),
    "land": ("Tiếp cận đất đai", "Land access"),
    "transparency": ("Tính minh bạch", "Transparency"),
    "time": ("Chi phí thời gian", "Time costs"),
    "informal": ("Chi phí không chính thức", "Informal charges"),
    "policy_bias": ("Cạnh tranh bình đẳng / Ưu đãi DNNN", "Policy bias / fair competition"),
    "proactivity": ("Tính năng động", "Proactivity"),
    "business_support": ("Dịch vụ hỗ trợ doanh nghiệp", "Business support"),
    "labor": ("Đào tạo lao động", "Labor training"),
    "legal": ("Thiết chế pháp lý", "Legal institutions"),
    IMPLEMENTATION_2005: ("Thực hiện chính sách Trung ương", "Implementation of central policy"),
}

# Substrings of the normalised header text (see provinces.normalize_name) naming each
# sub-index, in Vietnamese and English, as written in the 2005-2018 workbooks.
_SUBINDEX_PATTERNS: dict[str, tuple[str, ...]] = {
    "entry": ("gianhap", "entry"),
    "land": ("datdai", "land"),
    "transparency": ("minhbach", "transparen"),
    "time": ("thoigian", "timecost", "regulatorycompliance"),
    "informal": ("khongchinhthuc", "informal"),
    "policy_bias": ("canhtranhbinhdang", "uudai", "dnnn", "bias", "equalcompetition",
                    "faircompetition", "moitruongcanhtranh"),
    "proactivity": ("nangdong", "proactiv"),
    "business_support": ("hotro", "businesssupport", "suportservice", "privatesectordevelopment",
                         "phattrienkhuvuc", "kinhtetunhan", "kttn"),
    "labor": ("laodong", "labor", "labour"),
    "legal": ("phaply", "legal", "laworder", "thietche"),
    IMPLEMENTATION_2005: ("thuchienchinhsach", "thuchiencs", "trunguong", "implementation"),
}
_SUBINDEX_EXACT = {"bss": "business_support", "psd": "business_support"}

# Row labels that are statistics, not provinces (skipped without a problem).
STAT_LABELS = {
    "min", "max", "median", "mean", "average", "trungvi", "giatritrungvi", "trungbinh",
    "tong", "total", "xephang", "thuhang", "thutu", "ranking", "rank", "stt", "no",
    "toanquoc", "canuoc", "vietnam", "nationalmedian", "nationalaverage", "tinhnguon",
}

_YEAR_RE = re.compile(r"(?<!\d)(20(?:0[5-9]|[1-9]\d))(?!\d)")
CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
SUBCODE_RE = re.compile(r"^sub\d+", re.IGNORECASE)


def expected_subindices(year: int) -> tuple[str, ...]:
    """The sub-index codes a VCCI summary sheet of ``year`` must have.

    >>> len(expected_subindices(2005)), "policy_bias" in expected_subindices(2010), len(expected_subindices(2017))
    (9, False, 10)
    """
    if year <= 2005:
        return ("entry", "land", "transparency", "time", "informal", IMPLEMENTATION_2005,
                "policy_bias", "proactivity", "business_support")
    if 2009 <= year <= 2012:  # "policy_bias" was not computed 2009-2012 (docs/domain.md)
        return tuple(c for c in SUBINDEX_CODES if c != "policy_bias")
    return SUBINDEX_CODES


def subindex_of(text: str) -> str | None:
    """The one sub-index code a header or sheet name names, else None."""
    norm = normalize_name(text)
    if norm in _SUBINDEX_EXACT:
        return _SUBINDEX_EXACT[norm]
    hits = {code for code, pats in _SUBINDEX_PATTERNS.items() if any(p in norm for p in pats)}
    return hits.pop() if len(hits) == 1 else None


def _classify_cell(text: str) -> str | None:
    """What one header cell announces: a sub-index code, composite, unweighted, rank, tier."""
    norm = normalize_name(text)
    if not norm:
        return None
    if "nhomxephang" in norm or "tier" in norm or "xeploai" in norm:
        return "tier"
    if "xephang" in norm or "thuhang" in norm or "rank" in norm:
        return "rank"
    if "chuacotrongso" in norm or "unweighted" in norm or "khongtrongso" in norm:
        return "unweighted"
    if ("cotrongso" in norm or "weighted" in norm
            or re.fullmatch(r"(chiso|diem)?pci(\d{4})?(score|diem)?(cuoicung)?", norm)):
        return COMPOSITE
    return subindex_of(text)


def classify_column(texts: Sequence[str]) -> str | None:
    """Combine the classes of a column's header cells (top to bottom) into one."""
    classes = [c for c in (_classify_cell(t) for t in texts) if c]
    if not classes:
        return None
    found = set(classes)
    subs = {c for c in found if c in SUBINDEX_NAMES}
    if len(subs) == 1:  # e.g. 2006: "... weighted as only 20%" above "Chi phí thời gian"
        return subs.pop()
    if subs:
        return None
    for kind in ("tier", "rank", "unweighted", COMPOSITE):
        if kind in found:
            return kind
    return None


def years_in(texts: Sequence[str]) -> list[int]:
    return [int(y) for t in texts for y in _YEAR_RE.findall(str(t))]


def year_from_file_name(file_name: str | None) -> int | None:
    """The year written in a file name (2005-2099), if exactly one.

    >>> year_from_file_name("pci_2017.xlsx"), year_from_file_name("data.xlsx")
    (2017, None)
    """
    if not file_name:
        return None
    years = set(years_in([Path(file_name).name]))
    return years.pop() if len(years) == 1 else None


@dataclass
class Table:
    sheet: Sheet
    header_rows: list[int]
    data_rows: list[int]
    province_cols: list[int]
    headers: dict[int, list[str]]
    end_note: int | None = None  # the blank row (0-based) ending the block, if more rows follow

    def cell(self, r: int, c: int) -> object:
        row = self.sheet.rows[r]
        return row[c] if c < len(row) else ""

    def header_text(self, c: int) -> str:
        return " / ".join(self.headers.get(c, []))

    def column_label(self, c: int) -> str:
        head = self.header_text(c)
        head = head if len(head) <= 50 else head[:47] + "..."
        return f'{column_letter(c)} ("{head}")' if head else column_letter(c)


def find_table(sheet: Sheet, matcher: ProvinceMatcher) -> Table | None:
    """Locate the province block: first data row, its extent, province columns, headers."""
    rows = sheet.rows
    first = None
    for r, row in enumerate(rows[:300]):
        if any(matcher.match(v) for v in row) and sum(parse_number(v)[0] is not None for v in row) >= 2:
            first = r
            break
    if first is None:
        return None
    block: list[int] = []
    r = first
    while r < len(rows) and any(not is_blank(v) for v in rows[r]):
        block.append(r)
        r += 1
    end_note = r if any(any(not is_blank(v) for v in row) for row in rows[r:]) else None
    width = max(len(rows[i]) for i in block)
    counts = Counter(c for i in block for c, v in enumerate(rows[i]) if matcher.match(v))
    province_cols = sorted(c for c, n in counts.items() if n >= 0.5 * len(block))
    if not province_cols:
        return None
    header_rows = [i for i in range(max(0, first - 4), first) if any(not is_blank(v) for v in rows[i])]
    headers: dict[int, list[str]] = {}
    for c in range(width):
        texts = [cell_text(rows[i][c]) or "" for i in header_rows if c < len(rows[i]) and not is_blank(rows[i][c])]
        if texts:
            headers[c] = texts
    return Table(sheet, header_rows, block, province_cols, headers, end_note)


def province_col_for(table: Table, c: int) -> int:
    """The province column a value column belongs to: the nearest one on its left.

    In ranked lists each score sits right of its own province column; a column left of
    every province column (e.g. the rank before the province in PCI 2009) takes the first.
    """
    left = [p for p in table.province_cols if p < c]
    return left[-1] if left else table.province_cols[0]
