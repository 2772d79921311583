"""Backup and restore (issue 8): a round trip gives an identical database, a damaged backup or a
busy database changes nothing, and the command line says what happened."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from pci_metrics import auth, backup, history, storage
from tests.conftest import ROOT
from tests.test_cli import run


def every_table(db) -> dict[str, str]:
    with storage.connect(db, read_only=True) as con:
        return storage.checksums_of(con, storage.base_tables(con))


@pytest.fixture
def lived_in_db(fresh_db):
    """The default database after some use: users, a setting, notes with awkward text, audit lines."""
    with storage.connect(fresh_db) as con:
        auth.add_user(con, "lan", "analyst", "mat-khau-cua-lan", by="admin", display_name="Nguyễn Thị Lan",
                      rounds=4)
        auth.set_login_required(con, True, by="admin")
        with storage.transaction(con):
            storage.append_rows(con, "year_note", pd.DataFrame({
                "entity_key": ["haiphong", "haiphong"], "year": [2021, 2022], "code": ["composite", "land"],
                "text": ["=HYPERLINK(\"http://x\",\"bấm\")", "Dòng 1\nDòng 2 — 'trích dẫn' \"kép\" <b>đậm</b>"],
                "author": ["lan", "lan"], "created_at": [None, None], "batch_id": [None, None]}))
            storage.write_audit(con, "lan", "note", "year_note", '{"year": 2021}', None, '{"text": "…"}', None)
    return fresh_db


def test_round_trip_gives_an_identical_database(lived_in_db, tmp_path):
    before = every_table(lived_in_db)
    manifest = backup.backup(lived_in_db, tmp_path / "bak")
    assert set(manifest.tables) == set(before) and "schema_version" in manifest.tables
    assert manifest.checksums() == before
    assert manifest.schema_version == storage.SCHEMA_VERSION
    result = backup.restore(tmp_path / "bak", tmp_path / "restored.duckdb")
    assert result.previous is None
    assert every_table(tmp_path / "restored.duckdb") == before
    with storage.connect(tmp_path / "restored.duckdb", read_only=True) as con:
        assert history.verify(con).ok
        assert storage.table_counts(con)["score"] == 9970
        assert auth.authenticate(con, "lan", "mat-khau-cua-lan") is not None  # hashes survive
        notes = storage.load_notes(con, "haiphong", "land")
        assert notes["text"].iloc[0] == "Dòng 1\nDòng 2 — 'trích dẫn' \"kép\" <b>đậm</b>"


def test_restore_over_a_database_keeps_the_previous_file(lived_in_db, tmp_path):
    backup.backup(lived_in_db, tmp_path / "bak")
    before = every_table(lived_in_db)
    with storage.connect(lived_in_db) as con:  # a mistake made after the backup
        with storage.transaction(con):
            storage.write_audit(con, "lan", "oops", "score", None, None, None, None)
    changed = every_table(lived_in_db)
    result = backup.restore(tmp_path / "bak", lived_in_db)
    assert every_table(lived_in_db) == before
    assert result.previous is not None and every_table(result.previous) == changed
    assert not list(tmp_path.glob("*.restoring*"))


def test_a_damaged_backup_is_refused_and_nothing_changes(lived_in_db, tmp_path):
    manifest = backup.backup(lived_in_db, tmp_path / "bak")
    target = tmp_path / "target.duckdb"
    backup.restore(tmp_path / "bak", target)
    before = every_table(target)
    score_file = tmp_path / "bak" / manifest.tables["score"]["file"]
    data = bytearray(score_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    score_file.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.restore(tmp_path / "bak", target)
    assert every_table(target) == before


@pytest.mark.parametrize("change, message", [
    pytest.param(lambda m: m.update(schema_version=99), "newer than this software", id="newer-schema"),
    pytest.param(lambda m: m.update(format="other"), "not a backup", id="not-ours"),
    pytest.param(lambda m: m["tables"]["score"].update(file="../../etc/passwd"), "damaged", id="path-in-manifest"),
])
def test_a_manifest_we_cannot_trust_is_refused(lived_in_db, tmp_path, change, message):
    backup.backup(lived_in_db, tmp_path / "bak")
    path = tmp_path / "bak" / "manifest.json"
    raw = json.loads(path.read_text())
    change(raw)
    path.write_text(json.dumps(raw))
    with pytest.raises(backup.BackupError, match=message):
        backup.restore(tmp_path / "bak", tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()


def test_backup_refuses_a_folder_that_is_not_empty(lived_in_db, tmp_path):
    (tmp_path / "bak").mkdir()
    (tmp_path / "bak" / "notes.txt").write_text("giữ lại")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.backup(lived_in_db, tmp_path / "bak")
    assert [p.name for p in (tmp_path / "bak").iterdir()] == ["notes.txt"]


def test_an_older_backup_is_restored_and_brought_up_to_date(tmp_path):
    old = tmp_path / "v2.duckdb"
    with storage.connect(old, create=True) as con:
        storage.migrate(con, 2)
        with storage.transaction(con):
            storage.write_audit(con, "lan", "note", "year_note", None, None, None, None)
    backup.backup(old, tmp_path / "bak")
    backup.restore(tmp_path / "bak", tmp_path / "new.duckdb")
    with storage.connect(tmp_path / "new.duckdb", read_only=True) as con:
        assert storage.schema_version(con) == storage.SCHEMA_VERSION
        assert storage.load_audit(con)["user_name"].tolist() == ["lan"]
        assert storage.load_users(con).empty  # the v3 table exists, empty


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN TRANSACTION")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_restore_waits_for_a_process_that_holds_the_database_then_refuses(lived_in_db, tmp_path, monkeypatch):
    backup.backup(lived_in_db, tmp_path / "bak")
    with storage.connect(lived_in_db) as con:
        with storage.transaction(con):
            storage.write_audit(con, "lan", "after-backup", None, None, None, None, None)
    before = every_table(lived_in_db)
    monkeypatch.setattr(storage, "LOCK_WAIT_S", 0.5)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lived_in_db), "20"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(storage.DatabaseBusy):
            backup.restore(tmp_path / "bak", lived_in_db)
    finally:
        holder.kill()
        holder.wait()
    assert every_table(lived_in_db) == before  # untouched
    assert not (tmp_path / "pci.duckdb.before-restore").exists()


def test_command_line_backup_and_restore(lived_in_db, tmp_path):
    r = run("backup", "--out", str(tmp_path / "bak"), db=lived_in_db)
    assert r.returncode == 0, r.stderr
    assert "Đã sao lưu 26 bảng" in r.stdout and "Backed up 26 tables" in r.stdout
    r = run("backup", "--out", str(tmp_path / "bak"), db=lived_in_db)
    assert r.returncode == 2 and "đã có dữ liệu" in r.stderr and "not empty" in r.stderr
    r = run("restore", str(tmp_path / "bak"), db=tmp_path / "copy.duckdb")
    assert r.returncode == 0, r.stderr
    assert "mọi bảng khớp mã kiểm tra" in r.stdout
    assert every_table(tmp_path / "copy.duckdb") == every_table(lived_in_db)
    r = run("restore", str(tmp_path / "nothing-here"), db=tmp_path / "copy.duckdb")
    assert r.returncode == 2 and "is not a backup" in r.stderr
    r = subprocess.run([sys.executable, "-m", "pci_metrics", "verify", "--db", str(tmp_path / "copy.duckdb")],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout
