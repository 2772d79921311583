"""Tests for pci_metrics.domain.whatif: simulation, marginal values, minimal rank plans, PCI 2025 scenarios."""

from __future__ import annotations

import doctest
import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pci_metrics.domain import composite as composite_rule
from pci_metrics.domain import lineage, rank_plans, whatif
from pci_metrics.domain import scenario_weights as scenario_weights_mod
from pci_metrics.domain.lineage import lineage_scores
from pci_metrics.domain.rank_plans import cheapest_plan, gain_for_guaranteed_rank, min_improvement_for_rank, rank_bounds
from pci_metrics.domain.scenario_weights import scenario_weights
from pci_metrics.domain.whatif import (
    composite,
    composites,
    marginal_values,
    parse_change,
    simulate,
)

# Test oracles. The application reads weights and the lineage from the database (frameworks are
# data); these hand-copied tables from docs/domain.md check the maths independently of the store,
# and tests/test_whatif_scenarios.py checks that the store holds the same numbers.
CLASSIC_CODES: tuple[str, ...] = (
    "entry", "land", "transparency", "time", "informal",
    "policy_bias", "proactivity", "business_support", "labor", "legal",
)
PCI2025_CODES: tuple[str, ...] = (
    "market_entry", "resource_access", "transparency_accountability",
    "private_economy", "proactivity_government",
)


def _w(*values: float | None) -> dict[str, float]:
    return {c: float(v) for c, v in zip(CLASSIC_CODES, values, strict=True) if v is not None}


WEIGHTS_BY_PERIOD: dict[str, dict[str, float]] = {
    "2006-2008": _w(5, 5, 15, 10, 5, 5, 15, 15, 15, 10),
    "2009-2012": _w(10, 5, 20, 15, 10, None, 10, 5, 20, 5),
    "2013-2021": _w(5, 5, 20, 5, 10, 5, 5, 20, 20, 5),
    "2022-2024": _w(5, 10, 5, 5, 15, 10, 15, 15, 10, 10),
}
LINEAGE_2025: dict[str, tuple[str, ...]] = {
    "market_entry": ("entry",),
    "resource_access": ("land", "business_support", "labor"),
    "transparency_accountability": ("transparency",),
    "private_economy": ("policy_bias",),
    "proactivity_government": ("proactivity",),
}
ALL_CODES = CLASSIC_CODES + PCI2025_CODES


def weights_for_year(year: int) -> dict[str, float]:
    for period, weights in WEIGHTS_BY_PERIOD.items():
        first, last = (int(y) for y in period.split("-"))
        if first <= year <= last:
            return dict(weights)
    raise ValueError(f"No weights for year {year}")


SEED = Path(__file__).parents[1] / "data" / "seed" / "pci_provinces_2005_2019.csv"


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return pd.read_csv(SEED)


def year_scores(seed: pd.DataFrame, year: int) -> pd.DataFrame:
    return seed[seed["year"] == year].set_index("province_key")[list(CLASSIC_CODES)].astype(float)


@pytest.fixture(scope="module")
def s2019(seed: pd.DataFrame) -> pd.DataFrame:
    return year_scores(seed, 2019)


W2019 = WEIGHTS_BY_PERIOD["2013-2021"]


