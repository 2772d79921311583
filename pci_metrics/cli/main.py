"""Command line: ``python -m pci_metrics COMMAND``. Thin: it parses, delegates and prints.

The parser comes from :mod:`pci_metrics.cli.commands`, built without pandas or DuckDB; a command's
module (and what it needs) is imported only when that command runs, so ``--help``, a mistyped
argument, ``cert`` and ``service-files`` answer at once.

A user error exits with code 2 and one line in Vietnamese / English; so does a failure outside the
program's control (a damaged or busy database, a full disk, a folder given for a file: see
:mod:`pci_metrics.trust.failures`). A bug keeps its traceback (exit code 1), so that it gets reported.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from pci_metrics.base.problems import InputError
from pci_metrics.cli import commands
from pci_metrics.cli.common import UserError, check_numbers


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    p, table = commands.parser()
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its usage line
        return int(exc.code or 0) and 2
    try:
        check_numbers(args)
        return commands.handler(table[args.command])(args)
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except InputError as exc:
        for problem in exc.problems:
            print(problem.message("vi") + " / " + problem.message("en"), file=sys.stderr)
        return 2
    except Exception as exc:
        from pci_metrics.trust import failures  # DuckDB's errors among them: loaded only when a command failed

        line = failures.cli_line(exc)  # a damaged or busy database, a full disk, a folder for a file, ...
        if line is None:
            raise  # a bug: its traceback stays visible
        print(line, file=sys.stderr)
        return 2
