"""Analysts' data import, one file end to end: read, validate, preview the change, commit it.

The engine behind the Import page and ``python -m pci_metrics import``:

1. :func:`pci_metrics.imports.read.read_file` checks the bytes (size, type, zip bomb, encryption,
   macros) and reads a VCCI workbook, our template workbook or a long-format CSV — nothing touches
   the database;
2. :func:`pci_metrics.imports.validate.validate` checks every row against the database's
   frameworks, entities, units and tasks and lists every problem at once (sheet, row, column,
   value found, what was expected);
3. :func:`pci_metrics.imports.diff.diff` compares with the database: rows added, changed
   (old → new) and unchanged;
4. :func:`pci_metrics.imports.commit.commit` writes one batch in one transaction (rows,
   ``batch_change`` with old and new, the audit log); a changed *published* value needs
   ``allow_changes``; :func:`pci_metrics.imports.commit.undo` restores exactly the rows a batch replaced.

Steps 1 and 2 run in a limited worker process (:mod:`pci_metrics.imports.sandbox`), so an untrusted
file can never take the server down.
"""

from __future__ import annotations

import pandas as pd

from pci_metrics.base.i18n import t
from pci_metrics.base.problems import InputError, Problem
from pci_metrics.imports import sandbox
from pci_metrics.imports.commit import Outcome, commit
from pci_metrics.imports.context import Context, load_context
from pci_metrics.imports.diff import CHANGE_COLUMNS, Preview, diff
from pci_metrics.imports.limits import errors, problem
from pci_metrics.imports.read import read_file
from pci_metrics.imports.sandbox import LimitExceeded
from pci_metrics.imports.sniff import safe_file_name, sha256
from pci_metrics.imports.validate import Incoming, validate
from pci_metrics.store import storage


def read_and_validate(data: bytes, file_name: str | None, year: int | None, ctx: Context,
                      user: str) -> Incoming:
    """Read a file and check every row (what the limited worker runs: bytes and vocabularies in,
    validated rows out; no database handle).

    >>> ctx = Context(*(pd.DataFrame() for _ in range(10)))
    >>> read_and_validate(b"", "empty.csv", None, ctx, "lan").problems[0].code
    'empty'
    """
    return validate(read_file(data, file_name, year=year), ctx, user=user)


def _limit_problem(exc: LimitExceeded, file_name: str | None) -> Problem:
    """The refusal of a file that exceeded the worker's limits, e.g. "… found "x.xlsx", expected a file
    readable within the limits (memory: 1,536 MB); it could not be read within them and was not imported"."""
    return problem(f"limit_{exc.which}", t("ingest_limit_expected", "vi", limit=exc.limit_text("vi")),
                   t("ingest_limit_expected", "en", limit=exc.limit_text("en")), found=safe_file_name(file_name))


def incoming_from_file(path: str | None, data: bytes, file_name: str | None, *, user: str,
                       year: int | None = None) -> Incoming:
    """Read and validate an untrusted file in a limited worker process (:mod:`pci_metrics.imports.sandbox`).

    The database is open only to load the vocabularies (milliseconds), never while the file is read,
    so a command-line import or a backup can run meanwhile. A file that exceeds the worker's memory or
    time limit, or kills its reader, comes back as one problem (``limit_memory``, ``limit_time``,
    ``limit_crash``); the caller's process is never at risk.
    """
    # Load inputs.
    with storage.connect(path) as con:
        ctx = load_context(con)
    # Process data.
    try:
        return sandbox.run(read_and_validate, data, file_name, year, ctx, user)
    except LimitExceeded as exc:
        return Incoming("", safe_file_name(file_name), sha256(data), {}, [_limit_problem(exc, file_name)], year)


def _refused_preview(incoming: Incoming) -> Preview:
    return Preview(incoming, {}, pd.DataFrame(columns=CHANGE_COLUMNS), {})


def preview_file(path: str | None, data: bytes, file_name: str | None, year: int | None = None,
                 user: str = "chuyen-vien") -> Preview:
    """Read and validate a file (in the limited worker), then compare it with the database at ``path``;
    never raises for a bad file (see ``ok``).

    Example: an empty upload → ``preview.ok`` False, one problem with code ``empty``.
    """
    incoming = incoming_from_file(path, data, file_name, user=user, year=year)
    if not incoming.ok:
        return _refused_preview(incoming)
    with storage.connect(path) as con:
        return diff(con, incoming)


def import_file(path: str | None, data: bytes, file_name: str | None, *, user: str, year: int | None = None,
                dry_run: bool = False, allow_changes: bool = False) -> Outcome:
    """Read and validate a file in the limited worker, then (unless ``dry_run``) commit it into the
    database at ``path``; raises InputError.

    The comparison with the database runs once, inside the commit's transaction. Example: the same
    file twice → the second outcome has status ``nothing`` and names the first batch.
    """
    incoming = incoming_from_file(path, data, file_name, user=user, year=year)
    if not incoming.ok:
        raise InputError(errors(incoming.problems))
    if dry_run:
        with storage.connect(path) as con:
            preview = diff(con, incoming)
        return Outcome(None, "preview", preview.added, preview.changed, preview.unchanged, preview)
    with storage.connect(path) as con:
        return commit(con, incoming, user=user, allow_changes=allow_changes)