@pytest.mark.parametrize("module", [whatif, rank_plans, scenario_weights_mod, lineage, composite_rule])
def test_doctests(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- weights


@pytest.mark.parametrize("period", list(WEIGHTS_BY_PERIOD), ids=list(WEIGHTS_BY_PERIOD))
def test_period_weights_sum_to_100(period: str) -> None:
    assert sum(WEIGHTS_BY_PERIOD[period].values()) == pytest.approx(100.0)


@pytest.mark.parametrize(
    "year, code, weight",
    [
        (2006, "transparency", 15.0),
        (2012, "entry", 10.0),
        (2019, "transparency", 20.0),
        (2021, "labor", 20.0),
        (2022, "proactivity", 15.0),
        (2024, "informal", 15.0),
    ],
    ids=["2006", "2012", "2019", "2021", "2022", "2024"],
)
def test_weights_for_year(year: int, code: str, weight: float) -> None:
    assert weights_for_year(year)[code] == weight


def test_policy_bias_not_weighted_2009_2012() -> None:
    assert "policy_bias" not in weights_for_year(2010)


# --------------------------------------------------------------------------- composite


@pytest.mark.parametrize(
    "row, weights, expected",
    [
        ({"a": 8, "b": 6}, {"a": 50, "b": 50}, 70.0),
        ({"a": 10, "b": 10}, {"a": 30, "b": 70}, 100.0),
        ({"a": 0, "b": 0}, {"a": 30, "b": 70}, 0.0),
        ({"a": 5, "b": math.nan}, {"a": 100, "b": 0}, 50.0),
        ({"a": 5, "b": math.nan}, {"a": 50, "b": 50}, math.nan),
    ],
    ids=["simple", "max-100", "zero", "nan-unweighted-ignored", "nan-weighted-gives-nan"],
)
def test_composite(row: dict, weights: dict, expected: float) -> None:
    got = composite(row, weights)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


@pytest.mark.parametrize("year", list(range(2013, 2020)), ids=[str(y) for y in range(2013, 2020)])
def test_recomputed_composites_match_published(seed: pd.DataFrame, year: int) -> None:
    g = seed[seed["year"] == year].set_index("province_key")
    w = weights_for_year(year)
    recomputed = pd.Series({k: composite(r, w) for k, r in g[list(CLASSIC_CODES)].iterrows()})
    assert (recomputed - g["weighted"]).abs().max() < 0.02


# --------------------------------------------------------------------------- simulate


def test_haiphong_2019_transparency_plus_half(s2019: pd.DataFrame, seed: pd.DataFrame) -> None:
    sim = simulate(s2019, W2019, "haiphong", {"transparency": 0.5})
    # Hand check: 0.5 point × 20 % weight → 0.5 × 20 / 10 = 1.00 composite point.
    assert sim.composite_delta == pytest.approx(1.00, abs=1e-9)
    assert sim.composite_before == pytest.approx(68.7326, abs=0.001)  # published 68.7326
    assert sim.composite_after == pytest.approx(69.7326, abs=0.001)
    assert sim.n_provinces == 63
    # Published 2019 order: ... 5 Đà Nẵng 70.1539, 6 Quảng Nam 69.4209, ..., 10 Hải Phòng 68.7326.
    # 69.73 sits between Đà Nẵng and Quảng Nam, so Hải Phòng moves 10 → 6.
    assert (sim.rank_before, sim.rank_after) == (10, 6)
    assert sim.places_gained == 4
    published = seed[seed["year"] == 2019].set_index("province_key")["weighted"].drop("haiphong")
    assert sim.rank_after == 1 + int((published > sim.composite_after).sum())
    assert sim.applied == {"transparency": 0.5}
    assert sim.notes == ()


@pytest.mark.parametrize(
    "code, delta, applied, new_score",
    [
        ("a", +5.0, 2.0, 10.0),
        ("a", +2.0, 2.0, 10.0),
        ("b", -12.0, -6.0, 0.0),
        ("b", -6.0, -6.0, 0.0),
    ],
    ids=["clip-at-10", "exactly-10-no-clip", "clip-at-0", "exactly-0-no-clip"],
)
def test_simulate_clipping(code: str, delta: float, applied: float, new_score: float) -> None:
    scores = pd.DataFrame({"a": [8.0, 7.0], "b": [6.0, 9.0]}, index=["x", "y"])
    sim = simulate(scores, {"a": 50, "b": 50}, "x", {code: delta})
    assert sim.applied[code] == pytest.approx(applied)
    row = {"a": 8.0, "b": 6.0} | {code: new_score}
    assert sim.composite_after == pytest.approx(composite(row, {"a": 50, "b": 50}))
    clipped = applied != delta
    assert any("clipped" in n.en for n in sim.notes) == clipped
    assert any("thang 0–10" in n.vi for n in sim.notes) == clipped


def test_simulate_clipping_real_row(s2019: pd.DataFrame) -> None:
    sim = simulate(s2019, W2019, "haiphong", {"labor": +3.0})
    assert sim.applied["labor"] == pytest.approx(10.0 - 8.2379)
    assert sim.composite_delta == pytest.approx((10.0 - 8.2379) * 20 / 10)


@pytest.mark.parametrize(
    "changes",
    [{"transparency": 0.0}, {}, {"labor": 0.0, "entry": 0.0}],
    ids=["one-zero", "no-changes", "two-zeros"],
)
def test_zero_change_changes_nothing(s2019: pd.DataFrame, changes: dict) -> None:
    sim = simulate(s2019, W2019, "haiphong", changes)
    assert sim.composite_after == sim.composite_before
    assert sim.rank_after == sim.rank_before == 10
    assert all(v == 0 for v in sim.applied.values())


def test_simulate_unweighted_subindex_noted() -> None:
    scores = pd.DataFrame({"a": [8.0, 7.0], "b": [6.0, 9.0]}, index=["x", "y"])
    sim = simulate(scores, {"a": 100}, "x", {"b": 1.0})
    assert sim.composite_delta == 0
    assert any("no weight" in n.en for n in sim.notes)


def test_simulate_other_province_missing_is_not_ranked() -> None:
    scores = pd.DataFrame({"a": [8.0, 9.0, math.nan]}, index=["x", "y", "z"])
    sim = simulate(scores, {"a": 100}, "x", {"a": 2.0})
    assert (sim.n_provinces, sim.rank_before, sim.rank_after) == (2, 2, 1)
    assert any("z" in n.en for n in sim.notes)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"entity": "atlantis"}, "No province"),
        ({"changes": {"transparancy": 0.5}}, "Valid codes"),
        ({"weights": {"transparency": 50}}, "sum to 100"),
        ({"weights": {"transparency": 120, "labor": -20}}, "non-negative"),
        ({"changes": {"labor": math.inf}}, "finite"),
    ],
    ids=["unknown-entity", "unknown-code", "weights-not-100", "negative-weight", "infinite-change"],
)
def test_simulate_errors(s2019: pd.DataFrame, kwargs: dict, match: str) -> None:
    args = {"weights": W2019, "entity": "haiphong", "changes": {"labor": 0.1}} | kwargs
    with pytest.raises(ValueError, match=match):
        simulate(s2019, **args)


