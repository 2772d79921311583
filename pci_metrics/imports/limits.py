"""What an import accepts (file size, rows, years, text lengths) and how a refusal is worded.

Every check of the import pipeline words what it found and what it expected as a
:class:`~pci_metrics.base.problems.Problem`; :func:`problem` is that one wording, so a refusal reads
the same whether it comes from the file check, the reader, the validation or the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pci_metrics.base.problems import Problem
from pci_metrics.domain import consistency, measures

# Limits (README "Importing data")
MAX_BYTES = 20 * 1024 * 1024  # also .streamlit/config.toml server.maxUploadSize
MAX_ROWS = 200_000  # data rows per file, all sheets together
MAX_UNCOMPRESSED = 300 * 1024 * 1024  # total size of a workbook's zip entries once unpacked
MAX_RATIO = 100  # unpacked / packed size of one zip entry above 10 MB
MAX_SHEET_CELLS = 5_000_000  # rows × columns a worksheet may declare (a reader allocates them all)
MAX_PROBLEMS = 500  # problems listed; the rest are counted
MAX_ADDED_LINES = 5000  # added rows listed cell by cell in a preview, per table (all are counted)
YEAR_MIN = 2005
TOLERANCE = consistency.TOLERANCE  # values equal to 4 decimals are unchanged (the reference CSV has 4 decimals)
COMPOSITE = measures.COMPOSITE  # the measure code of the weighted PCI itself

KIND_VCCI, KIND_TEMPLATE, KIND_CSV, KIND_FORM = "vcci", "template", "csv", "form"


def problem(code: str, vi: str, en: str, *, sheet: str | None = None, row: int | None = None,
            column: str | None = None, found: Any = None, notice: bool = False) -> Problem:
    """A problem of an import: what was expected (Vietnamese, English), where, and the value found
    (cut to 80 characters); an error unless ``notice``.

    >>> problem("empty", "một tệp có dữ liệu", "a file with data", found="x" * 100).found[-5:]
    'xx...'
    """
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


def too_large(file_name: str, size: int) -> Problem:
    """The problem of a file over the size limit.

    >>> too_large("x.xlsx", 30 * 1024 * 1024).expected_en
    'a file of at most 20 MB (this one is 30.0 MB)'
    """
    mb = size / 1024 / 1024
    return problem("too_large", f"tệp không quá {MAX_BYTES // 1024 // 1024} MB (tệp này {mb:.1f} MB)",
                   f"a file of at most {MAX_BYTES // 1024 // 1024} MB (this one is {mb:.1f} MB)", found=file_name)
