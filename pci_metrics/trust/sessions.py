"""Browser sign-ins that survive a reload, revoked on sign-out and on every change to the account.

A sign-in in the page (:func:`pci_metrics.trust.auth.sign_in`) starts a row in ``app_session``
(:func:`begin`) with a one-time code valid for :data:`HANDOFF_S` seconds. The page hands the code to
the browser, which trades it (:func:`collect`, the server's ``/_pci/session`` route) for a random
session secret in an HttpOnly, SameSite=Strict cookie: page scripts never see the secret, and the
code is worth nothing once traded or a minute old. After a reload the cookie brings the sign-in back
(:func:`resume`); every run checks the row still stands (:func:`standing`). Only SHA-256 hashes of
the code and the secret are stored.

A sign-in ends when it has not been used for ``SessionRules.idle_s`` (``PCI_SESSION_IDLE_HOURS``,
default 12 hours), on sign-out (:func:`end`), and on every change to the account (password, role,
active, removal: :mod:`pci_metrics.trust.auth` deletes the account's rows in the same transaction,
and the account's epoch moving on refuses any row left behind).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from pci_metrics.store import sessions_db, storage
from pci_metrics.trust import auth

COOKIE = "pci_session"
HANDOFF_S = 60.0  # how long the page's one-time code may be traded for the cookie


@dataclass(frozen=True)
class SessionRules:
    """How long a sign-in lasts unused, and how often its use is written down (each write changes
    the data stamp, so at most once per ``touch_s`` per sign-in).

    >>> SessionRules().idle_s / 3600, SessionRules().touch_s / 60, SessionRules(idle_s=600).touch_s
    (12.0, 60.0, 150.0)
    """

    idle_s: float = 12 * 3600.0

    @property
    def touch_s(self) -> float:
        return min(3600.0, self.idle_s / 4)


def session_rules(env: Mapping[str, str] | None = None) -> SessionRules:
    """The rules of this server: ``PCI_SESSION_IDLE_HOURS`` (a positive number) or 12 hours.

    >>> session_rules({"PCI_SESSION_IDLE_HOURS": "0,5"}).idle_s, session_rules({"PCI_SESSION_IDLE_HOURS": "x"}).idle_s
    (1800.0, 43200.0)
    """
    env = os.environ if env is None else env
    try:
        hours = float(env.get("PCI_SESSION_IDLE_HOURS", "").strip().replace(",", "."))
    except ValueError:
        return SessionRules()
    return SessionRules(idle_s=hours * 3600.0) if hours > 0 else SessionRules()


def secret_hash(secret: str) -> str:
    """The stored form of a code or a session secret: its SHA-256, in hex.

    >>> secret_hash("abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Handoff:
    """A new sign-in: its id (not secret: the page keeps it) and the one-time code for the browser."""

    session_id: str
    code: str


def begin(con: duckdb.DuckDBPyConnection, user: auth.User, *, now: datetime | None = None,
          rules: SessionRules | None = None) -> Handoff:
    """Start a sign-in for ``user`` (one transaction; stale sign-ins are forgotten on the way)."""
    at, rules = now or _now(), rules or session_rules()
    handoff = Handoff(secrets.token_urlsafe(16), secrets.token_urlsafe(32))
    with storage.transaction(con):
        sessions_db.delete_stale(con, at - timedelta(seconds=rules.idle_s), at)
        sessions_db.insert_session(con, handoff.session_id, user.user_name, user.epoch,
                                   secret_hash(handoff.code), at + timedelta(seconds=HANDOFF_S), at)
    return handoff


def standing(row: Mapping[str, Any] | None, account: auth.User | None, now: datetime | None = None,
             rules: SessionRules | None = None) -> bool:
    """True while a sign-in stands: its row exists, its account is active at the epoch it signed in
    at, and it was used within ``rules.idle_s``.

    >>> lan, t0 = auth.User("lan", "Lan", "analyst", True, 7), datetime(2026, 3, 2, 8)
    >>> row = {"auth_epoch": 7, "last_seen": t0}
    >>> standing(row, lan, t0 + timedelta(hours=11), SessionRules()), standing(row, lan, t0 + timedelta(hours=13), SessionRules())
    (True, False)
    >>> standing({**row, "auth_epoch": 6}, lan, t0, SessionRules()), standing(None, lan, t0, SessionRules())
    (False, False)
    """
    if row is None or account is None:
        return False
    at, rules = now or _now(), rules or session_rules()
    fresh = at - _naive(row["last_seen"]) <= timedelta(seconds=rules.idle_s)
    return fresh and auth.session_current(account, account.role, int(row["auth_epoch"]))


def _naive(value: Any) -> datetime:
    return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


def needs_touch(row: Mapping[str, Any], now: datetime | None = None, rules: SessionRules | None = None) -> bool:
    """True when the sign-in's last use written down is older than ``rules.touch_s``."""
    at, rules = now or _now(), rules or session_rules()
    return at - _naive(row["last_seen"]) >= timedelta(seconds=rules.touch_s)


def lookup(con: duckdb.DuckDBPyConnection, session_id: str) -> tuple[dict[str, Any] | None, auth.User | None]:
    """A sign-in's row and its account (each None when gone), for :func:`standing`."""
    row = sessions_db.load_session(con, session_id)
    return row, None if row is None else auth.get_user(con, str(row["user_name"]))


def collect(path: str | os.PathLike[str] | None, code: str, *, now: datetime | None = None) -> str | None:
    """Trade a one-time code for a new session secret (for the cookie), or None when the code is
    unknown, used, a minute old, or its account changed since the sign-in."""
    at = now or _now()
    with storage.connect(path) as con, storage.transaction(con):
        row = sessions_db.load_by_handoff(con, secret_hash(code or ""))
        if row is None:
            return None
        account = auth.get_user(con, str(row["user_name"]))
        if _naive(row["handoff_until"]) < at or not auth.session_current(
                account, account.role if account else None, int(row["auth_epoch"])):
            sessions_db.delete_session(con, str(row["session_id"]))
            return None
        token = secrets.token_urlsafe(32)
        sessions_db.set_token(con, str(row["session_id"]), secret_hash(token), at)
    return token


@dataclass(frozen=True)
class Resumed:
    """A sign-in brought back by its cookie."""

    session_id: str
    user: auth.User
    must_change: bool


def resume(path: str | os.PathLike[str] | None, token: str, *, now: datetime | None = None,
           rules: SessionRules | None = None) -> Resumed | None:
    """The sign-in whose cookie holds ``token``, its use written down; None (and the row forgotten)
    when it no longer stands."""
    at, rules = now or _now(), rules or session_rules()
    with storage.connect(path) as con, storage.transaction(con):
        row = sessions_db.load_by_token(con, secret_hash(token or ""))
        if row is None:
            return None
        account = auth.get_user(con, str(row["user_name"]))
        if account is None or not standing(row, account, at, rules):
            sessions_db.delete_session(con, str(row["session_id"]))
            return None
        sessions_db.touch(con, str(row["session_id"]), at)
        must_change = auth.must_change_password(con, account.user_name)
    return Resumed(str(row["session_id"]), account, must_change)


def touch(con: duckdb.DuckDBPyConnection, session_id: str, *, now: datetime | None = None) -> None:
    """Write down that a sign-in is in use (one transaction)."""
    with storage.transaction(con):
        sessions_db.touch(con, session_id, now or _now())


def end(con: duckdb.DuckDBPyConnection, session_id: str) -> None:
    """Sign out: the sign-in's cookie is refused from now on (one transaction)."""
    with storage.transaction(con):
        sessions_db.delete_session(con, session_id)


def end_by_token(path: str | os.PathLike[str] | None, token: str) -> None:
    """Sign out the sign-in whose cookie holds ``token`` (the sign-out route; nothing if unknown)."""
    with storage.connect(path) as con, storage.transaction(con):
        row = sessions_db.load_by_token(con, secret_hash(token or ""))
        if row is not None:
            sessions_db.delete_session(con, str(row["session_id"]))
