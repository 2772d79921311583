"""A workbook's cells, read once with python-calamine: the one reader the template and VCCI paths share.

Each sheet comes back whole, as written (empty cells are ``""``, trailing empty rows and columns
kept), with whether it is visible; each caller trims or frames the rows the way its layout needs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import python_calamine


@dataclass
class Sheet:
    """One worksheet: its name, its rows of cells (``rows[i][j]`` is Excel row i+1, column j+1) and
    whether it is visible; ``untrusted`` holds the cells that read as empty but are not (formulas
    without a saved result, error values), found by :func:`pci_metrics.imports.sniff.untrusted_cells`."""

    name: str
    rows: list[list[Any]]
    visible: bool = True
    untrusted: dict[tuple[int, int], Any] = field(default_factory=dict)  # (row, column) -> sniff.UntrustedCell


def calamine_sheets(data: bytes) -> list[Sheet]:
    """Every sheet of an .xlsx, .xls or .ods workbook held in memory; raises what calamine raises
    for bytes it cannot open.

    >>> calamine_sheets(b"not a workbook")
    Traceback (most recent call last):
    ...
    python_calamine.CalamineError: Cannot detect file format
    """
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [Sheet(meta.name, wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False),
                  str(meta.visible).endswith("Visible"))
            for meta in wb.sheets_metadata]
