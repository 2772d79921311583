"""Imported once by the file-reading forkserver (:mod:`pci_metrics.imports.sandbox`): reads three tiny files
(a template, a workbook of another layout, a CSV) so that what the readers import or compile on first
use is done there, once, and every worker forked from it starts warm instead of paying that cost on
each upload (VCCI 2017 workbook in the worker: ~0.30 s cold, ~0.20 s warm)."""

from __future__ import annotations

import io

import openpyxl

# The workers' entry point (ingest.read_and_validate) and everything it imports, loaded once here
# instead of in every worker forked for an upload.
from pci_metrics.imports import ingest  # noqa: F401
from pci_metrics.imports.read import read_file


def _workbook(sheet: str, rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def warm_up() -> None:
    """Read the three files; a failure here only means a colder start, never a refused upload."""
    try:
        read_file(_workbook("Điểm", [["Năm", "Tỉnh/thành", "Mã chỉ số", "Giá trị", "Hạng", "Nguồn"],
                                     [2024, "Hải Phòng", "composite", "6,8", 1, "khởi động"]]), "mau.xlsx")
        read_file(_workbook("Summary", [["Province", "PCI 2017", "Rank"], ["Hai Phong", 63.67, 13]]),
                  "pci_2017.xlsx")
        read_file(b"year,entity_key,code,value,rank,source\n2024,haiphong,composite,68.2,1,x\n", "x.csv")
    except Exception:  # noqa: BLE001 - see the docstring
        pass


warm_up()
