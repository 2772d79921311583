"""Crash safety (issue 8): an import process killed with SIGKILL in the middle of its transaction or
of its COMMIT leaves a database that opens, passes `verify`, and holds either exactly the state
before the import or the whole import — never part of it."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pci_metrics.imports import commit, context, read, validate
from pci_metrics.store import reference_db, storage, tables_db
from pci_metrics.views import history
from tests.conftest import ROOT

# The import runs in a child process: the real commit.commit on an import validated beforehand
# (validation is not what is being killed). Two ways to die:
#   pause  - audit_db.write_audit, called inside the transaction after the rows are written, signals
#            the parent and sleeps; the parent sends SIGKILL.
#   commit - the connection's COMMIT starts a timer that SIGKILLs the process after `delay`
#            seconds, while DuckDB is writing the commit (the GIL is released meanwhile).
CHILD = r"""
import os, pickle, signal, sys, threading, time
from pci_metrics.imports import commit
from pci_metrics.store import audit_db, reference_db, storage, tables_db

db, incoming_file, mode, delay, marker = sys.argv[1:6]
with open(incoming_file, "rb") as fh:
    incoming = pickle.load(fh)


def mark(text):
    with open(marker, "a") as fh:
        fh.write(text + "\n")


if mode == "pause":
    real = audit_db.write_audit

    def paused(*args, **kwargs):
        real(*args, **kwargs)
        mark("in-transaction")
        time.sleep(120)

    audit_db.write_audit = paused


class KillDuringCommit:
    def __init__(self, con, delay):
        self._con, self._delay = con, delay

    def __getattr__(self, name):
        return getattr(self._con, name)

    def execute(self, sql, *args, **kwargs):
        if isinstance(sql, str) and sql.strip().upper() == "COMMIT":
            mark("commit-started")
            threading.Timer(self._delay, os.kill, (os.getpid(), signal.SIGKILL)).start()
        return self._con.execute(sql, *args, **kwargs)


with storage.connect(db) as con:
    target = KillDuringCommit(con, float(delay)) if mode == "commit" else con
    commit.commit(target, incoming, user="lan", allow_changes=True)
    mark("committed")
    time.sleep(120)  # the timer kills us
"""

# tables whose rows carry a timestamp of the moment of the import: compared by row count
STAMPED = {"import_batch", "audit_log"}


def state(db: Path) -> dict[str, str]:
    with storage.connect(db, read_only=True) as con:
        sums = tables_db.checksums_of(con, tables_db.base_tables(con))
        for t in STAMPED:
            sums[t] = f"rows={tables_db.row_count(con, t)}"
    return sums


@pytest.fixture(scope="module")
def scenario(built_db, tmp_path_factory):
    """A validated import of 2023 sub-indices for every province, its state before and after."""
    root = tmp_path_factory.mktemp("crash")
    before_db = root / "before.duckdb"
    shutil.copy(built_db, before_db)
    with storage.connect(before_db, read_only=True) as con:
        provinces = reference_db.load_entities(con, "province")["entity_key"].tolist()
        codes = reference_db.load_subindices(con, "pci2022")["code"].tolist()
        lines = ["year,entity_key,code,value,source"]
        lines += [f"2023,{k},{c},{5 + ((i * 7 + j * 3) % 40) / 10},kiểm thử sập nguồn"
                  for i, k in enumerate(provinces) for j, c in enumerate(codes)]
        incoming = validate.validate(read.read_file("\n".join(lines).encode(), "diem-2023.csv"),
                                   context.load_context(con), user="lan")
    assert incoming.ok, incoming.problems[:3]
    pickled = root / "incoming.pkl"
    pickled.write_bytes(pickle.dumps(incoming))
    after_db = root / "after.duckdb"
    shutil.copy(before_db, after_db)
    with storage.connect(after_db) as con:
        outcome = commit.commit(con, incoming, user="lan", allow_changes=True)
    assert outcome.status == "committed" and outcome.added + outcome.changed >= 600
    return dict(before_db=before_db, pickled=pickled, before=state(before_db), after=state(after_db),
                root=root)


def start(scenario, tmp_path: Path, mode: str, delay: float = 0.0) -> tuple[subprocess.Popen[bytes], Path, Path]:
    db = tmp_path / "pci.duckdb"
    shutil.copy(scenario["before_db"], db)
    marker = tmp_path / "marker.txt"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(scenario["pickled"]), mode, str(delay),
                             str(marker)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc, db, marker


def wait_for(marker: Path, text: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists() and text in marker.read_text():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the import ended before '{text}': {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.02)
    proc.kill()
    raise AssertionError(f"no '{text}' within {timeout} s")


def opens_and_verifies(db: Path) -> None:
    with storage.connect(db) as con:
        report = history.verify(con)
    assert report.ok, report.failures


def test_kill_inside_the_transaction_leaves_the_state_before(scenario, tmp_path):
    proc, db, marker = start(scenario, tmp_path, "pause")
    wait_for(marker, "in-transaction", proc)  # rows of at least one table are written, not committed
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL
    opens_and_verifies(db)
    assert state(db) == scenario["before"]
    # nothing stays locked or half-done: the same import now lands, once
    with storage.connect(db) as con:
        incoming = pickle.loads(scenario["pickled"].read_bytes())
        assert commit.commit(con, incoming, user="lan", allow_changes=True).status == "committed"
    assert state(db) == scenario["after"]


@pytest.mark.parametrize("delay", [0.0, 0.0005, 0.002, 0.01, 0.05])
def test_kill_during_commit_leaves_all_or_nothing(scenario, tmp_path, delay):
    proc, db, marker = start(scenario, tmp_path, "commit", delay)
    assert proc.wait(120) == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]
    assert "commit-started" in marker.read_text()
    opens_and_verifies(db)
    now = state(db)
    assert now in (scenario["before"], scenario["after"]), sorted(
        k for k in now if now[k] != scenario["before"][k] and now[k] != scenario["after"][k])
    if "committed" in marker.read_text():  # COMMIT returned before the kill: it must have landed
        assert now == scenario["after"]
