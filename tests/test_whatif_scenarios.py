"""The what-if page model against the real store: weights and lineage come from the data."""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pytest

from pci_metrics.store import reference_db, storage, tables_db
from pci_metrics.views import history, scenario_text, scenarios
from tests.test_whatif import LINEAGE_2025, WEIGHTS_BY_PERIOD


@pytest.fixture(scope="module")
def con(built_db: Path):
    with storage.connect(built_db, read_only=True) as c:
        yield c


@pytest.fixture(scope="module")
def choices(con) -> scenarios.Choices:
    return scenarios.choices(con)


# Base models are read-only values: read each once per module (the page caches them the same way).
base_model = functools.lru_cache(maxsize=None)(scenarios.base_model)


# --------------------------------------------------------------------------- the store is the source


@pytest.mark.parametrize("year, period", [(2007, "2006-2008"), (2010, "2009-2012"), (2019, "2013-2021"),
                                          (2022, "2022-2024")], ids=["2007", "2010", "2019", "2022"])
def test_store_weights_match_the_documented_table(con, year: int, period: str) -> None:
    _, weights = history.weights_for_year(con, year)
    assert {c: w for c, w in weights.items() if w} == WEIGHTS_BY_PERIOD[period]


def test_store_lineage_matches_the_documented_table(con) -> None:
    links = reference_db.load_lineage(con, scenarios.NEW_FRAMEWORK)
    got = {c: tuple(sorted(g["classic_code"])) for c, g in links.groupby("code")}
    assert got == {c: tuple(sorted(v)) for c, v in LINEAGE_2025.items()}


def test_a_change_of_weights_in_the_data_changes_the_answer(fresh_db: Path) -> None:
    """Frameworks are data: move 5 points of weight from labour to transparency in the store."""
    with storage.connect(fresh_db) as c:
        subs = reference_db.load_subindices(c)
        is_2013 = subs["framework_id"] == "pci2013"
        subs.loc[is_2013 & (subs["code"] == "transparency"), "weight"] = 25.0
        subs.loc[is_2013 & (subs["code"] == "labor"), "weight"] = 15.0
        with storage.transaction(c):
            tables_db.replace_rows(c, "subindex", subs)
        base = scenarios.base_model(c, "haiphong", 2019)
    out = scenarios.outcome(base, {"transparency": 0.5})
    assert base.weights["transparency"] == 25.0
    assert out.composite_delta == pytest.approx(0.5 * 25 / 10)  # 1.25, not the 1.00 of the published weights


# --------------------------------------------------------------------------- choices


def test_choices(choices: scenarios.Choices) -> None:
    assert choices.years_for("haiphong") == list(range(2005, 2023))
    assert choices.default_year("haiphong") == 2022
    assert choices.rank_years == tuple(range(2005, 2020))  # 2020–2022: only Hải Phòng's sub-indices
    assert choices.name("haiphong", "vi") == "Hải Phòng"
    assert choices.years_for("quangninh")[-2:] == [2019, 2021]  # 2021: VCCI's all-province table, ranks 1–21
    assert len(choices.keys()) == 64  # 63 provinces and Hà Tây (2006–2008)


# --------------------------------------------------------------------------- simulations (hand-computed)

SIMULATIONS = [
    # id, year, view, assumption, changes, composite before, after, rank before, rank after
    # 2019 (2013–21 weights): transparency 20 % → +0.5 × 20 / 10 = +1.00; 69.73 sits between Đà Nẵng
    # 70.15 (5th) and Quảng Nam 69.42 (6th): rank 10 → 6.
    ("2019-transparency", 2019, "classic", None, {"transparency": 0.5}, 68.7325, 69.7325, 10, 6),
    # + labour 20 %: +0.2 × 20 / 10 = +0.40 → 70.13, still below Đà Nẵng's 70.15: rank 6.
    ("2019-transparency-labor", 2019, "classic", None, {"transparency": 0.5, "labor": 0.2}, 68.7325, 70.1325, 10, 6),
    # labour is at 8.2379: +3 is clipped at 10 → +1.7621 × 20 / 10 = 72.26: past Đồng Tháp 72.10, behind
    # Quảng Ninh 73.40: rank 2.
    ("2019-labor-clipped", 2019, "classic", None, {"labor": 3.0}, 68.7325, 68.7325 + 1.7621 * 2, 10, 2),
    # 2010 (2009–12 weights, no policy_bias): time 15 % → +1 × 15 / 10 = +1.50.
    ("2010-time", 2010, "classic", None, {"time": 1.0}, None, None, None, None),
    # 2022 (2022–24 weights): transparency only 5 % → +0.25, from the published 70.76.
    ("2022-transparency", 2022, "classic", None, {"transparency": 0.5}, 70.76, 71.01, 3, None),
    # PCI 2025, equal weights (20 % each): +0.5 → +1.00.
    ("2025-equal", 2019, "pci2025", "equal", {"transparency_accountability": 0.5}, None, None, None, None),
    # PCI 2025, 2022 weights through the lineage: resource_access = (10+15+10)/70 = 50 % → +0.5 × 50 / 10.
    ("2025-lineage-2022", 2022, "pci2025", "lineage_2022", {"resource_access": 0.5}, None, None, None, None),
]


