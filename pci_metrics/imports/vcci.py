"""Read VCCI's own yearly PCI workbooks (2005-2018 layouts) into tidy scores and indicators.

VCCI publishes one workbook per year and the layout changes from year to year, so nothing
here relies on a fixed position: the summary sheet, its header rows and every column are
found by their names and by what the cells hold.

Layouts handled (see ``/work/shared/data/README.md``):

* **wide** - one row per province: province, (rank), weighted PCI, one column per
  sub-index; header in Vietnamese or English over one to three rows, sometimes with a
  region or tier column in between (2005-2007, 2009, 2017-2018);
* **ranked lists** - each sub-index has its own (province, score) pair of columns sorted
  by that sub-index, so one row mixes provinces (2008, 2010-2014, 2016);
* **indicator sheets** - one sheet per sub-index with one column per indicator, sometimes
  with a row of VCCI variable codes (``sub1_entry``, ``c1_2005``, ...) under the labels.

>>> r = read_vcci_workbook("tests/fixtures/vcci/pci_2017.xlsx")   # doctest: +SKIP
>>> r.year, r.sheet_used, len(r.scores), r.indicators.indicator_code.nunique()  # doctest: +SKIP
(2017, 'Summary', 693, 128)
"""

from __future__ import annotations

import functools
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import openpyxl
import pandas as pd

from pci_metrics.base.cells import cell_text, column_letter, is_blank, parse_number
from pci_metrics.base.i18n import t
from pci_metrics.base.problems import InputError, Problem
from pci_metrics.domain.composite import rank_min
from pci_metrics.domain.provinces import ProvinceMatcher, normalize_name
from pci_metrics.imports.limits import problem
from pci_metrics.imports.sniff import untrusted_cells, untrusted_problem
from pci_metrics.imports.vcci_layout import (
    CODE_RE,
    COMPOSITE,
    FULL_RANKING_MIN,
    IMPLEMENTATION_2005,
    STAT_LABELS,
    SUBCODE_RE,
    SUBINDEX_CODES,
    SUBINDEX_NAMES,
    Table,
    classify_column,
    expected_subindices,
    find_table,
    province_col_for,
    subindex_of,
    year_from_file_name,
    years_in,
)
from pci_metrics.imports.workbook import Sheet, calamine_sheets


@dataclass
class VcciResult:
    """What one VCCI workbook holds, in tidy form, plus notices on how it was read."""

    year: int
    scores: pd.DataFrame  # province_key, province_raw, code, value, rank, row (1-based) and column of the cell
    indicators: pd.DataFrame  # province_key, subindex, indicator_code, label, value
    notices: list[str]
    sheet_used: str
    layout: str = "wide"
    notices_en: list[str] = field(default_factory=list)  # the same notices in English
    indicator_sheets: dict[str, str] = field(default_factory=dict)  # sub-index code -> sheet
    rank_source: str = "official"  # composite rank: "official" (a rank column) or "computed" from scores


@dataclass(frozen=True)
class _Note:
    """A notice: how the workbook was read, in Vietnamese and English."""

    vi: str
    en: str
    sheet: str | None = None

    def text(self, lang: str = "vi") -> str:
        body = self.vi if lang == "vi" else self.en
        if self.sheet is None:
            return body
        return (f'Trang tính "{self.sheet}": ' if lang == "vi" else f'Sheet "{self.sheet}": ') + body


def _trim(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    out: list[list[object]] = []
    for row in rows:
        cells = ["" if v is None else v for v in row]
        while cells and is_blank(cells[-1]):
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


def _trimmed(sheets: list[Sheet]) -> list[Sheet]:
    """The sheets with their trailing blank cells and rows cut off."""
    return [Sheet(s.name, _trim(s.rows), s.visible) for s in sheets]


def _read_bytes(source: str | os.PathLike[str] | bytes | IO[bytes]) -> tuple[bytes, str | None]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), None
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            return path.read_bytes(), path.name
        except OSError as exc:
            raise InputError([problem(
                "not_found", f"một tệp đọc được ({exc.strerror})",
                f"a readable file ({exc.strerror})", found=str(path))]) from exc
    data = source.read()
    name = getattr(source, "name", None)
    return bytes(data), (Path(name).name if isinstance(name, str) else None)


