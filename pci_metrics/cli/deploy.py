"""Subcommands for running the dashboard at the ward: ``cert`` (a certificate for the office network),
``service-files`` (the systemd units for this checkout), ``scheduled-backup`` (the nightly backup).

Thin: parse, delegate to :mod:`pci_metrics.ops`, print one line in Vietnamese / English.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pci_metrics.base.i18n import t
from pci_metrics.cli.common import UserError
from pci_metrics.ops import backup, certs, network, schedule, service

Handler = Callable[[argparse.Namespace], int]


def _both(key: str, **kw: object) -> str:
    return t(key, "vi", **kw) + " / " + t(key, "en", **kw)


def cmd_cert(args: argparse.Namespace) -> int:
    folder = args.out or network.tls_dir(args.db)
    try:
        made = certs.make_certificate(folder, tuple(args.host or ()), tuple(args.ip or ()), days=args.days)
    except certs.CertificateError as exc:
        raise UserError(str(exc)) from exc
    print(_both("deploy_cert_done", names=", ".join([*made.hosts, *made.ips]), days=args.days,
                cert=made.cert, keyfile=made.key, ca=made.ca))
    return 0


def cmd_scheduled_backup(args: argparse.Namespace) -> int:
    for option, value in (("--keep-daily", args.keep_daily), ("--keep-monthly", args.keep_monthly)):
        if value < 1:
            raise UserError(_both("deploy_err_keep", option=option, value=value))
    report = schedule.run(args.db, args.into, keep_daily=args.keep_daily, keep_monthly=args.keep_monthly,
                          copy_to=args.copy_to)
    if report.verified and report.written is not None:
        print(_both("deploy_backup_verified", dir=report.written, rows=backup.read_manifest(report.written).rows))
    if report.copied is not None:
        print(_both("deploy_backup_copied", dir=report.copied))
    print(_both("deploy_backup_kept", n=len(report.kept), daily=args.keep_daily, monthly=args.keep_monthly,
                deleted=", ".join(p.name for p in report.deleted) or "—"))
    for folder, reason in report.bad.items():
        print(_both("deploy_backup_bad", dir=folder, reason=reason), file=sys.stderr)
    newest = schedule.last_good(report.written.parent if report.written else schedule.backup_root(args.db))
    print(_both("deploy_backup_last_good", when=newest.isoformat() if newest else t("deploy_backup_none", "en")))
    return 0 if report.ok else 1


def cmd_service_files(args: argparse.Namespace) -> int:
    settings = service.ServiceSettings(python=Path(args.python).absolute(), user=args.user)
    for path in service.write_unit_files(args.out, settings):
        print(path)
    return 0


def register(sub: argparse._SubParsersAction, add: Callable[[str, str], argparse.ArgumentParser]) -> dict[str, Handler]:  # type: ignore[type-arg]
    """Add this area's subcommands; return name -> handler."""
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
    b.add_argument("--keep-daily", type=int, default=schedule.KEEP_DAILY, help="days kept (newest of each)")
    b.add_argument("--keep-monthly", type=int, default=schedule.KEEP_MONTHLY, help="months kept (newest of each)")
    b.add_argument("--copy-to", help="a second folder (another disk, a network share) that gets a copy")
    return {"cert": cmd_cert, "service-files": cmd_service_files, "scheduled-backup": cmd_scheduled_backup}