@pytest.mark.parametrize("year, view, assumption, changes, before, after, rank_before, rank_after",
                         [c[1:] for c in SIMULATIONS], ids=[c[0] for c in SIMULATIONS])
def test_simulations(con, year, view, assumption, changes, before, after, rank_before, rank_after) -> None:
    base = base_model(con, "haiphong", year, view, assumption or "lineage_2022")
    out = scenarios.outcome(base, changes)
    expected_gain = sum(base.weights[c] * out.table.set_index("code").at[c, "delta"] / 10 for c in changes)
    assert out.composite_delta == pytest.approx(expected_gain, abs=1e-9)
    if before is not None:
        assert out.composite_before == pytest.approx(before, abs=1e-4)
        assert out.composite_after == pytest.approx(after, abs=1e-4)
    if rank_before is not None:
        assert out.rank_before == rank_before
    if rank_after is not None:
        assert out.rank_after == rank_after
    if view == "pci2025":  # every PCI 2025 result carries its assumption
        assert out.notes[0].vi.startswith("Giả định") and "chưa công bố" in out.notes[0].vi


@pytest.mark.parametrize("year, code, gain", [(2010, "time", 1.5), (2019, "transparency", 2.0),
                                              (2022, "informal", 1.5)], ids=["2010", "2019", "2022"])
def test_one_point_is_worth_the_weight_over_ten(con, year: int, code: str, gain: float) -> None:
    out = scenarios.outcome(base_model(con, "haiphong", year), {code: 1.0})
    assert out.composite_delta == pytest.approx(gain)
    assert out.marginal.set_index("code").at[code, "points_per_point"] == pytest.approx(gain)


def test_2022_rank_is_bounded_by_published_composites(con) -> None:
    base = base_model(con, "haiphong", 2022)
    assert not base.rank_supported and base.known["quangninh"] == (72.95, 1)
    # Ranks 1–10 are published: +0.25 (71.01) stays below Bắc Giang's 72.80, so rank 3 is certain.
    small = scenarios.outcome(base, {"transparency": 0.5})
    assert (small.bounds.best, small.bounds.worst, small.rank_after) == (3, 3, 3)
    # −3.00 (67.76) falls below Long An's 68.45 (10th) and stays above Hà Giang's 64.39 (41st): 10–40.
    low = scenarios.outcome(base, {"transparency": -6.0})
    assert (low.bounds.best, low.bounds.worst, low.rank_after) == (10, 40, None)
    # business support 15 %: +1.5 → +2.25 → 73.01 > Quảng Ninh's 72.95: rank 1 for sure.
    big = scenarios.outcome(base, {"business_support": 1.5})
    assert big.composite_after == pytest.approx(73.01) and big.rank_after == 1
    assert big.marginal["gap"].isna().all()  # the year's best scores are unknown, not zero


def test_pci2025_scenario_ranks_under_the_assumption(con) -> None:
    base = base_model(con, "haiphong", 2019, "pci2025", "equal")
    assert base.rank_supported and len(base.scores) == 63
    assert sum(base.weights.values()) == pytest.approx(100)
    assert base.subindices.set_index("code").at["resource_access", "score"] == pytest.approx(
        (6.9049 + 6.8476 + 8.2379) / 3, abs=1e-4)  # mean of land, business support, labour
    out = scenarios.outcome(base, {})
    assert out.rank_before == out.rank_after and 1 <= out.rank_before <= 63
    assert scenario_text.labelled("Xếp hạng", base, "vi") == "Xếp hạng (giả định: trọng số bằng nhau)"
    # the lineage's author, in the reader's language, in the source line and the notes
    assert "Nhóm phát triển dashboard" in scenario_text.source_text(base, "vi")
    en = scenario_text.source_text(base, "en")
    assert "Dashboard development team" in en and "Nhóm phát triển" not in en
    assert any("judgment by Dashboard development team" in n.en for n in base.notes)


def test_pci2025_in_2010_cannot_be_computed(con) -> None:
    base = base_model(con, "haiphong", 2010, "pci2025", "equal")
    assert base.problem is not None and "policy_bias" in base.problem.en
    with pytest.raises(ValueError, match="policy_bias"):
        scenarios.outcome(base, {})


