"""Users and failed sign-ins. A user's password hash leaves this module only through
:func:`load_user` (for the sign-in); every change runs inside the caller's transaction."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from pci_metrics.store.storage import read_frame

USER_COLUMNS = "user_name, display_name, role, active, created_at, auth_epoch"


def load_users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every user without the password hash, by name."""
    return read_frame(con, f"SELECT {USER_COLUMNS} FROM app_user ORDER BY user_name")


def load_user(con: duckdb.DuckDBPyConnection, user_name: str) -> dict[str, Any] | None:
    """One user with the password hash (for sign-in), or None."""
    frame = read_frame(con, f"SELECT {USER_COLUMNS}, password_hash FROM app_user WHERE user_name = ?", [user_name])
    return None if frame.empty else frame.iloc[0].to_dict()


def insert_user(con: duckdb.DuckDBPyConnection, user_name: str, display_name: str | None, role: str,
                password_hash: str) -> None:
    """Add a user (inside the caller's transaction); its session epoch starts at the time of creation."""
    con.execute("INSERT INTO app_user (user_name, display_name, role, password_hash, active, created_at, auth_epoch) "
                "VALUES (?, ?, ?, ?, TRUE, now(), epoch_us(now()))", [user_name, display_name, role, password_hash])


def update_user(con: duckdb.DuckDBPyConnection, user_name: str, *, role: str | None = None,
                display_name: str | None = None, active: bool | None = None,
                password_hash: str | None = None) -> None:
    """Change the given fields of a user (inside the caller's transaction); None keeps a field."""
    con.execute("""UPDATE app_user SET role = coalesce(?, role), display_name = coalesce(?, display_name),
                          active = coalesce(?, active), password_hash = coalesce(?, password_hash)
                   WHERE user_name = ?""", [role, display_name, active, password_hash, user_name])


def count_admins(con: duckdb.DuckDBPyConnection) -> int:
    """How many active administrators exist."""
    row = con.execute("SELECT count(*) FROM app_user WHERE role = 'admin' AND active").fetchone()
    return int(row[0]) if row else 0


def bump_auth_epoch(con: duckdb.DuckDBPyConnection, user_name: str) -> None:
    """Move a user's session epoch on (inside the caller's transaction): sessions signed in before
    it end. It only grows, and is at least the change's time in microseconds, so a name removed and
    added again never matches a session of the earlier account."""
    con.execute("UPDATE app_user SET auth_epoch = greatest(auth_epoch + 1, epoch_us(now())) WHERE user_name = ?",
                [user_name])


def delete_user(con: duckdb.DuckDBPyConnection, user_name: str) -> None:
    """Remove a user (inside the caller's transaction); the audit log keeps their name."""
    con.execute("DELETE FROM app_user WHERE user_name = ?", [user_name])


def login_failures_since(con: duckdb.DuckDBPyConnection, user_name: str, client: str,
                         since: Any) -> tuple[int, Any, int, Any]:
    """Failed sign-ins at or after ``since``: (count for the name, its latest time, count from the
    client address, its latest time); a latest time is None when there is none."""
    row = con.execute(
        """SELECT count(*) FILTER (WHERE user_name = ?), max(at_time) FILTER (WHERE user_name = ?),
                  count(*) FILTER (WHERE client = ?), max(at_time) FILTER (WHERE client = ?)
           FROM login_failure WHERE at_time >= ?""", [user_name, user_name, client, client, since]).fetchone()
    return (0, None, 0, None) if row is None else (int(row[0]), row[1], int(row[2]), row[3])


def record_login_failure(con: duckdb.DuckDBPyConnection, user_name: str, client: str, at_time: Any) -> None:
    """Count one sign-in try as failed (inside the caller's transaction)."""
    con.execute("INSERT INTO login_failure VALUES (?, ?, ?)", [user_name, client, at_time])


def forget_login_failures(con: duckdb.DuckDBPyConnection, user_name: str, client: str) -> None:
    """Forget a name's failed sign-ins from one client address (after a good sign-in from it)."""
    con.execute("DELETE FROM login_failure WHERE user_name = ? AND client = ?", [user_name, client])


def prune_login_failures(con: duckdb.DuckDBPyConnection, before: Any) -> None:
    """Drop failed sign-ins older than ``before`` (they no longer count)."""
    con.execute("DELETE FROM login_failure WHERE at_time < ?", [before])
