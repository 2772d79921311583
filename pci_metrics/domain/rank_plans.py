"""What it takes to reach a rank: the cheapest plan of sub-index rises, and, where only a few
provinces' published composites are known, what they prove about a simulated rank.

Model.  Rank r is reached iff the composite is ≥ the r-th best composite among the *other*
provinces (``threshold``): with "min" ranking an equal composite shares the rank, so a tie
suffices (within EPS = 1e-9).  ``margin`` > 0 demands that many composite points above the
threshold (e.g. to beat a rival outright).  Each Δ_i ≥ 0 and s_i + Δ_i ≤ cap_i, the best score
any province reached that year (and ≤ 10); ``max_delta`` adds an optional Δ_i ≤ max_delta_i
limit (a number for all, or per code).  With the default caps rank 1 is always reachable
(matching every year-best sub-index dominates every province), so "unreachable" needs
margin/max_delta.

Optimality (fractional knapsack).  Moving ε of effort from a sub-index of weight w_j to one of
weight w_i > w_j with headroom left and scaling it to ε·w_j/w_i keeps the composite gain and
cuts Σ Δ by ε(1 − w_j/w_i) > 0, so no optimal plan leaves a heavier sub-index unfilled while
using a lighter one.  Hence filling sub-indices in descending weight order (the last one
partially) — the greedy plan — is optimal; ties in weight cost the same, and are broken by the
larger gap to the year's best, then code order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from pci_metrics.domain.composite import EPS, rank_of_value, weighted_sums
from pci_metrics.domain.whatif import (
    Note,
    WeightScenario,
    check_frame,
    composite,
    entity_composite,
    ranked_others,
    resolve_weights,
    row_dict,
)

#: Published composites are rounded to 2 decimals: two of them (each ±0.005) can only be
#: ordered for sure when they differ by more than this.
PUBLISHED_TOLERANCE = 0.01

PLAN_COLUMNS = ["code", "weight", "from", "to", "delta", "points"]

Item = tuple[str, float, float, float]  # code, weight, score, headroom


@dataclass(frozen=True)
class RankPlan:
    """Outcome of :func:`min_improvement_for_rank`.

    When ``reachable`` is False, ``plan``/``total_improvement``/``composite_after``/
    ``rank_after`` describe the cheapest plan for ``best_reachable_rank`` instead,
    and ``reason_vi``/``reason_en`` say why the target cannot be met.
    """

    entity: str
    target_rank: int
    reachable: bool
    already_met: bool
    threshold: float  # composite to reach (the target_rank-th best other province), -inf if none
    threshold_provinces: tuple[str, ...]  # province(s) holding that composite
    needed_points: float  # composite points still needed for the target (0 if met)
    total_improvement: float  # Σ Δ_i in sub-index points
    plan: pd.DataFrame  # columns code, weight, from, to, delta, points; only Δ_i > 0 rows
    composite_before: float
    composite_after: float
    rank_before: int
    rank_after: int
    best_reachable_rank: int
    n_provinces: int
    reason_vi: str | None = None
    reason_en: str | None = None
    notes: tuple[Note, ...] = field(default=())

    def reason(self, lang: str = "vi") -> str | None:
        """Why the target is unreachable, in ``lang``; None when reachable."""
        return self.reason_vi if lang == "vi" else self.reason_en

    def notes_in(self, lang: str = "vi") -> list[str]:
        """The notes as text in ``lang``."""
        return [n.text(lang) for n in self.notes]



# --------------------------------------------------------------------------- cheapest plans


def _greedy(items: Sequence[Item], needed: float) -> pd.DataFrame:
    """Fill sub-indices in the given (weight-descending) order until ``needed`` points are covered.

    items: (code, weight, score, headroom).  Rows only for Δ > 0.
    """
    rows = []
    remaining = needed
    for code, w, s, head in items:
        if remaining <= 0:
            break
        d = min(head, remaining * 10.0 / w)
        if d <= 0:
            continue
        remaining -= w * d / 10.0
        rows.append({"code": code, "weight": w, "from": s, "to": s + d, "delta": d, "points": w * d / 10.0})
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def cheapest_plan(
    row: Mapping[str, float],
    weights: Mapping[str, float] | WeightScenario,
    needed_points: float,
    caps: Mapping[str, float],
) -> pd.DataFrame:
    """Smallest Σ Δ (sub-index points) adding ``needed_points`` to the composite, each score ≤ its cap.

    The same fractional knapsack as :func:`min_improvement_for_rank` (heaviest
    weight first, ties by the larger headroom, then weight order), for when
    the rivals are not known and only a composite gain is asked.  Columns code,
    weight, from, to, delta, points; empty when nothing is needed.  If the caps
    do not allow the gain, the plan fills every sub-index to its cap and
    ``points`` sums to less than asked (the caller compares).

    >>> cheapest_plan({"a": 6.0, "b": 6.0}, {"a": 20, "b": 80}, 4.0, {"a": 10, "b": 10})[["code", "delta"]].to_dict("records")
    [{'code': 'b', 'delta': 0.5}]
    """
    ws, _ = resolve_weights(weights)
    order = {c: i for i, c in enumerate(ws)}
    items = []
    for code, w in ws.items():
        if w == 0:
            continue
        s = float(row[code])
        head = max(0.0, min(10.0, float(caps.get(code, 10.0))) - s)
        items.append((code, w, s, head))
    items.sort(key=lambda t: (-t[1], -t[3], order[t[0]]))
    if needed_points <= EPS:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    return _greedy(items, needed_points).reset_index(drop=True)

def _checked_target(target_rank: int, margin: float) -> int:
    if isinstance(target_rank, bool) or not isinstance(target_rank, (int, np.integer)) or target_rank < 1:
        raise ValueError(f"Hạng mục tiêu phải là số nguyên ≥ 1 (đang là {target_rank!r}) / "
                         f"target_rank must be an integer ≥ 1 (got {target_rank!r})")
    if not (math.isfinite(margin) and margin >= 0):
        raise ValueError(f"margin phải ≥ 0 (đang là {margin}) / margin must be ≥ 0 (got {margin})")
    return int(target_rank)


def _plan_items(scores: pd.DataFrame, row: pd.Series, ws: Mapping[str, float],
                max_delta: float | Mapping[str, float] | None) -> list[Item]:
    """Sub-indices that can help, best value first (see the module's proof): the heaviest weight
    first, ties by the larger gap to the year's best, then the weights' order."""
    items: list[tuple[str, float, float, float, float]] = []  # code, w, s, head, gap
    order = {c: i for i, c in enumerate(ws)}
    for code, w in ws.items():
        if w == 0:
            continue
        s = float(row[code])
        cap = min(10.0, float(scores[code].astype(float).max()))
        gap = max(0.0, cap - s)
        head = gap
        if max_delta is not None:
            lim = max_delta.get(code, math.inf) if isinstance(max_delta, Mapping) else max_delta
            if lim < 0:
                raise ValueError(f"max_delta phải ≥ 0 ({code}) / max_delta must be ≥ 0 ({code})")
            head = min(head, float(lim))
        items.append((code, w, s, head, gap))
    items.sort(key=lambda t: (-t[1], -t[4], order[t[0]]))
    return [(c, w, s, h) for c, w, s, h, _ in items]


@dataclass(frozen=True)
class _Goal:
    """Where the entity stands against the target, before any plan."""

    target_rank: int
    rank0: int
    n: int
    threshold: float
    holders: tuple[str, ...]
    needed: float
    capacity: float
    margin: float
    goal_rank: int
    goal_needed: float

    @property
    def reachable(self) -> bool:
        return self.needed <= self.capacity + EPS

    @property
    def already_met(self) -> bool:
        return self.needed <= EPS


def _goal(c0: float, others: pd.Series, target_rank: int, margin: float, capacity: float) -> _Goal:
    """The threshold to pass and the best rank the capacity allows (rank n always is: there is no
    threshold below the last place)."""
    values = others.to_numpy(dtype=float)
    n = len(values) + 1

    def threshold_for(r: int) -> float:
        # r-th best other province; a target at or below the last place needs nothing.
        return float(values[r - 1]) if r <= len(values) else -math.inf

    def needed_for(r: int) -> float:
        return max(0.0, threshold_for(r) + margin - c0)

    needed = needed_for(target_rank)
    goal_rank = target_rank if needed <= capacity + EPS else next(
        (r for r in range(1, n + 1) if needed_for(r) <= capacity + EPS), n)
    threshold = threshold_for(target_rank)
    holders = tuple(str(k) for k, v in others.items() if abs(v - threshold) <= EPS)
    return _Goal(target_rank, rank_of_value(c0, values), n, threshold, holders, needed, capacity, margin,
                 goal_rank, needed_for(goal_rank))


def _goal_notes(g: _Goal, c0: float, capped: bool) -> tuple[list[Note], str | None, str | None]:
    """The note saying what the plan aims at, or why the target cannot be met (vi, en)."""
    if g.already_met:
        return [Note(
            f"Đã đạt hạng {g.target_rank} (hiện hạng {g.rank0}/{g.n}), không cần cải thiện",
            f"Rank {g.target_rank} already met (currently {g.rank0}/{g.n}); no improvement needed",
        )], None, None
    goal = g.threshold + g.margin
    if g.reachable:
        who = ", ".join(g.holders)
        return [Note(
            f"Mục tiêu: điểm tổng hợp ≥ {goal:.4f} (điểm của {who}"
            + (f" + {g.margin:g}" if g.margin else "; bằng điểm thì cùng hạng") + ")",
            f"Goal: composite ≥ {goal:.4f} ({who}'s composite"
            + (f" + {g.margin:g}" if g.margin else "; an equal composite shares the rank") + ")",
        )], None, None
    best_possible = c0 + g.capacity
    reason_vi = (
        f"Không thể đạt hạng {g.target_rank}: cần điểm tổng hợp ≥ {goal:.2f} nhưng kể cả khi "
        f"mọi chỉ số đạt mức trần (điểm cao nhất năm đó"
        + (", và giới hạn mức tăng mỗi chỉ số" if capped else "")
        + f") cũng chỉ được {best_possible:.2f}; hạng tốt nhất có thể là {g.goal_rank}"
    )
    reason_en = (
        f"Rank {g.target_rank} is unreachable: it needs a composite ≥ {goal:.2f}, but even with "
        f"every sub-index at its cap (the year's best"
        + (", and the limit on each sub-index's rise" if capped else "")
        + f") the composite is only {best_possible:.2f}; the best reachable rank is {g.goal_rank}"
    )
    return [], reason_vi, reason_en


def min_improvement_for_rank(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | WeightScenario,
    entity: str,
    target_rank: int,
    *,
    margin: float = 0.0,
    max_delta: float | Mapping[str, float] | None = None,
) -> RankPlan:
    """Smallest Σ Δ_i (sub-index points) that lifts ``entity`` to rank ≤ ``target_rank``, others fixed.

    Example: x=(6,6), y=(7,6) with weights 50/50 → x needs +5 composite points = +1.0 on either
    sub-index to tie y at 65 and share rank 1 (the model and the proof that the greedy plan is
    optimal are in the module's docstring).

    >>> p = min_improvement_for_rank(pd.DataFrame({"a": [6.0, 7.0], "b": [6.0, 6.0]}, index=["x", "y"]),
    ...                              {"a": 50, "b": 50}, "x", 1)
    >>> p.total_improvement, p.rank_after, p.threshold_provinces
    (1.0, 1, ('y',))

    When the target is unreachable, ``reachable`` is False, the reason is given in vi/en, and the
    plan is the cheapest one for ``best_reachable_rank``.
    """
    ws, notes = resolve_weights(weights)
    check_frame(scores, ws, entity)
    target_rank = _checked_target(target_rank, margin)
    comps = weighted_sums(scores, ws)
    c0 = entity_composite(comps, entity)
    others = ranked_others(comps, entity, notes).sort_values(ascending=False, kind="stable")
    row = cast(pd.Series, scores.loc[entity]).astype(float)
    items = _plan_items(scores, row, ws, max_delta)
    g = _goal(c0, others, target_rank, margin, sum(w * h / 10.0 for _, w, _, h in items))
    plan = pd.DataFrame(columns=PLAN_COLUMNS) if g.goal_needed <= EPS else _greedy(items, g.goal_needed)
    new_row = row_dict(row)
    for code, to in zip(plan["code"], plan["to"], strict=True):
        new_row[str(code)] = float(to)
    c1 = composite(new_row, ws)
    goal_notes, reason_vi, reason_en = _goal_notes(g, c0, max_delta is not None)
    return RankPlan(
        entity=entity, target_rank=target_rank, reachable=g.reachable, already_met=g.already_met,
        threshold=g.threshold, threshold_provinces=g.holders, needed_points=g.needed,
        total_improvement=float(plan["delta"].sum()) if len(plan) else 0.0, plan=plan.reset_index(drop=True),
        composite_before=c0, composite_after=c1, rank_before=g.rank0,
        rank_after=rank_of_value(c1, others.to_numpy(dtype=float)), best_reachable_rank=g.goal_rank,
        n_provinces=g.n, reason_vi=reason_vi, reason_en=reason_en, notes=tuple(notes + goal_notes),
    )


# --------------------------------------------------------------------------- partial years


@dataclass(frozen=True)
class RankBounds:
    """What published composites of a few provinces prove about a simulated rank: best ≤ rank ≤ worst."""

    best: int
    worst: int
    n_provinces: int
    above: tuple[str, ...]  # known provinces surely still ahead
    below: tuple[str, ...]  # known provinces surely passed (or still behind)

    @property
    def exact(self) -> bool:
        """True when the bounds pin the rank down."""
        return self.best == self.worst


def rank_bounds(
    entity_composite: float,
    entity_rank: int,
    gain: float,
    known: Mapping[str, tuple[float, int]],
    n_provinces: int,
    tol: float = PUBLISHED_TOLERANCE,
) -> RankBounds:
    """Bounds on the rank after a composite ``gain`` when only some provinces' composites are known.

    Example (PCI 2022): Hải Phòng 70.76, rank 3; Quảng Ninh 72.95, rank 1.  A gain of
    +1.00 (71.76) stays surely behind Quảng Ninh and cannot lose places: rank 2–3.
    A gain of +2.50 (73.26) passes Quảng Ninh, the leader: rank 1.

    Proof, with x the new composite, c the true composites, r their published
    ("min") ranks, so r_k − 1 provinces score above c_k.  If c_k > x, every
    province scoring ≥ c_k (at least r_k of them, the entity itself among them
    iff r_e ≤ r_k) is above x: rank ≥ r_k + 1 − [r_e ≤ r_k].  If c_k < x, only
    provinces above c_k can be above x (r_k − 1 of them, the entity among them
    iff r_e < r_k): rank ≤ r_k − [r_e < r_k].  A gain ≥ 0 cannot lose places
    (rank ≤ r_e) and a loss cannot win any (rank ≥ r_e).  Published composites
    are rounded to 2 decimals, so a rival only counts as above/below when the
    two published values differ by more than ``tol`` (0.01).

    >>> b = rank_bounds(70.76, 3, 1.0, {"quangninh": (72.95, 1)}, 63)
    >>> b.best, b.worst, b.above
    (2, 3, ('quangninh',))
    >>> rank_bounds(70.76, 3, 2.5, {"quangninh": (72.95, 1)}, 63).worst
    1
    """
    x = entity_composite + gain
    best, worst = 1, n_provinces
    if gain >= 0:
        worst = min(worst, entity_rank)
    if gain <= 0:
        best = max(best, entity_rank)
    above: list[str] = []
    below: list[str] = []
    for key, (c_k, r_k) in known.items():
        if c_k > x + tol:
            above.append(key)
            best = max(best, r_k + 1 - (1 if entity_rank <= r_k else 0))
        elif c_k < x - tol:
            below.append(key)
            worst = min(worst, r_k - (1 if entity_rank < r_k else 0))
    best = max(best, 1 + len(above))
    worst = min(worst, n_provinces - len(below))
    return RankBounds(best=best, worst=max(best, worst), n_provinces=n_provinces,
                      above=tuple(sorted(above)), below=tuple(sorted(below)))


def gain_for_guaranteed_rank(
    entity_composite: float,
    entity_rank: int,
    target_rank: int,
    known: Mapping[str, tuple[float, int]],
    tol: float = PUBLISHED_TOLERANCE,
) -> tuple[float, str | None] | None:
    """Smallest composite gain (to 0.01) that *guarantees* rank ≤ target from published composites only.

    Returns (gain, the province to pass) — (0.0, None) when already met — or
    None when no known province's composite decides it.  The gain is sufficient,
    not necessarily the least: unknown provinces may already sit lower.

    >>> gain_for_guaranteed_rank(70.76, 3, 1, {"quangninh": (72.95, 1)})
    (2.21, 'quangninh')
    >>> gain_for_guaranteed_rank(70.76, 3, 2, {"quangninh": (72.95, 1)})
    (2.21, 'quangninh')
    >>> gain_for_guaranteed_rank(70.76, 3, 3, {})
    (0.0, None)
    """
    if entity_rank <= target_rank:
        return 0.0, None
    best: tuple[float, str | None] | None = None
    for key, (c_k, r_k) in sorted(known.items()):
        if r_k - (1 if entity_rank < r_k else 0) > target_rank:
            continue
        # strictly more than c_k + tol above the entity's published composite, in whole hundredths
        gain = (math.floor(round((c_k + tol - entity_composite) * 100, 6)) + 1) / 100
        if best is None or gain < best[0]:
            best = (max(gain, 0.0), key)
    return best
