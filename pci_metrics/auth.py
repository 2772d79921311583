"""Users, password hashing and roles: sign-in that works offline (no identity provider).

Three roles, each including the one before: a *viewer* browses, presents and downloads; an
*analyst* also imports, edits tasks, targets and notes and undoes their own imports; an *admin*
also manages users, undoes any import and reads the audit log.

Passwords are hashed with bcrypt (cost 12), normalised to Unicode NFC first so a password typed
with a different Vietnamese input method still matches. Every change to a user is one
transaction with an audit line; hashes never reach the audit log.

>>> role_at_least("admin", "analyst"), role_at_least("viewer", "analyst")
(True, False)
"""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import bcrypt
import duckdb

from . import storage
from .problems import Refusal

ROLES = ("viewer", "analyst", "admin")
ROLE_ORDER = {role: i for i, role in enumerate(ROLES)}
ADMIN_USER = "admin"
BCRYPT_ROUNDS = 12
# A generated one-time password has 96 random bits: a slow hash adds nothing to that, and a cheap
# one keeps the first start (and every test database's first start) fast.
GENERATED_ROUNDS = 4
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 72  # bcrypt ignores anything beyond 72 bytes: refuse rather than truncate
REQUIRE_LOGIN_KEY = "require_login"
MUST_CHANGE_PREFIX = "must_change_password:"
_USER_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")

# What each action needs (the permission matrix of the README).
PERMISSIONS: dict[str, str] = {
    "browse": "viewer", "present": "viewer", "download": "viewer",
    "import": "analyst", "edit_tasks": "analyst", "edit_targets": "analyst", "edit_notes": "analyst",
    "undo_own_import": "analyst",
    "undo_any_import": "admin", "manage_users": "admin", "view_audit": "admin",
}


class AuthError(Refusal, ValueError):
    """A user-management request that cannot be done; ``message(lang)`` says why."""


@dataclass(frozen=True)
class User:
    """A signed-in (or listed) user."""

    user_name: str
    display_name: str
    role: str
    active: bool = True


def role_at_least(role: str | None, minimum: str) -> bool:
    """True when ``role`` includes ``minimum`` (unknown roles count as viewer).

    >>> role_at_least("analyst", "analyst"), role_at_least(None, "viewer"), role_at_least("x", "analyst")
    (True, True, False)
    """
    return ROLE_ORDER.get(role or "viewer", 0) >= ROLE_ORDER[minimum]


def may(role: str | None, action: str) -> bool:
    """True when a role may do an action of :data:`PERMISSIONS`.

    >>> may("viewer", "download"), may("viewer", "import"), may("admin", "view_audit")
    (True, False, True)
    """
    return role_at_least(role, PERMISSIONS[action])


def can_undo(role: str | None, user_name: str, batch_user: str) -> bool:
    """An analyst undoes their own imports; an admin any import.

    >>> can_undo("analyst", "lan", "lan"), can_undo("analyst", "lan", "minh"), can_undo("admin", "a", "minh")
    (True, False, True)
    """
    return may(role, "undo_any_import") or (may(role, "undo_own_import") and user_name == batch_user)


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
                bool(row["active"]))


def _audit(con: duckdb.DuckDBPyConnection, by: str, action: str, table: str, key: dict[str, Any],
           old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
    def dump(value: dict[str, Any] | None) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str)

    storage.write_audit(con, by, action, table, dump(key), dump(old), dump(new), None)


def get_user(con: duckdb.DuckDBPyConnection, user_name: str) -> User | None:
    """A user by name (any case), or None.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "u.duckdb")
    >>> with storage.connect(p, create=True) as con:
    ...     _ = storage.migrate(con); _ = add_user(con, "Lan", "analyst", "mat-khau-dai", by="admin", rounds=4)
    ...     get_user(con, "lan").role
    'analyst'
    """
    try:
        name = normalize_user_name(user_name)
    except AuthError:
        return None
    row = storage.load_user(con, name)
    return None if row is None else _user(row)


def list_users(con: duckdb.DuckDBPyConnection) -> list[User]:
    """Every user (no hashes), by name."""
    return [_user(r) for r in storage.load_users(con).to_dict("records")]


def add_user(con: duckdb.DuckDBPyConnection, user_name: str, role: str, password: str, *, by: str,
             display_name: str | None = None, rounds: int = BCRYPT_ROUNDS) -> User:
    """Create a user in one transaction with an audit line; AuthError if the name is taken."""
    name = normalize_user_name(user_name)
    if role not in ROLES:
        raise AuthError("trust_err_role", found=role)
    hashed = hash_password(password, rounds)
    display = (display_name or "").strip() or None
    with storage.transaction(con):
        if storage.load_user(con, name) is not None:
            raise AuthError("trust_err_user_exists", user=name)
        storage.insert_user(con, name, display, role, hashed)
        _audit(con, by, "user_add", "app_user", {"user_name": name}, None,
               {"user_name": name, "display_name": display, "role": role, "active": True})
    return User(name, display or name, role, True)


def _existing(con: duckdb.DuckDBPyConnection, user_name: str) -> dict[str, Any]:
    row = storage.load_user(con, normalize_user_name(user_name))
    if row is None:
        raise AuthError("trust_err_no_user", user=user_name)
    return row


