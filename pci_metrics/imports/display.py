"""Tables and lines of an import for people: problems, changes and batches in the user's language."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pci_metrics.base.cells import is_blank
from pci_metrics.base.i18n import t
from pci_metrics.base.problems import Problem
from pci_metrics.imports.commit import BATCH_COLUMNS
from pci_metrics.imports.diff import TABLE_ORDER, Preview


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


def batch_label(batches: pd.DataFrame, batch_id: int) -> str:
    """A batch as one line for a picker: number, file, time.

    >>> batch_label(pd.DataFrame({"batch_id": [3], "file_name": ["pci_2018.xlsx"], "created_at": ["2026-11-27 22:35:24"]}), 3)
    '#3 · pci_2018.xlsx · 2026-11-27 22:35'
    """
    row = batches[batches["batch_id"] == batch_id].iloc[0]
    return f"#{batch_id} · {row['file_name']} · {str(row['created_at'])[:16]}"