@pytest.mark.parametrize("entity, year, match", [("atlantis", 2019, "unknown province"),
                                                 ("haiphong", 2023, "incomplete"),
                                                 ("quangninh", 2022, r"available: 2005, .*, 2019, 2021\)")],
                         ids=["unknown-entity", "composite-only-year", "other-province-2022"])
def test_base_model_errors(con, entity: str, year: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        base_model(con, entity, year)


def test_outcome_rejects_unknown_codes(con) -> None:
    base = base_model(con, "haiphong", 2019)
    with pytest.raises(ValueError, match="Valid codes: entry"):
        scenarios.outcome(base, {"transparancy": 0.5})


# --------------------------------------------------------------------------- what it takes to reach a rank


@pytest.mark.parametrize(
    "year, target, max_step, kind, needle",
    [
        (2019, 10, None, "success", "đã đạt hạng 10"),
        (2019, 5, None, "info", "cần ít nhất 0,71 điểm"),
        (2019, 1, 0.5, "warning", "Không thể đạt hạng 1"),
        (2022, 1, None, "info", "tăng thêm 2,21 (vượt Quảng Ninh: 72,95, hạng 1)"),
        (2022, 1, 0.1, "warning", "Không thể chắc chắn đạt hạng 1"),
        (2022, 2, None, "info", "tăng thêm 2,06 (vượt Bắc Giang: 72,80, hạng 2)"),
        (2022, 3, None, "success", "đã đạt hạng 3"),
    ],
    ids=["2019-met", "2019-rank5", "2019-rank1-limited", "2022-rank1", "2022-rank1-limited", "2022-rank2",
         "2022-met"],
)
def test_target_message(con, year, target, max_step, kind, needle) -> None:
    out = scenarios.outcome(base_model(con, "haiphong", year), {}, target, max_step=max_step)
    got_kind, text, table = scenario_text.target_message(out, "vi")
    assert got_kind == kind and needle in text
    if kind == "info":
        assert table is not None and not table.empty
        needed = {(2022, 1): 2.21, (2022, 2): 2.06}.get((year, target), 1.4214)
        assert table["Điểm tổng hợp thêm"].sum() == pytest.approx(needed, abs=1e-3)


def test_rank5_plan_in_english(con) -> None:
    out = scenarios.outcome(base_model(con, "haiphong", 2019), {}, 5)
    kind, text, table = scenario_text.target_message(out, "en")
    assert "level with Da Nang" in text and "0.71" in text
    assert table.iloc[0].tolist()[:2] == ["Transparency", 20.0]


# --------------------------------------------------------------------------- display helpers


def test_standings_window(con) -> None:
    base = base_model(con, "haiphong", 2019)
    near_top = scenario_text.standings_window(scenarios.outcome(base, {"transparency": 0.5}))
    assert list(near_top["rank"]) == list(range(1, 13))
    assert near_top.set_index("entity_key").at["haiphong", "rank"] == 6
    low = scenario_text.standings_window(scenarios.outcome(base, {"transparency": -3.0}))
    own = int(low.set_index("entity_key").at["haiphong", "rank"])
    assert own > 9 and low["rank"].min() == own - 8 and len(low) == 12


def test_slider_bounds_keep_scores_on_the_scale(con) -> None:
    base = base_model(con, "haiphong", 2019)
    for r in storage.records(base.subindices):
        assert 0 <= r.score + r.lo <= r.score and r.score <= r.score + r.hi <= 10
        assert r.score + r.hi > 10 - scenarios.STEP and r.score + r.lo < scenarios.STEP
        assert 0.0 in scenarios.slider_options(r.lo, r.hi)


def test_rank_display_without_every_province(con) -> None:
    out = scenarios.outcome(base_model(con, "haiphong", 2022), {"transparency": -6.0})
    value, delta, help_ = scenario_text.rank_display(out, "vi")
    assert value == "hạng 10–40/63" and delta is None and "Hà Giang" in help_
    assert not math.isnan(out.composite_after)


def test_targets_reused_while_sliders_move_give_the_same_outcome(con) -> None:
    base = base_model(con, "haiphong", 2019)
    fixed = scenarios.targets(base, 5, 0.25, 1.0)
    for deltas in ({}, {"transparency": 0.5}, {"labor": -1.0, "entry": 2.0}):
        a = scenarios.outcome(base, deltas, fixed=fixed)
        b = scenarios.outcome(base, deltas, 5, 0.25, 1.0)
        assert (a.composite_after, a.rank_after, a.target_rank, a.max_step) == (b.composite_after, b.rank_after, 5, 1.0)
        assert a.plan.total_improvement == b.plan.total_improvement
        assert a.marginal.equals(b.marginal)
