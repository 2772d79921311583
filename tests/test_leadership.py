"""Leadership maths and page models against the real default database."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from pci_metrics.domain import gaps, targets
from pci_metrics.store import audit_db, scores_db, storage
from pci_metrics.views import compare, history, priority, priority_tables, scorecard
from pci_metrics.views import leadership as ld
from pci_metrics.views import tasks as tasks_mod

TODAY = "2026-03-01"


# --- the status rule ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, rank, score, target_rank, band, places, expected", [
    pytest.param(7.6, None, 7.5, None, 0.25, 2, "on_track", id="score-reached"),
    pytest.param(7.5, None, 7.5, None, 0.25, 2, "on_track", id="score-exactly"),
    pytest.param(7.3, None, 7.5, None, 0.25, 2, "watch", id="score-within-band"),
    pytest.param(7.2, None, 7.5, None, 0.25, 2, "off_track", id="score-beyond-band"),
    pytest.param(7.2, None, 7.5, None, 0.5, 2, "watch", id="wider-band-is-configurable"),
    pytest.param(None, None, 7.5, None, 0.25, 2, "no_data", id="no-value"),
    pytest.param(7.0, None, None, None, 0.25, 2, "no_target", id="no-target-never-assumed"),
    pytest.param(None, 3, None, 5, 0.25, 2, "on_track", id="rank-reached"),
    pytest.param(None, 7, None, 5, 0.25, 2, "watch", id="rank-within-places"),
    pytest.param(None, 8, None, 5, 0.25, 2, "off_track", id="rank-beyond-places"),
    pytest.param(7.6, 9, 7.5, 5, 0.25, 2, "off_track", id="both-worse-counts"),
    pytest.param(7.6, None, 7.5, 5, 0.25, 2, "on_track", id="both-rank-unknown"),
])
def test_priority_status(value, rank, score, target_rank, band, places, expected):
    assert targets.priority_status(value, rank, score, target_rank, watch_band=band, watch_places=places) == expected


@pytest.mark.parametrize("text, expected", [("0,5", 0.5), ("0.25", 0.25), (1, 1.0), ("5", 5.0)])
def test_parse_watch_band(text, expected):
    assert targets.parse_watch_band(text) == expected


@pytest.mark.parametrize("text", ["-0.1", "5.5", "abc", "nan"])
def test_parse_watch_band_refuses(text):
    with pytest.raises(ValueError, match="0 đến 5"):
        targets.parse_watch_band(text)


# --- where the points are -------------------------------------------------------------------------

@pytest.mark.parametrize("value, best, weight, gap, points", [
    pytest.param(6.0, 8.0, 15.0, 2.0, 3.0, id="15%-of-2-points"),
    pytest.param(8.2, 8.2, 20.0, 0.0, 0.0, id="we-are-the-best"),
    pytest.param(8.5, 8.2, 20.0, 0.0, 0.0, id="above-the-best-never-negative"),
    pytest.param(6.0, None, 15.0, None, None, id="best-unknown"),
    pytest.param(6.0, 8.0, None, 2.0, None, id="weight-unknown"),
])
def test_points_to_gain(value, best, weight, gap, points):
    out = gaps.points_to_gain(pd.DataFrame({"code": ["x"], "value": [value], "best": [best], "weight": [weight]}))
    got_gap, got_points = out["gap"].iloc[0], out["points"].iloc[0]
    assert (pd.isna(got_gap) if gap is None else got_gap == pytest.approx(gap))
    assert (pd.isna(got_points) if points is None else got_points == pytest.approx(points))


def test_points_sorted_largest_first():
    out = gaps.points_to_gain(pd.DataFrame({"code": ["a", "b", "c"], "value": [7.0, 6.0, 5.0],
                                          "best": [8.0, 8.0, None], "weight": [5.0, 15.0, 10.0]}))
    assert out["code"].tolist() == ["b", "a", "c"]


# --- targets --------------------------------------------------------------------------------------

TARGETS = pd.DataFrame({
    "code": ["x", "x", "x", "y"], "entity_key": ["hongbang", "hongbang", "other", "hongbang"],
    "year": [2025, 2026, 2025, 2025], "target_score": [7.0, 7.5, 9.0, 6.0],
    "target_rank": [None, None, None, None], "source": ["plan"] * 4, "entered_by": ["an"] * 4})


@pytest.mark.parametrize("latest, year", [(2022, 2025), (2025, 2025), (2026, 2026), (2030, 2026)])
def test_pick_target_is_the_next_one(latest, year):
    got = targets.pick_target(TARGETS, "x", ["haiphong", "hongbang"], latest)
    assert got is not None and got["year"] == year and got["entity_key"] == "hongbang"


def test_pick_target_none_for_another_entity_or_code():
    assert targets.pick_target(TARGETS, "z", ["haiphong", "hongbang"], 2022) is None
    assert targets.pick_target(TARGETS[TARGETS["entity_key"] == "other"], "x", ["haiphong"], 2022) is None


# --- lineage values, derived ranks and benchmarks --------------------------------------------------

@pytest.fixture(scope="module")
def snap(built_db):
    with storage.connect(built_db) as con:
        return ld.snapshot(con)


@pytest.mark.parametrize("code", ["market_entry", "resource_access", "transparency_accountability",
                                  "private_economy", "proactivity_government"])
def test_history_is_history_lineage_series(built_db, snap, code):
    """The page's history of a PCI 2025 priority is exactly history.lineage_series (2005 pilot left out)."""
    with storage.connect(built_db) as con:
        expected = history.lineage_series(con, ld.HAIPHONG, "pci2025", code)
    expected = expected[expected["year"] >= 2006]
    got = ld.measure_history(snap, "pci2025", code).series
    assert got["year"].tolist() == expected["year"].tolist()
    assert np.allclose(got["value"].astype(float), expected["value"].astype(float))
    assert (got["provenance"] == "derived").all()
    assert got["source"].str.contains("một nhận định").all()


