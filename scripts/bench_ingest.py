"""Import timings for `make bench`: read → validate → commit, with undo.

Measures:
* the 2017 VCCI workbook into an empty database (goal ≤ 2 s), and into the full default database
  (all unchanged: reading, validation and comparison only);
* a 100,000-row template workbook (scores, targets, notes, service-index readings) into an empty
  database (goal ≤ 10 s), then its undo.

Each import is printed next to its floor measured in the same run: a raw python-calamine read of
every sheet of the same bytes (:func:`raw_read`), and the ratio import / raw read.

``python -m scripts.bench_ingest`` runs it alone.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 3
TEMPLATE_ROWS = 100_000


def _timed(setup: Callable[[], object], fn: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        setup()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def raw_read(data: bytes) -> int:
    """The floor of an import: python-calamine reads every cell of every sheet (nothing checked);
    the number of cells."""
    import io

    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return sum(len(r) for name in wb.sheet_names for r in wb.get_sheet_by_name(name).to_python())


def calamine_reads(data: bytes) -> bool:
    """Whether python-calamine reads the workbook (the import falls back to openpyxl when not)."""
    try:
        raw_read(data)
    except Exception:  # noqa: BLE001 - any calamine failure
        return False
    return True


def vcci_workbooks() -> list[Path]:
    """Every VCCI workbook shipped with the tests (2005–2018)."""
    return sorted((ROOT / "tests" / "fixtures" / "vcci").glob("pci_*.xls*"))


def each_vcci(empty: Path, work: Path) -> list[tuple[str, float, float]]:
    """Every shipped VCCI workbook into an empty database, against its raw read."""
    from pci_metrics.imports import ingest
    from scripts.bench import against

    out = []
    for path in vcci_workbooks():
        data = path.read_bytes()

        def one(data: bytes = data, name: str = path.name) -> None:
            outcome = ingest.import_file(str(work), data, name, user="bench")
            assert outcome.status == "committed", (name, outcome.status)

        med = _timed(lambda: shutil.copy(empty, work), one, runs=1)
        if not calamine_reads(data):
            out.append((f"import {path.name} → empty db  [no floor: python-calamine cannot read it]", *med))
            continue
        out += against(f"import {path.name} → empty db", med, _timed(lambda: None, lambda d=data: raw_read(d)),
                       f"python-calamine reads {path.name}")
    return out


def template_workbook(db: Path, n_rows: int = TEMPLATE_ROWS, years: range = range(2005, 2025),
                      plan_years: range = range(2025, 2031)) -> bytes:
    """The template filled with valid rows (no duplicate keys), written with openpyxl: scores and
    notes of every province and ward for ``years``, targets for ``plan_years``, then service-index
    readings up to ``n_rows`` rows in all."""
    import io

    import openpyxl

    from pci_metrics.imports import template
    from pci_metrics.store import reference_db, service_db, storage
    from pci_metrics.store.build import framework_for_year

    with storage.connect(db, read_only=True) as con:
        wb = openpyxl.load_workbook(io.BytesIO(template.build_template(con)))
        entities = reference_db.load_entities(con)
        names = list(entities[entities["level"].isin(["province", "ward"])]["name_vi"])
        frameworks = reference_db.load_frameworks(con)
        subs = reference_db.load_subindices(con)
        groups = list(service_db.load_service_groups(con)["name_vi"])
    codes = {fw: ["composite", *subs[subs["framework_id"] == fw]["code"]] for fw in subs["framework_id"].unique()}
    scores, notes, targets, service = wb["Điểm"], wb["Ghi chú"], wb["Mục tiêu"], wb["Chỉ số phục vụ"]
    count = 0
    for year in years:
        for code in codes[framework_for_year(frameworks, year)]:
            for i, name in enumerate(names):
                value = 60.0 + (i % 30) / 3 if code == "composite" else 5.0 + (i % 40) / 10
                scores.append([year, name, code, value, None, "bench"])
                notes.append([name, year, code, f"ghi chú {year} {code}"])
                count += 2
    for year in plan_years:
        for code in codes["pci2025"]:
            for name in names:
                targets.append([None, name, year, None, code, 80.0 if code == "composite" else 7.5, None, "bench"])
                count += 1
    periods = [f"{y}-{m:02d}" for y in range(2005, 2040) for m in range(1, 13)]
    for period in periods:
        for name in names:
            for group in groups:
                if count >= n_rows:
                    break
                service.append([name, period, group, 10.0, "bench"])
                count += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rows(db: Path) -> list[tuple[str, float, float]]:
    """(measure, median ms, max ms) of the import measures."""
    from pci_metrics.imports import commit, context, ingest, read
    from pci_metrics.store import build, storage

    tmp = Path(tempfile.mkdtemp(prefix="pci-bench-ingest-"))
    empty = tmp / "empty.duckdb"
    build.build_database(empty, empty=True)
    work = tmp / "work.duckdb"
    full = tmp / "full.duckdb"
    shutil.copy(db, full)
    vcci = (ROOT / "tests" / "fixtures" / "vcci" / "pci_2017.xlsx").read_bytes()

    def fresh() -> None:
        shutil.copy(empty, work)

    out = []

    def vcci_into_empty() -> None:
        outcome = ingest.import_file(str(work), vcci, "pci_2017.xlsx", user="bench")
        assert outcome.status == "committed" and outcome.added > 8000

    from scripts.bench import against

    raw_vcci = _timed(lambda: None, lambda: raw_read(vcci))
    out += against("import VCCI 2017 workbook → empty db (read, validate, commit)", _timed(fresh, vcci_into_empty),
                   raw_vcci, "python-calamine reads every sheet of pci_2017.xlsx")

    def vcci_into_full() -> None:
        outcome = ingest.import_file(str(full), vcci, "pci_2017.xlsx", user="bench")
        assert outcome.status == "nothing"

    out += against("import VCCI 2017 workbook → default db (all unchanged)", _timed(lambda: None, vcci_into_full),
                   raw_vcci, "the same raw read")

    # The price of reading untrusted files in the limited worker, next to its floor: the same work
    # (load the vocabularies, read, check) in this process, as the import did before it was isolated.
    def in_process() -> None:
        with storage.connect(full) as con:
            ctx_full = context.load_context(con)
        ingest.read_and_validate(vcci, "pci_2017.xlsx", None, ctx_full, "bench")

    floor, floor_max = _timed(lambda: None, in_process)
    med, mx = _timed(lambda: None, lambda: ingest.incoming_from_file(str(full), vcci, "pci_2017.xlsx", user="bench"))
    out.append((f"read + check VCCI 2017 in the limited worker ({med / floor:.2f}× the floor)", med, mx))
    out.append(("  floor: the same read + check in this process, no isolation", floor, floor_max))

    data = template_workbook(db)
    state: dict[str, int] = {}

    def template_import() -> None:
        outcome = ingest.import_file(str(work), data, "bench.xlsx", user="bench")
        # a row the empty database already holds (a target of the plan itself) comes back changed
        assert outcome.status == "committed" and outcome.added + outcome.changed + outcome.unchanged == TEMPLATE_ROWS, outcome.added
        state["batch"] = int(outcome.batch_id or 0)

    out += against(f"import {TEMPLATE_ROWS:,}-row template workbook → empty db", _timed(fresh, template_import, runs=2),
                   _timed(lambda: None, lambda: raw_read(data), runs=2), "python-calamine reads the template")

    raw = read.read_file(data, "bench.xlsx")
    service = next(s for s in raw.sheets if s.kind == "service")
    with storage.connect(empty, read_only=True) as con:
        ctx = context.load_context(con)

    def service_only() -> None:
        from pci_metrics.imports.service_readings import validate_service_readings

        validate_service_readings(service.frame, groups=ctx.groups, entities=ctx.entities, sheet="x")

    med, mx = _timed(lambda: None, service_only, runs=1)
    out.append((f"  of which service.validate_service_readings ({len(service.frame):,} rows)", med, mx))

    def undo() -> None:
        with storage.connect(work) as con:
            commit.undo(con, state["batch"], user="bench")

    med, mx = _timed(lambda: None, undo, runs=1)
    out.append((f"undo the {TEMPLATE_ROWS:,}-row batch", med, mx))
    out += each_vcci(empty, work)
    shutil.rmtree(tmp, ignore_errors=True)
    return out


if __name__ == "__main__":
    from pci_metrics.store.build import build_database

    base = Path(tempfile.mkdtemp(prefix="pci-bench-"))
    build_database(base / "bench.duckdb")
    from scripts.bench import print_rows

    print_rows(rows(base / "bench.duckdb"))
