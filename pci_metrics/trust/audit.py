"""The audit log as people read it (admin page, CLI export), exported inert (see :mod:`exports`).

Every write in the app adds an audit line (``audit_db.write_audit``): who, when, action, table,
key, old → new as JSON, and the import batch. This module filters it and writes it to CSV or XLSX
so that text from files and forms can never act as a spreadsheet formula: in XLSX every text
cell is a plain string with Excel's "quote prefix" (the cell shows ``=HYPERLINK(...)`` literally
and never evaluates it); in CSV, which has no cell types, text starting with ``= + - @`` (or a tab
or carriage return) is prefixed with an apostrophe, as OWASP recommends.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from pci_metrics.base.exports import to_csv_bytes, to_xlsx_bytes
from pci_metrics.base.i18n import CATALOG, t
from pci_metrics.store import audit_db, batches_db

COLUMNS = ["audit_id", "at_time", "user_name", "action", "table_name", "key_json", "old_json", "new_json",
           "batch_id"]


def audit_log(con: duckdb.DuckDBPyConnection, *, user_name: str | None = None, action: str | None = None,
              table_name: str | None = None, batch_id: int | None = None, days: int | None = None,
              now: datetime | None = None, limit: int | None = None) -> pd.DataFrame:
    """Audit lines matching every given filter (None = any), newest first.

    ``days=7`` keeps the last seven days before ``now`` (default: the clock).
    """
    since = None if days is None else (now or datetime.now()) - timedelta(days=days)
    frame = audit_db.load_audit_view(con, user_name=user_name, action=action, table_name=table_name,
                                    batch_id=batch_id, since=since, limit=limit)
    return frame[COLUMNS]


def filtered(con: duckdb.DuckDBPyConnection, user_name: str | None, action: str | None,
             table_name: str | None, batch_id: int | None, days: int | None) -> pd.DataFrame:
    """:func:`audit_log` with positional filters (the admin page's cached loader)."""
    return audit_log(con, user_name=user_name, action=action, table_name=table_name, batch_id=batch_id,
                     days=days)


def filter_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Users, actions and tables that occur in the log (the filters' options)."""
    return audit_db.audit_choices(con)


def batch_rows(con: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """Row by row, what one import batch changed: table, key, old → new (empty for an unknown batch)."""
    return batches_db.load_batch_changes(con, batch_id)[["seq", "table_name", "key_json", "old_json", "new_json"]]


def labelled(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The same table with column headers in a language.

    >>> list(labelled(pd.DataFrame(columns=["user_name", "old_json"]), "en").columns)
    ['User', 'Old value']
    """
    return frame.rename(columns={c: t(f"trust_col_{c}", lang) for c in frame.columns if f"trust_col_{c}" in CATALOG})


def export(con: duckdb.DuckDBPyConnection, file: str | os.PathLike[str], lang: str = "vi") -> int:
    """Write the whole audit log to ``file`` (.csv or .xlsx, chosen by the name); returns the line count."""
    path = Path(file)
    kind = path.suffix.lower()
    if kind not in (".csv", ".xlsx"):
        raise ValueError(t("trust_err_export_kind", "vi", file=str(path)) + " / "
                         + t("trust_err_export_kind", "en", file=str(path)))
    frame = labelled(audit_log(con), lang)
    data = to_csv_bytes(frame) if kind == ".csv" else to_xlsx_bytes(frame, t("trust_audit_title", lang))
    tmp = path.with_name(path.name + ".partial")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return len(frame)
