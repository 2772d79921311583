"""What-if analysis of the PCI composite: simulate changes, value each sub-index, plan a rank.

The composite is ``PCI = Σ w_i · s_i / 10`` with sub-index scores ``s_i`` in 0–10
and weights ``w_i`` in percent summing to 100, so the maximum is 100.  Ranks are
among all provinces of one year, 1 = best, and equal composites share the best
rank (pandas' "min" method).  Composites closer than ``EPS`` (1e-9) count as
equal, so that float noise from adding a change never splits a genuine tie.

Everything here is a pure function of plain DataFrames/dicts: ``scores`` is a
wide frame for one year (index = province_key, columns = sub-index codes, all
provinces of that year) and ``weights`` maps code -> percent (or is a
:class:`WeightScenario`, whose assumption label is then carried into the
result's notes so a PCI 2025 scenario is never shown unlabelled).

Weights and the PCI 2025 lineage are data: callers read them from the store
(``history.weights_for_year``, ``storage.load_lineage``; see :mod:`pci_metrics.views.scenarios`),
nothing here hard-codes a framework.  Where only a few provinces' published composites
are known (2020–2022), :func:`rank_bounds` says what they prove about a simulated rank.

Messages meant for users are in Vietnamese and English (see :class:`Note`).

>>> scores = pd.DataFrame({"a": [8.0, 6.0], "b": [6.0, 9.0]}, index=["x", "y"])
>>> sim = simulate(scores, {"a": 50, "b": 50}, "x", {"b": 2})
>>> (sim.composite_before, sim.composite_after, sim.rank_before, sim.rank_after)
(70.0, 80.0, 2, 1)
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

#: Tolerance for comparing composites (and the weight sum against 100).
EPS = 1e-9

#: The PCI 2025 weight assumptions offered (VCCI has not published the weights).
SCENARIO_ASSUMPTIONS: tuple[str, ...] = ("equal", "lineage_2022")

#: Published composites are rounded to 2 decimals: two of them (each ±0.005) can only be
#: ordered for sure when they differ by more than this.
PUBLISHED_TOLERANCE = 0.01


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Note:
    """One remark for the user, in both languages: ``Note("Lưu ý", "Notice").text("en") == "Notice"``."""

    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        """The remark in ``lang`` ("vi" or "en")."""
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class WeightScenario:
    """Assumed weights for a framework whose official weights are unknown, with its label."""

    assumption: str
    weights: dict[str, float]
    label_vi: str
    label_en: str

    def label(self, lang: str = "vi") -> str:
        """The assumption label in ``lang`` ("vi" or "en")."""
        return self.label_vi if lang == "vi" else self.label_en


@dataclass(frozen=True)
class Simulation:
    """Outcome of :func:`simulate` for one province."""

    entity: str
    composite_before: float
    composite_after: float
    rank_before: int
    rank_after: int
    n_provinces: int
    applied: dict[str, float]  # code -> change actually applied, after clipping to 0–10
    notes: tuple[Note, ...] = ()

    @property
    def composite_delta(self) -> float:
        """Composite points gained (negative when lost)."""
        return self.composite_after - self.composite_before

    @property
    def places_gained(self) -> int:
        """Rank places gained (positive = moved up)."""
        return self.rank_before - self.rank_after

    def notes_in(self, lang: str = "vi") -> list[str]:
        """The notes as text in ``lang``."""
        return [n.text(lang) for n in self.notes]


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


# --------------------------------------------------------------------------- helpers


def _resolve_weights(weights: Mapping[str, float] | WeightScenario) -> tuple[dict[str, float], list[Note]]:
    """Validate weights (finite, ≥ 0, sum 100) and pick up a scenario's label as a note."""
    notes: list[Note] = []
    if isinstance(weights, WeightScenario):
        notes.append(Note(weights.label_vi, weights.label_en))
        raw: Mapping[str, float] = weights.weights
    else:
        raw = weights
    ws = {str(k): float(v) for k, v in raw.items()}
    bad = [k for k, v in ws.items() if not math.isfinite(v) or v < 0]
    if bad:
        raise ValueError(
            f"Trọng số phải là số không âm: {', '.join(bad)} / Weights must be non-negative numbers: {', '.join(bad)}"
        )
    total = sum(ws.values())
    # Weights are percent of the composite; a wrong sum silently rescales every
    # composite, so it is refused rather than renormalised behind the user's back.
    if abs(total - 100.0) > 1e-6:
        raise ValueError(
            f"Tổng trọng số phải bằng 100 (đang là {total:g}) / Weights must sum to 100 (got {total:g})"
        )
    return ws, notes


