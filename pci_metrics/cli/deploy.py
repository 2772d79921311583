"""Subcommands for running the dashboard at the ward: ``cert`` (a certificate for the office network) and
``service-files`` (the systemd units for this checkout); the nightly ``scheduled-backup`` is with the other
backups in :mod:`pci_metrics.cli.trust`.

Thin: parse, delegate to :mod:`pci_metrics.ops`, print one line in Vietnamese / English. Neither needs
the database, so neither loads DuckDB or pandas.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pci_metrics.cli.common import UserError, both
from pci_metrics.ops import certs, network, service


def cmd_cert(args: argparse.Namespace) -> int:
    folder = args.out or network.tls_dir(args.db)
    try:
        made = certs.make_certificate(folder, tuple(args.host or ()), tuple(args.ip or ()), days=args.days)
    except certs.CertificateError as exc:
        raise UserError(str(exc)) from exc
    print(both("deploy_cert_done", names=", ".join([*made.hosts, *made.ips]), days=args.days,
               cert=made.cert, keyfile=made.key, ca=made.ca))
    return 0


def cmd_service_files(args: argparse.Namespace) -> int:
    settings = service.ServiceSettings(python=Path(args.python).absolute(), user=args.user)
    for path in service.write_unit_files(args.out, settings):
        print(path)
    return 0
