"""Backup and restore: a round trip gives the same data, a restore cannot be forged (the manifest is
signed with the installation's key), every restored row passes the import's rules and ``verify``,
a restore leaves an audit line and never overwrites an earlier file, and the command line says
what happened in one line."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pci_metrics.ops import backup
from pci_metrics.store import audit_db, schema, scores_db, storage, tables_db, users_db
from pci_metrics.trust import auth
from pci_metrics.views import history
from tests.conftest import ROOT
from tests.test_cli import run

KEPT = re.compile(r"^pci\.duckdb\.before-restore-\d{8}T\d{6}Z(-\d+)?$")


@pytest.fixture(autouse=True)
def key_beside_the_database(monkeypatch):
    """Each test's key lives beside its own database (an operator's PCI_BACKUP_KEY must not leak in)."""
    monkeypatch.delenv("PCI_BACKUP_KEY", raising=False)


def checksums(db) -> dict[str, str]:
    with storage.connect(db, read_only=True) as con:
        return tables_db.checksums_of(con, tables_db.base_tables(con))


def every_table(db) -> dict[str, str]:
    """Every table's checksum; the audit log without the lines restores add (they are checked apart)."""
    with storage.connect(db, read_only=True) as con:
        out = tables_db.checksums_of(con, [t for t in tables_db.base_tables(con) if t != "audit_log"])
        log = audit_db.load_audit(con)
    out["audit_log"] = log[log["action"] != "restore"].reset_index(drop=True).to_json()
    return out


def restore_lines(db) -> list[dict]:
    """The restore lines of a database's audit log, newest first, with their JSON read."""
    with storage.connect(db, read_only=True) as con:
        log = audit_db.load_audit(con)
    log = log[log["action"] == "restore"]
    return [{"user_name": r.user_name, **json.loads(r.new_json)} for r in log.itertuples()]


def kept_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.before-restore*"))


@pytest.fixture
def lived_in_db(fresh_db):
    """The default database after some use: users, a setting, notes with awkward text, audit lines."""
    with storage.connect(fresh_db) as con:
        auth.add_user(con, "quan-tri", "admin", "mat-khau-quan-tri", by="setup", rounds=4)
        auth.add_user(con, "lan", "analyst", "mat-khau-cua-lan", by="admin", display_name="Nguyễn Thị Lan",
                      rounds=4)
        auth.set_login_required(con, True, by="admin")
        with storage.transaction(con):
            tables_db.append_rows(con, "year_note", pd.DataFrame({
                "entity_key": ["haiphong", "haiphong"], "year": [2021, 2022], "code": ["composite", "land"],
                "text": ["=HYPERLINK(\"http://x\",\"bấm\")", "Dòng 1\nDòng 2 — 'trích dẫn' \"kép\" <b>đậm</b>"],
                "author": ["lan", "lan"], "created_at": [None, None], "batch_id": [None, None]}))
            audit_db.write_audit(con, "lan", "note", "year_note", '{"year": 2021}', None, '{"text": "…"}', None)
    return fresh_db


# ---------------------------------------------------------------------------
# A hostile user's backup: tables changed, manifest recomputed as backup.py computes it
# ---------------------------------------------------------------------------

PLANT_ADMIN = ("INSERT INTO app_user (user_name, display_name, role, password_hash, active, created_at) "
               "VALUES ('mallory', 'Mallory', 'admin', '{hash}', TRUE, now())")
CHANGE_SCORE = "UPDATE score SET value = 80 WHERE entity_key = 'haiphong' AND year = 2024 AND code = 'composite'"
EMPTY_LOG = "DELETE FROM audit_log"


def tampered_copy(db: Path, *sql: str) -> Path:
    """A copy of ``db`` changed by SQL, as someone who can read a backup would rebuild it."""
    evil = db.with_name("evil.duckdb")
    shutil.copy(db, evil)
    con = duckdb.connect(str(evil))
    for statement in sql:
        con.execute(statement.format(hash=auth.hash_password("mat-khau-ke-gian", rounds=4)))
    con.close()
    return evil


