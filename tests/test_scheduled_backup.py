"""The nightly backup: over a folder of dated backups it keeps exactly the last N daily and M monthly
good ones; a backup that is corrupt (on disk later, or refused by the trial restore when written) is
reported, marked bad, kept for inspection and never counted as the last good backup; the Overview
tells administrators how old the last good one is."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pci_metrics.cli.main import main
from pci_metrics.ops import backup, schedule
from pci_metrics.store import storage
from tests.conftest import ROOT

NOW = datetime(2026, 12, 6, 2, 30, tzinfo=UTC)


def at(month: int, day: int, hour: int = 2, minute: int = 30) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture(scope="module")
def one_backup(tmp_path_factory: pytest.TempPathFactory, built_db: Path) -> tuple[Path, Path]:
    """A database and one real signed backup of it (copied under many dates below)."""
    folder = tmp_path_factory.mktemp("sched")
    db = folder / "pci.duckdb"
    shutil.copy(built_db, db)
    backup.backup(db, folder / "template")
    return db, folder / "template"


def dated_backups(root: Path, template: Path, stamps: list[datetime]) -> None:
    """Backups under dated names, each marked good as a scheduled run marks the ones it verified."""
    root.mkdir(parents=True, exist_ok=True)
    for stamp in stamps:
        folder = root / f"pci-{stamp:%Y%m%dT%H%M%SZ}"
        shutil.copytree(template, folder)
        folder.with_name(folder.name + ".ok").write_text(json.dumps({"rows": 1}), encoding="utf-8")


def private_db(one_backup: tuple[Path, Path], folder: Path) -> Path:
    """A copy of the database this test may change, with the installation's key beside it."""
    db = folder / "pci.duckdb"
    shutil.copy(one_backup[0], db)
    shutil.copy(backup.key_path(one_backup[0]), backup.key_path(db))
    return db


def names(root: Path) -> set[str]:
    return {p.name for p in root.iterdir() if p.is_dir()}


def test_retention_keeps_exactly_the_last_days_and_months(one_backup: tuple[Path, Path], tmp_path: Path) -> None:
    db, template = one_backup
    root = tmp_path / "backups"
    every_night = [at(9, 25) + timedelta(days=i) for i in range(72)]  # 25 Sep … 5 Dec
    dated_backups(root, template, [*every_night, at(12, 5, 14, 0)])  # and a second one on 5 Dec
    (root / "pci-20260101T000000Z-by-hand").mkdir()  # not a scheduled backup: left alone
    shutil.copytree(template, root / "pci-20261115T120000Z")  # never verified (no mark): left alone
    report = schedule.run(db, root, keep_daily=7, keep_monthly=3, now=NOW, copy_to=tmp_path / "share")
    assert report.verified and report.ok and not report.bad
    # the copy on the second disk: its files checked against the signed manifest there, marked good
    assert report.copied == tmp_path / "share" / "pci-20261206T023000Z"
    assert schedule.files_intact(report.copied, db) is None and schedule.last_good(tmp_path / "share") == NOW
    kept = {"pci-20261206T023000Z",  # tonight's, verified by a trial restore
            "pci-20261205T140000Z", "pci-20261204T023000Z", "pci-20261203T023000Z", "pci-20261202T023000Z",
            "pci-20261201T023000Z", "pci-20261130T023000Z",  # the newest of each of the last 7 days
            "pci-20261031T023000Z"}  # December's and November's newest are above; October's
    assert {p.name for p in report.kept} == kept
    assert names(root) == kept | {"pci-20260101T000000Z-by-hand", "pci-20261115T120000Z"}
    assert len(report.deleted) == 73 + 1 - len(kept)  # 5 Dec 02:30 went: 14:00 is that day's newest
    assert {p.name for p in root.glob("*.ok")} == {n + ".ok" for n in kept}  # no mark without its backup
    assert schedule.health(root, NOW) == schedule.Health(NOW, False)


def test_a_corrupt_newest_backup_is_reported_and_not_counted_good(one_backup: tuple[Path, Path], tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db, template = private_db(one_backup, tmp_path), one_backup[1]
    root = tmp_path / "backups"
    dated_backups(root, template, [at(12, 2), at(12, 3)])
    # the newest backup on disk goes bad after it was verified (a disk error: one byte)
    newest = root / "pci-20261203T023000Z"
    victim = sorted(newest.glob("*_score.parquet"))[0]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    assert schedule.last_good(root) == at(12, 3)  # still believed good until the next run looks
    # tonight the database holds a value no import accepts: the backup is written but its trial restore refuses it
    with storage.connect(db) as con:
        con.execute("UPDATE score SET value = -5 WHERE entity_key = 'haiphong' AND year = 2019 AND code = 'land'")
    code = main(["scheduled-backup", "--db", str(db), "--into", str(root), "--keep-daily", "1", "--keep-monthly", "1"])
    err = capsys.readouterr().err
    assert code == 1
    tonight = next(p for p in root.iterdir() if p.is_dir() and p.name > newest.name)
    assert f"HỎNG, không tính là bản sao lưu tốt: {newest}" in err and "BAD, not counted" in err
    assert f"HỎNG, không tính là bản sao lưu tốt: {tonight}" in err
    # both bad ones are kept to be looked at, marked bad; the one good backup is the last good one
    assert names(root) == {"pci-20261202T023000Z", newest.name, tonight.name}
    assert (root / (newest.name + ".bad")).exists() and not (root / (newest.name + ".ok")).exists()
    assert (root / (tonight.name + ".bad")).exists() and not (root / (tonight.name + ".ok")).exists()
    assert schedule.last_good(root) == at(12, 2)
    assert schedule.health(root, at(12, 5)).stale  # three days: the Overview warns


@pytest.mark.parametrize("role, shown", [("admin", True), ("analyst", False)])
def test_the_overview_tells_administrators_how_old_the_last_good_backup_is(
        app_db: Path, role: str | None, shown: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(schedule.DIR_ENV, str(tmp_path / "none-yet"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if role:
        app.session_state["user_name"], app.session_state["role"] = "quan-tri", role
    app.run()
    warnings = [w.value for w in app.warning]
    assert any("Chưa có bản sao lưu tốt nào" in w for w in warnings) is shown
