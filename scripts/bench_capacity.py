"""Server capacity without browsers: N sessions browse a real server over Streamlit's own websocket
protocol (:mod:`pci_metrics.ui.protocol`), so the figures are the server's, not those of 20
Chromiums sharing its two cores.

Each visitor arrives within the first ``RAMP_S`` seconds and browses as people do, reading each page
for a few seconds (``THINK_S``) before the next step:

  open the Overview → change page to Compare → change the year (a widget change) → download the
  heatmap's CSV → change page twice more (the provinces table, a priority page, Tasks, Service …)

For every step: p50 / p95 / max latency from the request to the script's end (for the download: to
the file's last byte), the errors (a run that did not finish, an exception or error box, a refused
request), the server's CPU seconds per page view (``/proc/<pid>/stat``: every script run counts as a
view) and its peak RSS (``VmHWM``). The server is warmed first (one visit of every page), as a
ward's server that has been up for days is.

Run alone: ``.venv/bin/python -m scripts.bench_capacity [--levels 10 50 100] [--think 2 6]``; it then
looks for the number of sessions where the page change's p95 passes 1.5 s (between the last level
under and the first over). ``make bench`` runs the levels of ``BENCH_CAPACITY_LEVELS`` (default 10 50).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RAMP_S = 10.0
THINK_S = (2.0, 6.0)
P95_LIMIT_MS = 1500.0
STEPS = ("open", "page change", "year change", "download")
# pages a visitor goes on to after Compare (a signed-out visitor may open all of them)
LATER = ("provinces", "tasks", "service", "market_entry", "transparency_accountability", "whatif")


@dataclass
class Result:
    """What all sessions of one level saw."""

    sessions: int
    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: list[str] = field(default_factory=list)
    runs: int = 0
    cpu_s: float = 0.0
    wall_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, step: str, ms: float, run: object = None) -> None:
        with self.lock:
            self.times[step].append(ms)
            self.runs += run is not None


def proc_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_mb(pid: int, key: str = "VmHWM") -> float:
    """A memory line of ``/proc/<pid>/status`` in MB (VmHWM: the peak resident set)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def journey(url: str, n: int, result: Result, think: tuple[float, float], timeout: float) -> None:
    """One visitor's visit (see the module's docstring); errors are recorded, never raised."""
    from pci_metrics.ui import protocol

    rnd = random.Random(n)
    later = [LATER[(n + k) % len(LATER)] for k in range(2)]

    def step(name: str, action: object) -> object:
        t0 = time.perf_counter()
        out = action()  # type: ignore[operator]
        ms = (time.perf_counter() - t0) * 1000
        if isinstance(out, protocol.Run):
            if not out.finished or out.problems:
                result.errors.append(f"s{n} {name}: {'; '.join(out.problems) or 'did not finish'}")
            result.add(name, ms, out)
        else:
            result.add(name, ms)
        time.sleep(rnd.uniform(*think))
        return out

    try:
        with protocol.Session(url, timeout) as s:
            step("open", lambda: s.open("", "lang=vi"))
            run = step("page change", lambda: s.go("compare"))
            year_id = protocol.widget_id(run, "selectbox", "cmp_year")  # type: ignore[arg-type]
            box = next(e for e in run.of_kind("selectbox") if e.id == year_id)  # type: ignore[attr-defined]
            year = rnd.choice([y for y in box.options if y != box.raw_value])
            run = step("year change", lambda: s.set_widget(year_id, string_value=year))
            button = run.of_kind("download_button")[0]  # type: ignore[attr-defined]
            step("download", lambda: s.download(button))
            for page in later:
                step("page change", lambda page=page: s.go(page))
    except Exception as exc:  # noqa: BLE001 - a refused or timed-out session is an error of the load
        result.errors.append(f"s{n}: {type(exc).__name__}: {str(exc)[:200]}")


def run_level(url: str, pid: int, sessions: int, think: tuple[float, float] = THINK_S,
              ramp: float = RAMP_S, timeout: float = 120.0) -> Result:
    """``sessions`` visitors at once (arriving within ``ramp`` seconds) against the server ``pid``."""
    result = Result(sessions)
    threads = [threading.Thread(target=journey, args=(url, i, result, think, timeout), daemon=True)
               for i in range(sessions)]
    cpu0, t0 = proc_cpu_s(pid), time.perf_counter()
    for i, th in enumerate(threads):
        th.start()
        time.sleep(ramp / sessions if i < sessions - 1 else 0)
    for th in threads:
        th.join()
    result.cpu_s, result.wall_s = proc_cpu_s(pid) - cpu0, time.perf_counter() - t0
    return result


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of ``values`` (nan when empty).

    >>> pct([1, 2, 3, 4], 50), pct(list(range(1, 101)), 95)
    (2, 95)
    """
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-q * len(ordered) // 100) - 1))]  # type: ignore[no-any-return]


def lines(res: Result, rss_mb: float) -> list[str]:
    """A level's table: per step p50/p95/max, then errors, CPU per view and the peak RSS."""
    out = [f"{res.sessions} sessions ({res.wall_s:.0f} s, {res.runs} page views):"]
    for step in STEPS:
        ts = res.times[step]
        out.append(f"  {step:12} n={len(ts):4}  p50 {pct(ts, 50):7.0f} ms  p95 {pct(ts, 95):7.0f} ms  "
                   f"max {max(ts, default=float('nan')):7.0f} ms")
    per_view = res.cpu_s / res.runs * 1000 if res.runs else float("nan")
    out.append(f"  errors {len(res.errors)}; server CPU {res.cpu_s:.1f} s = {per_view:.0f} ms per page view; "
               f"server peak RSS {rss_mb:.0f} MB")
    out += [f"  ERROR {e}" for e in res.errors[:10]]
    return out


