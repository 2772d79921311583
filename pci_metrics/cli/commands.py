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
from collections.abc import Callable
from typing import cast

from pci_metrics.base import choices
from pci_metrics.cli.common import both
from pci_metrics.ops import certs, service
from pci_metrics.trust import roles

Handler = Callable[[argparse.Namespace], int]
Add = Callable[[str, str], argparse.ArgumentParser]


def _database(add: Add) -> dict[str, str]:
    b = add("build", "build the database from data/seed")
    b.add_argument("--empty", action="store_true", help="frameworks, entities and the plan, no scores")
    b.add_argument("--if-needed", action="store_true", help="only when missing or older than the seed")
    add("info", "frameworks, years, entities, row counts, last import")
    s = add("show", "every sub-index of an entity in a year with score, rank and source; for haiphong also "
                    "each priority's target, status and gap (latest data)")
    s.add_argument("--entity", required=True)
    s.add_argument("--year", required=True, type=int)
    s.add_argument("--format", choices=["text", "csv"], default="text")
    add("verify", "integrity of the whole database")
    return {"build": "database.cmd_build", "info": "database.cmd_info", "show": "database.cmd_show",
            "verify": "database.cmd_verify"}


def _data(add: Add) -> dict[str, str]:
    p = add("import", "import a VCCI workbook, the template workbook or a long-format CSV")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="check and preview only, write nothing")
    p.add_argument("--year", type=int, help="the PCI year, when the workbook and its name do not say")
    p.add_argument("--allow-changes", action="store_true", help="confirm overwriting published values")
    p.add_argument("--user", help="who imports (default: $PCI_USER or cli:<login>)")
    p.add_argument("--verbose", action="store_true", help="also say how the workbook was read")
    u = add("undo", "undo one import batch (restores exactly the rows it replaced)")
    u.add_argument("--batch", type=int, required=True)
    u.add_argument("--user")
    add("batches", "list the import batches")
    e = add("export", "all scores in the canonical long format (CSV or XLSX)")
    e.add_argument("--out", required=True)
    t = add("template", "write the import template workbook")
    t.add_argument("--out", required=True)
    return {"import": "data.cmd_import", "undo": "data.cmd_undo", "batches": "data.cmd_batches", "export": "data.cmd_export",
            "template": "data.cmd_template"}


def _tasks(add: Add) -> dict[str, str]:
    r = add("report", "the period's administrative report (.docx) or task annex (.xlsx)")
    r.add_argument("--period", required=True, help="2026-Q1, 2026-Q2, 2026-Q3 or 2026 (annual)")
    r.add_argument("--out", required=True, help="FILE.docx (report) or FILE.xlsx (annex)")
    r.add_argument("--lang", choices=["vi", "en"], default="vi")
    r.add_argument("--issuer", choices=list(choices.REPORT_ISSUERS), default="ward",
                   help="ward: UBND phường (default); focal: Phòng KT-HT&ĐT")
    r.add_argument("--today", help="date the report is made (YYYY-MM-DD; default today)")
    r.add_argument("--no-charts", action="store_true", help="leave the chart images out (faster)")
    return {"report": "tasks.cmd_report"}


def _slides(add: Add) -> dict[str, str]:
    p = add("deck", "export the presentation deck: PDF handout (one slide per page) or self-contained HTML")
    p.add_argument("--out", required=True, help="FILE.pdf or FILE.html")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--priority", action="append", metavar="CODE",
                   help="only this prioritized sub-index (repeatable; printed as a filter on every page)")
    return {"deck": "slides.cmd_deck"}


def _whatif(add: Add) -> dict[str, str]:
    p = add("whatif", both("whatif_cli_help"))
    p.add_argument("--entity", default=choices.DEFAULT_ENTITY, help="province key (default: haiphong)")
    p.add_argument("--year", type=int, help="year (default: the latest with full sub-index data)")
    p.add_argument("--set", action="append", metavar="CODE=±POINTS",
                   help="change of one sub-index in points, e.g. transparency=+0.5 (repeatable)")
    p.add_argument("--rank", type=int, help="also show what it takes to reach this rank")
    p.add_argument("--max-step", type=float, dest="max_step",
                   help="largest rise per sub-index in the rank plan (default: up to the year's best)")
    p.add_argument("--assumption", choices=list(choices.SCENARIO_ASSUMPTIONS),
                   help="simulate PCI 2025 (weights unknown) under this assumption")
    return {"whatif": "whatif.cmd_whatif"}


def _trust(add: Add) -> dict[str, str]:
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
    return {"backup": "trust.cmd_backup", "restore": "trust.cmd_restore", "users": "trust.cmd_users", "audit": "trust.cmd_audit"}


def _deploy(add: Add) -> dict[str, str]:
    c = add("cert", "make a certificate for serving on the office network over HTTPS (a local CA and the "
                    "server's certificate, in data/tls/)")
    c.add_argument("--host", action="append", help="a host name browsers will use (repeatable)")
    c.add_argument("--ip", action="append", help="an IP address browsers will use (repeatable)")
    c.add_argument("--out", help="folder (default: tls/ beside the database)")
    c.add_argument("--days", type=int, default=certs.VALID_DAYS, help="days of validity")
    f = add("service-files", "write the systemd unit files for this checkout (make install-service uses it)")
    f.add_argument("--out", required=True, help="folder, e.g. /etc/systemd/system")
    f.add_argument("--user", default=service.USER, help="the unprivileged user the service runs as")
    f.add_argument("--python", default=str(service.ServiceSettings().python), help="the venv's python")
    b = add("scheduled-backup", "the nightly backup: a new signed backup, verified by a trial restore, then the "
                                "last N daily and M monthly good backups kept (exit 1 if any backup is bad)")
    b.add_argument("--into", help="backup folder (default: $PCI_BACKUP_DIR or backups/ beside the database)")
    b.add_argument("--keep-daily", type=int, default=choices.KEEP_DAILY, help="days kept (newest of each)")
    b.add_argument("--keep-monthly", type=int, default=choices.KEEP_MONTHLY, help="months kept (newest of each)")
    b.add_argument("--copy-to", help="a second folder (another disk, a network share) that gets a copy")
    return {"cert": "deploy.cmd_cert", "service-files": "deploy.cmd_service_files", "scheduled-backup": "trust.cmd_scheduled_backup"}


# Each area's commands, in the order ``--help`` lists them.
AREAS = (_database, _data, _tasks, _slides, _whatif, _trust, _deploy)


def parser() -> tuple[argparse.ArgumentParser, dict[str, str]]:
    """The argument parser, and each command's function as ``"module.function"`` in :mod:`pci_metrics.cli`."""
    p = argparse.ArgumentParser(prog="python -m pci_metrics",
                                description="PCI dashboard engine / công cụ dữ liệu PCI")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_)
        sp.add_argument("--db", help="database file (default: $PCI_DB_PATH or data/pci.duckdb)")
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
