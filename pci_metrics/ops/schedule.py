"""The nightly backup: write a signed backup, prove it restores, keep the last N daily and M monthly.

``python -m pci_metrics scheduled-backup`` (run by the systemd timer or cron) does, in order:

1. writes a new backup folder ``pci-YYYYMMDDTHHMMSSZ`` (UTC) into the backup folder
   (``--into``, else ``$PCI_BACKUP_DIR``, else ``backups/`` beside the database);
2. verifies it: restores it into a scratch file (signature, checksums, every row with the import's
   rules, ``verify``: :func:`pci_metrics.ops.backup.restore`), then deletes the scratch file. Only a
   backup that passed gets its mark of a good backup, ``pci-….ok`` beside it (when and how many rows);
3. copies it, when asked, to a second folder (another disk or a network share) and checks the copy's
   files against the manifest there;
4. looks at every backup in the folder: one whose files no longer match its signed manifest (a disk
   error, an edit) loses its mark (``pci-….bad`` says why) and is reported; it is never counted as
   good, nor deleted, so it can be looked at;
5. keeps, among the good ones, the newest of each of the last ``keep_daily`` days and of each of the
   last ``keep_monthly`` months that have one (:func:`kept`), and deletes the other good ones.

It exits non-zero when the new backup, its copy or any older one is bad. The Overview shows
administrators when the last good backup was made and warns when that is more than two days ago
(:func:`health`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pci_metrics.base.choices import KEEP_DAILY as KEEP_DAILY
from pci_metrics.base.choices import KEEP_MONTHLY as KEEP_MONTHLY
from pci_metrics.ops import backup
from pci_metrics.store import storage

DIR_ENV = "PCI_BACKUP_DIR"
PREFIX = "pci-"
STAMP = "%Y%m%dT%H%M%SZ"
GOOD, BAD = ".ok", ".bad"
STALE_AFTER = timedelta(days=2)


@dataclass
class Report:
    """What a scheduled run did."""

    written: Path | None = None
    verified: bool = False
    copied: Path | None = None
    kept: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)
    bad: dict[Path, str] = field(default_factory=dict)  # backup folder -> why it is not good

    @property
    def ok(self) -> bool:
        return self.verified and not self.bad


@dataclass(frozen=True)
class Health:
    """When the last good backup was made, and whether that is too long ago."""

    last_good: datetime | None
    stale: bool


def backup_root(db: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Path:
    """Where the scheduled backups go: ``$PCI_BACKUP_DIR``, else ``backups/`` beside the database."""
    env = dict(os.environ) if env is None else env
    return Path(env[DIR_ENV]) if env.get(DIR_ENV) else storage.db_path(db).absolute().parent / "backups"


def stamp_of(folder: Path) -> datetime | None:
    """The UTC time in a scheduled backup's name (None for any other folder).

    >>> stamp_of(Path("pci-20261206T023000Z")), stamp_of(Path("pci-20261206T023000Z.partial"))
    (datetime.datetime(2026, 12, 6, 2, 30, tzinfo=datetime.timezone.utc), None)
    """
    if not folder.name.startswith(PREFIX):
        return None
    try:
        return datetime.strptime(folder.name[len(PREFIX):], STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def kept(stamps: Iterable[datetime], keep_daily: int, keep_monthly: int) -> set[datetime]:
    """Which backups retention keeps: the newest of each of the last ``keep_daily`` days and of each
    of the last ``keep_monthly`` months that have a backup (a backup can count for both).

    >>> days = [datetime(2026, m, d, 2, 30, tzinfo=UTC) for m, d in [(10, 31), (11, 29), (11, 30), (12, 1), (12, 2)]]
    >>> sorted(f"{s:%m-%d}" for s in kept(days, 2, 2))
    ['11-30', '12-01', '12-02']
    """
    ordered = sorted(set(stamps), reverse=True)
    out: set[datetime] = set()
    for width, count in ((10, keep_daily), (7, keep_monthly)):  # "YYYY-MM-DD" / "YYYY-MM"
        newest: dict[str, datetime] = {}
        for stamp in ordered:
            newest.setdefault(stamp.isoformat()[:width], stamp)
        out.update(sorted(newest.values(), reverse=True)[:max(count, 0)])
    return out


def _marks(folder: Path) -> tuple[Path, Path]:
    return folder.with_name(folder.name + GOOD), folder.with_name(folder.name + BAD)


def _mark(folder: Path, good: bool, **details: object) -> None:
    ok, bad = _marks(folder)
    (ok if good else bad).write_text(json.dumps(details, ensure_ascii=False, default=str), encoding="utf-8")
    (bad if good else ok).unlink(missing_ok=True)


def files_intact(folder: Path, key_db: str | os.PathLike[str] | None) -> str | None:
    """None when the backup's files match its manifest and the manifest carries this installation's
    signature; else why not (cheap: sha256 of the files, no restore)."""
    try:
        raw = json.loads((folder / backup.MANIFEST).read_text(encoding="utf-8"))
        backup.read_manifest(folder)
        if not backup.signature_matches(raw, backup.installation_key(key_db)):
            return backup.BackupError("trust_err_bad_signature", dir=str(folder)).message("en")
    except backup.BackupError as exc:
        return exc.message("en")
    except (OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@contextlib.contextmanager
def _key_of(db: str | os.PathLike[str] | None) -> Iterator[None]:
    """Restore into a scratch file with this installation's key (found beside ``db``)."""
    before = os.environ.get(backup.KEY_ENV)
    os.environ[backup.KEY_ENV] = str(backup.key_path(db))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(backup.KEY_ENV, None)
        else:
            os.environ[backup.KEY_ENV] = before


