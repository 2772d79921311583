"""A warm start: the server fills its shared caches itself when it starts and again after a data
change (:mod:`pci_metrics.ui.warmup`), so the first visitor waits no longer than the next one.

What a browser cannot tell apart is read from the server: its own warm-up log lines and Streamlit's
cache metrics (``/_stcore/metrics``), on real servers over copies of the database. The time it
saves is measured, not asserted: ``make bench`` (scripts/bench_startup.py) prints first vs next.
"""

from __future__ import annotations

import re
import shutil
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from pci_metrics.imports import forms
from pci_metrics.store import storage
from pci_metrics.trust import roles
from pci_metrics.ui import warmup
from pci_metrics.ui.navigation import page_ids
from tests.conftest import Server, start_server

WARMED = re.compile(r"\[warm-up\] (\d+) page visits warmed in [\d.]+ s \(data stamp (.+)\)")
# the shared caches the pages read through (pci_metrics.ui.common)
PAGE_CACHES = ("pci_metrics.ui.common.cached", "pci_metrics.ui.common._view")


def cache_bytes(server: Server) -> dict[str, int]:
    """Bytes held by each of the page caches, from Streamlit's metrics endpoint."""
    with urllib.request.urlopen(server.url + "/_stcore/metrics", timeout=10) as r:
        text = r.read().decode()
    found = dict.fromkeys(PAGE_CACHES, 0)
    for line in text.splitlines():
        for name in PAGE_CACHES:
            if line.startswith("cache_memory_bytes{") and f'cache="{name}"' in line:
                found[name] += int(float(line.rsplit(" ", 1)[1]))
    return found


def warm_lines(server: Server, done: Callable[[list[tuple[int, str]]], bool],
               timeout: float = 300.0) -> list[tuple[int, str]]:
    """The warm-up's "done" lines in the server's log (visits, data stamp), once ``done(lines)``."""
    log = server.db.parent / f"server-{server.url.rsplit(':', 1)[1]}.log"
    deadline = time.monotonic() + timeout
    while True:
        lines = [(int(n), s) for n, s in WARMED.findall(log.read_text(errors="replace"))]
        if done(lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.5)


@pytest.fixture
def copy_db(built_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "pci.duckdb"
    shutil.copy(built_db, db)
    return db


def test_the_server_warms_every_page_at_start_and_after_a_data_change(copy_db: Path) -> None:
    server = start_server(copy_db, {"PCI_WARMUP": "1"})
    try:
        lines = warm_lines(server, bool)
        assert lines, "no warm-up line in the server's log"
        # every page a signed-out visitor may open, in both languages, ran to the end
        viewer = [p for p in page_ids() if roles.page_needs(p) == "viewer"]
        visits = lines[0][0]
        assert visits >= len(viewer) * len(warmup.LANGS), (visits, viewer)
        assert all(b > 0 for b in cache_bytes(server).values()), cache_bytes(server)
        # the visits wrote nothing (the first administrator is made before the server answers), so
        # the round is not sent again for a change of its own making
        assert storage.data_stamp(copy_db) == lines[0][1]
        # an analyst enters a score: the data stamp changes, the server warms again on the new data
        forms.save_form(str(copy_db), "scores", {"entity": "Hải Phòng", "year": 2025, "code": "market_entry",
                                                 "value": 6.5, "source": "kiểm thử"}, user="kiem-thu")
        changed = storage.data_stamp(copy_db)
        lines = warm_lines(server, lambda found: any(s == changed for _, s in found))
        assert (visits, changed) in lines, lines
    finally:
        server.stop()


def test_without_the_warm_up_the_caches_stay_empty_until_a_visitor_comes(copy_db: Path) -> None:
    server = start_server(copy_db, {"PCI_WARMUP": "0"})
    try:
        time.sleep(3)
        assert cache_bytes(server) == dict.fromkeys(PAGE_CACHES, 0)
        assert not warm_lines(server, bool, timeout=0)
    finally:
        server.stop()


def test_a_visit_runs_a_page_to_its_end(copy_db: Path) -> None:
    server = start_server(copy_db, {"PCI_WARMUP": "0"})
    try:
        listed = warmup.visit(server.url, "compare", "lang=en")
        assert listed is not None and "market_entry" in listed
        assert cache_bytes(server)["pci_metrics.ui.common.cached"] > 0
    finally:
        server.stop()
