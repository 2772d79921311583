"""Run a reader of untrusted bytes in a separate process with a memory cap and a time limit.

Spreadsheet readers are native code: a 5 KB workbook that declares a cell at XFD1048576 makes
python-calamine ask for 512 GiB and abort the whole process. Whatever a file does to its reader
must therefore happen in a process of its own, never in the dashboard server or the command line:

- the worker gets plain data (the file's bytes, the validation context) and returns plain data;
  it never holds a database handle, so the database is free while a file is being read;
- its resident memory is watched by the caller every few milliseconds and the worker is killed
  above the cap (virtual-size limits alone misfire: the readers' allocators reserve gigabytes of
  address space they never touch); its address space has a wide backstop (``RLIMIT_AS``) so one
  absurd allocation fails at once; its CPU time is capped (``RLIMIT_CPU``), and the caller stops
  waiting (and kills it) after a wall-clock limit;
- a crash, an abort, a ``MemoryError`` or a timeout in the worker becomes :class:`LimitExceeded`,
  which says which limit was hit, in Vietnamese and English.

Workers are forked from a *forkserver* that has already imported the readers (pandas, calamine,
openpyxl), so a read does not pay ~1 s of imports, and the fork happens from a clean single-threaded
process rather than from the multi-threaded Streamlit server.

>>> run(sum, [1, 2, 3])
6
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import spawn
from multiprocessing.context import ForkServerContext
from typing import Any, TypeVar

from pci_metrics.base.i18n import fmt_num, t

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one read may use. Defaults fit the largest legitimate file (a 200,000-row template, peak
    ~0.6 GB) with room, and stop a hostile one long before the machine suffers."""

    memory_mb: int = int(os.environ.get("PCI_WORKER_MEMORY_MB", "1536"))
    cpu_s: int = int(os.environ.get("PCI_WORKER_CPU_S", "60"))
    wall_s: float = float(os.environ.get("PCI_WORKER_WALL_S", "90"))


class LimitExceeded(Exception):
    """The worker could not finish within its limits (``which`` is 'memory', 'time' or 'crash').

    >>> LimitExceeded("memory", Limits(memory_mb=1024)).message("en")
    'The file could not be read within the limits (memory: 1,024 MB); it was not imported'
    """

    def __init__(self, which: str, limits: Limits, detail: str = ""):
        self.which, self.limits, self.detail = which, limits, detail
        super().__init__(self.message("vi") + " / " + self.message("en"))

    def limit_text(self, lang: str = "vi") -> str:
        """The limit that was hit, e.g. 'bộ nhớ: 1.536 MB' / 'memory: 1,536 MB'."""
        if self.which == "memory":
            return t("ingest_limit_memory", lang, mb=fmt_num(self.limits.memory_mb, lang, 0))
        if self.which == "time":
            return t("ingest_limit_time", lang, cpu=self.limits.cpu_s, wall=f"{self.limits.wall_s:g}")
        return t("ingest_limit_crash", lang)

    def message(self, lang: str = "vi") -> str:
        """One line for the user."""
        return t("ingest_limit_refused", lang, limit=self.limit_text(lang))


_lock = threading.Lock()
_context: ForkServerContext | None = None
# At most this many workers of one process read at once (the others wait their turn): uploads from
# many sessions at the same time cannot multiply the memory cap beyond what the machine holds.
MAX_WORKERS = int(os.environ.get("PCI_WORKERS", "2"))
_slots = threading.BoundedSemaphore(MAX_WORKERS)
PRELOAD = ["pci_metrics.imports.sandbox_warmup"]  # the readers, imported and used once in the forkserver
WORKER_NAME = "pci-file-reader"
_preparation_data = spawn.get_preparation_data


def _worker_preparation_data(name: str) -> dict[str, Any]:
    """What multiprocessing tells a new process about its parent, minus the parent's main module for
    our workers. Inside Streamlit ``__main__`` is the page script being run: a worker would run the
    page again (and die in AppTest). The worker needs none of it, nor the parent's working folder."""
    data: dict[str, Any] = _preparation_data(name)
    if name.startswith(WORKER_NAME):
        for key in ("init_main_from_path", "init_main_from_name", "dir"):
            data.pop(key, None)
    return data


