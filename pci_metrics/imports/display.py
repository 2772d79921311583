"""Tables and lines of an import for people: problems, changes and batches in the user's language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from pci_metrics.base.cells import is_blank
from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.base.problems import Problem
from pci_metrics.imports.commit import BATCH_COLUMNS
from pci_metrics.imports.diff import TABLE_ORDER, Preview
from pci_metrics.imports.naming import Names
from pci_metrics.store import storage


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


RECORD_COLUMNS = ("ingest_col_table", "ingest_col_status", "ingest_col_record", "ingest_col_fields",
                  "ingest_col_published", "ingest_col_where")


def _where(sheet: Any, row: Any) -> str:
    """Where a record is in the file: its sheet and row, as far as they are known."""
    return ", ".join(x for x in (None if is_blank(sheet) else str(sheet), None if is_blank(row) else f"{int(row)}") if x)


def changes_frame(preview: Preview, names: Names, lang: str = "vi", limit: int = 2000) -> pd.DataFrame:
    """One row per record added or changed, in words: the table, the record (provinces, measures,
    tasks… by name), its fields side by side (old → new), whether a published figure changes, and
    where it is in the file; changed and published records first.

    Example: Hải Phòng 2019 composite 68.7326 → 70 gives the row (Điểm, thay đổi, "Hải Phòng · 2019 ·
    Điểm tổng hợp", "Giá trị: 68,7326 → 70", published ✓, "Điểm, 4").
    """
    records: dict[tuple[str, str], dict[str, Any]] = {}
    for r in storage.records(preview.changes):
        rec = records.setdefault((r.table, r.key), {"table": r.table, "status": r.status, "keys": r.key_values,
                                                    "fields": [], "published": False, "where": _where(r.sheet, r.row)})
        new = names.value(r.column, r.new_value, lang)
        change = f"{names.value(r.column, r.old_value, lang)} → {new}" if r.status == "changed" else new
        rec["fields"].append(f"{names.field(r.column, lang)}: {change}")
        rec["published"] = rec["published"] or (r.status == "changed" and bool(r.published))
    order = {name: i for i, name in enumerate(TABLE_ORDER)}
    rows = sorted(records.values(), key=lambda x: (x["status"] != "changed", not x["published"], order[x["table"]]))
    rows = rows[:limit]
    return pd.DataFrame({
        t("ingest_col_table", lang): [t(f"ingest_tbl_{x['table']}", lang) for x in rows],
        t("ingest_col_status", lang): [t(f"ingest_status_{x['status']}", lang) for x in rows],
        t("ingest_col_record", lang): [names.record(x["table"], x["keys"], lang) for x in rows],
        t("ingest_col_fields", lang): ["; ".join(x["fields"]) for x in rows],
        t("ingest_col_published", lang): [x["published"] for x in rows],
        t("ingest_col_where", lang): [x["where"] for x in rows]}, columns=[t(k, lang) for k in RECORD_COLUMNS])


def more_records_note(preview: Preview, shown: int, lang: str = "vi") -> str | None:
    """What the table leaves out when a file adds or changes more records than it lists.

    >>> p = Preview(None, {}, pd.DataFrame(), {"score": {"added": 9000, "changed": 0, "unchanged": 0}})
    >>> more_records_note(p, 2000, "en")
    'The table lists 2,000 of the 9,000 records added or changed.'
    """
    n = preview.added + preview.changed
    return t("ingest_more_records", lang, shown=fmt_num(shown, lang, 0), n=fmt_num(n, lang, 0)) if n > shown else None


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