def forge(bak: Path, source: Path, tables: list[str], *, key: bytes | None = None,
          drop_signature: bool = False) -> None:
    """Put ``source``'s rows of ``tables`` into the backup and recompute its manifest exactly as
    backup.py does (row count, content checksum, file sha256). With ``key`` the manifest is signed
    again (the installation's own key: what is left to refuse it is the validation)."""
    path = bak / backup.MANIFEST
    raw = json.loads(path.read_text(encoding="utf-8"))
    with storage.connect(source, read_only=True) as con:
        sums = tables_db.checksums_of(con, tables)
        for table in tables:
            entry = raw["tables"][table]
            (bak / entry["file"]).unlink()
            tables_db.export_table(con, table, bak / entry["file"])
            entry.update(rows=tables_db.row_count(con, table), checksum=sums[table],
                         sha256=backup.file_sha256(bak / entry["file"]))
    if drop_signature:
        raw.pop("signature", None)
    if key is not None:
        raw["signature"] = backup.manifest_signature(raw, key)
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture
def forged(lived_in_db, tmp_path) -> Path:
    """A real backup of ``lived_in_db`` with a planted admin, a changed published score and an
    empty audit log; manifest recomputed, its old signature kept."""
    backup.backup(lived_in_db, tmp_path / "bak")
    evil = tampered_copy(lived_in_db, PLANT_ADMIN, CHANGE_SCORE, EMPTY_LOG)
    forge(tmp_path / "bak", evil, ["app_user", "score", "audit_log"])
    return tmp_path / "bak"


# ---------------------------------------------------------------------------
# Round trip
# ---------------------------------------------------------------------------

def test_round_trip_gives_an_identical_database(lived_in_db, tmp_path):
    before = checksums(lived_in_db)
    manifest = backup.backup(lived_in_db, tmp_path / "bak")
    assert set(manifest.tables) == set(before) and "schema_version" in manifest.tables
    assert manifest.checksums() == before
    assert manifest.schema_version == schema.SCHEMA_VERSION
    result = backup.restore(tmp_path / "bak", tmp_path / "restored.duckdb", by="lan")
    assert result.previous is None and result.signed
    assert every_table(tmp_path / "restored.duckdb") == every_table(lived_in_db)
    with storage.connect(tmp_path / "restored.duckdb", read_only=True) as con:
        assert history.verify(con).ok
        assert tables_db.table_counts(con)["score"] == 10198
        assert auth.authenticate(con, "lan", "mat-khau-cua-lan") is not None  # hashes survive
        notes = scores_db.load_notes(con, "haiphong", "land")
        assert notes["text"].iloc[0] == "Dòng 1\nDòng 2 — 'trích dẫn' \"kép\" <b>đậm</b>"


def test_restore_over_a_database_keeps_the_previous_file(lived_in_db, tmp_path):
    backup.backup(lived_in_db, tmp_path / "bak")
    before = every_table(lived_in_db)
    with storage.connect(lived_in_db) as con:  # a mistake made after the backup
        with storage.transaction(con):
            audit_db.write_audit(con, "lan", "oops", "score", None, None, None, None)
    changed = every_table(lived_in_db)
    result = backup.restore(tmp_path / "bak", lived_in_db)
    assert every_table(lived_in_db) == before
    assert result.previous is not None and KEPT.match(result.previous.name)
    assert every_table(result.previous) == changed
    assert not list(tmp_path.glob("*.restoring*"))


# ---------------------------------------------------------------------------
# Signature
# ---------------------------------------------------------------------------

def test_the_key_is_made_once_private_beside_the_database_and_never_in_a_backup(lived_in_db, tmp_path):
    manifest = backup.backup(lived_in_db, tmp_path / "bak")
    key_file = tmp_path / backup.KEY_FILE
    assert backup.key_path(lived_in_db) == key_file
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = backup.installation_key(lived_in_db)
    raw = json.loads((tmp_path / "bak" / backup.MANIFEST).read_text(encoding="utf-8"))
    assert raw["signature"] == backup.manifest_signature(raw, key)
    assert raw["signature"]["alg"] == "HMAC-SHA256" and raw["signature"]["key_id"] == backup.key_id(key)
    backup.backup(lived_in_db, tmp_path / "bak2")
    assert backup.installation_key(lived_in_db) == key  # made once
    secret = key_file.read_text().strip().encode()
    for folder in (tmp_path / "bak", tmp_path / "bak2"):
        names = {p.name for p in folder.iterdir()}
        assert names == {backup.MANIFEST} | {e["file"] for e in manifest.tables.values()}
        assert not any(secret in p.read_bytes() or key in p.read_bytes() for p in folder.iterdir())


