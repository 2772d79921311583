"""Write an import as one batch in one transaction, undo a batch exactly, and list the batches.

A commit re-compares inside its transaction, so a preview that went stale meanwhile cannot
overwrite anything silently; every row it writes keeps its old content in ``batch_change`` so
:func:`undo` can restore it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from pci_metrics.base.cells import blank_mask, is_blank
from pci_metrics.base.i18n import t
from pci_metrics.base.problems import InputError
from pci_metrics.imports.diff import SPECS, Preview, diff, table_columns
from pci_metrics.imports.limits import MAX_PROBLEMS, errors, problem
from pci_metrics.imports.validate import Incoming
from pci_metrics.store import audit_db, batches_db, storage
from pci_metrics.trust.roles import can_undo


class ChangesNotConfirmed(InputError):
    """The import would change published values and that was not confirmed."""


@dataclass
class Outcome:
    """What a commit or an undo did."""

    batch_id: int | None
    status: str  # committed | nothing | undone
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    preview: Preview | None = None

    def message(self, lang: str = "vi") -> str:
        """One line for the user.

        >>> Outcome(3, "committed", 2, 0, 5).message("en")
        'Imported as batch #3: 2 added, 0 changed, 5 unchanged.'
        """

        if self.status == "nothing":
            same = self.preview.same_file_batch if self.preview else None
            if same:
                return t("ingest_same_file", lang, batch=same["batch_id"], when=str(same["created_at"])[:16])
            return t("ingest_nothing", lang)
        if self.status == "undone":
            return t("ingest_undone", lang, batch=self.batch_id)
        return t("ingest_done", lang, batch=self.batch_id, added=self.added, changed=self.changed,
                 unchanged=self.unchanged)


def _not_confirmed(preview: Preview) -> ChangesNotConfirmed:
    ch = preview.changes[(preview.changes["status"] == "changed") & preview.changes["published"]]
    problems = [problem("published_change",
                        "xác nhận ghi đè số liệu đã công bố (trên trang: đánh dấu ô xác nhận; dòng lệnh: --allow-changes)",
                        "confirmation to overwrite a published figure (page: tick the confirmation; command line: "
                        "--allow-changes)", sheet=r.sheet, row=None if is_blank(r.row) else int(r.row), column=r.column,
                        found=f"{r.key}: {r.old} → {r.new}")
                for r in storage.records(ch.head(MAX_PROBLEMS))]
    return ChangesNotConfirmed(problems)


def commit(con: duckdb.DuckDBPyConnection, incoming: Incoming, *, user: str,
           allow_changes: bool = False) -> Outcome:
    """Write validated rows as one batch in one transaction (re-compared inside it, so a preview that
    went stale meanwhile cannot overwrite anything silently).

    Example: pci_2018.xlsx into an empty database → batch 1, 8,768 added (scores, indicators, benchmarks).
    """
    if not incoming.ok:
        raise InputError(errors(incoming.problems))
    with storage.transaction(con):
        preview = diff(con, incoming)
        if not preview.ok:  # refused on what the database holds now (a year's ranking would break)
            raise InputError(errors(preview.incoming.problems))
        if preview.published_changes and not allow_changes:
            raise _not_confirmed(preview)
        if preview.added + preview.changed == 0:
            return Outcome(None, "nothing", 0, 0, preview.unchanged, preview)
        batch_id = batches_db.next_batch_id(con)
        batches_db.insert_batch(con, dict(
            batch_id=batch_id, file_name=incoming.file_name, sha256=incoming.sha256, kind=incoming.kind,
            user_name=user, created_at=datetime.now(), added=preview.added, changed=preview.changed,
            unchanged=preview.unchanged, status="committed",
            note=f"năm / year {incoming.year}" if incoming.year else None))
        seq = 0
        for table, new in preview.rows.items():
            if new.empty:
                continue
            write = new.drop(columns=[c for c in new.columns if c.startswith("_")])
            if "batch_id" in table_columns(con, table):
                write["batch_id"] = batch_id
            seq += batches_db.write_import_rows(con, table, SPECS[table].key, _typed(con, table, write),
                                                new["_status"].tolist(), new["_old_json"].tolist(), batch_id, seq)
            audit_db.write_audit(con, user, "import", table, json.dumps({"batch_id": batch_id}),
                                None, json.dumps(preview.counts[table]), batch_id)
    return Outcome(batch_id, "committed", preview.added, preview.changed, preview.unchanged, preview)


_PANDAS_TYPES = {"INTEGER": "Int64", "BIGINT": "Int64", "DOUBLE": "float64", "BOOLEAN": "boolean"}


def _typed(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Cast a frame's columns to the table's types (object columns of mixed None/number confuse DuckDB)."""
    types = table_columns(con, table)
    out = frame.copy()
    for c in out.columns:
        kind = types.get(c, "VARCHAR")
        if kind in _PANDAS_TYPES:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype(_PANDAS_TYPES[kind]) \
                if kind != "BOOLEAN" else out[c].astype("boolean")
        elif kind == "TIMESTAMP":
            out[c] = pd.to_datetime(out[c])
        elif kind == "DATE":
            out[c] = pd.to_datetime(out[c]).dt.date
        else:
            col = out[c].astype(object)
            out[c] = col.where(~blank_mask(col), None)
    return out