def _codes_error(what_vi: str, what_en: str, valid: Iterable[str]) -> ValueError:
    codes = ", ".join(valid)
    return ValueError(f"{what_vi}. Mã hợp lệ: {codes} / {what_en}. Valid codes: {codes}")


def _check_frame(scores: pd.DataFrame, ws: Mapping[str, float], entity: str | None = None) -> None:
    if not scores.index.is_unique:
        dup = sorted({str(k) for k in scores.index[scores.index.duplicated()]})
        raise ValueError(
            f"Mỗi tỉnh chỉ được một dòng; trùng: {', '.join(dup)} / "
            f"Each province must appear once; duplicated: {', '.join(dup)}"
        )
    missing = [c for c, w in ws.items() if w > 0 and c not in scores.columns]
    if missing:
        raise _codes_error(
            f"Thiếu cột điểm cho chỉ số có trọng số: {', '.join(missing)}",
            f"Missing score columns for weighted sub-indices: {', '.join(missing)}",
            [str(c) for c in scores.columns],
        )
    not_numeric = [c for c, w in ws.items() if w > 0 and not pd.api.types.is_numeric_dtype(scores[c])]
    if not_numeric:
        raise ValueError(
            f"Cột điểm phải là số: {', '.join(not_numeric)} / Score columns must be numeric: {', '.join(not_numeric)}"
        )
    if entity is not None and entity not in scores.index:
        raise ValueError(
            f'Không có tỉnh "{entity}" trong dữ liệu năm này / No province "{entity}" in this year\'s data'
        )


def _composites(scores: pd.DataFrame, ws: Mapping[str, float]) -> pd.Series:
    # Column by column in the weights' order, element-wise: every province's sum
    # takes exactly the float steps of composite() (0 + w1·s1 + w2·s2 …, then / 10),
    # so the entity and its rivals are summed alike and ranks never depend on
    # summation noise (and a NaN weighted score gives NaN, as in composite()).
    total = np.zeros(len(scores), dtype=float)
    for code, w in ws.items():
        if w == 0:
            continue
        total = total + float(w) * scores[code].to_numpy(dtype=float)
    return pd.Series(total / 10.0, index=scores.index, dtype=float)


def _row_dict(row: pd.Series) -> dict[str, float]:
    # Non-numeric columns (e.g. a province name left in the frame) are dropped:
    # they can be neither weighted (checked in _check_frame) nor changed.
    out: dict[str, float] = {}
    for k, v in row.items():
        try:
            out[str(k)] = float(v)
        except (TypeError, ValueError):
            continue
    return out


def _rank(value: float, others: np.ndarray) -> int:
    # "min" rank with tolerance: only strictly better (by more than EPS) rivals push us down.
    return 1 + int(np.count_nonzero(others > value + EPS))


def _entity_composite(comps: pd.Series, entity: str) -> float:
    c = float(comps[entity])
    if math.isnan(c):
        raise ValueError(
            f'Tỉnh "{entity}" thiếu điểm của một chỉ số có trọng số nên không tính được điểm tổng hợp / '
            f'Province "{entity}" lacks a weighted sub-index score, so its composite cannot be computed'
        )
    return c


def _others(comps: pd.Series, entity: str, notes: list[Note]) -> pd.Series:
    others = comps.drop(index=entity)
    dropped = [str(k) for k in others.index[others.isna()]]
    if dropped:
        # A province without a composite cannot be ranked; say so rather than guess.
        notes.append(Note(
            f"Không xếp hạng (thiếu điểm): {', '.join(dropped)}",
            f"Not ranked (missing scores): {', '.join(dropped)}",
        ))
    return others.dropna()


# --------------------------------------------------------------------------- 1. composite