def _not_workbook(file_name: str | None, why_vi: str, why_en: str) -> InputError:
    return InputError([problem(
        "not_workbook",
        f"một bảng tính Excel (.xlsx hoặc .xls) của VCCI; {why_vi}",
        f"an Excel workbook (.xlsx or .xls) from VCCI; {why_en}",
        found=file_name)])


def _load_sheets(data: bytes, file_name: str | None,
                 read: list[Sheet] | None = None) -> tuple[list[Sheet], list[_Note]]:
    """Every sheet's cells; python-calamine first (``read``: what it already read of these bytes),
    openpyxl for .xlsx calamine cannot open."""
    if not data:
        raise InputError([problem("empty", "một tệp có dữ liệu (tệp này rỗng)",
                                  "a file with data (this file is empty)", found=file_name)])
    is_zip, is_ole = data[:4] == b"PK\x03\x04", data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if not (is_zip or is_ole):
        raise _not_workbook(file_name, "tệp này không phải bảng tính (CSV hay văn bản?)",
                            "this file is not a workbook (CSV or text?)")
    is_xlsx = False
    if is_zip:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise _not_workbook(file_name, "tệp nén bị hỏng", "the zip file is damaged") from exc
        is_xlsx = "xl/workbook.xml" in names
        if not is_xlsx and "content.xml" not in names:
            raise _not_workbook(file_name, "tệp nén không chứa bảng tính", "a zip file without a workbook")
    try:
        return _trimmed(read if read is not None else calamine_sheets(data)), []
    except Exception as exc:  # noqa: BLE001 - any calamine failure: fall back or report
        calamine_error = str(exc)
    if is_xlsx:
        # LibreOffice writes row-only sheet dimensions ("1:69") that calamine rejects; the tag is
        # only a hint, so drop it and keep calamine's speed (2014: 0.2 s instead of 2.5 s with openpyxl).
        try:
            sheets = _trimmed(calamine_sheets(_without_dimensions(data)))
            return sheets, [_Note(
                f"đã bỏ thẻ kích thước trang tính không hợp lệ để đọc bằng python-calamine ({calamine_error})",
                f"read with python-calamine after removing invalid sheet dimensions ({calamine_error})")]
        except Exception:  # noqa: BLE001 - still unreadable: openpyxl below
            pass
    if not is_xlsx:
        raise _not_workbook(file_name, f"không đọc được: {calamine_error}", f"unreadable: {calamine_error}")

    try:
        owb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = [Sheet(ws.title, _trim(list(ws.iter_rows(values_only=True))),
                        ws.sheet_state == "visible") for ws in owb.worksheets]
        owb.close()
    except Exception as exc:  # noqa: BLE001
        raise _not_workbook(file_name, f"không đọc được: {exc}", f"unreadable: {exc}") from exc
    note = _Note(f"đọc bằng openpyxl vì python-calamine không mở được tệp ({calamine_error})",
                 f"read with openpyxl because python-calamine could not open the file ({calamine_error})")
    return sheets, [note]


_DIMENSION_RE = re.compile(rb"<dimension\b[^>]*/>")


