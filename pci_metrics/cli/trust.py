"""Subcommands of the trust area: backup, the nightly scheduled backup, restore, users, audit export.

Thin: parse, delegate to :mod:`backup`, :mod:`auth`, :mod:`audit`, print one line per result in
Vietnamese / English. Passwords are never taken from the command line (they would stay in the
shell history): they are asked for, or read from the first line of standard input.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time

import duckdb

from pci_metrics.base.i18n import t
from pci_metrics.cli.common import UserError, both
from pci_metrics.ops import backup, schedule
from pci_metrics.store import storage
from pci_metrics.trust import audit, auth


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
        return getpass.getpass(both("trust_prompt_password", user=user))
    return sys.stdin.readline().rstrip("\r\n")


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        t0 = time.perf_counter()
        manifest = backup.backup(_db(args), args.out)
        seconds = time.perf_counter() - t0
    except backup.BackupError as exc:
        raise UserError(str(exc)) from exc
    print(both("trust_backup_done", tables=len(manifest.tables), rows=manifest.rows, dir=args.out,
               s=f"{seconds:.2f}"))
    print(both("trust_backup_signed", path=backup.key_path(_db(args)),
               key_id=backup.key_id(backup.installation_key(_db(args)))))
    return 0


RESTORE_PROBLEMS_SHOWN = 50


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a signed backup; refusals are one line (exit 2), or that line and the rows refused."""
    if bool(args.accept_unsigned) != bool(args.user):
        raise UserError(both("trust_err_accept_needs_user"))
    try:
        result = backup.restore(args.dir, _db(args), by=_actor(), accept_unsigned_by=args.user)
    except backup.RestoreRefused as exc:
        print(str(exc), file=sys.stderr)
        for problem in exc.problems[:RESTORE_PROBLEMS_SHOWN]:
            print(problem.message("vi") + " / " + problem.message("en"), file=sys.stderr)
        if len(exc.problems) > RESTORE_PROBLEMS_SHOWN:
            print(both("trust_restore_more", n=len(exc.problems) - RESTORE_PROBLEMS_SHOWN), file=sys.stderr)
        return 2
    except backup.BackupError as exc:
        raise UserError(str(exc)) from exc
    print(both("trust_restore_done", dir=args.dir, db=result.db, s=f"{result.seconds:.2f}"))
    if result.signed:
        print(both("trust_restore_signed", key_id=result.key_id))
    else:
        print(both("trust_restore_accepted", user=result.accepted_by))
    if result.previous is not None:
        print(both("trust_restore_previous", path=result.previous))
    return 0


def cmd_users(args: argparse.Namespace) -> int:
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
        print(both("trust_user_added", user=user.user_name, role=user.role))
    elif action == "passwd":
        auth.set_password(con, args.name, _read_password(args.name), by=_actor())
        print(both("trust_user_changed", user=args.name))
    elif action == "role":
        auth.set_role(con, args.name, args.role, by=_actor())
        print(both("trust_user_changed", user=args.name))
    elif action in ("enable", "disable"):
        auth.set_active(con, args.name, action == "enable", by=_actor())
        print(both("trust_user_changed", user=args.name))
    elif action == "remove":
        auth.remove_user(con, args.name, by=_actor())
        print(both("trust_user_removed", user=args.name))
    elif action == "require-login":
        auth.set_login_required(con, args.value == "on", by=_actor())
        print(both("trust_setting_saved", value=args.value))
    elif action == "init-admin":
        boot = auth.ensure_admin(con)
        if boot.one_time_password:
            print(both("trust_first_admin", password=boot.one_time_password))
        elif boot.created:
            print(both("trust_first_admin_env"))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    with storage.connect(_db(args), read_only=True) as con:
        try:
            n = audit.export(con, args.out, args.lang)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
    print(both("trust_audit_exported", n=n, file=args.out))
    return 0


def cmd_scheduled_backup(args: argparse.Namespace) -> int:
    for option, value in (("--keep-daily", args.keep_daily), ("--keep-monthly", args.keep_monthly)):
        if value < 1:
            raise UserError(both("deploy_err_keep", option=option, value=value))
    report = schedule.run(args.db, args.into, keep_daily=args.keep_daily, keep_monthly=args.keep_monthly,
                          copy_to=args.copy_to)
    if report.verified and report.written is not None:
        print(both("deploy_backup_verified", dir=report.written, rows=backup.read_manifest(report.written).rows))
    if report.copied is not None:
        print(both("deploy_backup_copied", dir=report.copied))
    print(both("deploy_backup_kept", n=len(report.kept), daily=args.keep_daily, monthly=args.keep_monthly,
               deleted=", ".join(p.name for p in report.deleted) or "—"))
    for folder, reason in report.bad.items():
        print(both("deploy_backup_bad", dir=folder, reason=reason), file=sys.stderr)
    newest = schedule.last_good(report.written.parent if report.written else schedule.backup_root(args.db))
    print(both("deploy_backup_last_good", when=newest.isoformat() if newest else t("deploy_backup_none", "en")))
    return 0 if report.ok else 1
