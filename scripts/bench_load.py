"""Load: 20 browser sessions browse a real server while an analyst imports from the
command line. Reports p50/p95 page render times; fails when any session saw an error or the import
did not land exactly once.

Run alone: ``.venv/bin/python -m scripts.bench_load [--sessions 20] [--visits 6]``; ``make bench``
runs it through ``rows(db)``. One Chromium with one context per session keeps memory to a few GB.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PROBLEMS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@dataclass
class Session:
    """What one browser session saw."""

    name: str
    times_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    change_ms: list[float] = field(default_factory=list)  # the opens that followed a sidebar link


def viewer_pages() -> list[str]:
    """Every page a viewer may open (the load is leadership browsing)."""
    from pci_metrics.trust import roles
    from pci_metrics.ui.navigation import page_ids

    return [p for p in page_ids() if roles.page_needs(p) == "viewer"]


def import_file(db: Path, folder: Path) -> Path:
    """A CSV an analyst would import: 2023 sub-indices for every province (about 650 rows)."""
    from pci_metrics.store import reference_db, storage

    with storage.connect(db, read_only=True) as con:
        provinces = reference_db.load_entities(con, "province")["entity_key"].tolist()
        codes = reference_db.load_subindices(con, "pci2022")["code"].tolist()
    lines = ["year,entity_key,code,value,source"]
    lines += [f"2023,{k},{c},{5 + ((i * 7 + j * 3) % 40) / 10},bench load"
              for i, k in enumerate(provinces) for j, c in enumerate(codes)]
    path = folder / "diem-2023-tai-thu.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def browse(browser: object, url: str, pages: list[str], session: Session, timeout_ms: int) -> None:
    """Arrive on the first page (a full load), then browse the others through the sidebar as people do
    (a full load again after the projector view, which has no sidebar); time each until drawn."""
    context = await browser.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)  # 20 sessions on 2 cores: the first bytes can take a while
    page.on("pageerror", lambda e: session.errors.append(f"pageerror: {e}"))
    # console errors, except "failed to load resource" (judged below by URL): opened at /tasks, the
    # Streamlit frontend first probes /tasks/_stcore/health, a 404 by design
    page.on("console", lambda m: session.errors.append(f"console: {m.text[:200]}")
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    page.on("response", lambda r: session.errors.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 and "/_stcore/" not in r.url and "favicon" not in r.url else None)
    for i, path in enumerate(pages):
        t0 = time.perf_counter()
        try:
            target = f"{url}/{'' if path == 'overview' else path}"
            link = page.locator(f'[data-testid="stSidebarNav"] a[href="{target}"]')
            via_link = bool(i and await link.count())
            if via_link:  # browsing: follow the sidebar link (same session, no reload)
                more = page.locator('[data-testid="stSidebarNavViewButton"]')
                if not await link.is_visible() and await more.count():
                    await more.click()
                await link.click()
                await page.wait_for_url(target)
            else:  # arriving (and leaving the projector view, which has no sidebar): a full load
                await page.goto(target, wait_until="domcontentloaded")
            await page.wait_for_timeout(100)  # let the script start before waiting for it to end
            await page.wait_for_selector(READY, timeout=timeout_ms)
            session.times_ms.append((time.perf_counter() - t0) * 1000)
            if via_link:
                session.change_ms.append(session.times_ms[-1])
            bad = await page.locator(PROBLEMS).all_inner_texts()
            busy = await page.get_by_text("Cơ sở dữ liệu đang bận").count()
            session.errors += [f"{path}: {b[:200]}" for b in bad] + ([f"{path}: database busy"] if busy else [])
        except Exception as exc:  # noqa: BLE001 - a timeout is an error of that session
            session.errors.append(f"{path}: {type(exc).__name__}: {str(exc)[:200]}")
    await context.close()


async def run_load(url: str, sessions: int, visits: int, start_import: asyncio.Event,
                   timeout_ms: int) -> list[Session]:
    from playwright.async_api import async_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    pages = viewer_pages()
    out = [Session(f"s{i:02d}") for i in range(sessions)]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        plan = [[pages[(i + k) % len(pages)] for k in range(visits)] for i in range(sessions)]
        # a ward's server has been up for days: one untimed visit of every page first, so the figures
        # are not those of Python importing pandas and the first cache fills
        await browse(browser, url, pages, Session("warm-up"), timeout_ms)
        tasks = []
        for i in range(sessions):  # people arrive over a few seconds, not in the same millisecond
            tasks.append(asyncio.create_task(browse(browser, url, plan[i], out[i], timeout_ms)))
            await asyncio.sleep(0.25)
        await asyncio.sleep(5)  # the sessions are busy: now the analyst imports
        start_import.set()
        await asyncio.gather(*tasks)
        await browser.close()
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def measure(db: Path, sessions: int = 20, visits: int = 6, timeout_ms: int = 180_000) -> dict[str, object]:
    """Run the load once on a copy of ``db``; returns times, errors, import result and memory."""
    from pci_metrics.store import batches_db, storage
    from tests.conftest import start_server

    work = Path(tempfile.mkdtemp(prefix="pci-load-"))
    copy = work / "pci.duckdb"
    shutil.copy(db, copy)
    csv = import_file(copy, work)
    sha = hashlib.sha256(csv.read_bytes()).hexdigest()
    server = start_server(copy)
    result: dict[str, object] = {}
    peak = [0.0]
    try:
        start_import = asyncio.Event()

        async def analyst() -> None:
            await start_import.wait()
            t0 = time.perf_counter()
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "pci_metrics", "import", str(csv), "--allow-changes", "--user", "lan",
                "--db", str(copy), cwd=str(ROOT), env={**os.environ, "PCI_LOCK_WAIT_S": "60"},
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            out, err = await proc.communicate()
            result["import_ms"] = (time.perf_counter() - t0) * 1000
            result["import_rc"] = proc.returncode
            result["import_out"] = (out + err).decode()[-500:]

        async def memory() -> None:
            while "done" not in result:
                peak[0] = max(peak[0], rss_mb(server.proc.pid))
                result["server_cpu_s"] = cpu_s(server.proc.pid)
                await asyncio.sleep(1)

        async def main() -> list[Session]:
            mem = asyncio.create_task(memory())
            imp = asyncio.create_task(analyst())
            done = await run_load(server.url, sessions, visits, start_import, timeout_ms)
            await imp
            result["done"] = True
            await mem
            return done

        t0 = time.perf_counter()
        cpu0 = cpu_s(server.proc.pid)
        result["sessions"] = asyncio.run(main())
        result["server_cpu_s"] = float(result.get("server_cpu_s", cpu0)) - cpu0
        result["wall_s"] = time.perf_counter() - t0
        result["server_rss_mb"] = peak[0]
        with storage.connect(copy, read_only=True) as con:
            result["landed"] = batches_db.count_batches_with_sha(con, sha)
    finally:
        server.proc.terminate()
        try:
            server.proc.wait(10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    return result


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank).

    >>> percentile([1, 2, 3, 4], 50), percentile(list(range(1, 101)), 95)
    (2, 95)
    """
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]