def set_password(con: duckdb.DuckDBPyConnection, user_name: str, password: str, *, by: str,
                 rounds: int = BCRYPT_ROUNDS) -> None:
    """Set a new password (clears "must change"); the audit line says so without any hash."""
    hashed = hash_password(password, rounds)
    with storage.transaction(con):
        row = _existing(con, user_name)
        storage.update_user(con, row["user_name"], password_hash=hashed)
        _clear_must_change(con, row["user_name"], by)
        _audit(con, by, "user_password", "app_user", {"user_name": row["user_name"]},
               {"password": "***"}, {"password": "*** (đã đổi / changed)"})


def set_role(con: duckdb.DuckDBPyConnection, user_name: str, role: str, *, by: str) -> None:
    """Change a user's role; the last active admin cannot be demoted."""
    if role not in ROLES:
        raise AuthError("trust_err_role", found=role)
    with storage.transaction(con):
        row = _existing(con, user_name)
        if row["role"] == "admin" and role != "admin" and row["active"] and storage.count_admins(con) <= 1:
            raise AuthError("trust_err_last_admin")
        storage.update_user(con, row["user_name"], role=role)
        _audit(con, by, "user_role", "app_user", {"user_name": row["user_name"]},
               {"role": row["role"]}, {"role": role})


def set_active(con: duckdb.DuckDBPyConnection, user_name: str, active: bool, *, by: str) -> None:
    """Enable or disable a user (a disabled user cannot sign in); the last admin stays active."""
    with storage.transaction(con):
        row = _existing(con, user_name)
        if not active and row["role"] == "admin" and row["active"] and storage.count_admins(con) <= 1:
            raise AuthError("trust_err_last_admin")
        storage.update_user(con, row["user_name"], active=active)
        _audit(con, by, "user_active", "app_user", {"user_name": row["user_name"]},
               {"active": bool(row["active"])}, {"active": active})


def authenticate(con: duckdb.DuckDBPyConnection, user_name: str, password: str) -> User | None:
    """The user when name and password match an active account, else None (same cost either way)."""
    try:
        name = normalize_user_name(user_name)
    except AuthError:
        name = ""
    row = storage.load_user(con, name) if name else None
    ok = password_matches(password, str(row["password_hash"]) if row else _dummy_hash())
    if row is None or not ok or not bool(row["active"]):
        return None
    return _user(row)


def must_change_password(con: duckdb.DuckDBPyConnection, user_name: str) -> bool:
    """True when the user signed in with a one-time password and must choose their own."""
    return storage.get_setting(con, MUST_CHANGE_PREFIX + user_name) == "1"


def _clear_must_change(con: duckdb.DuckDBPyConnection, user_name: str, by: str) -> None:
    if storage.get_setting(con, MUST_CHANGE_PREFIX + user_name) == "1":
        storage.put_setting(con, MUST_CHANGE_PREFIX + user_name, "0", by)


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
    if storage.count_admins(con) > 0 or storage.load_user(con, ADMIN_USER) is not None:
        return Bootstrap(False)
    given = env.get("PCI_ADMIN_PASSWORD") or ""
    password = given or generate_password()
    hashed = hash_password(password, BCRYPT_ROUNDS if given else GENERATED_ROUNDS)
    try:
        with storage.transaction(con):
            if storage.load_user(con, ADMIN_USER) is not None:  # another process was first
                return Bootstrap(False)
            storage.insert_user(con, ADMIN_USER, "Quản trị / Administrator", "admin", hashed)
            if not given:
                storage.put_setting(con, MUST_CHANGE_PREFIX + ADMIN_USER, "1", "system")
            _audit(con, "system", "user_add", "app_user", {"user_name": ADMIN_USER}, None,
                   {"user_name": ADMIN_USER, "role": "admin",
                    "password": "PCI_ADMIN_PASSWORD" if given else "one-time"})
    except duckdb.ConstraintException:  # a concurrent first start created it
        return Bootstrap(False)
    return Bootstrap(True, None if given else password)


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
    return storage.get_setting(con, REQUIRE_LOGIN_KEY) == "1"


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
        old = storage.put_setting(con, REQUIRE_LOGIN_KEY, "1" if required else "0", by)
        _audit(con, by, "setting", "setting", {"key": REQUIRE_LOGIN_KEY}, None if old is None else {"value": old},
               {"value": "1" if required else "0"})


@dataclass
class LoginThrottle:
    """Slows password guessing: after ``limit`` failures for a name within ``window_s``, sign-in for
    that name waits ``lock_s`` seconds.

    >>> clock = [0.0]; th = LoginThrottle(limit=2, clock=lambda: clock[0])
    >>> th.failed("lan"); th.failed("lan"); th.wait_s("lan") > 0
    True
    >>> clock[0] = 61; th.wait_s("lan")
    0.0
    """

    limit: int = 5
    window_s: float = 900.0
    lock_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _fails: dict[str, list[float]] = field(default_factory=dict)

    def wait_s(self, user_name: str) -> float:
        """Seconds before this name may try again (0 when it may)."""
        now = self.clock()
        recent = [x for x in self._fails.get(user_name, []) if now - x < self.window_s]
        self._fails[user_name] = recent
        if len(recent) < self.limit:
            return 0.0
        return max(0.0, recent[-1] + self.lock_s - now)

    def failed(self, user_name: str) -> None:
        """Record a failed attempt."""
        self._fails.setdefault(user_name, []).append(self.clock())

    def succeeded(self, user_name: str) -> None:
        """Forget the failures of a name after a good sign-in."""
        self._fails.pop(user_name, None)
