"""Read a checked file once into raw sheets: a VCCI workbook, the template workbook or a long CSV.

Nothing here touches the database: :func:`read_file` sniffs the bytes (:mod:`pci_metrics.imports.sniff`),
then keeps every data row with its original headers and sheet row number, for the validation to
check against the database's vocabularies.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pci_metrics.base.cells import cell_text, fold, is_blank
from pci_metrics.base.i18n import fmt_num
from pci_metrics.base.problems import InputError, Problem
from pci_metrics.domain.provinces import normalize_name
from pci_metrics.imports.appendix import TASK_HEADERS, UNIT_HEADERS
from pci_metrics.imports.columns import FIELD_ALIASES, IGNORED_SHEETS, sheet_kind
from pci_metrics.imports.limits import KIND_CSV, KIND_TEMPLATE, KIND_VCCI, MAX_ROWS, YEAR_MIN, problem
from pci_metrics.imports.sniff import (
    decode_text,
    safe_file_name,
    sha256,
    sniff,
    untrusted_cells,
    untrusted_problems,
    wrong_type,
)
from pci_metrics.imports.task_reports import REPORT_HEADERS
from pci_metrics.imports.vcci import VcciResult, read_vcci_workbook
from pci_metrics.imports.workbook import Sheet, calamine_sheets


@dataclass
class RawSheet:
    """One data sheet of a template (or the CSV): its kind, rows with original headers and ``_row``."""

    sheet: str | None
    kind: str  # scores | targets | task_reports | service | notes | appendix_tasks | units
    frame: pd.DataFrame
    point_is_decimal: bool = False  # a CSV: its text numbers use the point as the decimal mark


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


def _frame_from_rows(rows: Sequence[Sequence[Any]], first_data_row: int, header: Sequence[Any]) -> pd.DataFrame:
    """Data rows under a header as a DataFrame of raw cells plus ``_row`` (the sheet's row number)."""
    names: list[str] = []
    for i, h in enumerate(header):
        label = cell_text(h) or f"col{i + 1}"
        while label in names:
            label += "_"
        names.append(label)
    width = len(names)
    body = rows if all(len(r) == width for r in rows) else [(list(r) + [""] * (width - len(r)))[:width] for r in rows]
    # a row of blank cells is no row (looked at up to its first cell that is not blank)
    kept = [i for i, r in enumerate(body) if not all(map(is_blank, r))]
    frame = pd.DataFrame([body[i] for i in kept], columns=names, dtype=object) if kept \
        else pd.DataFrame(columns=names, dtype=object)
    frame["_row"] = np.asarray(kept, dtype=np.int64) + first_data_row
    return frame


# Sheets whose headers are compared folded (their validators' header tables).
FOLDED_HEADERS = {"task_reports": REPORT_HEADERS, "appendix_tasks": TASK_HEADERS, "units": UNIT_HEADERS}


def _header_row(rows: Sequence[Sequence[Any]], kind: str) -> int:
    """Index of the header row among the first five: the one naming most of the sheet's columns."""
    aliases = FIELD_ALIASES.get(kind, {})
    known = {a for names in aliases.values() for a in names} if aliases else set()
    best, best_n = 0, -1
    folded = FOLDED_HEADERS.get(kind)
    for i, row in enumerate(rows[:5]):
        if folded is not None:
            n = sum(1 for v in row if cell_text(v) and (fold(v) in folded or
                                                        any(fold(v) in names for names in folded.values())))
        else:
            n = sum(1 for v in row if cell_text(v) and normalize_name(str(v)) in known)
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
        raw.problems.append(problem("year_out_of_range", f"năm từ {YEAR_MIN} đến {date.today().year}",
                                    f"a year from {YEAR_MIN} to {date.today().year}", column="--year", found=year))
        return raw
    read: list[Sheet] | None
    try:  # read once: the template reader and the VCCI reader both take these sheets
        read = calamine_sheets(data)
    except Exception:  # noqa: BLE001 - calamine cannot open it: the VCCI reader has the openpyxl fallback
        read = None
    if any(sheet_kind(s.name) for s in read or []):
        raw.kind = KIND_TEMPLATE
        _read_template(data, read or [], raw)
        return raw
    raw.kind = KIND_VCCI
    try:
        raw.vcci = read_vcci_workbook(data, file_name=name, year=year, sheets=read)
        raw.year = raw.vcci.year
    except InputError as exc:
        raw.problems.extend(exc.problems)
    except Exception as exc:  # noqa: BLE001 - a damaged workbook: say so, never crash
        raw.problems.append(wrong_type(name, f"không đọc được tệp ({exc})", f"the file cannot be read ({exc})",
                                       code="corrupt"))
    return raw


def _read_template(data: bytes, sheets: list[Sheet], raw: RawFile) -> None:
    """The template's data sheets as raw frames; other sheets are skipped with a notice, formulas
    without a saved value and error values are refused, and the file stops at ``MAX_ROWS`` data rows."""
    formulas = untrusted_cells(data)
    total = 0
    for sheet in sheets:
        name, rows = sheet.name, sheet.rows
        kind = sheet_kind(name)
        if kind is None:
            if normalize_name(name) not in IGNORED_SHEETS:
                raw.problems.append(Problem(name, None, None, None,
                                            "trang tính không thuộc mẫu nhập liệu: bỏ qua",
                                            "a sheet that is not part of the template: skipped",
                                            severity="notice", code="sheet_skipped"))
            continue
        raw.problems.extend(untrusted_problems(name, formulas.get(name, {}).values()))
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
            raw.problems.append(problem("too_many_rows", f"tối đa {fmt_num(MAX_ROWS, 'vi', 0)} dòng dữ liệu mỗi tệp",
                                        f"at most {fmt_num(MAX_ROWS, 'en', 0)} data rows per file", sheet=name, found=f"{total}+"))
            return
        raw.sheets.append(RawSheet(name, kind, frame))


def _read_csv(data: bytes, raw: RawFile) -> None:
    text = decode_text(data)
    if text is None:
        raw.problems.append(problem("encoding", "văn bản mã UTF-8 (trong Excel: Lưu dạng «CSV UTF-8»)",
                                    "UTF-8 text (in Excel: Save as «CSV UTF-8»)", found=raw.file_name))
        return
    lines = text.count("\n")
    if lines > MAX_ROWS + 1:  # before parsing: 20 MB of blank lines would become 20 million rows
        raw.problems.append(problem("too_many_rows", f"tối đa {fmt_num(MAX_ROWS, 'vi', 0)} dòng dữ liệu mỗi tệp",
                                    f"at most {fmt_num(MAX_ROWS, 'en', 0)} data rows per file", found=f"{lines} dòng / lines"))
        return
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    except csv.Error as exc:
        raw.problems.append(problem("corrupt", "một tệp CSV hợp lệ", "a valid CSV file", found=str(exc)))
        return
    if len(rows) - 1 > MAX_ROWS:
        raw.problems.append(problem("too_many_rows", f"tối đa {fmt_num(MAX_ROWS, 'vi', 0)} dòng dữ liệu mỗi tệp",
                                    f"at most {fmt_num(MAX_ROWS, 'en', 0)} data rows per file", found=len(rows) - 1))
        return
    if not rows or all(is_blank(v) for v in rows[0]):
        raw.problems.append(problem("empty", "một dòng tiêu đề (year, entity_key, code, value, ...) và dữ liệu",
                                    "a header row (year, entity_key, code, value, ...) and data", found=raw.file_name))
        return
    raw.sheets.append(RawSheet(None, "scores", _frame_from_rows(rows[1:], 2, list(rows[0])), point_is_decimal=True))
