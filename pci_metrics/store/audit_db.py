"""The audit log: one line for every write (who, when, action, table, key, old -> new as JSON),
and the JSON those lines hold."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.store.storage import read_frame


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: None for every kind of missing, ISO text for dates and times.

    >>> jsonable(float("nan")), jsonable(pd.Timestamp("2026-01-02")), jsonable(3)
    (None, '2026-01-02T00:00:00', 3)
    """
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def as_json(row: dict[str, Any] | None) -> str | None:
    """A row as the JSON text an audit line holds (keys sorted), or None."""
    if row is None:
        return None
    return json.dumps({k: jsonable(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True)


def same_value(a: Any, b: Any) -> bool:
    """True when two stored values are the same (numbers within 1e-9).

    >>> same_value(1, 1.0000000001), same_value("a", None)
    (True, False)
    """
    a, b = jsonable(a), jsonable(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    return bool(a == b)


def write_audit(con: duckdb.DuckDBPyConnection, user_name: str, action: str, table_name: str | None,
                key_json: str | None, old_json: str | None, new_json: str | None,
                batch_id: int | None) -> None:
    """Append one line to the audit log (inside the caller's transaction)."""
    con.execute(
        """INSERT INTO audit_log VALUES (
             (SELECT coalesce(max(audit_id), 0) + 1 FROM audit_log), now(), ?, ?, ?, ?, ?, ?, ?)""",
        [user_name, action, table_name, key_json, old_json, new_json, batch_id])


def load_audit(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The audit log, newest first."""
    return read_frame(con, "SELECT * FROM audit_log ORDER BY audit_id DESC")


def load_audit_view(con: duckdb.DuckDBPyConnection, *, user_name: str | None = None,
                    action: str | None = None, table_name: str | None = None,
                    batch_id: int | None = None, since: Any = None, until: Any = None,
                    limit: int | None = None) -> pd.DataFrame:
    """The audit log filtered as asked (None = any), newest first; ``until`` is exclusive."""
    frame = read_frame(con, """SELECT * FROM audit_log
        WHERE (?::VARCHAR IS NULL OR user_name = ?) AND (?::VARCHAR IS NULL OR action = ?)
          AND (?::VARCHAR IS NULL OR table_name = ?) AND (?::INTEGER IS NULL OR batch_id = ?)
          AND (?::TIMESTAMP IS NULL OR at_time >= ?) AND (?::TIMESTAMP IS NULL OR at_time < ?)
        ORDER BY audit_id DESC LIMIT coalesce(?::BIGINT, 9223372036854775807)""",
        [user_name, user_name, action, action, table_name, table_name, batch_id, batch_id,
         since, since, until, until, limit])
    return frame


def audit_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Distinct users, actions and tables in the audit log (for filters)."""
    out: dict[str, list[str]] = {}
    for col in ("user_name", "action", "table_name"):
        rows = con.execute(f"SELECT DISTINCT {col} FROM audit_log WHERE {col} IS NOT NULL ORDER BY 1").fetchall()
        out[col] = [str(r[0]) for r in rows]
    return out
