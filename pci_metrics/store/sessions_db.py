"""Browser sign-ins (table ``app_session``): one row per sign-in, holding only hashes of the secrets
the browser has. Reads stand alone; every change runs inside the caller's transaction."""

from __future__ import annotations

from typing import Any

import duckdb

from pci_metrics.store.storage import read_frame

# one fixed query per way of finding a sign-in (no identifier is ever built from a value)
_BY = {
    "session_id": "SELECT session_id, user_name, auth_epoch, token_hash, handoff_hash, handoff_until, created_at, "
                  "last_seen FROM app_session WHERE session_id = ?",
    "token_hash": "SELECT session_id, user_name, auth_epoch, token_hash, handoff_hash, handoff_until, created_at, "
                  "last_seen FROM app_session WHERE token_hash = ?",
    "handoff_hash": "SELECT session_id, user_name, auth_epoch, token_hash, handoff_hash, handoff_until, created_at, "
                    "last_seen FROM app_session WHERE handoff_hash = ?",
}


def _one(con: duckdb.DuckDBPyConnection, by: str, value: str) -> dict[str, Any] | None:
    frame = read_frame(con, _BY[by], [value])
    return None if frame.empty else frame.iloc[0].to_dict()


def load_session(con: duckdb.DuckDBPyConnection, session_id: str) -> dict[str, Any] | None:
    """One sign-in by its id, or None (signed out, revoked or expired and purged)."""
    return _one(con, "session_id", session_id)


def load_by_token(con: duckdb.DuckDBPyConnection, token_hash: str) -> dict[str, Any] | None:
    """The sign-in whose cookie secret has this hash, or None."""
    return _one(con, "token_hash", token_hash)


def load_by_handoff(con: duckdb.DuckDBPyConnection, handoff_hash: str) -> dict[str, Any] | None:
    """The sign-in whose one-time code has this hash, or None."""
    return _one(con, "handoff_hash", handoff_hash)


def insert_session(con: duckdb.DuckDBPyConnection, session_id: str, user_name: str, auth_epoch: int,
                   handoff_hash: str, handoff_until: Any, now: Any) -> None:
    """A new sign-in waiting for its browser to collect the cookie (inside the caller's transaction)."""
    con.execute("INSERT INTO app_session (session_id, user_name, auth_epoch, token_hash, handoff_hash, "
                "handoff_until, created_at, last_seen) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)",
                [session_id, user_name, auth_epoch, handoff_hash, handoff_until, now, now])


def set_token(con: duckdb.DuckDBPyConnection, session_id: str, token_hash: str, now: Any) -> None:
    """The browser collected its cookie: keep the secret's hash, forget the one-time code."""
    con.execute("UPDATE app_session SET token_hash = ?, handoff_hash = NULL, handoff_until = NULL, "
                "last_seen = ? WHERE session_id = ?", [token_hash, now, session_id])


def touch(con: duckdb.DuckDBPyConnection, session_id: str, now: Any) -> None:
    """The sign-in was used at ``now`` (its idle time starts again)."""
    con.execute("UPDATE app_session SET last_seen = ? WHERE session_id = ?", [now, session_id])


def delete_session(con: duckdb.DuckDBPyConnection, session_id: str) -> None:
    """End one sign-in."""
    con.execute("DELETE FROM app_session WHERE session_id = ?", [session_id])


def delete_user_sessions(con: duckdb.DuckDBPyConnection, user_name: str) -> int:
    """End every sign-in of a user; how many there were."""
    row = con.execute("SELECT count(*) FROM app_session WHERE user_name = ?", [user_name]).fetchone()
    con.execute("DELETE FROM app_session WHERE user_name = ?", [user_name])
    return int(row[0]) if row else 0


def delete_stale(con: duckdb.DuckDBPyConnection, idle_before: Any, now: Any) -> None:
    """Forget sign-ins unused since ``idle_before`` and one-time codes no longer valid at ``now``."""
    con.execute("DELETE FROM app_session WHERE last_seen < ? OR (token_hash IS NULL AND handoff_until < ?)",
                [idle_before, now])


def count_sessions(con: duckdb.DuckDBPyConnection, user_name: str) -> int:
    """How many sign-ins a user has (collected or not)."""
    row = con.execute("SELECT count(*) FROM app_session WHERE user_name = ?", [user_name]).fetchone()
    return int(row[0]) if row else 0
