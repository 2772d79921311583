"""The plan's tasks: units, tasks, who leads and supports them, reports, and the reporting calendar.

Writes of the Tasks page's editor (and usable by imports) run inside the caller's transaction and
write one audit_log line per row they change (old -> new as JSON).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.store.audit_db import as_json, jsonable, same_value, write_audit
from pci_metrics.store.storage import read_frame
from pci_metrics.store.tables_db import append_rows

TASK_EDITABLE = ("deadline", "product_vi", "authority_vi", "title_vi")
RETIRABLE = {"task": "task_id", "unit": "unit_key"}  # table -> its key column


_FILED_FIELDS = ("state", "on_behalf", "submitted_by", "submitted_at")
_TASK_REPORT_FIELDS = ("unit_key", "status", "progress", "outcome", "evidence", "reported_by", "reported_at")


def load_units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Responsible units."""
    return read_frame(con, "SELECT * FROM unit ORDER BY is_focal DESC, unit_key")


def load_tasks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Tasks of every plan."""
    return read_frame(con, "SELECT * FROM task ORDER BY task_id")


def load_task_units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Which unit leads or supports which task."""
    return read_frame(con, "SELECT * FROM task_unit ORDER BY task_id, role, unit_key")


def load_task_reports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every task report (period, status, progress, outcome, evidence)."""
    return read_frame(con, "SELECT * FROM task_report ORDER BY task_id, period")


def load_calendar(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The plan's reporting calendar."""
    return read_frame(con, "SELECT * FROM report_calendar ORDER BY month, day")


def tasks_upsert_reports(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, *, user: str,
                         batch_id: int | None = None) -> dict[str, int]:
    """Insert or replace task reports keyed by (task_id, period); returns added/changed/unchanged.

    Blank ``reported_by``/``reported_at`` become the user and now. Runs in the caller's transaction.
    """
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for rec in frame.to_dict("records"):
        key = [str(rec["task_id"]), str(rec["period"])]
        old_df = read_frame(con, "SELECT * FROM task_report WHERE task_id = ? AND period = ?", key)
        old = None if old_df.empty else old_df.iloc[0].to_dict()
        new = {f: jsonable(rec.get(f)) for f in _TASK_REPORT_FIELDS}
        new["reported_by"] = new["reported_by"] or user
        if old is not None and all(same_value(old.get(f), new[f]) for f in _TASK_REPORT_FIELDS
                                   if f not in ("reported_by", "reported_at")):
            counts["unchanged"] += 1
            continue
        new["reported_at"] = new["reported_at"] or pd.Timestamp.now().floor("s").isoformat()
        con.execute("DELETE FROM task_report WHERE task_id = ? AND period = ?", key)
        con.execute(
            """INSERT INTO task_report (task_id, period, unit_key, status, progress, outcome, evidence,
                                        reported_by, reported_at, batch_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)""",
            [*key, *(new[f] for f in _TASK_REPORT_FIELDS), batch_id])
        if all(f in rec for f in _FILED_FIELDS):  # filed on the unit's behalf: waits for the focal office
            con.execute("""UPDATE task_report SET state = ?, on_behalf = ?, submitted_by = ?,
                                  submitted_at = CAST(? AS TIMESTAMP) WHERE task_id = ? AND period = ?""",
                        [*(jsonable(rec[f]) for f in _FILED_FIELDS), *key])
            new.update({f: jsonable(rec[f]) for f in _FILED_FIELDS})
        old_public = None if old is None else {f: old.get(f) for f in _TASK_REPORT_FIELDS}
        write_audit(con, user, "task_report.upsert", "task_report",
                    as_json({"task_id": key[0], "period": key[1]}), as_json(old_public), as_json(new), batch_id)
        counts["added" if old is None else "changed"] += 1
    return counts