class Bench:
    """A warmed server over a copy of ``db`` (a context manager)."""

    def __init__(self, db: Path) -> None:
        from pci_metrics.ui import warmup
        from tests.conftest import start_server

        self.work = Path(tempfile.mkdtemp(prefix="pci-capacity-"))
        shutil.copy(db, self.work / "pci.duckdb")
        self.server = start_server(self.work / "pci.duckdb")
        self.pid = self.server.proc.pid
        warmup.warm(self.server.url, ("vi",))

    def __enter__(self) -> Bench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def level(self, sessions: int, think: tuple[float, float] = THINK_S) -> tuple[Result, float]:
        res = run_level(self.server.url, self.pid, sessions, think)
        return res, proc_mb(self.pid)


def capacity(db: Path, levels: list[int], think: tuple[float, float], search: bool) -> list[tuple[Result, float]]:
    """Every level in turn on one warmed server; with ``search``, halve the interval between the
    last level whose page-change p95 was under 1.5 s and the first over it, twice."""
    done: list[tuple[Result, float]] = []
    with Bench(db) as bench:
        for n in levels:
            done.append(bench.level(n, think))
            print("\n".join(lines(*done[-1])), flush=True)
        for _ in range(2 if search else 0):
            under = [r.sessions for r, _ in done if pct(r.times["page change"], 95) <= P95_LIMIT_MS]
            over = [r.sessions for r, _ in done if pct(r.times["page change"], 95) > P95_LIMIT_MS]
            if not under or not over or min(over) - max(under) < 5:
                break
            done.append(bench.level((min(over) + max(under)) // 2, think))
            print("\n".join(lines(*done[-1])), flush=True)
    return done


def curve(done: list[tuple[Result, float]]) -> list[str]:
    """The capacity curve: sessions → page change p50/p95, CPU per view, RSS, errors."""
    out = ["sessions  page change p50/p95 ms   all steps p95 ms  CPU ms/view  peak RSS MB  errors"]
    for res, rss in sorted(done, key=lambda d: d[0].sessions):
        alls = [x for ts in res.times.values() for x in ts]
        pc = res.times["page change"]
        out.append(f"{res.sessions:8}  {pct(pc, 50):9.0f} / {pct(pc, 95):7.0f}  {pct(alls, 95):16.0f}  "
                   f"{res.cpu_s / max(res.runs, 1) * 1000:11.0f}  {rss:11.0f}  {len(res.errors):6}")
    under = [r.sessions for r, _ in done if pct(r.times["page change"], 95) <= P95_LIMIT_MS]
    over = [r.sessions for r, _ in done if pct(r.times["page change"], 95) > P95_LIMIT_MS]
    if over:
        out.append(f"page change p95 passes 1.5 s between {max(under, default=0)} and {min(over)} sessions")
    else:
        out.append(f"page change p95 stays under 1.5 s up to {max(under, default=0)} sessions")
    return out


def rows(db: Path) -> list[tuple[str, float, float]]:
    """`make bench` section: the page change's p50 and p95 at each level (median column = p50,
    max column = p95); the full tables are printed as they come."""
    levels = [int(x) for x in os.environ.get("BENCH_CAPACITY_LEVELS", "10 50").split()]
    done = capacity(db, levels, THINK_S, search=False)
    print("\n".join(curve(done)), flush=True)
    out = []
    for res, rss in done:
        pc = res.times["page change"]
        out.append((f"capacity {res.sessions} sessions: page change p50 / p95 ({len(res.errors)} errors, "
                    f"{res.cpu_s / max(res.runs, 1) * 1000:.0f} ms CPU/view, {rss:.0f} MB)",
                    pct(pc, 50), pct(pc, 95)))
    return out


def main() -> int:
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: still stop the server it started
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--think", type=float, nargs=2, default=list(THINK_S), metavar=("MIN_S", "MAX_S"))
    parser.add_argument("--no-search", action="store_true", help="only the given levels")
    parser.add_argument("--db", help="database to copy (default: build one from data/seed)")
    args = parser.parse_args()
    from scripts.bench import bench_database

    db = bench_database(args.db)
    done = capacity(db, args.levels, tuple(args.think), not args.no_search)  # type: ignore[arg-type]
    print("\n" + "\n".join(curve(done)))
    return 1 if any(r.errors for r, _ in done) else 0


if __name__ == "__main__":
    raise SystemExit(main())
