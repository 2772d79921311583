"""The store against real DuckDB files: the default data, provenance, unknowns, migrations, atomicity."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pci_metrics.store import build, reference_db, schema, scores_db, storage, tables_db, tasks_db
from pci_metrics.views import history


def test_default_data_has_every_province_year(built_db):
    with storage.connect(built_db, read_only=True) as con:
        scores = scores_db.load_scores(con, codes=["composite"])
        old = scores[scores["year"] <= 2019]
        assert len(old) == 927
        assert old.groupby("year").size().to_dict()[2005] == 42
        assert old.groupby("year").size().to_dict()[2006] == 64
        assert (old.groupby("year").size().loc[2009:] == 63).all()
        # sub-indices 2005–2019: every province-year has each sub-index its framework computes
        subs = scores_db.load_scores(con, year=2019)
        assert len(subs) == 63 * 11


@pytest.mark.parametrize("entity, year, code, value, rank", [
    pytest.param("haiphong", 2024, "composite", 74.84, 1, id="hp-2024"),
    pytest.param("haiphong", 2023, "composite", 70.34, 3, id="hp-2023"),
    pytest.param("haiphong", 2022, "legal", 7.87, None, id="hp-2022-subindex"),
    pytest.param("haiphong", 2019, "composite", 68.7326, 10, id="hp-2019"),
    pytest.param("quangninh", 2024, "composite", 73.20, 2, id="qn-2024"),
    pytest.param("quangninh", 2021, "composite", 73.02, 1, id="qn-2021"),
    pytest.param("longan", 2024, "composite", 72.64, 3, id="published-top-2024"),
    pytest.param("hanoi", 2024, "composite", 68.38, 24, id="rank-then-score-from-a-second-source"),
    pytest.param("binhduong", 2005, "composite", 76.819, 1, id="pilot-2005"),
])
def test_known_values(built_db, entity, year, code, value, rank):
    with storage.connect(built_db, read_only=True) as con:
        row = scores_db.load_scores(con, entity_key=entity, year=year, codes=[code])
    assert len(row) == 1
    got = row.iloc[0]
    if value is None:
        assert pd.isna(got["value"])
    else:
        assert got["value"] == pytest.approx(value, abs=1e-4)
    assert (pd.isna(got["rank"]) if rank is None else int(got["rank"]) == rank)
    assert got["source"] and got["provenance"] in ("published", "derived", "entered")


def test_unknown_is_absent_not_zero(built_db):
    with storage.connect(built_db, read_only=True) as con:
        hp = scores_db.load_scores(con, entity_key="haiphong", year=2024)
        assert set(hp["code"]) == {"composite"}  # sub-indices 2023–2024 unknown: no rows
        assert (scores_db.load_scores(con)["value"].dropna() != 0).all()
        # policy_bias was not computed 2009–2012: no rows, not zeros
        assert scores_db.load_scores(con, year=2010, codes=["policy_bias"]).empty
        # a year with only the top 30 published is marked; no rank outside the published is derived
        info = reference_db.load_year_info(con).set_index("year")
        assert info.loc[2024, "published_scope"] == "top30" and info.loc[2019, "published_scope"] == "all"
        y2024 = scores_db.load_scores(con, year=2024, codes=["composite"])
        assert (y2024["rank_provenance"].dropna() == "published").all()
        assert tasks_db.load_task_reports(con).empty
        # the one shipped target is the city's rank goal, which names no score
        targets = scores_db.load_targets(con)
        assert len(targets) == 1 and pd.isna(targets["target_score"].iloc[0])
        assert targets["target_rank"].iloc[0] == 5


def test_reference_data_entities_frameworks_plan(built_db):
    with storage.connect(built_db, read_only=True) as con:
        ent = reference_db.load_entities(con).set_index("entity_key")
        assert ent.loc["haiduong", "successor_key"] == "haiphong"
        assert ent.loc["thuathienhue", "successor_key"] == "hue"
        assert ent.loc["hongbang", "level"] == "ward" and ent.loc["hongbang", "parent_key"] == "haiphong"
        assert ent.loc["haiphong", "name_vi"] == "Hải Phòng"
        assert (ent["level"] == "province").sum() == 65  # 63 + Hà Tây + Huế (2025 unit with a new key)
        subs = reference_db.load_subindices(con)
        sums = subs.groupby("framework_id")["weight"].sum(min_count=1)
        assert sums.drop("pci2025").round(6).eq(100).all()
        assert subs[subs["framework_id"] == "pci2025"]["weight"].isna().all()
        lineage = reference_db.load_lineage(con, "pci2025")
        assert set(lineage["code"]) == set(reference_db.load_priorities(con)["code"])
        assert lineage["author"].str.len().gt(0).all()
        units = tasks_db.load_units(con)
        assert "Phòng Kinh tế – Hạ tầng và Đô thị" in set(units["name_vi"])
        cal = tasks_db.load_calendar(con)
        assert sorted(zip(cal["month"], cal["day"], strict=True)) == [(3, 15), (6, 15), (9, 15), (12, 5)]
        tasks = tasks_db.load_tasks(con)
        assert len(tasks) >= 10 and tasks["deadline"].isna().all()  # the text gives no deadlines
        assert set(tasks_db.load_task_units(con)["unit_key"]) >= {"kt_ht_dt", "vh_xh", "tt_pvhcc", "tt_snc"}


def test_benchmarks(built_db):
    with storage.connect(built_db, read_only=True) as con:
        b = scores_db.load_benchmarks(con, "composite").set_index("year")
    assert b.loc[2019, "top_entity_key"] == "quangninh"
    assert b.loc[2019, "median"] == pytest.approx(65.13, abs=0.01)
    assert b.loc[2024, "median"] == pytest.approx(67.67)
    assert b.loc[2024, "top10_cutoff"] == pytest.approx(70.18)
    assert pd.isna(b.loc[2021, "median"])  # unknown, not invented
    assert b.loc[2023, "provenance"] == "derived"


def test_verify_passes_on_default(built_db):
    with storage.connect(built_db, read_only=True) as con:
        report = history.verify(con)
    assert report.ok, report.failures
    devs = report.deviations.set_index("year")
    assert devs.loc[2019, "max_deviation"] < 0.02 and not devs.loc[2011, "enforced"]


def test_verify_catches_a_wrong_composite(fresh_db):
    with storage.connect(fresh_db) as con:
        con.execute("UPDATE score SET value = value + 1 WHERE entity_key = 'haiphong' AND year = 2019 "
                    "AND code = 'composite'")
        report = history.verify(con)
    assert any("2019" in f for f in report.failures)


def test_migration_from_v1_keeps_data(tmp_path):
    path = tmp_path / "old.duckdb"
    with storage.connect(path, create=True) as con:
        assert schema.migrate(con, target=1) == 1
        tables = build.seed_tables()
        with storage.transaction(con):
            for name in ("framework", "entity", "score"):
                tables_db.replace_rows(con, name, tables[name])
        before = con.execute("SELECT count(*), sum(value) FROM score").fetchone()
        with pytest.raises(duckdb.CatalogException):
            con.execute("SELECT * FROM year_note")
    with storage.connect(path) as con:
        assert schema.migrate(con) == schema.SCHEMA_VERSION
        assert con.execute("SELECT count(*), sum(value) FROM score").fetchone() == before
        assert con.execute("SELECT count(*) FROM year_note").fetchone() == (0,)
        assert len(con.execute("SELECT * FROM v_scores LIMIT 5").df()) == 5
        assert schema.migrate(con) == schema.SCHEMA_VERSION  # idempotent


def test_migration_to_v4_gives_the_seed_lineage_author_in_english(tmp_path):
    path = tmp_path / "v3.duckdb"
    with storage.connect(path, create=True) as con:
        assert schema.migrate(con, target=3) == 3
        links = build.seed_tables()["lineage"].drop(columns=["author_en"])
        with storage.transaction(con):
            tables_db.replace_rows(con, "lineage", links)
        con.execute("UPDATE lineage SET author = 'Phòng KT-HT&ĐT' WHERE code = 'proactivity_government'")  # edited locally
    with storage.connect(path) as con:
        assert schema.migrate(con) == schema.SCHEMA_VERSION
        rows = con.execute("SELECT code, author_en FROM lineage").fetchall()
    assert len(rows) == len(links)
    assert {en for code, en in rows if code != "proactivity_government"} == {
        "Dashboard development team (proposal, awaiting confirmation by Phòng KT-HT&ĐT)"}
    assert {en for code, en in rows if code == "proactivity_government"} == {None}  # not guessed: shown in Vietnamese


def test_a_failed_write_changes_nothing(fresh_db):
    with storage.connect(fresh_db) as con:
        before = tables_db.table_checksums(con)
        bad = pd.DataFrame([dict(entity_key="haiphong", year=2030, framework_id="pci2025", code="x",
                                 value=1.0, provenance="guessed", source="t")])
        with pytest.raises(duckdb.ConstraintException), storage.transaction(con):
            tables_db.append_rows(con, "score", bad.iloc[:0])
            con.execute("DELETE FROM score WHERE year = 2019")
            tables_db.append_rows(con, "score", bad)  # provenance CHECK fails -> rollback
        assert tables_db.table_checksums(con) == before


def test_missing_database_message(tmp_path):
    with pytest.raises(storage.DatabaseMissing, match="make run"):
        with storage.connect(tmp_path / "nope.duckdb"):
            pass


def test_needs_build(tmp_path):
    path = tmp_path / "x.duckdb"
    assert build.needs_build(path)
    build.build_database(path, empty=True)
    assert not build.needs_build(path)
    with storage.connect(path, read_only=True) as con:
        counts = tables_db.table_counts(con)
    assert counts["score"] == 0 and counts["plan"] == 1 and counts["entity"] > 60


def test_data_stamp_changes_on_commit(fresh_db):
    before = storage.data_stamp(fresh_db)
    with storage.connect(fresh_db) as con, storage.transaction(con):
        con.execute("UPDATE plan SET doc_ref = doc_ref || ' '")
    assert storage.data_stamp(fresh_db) != before


def test_table_columns_are_the_information_schemas_names_and_types_for_every_data_table(built_db):
    """The import types its rows and checks its SQL identifiers by :func:`tables_db.table_columns`:
    whatever way it asks DuckDB, it must give what the schema says, in table order."""
    with storage.connect(built_db, read_only=True) as con:
        for table in tables_db.DATA_TABLES:
            rows = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                               [table]).fetchall()
            assert tables_db.table_columns(con, table) == {str(n): str(k) for n, k in rows}, table
        with pytest.raises(ValueError):
            tables_db.table_columns(con, 'score" ; DROP TABLE score; --')
