"""`make bench`: rerunnable timings printed as a table (not asserted in tests).

Measures: the database build; every page's warm rerun (AppTest, median of N runs) on the full
default database. Other sections register themselves in SECTIONS (imports, slides, load).
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


def bench_pages(db: Path) -> list[tuple[str, float, float]]:
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from pci_metrics.ui.navigation import page_ids

    os.environ["PCI_DB_PATH"] = str(db)
    # AppTest's session state set outside a run warns once per page; the table is what matters here
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    rows = []
    for page in page_ids():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["role"], at.session_state["user_name"] = "admin", "bench"  # every page opens
        at.run()
        if page != "overview":
            at._page_hash = calc_hash(page)
        at.run()  # cold: fills the caches
        assert not at.exception, (page, at.exception)
        med, mx = timed(at.run)
        rows.append((f"page warm rerun: {page}", med, mx))
    return rows


# Each area adds its measures in scripts/bench_<area>.py with ``rows(db: Path) -> list[(name, median_ms, max_ms)]``.
BENCH_MODULES = ("bench_ingest", "bench_tasks", "bench_slides", "bench_whatif", "bench_load", "bench_startup")


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


if __name__ == "__main__":
    raise SystemExit(main())
