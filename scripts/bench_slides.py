"""Slides for `make bench`: a slide change in a real browser, the deck build, the exports.

* **slide change (browser)**: Debian's Chromium through Playwright against a real server; press →
  (or PageDown) and wait until the new slide's title *and* its chart are drawn; every slide of the
  deck, several rounds; median and max. Goal: ≤ 500 ms.
* **deck build**: :func:`pci_metrics.outputs.slides.deck` from an open connection (done once per data
  change and language: the page shares the result between sessions).
* **export HTML**: :func:`pci_metrics.outputs.handout.deck_html` (the PDF handout, next to its floor,
  is measured by ``scripts/bench_documents.py``).

Run alone: ``.venv/bin/python -m scripts.bench_slides [DB]``.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ROUNDS = int(os.environ.get("BENCH_SLIDE_ROUNDS", "2"))
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _stats(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), max(times)


def _timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return _stats(times)


def _server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "pci_metrics.ui.serve", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "PCI_DB_PATH": str(db)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def slide_change_ms(db: Path) -> list[float]:
    """Milliseconds from a key press to the next slide's title and chart on screen, for every slide."""
    from playwright.sync_api import sync_playwright

    from pci_metrics.outputs import slides
    from pci_metrics.store import storage

    with storage.connect(db, read_only=True) as con:
        deck = slides.deck(con, "vi", None, date.today())
    proc, url = _server(db)
    times: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1024, "height": 768})
            page.goto(url + "/present", wait_until="domcontentloaded")
            page.wait_for_function("t => document.querySelector('h1')?.textContent.trim() === t",
                                   arg=deck.slides[0].title, timeout=180000)
            for rnd in range(ROUNDS + 1):  # round 0 warms the server's cache and the browser's plotly
                page.keyboard.press("Home")
                page.wait_for_function("t => document.querySelector('h1')?.textContent.trim() === t",
                                       arg=deck.slides[0].title, timeout=60000)
                page.wait_for_selector(READY)
                for n in range(1, len(deck.slides)):
                    s = deck.slides[n]
                    chart = f".st-key-chart_{s.slide_id}_vi .js-plotly-plot .main-svg" if s.chart is not None else ""
                    t0 = time.perf_counter()
                    page.keyboard.press("ArrowRight" if n % 2 else "PageDown")
                    page.wait_for_function(
                        "([t, c]) => document.querySelector('h1')?.textContent.trim() === t"
                        " && (!c || document.querySelector(c) !== null)",
                        arg=[s.title, chart], polling="raf", timeout=60000)
                    if rnd:
                        times.append((time.perf_counter() - t0) * 1000)
                    page.wait_for_selector(READY)
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return times


def rows(db: Path) -> list[tuple[str, float, float]]:
    """(measure, median ms, max ms) for `make bench`."""
    from pci_metrics.outputs import handout, slides
    from pci_metrics.store import storage

    out: list[tuple[str, float, float]] = []
    with storage.connect(db, read_only=True) as con:
        out.append(("slides: deck build (10 slides, vi)", *_timed(lambda: slides.deck(con, "vi", None, date.today()), 3)))
        deck = slides.deck(con, "vi", None, date.today())
    out.append(("slides: export HTML (self-contained)", *_timed(lambda: handout.deck_html(deck), 3)))
    if Path(CHROMIUM).exists():
        tmp = Path(tempfile.mkdtemp(prefix="pci-bench-slides-"))
        copy = tmp / "pci.duckdb"
        shutil.copy(db, copy)  # the server may write (first sign-in setup); keep the caller's file as it is
        times = slide_change_ms(copy)
        out.append((f"slides: slide change in Chromium, → to title+chart ({len(times)} changes)", *_stats(times)))
    return out


def main() -> int:
    from scripts.bench import run_alone

    return run_alone(rows)


if __name__ == "__main__":
    raise SystemExit(main())