def _without_dimensions(data: bytes) -> bytes:
    """The same .xlsx with every worksheet's ``<dimension .../>`` hint removed (in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                body = _DIMENSION_RE.sub(b"", body, count=1)
            dst.writestr(info, body)
    return out.getvalue()


@dataclass
class _Summary:
    table: Table
    columns: dict[str, int]  # code/"composite"/"rank" -> column
    year_hint: int | None
    layout: str


def _summary_candidate(table: Table) -> _Summary | None:
    columns: dict[str, int] = {}
    for c in sorted(table.headers):
        if c in table.province_cols:
            continue
        kind = classify_column(table.headers[c])
        if kind and kind not in ("tier", "unweighted") and kind not in columns:
            columns[kind] = c
    n_sub = sum(k in SUBINDEX_NAMES for k in columns)
    if COMPOSITE not in columns or n_sub < 3:
        return None
    key_cols = [columns[k] for k in (COMPOSITE, "rank") if k in columns]
    years = years_in([t for c in key_cols for t in table.headers.get(c, [])])
    if not years:
        years = years_in([t for ts in table.headers.values() for t in ts])
    hint = Counter(years).most_common(1)[0][0] if years else None
    layout = "wide" if len(table.province_cols) == 1 else "ranked lists"
    return _Summary(table, columns, hint, layout)


def _choose_summary(
    candidates: list[_Summary], year: int | None, file_year: int | None,
) -> tuple[_Summary, int | None, list[_Note]]:
    notes: list[_Note] = []
    ordered = sorted(candidates, key=lambda s: not s.table.sheet.visible)  # stable: visible first
    wanted = year if year is not None else file_year
    chosen = next((s for s in ordered if wanted is not None and s.year_hint == wanted), None)
    if chosen is None:
        chosen = next((s for s in ordered if s.year_hint is None), ordered[0]) if wanted else ordered[0]
    if year is None:
        year = chosen.year_hint if chosen.year_hint is not None else file_year
    for other in candidates:
        if other is not chosen:
            notes.append(_Note(
                f"cũng là một bảng tổng hợp (PCI {other.year_hint or '?'}); không dùng",
                f"also a summary table (PCI {other.year_hint or '?'}); not used", other.table.sheet.name))
    if year is not None and chosen.year_hint is not None and chosen.year_hint != year:
        notes.append(_Note(
            f"tiêu đề ghi PCI {chosen.year_hint} nhưng dùng năm {year} như đã nhập",
            f"the headers say PCI {chosen.year_hint} but year {year} was given and is used",
            chosen.table.sheet.name))
    return chosen, year, notes


@dataclass
class _Cells:
    """Values of one column keyed by province, with the source spelling and row of each."""

    values: dict[str, float | None] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def _read_column(
    table: Table, c: int, matcher: ProvinceMatcher, problems: list[Problem],
    seen_unknown: set[tuple[int, int]],
) -> _Cells:
    """Province -> value for one value column, pairing it with its province column."""
    out = _Cells()
    p = province_col_for(table, c)
    name = table.sheet.name
    flagged = table.sheet.untrusted
    for r in table.data_rows:
        label, value = table.cell(r, p), table.cell(r, c)
        if is_blank(label):
            if (r, p) in flagged and (r, p) not in seen_unknown:
                seen_unknown.add((r, p))
                problems.append(untrusted_problem(name, flagged[(r, p)]))
            continue
        key = matcher.match(label)
        if key is None:
            if normalize_name(str(label)) in STAT_LABELS or (r, p) in seen_unknown:
                continue
            seen_unknown.add((r, p))
            hints = matcher.suggest(str(label)) or ["Hà Nội", "Hải Phòng", "Thừa Thiên Huế"]
            problems.append(problem(
                "unknown_province",
                f"tên tỉnh đã biết, ví dụ {', '.join(hints)}",
                f"a known province name, e.g. {', '.join(hints)}",
                sheet=name, row=r + 1, column=table.column_label(p), found=cell_text(label)))
            continue
        if key in out.values:
            problems.append(problem(
                "duplicate_province",
                f"mỗi tỉnh một lần trong cột (đã có ở dòng {out.rows[key] + 1})",
                f"each province once per column (already on row {out.rows[key] + 1})",
                sheet=name, row=r + 1, column=table.column_label(p), found=cell_text(label)))
            continue
        number, how = parse_number(value)
        if (r, c) in flagged:
            problems.append(untrusted_problem(name, flagged[(r, c)]))
        elif how == "ambiguous":
            found = cell_text(value)
            problems.append(problem(
                "ambiguous_number", t("ingest_exp_ambiguous", "vi", found=found),
                t("ingest_exp_ambiguous", "en", found=found), sheet=name, row=r + 1,
                column=table.column_label(c), found=found))
        elif number is None and not is_blank(value):
            problems.append(problem(
                "not_a_number", "một số (ví dụ 6.85)", "a number (e.g. 6.85)",
                sheet=name, row=r + 1, column=table.column_label(c), found=cell_text(value)))
        out.values[key], out.raw[key], out.rows[key] = number, cell_text(label) or "", r
    return out


def _missing_columns(summary: _Summary, year: int) -> list[Problem]:
    table = summary.table
    header_row = (table.header_rows[-1] + 1) if table.header_rows else None
    out = []
    for code in expected_subindices(year):
        if code not in summary.columns:
            vi, en = SUBINDEX_NAMES[code]
            out.append(problem(
                "missing_subindex",
                f'một cột chỉ số thành phần "{vi}" ({code}) trong dòng tiêu đề',
                f'a column for the sub-index "{en}" ({code}) in the header row',
                sheet=table.sheet.name, row=header_row))
    return out


def _out_of_range(table: Table, code: str, c: int, cells: _Cells) -> list[Problem]:
    """Scores must be 0-10 (sub-index) or 0-100 (composite); ranks 1..number of rows."""
    low, high = (1.0, float(len(table.data_rows))) if code == "rank" else (0.0, 100.0 if code == COMPOSITE else 10.0)
    return [problem("out_of_range", f"một số từ {low:g} đến {high:g}", f"a number from {low:g} to {high:g}",
                    sheet=table.sheet.name, row=cells.rows[key] + 1, column=table.column_label(c),
                    found=f"{value:g}")
            for key, value in cells.values.items() if value is not None and not low <= value <= high + 1e-6]


def _missing_scores(table: Table, code: str, c: int, missing: list[str], read: dict[str, _Cells],
                    matcher: ProvinceMatcher) -> list[Problem]:
    """A blank score in a full ranking, one problem per province (its row, or the composite's row when
    the column has no row for it)."""
    out = []
    for key in missing:
        row = read[code].rows.get(key, read[COMPOSITE].rows[key])
        out.append(problem(
            "missing_score",
            f"điểm của {matcher.name_vi(key)}: VCCI công bố mọi chỉ số thành phần của mọi tỉnh được xếp hạng, "
            "một ô trống sẽ làm sai thứ hạng và trung vị của các tỉnh khác",
            f"a score for {matcher.provinces[key].name_en}: VCCI publishes every sub-index of every ranked province, "
            "and a blank would move the other provinces' ranks and the median",
            sheet=table.sheet.name, row=row + 1, column=table.column_label(c), found=None))
    return out


def _row_province(table: Table, r: int, matcher: ProvinceMatcher) -> tuple[int, str] | None:
    """The first province named in a row's province columns: (column, key)."""
    for p in table.province_cols:
        key = matcher.match(table.cell(r, p))
        if key is not None:
            return p, key
    return None