# --------------------------------------------------------------------------- parse_change


@pytest.mark.parametrize(
    "text, expected",
    [
        ("transparency=+0.5", ("transparency", 0.5)),
        ("labor=-0.2", ("labor", -0.2)),
        ("entry=0.3", ("entry", 0.3)),
        ("  legal = 1 ", ("legal", 1.0)),
        ("land=0,5", ("land", 0.5)),
        ("Informal=.25", ("informal", 0.25)),
        ("market_entry=+1", ("market_entry", 1.0)),
    ],
    ids=["plus", "minus", "unsigned", "spaces-int", "decimal-comma", "uppercase-leading-dot", "pci2025-code"],
)
def test_parse_change(text: str, expected: tuple[str, float]) -> None:
    code, value = parse_change(text, ALL_CODES)
    assert code == expected[0]
    assert value == pytest.approx(expected[1])


@pytest.mark.parametrize(
    "text, match",
    [
        ("transparancy=+0.5", "Unknown sub-index"),
        ("transparency+0.5", "expected code=number"),
        ("transparency=abc", "expected code=number"),
        ("transparency=", "expected code=number"),
        ("transparency=nan", "expected code=number"),
        ("transparency=1e3", "expected code=number"),
        ("", "expected code=number"),
        ("labor=+11", "exceeds"),
    ],
    ids=["typo-code", "no-equals", "not-a-number", "empty-value", "nan", "exponent", "empty", "beyond-10"],
)
def test_parse_change_errors(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match) as exc:
        parse_change(text, ALL_CODES)
    msg = str(exc.value)
    if match != "exceeds":
        # Bilingual and names the valid codes, so the user can fix the typo alone.
        assert "Mã hợp lệ" in msg and "Valid codes" in msg
        assert all(code in msg for code in CLASSIC_CODES)


def test_parse_change_custom_codes() -> None:
    with pytest.raises(ValueError, match="Valid codes: a, b"):
        parse_change("entry=1", valid_codes=["a", "b"])


# --------------------------------------------------------------------------- marginal values


def test_marginal_values_haiphong_2019(s2019: pd.DataFrame) -> None:
    mv = marginal_values(s2019, W2019, "haiphong").set_index("code")
    assert list(mv.columns) == [
        "weight", "score", "best_score", "best_province", "gap", "points_per_point", "points_closing_gap",
    ]
    t = mv.loc["transparency"]
    assert t["points_per_point"] == 2.0
    assert t["best_province"] == "angiang"
    assert t["gap"] == pytest.approx(7.4368 - 6.4964)
    assert t["points_closing_gap"] == pytest.approx(2.0 * (7.4368 - 6.4964) * 0.5)
    # Hải Phòng leads labour in 2019: no gap.
    assert mv.loc["labor", "gap"] == 0 and mv.loc["labor", "best_province"] == "haiphong"
    vals = marginal_values(s2019, W2019, "haiphong")["points_closing_gap"].to_list()
    assert vals == sorted(vals, reverse=True)