spawn.get_preparation_data = _worker_preparation_data


def _forkserver() -> ForkServerContext:
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
        return _context


def _child(conn: multiprocessing.connection.Connection, limits: Limits, delay_s: float, fn: Callable[..., Any],
           args: tuple[Any, ...]) -> None:
    """In the worker: cap memory and CPU, run ``fn(*args)``, send back ("ok", result) or the failure."""
    os.environ["RUST_BACKTRACE"] = "0"  # an allocation refused by the cap: one line in the log, not 40
    space = max(8 * 1024, 4 * limits.memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (space, space))
    # Soft limit: SIGXCPU (default action: terminate); the hard limit a second later is SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not write a core of ~GBs
    if delay_s > 0:
        time.sleep(delay_s)
    try:
        result = fn(*args)
    except MemoryError:
        conn.send(("memory", ""))
        return
    except BaseException:  # noqa: BLE001 - anything else is reported to the caller, which re-raises
        conn.send(("error", traceback.format_exc(limit=-8)))
        return
    try:
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("memory", ""))


class WorkerError(RuntimeError):
    """The function raised in the worker (a bug, not a limit): carries the worker's traceback."""


def run(fn: Callable[..., T], *args: Any, limits: Limits | None = None) -> T:
    """``fn(*args)`` computed in a limited worker process; raises :class:`LimitExceeded` when a limit
    was hit or the worker died, :class:`WorkerError` when ``fn`` raised.

    ``fn`` must be a module-level function (it is pickled by name) and its arguments and result
    plain, picklable data.
    """
    lim = limits or Limits()
    with _slots:
        return _run(fn, args, lim)


def _run(fn: Callable[..., T], args: tuple[Any, ...], lim: Limits) -> T:
    ctx = _forkserver()
    parent, child = ctx.Pipe(duplex=False)
    # Fault injection for tests (read by the caller, so a server started with it passes it on): every
    # read takes this many seconds longer, to show what happens meanwhile.
    delay_s = float(os.environ.get("PCI_WORKER_TEST_DELAY_S", "0") or 0)
    proc = ctx.Process(target=_child, args=(child, lim, delay_s, fn, args), daemon=True, name=WORKER_NAME)
    proc.start()
    child.close()
    try:
        status, value = _wait(proc, parent, lim)
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if status == "memory":
        raise LimitExceeded("memory", lim)
    if status == "error":
        raise WorkerError(value)
    return value



_PAGE = os.sysconf("SC_PAGE_SIZE")
POLL_S = 0.02


def resident_mb(pid: int) -> float:
    """A process's resident memory in MB (0 when it has gone).

    >>> resident_mb(os.getpid()) > 1
    True
    """
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE / 1024 / 1024
    except (OSError, IndexError, ValueError):
        return 0.0


def _wait(proc: Any, conn: multiprocessing.connection.Connection, lim: Limits) -> tuple[str, Any]:
    """The worker's answer, watching its resident memory and the wall clock meanwhile."""
    deadline = time.monotonic() + lim.wall_s
    while not conn.poll(POLL_S):
        if resident_mb(proc.pid) > lim.memory_mb:
            proc.kill()
            raise LimitExceeded("memory", lim, "resident memory above the cap")
        if time.monotonic() > deadline:
            proc.kill()
            raise LimitExceeded("time", lim, "wall clock")
    try:
        return conn.recv()
    except (EOFError, OSError):  # died without a word: killed by a limit or aborted
        proc.join(5)
        code = proc.exitcode
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            raise LimitExceeded("time", lim, f"exit {code}") from None
        if code == -signal.SIGABRT:  # native allocators abort when the address-space backstop refuses
            raise LimitExceeded("memory", lim, f"exit {code}") from None
        raise LimitExceeded("crash", lim, f"exit {code}") from None