def _rows_below(table: Table, read: dict[str, _Cells], cols: dict[str, int], matcher: ProvinceMatcher,
                notes: list[_Note]) -> list[Problem]:
    """Province rows below the table's end. VCCI's own workbooks repeat one province there with the
    same numbers (a look-up block): read as a notice naming both rows. A repeat with other numbers, or
    a province the table does not have, is refused: the import reads the table only, and an appended
    correction must not be ignored silently."""
    if table.end_note is None:
        return []
    problems: list[Problem] = []
    name = table.sheet.name
    for r in range(table.end_note, len(table.sheet.rows)):
        found = _row_province(table, r, matcher)
        if found is None:
            continue
        p, key = found
        label = cell_text(table.cell(r, p))
        first = read[COMPOSITE].rows.get(key)
        if first is None:
            problems.append(problem(
                "province_below_table",
                f"mọi dòng tỉnh nằm trong bảng (bảng kết thúc ở dòng trống {table.end_note + 1}, dòng này không được "
                "đọc): chuyển dòng vào bảng",
                f"every province row inside the table (the table ends at blank row {table.end_note + 1}, this row "
                "is not read): move the row into the table",
                sheet=name, row=r + 1, column=table.column_label(p), found=label))
            continue
        differs = [(code, c, v, read[code].values.get(key)) for code, c in cols.items() if code != "rank"
                   and (v := parse_number(table.cell(r, c))[0]) is not None
                   and ((old := read[code].values.get(key)) is None or abs(v - old) > 5e-4)]
        if not differs:
            notes.append(_Note(
                f"dòng {r + 1} lặp lại {label} của dòng {first + 1} với cùng số liệu (bảng tra cứu): không đọc",
                f"row {r + 1} repeats {label} of row {first + 1} with the same figures (a look-up block): not read",
                name))
            continue
        for code, c, v, old in differs:
            was = "trống" if old is None else f"{old:g}"
            was_en = "blank" if old is None else f"{old:g}"
            problems.append(problem(
                "duplicate_province",
                f"mỗi tỉnh một dòng: {label} đã có ở dòng {read[code].rows.get(key, first) + 1} với {was}; "
                "sửa trong bảng rồi xoá dòng lặp",
                f"each province once: {label} is already on row {read[code].rows.get(key, first) + 1} with {was_en}; "
                "correct it in the table and delete the repeat",
                sheet=name, row=r + 1, column=table.column_label(c), found=f"{v:g}"))
    return problems