def test_single_link_lineage_reproduces_stored_benchmarks_and_ranks(snap):
    """market_entry continues only entry: derived benchmarks and ranks equal the stored ones for entry."""
    h = ld.measure_history(snap, "pci2025", "market_entry")
    stored = snap.benchmarks[(snap.benchmarks["code"] == "entry") & (snap.benchmarks["year"] >= 2006)]
    both = h.benchmarks.merge(stored, on="year", suffixes=("", "_s"))
    assert len(both) == 14  # 2006–2019
    for col in ("median", "top_score", "top10_cutoff"):
        assert np.allclose(both[col].astype(float), both[f"{col}_s"].astype(float)), col
    assert (both["top_entity_key"] == both["top_entity_key_s"]).all()
    assert (both["provenance"] == "derived").all()
    ranks = h.series.dropna(subset=["rank"]).merge(snap.series("haiphong", "entry"), on="year", suffixes=("", "_s"))
    assert (ranks["rank"].astype(int) == ranks["rank_s"].astype(int)).all() and len(ranks) == 14


def test_multi_link_lineage_is_the_mean_for_every_province(snap):
    h = ld.measure_history(snap, "pci2025", "resource_access")
    scores = snap.scores[(snap.scores["year"] == 2019) & snap.scores["code"].isin(["land", "business_support",
                                                                                  "labor"])]
    mean = scores.groupby("entity_key")["value"].mean()
    got = h.values[h.values["year"] == 2019].set_index("entity_key")["value"]
    assert len(got) == 63 and np.allclose(got.sort_index(), mean.sort_index())
    b = h.benchmarks.set_index("year").loc[2019]
    assert b["median"] == pytest.approx(mean.median()) and b["top_score"] == pytest.approx(mean.max())
    assert b["top10_cutoff"] == pytest.approx(mean.sort_values(ascending=False).iloc[9])


def test_missing_years_are_absent_not_joined(snap):
    """private_economy continues policy_bias, which VCCI did not compute 2009–2012: no values there."""
    h = ld.measure_history(snap, "pci2025", "private_economy")
    assert not set(range(2009, 2013)) & set(h.series["year"])
    assert 2008 in set(h.series["year"]) and 2013 in set(h.series["year"])


# --- the priority page model ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def market_entry(built_db):
    with storage.connect(built_db) as con:
        return priority.priority_model(con, "market_entry", TODAY)