def report(result: dict[str, object]) -> tuple[list[tuple[str, float, float]], list[str]]:
    """Bench rows and the problems found (empty when the load passed)."""
    sessions: list[Session] = result["sessions"]  # type: ignore[assignment]
    times = [x for s in sessions for x in s.times_ms]
    problems = [f"{s.name}: {e}" for s in sessions for e in s.errors]
    if result.get("import_rc") != 0:
        problems.append(f"import exited {result.get('import_rc')}: {result.get('import_out')}")
    if result.get("landed") != 1:
        problems.append(f"the import landed {result.get('landed')} times, expected once")
    n = len(sessions)
    changes = [x for s in sessions for x in s.change_ms]
    loads = [x for s in sessions for x in s.times_ms if x not in s.change_ms]

    def p50_p95(values: list[float]) -> tuple[float, float]:
        return (statistics.median(values), percentile(values, 95)) if values else (float("nan"), float("nan"))

    rows = [
        (f"load: page render, {n} sessions, all {len(times)} opens (p50 / p95)", *p50_p95(times)),
        (f"load:   of which {len(changes)} page changes by the sidebar (p50 / p95)", *p50_p95(changes)),
        (f"load:   of which {len(loads)} full page loads (p50 / p95)", *p50_p95(loads)),
        ("load: CLI import during the load (landed once)", float(result.get("import_ms", float("nan"))),
         float(result.get("import_ms", float("nan")))),
    ]
    print(f"load: {len(times)} page opens in {result.get('wall_s', 0):.0f} s, slowest {max(times, default=0):.0f} ms, "
          f"server peak RSS {result.get('server_rss_mb', 0):.0f} MB, server CPU {result.get('server_cpu_s', 0):.1f} s "
          f"(the browsers share the same cores), errors {len(problems)}", flush=True)
    return rows, problems


def rows(db: Path) -> list[tuple[str, float, float]]:
    """`make bench` section: the load figures; raises when any session saw an error."""
    out, problems = report(measure(db, int(os.environ.get("BENCH_LOAD_SESSIONS", "20")),
                                   int(os.environ.get("BENCH_LOAD_VISITS", "6"))))
    if problems:
        raise RuntimeError("load test failed:\n  " + "\n  ".join(problems[:30]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--visits", type=int, default=6)
    parser.add_argument("--db", help="database to copy (default: build one from data/seed)")
    args = parser.parse_args()
    from scripts.bench import bench_database

    db = bench_database(args.db)
    out, problems = report(measure(db, args.sessions, args.visits))
    for name, p50, p95 in out:
        print(f"{name}: {p50:.0f} ms / {p95:.0f} ms")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