def _composite_rank(summary: _Summary, read: dict[str, _Cells], keys: list[str]) -> tuple[pd.Series, _Note]:
    """The official rank where the sheet has a complete rank column, else ranked by score (ties -> min)."""
    official = read.get("rank")
    values = [official.values.get(k) for k in keys] if official else []
    if official and all(v is not None and float(v).is_integer() for v in values):
        label = summary.table.column_label(summary.columns["rank"])
        return (pd.Series(dict(zip(keys, values, strict=True))).astype("Int64"),
                _Note(f"thứ hạng chính thức từ cột {label}", f"official rank from column {label}"))
    score = pd.Series({k: read[COMPOSITE].values[k] for k in keys}, dtype="float64")
    why_vi, why_en = (" (cột thứ hạng thiếu số)", " (the rank column is incomplete)") if official else ("", "")
    return (rank_min(score).astype("Int64"),
            _Note(f"thứ hạng tính từ điểm PCI có trọng số, bằng điểm thì cùng hạng{why_vi}",
                  f"rank computed from the weighted PCI, ties share the best rank{why_en}"))


def _read_scores(
    summary: _Summary, year: int, matcher: ProvinceMatcher,
) -> tuple[pd.DataFrame, list[Problem], list[_Note]]:
    """The tidy scores of the summary sheet, or the problems that stop it."""
    table, cols, sheet = summary.table, summary.columns, summary.table.sheet.name
    problems = _missing_columns(summary, year)
    seen_unknown: set[tuple[int, int]] = set()
    read = {k: _read_column(table, c, matcher, problems, seen_unknown) for k, c in cols.items()}
    keys = [k for k, v in read[COMPOSITE].values.items() if v is not None]
    notes: list[_Note] = []
    full = len(keys) >= FULL_RANKING_MIN
    for code, cells in read.items():
        problems.extend(_out_of_range(table, code, cols[code], cells))
        missing = [k for k in keys if cells.values.get(k) is None]
        if not missing or code == "rank":
            continue
        if full:  # a full ranking: one blank would move every other province's rank and the median
            problems.extend(_missing_scores(table, code, cols[code], missing, read, matcher))
            continue
        label = table.column_label(cols[code])
        names = ", ".join(matcher.name_vi(k) for k in missing)
        notes.append(_Note(f"cột {label} không có giá trị cho: {names}",
                           f"column {label} has no value for: {names}", sheet))
    problems.extend(_rows_below(table, read, cols, matcher, notes))
    if not keys and not problems:
        problems.append(problem(
            "no_rows", "ít nhất một dòng tỉnh có điểm PCI", "at least one province row with a PCI score",
            sheet=sheet, column=table.column_label(cols[COMPOSITE])))
    if problems:
        return pd.DataFrame(), problems, notes
    rank, rank_note = _composite_rank(summary, read, keys)
    codes = [COMPOSITE] + [c for c in (*SUBINDEX_CODES, IMPLEMENTATION_2005) if c in read]
    labels = {code: table.column_label(cols[code]) for code in codes}
    records = [(key, read[COMPOSITE].raw[key], code, read[code].values.get(key),
                rank[key] if code == COMPOSITE else pd.NA,
                read[code].rows.get(key, read[COMPOSITE].rows[key]) + 1, labels[code])
               for key in sorted(keys, key=lambda k: (rank[k], k)) for code in codes]
    scores = pd.DataFrame(records, columns=["province_key", "province_raw", "code", "value", "rank", "row",
                                            "column"]).astype(
        {"province_key": "string", "province_raw": "string", "code": "string", "value": "float64", "rank": "Int64",
         "row": "int64", "column": "string"})
    where = ", ".join(f"{k}={column_letter(c)}" for k, c in cols.items())
    layout_vi = "mỗi tỉnh một dòng" if summary.layout == "wide" else "danh sách xếp hạng theo từng chỉ số"
    head_rows = ", ".join(str(i + 1) for i in table.header_rows)
    notes.insert(0, _Note(
        f"bảng tổng hợp ({layout_vi}), tiêu đề ở dòng {head_rows}; {len(keys)} tỉnh; cột: {where}; {rank_note.vi}",
        f"summary table ({summary.layout}), header on row(s) {head_rows}; {len(keys)} provinces; "
        f"columns: {where}; {rank_note.en}", sheet))
    if table.end_note is not None:
        notes.insert(1, _Note(
            f"bảng kết thúc ở dòng trống {table.end_note + 1}; các dòng sau đó (trung vị, lặp lại, ...) không đọc",
            f"the table ends at blank row {table.end_note + 1}; rows after it (median, repeats, ...) are not read",
            sheet))
    return scores, [], notes


