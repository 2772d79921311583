"""Users and password hashing: sign-in that works offline (no identity provider). What each role
may do is :mod:`pci_metrics.trust.roles`.

Passwords are hashed with bcrypt (cost 12), normalised to Unicode NFC first so a password typed
with a different Vietnamese input method still matches. Every change to a user is one
transaction with an audit line; hashes never reach the audit log, and every change to an account
(password, role, active, removal) moves its session epoch on, which ends the sessions signed in
before it, and deletes its browser sign-ins (:mod:`pci_metrics.trust.sessions`) in the same
transaction. Sign-in tries are counted in the database and slowed down per name and per client
address (:func:`sign_in`, :class:`SignInRules`).
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import duckdb

from pci_metrics.base.i18n import t
from pci_metrics.base.problems import Refusal
from pci_metrics.store import audit_db, sessions_db, settings_db, storage, users_db
from pci_metrics.trust.roles import ROLES

ADMIN_USER = "admin"
# Every stored hash, the one-time password's included, has this cost, so that a wrong password
# costs the same work whoever the account is (the time of an answer tells nothing about it).
BCRYPT_ROUNDS = 12
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 72  # bcrypt ignores anything beyond 72 bytes: refuse rather than truncate
REQUIRE_LOGIN_KEY = "require_login"
MUST_CHANGE_PREFIX = "must_change_password:"
_USER_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class AuthError(Refusal, ValueError):
    """A user-management request that cannot be done; ``message(lang)`` says why."""


@dataclass(frozen=True)
class User:
    """A signed-in (or listed) user."""

    user_name: str
    display_name: str
    role: str
    active: bool = True
    epoch: int = 0  # moves on at every change to the account; a session keeps the one it signed in at


def normalize_user_name(name: str) -> str:
    """A user name in its stored form: trimmed, lower case, 2–32 of a-z 0-9 . _ -.

    >>> normalize_user_name("  Lan.Nguyen ")
    'lan.nguyen'
    """
    clean = unicodedata.normalize("NFC", name or "").strip().lower()
    if not _USER_NAME.match(clean):
        raise AuthError("trust_err_user_name", found=name)
    return clean


def check_password_rules(password: str) -> str:
    """The password normalised to NFC, or AuthError when too short or too long for bcrypt.

    >>> check_password_rules("mật khẩu 2026") == unicodedata.normalize("NFC", "mật khẩu 2026")
    True
    """
    pw = unicodedata.normalize("NFC", password or "")
    if len(pw) < MIN_PASSWORD_CHARS:
        raise AuthError("trust_err_password_short", n=MIN_PASSWORD_CHARS)
    if len(pw.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AuthError("trust_err_password_long", n=MAX_PASSWORD_BYTES)
    return pw


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    """A bcrypt hash of a password that follows the rules (salted: two hashes differ).

    >>> h = hash_password("mat-khau-dai", rounds=4); h.startswith("$2b$04$"), password_matches("mat-khau-dai", h)
    (True, True)
    """
    pw = check_password_rules(password)
    return bcrypt.hashpw(pw.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


# A hash to compare against when the user does not exist, so a wrong name takes as long as a
# wrong password (no way to learn which user names exist from timing).
@functools.cache
def _dummy_hash() -> str:
    return bcrypt.hashpw(b"no-such-user-password", bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def hash_cost(hashed: str) -> int:
    """The bcrypt cost of a stored hash (0 when it is not a bcrypt hash).

    >>> hash_cost("$2b$12$" + "x" * 53), hash_cost("not-a-hash")
    (12, 0)
    """
    parts = hashed.split("$")
    return int(parts[2]) if len(parts) > 3 and parts[2].isdigit() else 0


def password_matches(password: str, hashed: str) -> bool:
    """True when a password matches a stored hash (NFC-normalised; never raises on bad input).

    >>> password_matches("x", "not-a-hash")
    False
    """
    pw = unicodedata.normalize("NFC", password or "").encode("utf-8")
    if not pw or len(pw) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bool(bcrypt.checkpw(pw, hashed.encode("ascii")))
    except (ValueError, UnicodeEncodeError):
        return False


def generate_password() -> str:
    """A one-time password: 16 URL-safe characters (96 random bits).

    >>> len(generate_password())
    16
    """
    return secrets.token_urlsafe(12)


def _user(row: Mapping[str, Any]) -> User:
    name = str(row["user_name"])
    display = row.get("display_name")
    return User(name, str(display) if isinstance(display, str) and display else name, str(row["role"]),
                bool(row["active"]), int(row.get("auth_epoch") or 0))


def _password_ok(row: Mapping[str, Any] | None, password: str) -> bool:
    """Compare a password with a user's hash, or with a dummy hash when there is no user: one bcrypt
    comparison at BCRYPT_ROUNDS in every case, so unknown, disabled, one-time-password and normal
    accounts answer a wrong password after the same work. A hash stored at a lower cost (by an
    older version) is followed by a dummy comparison at full cost, for the same reason."""
    hashed = str(row["password_hash"]) if row is not None else _dummy_hash()
    ok = password_matches(password, hashed)
    if hash_cost(hashed) < BCRYPT_ROUNDS:
        password_matches(password, _dummy_hash())
    return ok


def _audit(con: duckdb.DuckDBPyConnection, by: str, action: str, table: str, key: dict[str, Any],
           old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
    def dump(value: dict[str, Any] | None) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str)

    audit_db.write_audit(con, by, action, table, dump(key), dump(old), dump(new), None)


def get_user(con: duckdb.DuckDBPyConnection, user_name: str) -> User | None:
    """A user by name (any case), or None.

    >>> import tempfile, os
    >>> from pci_metrics.store import schema
    >>> p = os.path.join(tempfile.mkdtemp(), "u.duckdb")
    >>> with storage.connect(p, create=True) as con:
    ...     _ = schema.migrate(con); _ = add_user(con, "Lan", "analyst", "mat-khau-dai", by="admin", rounds=4)
    ...     get_user(con, "lan").role
    'analyst'
    """
    try:
        name = normalize_user_name(user_name)
    except AuthError:
        return None
    row = users_db.load_user(con, name)
    return None if row is None else _user(row)


def list_users(con: duckdb.DuckDBPyConnection) -> list[User]:
    """Every user (no hashes), by name."""
    return [_user(r) for r in users_db.load_users(con).to_dict("records")]


def add_user(con: duckdb.DuckDBPyConnection, user_name: str, role: str, password: str, *, by: str,
             display_name: str | None = None, rounds: int = BCRYPT_ROUNDS) -> User:
    """Create a user in one transaction with an audit line; AuthError if the name is taken."""
    name = normalize_user_name(user_name)
    if role not in ROLES:
        raise AuthError("trust_err_role", found=role)
    hashed = hash_password(password, rounds)
    display = (display_name or "").strip() or None
    with storage.transaction(con):
        if users_db.load_user(con, name) is not None:
            raise AuthError("trust_err_user_exists", user=name)
        users_db.insert_user(con, name, display, role, hashed)
        _audit(con, by, "user_add", "app_user", {"user_name": name}, None,
               {"user_name": name, "display_name": display, "role": role, "active": True})
    return User(name, display or name, role, True)


def _existing(con: duckdb.DuckDBPyConnection, user_name: str) -> dict[str, Any]:
    row = users_db.load_user(con, normalize_user_name(user_name))
    if row is None:
        raise AuthError("trust_err_no_user", user=user_name)
    return row


def set_password(con: duckdb.DuckDBPyConnection, user_name: str, password: str, *, by: str,
                 rounds: int = BCRYPT_ROUNDS) -> None:
    """Set a new password (clears "must change", ends the user's sessions); the audit line says so
    without any hash."""
    hashed = hash_password(password, rounds)
    with storage.transaction(con):
        row = _existing(con, user_name)
        users_db.update_user(con, row["user_name"], password_hash=hashed)
        users_db.bump_auth_epoch(con, row["user_name"])
        sessions_db.delete_user_sessions(con, row["user_name"])
        _clear_must_change(con, row["user_name"], by)
        _audit(con, by, "user_password", "app_user", {"user_name": row["user_name"]},
               {"password": "***"}, {"password": "*** (đã đổi / changed)"})


def set_role(con: duckdb.DuckDBPyConnection, user_name: str, role: str, *, by: str) -> None:
    """Change a user's role (ends their sessions); the last active admin cannot be demoted."""
    if role not in ROLES:
        raise AuthError("trust_err_role", found=role)
    with storage.transaction(con):
        row = _existing(con, user_name)
        if row["role"] == "admin" and role != "admin" and row["active"] and users_db.count_admins(con) <= 1:
            raise AuthError("trust_err_last_admin")
        users_db.update_user(con, row["user_name"], role=role)
        if role != row["role"]:
            users_db.bump_auth_epoch(con, row["user_name"])
            sessions_db.delete_user_sessions(con, row["user_name"])
        _audit(con, by, "user_role", "app_user", {"user_name": row["user_name"]},
               {"role": row["role"]}, {"role": role})


def set_active(con: duckdb.DuckDBPyConnection, user_name: str, active: bool, *, by: str) -> None:
    """Enable or disable a user (a disabled user cannot sign in, and their sessions end); the last
    admin stays active."""
    with storage.transaction(con):
        row = _existing(con, user_name)
        if not active and row["role"] == "admin" and row["active"] and users_db.count_admins(con) <= 1:
            raise AuthError("trust_err_last_admin")
        users_db.update_user(con, row["user_name"], active=active)
        if active != bool(row["active"]):
            users_db.bump_auth_epoch(con, row["user_name"])
            sessions_db.delete_user_sessions(con, row["user_name"])
        _audit(con, by, "user_active", "app_user", {"user_name": row["user_name"]},
               {"active": bool(row["active"])}, {"active": active})


def remove_user(con: duckdb.DuckDBPyConnection, user_name: str, *, by: str) -> None:
    """Remove a user (their sessions end; the audit log keeps their name); the last admin stays."""
    with storage.transaction(con):
        row = _existing(con, user_name)
        if row["role"] == "admin" and row["active"] and users_db.count_admins(con) <= 1:
            raise AuthError("trust_err_last_admin")
        users_db.delete_user(con, row["user_name"])
        sessions_db.delete_user_sessions(con, row["user_name"])
        _clear_must_change(con, row["user_name"], by)
        _audit(con, by, "user_remove", "app_user", {"user_name": row["user_name"]},
               {"user_name": row["user_name"], "role": row["role"], "active": bool(row["active"])}, None)


def session_current(account: User | None, role: object, epoch: object) -> bool:
    """True while a session signed in as ``account`` still stands: the account exists, is active, and
    neither its role nor its epoch moved since the sign-in.

    >>> lan = User("lan", "Lan", "analyst", True, 7)
    >>> session_current(lan, "analyst", 7), session_current(lan, "analyst", 6), session_current(None, "analyst", 7)
    (True, False, False)
    """
    return account is not None and account.active and account.role == role and account.epoch == epoch


def authenticate(con: duckdb.DuckDBPyConnection, user_name: str, password: str) -> User | None:
    """The user when name and password match an active account, else None (same cost either way).

    Reads only and counts nothing: the browser's sign-in goes through :func:`sign_in`.
    """
    try:
        name = normalize_user_name(user_name)
    except AuthError:
        name = ""
    row = users_db.load_user(con, name) if name else None
    ok = _password_ok(row, password)
    if row is None or not ok or not bool(row["active"]):
        return None
    return _user(row)


def must_change_password(con: duckdb.DuckDBPyConnection, user_name: str) -> bool:
    """True when the user signed in with a one-time password and must choose their own."""
    return settings_db.get_setting(con, MUST_CHANGE_PREFIX + user_name) == "1"


def _clear_must_change(con: duckdb.DuckDBPyConnection, user_name: str, by: str) -> None:
    if settings_db.get_setting(con, MUST_CHANGE_PREFIX + user_name) == "1":
        settings_db.set_setting(con, MUST_CHANGE_PREFIX + user_name, "0", by, audit=False)


@dataclass(frozen=True)
class Bootstrap:
    """What the first start did: nothing, an admin from the environment, or a one-time password."""

    created: bool
    one_time_password: str | None = None


def ensure_admin(con: duckdb.DuckDBPyConnection, env: Mapping[str, str] | None = None) -> Bootstrap:
    """Create user ``admin`` when no administrator exists yet.

    Its password is ``PCI_ADMIN_PASSWORD`` when set; otherwise a one-time password is generated
    and returned (the caller prints it once) and must be changed at the first sign-in.
    """
    env = os.environ if env is None else env
    if users_db.count_admins(con) > 0 or users_db.load_user(con, ADMIN_USER) is not None:
        return Bootstrap(False)
    given = env.get("PCI_ADMIN_PASSWORD") or ""
    password = given or generate_password()
    hashed = hash_password(password, BCRYPT_ROUNDS)  # one cost for all: see _password_ok
    try:
        with storage.transaction(con):
            if users_db.load_user(con, ADMIN_USER) is not None:  # another process was first
                return Bootstrap(False)
            users_db.insert_user(con, ADMIN_USER, "Quản trị / Administrator", "admin", hashed)
            if not given:
                settings_db.set_setting(con, MUST_CHANGE_PREFIX + ADMIN_USER, "1", "system", audit=False)
            _audit(con, "system", "user_add", "app_user", {"user_name": ADMIN_USER}, None,
                   {"user_name": ADMIN_USER, "role": "admin",
                    "password": "PCI_ADMIN_PASSWORD" if given else "one-time"})
    except duckdb.ConstraintException:  # a concurrent first start created it
        return Bootstrap(False)
    return Bootstrap(True, None if given else password)


def bootstrap_admin(db_path: str | os.PathLike[str] | None = None) -> Bootstrap:
    """:func:`ensure_admin` on the database file, printing a one-time password once (the server log).

    The server calls it as it starts, before its warm-up visits, so that the first visitor's page does
    not write to the database (a write changes the data stamp and would send the warm-up round again);
    every page run calls it too (``ui.trust.guard``), for servers started some other way."""
    with storage.connect(db_path) as con:
        boot = ensure_admin(con)
    if boot.one_time_password:
        print(t("trust_first_admin", "vi", password=boot.one_time_password) + "\n"
              + t("trust_first_admin", "en", password=boot.one_time_password), flush=True)
    elif boot.created:
        print(t("trust_first_admin_env", "en"), flush=True)
    return boot


def login_required(con: duckdb.DuckDBPyConnection | None, env: Mapping[str, str] | None = None) -> bool:
    """Whether browsing needs a sign-in: ``PCI_REQUIRE_LOGIN`` (1/0) wins, else the setting, else no.

    >>> login_required(None, {"PCI_REQUIRE_LOGIN": "1"}), login_required(None, {})
    (True, False)
    """
    env = os.environ if env is None else env
    flag = env.get("PCI_REQUIRE_LOGIN", "").strip().lower()
    if flag in ("1", "true", "yes", "on"):
        return True
    if flag in ("0", "false", "no", "off") or con is None:
        return False
    return settings_db.get_setting(con, REQUIRE_LOGIN_KEY) == "1"


def login_required_override(env: Mapping[str, str] | None = None) -> str | None:
    """The server's ``PCI_REQUIRE_LOGIN`` value when it decides (then the stored setting is ignored).

    >>> login_required_override({"PCI_REQUIRE_LOGIN": " 1 "}), login_required_override({})
    ('1', None)
    """
    env = os.environ if env is None else env
    flag = env.get("PCI_REQUIRE_LOGIN", "").strip()
    return flag if flag.lower() in ("1", "true", "yes", "on", "0", "false", "no", "off") else None


def set_login_required(con: duckdb.DuckDBPyConnection, required: bool, *, by: str) -> None:
    """Store the "browsing needs sign-in" setting (one transaction, audited)."""
    with storage.transaction(con):
        settings_db.set_setting(con, REQUIRE_LOGIN_KEY, "1" if required else "0", by)


UNKNOWN_CLIENT = "unknown"  # the client address when the server cannot tell (localhost, tests)
_MAX_KEY_CHARS = 64  # a name or address is cut to this before it is stored: junk cannot bloat the table


@dataclass(frozen=True)
class Backoff:
    """An exponential delay: after ``free`` failures, each further failure makes the next try wait
    ``base_s * 2**k`` seconds from that failure (k = failures past ``free``), at most ``cap_s``.

    >>> b = Backoff(free=3, base_s=1.0, cap_s=60.0)
    >>> [b.step_s(n) for n in (0, 2, 3, 4, 5, 20)]
    [0.0, 0.0, 1.0, 2.0, 4.0, 60.0]
    >>> b.wait_s(4, since_last_s=0.5), b.wait_s(4, since_last_s=9.0)
    (1.5, 0.0)
    """

    free: int
    base_s: float
    cap_s: float

    def step_s(self, failures: int) -> float:
        """The delay after ``failures`` failures, counted from the latest one."""
        if failures < self.free:
            return 0.0
        return min(self.cap_s, self.base_s * 2.0 ** min(failures - self.free, 62))

    def wait_s(self, failures: int, since_last_s: float) -> float:
        """Seconds still to wait, ``since_last_s`` after the latest failure."""
        return max(0.0, self.step_s(failures) - since_last_s)


@dataclass(frozen=True)
class SignInRules:
    """How sign-in tries are slowed down: failures count per user name and per client address over
    ``window_s``; a try waits for the longer of the two delays.

    The two delays answer two attacks, and the numbers are a trade-off between them:

    * *Guessing one password.* From one address, the address delay (10 free failures over any
      names, then 2 s doubling to 15 min) leaves about a hundred guesses a day. From many
      addresses, the name delay (5 free failures, then 1 s doubling to 30 s) leaves at most two
      checked guesses a minute for that name, however many addresses join in.
    * *Locking the real user out.* The name delay is short on purpose: someone failing on purpose
      from another address delays the real user's correct password by at most ``name.cap_s``
      after their latest failure, and never by the address delay, which holds only the address
      that failed. A refused try is not counted, so hammering while refused does not lengthen it.

    The address is the one the server sees (``st.context.ip_address``): behind a shared proxy or
    NAT everybody has the same address and the address delay then holds them all.

    >>> SIGN_IN_RULES.wait_s(5, 0.0, 5, 0.0), SIGN_IN_RULES.wait_s(4, 0.0, 9, 0.0)
    (1.0, 0.0)
    >>> SIGN_IN_RULES.wait_s(9, 60.0, 0, math.inf), SIGN_IN_RULES.wait_s(5, 60.0, 30, 60.0)
    (0.0, 840.0)
    """

    name: Backoff = Backoff(free=5, base_s=1.0, cap_s=30.0)
    address: Backoff = Backoff(free=10, base_s=2.0, cap_s=900.0)
    window_s: float = 24 * 3600.0

    def wait_s(self, name_failures: int, since_name_s: float, address_failures: int,
               since_address_s: float) -> float:
        """Seconds a try must wait, given the failures of its name and of its address and the
        seconds since the latest of each."""
        return max(self.name.wait_s(name_failures, since_name_s),
                   self.address.wait_s(address_failures, since_address_s))


SIGN_IN_RULES = SignInRules()


@dataclass(frozen=True)
class SignIn:
    """What one sign-in try came to: the user, or nobody; ``wait_s`` > 0 means the try was refused
    without looking at the password, and says how long to wait."""

    user: User | None
    must_change: bool = False
    wait_s: float = 0.0


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _attempt_key(user_name: str) -> str:
    """The name a try is counted under: its stored form, or the trimmed text when it is no valid name.

    >>> _attempt_key(" Lan "), _attempt_key("khong hop le")
    ('lan', 'khong hop le')
    """
    try:
        return normalize_user_name(user_name)
    except AuthError:
        return unicodedata.normalize("NFC", user_name or "").strip().lower()[:_MAX_KEY_CHARS]


def _seconds_since(now: datetime, then: datetime | None) -> float:
    return math.inf if then is None else (now - then).total_seconds()


def sign_in(path: str | os.PathLike[str] | None, user_name: str, password: str,
            client: str = UNKNOWN_CLIENT, *, now: datetime | None = None,
            rules: SignInRules | None = None) -> SignIn:
    """One sign-in try against the database at ``path``, slowed down by :class:`SignInRules`.

    1. One transaction checks the delays of the name and of the client address and, when the try
       may go on, records it as a failure before the password is looked at. DuckDB gives the file
       to one process at a time and :func:`storage.connect` the connection to one thread at a time,
       so this check-and-record runs alone: of thirty parallel tries for one name, only the free
       ones get past it, and the rest are refused with the time to wait.
    2. The password is compared with no database held (bcrypt takes a quarter of a second), one
       comparison at full cost whatever the account (:func:`_password_ok`).
    3. A match forgives this address's failures for the name, in a second transaction that reads
       the account again, so a password changed or an account disabled meanwhile wins.

    ``now`` (naive UTC) and ``rules`` are for tests; the rules default to :data:`SIGN_IN_RULES` as
    it is when called.
    """
    rules = rules or SIGN_IN_RULES
    at = now or _utc_now()
    name = _attempt_key(user_name)
    where = (client or UNKNOWN_CLIENT)[:_MAX_KEY_CHARS]
    # Gate: check the delays and count this try, in one transaction.
    with storage.connect(path) as con, storage.transaction(con):
        users_db.prune_login_failures(con, at - timedelta(seconds=rules.window_s))
        n_name, last_name, n_address, last_address = users_db.login_failures_since(
            con, name, where, at - timedelta(seconds=rules.window_s))
        wait = rules.wait_s(n_name, _seconds_since(at, last_name), n_address, _seconds_since(at, last_address))
        if wait > 0:
            return SignIn(None, wait_s=wait)
        users_db.record_login_failure(con, name, where, at)
        row = users_db.load_user(con, name) if _USER_NAME.match(name) else None
    # Check the password, with no database held.
    if not _password_ok(row, password) or row is None or not bool(row["active"]):
        return SignIn(None)
    # A match: forgive, unless the account changed meanwhile.
    with storage.connect(path) as con, storage.transaction(con):
        fresh = users_db.load_user(con, name)
        if fresh is None or not bool(fresh["active"]) or fresh["password_hash"] != row["password_hash"]:
            return SignIn(None)
        users_db.forget_login_failures(con, name, where)
        must_change = settings_db.get_setting(con, MUST_CHANGE_PREFIX + name) == "1"
    return SignIn(_user(fresh), must_change=must_change)
