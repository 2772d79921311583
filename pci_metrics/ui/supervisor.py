"""Keep the dashboard running: start it, and start it again whenever it stops without being asked to.

``make run`` starts the server through this module: ``python -m pci_metrics.ui.supervisor [streamlit
run options]``. The dashboard runs as a child process (``python -m pci_metrics.ui.serve …``); when
it exits for any reason other than a stop request (a crash, an abort in native code, being killed
by the kernel for memory), the supervisor writes one line to the log saying how it ended and starts
it again: after 1 s, with the delay doubling (up to ``MAX_DELAY_S``) while it keeps failing within
``STABLE_S`` seconds of starting, so a broken installation does not spin; a run longer than that
restarts at once.
Ctrl+C or SIGTERM stop the supervisor and the dashboard together.

On a machine with systemd the same behaviour comes from ``Restart=always``; this module is for
every other way of running it (a terminal, a container, a ward office PC).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from types import FrameType

from pci_metrics.ops import network

MAX_DELAY_S = 30.0
STABLE_S = 60.0  # a run this long resets the back-off


def log(message: str) -> None:
    """One time-stamped line on stderr (the terminal of ``make run``, or the service's log)."""
    print(f"{datetime.now().isoformat(timespec='seconds')} [supervisor] {message}", file=sys.stderr, flush=True)


def how_it_ended(code: int) -> str:
    """The child's exit status in words.

    >>> how_it_ended(-9)
    'killed by signal 9 (SIGKILL)'
    >>> how_it_ended(1)
    'exit code 1'
    """
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "?"
        return f"killed by signal {-code} ({name})"
    return f"exit code {code}"


def next_delay(previous: float, ran_s: float) -> float:
    """Seconds to wait before the next start: none after a long run, else doubling from 1 s.

    >>> [next_delay(0, 5), next_delay(1, 5), next_delay(16, 5), next_delay(30, 5), next_delay(8, 120)]
    [1.0, 2.0, 30.0, 30.0, 0.0]
    """
    if ran_s >= STABLE_S:
        return 0.0
    return float(min(MAX_DELAY_S, max(1.0, previous * 2)))


def supervise(command: Sequence[str], *, sleep: Callable[[float], None] = time.sleep) -> int:
    """Run ``command`` until asked to stop, restarting it after every unrequested exit; returns the
    last exit code (0 after a stop request)."""
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    delay, restarts = 0.0, 0
    while True:
        started = time.monotonic()
        child = subprocess.Popen(list(command))
        log(f"dashboard started (pid {child.pid})" + (f", restart #{restarts}" if restarts else ""))
        try:
            code = child.wait()
        except KeyboardInterrupt:
            stopping = True
            code = child.wait()
        if stopping:
            log(f"dashboard stopped on request ({how_it_ended(code)})")
            return 0
        delay = next_delay(delay, time.monotonic() - started)
        restarts += 1
        log(f"dashboard ended unexpectedly ({how_it_ended(code)}); restarting in {delay:g} s")
        if delay:
            sleep(delay)
        if stopping:
            return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m pci_metrics.ui.supervisor [streamlit run options]``."""
    args = sys.argv[1:] if argv is None else argv
    try:  # a way of serving that is refused (plain HTTP on the network) is not retried forever
        network.listen(args)
    except network.NetworkRefused as exc:
        log(str(exc))
        return 2
    return supervise([sys.executable, "-m", "pci_metrics.ui.serve", *args])


if __name__ == "__main__":
    raise SystemExit(main())
