"""Tables written for people to open in Excel (chart downloads, the scores export, the audit log,
report annexes), such that text from files and forms can never act as a spreadsheet formula.

In XLSX every text cell is a plain string; text that starts like a formula also gets Excel's "quote
prefix", so the cell shows ``=HYPERLINK(...)`` literally and stays text when someone edits it. CSV
has no cell types, so text starting with ``= + - @`` (or a tab or carriage return) is prefixed with
an apostrophe, as OWASP recommends. Empty text stays empty.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from pci_metrics.base.cells import is_blank

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """Text that a spreadsheet would evaluate.

    >>> is_formula_like("=1+1"), is_formula_like("ok"), is_formula_like(3), is_formula_like("")
    (True, False, False, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def inert(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not evaluate: risky text gets a leading apostrophe.

    >>> inert('=HYPERLINK("http://x")'), inert("-1"), inert("Hồng Bàng"), inert(3.5), inert("")
    ('\\'=HYPERLINK("http://x")', "'-1", 'Hồng Bàng', 3.5, '')
    """
    return "'" + value if is_formula_like(value) else value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with BOM (Excel reads Vietnamese correctly), every text cell inert.

    >>> to_csv_bytes(pd.DataFrame({"a": ["=1+1", ""]})).decode("utf-8-sig").splitlines()
    ['a', "'=1+1", '""']
    """
    safe = frame.astype(object).map(inert) if not frame.empty else frame
    return safe.to_csv(index=False).encode("utf-8-sig")


def _cell(value: Any) -> Any:
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()  # numpy scalar -> python
    return value


def mark_text(cell: Any) -> None:
    """Make an openpyxl cell holding text a plain string that Excel never evaluates."""
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if is_formula_like(cell.value):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited


def write_sheet(ws: Any, frame: pd.DataFrame, first_row: int = 1) -> None:
    """Header and rows of ``frame`` into a worksheet from ``first_row``, every text cell inert."""
    for c, name in enumerate(frame.columns, start=1):
        ws.cell(row=first_row, column=c, value=str(name)).data_type = "s"
    for r, row in enumerate(frame.itertuples(index=False), start=first_row + 1):
        for c, raw in enumerate(row, start=1):
            value = _cell(raw)
            mark_text(ws.cell(row=r, column=c, value=value))
    for c, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(10, len(str(name)) + 2))


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """XLSX bytes where every text cell is a plain string (never a formula), shown exactly as stored.

    >>> ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"a": ["=1+1"]})))).active
    >>> ws["A2"].value, ws["A2"].data_type
    ('=1+1', 's')
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    write_sheet(ws, frame)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_table(frame: pd.DataFrame, file: str | os.PathLike[str], sheet: str = "data") -> str:
    """Write ``frame`` to a .csv or .xlsx file (by its suffix), inert; returns the suffix, or raises
    ValueError for any other suffix."""
    kind = Path(file).suffix.lower()
    if kind not in (".csv", ".xlsx"):
        raise ValueError(kind)
    Path(file).write_bytes(to_csv_bytes(frame) if kind == ".csv" else to_xlsx_bytes(frame, sheet))
    return kind
