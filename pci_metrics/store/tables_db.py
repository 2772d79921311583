"""Whole tables: bulk writes by column name, counts, checksums, columns, and the Parquet copies a
backup and a restore make. A table name is either one of :data:`~pci_metrics.store.schema.DATA_TABLES`
(:func:`check_table`) or read from the catalogue and quoted (:func:`quote_ident`)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence

import duckdb
import pandas as pd

from pci_metrics.store.schema import DATA_TABLES


def check_table(table: str) -> str:
    """The name itself when it is one of DATA_TABLES, else ValueError (a name safe to put in SQL).

    >>> check_table("score")
    'score'
    """
    if table not in DATA_TABLES:
        raise ValueError(f"unknown table {table!r}")
    return table


def quote_ident(name: str) -> str:
    """A name read from the catalogue, quoted as an SQL identifier (inner quotes doubled).

    >>> quote_ident('a"b')
    '"a""b"'
    """
    return '"' + name.replace('"', '""') + '"'


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> SQL type of a data table, in table order (``DESCRIBE``: the same names and types
    as ``information_schema.columns`` in a quarter of the time; an import asks for them per table).

    >>> # table_columns(con, "score")["value"] -> 'DOUBLE'
    """
    rows = con.execute(f"DESCRIBE {quote_ident(check_table(table))}").fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def replace_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Replace the whole content of a reference table with a DataFrame (inside a transaction)."""
    t = check_table(table)
    con.execute(f'DELETE FROM "{t}"')
    return append_rows(con, t, frame)


def append_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Insert a DataFrame's rows into a table by column name (fast bulk insert)."""
    t = check_table(table)
    if frame.empty:
        return 0
    cols = ", ".join(f'"{c}"' for c in frame.columns)
    con.register("_incoming", frame)
    try:
        con.execute(f'INSERT INTO "{t}" ({cols}) SELECT {cols} FROM _incoming')
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses even this
            con.unregister("_incoming")
    return len(frame)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every data table."""
    out: dict[str, int] = {}
    for t in DATA_TABLES:
        row = con.execute(f'SELECT count(*) FROM "{t}"').fetchone()
        out[t] = int(row[0]) if row else 0
    return out


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """A checksum of every data table's content, independent of row order (see :func:`checksums_of`)."""
    return checksums_of(con, DATA_TABLES)


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table of the main schema (a backup takes them all, not only DATA_TABLES)."""
    rows = con.execute("""SELECT table_name FROM information_schema.tables
                          WHERE table_schema = 'main' AND table_type = 'BASE TABLE'
                          ORDER BY table_name""").fetchall()
    return [str(r[0]) for r in rows]


def checksums_of(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> dict[str, str]:
    """Order-independent checksum of each named table: md5 over the sorted md5s of its rows."""
    out: dict[str, str] = {}
    for t in tables:
        row = con.execute(
            f"SELECT coalesce(md5(string_agg(h, '' ORDER BY h)), 'empty') "
            f"FROM (SELECT md5(CAST(x AS VARCHAR)) AS h FROM {quote_ident(t)} AS x)").fetchone()
        out[t] = str(row[0]) if row else "empty"
    return out


def content_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """:func:`checksums_of` every base table without its TIMESTAMP columns (when a row was written):
    two databases that received the same files in the same order have the same content checksums."""
    out: dict[str, str] = {}
    for t in base_tables(con):
        cols = [str(r[0]) for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
            "AND data_type NOT LIKE 'TIMESTAMP%' ORDER BY ordinal_position", [t]).fetchall()]
        row = con.execute(
            f"SELECT coalesce(md5(string_agg(h, '' ORDER BY h)), 'empty') FROM (SELECT md5(CAST(ROW("
            f"{', '.join(quote_ident(col) for col in cols)}) AS VARCHAR)) AS h FROM {quote_ident(t)})").fetchone()
        out[t] = str(row[0]) if row else "empty"
    return out


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows in one table."""
    row = con.execute(f"SELECT count(*) FROM {quote_ident(table)}").fetchone()
    return int(row[0]) if row else 0


def export_table(con: duckdb.DuckDBPyConnection, table: str, file: str | os.PathLike[str]) -> None:
    """Write one table to a Parquet file (types kept exactly)."""
    con.execute(f"COPY (SELECT * FROM {quote_ident(table)}) TO ? (FORMAT parquet)", [str(file)])


def import_table(con: duckdb.DuckDBPyConnection, table: str, file: str | os.PathLike[str]) -> int:
    """Replace one table's rows with a Parquet file's (inside the caller's transaction)."""
    con.execute(f"DELETE FROM {quote_ident(table)}")
    con.execute(f"INSERT INTO {quote_ident(table)} BY NAME SELECT * FROM read_parquet(?)", [str(file)])
    return row_count(con, table)


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write the WAL into the database file (so the file alone holds every commit)."""
    con.execute("CHECKPOINT")
