"""Subcommands of the trust area: backup, restore, users, audit export.

Thin: parse, delegate to :mod:`backup`, :mod:`auth`, :mod:`audit`, print one line per result in
Vietnamese / English. Passwords are never taken from the command line (they would stay in the
shell history): they are asked for, or read from the first line of standard input.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable

import duckdb

from pci_metrics.base.i18n import t
from pci_metrics.cli.common import UserError
from pci_metrics.ops import backup
from pci_metrics.store import storage
from pci_metrics.trust import audit, auth, roles

Handler = Callable[[argparse.Namespace], int]


def _both(key: str, **kwargs: object) -> str:
    return t(key, "vi", **kwargs) + " / " + t(key, "en", **kwargs)


def _db(args: argparse.Namespace) -> str | None:
    return getattr(args, "db", None)


def _actor() -> str:
    """Who ran the command (recorded in the audit log)."""
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _read_password(user: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(_both("trust_prompt_password", user=user))
    return sys.stdin.readline().rstrip("\r\n")


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        t0 = time.perf_counter()
        manifest = backup.backup(_db(args), args.out)
        seconds = time.perf_counter() - t0
    except backup.BackupError as exc:
        raise UserError(str(exc)) from exc
    print(_both("trust_backup_done", tables=len(manifest.tables), rows=manifest.rows, dir=args.out,
                s=f"{seconds:.2f}"))
    print(_both("trust_backup_signed", path=backup.key_path(_db(args)),
                key_id=backup.key_id(backup.installation_key(_db(args)))))
    return 0


RESTORE_PROBLEMS_SHOWN = 50


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a signed backup; refusals are one line (exit 2), or that line and the rows refused."""
    if bool(args.accept_unsigned) != bool(args.user):
        raise UserError(_both("trust_err_accept_needs_user"))
    try:
        result = backup.restore(args.dir, _db(args), by=_actor(), accept_unsigned_by=args.user)
    except backup.RestoreRefused as exc:
        print(str(exc), file=sys.stderr)
        for problem in exc.problems[:RESTORE_PROBLEMS_SHOWN]:
            print(problem.message("vi") + " / " + problem.message("en"), file=sys.stderr)
        if len(exc.problems) > RESTORE_PROBLEMS_SHOWN:
            print(_both("trust_restore_more", n=len(exc.problems) - RESTORE_PROBLEMS_SHOWN), file=sys.stderr)
        return 2
    except backup.BackupError as exc:
        raise UserError(str(exc)) from exc
    print(_both("trust_restore_done", dir=args.dir, db=result.db, s=f"{result.seconds:.2f}"))
    if result.signed:
        print(_both("trust_restore_signed", key_id=result.key_id))
    else:
        print(_both("trust_restore_accepted", user=result.accepted_by))
    if result.previous is not None:
        print(_both("trust_restore_previous", path=result.previous))
    return 0


def _users(args: argparse.Namespace) -> int:
    with storage.connect(_db(args)) as con:
        try:
            return _users_in(con, args)
        except auth.AuthError as exc:
            raise UserError(str(exc)) from exc


def _users_in(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    action = args.users_command
    if action == "list":
        for u in auth.list_users(con):
            state = "" if u.active else "  (khóa / disabled)"
            print(f"{u.user_name:20} {u.role:8} {u.display_name}{state}")
        return 0
    if action == "add":
        password = _read_password(args.name)
        user = auth.add_user(con, args.name, args.role, password, by=_actor(), display_name=args.display_name)
        print(_both("trust_user_added", user=user.user_name, role=user.role))
    elif action == "passwd":
        auth.set_password(con, args.name, _read_password(args.name), by=_actor())
        print(_both("trust_user_changed", user=args.name))
    elif action == "role":
        auth.set_role(con, args.name, args.role, by=_actor())
        print(_both("trust_user_changed", user=args.name))
    elif action in ("enable", "disable"):
        auth.set_active(con, args.name, action == "enable", by=_actor())
        print(_both("trust_user_changed", user=args.name))
    elif action == "remove":
        auth.remove_user(con, args.name, by=_actor())
        print(_both("trust_user_removed", user=args.name))
    elif action == "require-login":
        auth.set_login_required(con, args.value == "on", by=_actor())
        print(_both("trust_setting_saved", value=args.value))
    elif action == "init-admin":
        boot = auth.ensure_admin(con)
        if boot.one_time_password:
            print(_both("trust_first_admin", password=boot.one_time_password))
        elif boot.created:
            print(_both("trust_first_admin_env"))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    with storage.connect(_db(args), read_only=True) as con:
        try:
            n = audit.export(con, args.out, args.lang)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
    print(_both("trust_audit_exported", n=n, file=args.out))
    return 0


def register(sub: argparse._SubParsersAction, add: Callable[[str, str], argparse.ArgumentParser]) -> dict[str, Handler]:  # type: ignore[type-arg]
    """Add this area's subcommands; return name -> handler."""
    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", default=argparse.SUPPRESS,
                       help="database file (default: $PCI_DB_PATH or data/pci.duckdb)")

    b = add("backup", "back up every table (Parquet + manifest of checksums) into a new folder")
    b.add_argument("--out", required=True, help="a new (or empty) folder")
    r = add("restore", "restore a signed backup folder over the database (the old file is kept beside it)")
    r.add_argument("dir", help="a folder written by `backup`")
    r.add_argument("--accept-unsigned", action="store_true",
                   help="restore a backup without this installation's valid signature (every row is still "
                        "checked); needs --user, and is written in the audit log")
    r.add_argument("--user", default=None, help="with --accept-unsigned: the active administrator who accepts it")

    u = add("users", "users, roles and the sign-in setting (passwords are asked, or read from stdin)")
    us = u.add_subparsers(dest="users_command", required=True)
    p = us.add_parser("add", help="add a user")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=list(roles.ROLES))
    p.add_argument("--display-name", default=None)
    db_option(p)
    db_option(us.add_parser("list", help="list users and roles"))
    for name, help_ in (("passwd", "set a user's password (ends their sessions)"),
                        ("enable", "let a user sign in again"),
                        ("disable", "stop a user from signing in (ends their sessions)"),
                        ("remove", "remove a user (ends their sessions; the audit log keeps the name)")):
        p = us.add_parser(name, help=help_)
        p.add_argument("name")
        db_option(p)
    p = us.add_parser("role", help="change a user's role")
    p.add_argument("name")
    p.add_argument("role", choices=list(roles.ROLES))
    db_option(p)
    p = us.add_parser("require-login", help="whether browsing needs a sign-in (PCI_REQUIRE_LOGIN overrides)")
    p.add_argument("value", choices=["on", "off"])
    db_option(p)
    db_option(us.add_parser("init-admin", help="create user admin now if no administrator exists"))

    a = add("audit", "the audit log")
    asub = a.add_subparsers(dest="audit_command", required=True)
    e = asub.add_parser("export", help="write the whole audit log to .csv or .xlsx (formulas inert)")
    e.add_argument("--out", required=True)
    e.add_argument("--lang", choices=["vi", "en"], default="vi")
    db_option(e)
    return {"backup": cmd_backup, "restore": cmd_restore, "users": _users, "audit": cmd_audit}
