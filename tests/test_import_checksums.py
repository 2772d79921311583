"""Every shipped workbook imports to exactly the same database as before: the content checksums of
every table (:func:`pci_metrics.store.tables_db.content_checksums`: sorted rows, without the
time-stamp columns) of the tables that importing the VCCI workbooks 2005–2018 in turn into an empty
database changes are those the import gave when this test was written (``tests/fixtures/import_checksums.json``).
So are those of the template path: a filled template (scores, notes, targets, service-index readings)
into an empty database, the same template with values changed, blanked and added, and the undo of
that second batch.

A faster import must keep them byte for byte. Regenerate the reference only for an intended change
of what an import writes: ``.venv/bin/python -m tests.test_import_checksums``.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import openpyxl

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


def _commit_file(db: Path, data: bytes, name: str) -> commit.Outcome:
    with storage.connect(db) as con:
        ctx = context.load_context(con)
    incoming = ingest.read_and_validate(data, name, None, ctx, "kiem-thu")
    assert incoming.ok, (name, incoming.problems[:3])
    with storage.connect(db) as con:
        return commit.commit(con, incoming, user="kiem-thu", allow_changes=True)


def edited_template(data: bytes) -> bytes:
    """The same template with values changed (every 5th score, 6th target, 4th reading), a score
    blanked with a rank given (every 11th: the stored value stays, the rank is new) and notes reworded
    (every 3rd)."""
    def blank_score(row: tuple) -> None:
        row[3].value, row[4].value = None, 7

    def add(col: int, change: object) -> object:
        def edit(row: tuple) -> None:
            row[col].value = change(row[col].value)  # type: ignore[operator]
        return edit

    wb = openpyxl.load_workbook(io.BytesIO(data))
    edits = {"Điểm": [(5, add(3, lambda v: v + 0.5)), (11, blank_score)],
             "Mục tiêu": [(6, add(5, lambda v: v - 1))],
             "Chỉ số phục vụ": [(4, add(3, lambda v: 12.5))],
             "Ghi chú": [(3, add(3, lambda v: f"{v} (sửa)"))]}
    for sheet, rules in edits.items():
        rows = [r for r in wb[sheet].iter_rows() if r[-1].value == "bench" or str(r[3].value).startswith("ghi chú ")]
        for i, row in enumerate(rows):
            for every, edit in rules:
                if i % every == 0:
                    edit(row)
                    break
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _template_checksums(con: object) -> dict[str, str]:
    """Content checksums that do not depend on the clock: a generated workbook's bytes (so its sha256
    in ``import_batch``) carry the time it was saved, and rows' JSON in ``batch_change`` carry when
    they were entered (``*_at``); those two tables are summed without them."""
    import hashlib

    out = tables_db.content_checksums(con)  # type: ignore[arg-type]
    rows = con.execute("SELECT batch_id, seq, table_name, key_json, old_json, new_json "  # type: ignore[attr-defined]
                       "FROM batch_change ORDER BY batch_id, seq").fetchall()

    def timeless(text: str | None) -> str | None:
        return None if text is None else json.dumps({k: v for k, v in json.loads(text).items()
                                                     if not k.endswith("_at")}, sort_keys=True)

    out["batch_change"] = hashlib.md5(repr([(*r[:4], timeless(r[4]), timeless(r[5])) for r in rows]).encode()).hexdigest()
    out["import_batch"] = hashlib.md5(repr(commit.batches_table(con).drop(  # type: ignore[arg-type]
        columns="created_at").values.tolist()).encode()).hexdigest()
    return out


def template_path(db: Path, data: bytes) -> dict[str, object]:
    """A template into ``db``, its edited copy, the undo of the copy: counts and changed checksums of each."""
    steps: dict[str, object] = {}
    with storage.connect(db, read_only=True) as con:
        before = _template_checksums(con)
    for step, name, content in (("import", "mau.xlsx", data), ("edited", "mau-sua.xlsx", edited_template(data)),
                                ("undo", "", b"")):
        if content:
            outcome = _commit_file(db, content, name)
            counts: list[object] = [outcome.status, outcome.added, outcome.changed, outcome.unchanged]
        else:
            with storage.connect(db) as con:
                counts = [commit.undo(con, int(outcome.batch_id or 0), user="kiem-thu").status]
        with storage.connect(db, read_only=True) as con:
            now = _template_checksums(con)
        steps[step] = {"counts": counts, "tables": {t: c for t, c in now.items() if c != before.get(t)}}
    return steps


def filled_template(full_db: Path) -> bytes:
    """The template with every province's and ward's scores and notes 2023–2024, targets 2025–2026
    and service-index readings up to 6,000 rows (:func:`scripts.bench_ingest.template_workbook`)."""
    from scripts.bench_ingest import template_workbook

    return template_workbook(full_db, n_rows=6000, years=range(2023, 2025), plan_years=range(2025, 2027))


def test_the_template_imports_changes_and_undoes_to_the_same_database_as_before(built_db: Path,
                                                                               tmp_path: Path) -> None:
    db = tmp_path / "pci.duckdb"
    build.build_database(db, empty=True)
    got = template_path(db, filled_template(built_db))
    assert got == json.loads(REFERENCE.read_text(encoding="utf-8"))["template"]


def test_every_shipped_workbook_imports_to_the_same_database_as_before(tmp_path: Path) -> None:
    db = tmp_path / "pci.duckdb"
    build.build_database(db, empty=True)
    got = import_all(db)
    want = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert got["batches"] == want["batches"]
    assert got["tables"] == want["tables"]


if __name__ == "__main__":  # write the reference (see the module's docstring)
    import tempfile

    folder = Path(tempfile.mkdtemp())
    out, full, other = folder / "pci.duckdb", folder / "full.duckdb", folder / "template.duckdb"
    build.build_database(out, empty=True)
    build.build_database(full)
    build.build_database(other, empty=True)
    reference = import_all(out)
    reference["template"] = template_path(other, filled_template(full))
    REFERENCE.write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {REFERENCE}", file=sys.stderr)
