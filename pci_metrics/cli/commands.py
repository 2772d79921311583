"""The command line's commands: their arguments, their help, and which function runs each.

Built from light modules only (the string catalogue, the shared choices, the path of the database,
the certificate and service settings): ``python -m pci_metrics --help``, each command's ``--help`` and a
mistyped argument are answered without loading pandas, numpy, DuckDB, Plotly or Streamlit. A command
names its function as ``"module.function"`` in :mod:`pci_metrics.cli`, and :func:`handler` imports that
module only when the command runs — the one place the command line loads what a command needs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, cast

from pci_metrics.base import choices
from pci_metrics.cli.common import both
from pci_metrics.ops import certs, service
from pci_metrics.trust import roles

Handler = Callable[[argparse.Namespace], int]
Add = Callable[[str, str], argparse.ArgumentParser]  # add(command, catalogue key of its help) -> its parser


def _database(add: Add) -> dict[str, str]:
    b = add("build", "cli_build")
    b.add_argument("--empty", action="store_true", help=both("cli_build_empty"))
    b.add_argument("--if-needed", action="store_true", help=both("cli_build_if_needed"))
    add("info", "cli_info")
    s = add("show", "cli_show")
    s.add_argument("--entity", required=True)
    s.add_argument("--year", required=True, type=int)
    s.add_argument("--format", choices=["text", "csv"], default="text")
    add("verify", "cli_verify")
    return {"build": "database.cmd_build", "info": "database.cmd_info", "show": "database.cmd_show",
            "verify": "database.cmd_verify"}


def _data(add: Add) -> dict[str, str]:
    p = add("import", "cli_import")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help=both("cli_import_dry_run"))
    p.add_argument("--year", type=int, help=both("cli_import_year"))
    p.add_argument("--allow-changes", action="store_true", help=both("cli_import_allow_changes"))
    p.add_argument("--user", help=both("cli_import_user"))
    p.add_argument("--verbose", action="store_true", help=both("cli_import_verbose"))
    u = add("undo", "cli_undo")
    u.add_argument("--batch", type=int, required=True)
    u.add_argument("--user")
    add("batches", "cli_batches")
    e = add("export", "cli_export")
    e.add_argument("--out", required=True)
    t = add("template", "cli_template")
    t.add_argument("--out", required=True)
    return {"import": "data.cmd_import", "undo": "data.cmd_undo", "batches": "data.cmd_batches",
            "export": "data.cmd_export", "template": "data.cmd_template"}


def _tasks(add: Add) -> dict[str, str]:
    r = add("report", "cli_report")
    r.add_argument("--period", required=True, help=both("cli_report_period"))
    r.add_argument("--out", required=True, help=both("cli_report_out"))
    r.add_argument("--lang", choices=["vi", "en"], default="vi")
    r.add_argument("--issuer", choices=list(choices.REPORT_ISSUERS), default="ward",
                   help=both("cli_report_issuer"))
    r.add_argument("--today", help=both("cli_report_today"))
    r.add_argument("--no-charts", action="store_true", help=both("cli_report_no_charts"))
    return {"report": "tasks.cmd_report"}


def _slides(add: Add) -> dict[str, str]:
    p = add("deck", "cli_deck")
    p.add_argument("--out", required=True, help=both("cli_deck_out"))
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--priority", action="append", metavar="CODE",
                   help=both("cli_deck_priority"))
    return {"deck": "slides.cmd_deck"}


def _whatif(add: Add) -> dict[str, str]:
    p = add("whatif", "whatif_cli_help")
    p.add_argument("--entity", default=choices.DEFAULT_ENTITY, help=both("cli_whatif_entity", entity=choices.DEFAULT_ENTITY))
    p.add_argument("--year", type=int, help=both("cli_whatif_year"))
    p.add_argument("--set", action="append", metavar="CODE=±POINTS",
                   help=both("cli_whatif_set"))
    p.add_argument("--rank", type=int, help=both("cli_whatif_rank"))
    p.add_argument("--max-step", type=float, dest="max_step",
                   help=both("cli_whatif_max_step"))
    p.add_argument("--assumption", choices=list(choices.SCENARIO_ASSUMPTIONS),
                   help=both("cli_whatif_assumption"))
    return {"whatif": "whatif.cmd_whatif"}


def _trust(add: Add) -> dict[str, str]:
    b = add("backup", "cli_backup")
    b.add_argument("--out", required=True, help=both("cli_backup_out"))
    r = add("restore", "cli_restore")
    r.add_argument("dir", help=both("cli_restore_dir"))
    r.add_argument("--accept-unsigned", action="store_true", help=both("cli_restore_accept_unsigned"))
    r.add_argument("--user", default=None, help=both("cli_restore_user"))
    users = add("users", "cli_users").add_subparsers(dest="users_command", required=True, title=both("cli_commands"))
    p = _sub_command(users, "add", "cli_users_add")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=list(roles.ROLES))
    p.add_argument("--display-name", default=None)
    _sub_command(users, "list", "cli_users_list")
    for name in ("passwd", "enable", "disable", "remove"):
        _sub_command(users, name, f"cli_users_{name}").add_argument("name")
    p = _sub_command(users, "role", "cli_users_role")
    p.add_argument("name")
    p.add_argument("role", choices=list(roles.ROLES))
    _sub_command(users, "require-login", "cli_users_require_login").add_argument("value", choices=["on", "off"])
    _sub_command(users, "init-admin", "cli_users_init_admin")
    audit = add("audit", "cli_audit").add_subparsers(dest="audit_command", required=True, title=both("cli_commands"))
    e = _sub_command(audit, "export", "cli_audit_export")
    e.add_argument("--out", required=True)
    e.add_argument("--lang", choices=["vi", "en"], default="vi")
    return {"backup": "trust.cmd_backup", "restore": "trust.cmd_restore", "users": "trust.cmd_users",
            "audit": "trust.cmd_audit"}


def _sub_command(group: argparse._SubParsersAction, name: str, key: str) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """A command's sub-command (``users add``, ``audit export``); it takes ``--db`` after its own arguments."""
    p: argparse.ArgumentParser = group.add_parser(name, help=both(key), description=both(key))
    p.add_argument("--db", default=argparse.SUPPRESS, help=both("cli_db"))
    return p


