"""Every shipped workbook imports to exactly the same database as before: the content checksums of
every table (:func:`pci_metrics.store.tables_db.content_checksums`: sorted rows, without the
time-stamp columns) of the tables that importing the VCCI workbooks 2005–2018 in turn into an empty
database changes are those the import gave when this test was written (``tests/fixtures/import_checksums.json``).

A faster import must keep them byte for byte. Regenerate the reference only for an intended change
of what an import writes: ``.venv/bin/python -m tests.test_import_checksums``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pci_metrics.imports import commit, context, ingest
from pci_metrics.store import build, storage, tables_db

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "import_checksums.json"


def workbooks() -> list[Path]:
    return sorted((FIXTURES / "vcci").glob("pci_*.xls*"))


def import_all(db: Path) -> dict[str, object]:
    """Import every shipped workbook into the empty database ``db`` (read and checked in this
    process: the limited worker runs the same function); each batch's counts and the checksums of the
    tables the imports changed (the plan's own tables and the schema's bookkeeping are not theirs)."""
    with storage.connect(db, read_only=True) as con:
        before = tables_db.content_checksums(con)
    batches = {}
    for path in workbooks():
        with storage.connect(db) as con:
            ctx = context.load_context(con)
        incoming = ingest.read_and_validate(path.read_bytes(), path.name, None, ctx, "kiem-thu")
        assert incoming.ok, (path.name, incoming.problems[:3])
        with storage.connect(db) as con:
            outcome = commit.commit(con, incoming, user="kiem-thu")
        batches[path.name] = [outcome.status, outcome.added, outcome.changed, outcome.unchanged]
    with storage.connect(db, read_only=True) as con:
        after = tables_db.content_checksums(con)
    return {"batches": batches, "tables": {t: c for t, c in after.items() if c != before.get(t)}}


def test_every_shipped_workbook_imports_to_the_same_database_as_before(tmp_path: Path) -> None:
    db = tmp_path / "pci.duckdb"
    build.build_database(db, empty=True)
    got = import_all(db)
    want = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert got["batches"] == want["batches"]
    assert got["tables"] == want["tables"]


if __name__ == "__main__":  # write the reference (see the module's docstring)
    import tempfile

    out = Path(tempfile.mkdtemp()) / "pci.duckdb"
    build.build_database(out, empty=True)
    REFERENCE.write_text(json.dumps(import_all(out), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {REFERENCE}", file=sys.stderr)