def composite(scores_row: Mapping[str, float] | pd.Series, weights: Mapping[str, float] | WeightScenario) -> float:
    """Weighted composite Σ w·s/10: ``composite({"a": 8, "b": 6}, {"a": 50, "b": 50}) == 70.0``.

    A NaN score on a weighted sub-index gives NaN (the composite is undefined);
    sub-indices with weight 0 or absent from ``weights`` are ignored.

    >>> composite({"a": 8, "b": 6}, {"a": 50, "b": 50})
    70.0
    """
    ws = weights.weights if isinstance(weights, WeightScenario) else weights
    total = 0.0
    for code, w in ws.items():
        if w == 0:
            continue  # unweighted (e.g. policy_bias 2009–12 if passed as 0): its NaN must not matter
        if code not in scores_row:
            raise _codes_error(
                f"Thiếu điểm chỉ số {code}", f"Missing score for sub-index {code}", [str(c) for c in scores_row]
            )
        s = float(scores_row[code])
        if math.isnan(s):
            return math.nan
        total += float(w) * s
    return total / 10.0


def composites(scores: pd.DataFrame, weights: Mapping[str, float] | WeightScenario) -> pd.Series:
    """Every province's composite (NaN where a weighted score is missing): x=(8,6), y=(6,9) at 50/50 → 70, 75.

    >>> composites(pd.DataFrame({"a": [8.0, 6.0], "b": [6.0, 9.0]}, index=["x", "y"]), {"a": 50, "b": 50}).to_dict()
    {'x': 70.0, 'y': 75.0}
    """
    ws, _ = _resolve_weights(weights)
    _check_frame(scores, ws)
    return _composites(scores, ws)


# --------------------------------------------------------------------------- 2. simulate


def apply_changes(
    row: Mapping[str, float],
    weights: Mapping[str, float] | WeightScenario,
    changes: Mapping[str, float],
) -> tuple[dict[str, float], dict[str, float], list[Note]]:
    """Add changes to one row of scores, clipped to 0–10: 8.0 + 5 → 10.0, applied +2.0.

    Returns (new row, change actually applied per code, notes for the user).

    >>> new, applied, notes = apply_changes({"a": 8.0, "b": 6.0}, {"a": 50, "b": 50}, {"a": 5})
    >>> new, applied, notes[0].en
    ({'a': 10.0, 'b': 6.0}, {'a': 2.0}, 'a: 8.00 +5.00 leaves the 0–10 scale, clipped to 10.00')
    """
    ws = weights.weights if isinstance(weights, WeightScenario) else weights
    new_row = {str(k): float(v) for k, v in row.items()}
    applied: dict[str, float] = {}
    notes: list[Note] = []
    for code, delta in changes.items():
        if code not in new_row:
            raise _codes_error(f"Không có chỉ số {code}", f"Unknown sub-index {code}", list(new_row))
        delta = float(delta)
        if not math.isfinite(delta):
            raise ValueError(f"Mức thay đổi của {code} phải là số hữu hạn / The change for {code} must be a finite number")
        old = new_row[code]
        if math.isnan(old):
            # Only reachable for an unweighted sub-index (a weighted NaN has no composite at all).
            notes.append(Note(f"{code}: không có điểm, bỏ qua thay đổi", f"{code}: no score, change ignored"))
            applied[code] = 0.0
            continue
        new = min(10.0, max(0.0, old + delta))
        if new != old + delta:
            notes.append(Note(
                f"{code}: {old:.2f} {delta:+.2f} vượt thang 0–10, giữ ở {new:.2f}",
                f"{code}: {old:.2f} {delta:+.2f} leaves the 0–10 scale, clipped to {new:.2f}",
            ))
            applied[code] = new - old
        else:
            applied[code] = delta  # keep the user's number exactly (new - old would add float noise)
        new_row[code] = new
        if float(ws.get(code, 0.0) or 0.0) == 0.0 and delta != 0:
            notes.append(Note(
                f"{code} không có trọng số nên không đổi điểm tổng hợp",
                f"{code} has no weight, so the composite does not change",
            ))
    return new_row, applied, notes


def simulate(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | WeightScenario,
    entity: str,
    changes: Mapping[str, float],
) -> Simulation:
    """Apply additive sub-index changes to one province and re-rank: ``+0.5`` transparency at weight 20 → +1.00.

    Every other province keeps its scores and its composite is recomputed with
    the same weights, so before/after ranks compare like with like (the
    published composite is not mixed in).  New scores are clipped to 0–10.

    >>> s = pd.DataFrame({"a": [8.0, 6.0], "b": [6.0, 9.0]}, index=["x", "y"])
    >>> simulate(s, {"a": 50, "b": 50}, "x", {"a": 5}).applied
    {'a': 2.0}
    """
    ws, notes = _resolve_weights(weights)
    _check_frame(scores, ws, entity)
    comps = _composites(scores, ws)
    before = _entity_composite(comps, entity)
    others = _others(comps, entity, notes).to_numpy(dtype=float)

    row, applied, change_notes = apply_changes(_row_dict(cast(pd.Series, scores.loc[entity])), ws, changes)
    after = composite(row, ws)
    return Simulation(
        entity=entity,
        composite_before=before,
        composite_after=after,
        rank_before=_rank(before, others),
        rank_after=_rank(after, others),
        n_provinces=len(others) + 1,
        applied=applied,
        notes=tuple(notes + change_notes),
    )


# --------------------------------------------------------------------------- 3. parse_change

_CHANGE_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*$")


def parse_change(text: str, valid_codes: Iterable[str]) -> tuple[str, float]:
    """Parse a CLI change like ``transparency=+0.5``: ``parse_change("labor=-0.2", ["labor"]) == ("labor", -0.2)``.

    A decimal comma is accepted ("0,5", as typed in Vietnamese).  ``valid_codes``
    are the sub-index codes of the framework in use (from the database).

    >>> parse_change("transparency=+0.5", ["transparency", "labor"])
    ('transparency', 0.5)
    """
    valid = tuple(valid_codes)
    m = _CHANGE_RE.match(text or "")
    if not m:
        raise _codes_error(
            f'Không hiểu "{text}": cần dạng mã=số, ví dụ transparency=+0.5',
            f'Cannot read "{text}": expected code=number, e.g. transparency=+0.5',
            valid,
        )
    code = m.group(1).lower()
    if code not in valid:
        raise _codes_error(f'Không có chỉ số "{m.group(1)}"', f'Unknown sub-index "{m.group(1)}"', valid)
    value = float(m.group(2).replace(",", "."))
    # A change beyond ±10 cannot be meant: the whole scale is 0–10.
    if abs(value) > 10:
        raise ValueError(
            f"Mức thay đổi {value:g} vượt quá ±10 điểm của thang 0–10 / "
            f"A change of {value:g} exceeds ±10, the whole 0–10 scale"
        )
    return code, value


# --------------------------------------------------------------------------- 4. marginal values


def marginal_values(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | WeightScenario,
    entity: str,
    gap_fraction: float = 0.5,
) -> pd.DataFrame:
    """Composite points each sub-index can yield, best first: weight 20, gap 1.0, half closed → 1.0 point.

    Columns: code, weight, score, best_score, best_province (ties joined by
    ", "), gap (to the year's best, ≥ 0), points_per_point (= weight/10) and
    points_closing_gap (= points_per_point · gap · gap_fraction), sorted by the
    latter descending (then weight, then code) so the cheapest realistic wins
    come first.  Unweighted sub-indices are left out.

    >>> s = pd.DataFrame({"a": [6.0, 7.0], "b": [5.0, 9.0]}, index=["x", "y"])
    >>> marginal_values(s, {"a": 80, "b": 20}, "x")[["code", "points_closing_gap"]].to_dict("records")
    [{'code': 'a', 'points_closing_gap': 4.0}, {'code': 'b', 'points_closing_gap': 4.0}]
    """
    ws, _ = _resolve_weights(weights)
    _check_frame(scores, ws, entity)
    if not 0.0 <= gap_fraction <= 1.0:
        raise ValueError(
            f"gap_fraction phải trong [0, 1] (đang là {gap_fraction}) / gap_fraction must be in [0, 1] (got {gap_fraction})"
        )
    rows = []
    for code, w in ws.items():
        if w == 0:
            continue
        col = scores[code].astype(float)
        best = float(col.max())  # NaN-skipping: a missing score is not a benchmark
        leaders = sorted(str(k) for k in col.index[col >= best - EPS])
        score = float(col[entity])
        gap = max(0.0, best - score)
        rows.append({
            "code": code,
            "weight": w,
            "score": score,
            "best_score": best,
            "best_province": ", ".join(leaders),
            "gap": gap,
            "points_per_point": w / 10.0,
            "points_closing_gap": w / 10.0 * gap * gap_fraction,
        })
    df = pd.DataFrame(rows, columns=[
        "code", "weight", "score", "best_score", "best_province", "gap", "points_per_point", "points_closing_gap",
    ])
    df = df.sort_values(["points_closing_gap", "weight", "code"], ascending=[False, False, True], kind="stable")
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------- 5. min improvement