def tasks_delete_report(con: duckdb.DuckDBPyConnection, task_id: str, period: str, *, user: str) -> bool:
    """Delete one task report (audited); False when there was none."""
    old_df = read_frame(con, "SELECT * FROM task_report WHERE task_id = ? AND period = ?", [task_id, period])
    if old_df.empty:
        return False
    con.execute("DELETE FROM task_report WHERE task_id = ? AND period = ?", [task_id, period])
    old = {f: old_df.iloc[0][f] for f in _TASK_REPORT_FIELDS}
    write_audit(con, user, "task_report.delete", "task_report", as_json({"task_id": task_id, "period": period}),
                as_json(old), None, None)
    return True


def tasks_update_task(con: duckdb.DuckDBPyConnection, task_id: str, changes: dict[str, Any], *,
                      user: str) -> bool:
    """Change a task's deadline, product or authority (only ``TASK_EDITABLE``); audited; False if unchanged."""
    bad = set(changes) - set(TASK_EDITABLE)
    if bad:
        raise ValueError(f"not editable: {sorted(bad)}")
    old_df = read_frame(con, "SELECT * FROM task WHERE task_id = ?", [task_id])
    if old_df.empty:
        raise ValueError(f"unknown task {task_id!r}")
    old = {c: old_df.iloc[0][c] for c in changes}
    diff = {c: v for c, v in changes.items() if not same_value(old[c], v)}
    if not diff:
        return False
    for column, value in diff.items():  # column names come from TASK_EDITABLE, never from input
        con.execute(f'UPDATE task SET "{column}" = ? WHERE task_id = ?', [jsonable(value), task_id])
    write_audit(con, user, "task.update", "task", as_json({"task_id": task_id}),
                as_json({c: old[c] for c in diff}), as_json(diff), None)
    return True


def tasks_set_units(con: duckdb.DuckDBPyConnection, task_id: str, lead: Sequence[str], support: Sequence[str],
                    *, user: str, source: str | None = None) -> bool:
    """Replace a task's lead and supporting units (a unit in both is kept as lead); audited."""
    old_df = read_frame(con, "SELECT unit_key, role FROM task_unit WHERE task_id = ? ORDER BY role, unit_key", [task_id])
    old = {"lead": sorted(old_df[old_df["role"] == "lead"]["unit_key"]),
           "support": sorted(old_df[old_df["role"] == "support"]["unit_key"])}
    new = {"lead": sorted(set(lead)), "support": sorted(set(support) - set(lead))}
    if old == new:
        return False
    con.execute("DELETE FROM task_unit WHERE task_id = ?", [task_id])
    rows = [(task_id, u, role, source) for role in ("lead", "support") for u in new[role]]
    if rows:
        append_rows(con, "task_unit", pd.DataFrame(rows, columns=["task_id", "unit_key", "role", "source"]))
    write_audit(con, user, "task_unit.set", "task_unit", as_json({"task_id": task_id}), as_json(old),
                as_json(new), None)
    return True


def set_retired(con: duckdb.DuckDBPyConnection, table: str, key: str, day: date | None, *, user: str) -> bool:
    """Retire a task or a unit from a day on (None: follow it again); audited; False if unchanged.

    Its history and reports stay; from that day it is no longer due. Runs in the caller's transaction.
    """
    column = RETIRABLE[table]  # table and column names come from RETIRABLE, never from input
    old_df = read_frame(con, f'SELECT retired_on FROM "{table}" WHERE "{column}" = ?', [key])
    if old_df.empty:
        raise ValueError(f"unknown {table} {key!r}")
    stored = old_df.iloc[0]["retired_on"]
    old = None if pd.isna(stored) else pd.Timestamp(stored).date()
    if old == day:
        return False
    con.execute(f'UPDATE "{table}" SET retired_on = ? WHERE "{column}" = ?', [day, key])
    write_audit(con, user, f"{table}.retire" if day else f"{table}.reinstate", table, as_json({column: key}),
                as_json({"retired_on": jsonable(old)}), as_json({"retired_on": jsonable(day)}), None)
    return True
