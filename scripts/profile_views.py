"""Where the server's CPU goes per page view: Streamlit's own work or ours.

Starts the dashboard's server in this process with a sampling profiler (every 5 ms, the stacks of
every busy thread), warms it, then a visitor in a child process (:mod:`pci_metrics.ui.protocol`)
makes ``--journeys`` visits of ``scripts/bench_capacity.py`` one after the other. Each busy sample is
put in one bucket:

* **ours**: a frame of our code (``app.py``, ``pages/``, ``pci_metrics/``) is on the stack and the
  innermost frame is ours or a library we call (pandas, plotly, duckdb …) — split by that library;
* **Streamlit, for our elements**: our frame on the stack, Streamlit's the innermost (marshalling an
  element we asked for: a figure's JSON, a table's Arrow bytes, widget registration, caches);
* **Streamlit runtime**: no frame of ours (sessions, the script runner, messages, the web server).

Only threads that used CPU since the previous look are counted (``/proc/self/task/<tid>/stat``).
A garbage collection holds the interpreter lock, so the sampler cannot look while one runs: its CPU
is measured apart (``gc.callbacks``, the collecting thread's CPU clock) and printed as its own line
(Streamlit's ``runner.postScriptGC`` runs a full one after every script run unless switched off).
The shares of the rest times the server's other CPU seconds give ms per page view; the top innermost
functions of each bucket are printed. ``serve.main``, our launcher under Streamlit's event loop, does
not make a frame "ours". Run: ``.venv/bin/python -m scripts.profile_views [--journeys 10] [--db DB]``.
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OURS = (str(ROOT / "pci_metrics"), str(ROOT / "pages"), str(ROOT / "app.py"))
LAUNCHER = str(ROOT / "pci_metrics" / "ui" / "serve.py")  # runs Streamlit's event loop: not our work
IDLE = {"select", "poll", "wait", "_wait_for_tstate_lock", "acquire", "sleep", "get", "recv", "accept",
        "readinto", "_worker", "control", "epoll", "readline", "read", "_recv_into", "communicate"}
LIBS = ("pandas", "plotly", "duckdb", "pyarrow", "numpy", "streamlit", "tornado", "google/protobuf", "json")


def lib_of(filename: str) -> str:
    """The library a file belongs to ("ours", "pandas", "streamlit", … or "python")."""
    if filename.startswith(OURS) and filename != LAUNCHER:
        return "ours"
    for lib in LIBS:
        if f"/{lib}/" in filename or filename.endswith(f"/{lib}.py"):
            return lib
    return "python"


def bucket(frame: FrameType) -> tuple[str, str] | None:
    """(bucket, innermost function) of one thread's stack; None when the thread waits."""
    top = frame.f_code
    if top.co_name in IDLE and lib_of(top.co_filename) in ("python", "tornado"):
        return None
    libs, ours = [], ""
    f: FrameType | None = frame
    while f is not None:
        libs.append(lib_of(f.f_code.co_filename))
        if not ours and libs[-1] == "ours":  # our innermost function: the one to fix
            ours = f"{Path(f.f_code.co_filename).name}:{f.f_code.co_name}"
        f = f.f_back
    where = f"{Path(top.co_filename).name}:{top.co_name}"
    if not ours:
        return "Streamlit runtime (sessions, runner, messages, web server)", where
    inner = libs[0]
    if inner in ("streamlit", "google/protobuf", "tornado"):
        return "Streamlit, for our elements (marshalling, widgets, caches)", f"{where} (from {ours})"
    return f"ours: {'our code' if inner == 'ours' else inner}", ours


def thread_ticks(native_id: int) -> int:
    """CPU clock ticks (user + system) one thread of this process has used (Linux)."""
    try:
        fields = Path(f"/proc/self/task/{native_id}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def sample(stop: threading.Event, counts: collections.Counter[str], tops: dict[str, collections.Counter[str]],
           interval: float = 0.01) -> None:
    """Every ``interval``: the stack of every thread that used CPU since the last look (a thread
    blocked in C, e.g. in ``time.sleep`` or a socket read, shows a Python frame but uses none)."""
    me = threading.get_ident()
    seen: dict[int, int] = {}
    while not stop.is_set():
        native = {t.ident: t.native_id for t in threading.enumerate() if t.ident and t.native_id}
        for ident, frame in sys._current_frames().items():
            tid = native.get(ident)
            if ident == me or tid is None:
                continue
            ticks = thread_ticks(tid)
            busy, seen[tid] = ticks > seen.get(tid, ticks), ticks
            found = bucket(frame) if busy else None
            if found:
                counts[found[0]] += 1
                tops.setdefault(found[0], collections.Counter())[found[1]] += 1
        time.sleep(interval)


