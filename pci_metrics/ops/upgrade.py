"""Upgrades: a database made by an earlier version is brought to this version's schema, safely.

``git pull && make run`` and the service's restart (``build --if-needed`` before the server starts)
call :func:`upgrade`. When the file's schema is older than :data:`schema.SCHEMA_VERSION`:

1. a signed backup is written first (``backups/before-upgrade-v<old>-<UTC time>``, beside the scheduled
   ones but never pruned by them);
2. holding the file's write lock throughout (a command-line import waits, then stops with nothing
   written), the file is copied and the migrations run on the copy;
3. only when every migration succeeded, the old file is kept as
   ``pci.duckdb.before-upgrade-v<old>-<UTC time>`` and the migrated copy takes its place with one
   rename.

A migration that fails leaves the old file exactly as it was (the copy is deleted) and
:class:`UpgradeFailed` says how to roll back: put the previous version of the code back
(``git checkout <previous>``), which opens the untouched file as before; the backup restores with
either version.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pci_metrics.base.problems import Refusal
from pci_metrics.ops import backup, schedule
from pci_metrics.store import schema, storage, tables_db


class UpgradeFailed(Refusal):
    """A migration failed; the database file was not changed. ``message(lang)`` says how to roll back."""


@dataclass(frozen=True)
class Upgrade:
    """What an upgrade did: the schema versions, the backup taken first and the old file kept."""

    before: int
    after: int
    backup: Path
    kept: Path


def _stamp(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}"


def backup_first(db: str | os.PathLike[str] | None, label: str, now: datetime | None = None) -> Path:
    """A signed backup of the database as it is, before an upgrade or a rebuild replaces it:
    ``backups/<label>-<UTC time>`` (never pruned by the scheduled backups)."""
    saved = _new_path(schedule.backup_root(db) / f"{label}-{_stamp(now or datetime.now(UTC))}")
    backup.backup(db, saved)
    return saved


def _new_path(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3`` … when it exists (two tries in one second).

    >>> import tempfile; d = Path(tempfile.mkdtemp()); (d / "a").mkdir(); _new_path(d / "a").name
    'a-2'
    """
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _migrate_copy(work: Path) -> int:
    with storage.connect(work) as con:
        version = schema.migrate(con)
        tables_db.checkpoint(con)
    return version


def upgrade(db: str | os.PathLike[str] | None = None, *, now: datetime | None = None) -> Upgrade | None:
    """Bring an existing database to the current schema (None when it already is)."""
    now = now or datetime.now(UTC)
    target = storage.db_path(db)
    with storage.connect(target, read_only=True) as con:
        before = schema.schema_version(con)
    if before >= schema.SCHEMA_VERSION:
        return None
    # Save outputs, in this order: the backup, the migrated copy, then the swap.
    saved = backup_first(target, f"before-upgrade-v{before}", now)
    work = target.with_name(target.name + ".upgrading")
    kept = _new_path(target.with_name(f"{target.name}.before-upgrade-v{before}-{_stamp(now)}"))
    for leftover in (work, Path(str(work) + ".wal")):
        leftover.unlink(missing_ok=True)
    with storage.connect(target) as con:  # the write lock, held until the new file is in place
        tables_db.checkpoint(con)  # the file alone holds every commit: a faithful copy
        shutil.copy2(target, work)
        try:
            after = _migrate_copy(work)
        except (duckdb.Error, storage.DatabaseCorrupt) as exc:
            for leftover in (work, Path(str(work) + ".wal")):
                leftover.unlink(missing_ok=True)
            raise UpgradeFailed("deploy_err_upgrade", db=str(target), before=before, to=schema.SCHEMA_VERSION,
                                error=str(exc).splitlines()[0][:200], backup=str(saved)) from exc
        shutil.copy2(target, kept)
        os.replace(work, target)
    return Upgrade(before, after, saved, kept)