def test_one_snapshot_serves_every_view(built_db, snap, market_entry, monkeypatch):
    """Given a snapshot and the tasks model, the priority page reads only its own indicators and
    notes; the scorecard and the compare page read nothing; the answers are those of a fresh read."""
    with storage.connect(built_db) as con:
        shared = tasks_mod.tasks_model(con, None, TODAY)
        monkeypatch.setattr(scores_db, "load_scores", lambda *a, **k: pytest.fail("scores reloaded"))
        monkeypatch.setattr(tasks_mod, "tasks_model", lambda *a, **k: pytest.fail("tasks model rebuilt"))
        m = priority.priority_model(con, "market_entry", TODAY, snap=snap, tasks=shared)
        card = scorecard.scorecard_model(con, snap=snap)
        opts = compare.compare_options(con, snap=snap)
        cmp = compare.compare_model(con, tuple(opts.default_provinces), 2019, 2013, 2019, snap=snap)
    pd.testing.assert_frame_equal(m.series, market_entry.series)
    pd.testing.assert_frame_equal(m.gaps, market_entry.gaps)
    pd.testing.assert_frame_equal(m.tasks, market_entry.tasks)
    assert (m.status, m.target) == (market_entry.status, market_entry.target)
    assert card.rows.set_index("code").loc["market_entry", "status"] == m.status
    assert list(cmp.provinces) == opts.default_provinces


def test_priority_model_latest_value_and_unknowns(market_entry):
    m = market_entry
    assert (m.kind, m.framework_id, m.name_vi) == ("lineage", "pci2025", "Gia nhập thị trường")
    assert (m.latest.year, m.latest.value) == (2022, pytest.approx(6.45))
    assert m.latest.change is None and m.latest.change_note == "break"  # 2022 methodology change
    assert m.latest.rank is None  # other provinces' 2022 sub-indices are unknown
    assert m.target is None and m.status == "no_target"
    assert not m.framework_weights_known


def test_priority_model_gaps_in_the_latest_full_year(market_entry):
    g = market_entry.gaps.set_index("reference")
    assert market_entry.bench_year == 2019
    assert g.loc["best", "reference_entity"] == "vinhphuc"
    assert g.loc["best", "points"] == pytest.approx(8.6451 - 7.1402)
    assert int(g.loc["best", "rank_places"]) == 38  # 39th → 1st
    assert int(g.loc["top10", "rank_places"]) == 29
    assert pd.isna(g.loc["target", "points"])  # no target: unknown, not zero
    table = priority_tables.gaps_table(market_entry, "vi")
    assert table.iloc[0, 3] == "Chưa có mục tiêu"
    assert "Vĩnh Phúc" in table.iloc[1, 0] and table.iloc[1, 4] == "1,50"


def test_priority_model_distribution_lineage_indicators_tasks(market_entry):
    m = market_entry
    assert len(m.distribution) == 63 and m.distribution["year"].eq(2019).all()
    assert m.distribution["entity_key"].iloc[0] == "vinhphuc"
    assert m.lineage["classic_code"].tolist() == ["entry"]
    assert "xác nhận" in m.lineage["author"].iloc[0]  # a judgment, with its author, in both languages
    assert priority_tables.lineage_table(m, "en").iloc[0, 3] == ("Dashboard development team (proposal, awaiting "
                                                   "confirmation by Phòng KT-HT&ĐT)")
    assert priority_tables.lineage_table(m, "vi").iloc[0, 3] == m.lineage["author"].iloc[0]
    assert "Dashboard development team" in priority_tables.lineage_text(m, "en")
    assert "Nhóm phát triển" not in priority_tables.lineage_text(m, "en") and "Nhóm phát triển" in priority_tables.lineage_text(m, "vi")
    ind = priority_tables.indicator_table(m, "entry", "vi")
    assert len(ind) == 10 and "Hải Phòng 2017" in ind.columns and "Trung vị 2018" in ind.columns
    assert set(m.tasks["task_id"]) == {"T01", "T02"} and set(m.tasks["status"]) == {"chua_bao_cao"}
    assert set(priority_tables.tasks_table(m, "vi").iloc[:, 4]) == {"Chưa có báo cáo"}