def _deploy(add: Add) -> dict[str, str]:
    c = add("cert", "cli_cert")
    c.add_argument("--host", action="append", help=both("cli_cert_host"))
    c.add_argument("--ip", action="append", help=both("cli_cert_ip"))
    c.add_argument("--out", help=both("cli_cert_out"))
    c.add_argument("--days", type=int, default=certs.VALID_DAYS, help=both("cli_cert_days"))
    f = add("service-files", "cli_service_files")
    f.add_argument("--out", required=True, help=both("cli_service_files_out"))
    f.add_argument("--user", default=service.USER, help=both("cli_service_files_user"))
    f.add_argument("--python", default=str(service.ServiceSettings().python), help=both("cli_service_files_python"))
    b = add("scheduled-backup", "cli_scheduled_backup")
    b.add_argument("--into", help=both("cli_scheduled_backup_into"))
    b.add_argument("--keep-daily", type=int, default=choices.KEEP_DAILY, help=both("cli_scheduled_backup_keep_daily"))
    b.add_argument("--keep-monthly", type=int, default=choices.KEEP_MONTHLY, help=both("cli_scheduled_backup_keep_monthly"))
    b.add_argument("--copy-to", help=both("cli_scheduled_backup_copy_to"))
    return {"cert": "deploy.cmd_cert", "service-files": "deploy.cmd_service_files",
            "scheduled-backup": "trust.cmd_scheduled_backup"}


# Each area's commands, in the order ``--help`` lists them.
AREAS = (_database, _data, _tasks, _slides, _whatif, _trust, _deploy)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, both("cli_usage") + ": " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse in Vietnamese first: its headings, its ``-h`` and its error line are the catalogue's
    (argparse's own message after "lỗi / error" stays in English). Each command's parser is one too."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "add_help": False, "formatter_class": _Formatter})
        self._positionals.title = both("cli_arguments")
        self._optionals.title = both("cli_options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=both("cli_help"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {both('cli_error')}: {message}\n")


def parser() -> tuple[argparse.ArgumentParser, dict[str, str]]:
    """The argument parser, and each command's function as ``"module.function"`` in :mod:`pci_metrics.cli`."""
    p = Parser(prog="python -m pci_metrics", description=both("cli_description"))
    sub = p.add_subparsers(dest="command", required=True, title=both("cli_commands"))

    def add(name: str, key: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=both(key), description=both(key))
        sp.add_argument("--db", help=both("cli_db"))
        return sp

    commands: dict[str, str] = {}
    for area in AREAS:
        commands.update(area(add))
    return p, commands


def handler(target: str) -> Handler:
    """The function named ``"module.function"`` in :mod:`pci_metrics.cli`, its module imported now.

    >>> handler("deploy.cmd_service_files").__name__
    'cmd_service_files'
    """
    module, _, name = target.rpartition(".")
    return cast(Handler, getattr(importlib.import_module(f"pci_metrics.cli.{module}"), name))
