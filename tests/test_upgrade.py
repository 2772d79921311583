"""Upgrades: ``make run`` / the service's restart (``build --if-needed``) brings a database made by the
previous schema up to date after a backup, keeping every row; a migration that fails leaves the file
as it was and says how to roll back. The previous schema is built from ``MIGRATIONS[:-1]``, so this
test follows every migration added later."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from pci_metrics.cli.main import main
from pci_metrics.ops import backup, upgrade
from pci_metrics.store import schema, storage, tables_db
from pci_metrics.trust import auth

PREVIOUS = schema.SCHEMA_VERSION - 1


def columns(con: duckdb.DuckDBPyConnection, table: str, catalog: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_catalog = ? "
                                      "AND table_name = ? ORDER BY ordinal_position", [catalog, table]).fetchall()]


@pytest.fixture(scope="module")
def previous_db(tmp_path_factory: pytest.TempPathFactory, built_db: Path) -> Path:
    """A database at the previous schema version holding the full data and an import batch: the
    current database with one import, copied table by table (the columns both schemas have) into a
    file made by every migration but the last."""
    folder = tmp_path_factory.mktemp("previous")
    current = folder / "current.duckdb"
    current.write_bytes(built_db.read_bytes())
    change = folder / "sua.csv"
    change.write_text("year,entity_key,code,value\n2019,haiphong,composite,68.5\n", encoding="utf-8")
    assert main(["import", str(change), "--db", str(current), "--allow-changes", "--user", "lan"]) == 0
    old = folder / "pci.duckdb"
    with storage.connect(old, create=True) as con:
        assert schema.migrate(con, PREVIOUS) == PREVIOUS
        tables = [t for t in tables_db.base_tables(con) if t != "schema_version"]
        here = con.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
        con.execute("ATTACH ? AS cur (READ_ONLY)", [str(current)])
        for table in tables:
            shared = [c for c in columns(con, table, here) if c in columns(con, table, "cur")]
            names = ", ".join(f'"{c}"' for c in shared)
            con.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM cur.main."{table}"')
        con.execute("DETACH cur")
        assert con.execute("SELECT count(*) FROM import_batch").fetchone() == (1,)
    return old


def rows_of(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted (the schema's own bookkeeping left out)."""
    with storage.connect(db, read_only=True) as con:
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables_db.base_tables(con) if t != "schema_version"}


def test_the_previous_schema_is_upgraded_after_a_backup_keeping_every_row(previous_db: Path, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "pci.duckdb"
    db.write_bytes(previous_db.read_bytes())
    before = rows_of(db)
    assert main(["build", "--if-needed", "--db", str(db)]) == 0  # what `make run` and the service run first
    out = capsys.readouterr().out
    assert f"v{PREVIOUS} → v{schema.SCHEMA_VERSION}" in out
    with storage.connect(db, read_only=True) as con:
        assert schema.schema_version(con) == schema.SCHEMA_VERSION
    after = rows_of(db)
    for table, rows in before.items():  # every row kept, in every column the previous schema had
        width = len(rows[0]) if rows else 0
        assert sorted((r[:width] for r in after[table]), key=repr) == rows, table
    assert len(after["import_batch"]) == 1 and after["batch_change"]
    # the backup was taken first, of the previous schema, and restores
    [saved] = (tmp_path / "backups").glob(f"before-upgrade-v{PREVIOUS}-*")
    assert backup.read_manifest(saved).schema_version == PREVIOUS and str(saved) in out
    [kept] = tmp_path.glob(f"pci.duckdb.before-upgrade-v{PREVIOUS}-*")
    assert kept.read_bytes() == previous_db.read_bytes() or rows_of(kept) == before
    # a second start changes nothing
    assert main(["build", "--if-needed", "--db", str(db)]) == 0
    assert "→" not in capsys.readouterr().out


def test_a_failed_migration_leaves_the_file_in_place_and_says_how_to_roll_back(
        previous_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "pci.duckdb"
    db.write_bytes(previous_db.read_bytes())
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    broken = [*schema.MIGRATIONS, ["ALTER TABLE score ADD COLUMN checked BOOLEAN NOT NULL"]]  # fails on data
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(broken))
    with pytest.raises(upgrade.UpgradeFailed) as failed:
        upgrade.upgrade(db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest  # not a byte changed
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pci-backup-key", "backups", "pci.duckdb"]  # no copy left
    message = failed.value.message("en")
    assert "the file was not changed" in message and "git checkout" in message
    [saved] = (tmp_path / "backups").glob("before-upgrade-*")
    assert f"python -m pci_metrics restore {saved}" in message
    assert "tệp không bị thay đổi" in failed.value.message("vi")
    assert main(["build", "--if-needed", "--db", str(db)]) == 2  # `make run` stops with that line
    assert "git checkout" in capsys.readouterr().err


def test_a_rebuild_over_an_existing_database_backs_it_up_first(built_db: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "pci.duckdb"
    db.write_bytes(built_db.read_bytes())
    with storage.connect(db) as con:
        auth.add_user(con, "lan", "analyst", "mat-khau-cua-lan", by="admin", rounds=4)
    assert main(["build", "--empty", "--db", str(db)]) == 0
    [saved] = (tmp_path / "backups").glob("before-rebuild-*")
    assert f"backed up before the rebuild: {saved}" in capsys.readouterr().out
    assert backup.read_manifest(saved).tables["app_user"]["rows"] == 1  # the account the rebuild dropped
    with storage.connect(db, read_only=True) as con:
        assert auth.get_user(con, "lan") is None
