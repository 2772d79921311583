"""The import commands as an analyst runs them: import (dry run, year, confirmation), undo, batches,
export, template."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pci_metrics.store import build, storage, tables_db
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "vcci"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pci_metrics", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=180)


def checksums(db: Path) -> dict[str, str]:
    with storage.connect(db, read_only=True) as con:
        return tables_db.table_checksums(con)


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "empty.duckdb"
    build.build_database(path, empty=True)
    return path


def test_import_dry_run_then_import_then_undo(empty_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    shutil.copy(empty_db, db)
    before = checksums(db)
    dry = run("import", FIXTURES / "pci_2010.xls", "--db", db, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "pci_2010.xls (vcci 2010)" in dry.stdout and "640 added" in dry.stdout
    assert "dry run: nothing was written" in dry.stdout and checksums(db) == before
    real = run("import", FIXTURES / "pci_2010.xls", "--db", db, "--user", "lan")
    assert real.returncode == 0 and "Imported as batch #1: 640 added" in real.stdout
    listed = run("batches", "--db", db)
    assert "#1" in listed.stdout and "lan" in listed.stdout and "pci_2010.xls" in listed.stdout
    again = run("import", FIXTURES / "pci_2010.xls", "--db", db)
    assert again.returncode == 0 and "already imported (batch #1" in again.stdout
    assert run("verify", "--db", db).returncode == 0
    undone = run("undo", "--batch", "1", "--db", db)
    assert undone.returncode == 0 and "Batch #1 undone" in undone.stdout
    after = checksums(db)
    assert {k for k in before if before[k] != after[k]} == {"import_batch", "batch_change", "audit_log"}


def test_export_and_template(built_db: Path, tmp_path: Path) -> None:
    csv, xlsx, tpl = tmp_path / "scores.csv", tmp_path / "scores.xlsx", tmp_path / "mau.xlsx"
    assert run("export", "--out", csv, "--db", built_db).returncode == 0
    assert run("export", "--out", xlsx, "--db", built_db).returncode == 0
    frame = pd.read_csv(csv)
    assert list(frame.columns[:6]) == ["year", "entity_key", "entity_vi", "entity_en", "framework_id", "code"]
    hp = frame.query("entity_key == 'haiphong' and year == 2024 and code == 'composite'").iloc[0]
    assert hp["value"] == 74.84 and hp["rank"] == 1 and hp["provenance"] == "published"
    assert len(pd.read_excel(xlsx)) == len(frame)
    r = run("template", "--out", tpl, "--db", built_db)
    assert r.returncode == 0 and "Báo cáo nhiệm vụ" in openpyxl.load_workbook(tpl).sheetnames
    bad = run("export", "--out", tmp_path / "scores.txt", "--db", built_db)
    assert bad.returncode == 2 and ".csv or .xlsx" in bad.stderr


def test_user_errors_are_one_clear_message_each(built_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    shutil.copy(built_db, db)
    before = checksums(db)
    png = tmp_path / "chart.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    r = run("import", png, "--db", db)
    assert r.returncode == 2 and "a PNG image" in r.stderr and "ảnh PNG" in r.stderr
    change = tmp_path / "sua.csv"
    change.write_text("year,entity_key,code,value\n2019,haiphong,composite,68.5\n", encoding="utf-8")
    r = run("import", change, "--db", db)
    assert r.returncode == 2 and "--allow-changes" in r.stderr and "68.7326 → 68.5" in r.stderr
    assert checksums(db) == before
    r = run("import", change, "--db", db, "--allow-changes")
    assert r.returncode == 0 and "68.7326 → 68.5  [công bố / published]" in r.stdout
    r = run("import", tmp_path / "missing.xlsx", "--db", db)
    assert r.returncode == 2 and "file not found" in r.stderr
    r = run("undo", "--batch", "99", "--db", db)
    assert r.returncode == 2 and "#99" in r.stderr