@pytest.mark.parametrize("fraction", [0.0, 0.5, 1.0], ids=["none", "half", "all"])
def test_marginal_values_fraction(fraction: float) -> None:
    s = pd.DataFrame({"a": [6.0, 7.0, 7.0], "b": [5.0, 9.0, 1.0]}, index=["x", "y", "z"])
    mv = marginal_values(s, {"a": 80, "b": 20}, "x", gap_fraction=fraction).set_index("code")
    assert mv.loc["a", "best_province"] == "y, z"  # ties are all named
    assert mv.loc["a", "points_closing_gap"] == pytest.approx(8.0 * 1.0 * fraction)
    assert mv.loc["b", "points_closing_gap"] == pytest.approx(2.0 * 4.0 * fraction)


def test_marginal_values_bad_fraction(s2019: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="gap_fraction"):
        marginal_values(s2019, W2019, "haiphong", gap_fraction=1.5)


# --------------------------------------------------------------------------- min improvement: real data


@pytest.mark.parametrize(
    "target, total, plan_codes, rank_after",
    [
        (10, 0.0, [], 10),
        (12, 0.0, [], 10),
        (5, (70.1539 - 68.7325) / 2, ["transparency"], 5),
        (1, 0.9404 + 0.5469 + (73.3966 - 68.7325 - 1.8808 - 1.0938), ["transparency", "business_support", "informal"], 1),
    ],
    ids=["rank10-met", "rank12-met", "rank5", "rank1"],
)
def test_haiphong_2019_rank_plans(
    s2019: pd.DataFrame, target: int, total: float, plan_codes: list[str], rank_after: int
) -> None:
    p = min_improvement_for_rank(s2019, W2019, "haiphong", target)
    assert p.reachable
    assert p.already_met == (total == 0)
    assert p.total_improvement == pytest.approx(total, abs=2e-4)
    assert p.plan["code"].to_list() == plan_codes
    assert p.rank_after == rank_after
    assert p.rank_before == 10
    if plan_codes:
        assert p.composite_after == pytest.approx(p.threshold, abs=1e-9)  # a tie suffices


def test_haiphong_2019_rank1_unreachable_with_step_limit(s2019: pd.DataFrame) -> None:
    p = min_improvement_for_rank(s2019, W2019, "haiphong", 1, max_delta=0.5)
    assert not p.reachable
    assert p.best_reachable_rank == 2 and p.rank_after == 2
    assert "unreachable" in p.reason_en and "Không thể" in p.reason_vi
    assert (p.plan["delta"] <= 0.5 + 1e-12).all()


# --------------------------------------------------------------------------- min improvement vs brute force


def naive_rank(entity_composite: float, others: np.ndarray) -> int:
    """pandas "min" rank after rounding away float noise (composites equal to 1e-9 tie)."""
    allc = pd.Series(np.append(others, entity_composite)).round(9)
    return int(allc.rank(method="min", ascending=False).iloc[-1])


def lp_min_effort(a: np.ndarray, u: np.ndarray, b: float) -> float:
    """min Σ Δ s.t. a·Δ ≥ b, 0 ≤ Δ ≤ u, by enumerating LP vertices (≤ 1 coordinate off its bounds)."""
    if b <= 0:
        return 0.0
    m = len(a)
    best = math.inf
    for free in [None, *range(m)]:
        fixed = [i for i in range(m) if i != free]
        for bounds in itertools.product([0, 1], repeat=len(fixed)):
            d = np.zeros(m)
            for i, at_upper in zip(fixed, bounds, strict=True):
                d[i] = u[i] if at_upper else 0.0
            if free is not None:
                rest = b - float(a @ d)
                if a[free] <= 0:
                    continue
                d[free] = rest / a[free]
                if d[free] < -1e-12 or d[free] > u[free] + 1e-12:
                    continue
            if float(a @ d) >= b - 1e-9:
                best = min(best, float(d.sum()))
    return best


def brute_force(scores: pd.DataFrame, weights: dict, entity: str, target: int, max_delta: float | None):
    """Exact optimum by trying every other province's composite as the bar, checked with a naive rank."""
    codes = [c for c, w in weights.items() if w > 0]
    a = np.array([weights[c] / 10 for c in codes])
    s = scores.loc[entity, codes].to_numpy(float)
    u = np.maximum(scores[codes].max().to_numpy(float) - s, 0)
    if max_delta is not None:
        u = np.minimum(u, max_delta)
    comps = scores[codes].to_numpy(float) @ a
    c0 = float(scores.loc[entity, codes].to_numpy(float) @ a)
    others = np.delete(comps, list(scores.index).index(entity))
    best = math.inf
    for bar in [-math.inf, *others]:
        effort = lp_min_effort(a, u, bar - c0)
        if effort == math.inf:
            continue
        # The effort buys exactly c0 + max(0, bar - c0); check the rank naively.
        if naive_rank(c0 + max(0.0, bar - c0), others) <= target:
            best = min(best, effort)
    return best, a, u, c0, others


