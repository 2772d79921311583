"""Gaps in points and in rank places: to the target, the best province, the top-10 cut-off, the median."""

from __future__ import annotations

from dataclasses import dataclass


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


def target_status(latest: float | None, target: float | None, *, watch_band: float = 0.25) -> str:
    """Red/amber/green: "on_track" when the target is met, "watch" within ``watch_band`` points
    below it, "off_track" further below, "no_target" / "no_data" when either is unknown.

    >>> [target_status(7.6, 7.5), target_status(7.3, 7.5), target_status(6.0, 7.5), target_status(6.0, None)]
    ['on_track', 'watch', 'off_track', 'no_target']
    """
    if target is None:
        return "no_target"
    if latest is None:
        return "no_data"
    if latest >= target - 1e-9:
        return "on_track"
    if target - latest <= watch_band + 1e-9:
        return "watch"
    return "off_track"
