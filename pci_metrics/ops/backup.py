"""Backups and restores: a folder of Parquet files plus a signed manifest of checksums.

A backup holds every base table (one Parquet file each, types kept exactly) and
``manifest.json``: schema version, each table's row count and content checksum
(:func:`tables_db.checksums_of`), each file's sha256, and a signature: HMAC-SHA256 over the
manifest's canonical bytes with this installation's key. The key is a random 256-bit secret
created at the first backup, readable by its owner only (0600), kept outside the database and
outside every backup (``$PCI_BACKUP_KEY``, else ``.pci-backup-key`` in the database's folder).
Anyone can recompute checksums and sha256s after editing a file; only the installation can sign.

A restore refuses, with nothing changed, a backup whose signature is missing or does not match
(an administrator may accept one explicitly, and the acceptance is written in the audit log). It
then checks the files against the manifest, builds a *new* database file beside the target
(schema from the app's own migrations, rows from the files), compares every table's checksum,
checks every row with the import's own rules and runs ``verify``, and writes an audit line in
that new file. Only then is it swapped in with one atomic rename while holding the old file's
lock: a process that is writing makes the restore wait (and then stop with
:class:`storage.DatabaseBusy`), never the other way round. Every earlier file is kept under a new
time-stamped name (``pci.duckdb.before-restore-20261204T163000Z``), never overwritten.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import itertools
import json
import os
import secrets
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pci_metrics.base.i18n import t
from pci_metrics.base.problems import Refusal
from pci_metrics.imports.context import load_context
from pci_metrics.imports.diff import SPECS
from pci_metrics.imports.limits import KIND_TEMPLATE, errors
from pci_metrics.imports.read import RawFile, RawSheet
from pci_metrics.imports.validate import validate
from pci_metrics.store import audit_db, schema, storage, tables_db
from pci_metrics.trust import auth, roles
from pci_metrics.views import history

MANIFEST = "manifest.json"
FORMAT = "pci-metrics-backup/1"
SIGNATURE_ALG = "HMAC-SHA256"
KEY_ENV = "PCI_BACKUP_KEY"
KEY_FILE = ".pci-backup-key"
KEY_BYTES = 32


class BackupError(Refusal, RuntimeError):
    """A backup or restore that cannot be done; nothing was changed. ``message(lang)`` says why."""


@dataclass(frozen=True)
class RowProblem:
    """One restored value that an import (or ``verify``) would refuse: where, what was found, what was expected."""

    table: str  # "" for a remark about the whole list ("… and 12 more problems")
    key: str | None  # the row's primary key as text; None for a check of the whole table ("verify")
    column: str | None
    found: str | None
    expected_vi: str
    expected_en: str

    def message(self, lang: str = "vi") -> str:
        """One line in a language.

        >>> RowProblem("score", "haiphong · 2024 · composite", "value", "-5", "0–100", "0 to 100").message("en")
        'Table score, row haiphong · 2024 · composite, column value: found "-5", expected 0 to 100'
        >>> RowProblem("verify", None, None, "2019: ranks inconsistent", "verify đạt", "verify to pass").message("en")
        'verify: found "2019: ranks inconsistent", expected verify to pass'
        """
        expected = self.expected_en if lang == "en" else self.expected_vi
        if not self.table:
            return expected
        found = t("trust_blank", lang) if self.found is None else (
            self.found if len(self.found) <= 40 else self.found[:40] + "…")
        if self.key is None:
            return t("trust_restore_problem_table", lang, table=self.table, found=found, expected=expected)
        return t("trust_restore_problem", lang, table=self.table, row=self.key, column=self.column or "—",
                 found=found, expected=expected)


class RestoreRefused(BackupError):
    """Rows of a backup that an import would refuse; ``problems`` lists each (nothing was changed)."""

    def __init__(self, problems: Sequence[RowProblem]):
        self.problems = list(problems)
        super().__init__("trust_err_restore_invalid", n=len(self.problems))


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
    """Where the restored database is, where the previous one was kept (None if there was none),
    and whether the backup was signed by this installation or accepted unsigned (by whom)."""

    db: Path
    previous: Path | None
    manifest: Manifest
    seconds: float
    signed: bool
    key_id: str | None  # the signing key's public id when signed
    accepted_by: str | None  # the administrator who accepted it when not signed


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


# ---------------------------------------------------------------------------
# The installation's key and the manifest's signature
# ---------------------------------------------------------------------------

def key_path(db: str | os.PathLike[str] | None = None) -> Path:
    """Where this installation's signing key lives: ``$PCI_BACKUP_KEY``, else beside the database
    (``data/pci.duckdb`` → ``data/.pci-backup-key``): outside the database file and every backup."""
    env = os.environ.get(KEY_ENV)
    return Path(env) if env else storage.db_path(db).absolute().parent / KEY_FILE


def installation_key(db: str | os.PathLike[str] | None = None, *, create: bool = False) -> bytes:
    """This installation's signing key; with ``create`` a new random one is written (0600) when missing.

    A key that others may read or write is refused: whoever can read it can sign a forged backup.
    """
    path = key_path(db)
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: two first backups at once make one key, never two
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(KEY_BYTES) + "\n")
    if not path.is_file():
        raise BackupError("trust_err_no_key", path=str(path))
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise BackupError("trust_err_key_open", path=str(path))
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError("trust_err_key_bad", path=str(path)) from exc
    if len(key) < KEY_BYTES:
        raise BackupError("trust_err_key_bad", path=str(path))
    return key


def key_id(key: bytes) -> str:
    """A short public name of a key (which installation signed), not the key.

    >>> key_id(bytes(32))
    '66687aadf862bd77'
    """
    return hashlib.sha256(key).hexdigest()[:16]


def _canonical(raw: Mapping[str, Any]) -> bytes:
    """The bytes that are signed: every field but the signature, keys sorted, no spaces, UTF-8."""
    body = {k: v for k, v in raw.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def manifest_signature(raw: Mapping[str, Any], key: bytes) -> dict[str, str]:
    """The ``signature`` field of a manifest: HMAC-SHA256 of its canonical bytes with ``key``.

    >>> manifest_signature({"format": FORMAT, "tables": {}}, bytes(32))["hmac"][:12]
    'ce7c5161ebb2'
    """
    mac = hmac.new(key, _canonical(raw), hashlib.sha256).hexdigest()
    return {"alg": SIGNATURE_ALG, "key_id": key_id(key), "hmac": mac}


def signature_matches(raw: Mapping[str, Any], key: bytes) -> bool:
    """True when the manifest carries this key's signature over exactly its current content."""
    sig = raw.get("signature")
    if not isinstance(sig, dict) or sig.get("alg") != SIGNATURE_ALG or not isinstance(sig.get("hmac"), str):
        return False
    return hmac.compare_digest(str(sig["hmac"]).encode("utf-8"), manifest_signature(raw, key)["hmac"].encode("ascii"))


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