def grid_min(a: np.ndarray, u: np.ndarray, c0: float, others: np.ndarray, target: int, step: float) -> float:
    """Smallest Σ Δ over a grid of step ``step`` whose naive rank meets the target (inf if none)."""
    axes = [np.arange(round(ui / step) + 1) * step for ui in u]
    grid = np.stack([g.ravel() for g in np.meshgrid(*axes, indexing="ij")], axis=1)
    comp = c0 + grid @ a
    ranks = 1 + (others[None, :] > comp[:, None] + 1e-9).sum(axis=1)
    ok = ranks <= target
    return float(grid[ok].sum(axis=1).min()) if ok.any() else math.inf


def check_against_brute_force(scores: pd.DataFrame, weights: dict, entity: str, target: int,
                              max_delta: float | None = None) -> rank_plans.RankPlan:
    p = min_improvement_for_rank(scores, weights, entity, target, max_delta=max_delta)
    best, a, u, c0, others = brute_force(scores, weights, entity, target, max_delta)
    assert p.reachable == (best < math.inf)
    if p.reachable:
        assert p.total_improvement == pytest.approx(best, abs=1e-9)
        assert p.rank_after <= target
        assert naive_rank(p.composite_after, others) <= target
        # Bounds hold.
        for rec in p.plan.itertuples(index=False):
            i = [c for c, w in weights.items() if w > 0].index(rec.code)
            assert -1e-12 <= rec.delta <= u[i] + 1e-12
        # Independent coarse check: a grid can't beat the optimum, and rounding the plan up lands on it.
        g = grid_min(a, u, c0, others, target, step=0.05)
        assert g >= p.total_improvement - 1e-6
        assert g <= p.total_improvement + 0.05 * len(a) + 1e-9
    else:
        assert grid_min(a, u, c0, others, target, step=0.05) == math.inf
        assert p.reason_en and p.reason_vi
        assert p.best_reachable_rank > target
        assert p.rank_after == p.best_reachable_rank
    if p.already_met:
        assert p.total_improvement == 0 and p.plan.empty and p.rank_after == p.rank_before <= target
    return p


SMALL_CASES = [
    # id, {province: scores}, weights, entity, target, max_delta, expected total (None = unreachable)
    ("already-met-rank1", {"x": (8, 8), "y": (7, 7), "z": (6, 6)}, {"a": 50, "b": 50}, "x", 1, None, 0.0),
    ("already-met-last", {"x": (5, 5), "y": (7, 7), "z": (6, 6)}, {"a": 50, "b": 50}, "x", 3, None, 0.0),
    ("tie-suffices", {"x": (6, 6), "y": (7, 6)}, {"a": 50, "b": 50}, "x", 1, None, 1.0),
    ("heavier-first", {"x": (5, 5), "y": (7, 7), "z": (6, 6)}, {"a": 80, "b": 20}, "x", 2, None, 1.25),  # 10 pts / 8
    ("heavier-capped-then-light", {"x": (5, 5), "y": (6, 9), "z": (5.5, 5)}, {"a": 80, "b": 20}, "x", 1, None,
     1.0 + 4.0),  # a to its cap 6 (+8 points), then b +4 (+8 points): 50 → 66 ties y
    ("three-subindices", {"x": (5, 5, 5), "y": (6, 8, 7), "z": (5.5, 6, 6), "w": (7, 5, 5)},
     {"a": 20, "b": 50, "c": 30}, "x", 1, None, None),
    ("unreachable-step-limit", {"x": (5, 5), "y": (8, 8), "z": (6, 6)}, {"a": 50, "b": 50}, "x", 1, 1.0, "inf"),
    ("reachable-step-limit", {"x": (5, 5), "y": (8, 8), "z": (6, 6)}, {"a": 50, "b": 50}, "x", 2, 1.0, 2.0),
]


@pytest.mark.parametrize(
    "provinces, weights, entity, target, max_delta, expected",
    [c[1:] for c in SMALL_CASES],
    ids=[c[0] for c in SMALL_CASES],
)
def test_min_improvement_small_cases(provinces, weights, entity, target, max_delta, expected) -> None:
    scores = pd.DataFrame.from_dict(provinces, orient="index", columns=list(weights), dtype=float)
    p = check_against_brute_force(scores, weights, entity, target, max_delta)
    if expected == "inf":
        assert not p.reachable
    elif expected is not None:
        assert p.total_improvement == pytest.approx(expected)


