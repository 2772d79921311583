"""What-if timings: the cached base model (cold), one live outcome (every slider move), the CLI.

Run through ``make bench`` (scripts/bench.py) or alone: ``.venv/bin/python -m scripts.bench_whatif [DB]``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.bench import ROOT, RUNS, timed


def rows(db: Path) -> list[tuple[str, float, float]]:
    """(measure, median ms, max ms) for the what-if engine on a built database."""
    from pci_metrics.store import storage
    from pci_metrics.views import scenarios

    out: list[tuple[str, float, float]] = []
    with storage.connect(db, read_only=True) as con:
        out.append(("whatif: choices (cold, cached by the page)", *timed(lambda: scenarios.choices(con), runs=3)))
        out.append(("whatif: base model 2019 (cold, cached by the page)",
                     *timed(lambda: scenarios.base_model(con, "haiphong", 2019), runs=3)))
        b2019 = scenarios.base_model(con, "haiphong", 2019)
        b2022 = scenarios.base_model(con, "haiphong", 2022)
        b2025 = scenarios.base_model(con, "haiphong", 2019, scenarios.VIEW_PCI2025, "equal")
    deltas = {"transparency": 0.5, "labor": 0.2}
    out.append(("whatif: targets 2019 (rank plan + marginal values; on a target/gap change)",
                *timed(lambda: scenarios.targets(b2019, 5))))
    f2019, f2022, f2025 = scenarios.targets(b2019, 5), scenarios.targets(b2022, 1), scenarios.targets(b2025, 10)
    out.append(("whatif: outcome 2019, 63 provinces re-ranked (each slider move)",
                *timed(lambda: scenarios.outcome(b2019, deltas, fixed=f2019))))
    out.append(("whatif: outcome 2022, composite + rank bounds (each slider move)",
                *timed(lambda: scenarios.outcome(b2022, deltas, fixed=f2022))))
    out.append(("whatif: outcome PCI 2025 scenario 2019 (each slider move)",
                *timed(lambda: scenarios.outcome(b2025, {"resource_access": 0.5}, fixed=f2025))))
    cmd = [sys.executable, "-m", "pci_metrics", "whatif", "--entity", "haiphong", "--year", "2019",
           "--set", "transparency=+0.5", "--rank", "5", "--db", str(db)]
    out.append(("whatif: CLI end to end (process start included)",
                *timed(lambda: subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True), runs=max(3, RUNS // 2))))
    return out


if __name__ == "__main__":
    from pci_metrics.store import storage

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else storage.db_path()
    from scripts.bench import print_rows

    print_rows(rows(path))
