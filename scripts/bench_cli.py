"""Command-line timings for `make bench`, each a new process as a user starts it, next to its floor:

* ``python -m pci_metrics --help`` against ``python -c pass`` (the same interpreter starting and doing
  nothing): the parser and the help are built without pandas or DuckDB;
* ``python -m pci_metrics import pci_2017.xlsx`` into an empty database against the least such a process
  can cost: starting an interpreter that loads pandas and DuckDB (``python -c "import pandas, duckdb"``)
  plus the same import done in-process (a warm process, as the dashboard's import page runs it).

``python -m scripts.bench_cli [DB]`` runs it alone (the import goes into copies of an empty database built
here, so DB, which `make bench` passes to every section, is not used).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VCCI_2017 = ROOT / "tests" / "fixtures" / "vcci" / "pci_2017.xlsx"
IMPORT_RUNS = 5


def process(*args: str) -> None:
    """Run ``python ARGS`` from the checkout, as a user would; it must succeed."""
    env = {**os.environ, "PCI_USER": "bench"}
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def fresh_copies(empty: Path, n: int) -> list[Path]:
    """``n`` copies of the empty database, made before the clock starts (one per timed import)."""
    copies = [empty.with_name(f"work-{i}.duckdb") for i in range(n)]
    for copy in copies:
        shutil.copy(empty, copy)
    return copies


def rows(db: Path) -> list[tuple[str, float, float]]:
    """(measure, median ms, max ms) of the command line's start and of an import through it."""
    from pci_metrics.imports import ingest
    from pci_metrics.store import build
    from scripts.bench import against, timed

    out = against("CLI: python -m pci_metrics --help (new process)", timed(lambda: process("-m", "pci_metrics", "--help")),
                  timed(lambda: process("-c", "pass")), "python -c pass (the same interpreter, nothing loaded)")

    tmp = Path(tempfile.mkdtemp(prefix="pci-bench-cli-"))
    empty = tmp / "empty.duckdb"
    build.build_database(empty, empty=True)
    cli = iter(fresh_copies(empty, IMPORT_RUNS))
    measured = timed(lambda: process("-m", "pci_metrics", "import", str(VCCI_2017), "--db", str(next(cli))),
                     runs=IMPORT_RUNS)
    libraries = timed(lambda: process("-c", "import pandas, duckdb"), runs=IMPORT_RUNS)
    data = VCCI_2017.read_bytes()
    in_process = iter(fresh_copies(empty, IMPORT_RUNS))
    warm = timed(lambda: ingest.import_file(str(next(in_process)), data, VCCI_2017.name, user="bench"),
                 runs=IMPORT_RUNS)
    floor = (libraries[0] + warm[0], libraries[1] + warm[1])
    out += against("CLI: python -m pci_metrics import pci_2017.xlsx → empty db (new process)", measured, floor,
                   "python -c 'import pandas, duckdb' + the same import in-process")
    out += [("    of which python -c 'import pandas, duckdb'", *libraries),
            ("    of which the import in-process (warm)", *warm)]
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def main() -> int:
    from scripts.bench import run_alone

    return run_alone(rows)


if __name__ == "__main__":
    raise SystemExit(main())