def random_case(seed: int):
    rng = np.random.default_rng(seed)
    n_prov = int(rng.integers(3, 6))
    m = int(rng.integers(2, 4))
    codes = ["a", "b", "c"][:m]
    cuts = np.sort(rng.choice(np.arange(1, 20), size=m - 1, replace=False))
    w = np.diff(np.concatenate([[0], cuts, [20]])) * 5  # multiples of 5 summing to 100
    weights = {c: float(v) for c, v in zip(codes, w, strict=True)}
    grid = rng.integers(80, 180, size=(n_prov, m)) * 0.05  # scores 4.0–8.95 on the 0.05 grid
    scores = pd.DataFrame(grid, index=[f"p{i}" for i in range(n_prov)], columns=codes)
    if seed % 4 == 0:  # force exact ties between rivals
        scores.iloc[-1] = scores.iloc[-2]
    entity = str(rng.choice(scores.index))
    target = int(rng.integers(1, n_prov + 1))
    max_delta = [None, 0.5, 1.0][seed % 3]
    return scores, weights, entity, target, max_delta


@pytest.mark.parametrize("seed", range(40), ids=[f"random-{i}" for i in range(40)])
def test_min_improvement_random_vs_brute_force(seed: int) -> None:
    check_against_brute_force(*random_case(seed))


def test_random_cases_cover_all_outcomes() -> None:
    outcomes = set()
    for seed in range(40):
        p = min_improvement_for_rank(*random_case(seed)[:4], max_delta=random_case(seed)[4])
        outcomes.add("met" if p.already_met else "reachable" if p.reachable else "unreachable")
    assert outcomes == {"met", "reachable", "unreachable"}


def test_default_caps_make_rank1_always_reachable(s2019: pd.DataFrame) -> None:
    # Matching every year-best sub-index dominates every province, so rank 1 (tied) is reachable for all.
    for entity in s2019.index[::7]:
        assert min_improvement_for_rank(s2019, W2019, entity, 1).reachable


def test_margin_demands_strictly_more() -> None:
    scores = pd.DataFrame({"a": [6.0, 7.0, 9.0], "b": [6.0, 6.0, 9.0]}, index=["x", "y", "z"])
    p = min_improvement_for_rank(scores, {"a": 50, "b": 50}, "x", 2, margin=0.5)
    assert p.total_improvement == pytest.approx(1.1)  # 65 + 0.5 − 60 = 5.5 points at 5 per sub-index point
    assert p.composite_after == pytest.approx(65.5)
    p = min_improvement_for_rank(scores.drop(index="z"), {"a": 100, "b": 0}, "x", 1, margin=0.5)
    assert not p.reachable  # cap of a is y's 7.0: x can only tie


@pytest.mark.parametrize("target", [0, -1, 1.5, True], ids=["zero", "negative", "float", "bool"])
def test_min_improvement_bad_target(s2019: pd.DataFrame, target) -> None:
    with pytest.raises(ValueError, match="target_rank"):
        min_improvement_for_rank(s2019, W2019, "haiphong", target)


# --------------------------------------------------------------------------- PCI 2025 scenarios


@pytest.mark.parametrize("assumption", ["equal", "lineage_2022"], ids=["equal", "lineage_2022"])
def test_scenario_weights_sum_to_100(assumption: str) -> None:
    sc = scenario_weights(assumption, LINEAGE_2025, WEIGHTS_BY_PERIOD["2022-2024"])
    assert sum(sc.weights.values()) == pytest.approx(100.0)
    assert set(sc.weights) == set(PCI2025_CODES)
    assert sc.label_vi.startswith("Giả định") and "chưa công bố" in sc.label_vi
    assert sc.label_en.startswith("Assumption") and "not yet published" in sc.label_en


def test_scenario_equal_label_and_values() -> None:
    sc = scenario_weights("equal", LINEAGE_2025)
    assert sc.label_vi == "Giả định: trọng số bằng nhau (PCI 2025 chưa công bố trọng số)"
    assert all(v == 20.0 for v in sc.weights.values())


