"""The composite score, ranks, and how sub-indices contribute to a change of the composite.

PCI = 10 × Σ wᵢ·sᵢ with Σ wᵢ = 1; weights are stored in percent, so PCI = Σ w%ᵢ·sᵢ / 10.
Ranks are among one year's provinces: 1 = best (highest), and equal values share the best rank
(pandas' "min" method); values closer than ``EPS`` count as equal, so float noise never splits a tie.

The weighted sum is written once (:func:`weighted_sum` for one province, :func:`weighted_sums` for
a frame of provinces, the same float steps in both), and the rank once (:func:`rank_min` for stored
values, :func:`rank_of_value` for a value among others).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

#: Tolerance for comparing composites: closer than this counts as equal.
EPS = 1e-9


def weighted_sum(scores: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """Σ w%·s / 10 over the weighted sub-indices (weight 0 is skipped, so its score may be unknown).

    Plain arithmetic: a NaN score gives NaN; callers decide what an unknown means.

    >>> weighted_sum({"a": 8.0, "b": 6.0, "c": math.nan}, {"a": 50, "b": 50, "c": 0})
    70.0
    """
    total = 0.0
    for code, weight in weights.items():
        if weight == 0:
            continue
        total += float(weight) * float(scores[code])
    return total / 10.0


def weighted_sums(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """:func:`weighted_sum` for every row of a wide frame (index = province, columns = codes).

    Column by column in the weights' order, element-wise, so each province's sum takes exactly the
    float steps of :func:`weighted_sum` and ranks never depend on summation noise.

    >>> weighted_sums(pd.DataFrame({"a": [8.0, 6.0], "b": [6.0, 9.0]}, index=["x", "y"]), {"a": 50, "b": 50}).to_dict()
    {'x': 70.0, 'y': 75.0}
    """
    total = np.zeros(len(scores), dtype=float)
    for code, weight in weights.items():
        if weight == 0:
            continue
        total = total + float(weight) * scores[code].to_numpy(dtype=float)
    return pd.Series(total / 10.0, index=scores.index, dtype=float)


def _unknown(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def composite_score(scores: Mapping[str, float | None], weights: Mapping[str, float | None]) -> float | None:
    """The weighted composite (0–100) from sub-index scores (0–10) and weights (%).

    Unknown weights or a missing sub-index score give None, never a guess.

    >>> composite_score({"a": 6.0, "b": 8.0}, {"a": 50, "b": 50})
    70.0
    >>> composite_score({"a": 6.0}, {"a": 50, "b": 50}) is None
    True
    """
    if any(_unknown(w) for w in weights.values()):
        return None
    known = {c: float(w) for c, w in weights.items() if w is not None}
    weighted = {c: scores.get(c) for c, w in known.items() if w != 0}
    if any(_unknown(v) for v in weighted.values()):
        return None
    return round(weighted_sum({c: float(v) for c, v in weighted.items() if v is not None}, known), 10)


def rank_min(values: pd.Series) -> pd.Series:
    """Rank among a year's provinces: 1 = best (highest); ties share the best rank; NaN stays NaN.

    >>> rank_min(pd.Series([7.0, 9.0, 7.0, None])).tolist()
    [2.0, 1.0, 2.0, nan]
    """
    return values.rank(ascending=False, method="min")


def rank_of_value(value: float, others: pd.Series | np.ndarray | list[float]) -> int:
    """The rank a value would have among other provinces' values: only those better by more than
    ``EPS`` come before it (ties share the best rank; unknown values are not ranked).

    >>> rank_of_value(70.0, pd.Series([72.0, 70.0, 65.0]))
    2
    >>> rank_of_value(70.0, np.array([70.0 + 1e-12, math.nan]))
    1
    """
    arr = np.asarray(others, dtype=float)
    return 1 + int(np.count_nonzero(arr > value + EPS))


def contributions(before: Mapping[str, float | None], after: Mapping[str, float | None],
                  weights: Mapping[str, float | None]) -> dict[str, float | None]:
    """Each sub-index's part of a change of the composite between two years (same weights).

    The parts sum to the total change (w% × Δs / 10 for each sub-index). When the two years use
    different frameworks, pass the weights of the later one and compare recomputed composites.

    >>> contributions({"a": 6.0, "b": 8.0}, {"a": 7.0, "b": 7.5}, {"a": 50, "b": 50})
    {'a': 5.0, 'b': -2.5}
    """
    out: dict[str, float | None] = {}
    for code, weight in weights.items():
        b, a = before.get(code), after.get(code)
        if weight is None or b is None or a is None or any(
                isinstance(x, float) and math.isnan(x) for x in (weight, a, b)):
            out[code] = None
        else:
            out[code] = round(float(weight) * (float(a) - float(b)) / 10.0, 10)
    return out