_PLAN_COLUMNS = ["code", "weight", "from", "to", "delta", "points"]


def _greedy(items: Sequence[tuple[str, float, float, float]], needed: float) -> pd.DataFrame:
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
    return pd.DataFrame(rows, columns=_PLAN_COLUMNS)


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
    ws, _ = _resolve_weights(weights)
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
        return pd.DataFrame(columns=_PLAN_COLUMNS)
    return _greedy(items, needed_points).reset_index(drop=True)


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

    Example: x=(6,6), y=(7,6) with weights 50/50 → x needs +5 composite points =
    +1.0 on either sub-index to tie y at 65 and share rank 1.

    Model.  Rank r is reached iff the composite is ≥ the r-th best composite
    among the *other* provinces (``threshold``): with "min" ranking an equal
    composite shares the rank, so a tie suffices (within EPS = 1e-9).  Set
    ``margin`` > 0 to demand that many composite points above the threshold
    (e.g. to beat a rival outright).  Each Δ_i ≥ 0 and s_i + Δ_i ≤ cap_i, the
    best score any province reached that year (and ≤ 10); ``max_delta`` adds an
    optional Δ_i ≤ max_delta_i limit (a number for all, or per code).  With the
    default caps rank 1 is always reachable (matching every year-best
    sub-index dominates every province), so "unreachable" needs margin/max_delta.

    Optimality (fractional knapsack).  Moving ε of effort from a sub-index of
    weight w_j to one of weight w_i > w_j with headroom left and scaling it to
    ε·w_j/w_i keeps the composite gain and cuts Σ Δ by ε(1 − w_j/w_i) > 0, so no
    optimal plan leaves a heavier sub-index unfilled while using a lighter one.
    Hence filling sub-indices in descending weight order (the last one
    partially) — the greedy plan — is optimal; ties in weight cost the same,
    and are broken by the larger gap to the year's best, then code order.

    When the target is unreachable, ``reachable`` is False, the reason is given
    in vi/en, and the plan is the cheapest one for ``best_reachable_rank``.
    """
    ws, notes = _resolve_weights(weights)
    _check_frame(scores, ws, entity)
    if isinstance(target_rank, bool) or not isinstance(target_rank, (int, np.integer)) or target_rank < 1:
        raise ValueError(f"Hạng mục tiêu phải là số nguyên ≥ 1 (đang là {target_rank!r}) / "
                         f"target_rank must be an integer ≥ 1 (got {target_rank!r})")
    target_rank = int(target_rank)
    if not (math.isfinite(margin) and margin >= 0):
        raise ValueError(f"margin phải ≥ 0 (đang là {margin}) / margin must be ≥ 0 (got {margin})")

    comps = _composites(scores, ws)
    c0 = _entity_composite(comps, entity)
    others_s = _others(comps, entity, notes).sort_values(ascending=False, kind="stable")
    others = others_s.to_numpy(dtype=float)
    n = len(others) + 1
    rank0 = _rank(c0, others)

    def threshold_for(r: int) -> float:
        # r-th best other province; a target at or below the last place needs nothing.
        return float(others[r - 1]) if r <= len(others) else -math.inf

    # Sub-indices that can help, best value first (see docstring proof).
    row = cast(pd.Series, scores.loc[entity]).astype(float)
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
    greedy_items = [(c, w, s, h) for c, w, s, h, _ in items]
    capacity = sum(w * h / 10.0 for _, w, _, h in greedy_items)

    def needed_for(r: int) -> float:
        return max(0.0, threshold_for(r) + margin - c0)

    needed = needed_for(target_rank)
    reachable = needed <= capacity + EPS
    if reachable:
        goal_rank = target_rank
    else:
        # Best rank the capacity allows; rank n always is (no threshold below last place).
        goal_rank = next((r for r in range(1, n + 1) if needed_for(r) <= capacity + EPS), n)
    goal_needed = needed_for(goal_rank)
    already_met = needed <= EPS
    plan = (
        pd.DataFrame(columns=_PLAN_COLUMNS) if goal_needed <= EPS else _greedy(greedy_items, goal_needed)
    )

    new_row = _row_dict(row)
    for code, to in zip(plan["code"], plan["to"], strict=True):
        new_row[str(code)] = float(to)
    c1 = composite(new_row, ws)

    threshold = threshold_for(target_rank)
    holders = tuple(str(k) for k, v in others_s.items() if abs(v - threshold) <= EPS)
    reason_vi = reason_en = None
    if already_met:
        notes.append(Note(
            f"Đã đạt hạng {target_rank} (hiện hạng {rank0}/{n}), không cần cải thiện",
            f"Rank {target_rank} already met (currently {rank0}/{n}); no improvement needed",
        ))
    elif reachable:
        who = ", ".join(holders)
        notes.append(Note(
            f"Mục tiêu: điểm tổng hợp ≥ {threshold + margin:.4f} (điểm của {who}"
            + (f" + {margin:g}" if margin else "; bằng điểm thì cùng hạng") + ")",
            f"Goal: composite ≥ {threshold + margin:.4f} ({who}'s composite"
            + (f" + {margin:g}" if margin else "; an equal composite shares the rank") + ")",
        ))
    else:
        best_possible = c0 + capacity
        reason_vi = (
            f"Không thể đạt hạng {target_rank}: cần điểm tổng hợp ≥ {threshold + margin:.2f} nhưng kể cả khi "
            f"mọi chỉ số đạt mức trần (điểm cao nhất năm đó"
            + (", và giới hạn mức tăng mỗi chỉ số" if max_delta is not None else "")
            + f") cũng chỉ được {best_possible:.2f}; hạng tốt nhất có thể là {goal_rank}"
        )
        reason_en = (
            f"Rank {target_rank} is unreachable: it needs a composite ≥ {threshold + margin:.2f}, but even with "
            f"every sub-index at its cap (the year's best"
            + (", and the limit on each sub-index's rise" if max_delta is not None else "")
            + f") the composite is only {best_possible:.2f}; the best reachable rank is {goal_rank}"
        )

    return RankPlan(
        entity=entity,
        target_rank=target_rank,
        reachable=reachable,
        already_met=already_met,
        threshold=threshold,
        threshold_provinces=holders,
        needed_points=needed,
        total_improvement=float(plan["delta"].sum()) if len(plan) else 0.0,
        plan=plan.reset_index(drop=True),
        composite_before=c0,
        composite_after=c1,
        rank_before=rank0,
        rank_after=_rank(c1, others),
        best_reachable_rank=goal_rank,
        n_provinces=n,
        reason_vi=reason_vi,
        reason_en=reason_en,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- 6. partial years


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


# --------------------------------------------------------------------------- 7. PCI 2025 scenarios


def scenario_weights(
    assumption: str,
    lineage: Mapping[str, Sequence[str]],
    classic_weights: Mapping[str, float | None] | None = None,
) -> WeightScenario:
    """Assumed PCI 2025 weights, labelled: ``scenario_weights("equal", {"n1": ["a"], "n2": ["b"]})`` → 50/50.

    - "equal": each new sub-index gets 100/n.
    - "lineage_2022": each new sub-index gets the summed 2022 weight of the
      classic sub-indices it continues (``classic_weights``: the weights of
      the framework in force in 2022, read from the database), renormalised
      to 100 over the new sub-indices.  A classic code continued by several
      new sub-indices splits its weight evenly between them (so no weight is
      counted twice).

    >>> sc = scenario_weights("lineage_2022", {"n1": ["a"], "n2": ["b", "c"]}, {"a": 10, "b": 15, "c": 25, "d": 50})
    >>> sc.weights, sc.label_en.startswith("Assumption")
    ({'n1': 20.0, 'n2': 80.0}, True)
    """
    if assumption not in SCENARIO_ASSUMPTIONS:
        raise ValueError(
            f'Không có giả định "{assumption}"; chọn: {", ".join(SCENARIO_ASSUMPTIONS)} / '
            f'Unknown assumption "{assumption}"; choose: {", ".join(SCENARIO_ASSUMPTIONS)}'
        )
    codes = list(lineage)
    if not codes:
        raise ValueError("Danh sách chỉ số mới rỗng / The lineage has no new sub-indices")
    unpublished_vi, unpublished_en = "PCI 2025 chưa công bố trọng số", "PCI 2025 weights not yet published"

    if assumption == "equal":
        weights = {c: 100.0 / len(codes) for c in codes}
        return WeightScenario(
            assumption, weights,
            f"Giả định: trọng số bằng nhau ({unpublished_vi})",
            f"Assumption: equal weights ({unpublished_en})",
        )

    if classic_weights is None:
        raise ValueError("Cần trọng số PCI 2022 cho giả định lineage_2022 / "
                         "The lineage_2022 assumption needs the PCI 2022 weights")
    cw = {k: float(v) for k, v in classic_weights.items() if v is not None and not math.isnan(float(v))}
    uses = Counter(old for c in codes for old in lineage[c])
    raw: dict[str, float] = {}
    for c in codes:
        olds = list(lineage[c])
        if not olds:
            raise ValueError(
                f"{c} không kế thừa chỉ số cổ điển nào nên không suy ra được trọng số / "
                f"{c} continues no classic sub-index, so no weight can be derived"
            )
        unknown = [o for o in olds if o not in cw]
        if unknown:
            raise _codes_error(
                f"Không có trọng số 2022 cho {', '.join(unknown)}",
                f"No 2022 weight for {', '.join(unknown)}",
                list(cw),
            )
        raw[c] = sum(float(cw[o]) / uses[o] for o in olds)
    total = sum(raw.values())
    if total <= 0:
        raise ValueError("Tổng trọng số kế thừa bằng 0 / The inherited weights sum to 0")
    weights = {c: v * 100.0 / total for c, v in raw.items()}
    return WeightScenario(
        assumption, weights,
        "Giả định: trọng số theo các chỉ số PCI 2022 mà mỗi chỉ số mới kế thừa, chuẩn hóa lại về 100 "
        f"({unpublished_vi})",
        "Assumption: weights of the PCI 2022 sub-indices each new one continues, renormalised to 100 "
        f"({unpublished_en})",
    )


def lineage_scores(classic_scores_wide: pd.DataFrame, lineage: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """New sub-index scores as the plain mean of the classic ones they continue: land 6, labor 8 → 7.

    Choice: the mean is NaN when any continued classic score is missing (e.g.
    private_economy ← policy_bias in 2009–12), because averaging only the
    available ones would silently change what the new sub-index measures.
    Classic components count equally (an assumption: their internal weights
    in PCI 2025 are unknown).  Index is kept; columns follow ``lineage``.

    >>> w = pd.DataFrame({"land": [6.0], "labor": [8.0]}, index=["x"])
    >>> lineage_scores(w, {"resource_access": ["land", "labor"]}).loc["x", "resource_access"]
    np.float64(7.0)
    """
    out = {}
    for code, olds in lineage.items():
        olds = list(olds)
        if not olds:
            raise ValueError(f"{code} không kế thừa chỉ số cổ điển nào / {code} continues no classic sub-index")
        missing = [o for o in olds if o not in classic_scores_wide.columns]
        if missing:
            raise _codes_error(
                f"Thiếu cột {', '.join(missing)} cho {code}",
                f"Missing column(s) {', '.join(missing)} for {code}",
                [str(c) for c in classic_scores_wide.columns],
            )
        out[code] = classic_scores_wide[olds].astype(float).mean(axis=1, skipna=False)
    return pd.DataFrame(out, index=classic_scores_wide.index)