@pytest.mark.parametrize(
    "code, expected",
    [
        # 2022 weights continued: entry 5; land 10 + business_support 15 + labor 10 = 35;
        # transparency 5; policy_bias 10; proactivity 15 → total 70, renormalised to 100.
        ("market_entry", 5 / 70 * 100),
        ("resource_access", 50.0),
        ("transparency_accountability", 5 / 70 * 100),
        ("private_economy", 10 / 70 * 100),
        ("proactivity_government", 15 / 70 * 100),
    ],
    ids=list(PCI2025_CODES),
)
def test_scenario_lineage_2022_values(code: str, expected: float) -> None:
    sc = scenario_weights("lineage_2022", LINEAGE_2025, WEIGHTS_BY_PERIOD["2022-2024"])
    assert sc.weights[code] == pytest.approx(expected)


def test_scenario_shared_classic_code_split() -> None:
    sc = scenario_weights("lineage_2022", {"n1": ["a"], "n2": ["a", "b"]}, {"a": 60, "b": 40})
    assert sc.weights == pytest.approx({"n1": 30.0, "n2": 70.0})


@pytest.mark.parametrize(
    "assumption, lineage, classic, match",
    [
        ("weighted", LINEAGE_2025, None, "Unknown assumption"),
        ("lineage_2022", {"n1": []}, {"a": 100}, "continues no classic"),
        ("lineage_2022", {"n1": ["nope"]}, {"a": 100}, "No 2022 weight"),
        ("lineage_2022", LINEAGE_2025, None, "needs the PCI 2022 weights"),
    ],
    ids=["unknown-assumption", "empty-lineage", "unknown-classic-code", "no-classic-weights"],
)
def test_scenario_errors(assumption, lineage, classic, match) -> None:
    with pytest.raises(ValueError, match=match):
        scenario_weights(assumption, lineage, classic)


def test_lineage_scores_mean_and_missing() -> None:
    wide = pd.DataFrame(
        {"entry": [7.0, 6.0], "land": [6.0, 5.0], "business_support": [7.0, 5.0], "labor": [8.0, 5.0],
         "transparency": [6.0, 5.0], "policy_bias": [math.nan, 5.0], "proactivity": [6.0, 5.0]},
        index=["x", "y"],
    )
    out = lineage_scores(wide, LINEAGE_2025)
    assert list(out.columns) == list(PCI2025_CODES)
    assert out.loc["x", "resource_access"] == pytest.approx(7.0)
    assert math.isnan(out.loc["x", "private_economy"])  # missing classic → NaN, not a partial mean
    assert out.loc["y"].tolist() == [6.0, 5.0, 5.0, 5.0, 5.0]
    with pytest.raises(ValueError, match="Missing column"):
        lineage_scores(wide.drop(columns="labor"), LINEAGE_2025)


def test_scenario_end_to_end_labelled(s2019: pd.DataFrame) -> None:
    sc = scenario_weights("equal", LINEAGE_2025)
    new = lineage_scores(s2019, LINEAGE_2025)
    sim = simulate(new, sc, "haiphong", {"transparency_accountability": 0.5})
    assert sim.composite_delta == pytest.approx(0.5 * 20 / 10)
    assert sim.notes[0].vi == sc.label_vi  # the assumption travels with the result
    plan = min_improvement_for_rank(new, sc, "haiphong", 1)
    assert plan.notes[0].en == sc.label_en
    assert plan.rank_after == 1


# --------------------------------------------------------------------------- composites (vectorised)


def test_composites_are_bitwise_the_single_row_composite(s2019: pd.DataFrame) -> None:
    # Ranks compare the entity's composite (composite()) with its rivals' (composites()): a tie must stay a tie.
    comps = composites(s2019, W2019)
    for key, row in s2019.iterrows():
        assert comps[key] == composite(row.to_dict(), W2019)
    assert comps["haiphong"] == pytest.approx(68.7325, abs=1e-4)


# --------------------------------------------------------------------------- cheapest plan (no rivals known)


@pytest.mark.parametrize(
    "needed, caps, plan",
    [
        pytest.param(0.0, {"a": 10, "b": 10, "c": 10}, [], id="nothing-needed"),
        pytest.param(1.5, {"a": 10, "b": 10, "c": 10}, [("b", 1.0)], id="heaviest-first"),
        # b and c weigh the same (15 %): the one with more headroom goes first; d (60 %) is at its cap.
        pytest.param(2.25, {"a": 10, "b": 7, "c": 10}, [("c", 1.5)], id="tie-larger-headroom-first"),
        pytest.param(6.0, {"a": 10, "b": 7, "c": 8}, [("c", 2.0), ("b", 1.0), ("a", 1.5)], id="fill-then-lighter"),
    ],
)
def test_cheapest_plan(needed: float, caps: dict, plan: list) -> None:
    row = {"a": 6.0, "b": 6.0, "c": 6.0}
    weights = {"a": 10, "b": 15, "c": 15, "d": 60}
    got = cheapest_plan(row | {"d": 5.0}, weights, needed, caps | {"d": 5.0})
    assert [(r.code, round(r.delta, 9)) for r in got.itertuples()] == plan
    if plan:
        assert got["points"].sum() == pytest.approx(needed)