_INDICATOR_COLUMNS = ["province_key", "subindex", "indicator_code", "label", "value"]


def _codes_row(table: Table, sub_col: int, cols: list[int]) -> tuple[dict[int, str], int | None]:
    """Variable codes per indicator column from a row of codes under the labels, if any.

    Some workbooks (2011, 2012) shift that row left of the labels; the ``subN_...`` code
    names the sub-index column, which gives the shift.
    """
    rows = table.sheet.rows
    for i in reversed(table.header_rows):
        row = rows[i]
        anchors = [j for j, v in enumerate(row) if isinstance(v, str) and SUBCODE_RE.match(v.strip())]
        shift = sub_col - anchors[0] if anchors else 0
        codes = {}
        for c in cols:
            j = c - shift
            cell = row[j] if 0 <= j < len(row) else ""
            codes[c] = cell.strip() if isinstance(cell, str) else ""
        filled = [v for v in codes.values() if v]
        if filled and all(CODE_RE.match(v) for v in filled) and (anchors or len(filled) == len(cols)):
            return codes, i
    return {}, None


def _subindex_column(table: Table) -> int | None:
    """The sub-index score column of an indicator sheet: first one named like it, after the province."""
    p = table.province_cols[0]
    for c in sorted(table.headers):
        texts = table.headers[c]
        if c > p and any(normalize_name(t).startswith(("subindex", "chisothanhphan", "chiso"))
                         or SUBCODE_RE.match(t) for t in texts):
            return c
    return None


