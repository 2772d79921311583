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
    assert r.returncode == 0 and "pci2025" in r.stdout and "score=10198" in r.stdout


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


def _back_to_v3(db) -> None:
    """The database as the previous release left it: schema v3, no English lineage author (v4), no
    sign-in failures nor session epoch (v5), no browser sign-ins (v6), no task origin nor retirement
    (v7), no unit members, report life or evidence files (v8)."""
    from pci_metrics.store import storage

    with storage.connect(db) as con:
        con.execute("ALTER TABLE lineage DROP COLUMN author_en")
        con.execute("DROP TABLE login_failure")
        con.execute("ALTER TABLE app_user DROP COLUMN auth_epoch")
        con.execute("DROP TABLE app_session")
        for table, column in (("task", "origin"), ("task", "retired_on"), ("unit", "retired_on"),
                              *(("task_report", c) for c in ("state", "submitted_by", "submitted_at", "reviewed_by",
                                                             "reviewed_at", "review_comment", "on_behalf"))):
            con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        con.execute("DROP TABLE unit_member")
        con.execute("DROP TABLE report_file")
        con.execute("DELETE FROM schema_version WHERE version > 3")


def test_build_if_needed_upgrades_the_schema_of_a_kept_database(tmp_path):
    import os

    from pci_metrics.store import batches_db, reference_db, schema, storage

    db = tmp_path / "ward.duckdb"
    assert run("build", db=db).returncode == 0
    upload = tmp_path / "diem.csv"
    upload.write_text("year,entity_key,code,value,source\n2023,haiphong,land,6.61,Báo cáo thử\n", encoding="utf-8")
    assert run("import", str(upload), db=db).returncode == 0
    for older_than_seed, kept in ((True, "holds imports: kept"), (False, "up to date")):
        _back_to_v3(db)
        if older_than_seed:
            os.utime(db, (0, 0))
        r = run("build", "--if-needed", db=db)
        assert r.returncode == 0 and kept in r.stdout and f"schema upgraded: v3 → v{schema.SCHEMA_VERSION}" in r.stdout, r.stdout
        with storage.connect(db, read_only=True) as con:
            assert schema.schema_version(con) == schema.SCHEMA_VERSION
            assert len(batches_db.load_batches(con)) == 1  # the import is still there
            assert reference_db.load_lineage(con)["author_en"].str.startswith("Dashboard development team").all()