# --------------------------------------------------------------------------- rank bounds (partial years)

KNOWN_2022 = {"quangninh": (72.95, 1)}


@pytest.mark.parametrize(
    "gain, known, best, worst",
    [
        pytest.param(0.0, KNOWN_2022, 3, 3, id="no-change-keeps-rank"),
        pytest.param(1.0, KNOWN_2022, 2, 3, id="behind-the-leader"),
        pytest.param(2.19, KNOWN_2022, 1, 3, id="within-rounding-of-the-leader"),  # 72.95 vs 72.95: unknown order
        pytest.param(2.25, KNOWN_2022, 1, 1, id="passes-the-leader"),
        pytest.param(-1.0, KNOWN_2022, 3, 63, id="a-loss-only-bounds-from-above"),
        pytest.param(-1.0, {"x": (70.5, 4), "y": (69.0, 20)}, 4, 19, id="between-two-known"),  # 69.76: x above, y below
        pytest.param(0.5, {"x": (70.5, 4)}, 1, 3, id="rival-below-stays-below"),
    ],
)
def test_rank_bounds_table(gain: float, known: dict, best: int, worst: int) -> None:
    b = rank_bounds(70.76, 3, gain, known, 63)
    assert (b.best, b.worst) == (best, worst)
    assert b.exact == (best == worst)


def _random_year(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 40))
    true = rng.normal(65, 3, n).round(4)
    if seed % 3 == 0:
        true[1] = true[0]  # a tie
    published = true.round(2)
    ranks = np.array([1 + int((true > v).sum()) for v in true])
    return true, published, ranks


@pytest.mark.parametrize("seed", range(60), ids=[f"random-{i}" for i in range(60)])
def test_rank_bounds_contain_the_true_rank(seed: int) -> None:
    """Hide all but a few provinces, simulate a gain, and check the true rank lies within the bounds."""
    true, published, ranks = _random_year(seed)
    rng = np.random.default_rng(1000 + seed)
    n = len(true)
    e = int(rng.integers(0, n))
    others = [i for i in range(n) if i != e]
    shown = rng.choice(others, size=min(len(others), int(rng.integers(0, 6))), replace=False)
    known = {f"p{i}": (float(published[i]), int(ranks[i])) for i in shown}
    for gain in (-3.0, -0.5, 0.0, 0.003, 0.5, 1.7, 4.0):
        x = true[e] + gain
        true_rank = 1 + int((np.delete(true, e) > x).sum())
        b = rank_bounds(float(published[e]), int(ranks[e]), gain, known, n)
        assert b.best <= true_rank <= b.worst, (gain, known)
        # and the guaranteed gain really guarantees: after it, the worst case meets the target
        for target in (1, 3):
            g = gain_for_guaranteed_rank(float(published[e]), int(ranks[e]), target, known)
            if g is not None:
                after = rank_bounds(float(published[e]), int(ranks[e]), g[0], known, n)
                assert after.worst <= target
                assert 1 + int((np.delete(true, e) > true[e] + g[0]).sum()) <= target


@pytest.mark.parametrize(
    "rank, target, known, expected",
    [
        pytest.param(3, 1, KNOWN_2022, (2.21, "quangninh"), id="pass-the-leader"),
        pytest.param(3, 3, KNOWN_2022, (0.0, None), id="already-met"),
        pytest.param(10, 5, {"a": (72.0, 5), "b": (71.0, 8)}, (1.27, "a"), id="pass-the-fifth"),  # > 72.00 + 0.01
        pytest.param(10, 7, {"a": (72.0, 5), "b": (71.0, 8)}, (1.27, "a"), id="eighth-is-not-enough"),
        pytest.param(10, 8, {"a": (72.0, 5), "b": (71.0, 8)}, (0.27, "b"), id="passing-the-eighth-gives-8"),
        pytest.param(10, 2, {"a": (72.0, 5)}, None, id="nobody-known-above"),
    ],
)
def test_gain_for_guaranteed_rank(rank: int, target: int, known: dict, expected) -> None:
    composite_ = 70.76 if known is KNOWN_2022 else 70.75
    assert gain_for_guaranteed_rank(composite_, rank, target, known) == expected
