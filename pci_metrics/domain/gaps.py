"""Gaps in points and in rank places: to the target, the best province, the top-10 cut-off, the
median; and the composite points in each sub-index's gap to the best province.

Whether a gap to a target means on track or not is :mod:`pci_metrics.domain.targets`' rule."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Gap:
    """How far a value is from a reference; positive = points still to gain, ≤ 0 = reached."""

    reference: str  # "target" | "best" | "top10" | "median"
    reference_value: float | None
    points: float | None
    rank_places: int | None  # places to climb to reach the reference rank (≤ 0: reached)


def gap_points(latest: float | None, reference: float | None) -> float | None:
    """Points from the latest value to a reference (positive: below it).

    >>> gap_points(6.8, 7.5)
    0.7
    >>> gap_points(None, 7.5) is None
    True
    """
    if latest is None or reference is None:
        return None
    return round(reference - latest, 10)


def gap_rank_places(latest_rank: int | None, reference_rank: int | None) -> int | None:
    """Rank places to climb from the latest rank to a reference rank (positive: still to climb).

    >>> gap_rank_places(10, 3)
    7
    """
    if latest_rank is None or reference_rank is None:
        return None
    return int(latest_rank) - int(reference_rank)


def gaps(latest: float | None, latest_rank: int | None, *, target: float | None = None,
         target_rank: int | None = None, best: float | None = None, top10: float | None = None,
         median: float | None = None, n_ranked: int | None = None) -> list[Gap]:
    """All four gaps of one value; unknown references give unknown gaps (never zero).

    Reference ranks: the best province is rank 1, the top-10 cut-off rank 10, the median
    rank ⌈n/2⌉ of the n provinces ranked.

    >>> [g.points for g in gaps(6.8, 12, target=7.5, best=8.1, top10=7.0, median=6.5, n_ranked=63)]
    [0.7, 1.3, 0.2, -0.3]
    """
    median_rank = (n_ranked + 1) // 2 if n_ranked else None
    return [
        Gap("target", target, gap_points(latest, target), gap_rank_places(latest_rank, target_rank)),
        Gap("best", best, gap_points(latest, best), gap_rank_places(latest_rank, 1 if best is not None else None)),
        Gap("top10", top10, gap_points(latest, top10),
            gap_rank_places(latest_rank, 10 if top10 is not None else None)),
        Gap("median", median, gap_points(latest, median),
            gap_rank_places(latest_rank, median_rank if median is not None else None)),
    ]


def points_to_gain(frame: pd.DataFrame) -> pd.DataFrame:
    """Composite points from closing each sub-index's gap to the best province: weight % × gap / 10.

    ``frame`` has code, value (ours), best and weight (%); the result adds gap and points, largest
    first. Where we are the best, the gap is 0; an unknown value, best or weight gives None.

    >>> f = pd.DataFrame({"code": ["a", "b", "c"], "value": [6.0, 7.0, 8.0], "best": [8.0, 7.5, 8.0],
    ...                   "weight": [15.0, 10.0, 5.0]})
    >>> points_to_gain(f)[["code", "gap", "points"]].values.tolist()
    [['a', 2.0, 3.0], ['b', 0.5, 0.5], ['c', 0.0, 0.0]]
    """
    out = frame.copy()
    gap = (out["best"].astype("Float64") - out["value"].astype("Float64")).clip(lower=0)
    out["gap"] = gap.round(10)
    out["points"] = (out["weight"].astype("Float64") * gap / 10).round(10)
    return out.sort_values("points", ascending=False, na_position="last").reset_index(drop=True)
