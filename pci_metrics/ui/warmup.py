"""Warm the dashboard before its first visitor: when the server starts, and again after each data
change, a visitor inside the server process opens every page in both languages, so the first real
visitor waits no longer than the next one.

Cold, the first visit after a start took 7.5–10 s to the first chart (importing the page modules,
building the page models and the figures) and the first after each import 3–4 s, against about
1.5 s warm. The caches it fills are the ones every session shares (``st.cache_data`` and
``st.cache_resource`` in :mod:`pci_metrics.ui.common`, keyed by the data stamp).

The visitor speaks Streamlit's own websocket protocol, as the browser does
(:mod:`pci_metrics.ui.protocol`): it opens a page by its URL path and query string and reads until
that run's script has finished. It is signed out, so it sees what any visitor
sees; every page only reads for a signed-out visitor, so the warm-up writes nothing.

``PCI_WARMUP=0`` turns it off (the test servers, where it would share the CPU with the test).
"""

from __future__ import annotations

import os
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from datetime import datetime

from pci_metrics.store import storage
from pci_metrics.ui import protocol

POLL_S = 2.0  # how often the data stamp is checked for a change
PAGE_TIMEOUT_S = 180.0
LANGS = ("vi", "en")


def log(message: str) -> None:
    """One time-stamped line on stderr, next to the server's own."""
    print(f"{datetime.now().isoformat(timespec='seconds')} [warm-up] {message}", file=sys.stderr, flush=True)


def enabled() -> bool:
    """On unless ``PCI_WARMUP`` is 0/false/no/off."""
    return os.environ.get("PCI_WARMUP", "1").strip().lower() not in ("0", "false", "no", "off")


def visit(url: str, page: str, query: str, timeout: float = PAGE_TIMEOUT_S) -> list[str] | None:
    """Open one page in a new session and read until its script has run: the URL paths of the pages
    its navigation lists (what a signed-out visitor can open), or None when it did not finish."""
    with protocol.Session(url, timeout) as session:
        run = session.open(page, query)
    return [p.url_path for p in session.pages if not p.hidden] if run.finished else None


def warm(url: str, langs: Sequence[str] = LANGS) -> tuple[int, float]:
    """Visit the default page, then every page its navigation lists, in every language, one after
    the other; (page visits that finished, seconds)."""
    t0, done = time.monotonic(), 0
    for lang in langs:
        try:
            listed = visit(url, "", f"lang={lang}")
        except Exception as exc:  # noqa: BLE001 - a failed warm-up visit only costs the next visitor time
            log(f"default page ({lang}) not warmed: {type(exc).__name__}: {exc}")
            continue
        if listed is None:
            continue
        done += 1
        for page in listed:
            if not page:
                continue
            try:
                done += visit(url, page, f"lang={lang}") is not None
            except Exception as exc:  # noqa: BLE001 - as above
                log(f"{page} ({lang}) not warmed: {type(exc).__name__}: {exc}")
    return done, time.monotonic() - t0


def wait_until_up(url: str, timeout: float = 120.0) -> bool:
    """Wait for the server's health check to answer (True) or ``timeout`` seconds (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            tls = protocol.LOOPBACK_TLS if url.startswith("https://") else None
            with urllib.request.urlopen(url.rstrip("/") + "/_stcore/health", timeout=2, context=tls) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def keep_warm(url: str, *, stop: threading.Event | None = None, poll: float = POLL_S) -> None:
    """Warm the server once it answers, then again each time the data stamp changes (until ``stop``)."""
    stop = stop or threading.Event()
    if not wait_until_up(url):
        log("the server did not answer; no warm-up")
        return
    seen = None
    while not stop.is_set():
        now = storage.data_stamp()
        if now != seen:
            seen = now
            done, seconds = warm(url)
            log(f"{done} page visits warmed in {seconds:.1f} s (data stamp {now})")
        stop.wait(poll)


def start(port: int, address: str = "127.0.0.1", *, tls: bool = False) -> threading.Thread | None:
    """Start :func:`keep_warm` in a daemon thread of the server process (None when turned off)."""
    if not enabled():
        return None
    host = "127.0.0.1" if address in ("", "0.0.0.0", "::") else address
    scheme = "https" if tls else "http"
    thread = threading.Thread(target=keep_warm, args=(f"{scheme}://{host}:{port}",),
                              name="pci-warm-up", daemon=True)
    thread.start()
    return thread
