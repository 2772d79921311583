"""The composite score, ranks, and how sub-indices contribute to a change of the composite.

PCI = 10 × Σ wᵢ·sᵢ with Σ wᵢ = 1; weights are stored in percent, so PCI = Σ w%ᵢ·sᵢ / 10.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd


def composite_score(scores: Mapping[str, float | None], weights: Mapping[str, float | None]) -> float | None:
    """The weighted composite (0–100) from sub-index scores (0–10) and weights (%).

    Unknown weights or a missing sub-index score give None, never a guess.

    >>> composite_score({"a": 6.0, "b": 8.0}, {"a": 50, "b": 50})
    70.0
    >>> composite_score({"a": 6.0}, {"a": 50, "b": 50}) is None
    True
    """
    total = 0.0
    for code, weight in weights.items():
        if weight is None or (isinstance(weight, float) and math.isnan(weight)):
            return None
        if weight == 0:
            continue
        value = scores.get(code)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        total += float(weight) * float(value) / 10.0
    return round(total, 10)


def rank_min(values: pd.Series) -> pd.Series:
    """Rank among a year's provinces: 1 = best (highest); ties share the best rank; NaN stays NaN.

    >>> rank_min(pd.Series([7.0, 9.0, 7.0, None])).tolist()
    [2.0, 1.0, 2.0, nan]
    """
    return values.rank(ascending=False, method="min")


def rank_of_value(value: float, others: pd.Series) -> int:
    """The rank a value would have among other provinces' values (ties share the best rank).

    >>> rank_of_value(70.0, pd.Series([72.0, 70.0, 65.0]))
    2
    """
    return int((others.dropna() > value + 1e-9).sum()) + 1


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
