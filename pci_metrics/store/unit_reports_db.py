"""Units reporting their own tasks: who belongs to which unit (and with which unit role), a task
report's life (draft, submitted, accepted, returned with a comment) and its evidence files.

Every write runs inside the caller's transaction and writes one audit_log line (old -> new as JSON).
Evidence files are kept in the database (``report_file.content``), so a backup and a restore keep them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.store.audit_db import as_json, jsonable, write_audit
from pci_metrics.store.storage import read_frame

LIFE_FIELDS = ("state", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "review_comment", "on_behalf")
DRAFT_FIELDS = ("unit_key", "status", "progress", "outcome", "evidence")
FILE_COLUMNS = "file_id, task_id, period, file_name, media_type, size, sha256, added_by, added_at"


def load_memberships(con: duckdb.DuckDBPyConnection, user_name: str | None = None) -> pd.DataFrame:
    """Memberships (user, unit, unit role), of one user or of everyone."""
    if user_name is None:
        return read_frame(con, "SELECT * FROM unit_member ORDER BY unit_key, user_name")
    return read_frame(con, "SELECT * FROM unit_member WHERE user_name = ? ORDER BY unit_key", [user_name])


def set_membership(con: duckdb.DuckDBPyConnection, user_name: str, unit_key: str, unit_role: str | None, *,
                   by: str) -> bool:
    """Add, change (``unit_role``) or end (None) a user's membership of a unit; audited; False if unchanged."""
    old_df = read_frame(con, "SELECT unit_role FROM unit_member WHERE user_name = ? AND unit_key = ?",
                        [user_name, unit_key])
    old = None if old_df.empty else str(old_df.iloc[0]["unit_role"])
    if old == unit_role:
        return False
    con.execute("DELETE FROM unit_member WHERE user_name = ? AND unit_key = ?", [user_name, unit_key])
    if unit_role is not None:
        con.execute("INSERT INTO unit_member VALUES (?, ?, ?, ?, ?)",
                    [user_name, unit_key, unit_role, by, datetime.now().replace(microsecond=0)])
    write_audit(con, by, "unit_member.set", "unit_member", as_json({"user_name": user_name, "unit_key": unit_key}),
                as_json({"unit_role": old}), as_json({"unit_role": unit_role}), None)
    return True


def load_report(con: duckdb.DuckDBPyConnection, task_id: str, period: str) -> dict[str, Any] | None:
    """One task report (any state) as a dict, or None."""
    frame = read_frame(con, "SELECT * FROM task_report WHERE task_id = ? AND period = ?", [task_id, period])
    return None if frame.empty else {k: jsonable(v) for k, v in frame.iloc[0].to_dict().items()}


def write_report(con: duckdb.DuckDBPyConnection, task_id: str, period: str, values: dict[str, Any], *,
                 user: str, action: str) -> None:
    """Create or change one task report's fields (``DRAFT_FIELDS`` and ``LIFE_FIELDS``); one audit line
    named ``action`` with the fields that changed, old -> new."""
    allowed = set(DRAFT_FIELDS) | set(LIFE_FIELDS)
    bad = set(values) - allowed
    if bad:
        raise ValueError(f"not a report field: {sorted(bad)}")
    old = load_report(con, task_id, period)
    if old is None:
        con.execute("INSERT INTO task_report (task_id, period, status, state, reported_by, reported_at) "
                    "VALUES (?, ?, ?, 'draft', ?, ?)",
                    [task_id, period, values.get("status") or "chua_thuc_hien", user,
                     datetime.now().replace(microsecond=0)])
    for column in sorted(values):  # column names come from DRAFT_FIELDS and LIFE_FIELDS, never from input
        con.execute(f'UPDATE task_report SET "{column}" = ? WHERE task_id = ? AND period = ?',
                    [values[column], task_id, period])
    before = {c: None if old is None else old.get(c) for c in values}
    write_audit(con, user, action, "task_report", as_json({"task_id": task_id, "period": period}),
                None if old is None else as_json(before), as_json({c: jsonable(v) for c, v in values.items()}), None)


def add_file(con: duckdb.DuckDBPyConnection, task_id: str, period: str, file_name: str, media_type: str,
             content: bytes, sha256: str, *, user: str) -> int:
    """Keep one evidence file of a report; returns its id; audited (name, type, size, checksum)."""
    row = con.execute("SELECT coalesce(max(file_id), 0) + 1 FROM report_file").fetchone()
    file_id = int(row[0]) if row else 1
    con.execute("INSERT INTO report_file VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [file_id, task_id, period, file_name, media_type, len(content), sha256, content, user,
                 datetime.now().replace(microsecond=0)])
    write_audit(con, user, "report_file.add", "report_file", as_json({"file_id": file_id}), None,
                as_json({"task_id": task_id, "period": period, "file_name": file_name, "media_type": media_type,
                         "size": len(content), "sha256": sha256}), None)
    return file_id


def load_files(con: duckdb.DuckDBPyConnection, task_id: str | None = None, period: str | None = None) -> pd.DataFrame:
    """Evidence files' descriptions (not their content), of one report or of all."""
    if task_id is None:
        return read_frame(con, f"SELECT {FILE_COLUMNS} FROM report_file ORDER BY file_id")
    return read_frame(con, f"SELECT {FILE_COLUMNS} FROM report_file WHERE task_id = ? AND period = ? "
                           "ORDER BY file_id", [task_id, period])


def file_content(con: duckdb.DuckDBPyConnection, file_id: int) -> bytes | None:
    """One evidence file's bytes, exactly as they were given."""
    row = con.execute("SELECT content FROM report_file WHERE file_id = ?", [file_id]).fetchone()
    return None if row is None else bytes(row[0])
