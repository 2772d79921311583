"""The command line as a user runs it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run(*args: str, db=None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pci_metrics", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_show_haiphong_2024(built_db):
    r = run("show", "--entity", "haiphong", "--year", "2024", db=built_db)
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.strip().startswith("composite "))
    assert "74.84" in line and "rank 1/63" in line and "vietnamnews.vn" in line
    assert "chưa có số liệu / no data" in r.stdout  # 2024 sub-indices are unknown


def test_show_csv_2019(built_db):
    r = run("show", "--entity", "haiphong", "--year", "2019", "--format", "csv", db=built_db)
    assert r.returncode == 0
    rows = [x.split(",") for x in r.stdout.splitlines()]
    assert rows[0][:4] == ["code", "name_vi", "weight", "value"]
    recomputed = next(row for row in rows if row[0] == "composite_recomputed")
    assert abs(float(recomputed[3]) - 68.7326) < 0.02


def test_verify_and_info(built_db):
    r = run("verify", db=built_db)
    assert r.returncode == 0 and "verify passed" in r.stdout
    r = run("info", db=built_db)
    assert r.returncode == 0 and "pci2025" in r.stdout and "score=9" in r.stdout


@pytest.mark.parametrize("args, needle", [
    pytest.param(["show", "--entity", "atlantis", "--year", "2019"], "unknown entity", id="unknown-entity"),
    pytest.param(["show", "--entity", "haiphong", "--year", "1999"], "no data", id="no-data"),
    pytest.param(["show", "--entity", "haiphong"], "", id="missing-argument"),
])
def test_user_errors_exit_2(built_db, args, needle):
    r = run(*args, db=built_db)
    assert r.returncode == 2
    assert needle in r.stderr


def test_missing_database_exit_2(tmp_path):
    r = run("info", db=tmp_path / "none.duckdb")
    assert r.returncode == 2 and "make run" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_build_if_needed(tmp_path):
    db = tmp_path / "new.duckdb"
    assert run("build", "--if-needed", db=db).returncode == 0 and db.exists()
    r = run("build", "--if-needed", db=db)
    assert r.returncode == 0 and "up to date" in r.stdout