def _read_indicator_sheet(
    sheet: Sheet, matcher: ProvinceMatcher, summary_values: dict[str, dict[str, float | None]],
) -> tuple[list[tuple[str, str, str, str, float]], list[Problem], list[_Note]]:
    """Indicator values of one sub-index sheet as (province, sub-index, code, label, value)."""
    table = find_table(sheet, matcher)
    if table is None:
        return [], [], [_Note("không có bảng tỉnh; bỏ qua", "no province table; skipped", sheet.name)]
    if len(table.province_cols) != 1:
        return [], [], [_Note("chỉ tiêu xếp theo từng cột (danh sách xếp hạng); chưa đọc",
                              "indicators in ranked-list layout; not read", sheet.name)]
    sub_col = _subindex_column(table)
    subindex = subindex_of(sheet.name) or (classify_column(table.headers[sub_col]) if sub_col else None)
    if sub_col is None or subindex not in SUBINDEX_NAMES:
        return [], [], [_Note("không có cột điểm chỉ số thành phần ở đầu bảng; bỏ qua",
                              "no sub-index score column before the indicators; skipped", sheet.name)]
    assert subindex is not None
    problems: list[Problem] = []
    seen: set[tuple[int, int]] = set()
    # The sheet's own sub-index scores must agree with the summary, else its rows are not
    # trustworthy (PCI 2013 "Legal institutions" lists the scores of other provinces).
    own = _read_column(table, sub_col, matcher, problems, seen).values
    summary = summary_values.get(subindex, {})
    differs = [matcher.name_vi(k) for k, v in own.items()
               if v is not None and (s := summary.get(k)) is not None and abs(v - s) > 5e-4]
    if len(differs) > 0.1 * max(len(own), 1):
        return [], problems, [_Note(
            f"điểm ở cột {table.column_label(sub_col)} khác bảng tổng hợp ở {len(differs)}/{len(own)} tỉnh "
            f"(ví dụ {', '.join(differs[:3])}): dòng có thể bị lệch, không đọc chỉ tiêu của trang này",
            f"scores in column {table.column_label(sub_col)} differ from the summary for {len(differs)}/{len(own)} "
            f"provinces (e.g. {', '.join(differs[:3])}): rows may be misaligned, indicators not read", sheet.name)]
    notes = [_Note(
        f"điểm ở cột {table.column_label(sub_col)} khác bảng tổng hợp ở: {', '.join(differs)}",
        f"scores in column {table.column_label(sub_col)} differ from the summary for: {', '.join(differs)}",
        sheet.name)] if differs else []
    width = max(len(sheet.rows[r]) for r in table.data_rows)
    cols = [c for c in range(sub_col + 1, width)
            if c in table.headers and any(parse_number(table.cell(r, c))[0] is not None for r in table.data_rows)]
    codes, code_row = _codes_row(table, sub_col, cols)
    records: list[tuple[str, str, str, str, float]] = []
    used: set[str] = set()
    for n, c in enumerate(cols, start=1):
        code = codes.get(c) or f"{subindex}_{n}"
        while code in used:
            code += "_b"
        used.add(code)
        texts = [cell_text(sheet.rows[i][c]) or "" for i in table.header_rows
                 if i != code_row and c < len(sheet.rows[i]) and not is_blank(sheet.rows[i][c])]
        label = texts[0] if texts else code
        cells = _read_column(table, c, matcher, problems, seen)
        records.extend((k, subindex, code, label, v) for k, v in cells.values.items() if v is not None)
    from_vi = f"mã biến ở dòng {code_row + 1}" if code_row is not None else f"mã đặt theo thứ tự {subindex}_1, ..."
    from_en = (f"variable codes from row {code_row + 1}" if code_row is not None
               else f"codes {subindex}_1, ... by column order")
    notes.append(_Note(f"{len(cols)} chỉ tiêu của {subindex}; {from_vi}",
                       f"{len(cols)} indicators of {subindex}; {from_en}", sheet.name))
    return records, problems, notes


def read_vcci_workbook(
    path_or_bytes: str | os.PathLike[str] | bytes | IO[bytes],
    *,
    file_name: str | None = None,
    year: int | None = None,
    sheets: list[Sheet] | None = None,
) -> VcciResult:
    """Read one VCCI PCI workbook; raise ``InputError`` listing every problem found. ``sheets``: what
    python-calamine already read of the same bytes (the workbook is then not read a second time).

    >>> try:
    ...     read_vcci_workbook(b"year,province,pci", file_name="pci_2017.xlsx")
    ... except InputError as err:
    ...     print(err.problems[0].code)
    not_workbook
    """
    # Load inputs.
    data, own_name = _read_bytes(path_or_bytes)
    file_name = file_name or own_name
    sheets, load_notes = _load_sheets(data, file_name, sheets)
    untrusted = untrusted_cells(data)
    for sheet in sheets:
        sheet.untrusted = untrusted.get(sheet.name, {})
    matcher = _matcher()

    # Process data: find the summary sheet, then the year, then read scores and indicators.
    tables = {s.name: find_table(s, matcher) for s in sheets}
    candidates = [c for s in sheets if (t := tables[s.name]) and (c := _summary_candidate(t))]
    if not candidates:
        raise InputError(_no_summary_problems(sheets, tables))
    file_year = year_from_file_name(file_name)
    summary, found_year, choose_notes = _choose_summary(candidates, year, file_year)
    if found_year is None:
        raise InputError([problem(
            "year_unknown",
            "năm của bảng PCI: nhập năm (ví dụ 2017) hoặc đặt tên tệp có năm, ví dụ pci_2017.xlsx",
            "the PCI year: enter it (e.g. 2017) or name the file with its year, e.g. pci_2017.xlsx",
            sheet=summary.table.sheet.name, found=file_name)])
    if year is None and file_year is not None and summary.year_hint not in (None, file_year):
        choose_notes.append(_Note(
            f"tên tệp ghi năm {file_year} nhưng nội dung ghi PCI {found_year}; dùng {found_year}",
            f"the file name says {file_year} but the content says PCI {found_year}; {found_year} is used"))
    scores, problems, notes = _read_scores(summary, found_year, matcher)
    if problems:
        raise InputError(problems)
    summaries = {c.table.sheet.name for c in candidates}
    indicator_sheets = [s for s in sheets if s.name not in summaries and s.rows]
    indicators, sheet_of, problems, indicator_notes = _read_indicators(indicator_sheets, scores, matcher)
    if problems:
        raise InputError(problems)
    notes.extend(indicator_notes)

    # Save outputs.
    all_notes = load_notes + notes[:1] + choose_notes + notes[1:]
    return VcciResult(
        year=found_year, scores=scores, indicators=indicators,
        notices=[n.text("vi") for n in all_notes], sheet_used=summary.table.sheet.name,
        layout=summary.layout, notices_en=[n.text("en") for n in all_notes], indicator_sheets=sheet_of,
        rank_source="official" if notes and "official rank from column" in notes[0].en else "computed")