def test_the_key_file_is_git_ignored():
    inside = shutil.which("git") and subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT,
                                                    capture_output=True).returncode == 0
    if not inside:
        pytest.skip("not a git work tree")
    for path in ("data/.pci-backup-key", "data/pci.duckdb.before-restore-20261204T163000Z"):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0, path


def test_an_environment_variable_moves_the_key(lived_in_db, tmp_path, monkeypatch):
    monkeypatch.setenv(backup.KEY_ENV, str(tmp_path / "keys" / "pci.key"))
    backup.backup(lived_in_db, tmp_path / "bak")
    assert (tmp_path / "keys" / "pci.key").is_file() and not (tmp_path / backup.KEY_FILE).exists()
    monkeypatch.setenv(backup.KEY_ENV, str(tmp_path / "bak2" / "pci.key"))
    with pytest.raises(backup.BackupError, match="inside the backup folder"):
        backup.backup(lived_in_db, tmp_path / "bak2")
    assert not (tmp_path / "bak2").exists()


@pytest.mark.parametrize("drop_signature, message", [
    pytest.param(False, "does not match this installation's key", id="signature-kept"),
    pytest.param(True, "not signed by this installation", id="signature-removed"),
])
def test_a_backup_edited_with_its_manifest_recomputed_is_refused(lived_in_db, tmp_path, drop_signature, message):
    backup.backup(lived_in_db, tmp_path / "bak")
    evil = tampered_copy(lived_in_db, PLANT_ADMIN, CHANGE_SCORE, EMPTY_LOG)
    forge(tmp_path / "bak", evil, ["app_user", "score", "audit_log"], drop_signature=drop_signature)
    backup.read_manifest(tmp_path / "bak")  # every checksum and sha256 agrees: only the signature can tell
    before = checksums(lived_in_db)
    with pytest.raises(backup.BackupError, match=message):
        backup.restore(tmp_path / "bak", lived_in_db)
    assert checksums(lived_in_db) == before
    assert not kept_files(tmp_path)
    with storage.connect(lived_in_db, read_only=True) as con:
        assert auth.authenticate(con, "mallory", "mat-khau-ke-gian") is None