# ---------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------

def _table_order(tables: list[str]) -> list[str]:
    # schema_version first: it says which migrations the other tables follow
    return sorted(tables, key=lambda x: (x != "schema_version", x))


def backup(db: str | os.PathLike[str] | None, out_dir: str | os.PathLike[str]) -> Manifest:
    """Write a signed backup of the database into ``out_dir`` (which must be new or empty).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with storage.connect(d / "a.duckdb", create=True) as con: _ = schema.migrate(con)
    >>> backup(d / "a.duckdb", d / "bak").tables["schema_version"]["rows"] == schema.SCHEMA_VERSION
    True
    """
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError("trust_err_backup_exists", dir=str(out))
    if _inside(key_path(db), out):
        raise BackupError("trust_err_key_inside", path=str(key_path(db)), dir=str(out))
    key = installation_key(db, create=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.with_name(out.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        # Load inputs and save outputs in one read: the file is locked meanwhile, so the
        # snapshot is consistent (no write can land between two tables).
        with storage.connect(db, read_only=True) as con:
            version = schema.schema_version(con)
            tables = _table_order(tables_db.base_tables(con))
            checksums = tables_db.checksums_of(con, tables)
            entries: dict[str, dict[str, Any]] = {}
            for i, table in enumerate(tables):
                file = f"{i:03d}_{table}.parquet"
                tables_db.export_table(con, table, work / file)
                entries[table] = {"file": file, "rows": tables_db.row_count(con, table),
                                  "checksum": checksums[table]}
        for entry in entries.values():
            entry["sha256"] = file_sha256(work / str(entry["file"]))
        manifest = Manifest(version, datetime.now(UTC).isoformat(timespec="seconds"),
                            str(storage.db_path(db)), entries)
        raw: dict[str, Any] = {"format": FORMAT, "schema_version": manifest.schema_version,
                               "created_at": manifest.created_at, "source": manifest.source,
                               "tables": manifest.tables}
        raw["signature"] = manifest_signature(raw, key)
        (work / MANIFEST).write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
        if out.exists():
            out.rmdir()  # empty, checked above
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


# ---------------------------------------------------------------------------
# Reading a backup
# ---------------------------------------------------------------------------

def _read_raw(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError("trust_err_no_manifest", dir=str(folder))
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError("trust_err_no_manifest", dir=str(folder)) from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError("trust_err_no_manifest", dir=str(folder))
    return raw


def _manifest_of(raw: Mapping[str, Any], folder: Path) -> Manifest:
    """The manifest's fields, after checking every file it names against its sha256."""
    try:
        manifest = Manifest(int(raw["schema_version"]), str(raw["created_at"]), str(raw["source"]),
                            dict(raw["tables"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError("trust_err_no_manifest", dir=str(folder)) from exc
    for table, entry in manifest.tables.items():
        name = str(entry.get("file", "")) if isinstance(entry, dict) else ""
        file = folder / name
        # names come from the manifest: accept only plain file names inside the folder
        if not name or Path(name).name != name or not file.is_file() or file_sha256(file) != entry.get("sha256"):
            raise BackupError("trust_err_backup_corrupt", file=name or table)
    if manifest.schema_version > schema.SCHEMA_VERSION:
        raise BackupError("trust_err_schema_newer", found=manifest.schema_version, current=schema.SCHEMA_VERSION)
    return manifest


def read_manifest(backup_dir: str | os.PathLike[str]) -> Manifest:
    """The manifest of a backup folder, after checking every file against its sha256 (not the signature)."""
    folder = Path(backup_dir)
    return _manifest_of(_read_raw(folder), folder)


def _signature_refusal(raw: Mapping[str, Any], key_file: Path, target: Path) -> str | None:
    """None when this installation signed the manifest as it is; else the catalogue key of why not."""
    if not isinstance(raw.get("signature"), dict):
        return "trust_err_unsigned"
    if not key_file.is_file():
        return "trust_err_no_key"
    return None if signature_matches(raw, installation_key(target)) else "trust_err_bad_signature"


def _check_acceptor(target: Path, user_name: str) -> str:
    """The administrator who accepts an unsigned backup: an active admin of the database it replaces
    (any valid name when there is no readable database, e.g. a new machine or a damaged file)."""
    try:
        name = auth.normalize_user_name(user_name)
    except auth.AuthError as exc:
        raise BackupError("trust_err_not_admin", user=user_name, db=str(target)) from exc
    if not target.exists():
        return name
    try:
        with storage.connect(target, read_only=True) as con:
            user = auth.get_user(con, name) if "app_user" in tables_db.base_tables(con) else None
    except storage.DatabaseCorrupt:
        return name
    if user is None or not user.active or user.role != "admin":
        raise BackupError("trust_err_not_admin", user=name, db=str(target))
    return name


# ---------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------

def _os_user() -> str:
    try:
        return "os:" + getpass.getuser()
    except (KeyError, OSError):
        return "os"


def restore(backup_dir: str | os.PathLike[str], db: str | os.PathLike[str] | None = None, *,
            by: str | None = None, accept_unsigned_by: str | None = None) -> RestoreResult:
    """Restore a signed backup over ``db`` (or into a new file); the old file is kept under a new name.

    ``by`` is who restores (default: the operating-system account), written in the audit line.
    ``accept_unsigned_by`` names an administrator who accepts a backup this installation did not
    sign (or whose manifest changed since); the acceptance is written in the audit line too.
    Every row is checked with the import's rules either way.
    """
    t0 = time.perf_counter()
    now = datetime.now(UTC)
    folder = Path(backup_dir)
    target = storage.db_path(db)
    who = by or _os_user()
    # Load inputs: the manifest, then its signature, before anything is read from the files.
    raw = _read_raw(folder)
    key_file = key_path(target)
    if _inside(key_file, folder):
        raise BackupError("trust_err_key_inside", path=str(key_file), dir=str(folder))
    refusal = _signature_refusal(raw, key_file, target)
    accepted_by = None
    if refusal is not None:
        if accept_unsigned_by is None:
            raise BackupError(refusal, dir=str(folder), path=str(key_file))
        accepted_by = _check_acceptor(target, accept_unsigned_by)
    manifest = _manifest_of(raw, folder)
    sig = raw.get("signature")
    signer = str(sig.get("key_id")) if refusal is None and isinstance(sig, dict) else None
    line = {"backup": str(folder.resolve()), "created_at": manifest.created_at, "source": manifest.source,
            "schema_version": manifest.schema_version, "rows": manifest.rows, "signed": refusal is None,
            "key_id": signer, "unsigned_reason": refusal, "accepted_by": accepted_by, "run_by": who}
    # Process data: a new file beside the target, checked and audited before it replaces anything.
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(target.name + ".restoring")
    for leftover in (fresh, Path(str(fresh) + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        _build(folder, manifest, fresh, accepted_by or who, line)
        previous = _swap(fresh, target, now)
    finally:
        for leftover in (fresh, Path(str(fresh) + ".wal")):
            leftover.unlink(missing_ok=True)
    return RestoreResult(target, previous, manifest, time.perf_counter() - t0, refusal is None, signer, accepted_by)


def _build(folder: Path, manifest: Manifest, fresh: Path, who: str, line: dict[str, Any]) -> None:
    """The schema from our migrations (up to the backup's version), rows from the files, every row
    checked, and the audit line: one transaction when the backup is of this schema version; an
    older one is loaded, brought up to date by the migrations, then checked and audited."""
    with storage.connect(fresh, create=True) as con:
        schema.migrate(con, manifest.schema_version)
        tables = set(tables_db.base_tables(con))
        extra, absent = sorted(set(manifest.tables) - tables), sorted(tables - set(manifest.tables))
        if extra or absent:
            raise BackupError("trust_err_restore_mismatch", table=", ".join(extra + absent))
        current = manifest.schema_version == schema.SCHEMA_VERSION
        with storage.transaction(con):
            _load(con, folder, manifest)
            if current:
                _check_and_record(con, folder, manifest, who, line)
        if not current:
            schema.migrate(con)
            with storage.transaction(con):
                _check_and_record(con, folder, manifest, who, line)
        tables_db.checkpoint(con)


def _load(con: duckdb.DuckDBPyConnection, folder: Path, manifest: Manifest) -> None:
    for table in _table_order(list(manifest.tables)):
        try:
            tables_db.import_table(con, table, folder / str(manifest.tables[table]["file"]))
        except duckdb.Error as exc:  # a row the schema refuses (a CHECK, NOT NULL, duplicate key, type)
            raise BackupError("trust_err_restore_schema", table=table,
                              error=str(exc).splitlines()[0][:200]) from exc
    got = tables_db.checksums_of(con, list(manifest.tables))
    bad = [k for k, v in manifest.checksums().items() if got.get(k) != v]
    if bad:
        raise BackupError("trust_err_restore_mismatch", table=", ".join(bad))


def _check_and_record(con: duckdb.DuckDBPyConnection, folder: Path, manifest: Manifest, who: str,
                      line: dict[str, Any]) -> None:
    problems = restore_problems(con, _read_tables(folder, manifest))
    if problems:
        raise RestoreRefused(problems)
    audit_db.write_audit(con, who, "restore", None, json.dumps({"backup": line["backup"]}, ensure_ascii=False),
                        None, json.dumps(line, ensure_ascii=False), None)


def _read_tables(folder: Path, manifest: Manifest) -> dict[str, pa.Table]:
    """The backup's rows as Arrow tables, from bytes checked against the manifest once more (a file
    swapped after the load would otherwise be the one checked, not the one loaded)."""
    out = {}
    for table, entry in manifest.tables.items():
        data = (folder / str(entry["file"])).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise BackupError("trust_err_backup_corrupt", file=str(entry["file"]))
        out[table] = pq.read_table(pa.BufferReader(data))
    return out


def _swap(fresh: Path, target: Path, now: datetime) -> Path | None:
    """Put ``fresh`` in place of ``target`` atomically, holding the old file's lock meanwhile."""
    if not target.exists():
        os.replace(fresh, target)
        return None
    try:
        with storage.connect(target) as con:  # waits for a writer, then DatabaseBusy
            tables_db.checkpoint(con)  # the old file alone holds every commit: a faithful copy
            return _replace(fresh, target, now, keep_wal=False)
    except storage.DatabaseCorrupt:
        # A file DuckDB cannot read has no lock to take and no writer: it is kept as it is (with
        # its WAL) and replaced, since restoring is the one way to recover from it.
        return _replace(fresh, target, now, keep_wal=True)


def _replace(fresh: Path, target: Path, now: datetime, *, keep_wal: bool) -> Path:
    previous = _kept_path(target, now)
    wal = Path(str(target) + ".wal")
    try:
        shutil.copy2(target, previous)
        if keep_wal and wal.exists():
            shutil.copy2(wal, str(previous) + ".wal")
    except BaseException:
        previous.unlink(missing_ok=True)
        raise
    wal.unlink(missing_ok=True)
    os.replace(fresh, target)
    return previous


def _kept_path(target: Path, now: datetime) -> Path:
    """A new name for the file a restore replaces, created empty so nothing else can take it.

    >>> import tempfile; d = Path(tempfile.mkdtemp()); at = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
    >>> [_kept_path(d / "pci.duckdb", at).name for _ in range(2)]
    ['pci.duckdb.before-restore-20261204T163000Z', 'pci.duckdb.before-restore-20261204T163000Z-2']
    """
    stem = f"{target.name}.before-restore-{now:%Y%m%dT%H%M%SZ}"
    for n in itertools.count(1):
        path = target.with_name(stem if n == 1 else f"{stem}-{n}")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return path
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------
# Checking restored rows with the import's rules
# ---------------------------------------------------------------------------

# The import validates these tables as these sheet kinds (score ranges, ranks 1..n of the year,
# known entities, codes of the year's framework, targets, notes, service readings, task reports).
IMPORT_SHEETS = {"score": "scores", "target": "targets", "year_note": "notes", "service_reading": "service",
                 "task_report": "task_reports"}
# Keys that must exist (the import writes these tables only for known entities and catalogue codes).
REFERENCES = (
    ("indicator_value", ("entity_key",), "entity", ("entity_key",)),
    ("indicator_value", ("framework_id", "indicator_code"), "indicator", ("framework_id", "indicator_code")),
    ("benchmark", ("top_entity_key",), "entity", ("entity_key",)),
    ("year_info", ("framework_id",), "framework", ("framework_id",)),
    ("subindex", ("framework_id",), "framework", ("framework_id",)),
)
ROW_KEYS: dict[str, tuple[str, ...]] = {
    **{table: spec.key for table, spec in SPECS.items()},
    "app_user": ("user_name",), "framework": ("framework_id",), "subindex": ("framework_id", "code"),
    "service_group": ("code",), "entity": ("entity_key",), "audit_log": ("audit_id",),
}


def restore_problems(con: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> list[RowProblem]:
    """Every value of a backup that an import or ``verify`` would refuse (empty: all good).

    ``tables`` are the backup's rows (Arrow, read from its Parquet files); ``con`` is the new
    database they were loaded into, whose vocabularies the rows are checked against.
    Example: a composite of -5 → ``Table score, row haiphong · 2024 · composite, column value:
    found "-5", expected a number from 0 to 100``.
    """
    problems = [*_not_finite(tables), *_import_rules(con, tables), *_users(tables), *_sources(tables),
                *_references(tables)]
    problems += [RowProblem("verify", None, None, failure, *_expected("trust_exp_verify"))
                 for failure in history.verify(con).failures]
    seen: set[tuple[str, str | None, str | None]] = set()
    unique = []
    for p in problems:  # one line per cell, the first rule that refused it
        if p.key is None or (p.table, p.key, p.column) not in seen:
            seen.add((p.table, p.key, p.column))
            unique.append(p)
    return unique


def _expected(key: str, **kwargs: Any) -> tuple[str, str]:
    """What was expected, in Vietnamese and English, from the catalogue."""
    return t(key, "vi", **kwargs), t(key, "en", **kwargs)


def _row_key(tables: Mapping[str, pa.Table], table: str, index: int) -> str:
    """A row's primary key as text (``haiphong · 2024 · composite``), or its position (``#12``)."""
    cols = [c for c in ROW_KEYS.get(table, ()) if c in tables[table].column_names]
    if not cols:
        return f"#{index + 1}"
    return " · ".join(str(tables[table].column(c)[index].as_py()) for c in cols)


def _not_finite(tables: Mapping[str, pa.Table]) -> list[RowProblem]:
    # NaN and ±inf are not numbers an import accepts (the cell parser refuses them); a NaN that
    # reached a DOUBLE column would sort above every score, so it is looked for in the files, where
    # it is still distinct from a blank (NULL).
    out = []
    for table, data in tables.items():
        for name in data.column_names:
            column = data.column(name)
            if not pa.types.is_floating(column.type):
                continue
            bad = pc.fill_null(pc.invert(pc.is_finite(column)), False).to_pylist()
            for i in (i for i, b in enumerate(bad) if b):
                out.append(RowProblem(table, _row_key(tables, table, i), name, str(column[i].as_py()),
                                      *_expected("trust_exp_finite")))
    return out


def _import_rules(con: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> list[RowProblem]:
    """The rows of the tables an import writes, put through the import's own validation as sheets
    named after the tables, with ``_row`` the row's position; its errors become row problems."""
    sheets = []
    for table, kind in IMPORT_SHEETS.items():
        if table in tables and tables[table].num_rows:
            frame = tables[table].to_pandas().astype(object)
            frame.insert(0, "_row", range(1, len(frame) + 1))
            sheets.append(RawSheet(table, kind, frame))
    if not sheets:
        return []
    raw = RawFile(KIND_TEMPLATE, MANIFEST, "", 0, sheets)
    incoming = validate(raw, load_context(con))
    out = []
    for p in errors(incoming.problems):
        table = p.sheet if p.sheet is not None and p.sheet in tables else ""
        key = _row_key(tables, table, int(p.row) - 1) if table and p.row is not None else None
        out.append(RowProblem(table, key, p.column, p.found, p.expected_vi, p.expected_en))
    return out


def _users(tables: Mapping[str, pa.Table]) -> list[RowProblem]:
    """User names and roles as :mod:`auth` would accept them."""
    if "app_user" not in tables:
        return []
    out = []
    for row in tables["app_user"].select(["user_name", "role"]).to_pylist():
        name, role = str(row["user_name"]), row["role"]
        try:
            ok = auth.normalize_user_name(name) == name
        except auth.AuthError:
            ok = False
        if not ok:
            out.append(RowProblem("app_user", name, "user_name", name, *_expected("trust_exp_user_name")))
        if role not in roles.ROLES:
            out.append(RowProblem("app_user", name, "role", None if role is None else str(role),
                                  *_expected("trust_exp_role", roles=", ".join(roles.ROLES))))
    return out


def _sources(tables: Mapping[str, pa.Table]) -> list[RowProblem]:
    """A published figure names where it comes from (``verify`` asks it of scores; here of every table)."""
    out = []
    for table, data in tables.items():
        if not {"provenance", "source"} <= set(data.column_names):
            continue
        for i, row in enumerate(data.select(["provenance", "source"]).to_pylist()):
            if row["provenance"] == "published" and not str(row["source"] or "").strip():
                out.append(RowProblem(table, _row_key(tables, table, i), "source", row["source"],
                                      *_expected("trust_exp_source")))
    return out


def _references(tables: Mapping[str, pa.Table]) -> list[RowProblem]:
    """Keys that must exist in another table (a catalogue code, an entity)."""
    out = []
    for table, cols, ref, ref_cols in REFERENCES:
        if table not in tables or ref not in tables or not set(cols) <= set(tables[table].column_names):
            continue
        known = set(zip(*(tables[ref].column(c).to_pylist() for c in ref_cols), strict=True))
        rows = zip(*(tables[table].column(c).to_pylist() for c in cols), strict=True)
        for i, values in enumerate(rows):
            if all(v is not None for v in values) and values not in known:
                out.append(RowProblem(table, _row_key(tables, table, i), ", ".join(cols), " · ".join(map(str, values)),
                                      *_expected("trust_exp_reference", table=ref)))
    return out
