"""`make bench`: rerunnable timings printed as a table (not asserted in tests).

Measures: the database build; every page's warm rerun (AppTest, median of N runs) on the full
default database. Other sections register themselves in BENCH_MODULES (imports, documents, slides,
capacity, load, start-up).

The machine is shared and its timings drift from run to run, so every figure is printed next to its
*floor* measured in the same run — the least the same work costs with the same tools (a one-chart
one-table page for pages, a raw read for imports, a bare document for the report, a static page for
the PDF) — and its ratio to it (:func:`against`). The ratio is the figure to compare between runs.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def timed(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median and max wall time in ms of ``runs`` calls."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def bench_build(tmp: Path) -> list[tuple[str, float, float]]:
    from pci_metrics.store.build import build_database

    path = tmp / "bench.duckdb"
    med, mx = timed(lambda: build_database(path), runs=3)
    return [("build database (full default data)", med, mx)]


def against(name: str, measured: tuple[float, float], floor: tuple[float, float],
            floor_name: str) -> list[tuple[str, float, float]]:
    """A figure and its floor as two rows, the ratio (median / median) in the figure's name.

    >>> against("x", (30.0, 40.0), (10.0, 12.0), "f")
    [('x  [3.00× floor]', 30.0, 40.0), ('  floor: f', 10.0, 12.0)]
    """
    ratio = measured[0] / floor[0] if floor[0] else float("nan")
    return [(f"{name}  [{ratio:.2f}× floor]", *measured), (f"  floor: {floor_name}", *floor)]


def rerun_times(script: Path, page: str | None = None) -> tuple[float, float]:
    """Median and max warm rerun (ms) of ``script`` (and one of its pages) in AppTest."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(script), default_timeout=120)
    at.session_state["role"], at.session_state["user_name"] = "admin", "bench"  # every page opens
    at.run()
    if page:
        at._page_hash = calc_hash(page)
    at.run()  # cold: fills the caches
    assert not at.exception, (page, at.exception)
    return timed(at.run)


def bench_pages(db: Path) -> list[tuple[str, float, float]]:
    from pci_metrics.ui.navigation import page_ids

    os.environ["PCI_DB_PATH"] = str(db)
    # AppTest's session state set outside a run warns once per page; the table is what matters here
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    floor = rerun_times(ROOT / "scripts" / "floor_page.py")
    rows = []
    for page in page_ids():
        med, mx = rerun_times(ROOT / "app.py", None if page == "overview" else page)
        ratio = med / floor[0]
        rows.append((f"page warm rerun: {page}  [{ratio:.2f}× floor]", med, mx))
    rows.append(("  floor: a one-chart one-table page (scripts/floor_page.py), warm rerun", *floor))
    return rows


# Each area adds its measures in scripts/bench_<area>.py with ``rows(db: Path) -> list[(name, median_ms, max_ms)]``.
BENCH_MODULES = ("bench_ingest", "bench_documents", "bench_tasks", "bench_slides", "bench_whatif", "bench_capacity",
                 "bench_load", "bench_startup", "bench_cli")


def sections() -> list[Callable[[Path], list[tuple[str, float, float]]]]:
    import importlib

    out = []
    for name in BENCH_MODULES:
        if (ROOT / "scripts" / f"{name}.py").exists():
            out.append(importlib.import_module(f"scripts.{name}").rows)
    return out


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="pci-bench-"))
    rows = bench_build(tmp)
    db = tmp / "bench.duckdb"
    rows += bench_pages(db)
    for section in sections():
        rows += section(db)
    print_rows(rows, f"   (runs={RUNS})")
    return 0


def print_rows(rows: list[tuple[str, float, float]], heading_note: str = "") -> None:
    """The measures as a table (`make bench` and each scripts/bench_<area>.py run alone)."""
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':{width}}  median ms     max ms{heading_note}")
    for name, med, mx in rows:
        print(f"{name:{width}}  {med:9.1f}  {mx:9.1f}")


def bench_database(given: str | None) -> Path:
    """The database a benchmark run alone works on: the one given, else one freshly built from
    data/seed in a new temporary folder."""
    if given:
        return Path(given)
    from pci_metrics.store.build import build_database

    db = Path(tempfile.mkdtemp(prefix="pci-bench-")) / "bench.duckdb"
    build_database(db)
    return db


def run_alone(rows: Callable[[Path], list[tuple[str, float, float]]]) -> int:
    """Run one section alone (``python -m scripts.bench_<area> [DB]``) and print its table."""
    print_rows(rows(bench_database(sys.argv[1] if len(sys.argv) > 1 else None)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