def verify_by_restoring(folder: Path, db: str | os.PathLike[str] | None) -> str | None:
    """Restore ``folder`` into a scratch file and check it (:func:`backup.restore`); None when it
    restores, else why not. The scratch file is deleted either way."""
    with tempfile.TemporaryDirectory(prefix="pci-verify-") as scratch, _key_of(db):
        try:
            backup.restore(folder, Path(scratch) / "pci.duckdb", by="scheduled-backup")
        except backup.BackupError as exc:
            return exc.message("en")
    return None


def _copy(folder: Path, copy_to: Path, db: str | os.PathLike[str] | None) -> tuple[Path, str | None]:
    target = copy_to / folder.name
    copy_to.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(folder, partial)
    os.replace(partial, target)
    problem = files_intact(target, db)
    if problem is None:
        shutil.copy2(_marks(folder)[0], _marks(target)[0])
    return target, problem


def prune(root: Path, db: str | os.PathLike[str] | None, keep_daily: int, keep_monthly: int,
          report: Report) -> None:
    """Check every marked backup in ``root`` and apply retention to the good ones."""
    good: dict[datetime, Path] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and stamp_of(p) is not None):
        stamp = stamp_of(folder)
        ok, bad = _marks(folder)
        if not ok.exists():
            if bad.exists():
                report.bad[folder] = json.loads(bad.read_text(encoding="utf-8")).get("reason", "?")
            continue  # never verified (a backup made by hand) or bad: neither counted nor deleted
        problem = files_intact(folder, db)
        if problem is not None:
            _mark(folder, False, reason=problem, found_at=datetime.now(UTC).isoformat(timespec="seconds"))
            report.bad[folder] = problem
        elif stamp is not None:
            good[stamp] = folder
    keep = kept(good, keep_daily, keep_monthly)
    for stamp, folder in sorted(good.items()):
        if stamp in keep:
            report.kept.append(folder)
        else:
            shutil.rmtree(folder)
            _marks(folder)[0].unlink(missing_ok=True)
            report.deleted.append(folder)


def run(db: str | os.PathLike[str] | None = None, root: str | os.PathLike[str] | None = None, *,
        keep_daily: int = KEEP_DAILY, keep_monthly: int = KEEP_MONTHLY,
        copy_to: str | os.PathLike[str] | None = None, now: datetime | None = None) -> Report:
    """One scheduled backup: write, verify by restoring, copy, check the others, apply retention."""
    now = now or datetime.now(UTC)
    folder = Path(root) if root is not None else backup_root(db)
    report = Report()
    # Save outputs: the new backup, then its proof.
    report.written = folder / f"{PREFIX}{now:{STAMP}}"
    manifest = backup.backup(db, report.written)
    problem = verify_by_restoring(report.written, db)
    report.verified = problem is None
    _mark(report.written, report.verified, made_at=manifest.created_at, rows=manifest.rows,
          schema_version=manifest.schema_version, reason=problem)
    if problem is not None:
        report.bad[report.written] = problem
    elif copy_to is not None:
        report.copied, copy_problem = _copy(report.written, Path(copy_to), db)
        if copy_problem is not None:
            report.bad[report.copied] = copy_problem
        prune(Path(copy_to), db, keep_daily, keep_monthly, Report())
    prune(folder, db, keep_daily, keep_monthly, report)
    return report


def last_good(root: Path) -> datetime | None:
    """When the newest backup marked good in ``root`` was made (None when there is none)."""
    if not root.is_dir():
        return None
    stamps = [s for p in root.glob(f"{PREFIX}*{GOOD}")
              if (s := stamp_of(p.with_name(p.name.removesuffix(GOOD)))) is not None
              and p.with_name(p.name.removesuffix(GOOD)).is_dir()]
    return max(stamps, default=None)


def health(root: Path, now: datetime) -> Health:
    """The last good backup and whether it is older than two days (or missing).

    >>> import tempfile; health(Path(tempfile.mkdtemp()), datetime(2026, 12, 6, tzinfo=UTC))
    Health(last_good=None, stale=True)
    """
    newest = last_good(root)
    return Health(newest, newest is None or now - newest > STALE_AFTER)
