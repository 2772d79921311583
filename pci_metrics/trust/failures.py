"""Failures outside the program's control, named once: a damaged, missing or busy database, a full
or read-only disk, a missing permission, a folder where a file was expected. The dashboard and the
command line both word them from here, in Vietnamese and English; anything not named here is a bug
and keeps its traceback (in the server log, or on the terminal).

>>> kind_of(OSError(errno.ENOSPC, "No space left on device")), kind_of(KeyError("a bug"))
('disk_full', None)
>>> cli_line(IsADirectoryError(errno.EISDIR, "Is a directory", "out/scores.csv"))
'Đây là một thư mục, cần một tệp / this is a folder, a file is needed: out/scores.csv'
"""

from __future__ import annotations

import errno
import re
import shlex

import duckdb

from pci_metrics.base.i18n import t
from pci_metrics.store import storage

# README "Backup and restore": run in the app's folder; ``backup`` writes one folder per backup.
RESTORE_COMMAND = ".venv/bin/python -m pci_metrics restore backups/{folder}"

_ERRNO_KINDS = {
    errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EROFS: "read_only",
    errno.EACCES: "permission", errno.EPERM: "permission", errno.ENOENT: "not_found",
    errno.EISDIR: "is_directory", errno.ENOTDIR: "not_directory", errno.EEXIST: "exists",
}
# DuckDB reports the operating system's error only in its message.
_DUCKDB_KINDS = (("No space left on device", "disk_full"), ("Disk quota exceeded", "disk_full"),
                 ("Read-only file system", "read_only"), ("Permission denied", "permission"))
_DUCKDB_FILE = re.compile(r'file "([^"]+)"')


def kind_of(exc: BaseException) -> str | None:
    """What went wrong, as a short name (``disk_full``, ``db_corrupt``, …), or None for a bug.

    >>> kind_of(storage.DatabaseBusy("busy")), kind_of(duckdb.IOException("IO Error: No space left on device"))
    ('db_busy', 'disk_full')
    """
    if isinstance(exc, storage.DatabaseCorrupt):
        return "is_directory" if exc.path.is_dir() else "db_corrupt"
    if isinstance(exc, storage.DatabaseMissing):
        return "db_missing"
    if isinstance(exc, storage.DatabaseBusy):
        return "db_busy"
    if isinstance(exc, OSError):
        return _ERRNO_KINDS.get(exc.errno or 0, "file_system")
    if isinstance(exc, duckdb.Error):
        return next((kind for words, kind in _DUCKDB_KINDS if words in str(exc)), None)
    return None


def restore_command(lang: str = "vi") -> str:
    """The command that restores a backup over the database.

    >>> restore_command("en")
    '.venv/bin/python -m pci_metrics restore backups/<backup-folder>'
    """
    return RESTORE_COMMAND.format(folder=t("error_backup_folder", lang))


def message(exc: BaseException, lang: str = "vi") -> str | None:
    """An expected failure in one language, without any file path (fit for a browser); None for a bug.

    >>> message(PermissionError(errno.EACCES, "Permission denied", "/srv/pci.duckdb"), "en")
    'permission denied'
    """
    kind = kind_of(exc)
    if kind is None:
        return None
    if kind in ("db_missing", "db_busy"):
        return t(kind, lang)
    if kind == "file_system":
        return t("error_file_system", lang, reason=getattr(exc, "strerror", None) or type(exc).__name__)
    return t(f"error_{kind}", lang)


def file_of(exc: BaseException) -> str | None:
    """The file an expected failure is about, when it says.

    >>> file_of(duckdb.IOException('IO Error: Could not write all bytes to file "/d/x.wal": No space left'))
    '/d/x.wal'
    """
    if isinstance(exc, storage.DatabaseCorrupt):
        return str(exc.path)
    if isinstance(exc, OSError) and exc.filename is not None:  # a rename names its target second
        return str(exc.filename2 if exc.filename2 is not None else exc.filename)
    found = _DUCKDB_FILE.search(str(exc)) if isinstance(exc, duckdb.Error) else None
    return found.group(1) if found else None


def cli_line(exc: BaseException) -> str | None:
    """One line for the command line, "Vietnamese / English: file", or None for a bug. A damaged
    database's line ends with the exact command that restores a backup over that file."""
    kind = kind_of(exc)
    if kind is None:
        return None
    if kind in ("db_missing", "db_busy"):
        return str(exc)  # storage's own line, in both languages, with the path
    line = f"{message(exc, 'vi')} / {message(exc, 'en')}"
    where = file_of(exc)
    if kind == "db_corrupt":
        return f"{line}: {where} → {restore_command('en')} --db {shlex.quote(str(where))}"
    return f"{line}: {where}" if where else line
