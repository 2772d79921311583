"""Import batches and their row changes, and the keyed reads and writes an import (and its undo)
makes. Table and column names are checked against DATA_TABLES and the table's own columns."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.store.storage import read_frame
from pci_metrics.store.tables_db import append_rows, check_table, table_columns


def load_batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Import batches, newest first."""
    return read_frame(con, "SELECT * FROM import_batch ORDER BY batch_id DESC")


def last_batch(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The newest import batch as a dict, or None."""
    frame = read_frame(con, "SELECT * FROM import_batch ORDER BY batch_id DESC LIMIT 1")
    return None if frame.empty else frame.iloc[0].to_dict()


def next_batch_id(con: duckdb.DuckDBPyConnection) -> int:
    """The id the next import batch gets."""
    rows = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batch").fetchall()
    return int(rows[0][0]) if rows else 1


def insert_batch(con: duckdb.DuckDBPyConnection, batch: dict[str, Any]) -> None:
    """Record one import batch (a dict of import_batch's columns)."""
    append_rows(con, "import_batch", pd.DataFrame([batch]))


def set_batch_status(con: duckdb.DuckDBPyConnection, batch_id: int, status: str, note: str | None) -> None:
    """Change a batch's status (e.g. to 'undone') and note."""
    con.execute("UPDATE import_batch SET status = ?, note = ? WHERE batch_id = ?", [status, note, batch_id])


def load_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict[str, Any] | None:
    """One import batch as a dict, or None."""
    frame = read_frame(con, "SELECT * FROM import_batch WHERE batch_id = ?", [batch_id])
    return None if frame.empty else frame.iloc[0].to_dict()


def batches_with_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> pd.DataFrame:
    """Committed batches of a file with this content, newest first."""
    return read_frame(con, "SELECT * FROM import_batch WHERE sha256 = ? AND status = 'committed' "
                    "ORDER BY batch_id DESC", [sha256])


def count_batches_with_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> int:
    """How many import batches recorded a file with this sha256 (an import lands once)."""
    row = con.execute("SELECT count(*) FROM import_batch WHERE sha256 = ?", [sha256]).fetchone()
    return int(row[0]) if row else 0


def load_batch_changes(con: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """Every row change of one batch, in order."""
    return read_frame(con, "SELECT * FROM batch_change WHERE batch_id = ? ORDER BY seq", [batch_id])


def later_batches_touching(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[int]:
    """Committed batches after ``batch_id`` that changed a row this batch changed."""
    rows = con.execute(
        """SELECT DISTINCT later.batch_id FROM batch_change mine
           JOIN batch_change later ON later.table_name = mine.table_name AND later.key_json = mine.key_json
           JOIN import_batch b ON b.batch_id = later.batch_id
           WHERE mine.batch_id = ? AND later.batch_id > ? AND b.status = 'committed'
           ORDER BY 1""", [batch_id, batch_id]).fetchall()
    return [int(r[0]) for r in rows]


def _key_clause(con: duckdb.DuckDBPyConnection, table: str, key_cols: Sequence[str]) -> str:
    known = table_columns(con, table)
    for c in key_cols:
        if c not in known:
            raise ValueError(f"unknown column {c!r} of {table!r}")
    return " AND ".join(f't."{c}" IS NOT DISTINCT FROM k."{c}"' for c in key_cols)


def ingest_existing(con: duckdb.DuckDBPyConnection, table: str, key_cols: Sequence[str],
                    keys: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``table`` whose key is one of ``keys`` (a DataFrame of the key columns)."""
    t = check_table(table)
    on = _key_clause(con, t, key_cols)
    if keys.empty:
        return read_frame(con, f'SELECT * FROM "{t}" LIMIT 0')
    con.register("_ingest_keys", keys[list(key_cols)].drop_duplicates())
    try:
        return read_frame(con, f'SELECT t.* FROM "{t}" t SEMI JOIN _ingest_keys k ON {on}')
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_ingest_keys")


def ingest_delete_keys(con: duckdb.DuckDBPyConnection, table: str, key_cols: Sequence[str],
                       keys: pd.DataFrame) -> None:
    """Delete the rows of ``table`` whose key is one of ``keys`` (inside the caller's transaction)."""
    t = check_table(table)
    if keys.empty:
        return
    on = _key_clause(con, t, key_cols)
    con.register("_ingest_keys", keys[list(key_cols)].drop_duplicates())
    try:
        con.execute(f'DELETE FROM "{t}" t USING _ingest_keys k WHERE {on}')
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_ingest_keys")


def ingest_row_json(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> list[str]:
    """Each row of a DataFrame as one JSON object text (types as DuckDB sees them)."""
    if frame.empty:
        return []
    con.register("_ingest_rows", frame)
    try:
        rows = con.execute("SELECT to_json(r) FROM _ingest_rows r").fetchall()
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_ingest_rows")
    return [str(r[0]) for r in rows]


def write_import_rows(con: duckdb.DuckDBPyConnection, table: str, key_cols: Sequence[str], rows: pd.DataFrame,
                      status: Sequence[str], old_json: Sequence[str | None], batch_id: int, first_seq: int) -> int:
    """Write one table's part of an import batch inside the caller's transaction, in three statements
    over one registered frame: delete the stored rows it replaces (status changed or removed), insert
    its rows (added or changed; a removed row stays deleted), and record each row in ``batch_change``
    (seq ``first_seq + 1`` …; its key, its old row unless added, its new row unless removed, as JSON
    objects typed as DuckDB sees them) so that :func:`ingest_restore_json` can undo it exactly.

    ``rows`` holds the table's columns only, typed like the table. Returns the rows recorded."""
    t = check_table(table)
    known = table_columns(con, t)
    columns = [str(c) for c in rows.columns]
    for c in columns:  # the key's columns are checked by _key_clause below
        if c not in known:
            raise ValueError(f"unknown column {c!r} of {t!r}")
    if rows.empty:
        return 0
    frame = rows.reset_index(drop=True).assign(
        _status=list(status), _old_json=pd.Series(list(old_json), dtype=object),
        _seq=range(first_seq + 1, first_seq + 1 + len(rows)))

    def as_json(names: Sequence[str]) -> str:
        return "to_json({" + ", ".join(f"'{c}': \"{c}\"" for c in names) + "})"

    # Identifiers only, each checked against the table's columns above.
    on = _key_clause(con, t, key_cols)
    cols = ", ".join(f'"{c}"' for c in columns)
    key_list = ", ".join(f'"{c}"' for c in key_cols)
    key_json, row_json = as_json(key_cols), as_json(columns)
    con.register("_ingest_rows", frame)
    try:
        con.execute(f'DELETE FROM "{t}" t USING (SELECT {key_list} '
                    f"FROM _ingest_rows WHERE _status <> 'added') k WHERE {on}")
        con.execute(f'INSERT INTO "{t}" ({cols}) SELECT {cols} FROM _ingest_rows WHERE _status <> \'removed\'')
        con.execute(f"""INSERT INTO batch_change (batch_id, seq, table_name, key_json, old_json, new_json)
                        SELECT ?, _seq, ?, {key_json},
                               CASE WHEN _status = 'added' THEN NULL ELSE _old_json END,
                               CASE WHEN _status = 'removed' THEN NULL ELSE {row_json} END
                        FROM _ingest_rows""", [batch_id, t])
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses even this
            con.unregister("_ingest_rows")
    return len(frame)


def ingest_restore_json(con: duckdb.DuckDBPyConnection, table: str, rows_json: Sequence[str]) -> int:
    """Insert rows saved as JSON objects (see :func:`ingest_row_json`) back with their exact types."""
    t = check_table(table)
    if not rows_json:
        return 0
    structure = json.dumps(table_columns(con, t))
    con.register("_ingest_json", pd.DataFrame({"j": list(rows_json)}))
    try:
        con.execute(f'INSERT INTO "{t}" BY NAME SELECT unnest(json_transform(j, ?)) FROM _ingest_json',
                    [structure])
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_ingest_json")
    return len(rows_json)