def test_the_computed_rows_name_their_classic_sub_indices_in_one_language(built_db, market_entry):
    vi, en = market_entry.chart_table("vi"), market_entry.chart_table("en")
    derived_vi = vi[vi["Loại nguồn"] == "tính toán"]["Nguồn"]
    derived_en = en[en["Provenance"] == "derived"]["Source"]
    assert len(derived_vi) == len(derived_en) > 10
    assert set(derived_vi) == {"Tính toán: bằng chỉ số cổ điển Gia nhập thị trường của VCCI "
                               "(liên kết kế thừa là một nhận định)"}
    assert set(derived_en) == {"Computed: equal to VCCI's classic sub-index Entry costs (the lineage is a judgment)"}
    with storage.connect(built_db) as con:  # several links: a mean, named, never codes
        many = priority.priority_model(con, "resource_access", TODAY).chart_table("en")
    text = set(many[many["Provenance"] == "derived"]["Source"])
    assert text == {"Computed: mean of Business support, Labor training, Land access "
                    "(VCCI's classic sub-indices; the lineage is a judgment)"}


def test_unknown_priority_raises(built_db):
    with storage.connect(built_db) as con, pytest.raises(KeyError):
        priority.priority_model(con, "nope", TODAY)


# --- writes: targets change the status, settings and notes are audited -------------------------------

def _target(con: duckdb.DuckDBPyConnection, code: str, score: float | None, rank: int | None,
            year: int = 2026) -> None:
    con.execute("INSERT INTO target (plan_id, entity_key, year, framework_id, code, target_score, target_rank, "
                "source, entered_by) VALUES ('hb-pci-2025-2026', 'hongbang', ?, 'pci2025', ?, ?, ?, 'test', 'an')",
                [year, code, score, rank])


@pytest.mark.parametrize("year, score, band, status", [
    pytest.param(2022, 7.0, None, "off_track", id="0.55-below-default-band"),
    pytest.param(2022, 7.0, "0,6", "watch", id="analyst-widened-the-band"),
    pytest.param(2022, 6.4, None, "on_track", id="reached"),
    pytest.param(2026, 7.0, None, "not_due", id="2026-has-no-data-yet"),
    pytest.param(2026, 6.4, None, "not_due", id="reached-early-is-still-not-due"),
])
def test_target_sets_the_status(fresh_db, year, score, band, status):
    with storage.connect(fresh_db) as con:
        _target(con, "market_entry", score, None, year)
        if band:
            ld.save_watch_bands(con, band, 2, "an")
        m = priority.priority_model(con, "market_entry", TODAY)
        card = scorecard.scorecard_model(con)
    assert m.status == status and m.target["year"] == year
    assert m.gaps.set_index("reference").loc["target", "points"] == pytest.approx(score - 6.45)
    row = card.rows.set_index("code").loc["market_entry"]
    assert row["status"] == status and row["target_score"] == score


def test_watch_bands_are_audited_and_invalid_ones_write_nothing(fresh_db):
    with storage.connect(fresh_db) as con:
        ld.save_watch_bands(con, "0.4", "3", "an")
        assert ld.watch_bands(con) == (0.4, 3)
        audit = audit_db.load_audit(con)
        assert set(audit["action"]) == {"set_setting"} and len(audit) == 2 and (audit["user_name"] == "an").all()
        with pytest.raises(ValueError):
            ld.save_watch_bands(con, "9", "3", "an")
        assert ld.watch_bands(con) == (0.4, 3) and len(audit_db.load_audit(con)) == 2


def test_year_note_is_written_replaced_and_deleted_with_audit(fresh_db):
    with storage.connect(fresh_db) as con:
        scores_db.save_year_note(con, "haiphong", 2019, "market_entry", "Một cửa liên thông", "an")
        scores_db.save_year_note(con, "haiphong", 2019, "market_entry", "Một cửa liên thông điện tử", "binh")
        m = priority.priority_model(con, "market_entry", TODAY)
        assert m.notes_by_year() == {2019: "Một cửa liên thông điện tử"}
        scores_db.save_year_note(con, "haiphong", 2019, "market_entry", "  ", "an")
        assert scores_db.load_notes(con, "haiphong", "market_entry").empty
        audit = audit_db.load_audit(con).sort_values("audit_id")
    assert audit["action"].tolist() == ["save_year_note", "save_year_note", "delete_year_note"]
    assert "liên thông" in audit["old_json"].iloc[1] and pd.isna(audit["new_json"].iloc[2])


# --- a new priority is data, not code ----------------------------------------------------------------

