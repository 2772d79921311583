"""Backups and restores: a folder of Parquet files plus a manifest of checksums.

A backup holds every base table (one Parquet file each, types kept exactly) and
``manifest.json``: schema version, each table's row count and content checksum
(:func:`storage.checksums_of`) and each file's sha256. It is written into a temporary folder and
renamed into place, so a half-written backup never carries the final name.

A restore checks the files against the manifest, builds a *new* database file beside the target
(schema from the app's own migrations, rows from the files), compares every table's checksum with
the manifest, and only then swaps it in with one atomic rename while holding the old file's lock:
a process that is writing makes the restore wait (and then stop with :class:`storage.DatabaseBusy`),
never the other way round. The previous file is kept as ``<name>.before-restore``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import storage
from .problems import Refusal

MANIFEST = "manifest.json"
FORMAT = "pci-metrics-backup/1"


class BackupError(Refusal, RuntimeError):
    """A backup or restore that cannot be done; nothing was changed. ``message(lang)`` says why."""


@dataclass(frozen=True)
class Manifest:
    """What a backup folder holds."""

    schema_version: int
    created_at: str
    source: str
    tables: dict[str, dict[str, Any]]  # table -> {"file", "rows", "checksum", "sha256"}

    @property
    def rows(self) -> int:
        """Rows in all tables together."""
        return sum(int(v["rows"]) for v in self.tables.values())

    def checksums(self) -> dict[str, str]:
        """Table -> content checksum."""
        return {k: str(v["checksum"]) for k, v in self.tables.items()}


@dataclass(frozen=True)
class RestoreResult:
    """Where the restored database is and where the previous one was kept (None if there was none)."""

    db: Path
    previous: Path | None
    manifest: Manifest
    seconds: float


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, hex.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x"; _ = p.write_bytes(b"abc"); file_sha256(p)[:12]
    'ba7816bf8f01'
    """
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _table_order(tables: list[str]) -> list[str]:
    # schema_version first: it says which migrations the other tables follow
    return sorted(tables, key=lambda x: (x != "schema_version", x))


def backup(db: str | os.PathLike[str] | None, out_dir: str | os.PathLike[str]) -> Manifest:
    """Write a backup of the database into ``out_dir`` (which must be new or empty).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with storage.connect(d / "a.duckdb", create=True) as con: _ = storage.migrate(con)
    >>> backup(d / "a.duckdb", d / "bak").tables["schema_version"]["rows"] == storage.SCHEMA_VERSION
    True
    """
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError("trust_err_backup_exists", dir=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.with_name(out.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        # Load inputs and save outputs in one read: the file is locked meanwhile, so the
        # snapshot is consistent (no write can land between two tables).
        with storage.connect(db, read_only=True) as con:
            version = storage.schema_version(con)
            tables = _table_order(storage.base_tables(con))
            checksums = storage.checksums_of(con, tables)
            entries: dict[str, dict[str, Any]] = {}
            for i, table in enumerate(tables):
                file = f"{i:03d}_{table}.parquet"
                storage.export_table(con, table, work / file)
                entries[table] = {"file": file, "rows": storage.row_count(con, table),
                                  "checksum": checksums[table]}
        for entry in entries.values():
            entry["sha256"] = file_sha256(work / str(entry["file"]))
        manifest = Manifest(version, datetime.now(UTC).isoformat(timespec="seconds"),
                            str(storage.db_path(db)), entries)
        (work / MANIFEST).write_text(json.dumps(
            {"format": FORMAT, "schema_version": manifest.schema_version, "created_at": manifest.created_at,
             "source": manifest.source, "tables": manifest.tables}, ensure_ascii=False, indent=1),
            encoding="utf-8")
        if out.exists():
            out.rmdir()  # empty, checked above
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def read_manifest(backup_dir: str | os.PathLike[str]) -> Manifest:
    """The manifest of a backup folder, after checking every file against its sha256."""
    folder = Path(backup_dir)
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError("trust_err_no_manifest", dir=str(folder))
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest(int(raw["schema_version"]), str(raw["created_at"]), str(raw["source"]),
                            dict(raw["tables"]))
        if raw.get("format") != FORMAT:
            raise ValueError(raw.get("format"))
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError("trust_err_no_manifest", dir=str(folder)) from exc
    for table, entry in manifest.tables.items():
        name = str(entry.get("file", ""))
        file = folder / name
        # names come from the manifest: accept only plain file names inside the folder
        if Path(name).name != name or not file.is_file() or file_sha256(file) != entry.get("sha256"):
            raise BackupError("trust_err_backup_corrupt", file=name or table)
    if manifest.schema_version > storage.SCHEMA_VERSION:
        raise BackupError("trust_err_schema_newer", found=manifest.schema_version, current=storage.SCHEMA_VERSION)
    return manifest


def restore(backup_dir: str | os.PathLike[str], db: str | os.PathLike[str] | None = None) -> RestoreResult:
    """Restore a backup over ``db`` (or into a new file); the old file is kept beside it."""
    t0 = time.perf_counter()
    manifest = read_manifest(backup_dir)
    folder = Path(backup_dir)
    target = storage.db_path(db)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(target.name + ".restoring")
    for leftover in (fresh, Path(str(fresh) + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        _build(folder, manifest, fresh)
        previous = _swap(fresh, target)
    finally:
        for leftover in (fresh, Path(str(fresh) + ".wal")):
            leftover.unlink(missing_ok=True)
    return RestoreResult(target, previous, manifest, time.perf_counter() - t0)


def _build(folder: Path, manifest: Manifest, fresh: Path) -> None:
    # Process data: the schema from our migrations (up to the backup's version), rows from the files.
    with storage.connect(fresh, create=True) as con:
        storage.migrate(con, manifest.schema_version)
        missing = sorted(set(manifest.tables) - set(storage.base_tables(con)))
        if missing:
            raise BackupError("trust_err_restore_mismatch", table=", ".join(missing))
        with storage.transaction(con):
            for table in _table_order(list(manifest.tables)):
                storage.import_table(con, table, folder / str(manifest.tables[table]["file"]))
        got = storage.checksums_of(con, list(manifest.tables))
        bad = [k for k, v in manifest.checksums().items() if got.get(k) != v]
        if bad:
            raise BackupError("trust_err_restore_mismatch", table=", ".join(bad))
        storage.migrate(con)  # an older backup is brought up to this version
        storage.checkpoint(con)


def _swap(fresh: Path, target: Path) -> Path | None:
    """Put ``fresh`` in place of ``target`` atomically, holding the old file's lock meanwhile."""
    if not target.exists():
        os.replace(fresh, target)
        return None
    previous = target.with_name(target.name + ".before-restore")
    with storage.connect(target) as con:  # waits for a writer, then DatabaseBusy
        storage.checkpoint(con)  # the old file alone holds every commit: a faithful copy
        shutil.copy2(target, previous)
        Path(str(target) + ".wal").unlink(missing_ok=True)
        os.replace(fresh, target)
    return previous