def test_a_backup_signed_by_another_installation_is_refused(lived_in_db, tmp_path, monkeypatch):
    backup.backup(lived_in_db, tmp_path / "bak")
    monkeypatch.setenv(backup.KEY_ENV, str(tmp_path / "other-installation.key"))
    backup.installation_key(create=True)
    with pytest.raises(backup.BackupError, match="does not match"):
        backup.restore(tmp_path / "bak", tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()


def test_a_key_others_may_read_is_refused(lived_in_db, tmp_path):
    backup.backup(lived_in_db, tmp_path / "bak")
    (tmp_path / backup.KEY_FILE).chmod(0o644)
    with pytest.raises(backup.BackupError, match="chmod 600"):
        backup.restore(tmp_path / "bak", tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()


def test_without_the_key_the_signature_cannot_be_checked(lived_in_db, tmp_path):
    backup.backup(lived_in_db, tmp_path / "bak")
    (tmp_path / backup.KEY_FILE).unlink()
    with pytest.raises(backup.BackupError, match="No backup signing key"):
        backup.restore(tmp_path / "bak", tmp_path / "x.duckdb")


# ---------------------------------------------------------------------------
# Validation: even a properly signed backup must hold rows an import would accept
# ---------------------------------------------------------------------------

HP_LAND_2019 = "entity_key = 'haiphong' AND year = 2019 AND code = 'land'"
HP_COMPOSITE_2019 = "entity_key = 'haiphong' AND year = 2019 AND code = 'composite'"


@pytest.mark.parametrize("sql, table, key, column, found", [
    pytest.param(f"UPDATE score SET value = -5 WHERE {HP_LAND_2019}", "score", "haiphong · 2019 · land", "value",
                 "-5", id="negative-score"),
    pytest.param(f"UPDATE score SET value = 1e308 WHERE {HP_COMPOSITE_2019}", "score",
                 "haiphong · 2019 · composite", "value", "1000000000000000010979",
                 id="huge-score"),
    pytest.param(f"UPDATE score SET rank = 0 WHERE {HP_COMPOSITE_2019}", "score", "haiphong · 2019 · composite",
                 "rank", "0", id="rank-zero"),
    pytest.param(f"UPDATE score SET value = 'NaN'::DOUBLE WHERE {HP_LAND_2019}", "score", "haiphong · 2019 · land",
                 "value", "nan", id="nan-score"),
    pytest.param(f"UPDATE score SET entity_key = 'atlantis' WHERE {HP_LAND_2019}", "score",
                 "atlantis · 2019 · land", "entity_key", "atlantis", id="unknown-entity"),
    pytest.param(f"UPDATE score SET source = '' WHERE {HP_LAND_2019}", "score", "haiphong · 2019 · land", "source",
                 "", id="published-without-source"),
    pytest.param("UPDATE app_user SET user_name = 'Mallory Admin' WHERE user_name = 'lan'", "app_user",
                 "Mallory Admin", "user_name", "Mallory Admin", id="bad-user-name"),
    pytest.param(f"UPDATE score SET value = 3.0 WHERE {HP_LAND_2019}", "verify", None, None,
                 "2019: recomputed composite deviates by", id="verify-fails"),
])
def test_a_signed_backup_with_values_an_import_refuses_is_refused(lived_in_db, tmp_path, sql, table, key, column,
                                                                  found):
    backup.backup(lived_in_db, tmp_path / "bak")
    changed = "app_user" if "app_user" in sql else "score"
    forge(tmp_path / "bak", tampered_copy(lived_in_db, sql), [changed], key=backup.installation_key(lived_in_db))
    before = checksums(lived_in_db)
    with pytest.raises(backup.RestoreRefused) as refused:
        backup.restore(tmp_path / "bak", lived_in_db)
    hits = [p for p in refused.value.problems if (p.table, p.key, p.column) == (table, key, column)]
    assert hits and hits[0].found is not None and hits[0].found.startswith(found), refused.value.problems
    assert checksums(lived_in_db) == before and not kept_files(tmp_path)
    assert not list(tmp_path.glob("*.restoring*"))


def test_a_refusal_names_table_row_column_found_and_expected(lived_in_db, tmp_path):
    backup.backup(lived_in_db, tmp_path / "bak")
    forge(tmp_path / "bak", tampered_copy(lived_in_db, f"UPDATE score SET value = -5 WHERE {HP_LAND_2019}"),
          ["score"], key=backup.installation_key(lived_in_db))
    with pytest.raises(backup.RestoreRefused) as refused:
        backup.restore(tmp_path / "bak", tmp_path / "x.duckdb")
    first = refused.value.problems[0]
    assert first.message("vi") == 'Bảng score, dòng haiphong · 2019 · land, cột value: giá trị "-5", cần một số từ 0 đến 10'
    assert first.message("en") == ('Table score, row haiphong · 2019 · land, column value: found "-5", '
                                   "expected a number from 0 to 10")
    assert "values that an import or `verify` would refuse" in str(refused.value)
    assert not (tmp_path / "x.duckdb").exists()


# ---------------------------------------------------------------------------
# The audit line and the kept files
# ---------------------------------------------------------------------------

def test_a_restore_writes_an_audit_line_in_the_restored_database(lived_in_db, tmp_path):
    manifest = backup.backup(lived_in_db, tmp_path / "bak")
    result = backup.restore(tmp_path / "bak", lived_in_db)
    lines = restore_lines(lived_in_db)
    assert len(lines) == 1
    line = lines[0]
    assert line["user_name"].startswith("os:") and line["run_by"] == line["user_name"]
    assert line["backup"] == str((tmp_path / "bak").resolve())
    assert line["created_at"] == manifest.created_at and line["signed"] is True
    assert line["key_id"] == backup.key_id(backup.installation_key(lived_in_db)) and line["accepted_by"] is None
    assert result.previous is not None and restore_lines(result.previous) == []  # written before the swap
    with storage.connect(lived_in_db, read_only=True) as con:
        assert history.verify(con).ok


def test_two_restores_keep_two_earlier_files(lived_in_db, tmp_path):
    backup.backup(lived_in_db, tmp_path / "bak")
    states = []
    previous = []
    for n in range(2):
        with storage.connect(lived_in_db) as con:
            with storage.transaction(con):
                audit_db.write_audit(con, "lan", f"change-{n}", None, None, None, None, None)
        states.append(every_table(lived_in_db))
        previous.append(backup.restore(tmp_path / "bak", lived_in_db).previous)
    kept = kept_files(tmp_path)
    assert len(kept) == 2 and all(KEPT.match(p.name) for p in kept)
    assert sorted(previous) == kept
    assert [every_table(p) for p in previous] == states  # neither was overwritten


def test_an_administrator_may_accept_an_unsigned_backup_and_it_is_recorded(forged, lived_in_db, tmp_path):
    with pytest.raises(backup.BackupError, match="not an active administrator"):
        backup.restore(forged, lived_in_db, by="os:ops", accept_unsigned_by="lan")  # an analyst
    result = backup.restore(forged, lived_in_db, by="os:ops", accept_unsigned_by="quan-tri")
    assert not result.signed and result.accepted_by == "quan-tri"
    [line] = restore_lines(lived_in_db)
    assert line["user_name"] == "quan-tri" and line["accepted_by"] == "quan-tri" and line["run_by"] == "os:ops"
    assert line["signed"] is False and line["unsigned_reason"] == "trust_err_bad_signature"
    with storage.connect(lived_in_db, read_only=True) as con:
        assert audit_db.load_audit(con)["action"].tolist() == ["restore"]  # the emptied log says who let it in


def test_an_accepted_unsigned_backup_is_still_validated(lived_in_db, tmp_path):
    backup.backup(lived_in_db, tmp_path / "bak")
    forge(tmp_path / "bak", tampered_copy(lived_in_db, f"UPDATE score SET rank = 0 WHERE {HP_COMPOSITE_2019}"),
          ["score"], drop_signature=True)
    before = checksums(lived_in_db)
    with pytest.raises(backup.RestoreRefused):
        backup.restore(tmp_path / "bak", lived_in_db, accept_unsigned_by="quan-tri")
    assert checksums(lived_in_db) == before


# ---------------------------------------------------------------------------
# Damaged backups, older backups, a busy database
# ---------------------------------------------------------------------------

def test_a_damaged_backup_is_refused_and_nothing_changes(lived_in_db, tmp_path):
    manifest = backup.backup(lived_in_db, tmp_path / "bak")
    target = tmp_path / "target.duckdb"
    backup.restore(tmp_path / "bak", target)
    before = checksums(target)
    score_file = tmp_path / "bak" / manifest.tables["score"]["file"]
    data = bytearray(score_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    score_file.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.restore(tmp_path / "bak", target)
    assert checksums(target) == before


def test_a_damaged_database_is_kept_and_replaced(lived_in_db, tmp_path):
    backup.backup(lived_in_db, tmp_path / "bak")
    damaged = lived_in_db.read_bytes()[:100_000]  # cut short, as an interrupted copy leaves it
    lived_in_db.write_bytes(damaged)
    result = backup.restore(tmp_path / "bak", lived_in_db)
    assert result.previous is not None and result.previous.read_bytes() == damaged
    with storage.connect(lived_in_db, read_only=True) as con:
        assert history.verify(con).ok


@pytest.mark.parametrize("change, message", [
    pytest.param(lambda m: m.update(schema_version=99), "newer than this software", id="newer-schema"),
    pytest.param(lambda m: m.update(format="other"), "not a backup", id="not-ours"),
    pytest.param(lambda m: m["tables"]["score"].update(file="../../etc/passwd"), "damaged", id="path-in-manifest"),
])
def test_a_manifest_we_cannot_trust_is_refused_even_when_signed(lived_in_db, tmp_path, change, message):
    backup.backup(lived_in_db, tmp_path / "bak")
    path = tmp_path / "bak" / "manifest.json"
    raw = json.loads(path.read_text())
    change(raw)
    raw["signature"] = backup.manifest_signature(raw, backup.installation_key(lived_in_db))
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
        schema.migrate(con, 2)
        with storage.transaction(con):
            audit_db.write_audit(con, "lan", "note", "year_note", None, None, None, None)
    backup.backup(old, tmp_path / "bak")
    backup.restore(tmp_path / "bak", tmp_path / "new.duckdb", by="quan-tri")
    with storage.connect(tmp_path / "new.duckdb", read_only=True) as con:
        assert schema.schema_version(con) == schema.SCHEMA_VERSION
        assert audit_db.load_audit(con)["user_name"].tolist() == ["quan-tri", "lan"]  # newest first
        assert users_db.load_users(con).empty  # the v3 table exists, empty


# Holds the database until the test closes its stdin (or kills it): however long the restore takes on
# a busy machine, the file is still held when the restore comes to replace it.
HOLD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN TRANSACTION")
print("holding", flush=True)
sys.stdin.read()
"""


def test_restore_waits_for_a_process_that_holds_the_database_then_refuses(lived_in_db, tmp_path, monkeypatch):
    backup.backup(lived_in_db, tmp_path / "bak")
    with storage.connect(lived_in_db) as con:
        with storage.transaction(con):
            audit_db.write_audit(con, "lan", "after-backup", None, None, None, None, None)
    before = checksums(lived_in_db)
    monkeypatch.setattr(storage, "LOCK_WAIT_S", 0.5)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lived_in_db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(storage.DatabaseBusy):
            backup.restore(tmp_path / "bak", lived_in_db)
    finally:
        holder.kill()
        holder.wait()
    assert checksums(lived_in_db) == before  # untouched
    assert not kept_files(tmp_path)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def test_command_line_backup_and_restore(lived_in_db, tmp_path):
    n = len(checksums(lived_in_db))
    r = run("backup", "--out", str(tmp_path / "bak"), db=lived_in_db)
    assert r.returncode == 0, r.stderr
    assert f"Đã sao lưu {n} bảng" in r.stdout and f"Backed up {n} tables" in r.stdout
    assert f"signed with this installation's key ({tmp_path / backup.KEY_FILE}" in r.stdout
    r = run("backup", "--out", str(tmp_path / "bak"), db=lived_in_db)
    assert r.returncode == 2 and "đã có dữ liệu" in r.stderr and "not empty" in r.stderr
    r = run("restore", str(tmp_path / "bak"), db=tmp_path / "copy.duckdb")
    assert r.returncode == 0, r.stderr
    assert "mọi bảng khớp mã kiểm tra" in r.stdout and "Signature valid" in r.stdout
    assert every_table(tmp_path / "copy.duckdb") == every_table(lived_in_db)
    assert restore_lines(tmp_path / "copy.duckdb")[0]["user_name"].startswith("cli:")
    r = run("restore", str(tmp_path / "bak"), db=tmp_path / "copy.duckdb")
    assert r.returncode == 0, r.stderr
    [kept] = kept_files(tmp_path)
    assert f"The previous database is kept at {kept}" in r.stdout
    r = run("restore", str(tmp_path / "nothing-here"), db=tmp_path / "copy.duckdb")
    assert r.returncode == 2 and "is not a backup" in r.stderr
    r = subprocess.run([sys.executable, "-m", "pci_metrics", "verify", "--db", str(tmp_path / "copy.duckdb")],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout


def test_command_line_refuses_a_forged_backup_in_one_line(forged, lived_in_db):
    before = checksums(lived_in_db)
    r = run("restore", str(forged), db=lived_in_db)
    assert r.returncode == 2 and r.stdout == ""
    [line] = r.stderr.splitlines()
    assert "không khớp khóa của cài đặt này" in line and "does not match this installation's key" in line
    assert checksums(lived_in_db) == before
    r = run("restore", str(forged), "--accept-unsigned", db=lived_in_db)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "--user NAME" in r.stderr
    r = run("restore", str(forged), "--accept-unsigned", "--user", "lan", db=lived_in_db)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "not an active administrator" in r.stderr
    assert checksums(lived_in_db) == before


def test_command_line_accepts_an_unsigned_backup_for_an_administrator(forged, lived_in_db):
    r = run("restore", str(forged), "--accept-unsigned", "--user", "quan-tri", db=lived_in_db)
    assert r.returncode == 0, r.stderr
    assert "được quản trị quan-tri chấp nhận" in r.stdout and "accepted by administrator quan-tri" in r.stdout
    [line] = restore_lines(lived_in_db)
    assert line["user_name"] == "quan-tri" and line["run_by"].startswith("cli:") and line["signed"] is False


def test_command_line_lists_the_refused_rows(lived_in_db, tmp_path):
    backup.backup(lived_in_db, tmp_path / "bak")
    forge(tmp_path / "bak", tampered_copy(lived_in_db, f"UPDATE score SET value = -5 WHERE {HP_LAND_2019}"),
          ["score"], key=backup.installation_key(lived_in_db))
    r = run("restore", str(tmp_path / "bak"), db=lived_in_db)
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert "không khôi phục" in lines[0] and "not restored, database unchanged" in lines[0]
    assert ('Bảng score, dòng haiphong · 2019 · land, cột value: giá trị "-5", cần một số từ 0 đến 10 / '
            'Table score, row haiphong · 2019 · land, column value: found "-5", expected a number from 0 to 10'
            ) in lines