def test_classic_and_unlinked_priorities(fresh_db):
    with storage.connect(fresh_db) as con:
        con.execute("INSERT INTO plan_priority VALUES ('hb-pci-2025-2026', 'pci2022', 'land', 6, 'test')")
        con.execute("INSERT INTO subindex VALUES ('pci2025', 'digital', 'Chuyển đổi số', 'Digital transformation', "
                    "NULL, 'higher_better', 6)")
        con.execute("INSERT INTO plan_priority VALUES ('hb-pci-2025-2026', 'pci2025', 'digital', 7, 'test')")
        land = priority.priority_model(con, "land", TODAY)
        digital = priority.priority_model(con, "digital", TODAY)
        card = scorecard.scorecard_model(con)
    assert land.kind == "own" and land.latest.year == 2022 and land.latest.value == pytest.approx(7.22)
    assert land.bench_year == 2019 and land.benchmarks["provenance"].eq("derived").all()
    assert land.framework_weights_known and land.lineage.empty
    assert digital.kind == "none" and digital.latest.value is None and digital.status == "no_target"
    assert digital.distribution.empty and digital.bench_year is None
    assert {"land", "digital"} <= set(card.rows["code"])


# --- scorecard ------------------------------------------------------------------------------------

def test_scorecard(built_db):
    with storage.connect(built_db) as con:
        card = scorecard.scorecard_model(con)
    rows = card.rows.set_index("code")
    assert rows.loc["composite", "value"] == pytest.approx(74.84) and rows.loc["composite", "rank"] == 1
    assert rows.loc["composite", "change"] == pytest.approx(4.5)
    # the city's goal (top 5 in 2026, Quyết định 5256) is the one shipped target: 2026 has no data yet
    assert rows.loc["composite", "status"] == "not_due" and rows.loc["composite", "target_rank"] == 5
    assert len(rows) == 6 and (rows.drop(index="composite")["status"] == "no_target").all()
    assert rows.loc["resource_access", "value"] == pytest.approx((7.22 + 6.39 + 6.57) / 3)
    assert card.unknown_weight_frameworks == ["pci2025"]
    # where the points are: 2019 (latest year with the best province's sub-indices), weights 2013–21
    assert (card.points_year, card.points_framework, card.now_framework, card.hp_sub_year) == (
        2019, "pci2013", "pci2022", 2022)
    p = card.points.set_index("code")
    assert p.loc["informal", "points"] == pytest.approx(10 * (8.2895 - 6.1064) / 10)
    assert p.loc["informal", "points_now"] == pytest.approx(15 * (8.2895 - 6.1064) / 10)
    assert p.loc["labor", "points"] == 0  # Hải Phòng led labour training in 2019
    assert card.points["points"].is_monotonic_decreasing
    assert p.loc["land", "priorities_vi"] == "Tiếp cận nguồn lực phát triển"
    table = card.table("vi")
    assert table.iloc[0, 5] == "hạng 1/63" and table.iloc[0, 4] == "+4,50"
    assert table.iloc[1, 4] == "không so sánh được (thay đổi phương pháp)"


# --- compare --------------------------------------------------------------------------------------

def test_compare_options_and_model(built_db):
    with storage.connect(built_db) as con:
        opts = compare.compare_options(con)
        m = compare.compare_model(con, tuple(opts.default_provinces), 2019, 2013, 2019)
    assert opts.full_year == 2019 and opts.span == (2006, 2024)
    assert opts.default_provinces[:2] == ["haiphong", "quangninh"] and len(opts.default_provinces) == 6
    assert "dongthap" in opts.default_provinces  # 2019's second (Quảng Ninh is first)
    matrix = m.matrix("vi")
    assert matrix.shape == (10, 6) and matrix.loc["Đào tạo lao động", "Hải Phòng"] == pytest.approx(8.2379)
    leaders = m.leaders.set_index("code")
    assert leaders.loc["labor", "leader"] == "haiphong" and leaders.loc["entry", "leader"] == "vinhphuc"
    assert leaders.loc["entry", "from_year"] == 2013  # same methodology since 2013 inside the span
    table = m.scores_table("vi")
    assert table.iloc[0]["Điểm tổng hợp — xếp hạng"] == 10
    series, name = compare.leader_series(m, "entry", "vi")
    assert name == "Vĩnh Phúc" and [n for n, _ in series] == ["Hải Phòng", "Vĩnh Phúc", "Trung vị"]
    assert series[1][1]["year"].min() == 2013 and series[1][1]["year"].max() == 2019