def _read_indicators(
    sheets: list[Sheet], scores: pd.DataFrame, matcher: ProvinceMatcher,
) -> tuple[pd.DataFrame, dict[str, str], list[Problem], list[_Note]]:
    """Indicators of every sub-index sheet, the sheet of each sub-index, problems and notes."""
    summary_values: dict[str, dict[str, float | None]] = {
        str(code): dict(zip(group.province_key, group.value, strict=True))
        for code, group in scores.groupby("code")}
    records: list[tuple[str, str, str, str, float]] = []
    problems: list[Problem] = []
    notes: list[_Note] = []
    sheet_of: dict[str, str] = {}
    for sheet in sheets:
        recs, sheet_problems, sheet_notes = _read_indicator_sheet(sheet, matcher, summary_values)
        problems.extend(sheet_problems)
        notes.extend(sheet_notes)
        records.extend(recs)
        if recs:
            sheet_of.setdefault(recs[0][1], sheet.name)
    indicators = pd.DataFrame(records, columns=_INDICATOR_COLUMNS).astype(
        {"province_key": "string", "subindex": "string", "indicator_code": "string",
         "label": "string", "value": "float64"})
    return indicators, sheet_of, problems, notes


def _no_summary_problems(sheets: list[Sheet], tables: dict[str, Table | None]) -> list[Problem]:
    """Explain why no sheet qualified, using the sheet that came closest."""
    best: tuple[int, Table] | None = None
    for s in sheets:
        t = tables[s.name]
        if t is None:
            continue
        kinds = {classify_column(v) for c, v in t.headers.items() if c not in t.province_cols}
        n = len(kinds & set(SUBINDEX_NAMES)) + (2 if COMPOSITE in kinds else 0)
        if best is None or n > best[0]:
            best = (n, t)
    if best is None:
        return [problem(
            "no_summary_sheet",
            "một trang tính có cột tên tỉnh, cột PCI có trọng số và các cột chỉ số thành phần",
            "a sheet with a province column, a weighted PCI column and the sub-index columns",
            found=", ".join(s.name for s in sheets) or None)]
    t = best[1]
    kinds = {classify_column(v) for c, v in t.headers.items() if c not in t.province_cols}
    row = t.header_rows[-1] + 1 if t.header_rows else None
    out = []
    if COMPOSITE not in kinds:
        out.append(problem(
            "missing_composite", 'một cột "PCI có trọng số" / "Weighted PCI" trong dòng tiêu đề',
            'a "Weighted PCI" / "PCI có trọng số" column in the header row', sheet=t.sheet.name, row=row))
    missing = [c for c in SUBINDEX_CODES if c not in kinds]
    if len(missing) > 7:
        out.append(problem(
            "missing_subindex", "các cột chỉ số thành phần (Gia nhập thị trường, Tiếp cận đất đai, ...)",
            "the sub-index columns (Entry costs, Land access, ...)", sheet=t.sheet.name, row=row))
    return out or [problem(
        "no_summary_sheet", "một trang tính tổng hợp PCI", "a PCI summary sheet", sheet=t.sheet.name)]


@functools.cache
def _matcher() -> ProvinceMatcher:
    return ProvinceMatcher.from_seed()
