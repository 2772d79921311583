"""Settings analysts and administrators can change (key -> text), each change with an audit line."""

from __future__ import annotations

import json

import duckdb

from pci_metrics.store.audit_db import write_audit


def get_setting(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A setting's value, or None when it was never set."""
    row = con.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str, by: str, *, audit: bool = True) -> str | None:
    """Set a setting inside the caller's transaction and return its old value. With ``audit`` an
    audit line says old -> new; without, the caller's own audit line covers the change (a user's
    "must change password" flag goes with the account's line)."""
    old = get_setting(con, key)
    con.execute("DELETE FROM setting WHERE key = ?", [key])
    con.execute("INSERT INTO setting VALUES (?, ?, ?, now())", [key, value, by])
    if audit:
        write_audit(con, by, "set_setting", "setting", json.dumps({"key": key}),
                    None if old is None else json.dumps({"value": old}), json.dumps({"value": value}), None)
    return old
