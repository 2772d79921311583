"""Cold start: how long the first visitor after a server start waits for the Overview's first chart,
against the next visitor (a warm server), in real Chromium — with the server's warm-up
(:mod:`pci_metrics.ui.warmup`) and without it (``PCI_WARMUP=0``, the floor of a cold server).

Each visitor is a fresh browser context (no cache, no cookie), as a new person on the office network.
The ratio first / next is the figure to watch (goal ≤ 1.2×). The next visitor's first chart is also
printed against its floor measured in the same run: a fresh tab reaching the chart of the one-chart
one-table page ``scripts/floor_page.py`` served by a bare ``streamlit run``.

Run alone: ``.venv/bin/python -m scripts.bench_startup``; ``make bench`` runs it through ``rows(db)``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHART = ".js-plotly-plot .main-svg"
NEXT_VISITS = 3


def first_chart_ms(browser: object, url: str) -> float:
    """A new visitor opens the Overview; ms until its first chart is drawn."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})  # type: ignore[attr-defined]
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url + "/?lang=vi")
    page.wait_for_selector(CHART, timeout=180_000)
    ms = (time.perf_counter() - t0) * 1000
    context.close()
    return ms


def warmed(log: Path, timeout: float = 600.0) -> bool:
    """Wait for the server's warm-up to say it is done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and "page visits warmed" in log.read_text(errors="replace"):
            return True
        time.sleep(0.5)
    return False


def measure(db: Path, warm_up: bool) -> tuple[float, list[float]]:
    """(first visitor ms, next visitors ms) on a fresh server over a copy of ``db``."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, start_server

    work = Path(tempfile.mkdtemp(prefix="pci-start-"))
    copy = work / "pci.duckdb"
    shutil.copy(db, copy)
    server = start_server(copy, {"PCI_WARMUP": "1" if warm_up else "0"})
    try:
        if warm_up:
            log = next(work.glob("server-*.log"))
            assert warmed(log), "the warm-up did not finish"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            first = first_chart_ms(browser, server.url)
            nexts = [first_chart_ms(browser, server.url) for _ in range(NEXT_VISITS)]
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return first, nexts


def floor_ms(db: Path) -> list[float]:
    """Fresh tabs' first chart on the floor page (``scripts/floor_page.py``), after one untimed visit."""
    import subprocess
    import urllib.request

    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "scripts" / "floor_page.py"), "--server.address",
         "127.0.0.1", "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "PCI_DB_PATH": str(db)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            first_chart_ms(browser, url)
            out = [first_chart_ms(browser, url) for _ in range(NEXT_VISITS)]
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    return out


def rows(db: Path) -> list[tuple[str, float, float]]:
    floor = floor_ms(db)
    out = []
    for warm_up, name in ((False, "no warm-up (floor: a cold server)"), (True, "with the warm-up")):
        first, nexts = measure(db, warm_up)
        nxt = statistics.median(nexts)
        out += [(f"first visitor after start, {name}: Overview first chart", first, first),
                (f"  next visitor, same server (median of {NEXT_VISITS})", nxt, max(nexts)),
                (f"  ratio first / next = {first / nxt:.2f}× (goal ≤ 1.2×)", first / nxt, first / nxt),
                (f"  ratio next / floor = {nxt / statistics.median(floor):.2f}×", nxt / statistics.median(floor),
                 nxt / statistics.median(floor))]
    out.append((f"  floor: a fresh tab's first chart on the one-chart one-table page (median of {len(floor)})",
                statistics.median(floor), max(floor)))
    return out


def main() -> int:
    from scripts.bench import run_alone

    return run_alone(rows)


if __name__ == "__main__":
    os.environ.setdefault("PCI_WARMUP", "0")
    raise SystemExit(main())