class GcClock:
    """CPU seconds and number of the garbage collections of each generation (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.cpu = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self.started: dict[int, float] = {}

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        now, me = time.thread_time(), threading.get_ident()
        if phase == "start":
            self.started[me] = now
        elif me in self.started:
            self.cpu[info["generation"]] += now - self.started.pop(me)
            self.count[info["generation"]] += 1


def drive(url: str, journeys: int) -> None:
    """The child process: warm every page once, then the visits one after the other."""
    from pci_metrics.ui import warmup
    from scripts import bench_capacity

    warmup.warm(url, ("vi",))
    print("WARM", flush=True)
    sys.stdin.readline()  # the parent starts counting
    res = bench_capacity.run_level(url, os.getppid(), journeys, think=(0.0, 0.0), ramp=journeys * 5.0)
    print(f"RUNS {res.runs} ERRORS {len(res.errors)}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journeys", type=int, default=10)
    parser.add_argument("--db")
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive(args.drive, args.journeys)
        return 0
    work = Path(tempfile.mkdtemp(prefix="pci-profile-"))
    if args.db:
        shutil.copy(args.db, work / "pci.duckdb")
    else:
        from pci_metrics.store.build import build_database

        build_database(work / "pci.duckdb")
    os.environ.update(PCI_DB_PATH=str(work / "pci.duckdb"), PCI_WARMUP="0")
    from tests.conftest import free_port

    port = free_port()
    import streamlit.web.cli  # noqa: F401 - imported here, not by two threads at once

    from pci_metrics.ui import serve, warmup  # noqa: F401
    from scripts import bench_capacity  # noqa: F401

    threading.Thread(target=measure, args=(f"http://127.0.0.1:{port}", args.journeys), daemon=True).start()
    return serve.main(["--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
                       "--browser.gatherUsageStats", "false", "--logger.level", "error"])


def measure(url: str, journeys: int) -> None:
    """Drive the visits from a child process and print where this process's CPU went."""
    from pci_metrics.ui import warmup
    from scripts.bench_capacity import proc_cpu_s

    warmup.wait_until_up(url)
    child = subprocess.Popen([sys.executable, "-m", "scripts.profile_views", "--drive", url, "--journeys",
                              str(journeys)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout and child.stdin
    child.stdout.readline()  # WARM
    counts: collections.Counter[str] = collections.Counter()
    tops: dict[str, collections.Counter[str]] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=sample, args=(stop, counts, tops), daemon=True)
    gc_clock = GcClock()
    gc.callbacks.append(gc_clock)
    cpu0 = proc_cpu_s(os.getpid())
    sampler.start()
    child.stdin.write("go\n")
    child.stdin.flush()
    result = child.stdout.readline().split()
    stop.set()
    cpu = proc_cpu_s(os.getpid()) - cpu0
    gc.callbacks.remove(gc_clock)
    runs = int(result[1])
    total = sum(counts.values()) or 1
    gc_cpu, rest = sum(gc_clock.cpu), max(cpu - sum(gc_clock.cpu), 0.0)
    print(f"\n{runs} page views ({result[3]} errors): server CPU {cpu:.1f} s = {cpu / runs * 1000:.0f} ms per view "
          f"(the sampler's own share included)")
    print(f"  {gc_cpu / cpu:6.1%}  {gc_cpu / runs * 1000:6.0f} ms/view  garbage collection (full: "
          f"{gc_clock.count[2]} taking {gc_clock.cpu[2]:.1f} s; young: {sum(gc_clock.count[:2])})")
    for name, n in counts.most_common():
        print(f"  {n / total * rest / cpu:6.1%}  {rest * n / total / runs * 1000:6.0f} ms/view  {name}")
        for where, k in tops[name].most_common(6):
            print(f"           {k / total * rest / cpu:6.1%}  {where}")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