def undo(con: duckdb.DuckDBPyConnection, batch_id: int, *, user: str) -> Outcome:
    """Undo one committed batch: every row it added is removed, every row it changed gets its old
    content back — exactly. Refused while a later batch changed the same rows (undo that first).

    Example: undo of batch 1 above → every data table's checksum equals the one before the import.
    """
    batch = batches_db.load_batch(con, batch_id)
    if batch is None or batch["status"] != "committed":
        found = "—" if batch is None else batch["status"]
        raise InputError([problem("no_batch", "số của một lần nhập đang có hiệu lực",
                                  "the number of a committed import batch", column="batch", found=f"#{batch_id} ({found})")])
    later = batches_db.later_batches_touching(con, batch_id)
    if later:
        raise InputError([problem("later_batch",
                                  f"hoàn tác trước các lần nhập sau đã sửa cùng dòng: {', '.join(f'#{b}' for b in later)}",
                                  f"undo the later batches that changed the same rows first: "
                                  f"{', '.join(f'#{b}' for b in later)}", column="batch", found=f"#{batch_id}")])
    with storage.transaction(con):
        changes = batches_db.load_batch_changes(con, batch_id)
        for table, group in changes.groupby("table_name", sort=False):
            spec = SPECS[str(table)]
            keys = pd.DataFrame([json.loads(k) for k in group["key_json"]], columns=list(spec.key))  # objects
            batches_db.ingest_delete_keys(con, str(table), spec.key, keys)
            olds = [str(j) for j in group["old_json"] if not is_blank(j)]
            batches_db.ingest_restore_json(con, str(table), olds)
            audit_db.write_audit(con, user, "undo", str(table), json.dumps({"batch_id": batch_id}),
                                json.dumps({"rows": len(group)}), json.dumps({"restored": len(olds)}), batch_id)
        batches_db.set_batch_status(con, batch_id, "undone", f"hoàn tác bởi / undone by {user} {datetime.now():%Y-%m-%d %H:%M}")
    return Outcome(batch_id, "undone", preview=None)


def commit_to(path: str | None, incoming: Incoming, *, user: str, allow_changes: bool = False) -> Outcome:
    """Open the database, commit a validated import, close it (raises InputError, DatabaseBusy).

    Example: ``commit_to(db, preview.incoming, user="lan").message("en")`` → "Imported as batch #1: …".
    """
    with storage.connect(path) as con:
        return commit(con, incoming, user=user, allow_changes=allow_changes)


def undo_in(path: str | None, batch_id: int, *, user: str) -> Outcome:
    """Open the database, undo one batch, close it (raises InputError, DatabaseBusy).

    Example: ``undo_in(db, 1, user="lan").message("en")`` → "Batch #1 undone: …".
    """
    with storage.connect(path) as con:
        return undo(con, batch_id, user=user)


BATCH_COLUMNS = ["batch_id", "created_at", "file_name", "kind", "user_name", "added", "changed", "unchanged", "status"]


def batches_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Import batches for the page and the CLI, newest first.

    Example: after importing pci_2018.xlsx → one row: batch 1, kind vcci, added 8,757, status committed.
    """
    return batches_db.load_batches(con)[BATCH_COLUMNS]


def undoable(batches: pd.DataFrame, user: str, role: str) -> list[int]:
    """Committed batches this user may undo: an analyst their own, an administrator any.

    >>> b = pd.DataFrame({"batch_id": [2, 1], "status": ["committed", "committed"], "user_name": ["lan", "minh"]})
    >>> undoable(b, "lan", "analyst"), undoable(b, "an", "admin")
    ([2], [2, 1])
    """
    live = batches[batches["status"] == "committed"]
    return [int(b) for b, who in zip(live["batch_id"], live["user_name"], strict=True) if can_undo(role, user, str(who))]
