"""Connection and transactions: the one way into the DuckDB file.

Concurrency (see README "Locking"): nobody holds the DuckDB file open for long.
Every operation opens the file, does its work in one transaction and closes it.
Inside one process a lock serialises openings (DuckDB refuses a read-only and a
read-write connection to the same file at once in one process); across
processes an opening that finds the file locked retries for ``LOCK_WAIT_S``
seconds and then raises :class:`DatabaseBusy` with a clear message. A file that
cannot be read as a database raises :class:`DatabaseCorrupt`, a missing one
:class:`DatabaseMissing`.

SQL lives only in ``pci_metrics.store``: this module (connections), :mod:`.schema`
(tables and migrations) and one module per family of tables (``*_db``). Values
always travel as bound parameters; identifiers come only from constants or are
checked against the schema (:func:`pci_metrics.store.tables_db.check_table`).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pandas as pd

# Which file is the database is decided in base.paths (without DuckDB, for the command line's light commands).
from pci_metrics.base.paths import DEFAULT_DB_PATH as DEFAULT_DB_PATH
from pci_metrics.base.paths import db_path as db_path

LOCK_WAIT_S = float(os.environ.get("PCI_LOCK_WAIT_S", "10"))
_PROCESS_LOCK = threading.RLock()


class DatabaseBusy(RuntimeError):
    """Another process holds the database file; try again in a moment."""


class DatabaseMissing(RuntimeError):
    """The database file does not exist yet (run `make run` or `python -m pci_metrics build`)."""


class DatabaseCorrupt(RuntimeError):
    """The database file exists but cannot be read as a database: damaged, cut short, not a DuckDB
    file, or a folder. Nothing in the program can repair it: restore the latest backup (README
    "Backup and restore"). ``path`` is the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"Không đọc được cơ sở dữ liệu {path} (hỏng hoặc không phải tệp DuckDB) / "
                         f"Cannot read the database {path} (damaged or not a DuckDB file)")


def _unreadable(path: Path, exc: duckdb.Error) -> DatabaseCorrupt | None:
    """DuckDB's error as :class:`DatabaseCorrupt` when it says the file itself cannot be read (at
    opening, or on a later read past a cut-off end or through a bad block); None for any other error."""
    text = str(exc)
    damaged = ("not a valid DuckDB database file" in text or text.startswith("Corrupt database file")
               or (text.startswith("IO Error: Could not read") and str(path) in text))
    return DatabaseCorrupt(path) if damaged or path.is_dir() else None


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only,
                                 config={"autoinstall_known_extensions": False,
                                         "autoload_known_extensions": False})
            return con
        except duckdb.IOException as exc:  # another process holds the lock
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                if "lock" in str(exc).lower():
                    raise DatabaseBusy(
                        f"Cơ sở dữ liệu đang được tiến trình khác sử dụng, hãy thử lại sau ít giây / "
                        f"The database is in use by another process, try again in a few seconds ({path})"
                    ) from exc
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def connect(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
            create: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database for one operation and close it afterwards.

    >>> import tempfile, os
    >>> from pci_metrics.store.schema import SCHEMA_VERSION, migrate, schema_version
    >>> p = os.path.join(tempfile.mkdtemp(), "t.duckdb")
    >>> with connect(p, create=True) as con: migrate(con) == SCHEMA_VERSION
    True
    >>> with connect(p, read_only=True) as con: schema_version(con) == SCHEMA_VERSION
    True
    """
    p = db_path(path)
    if not create and not p.exists():
        raise DatabaseMissing(
            f"Chưa có cơ sở dữ liệu {p}: chạy `make run` hoặc `python -m pci_metrics build` / "
            f"No database at {p}: run `make run` or `python -m pci_metrics build`")
    with _PROCESS_LOCK:
        try:
            con = _open(p, read_only)
            try:
                yield con
            finally:
                con.close()
        except duckdb.Error as exc:  # a damaged file shows at opening or only on a later read
            corrupt = _unreadable(p, exc)
            if corrupt is None:
                raise
            raise corrupt from exc


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block as one transaction: it lands whole or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def data_stamp(path: str | os.PathLike[str] | None = None) -> str:
    """A cheap version of the data: changes whenever a commit reaches the file.

    Used as a cache key by the UI so every session sees new data on its next rerun.
    """
    p = db_path(path)
    parts = []
    for f in (p, Path(str(p) + ".wal")):
        try:
            st = f.stat()
            parts.append(f"{st.st_mtime_ns}:{st.st_size}")
        except FileNotFoundError:
            parts.append("-")
    return "|".join(parts)


def stamp_of(con: duckdb.DuckDBPyConnection) -> str:
    """The data stamp (:func:`data_stamp`) of the file an open connection reads ("" in memory)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return data_stamp(row[0]) if row and row[0] else ""


def read_frame(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """The result of one query with bound parameters, as a DataFrame."""
    return con.execute(sql, list(params or [])).df()


def records(frame: pd.DataFrame) -> list[Any]:
    """Rows of a DataFrame as objects with attribute access (``r.code``), like ``itertuples``.

    >>> records(pd.DataFrame({"code": ["entry"]}))[0].code
    'entry'
    """
    return [SimpleNamespace(**{str(k): v for k, v in row.items()}) for row in frame.to_dict("records")]
