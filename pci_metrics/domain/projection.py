"""Projection to a target's year at the recent pace: a stated method, never across a methodology
break, never on too few points.

**Method.** A Theil–Sen line (the median of the slopes between every pair of years; the intercept
is the median of ``value − slope × year``) through the last :data:`WINDOW` years that follow the
methodology in force in the target's year — and only those. It needs at least :data:`MIN_POINTS`
such years; otherwise there is no projection and the answer says why (``break``: the data are
under another methodology than the target year's; ``few_points``: too few years of it).

**Band.** ±2 residual standard deviations of the fitted years (``√(Σr²/(n−2))``), widened with the
distance to the target year like a prediction interval (``√(1 + 1/n + (x₀−x̄)²/Σ(x−x̄)²)``), kept
inside the scale (0–10 for a sub-index, 0–100 for the composite; ranks 1…n). It is the data's own
variation, not a probability: a handful of yearly points cannot give one.

**Status.** ``on_course`` when the projected value reaches the target (a rank at or above it),
``accelerate`` when it does not, ``not_enough`` when no projection can be made, ``no_target`` when
there is a projection but nothing to judge it against.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import median

import pandas as pd

WINDOW = 5  # the last N comparable years the line is fitted on
MIN_POINTS = 4  # fewer years give a line that says more about noise than about pace
BAND_SDS = 2.0
STATUSES = ("on_course", "accelerate", "not_enough", "no_target")


@dataclass(frozen=True)
class Projection:
    """A measure's expected value in the target year, its band and its status."""

    status: str  # one of STATUSES
    reason: str  # "" | "break" | "few_points" | "no_data"
    target_year: int | None
    framework_id: str | None  # the methodology of the target year
    kind: str  # "score" | "rank"
    target: float | None
    n_points: int  # years of the target year's methodology used (or found)
    years: list[int] = field(default_factory=list)
    slope: float | None = None
    intercept: float | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None

    def line(self) -> pd.DataFrame:
        """The fitted line from the last year used to the target year (year, value, low, high)."""
        if self.value is None or not self.years or self.slope is None or self.intercept is None:
            return pd.DataFrame(columns=["year", "value", "low", "high"])
        first, last = self.years[-1], int(self.target_year or self.years[-1])
        years = list(range(first, last + 1))
        half = (self.high - self.value) if self.high is not None else 0.0
        span = max(last - first, 1)
        values = [self.intercept + self.slope * y for y in years]
        widths = [half * (y - first) / span for y in years]
        return pd.DataFrame({"year": years, "value": values, "low": [v - w for v, w in zip(values, widths, strict=True)],
                             "high": [v + w for v, w in zip(values, widths, strict=True)]})


def theil_sen(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Slope and intercept of the Theil–Sen line.

    >>> [round(v, 6) for v in theil_sen([0, 1, 2, 3], [0, 2, 2, 4])]
    [1.166667, 0.25]
    """
    slopes = [(ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs)) for j in range(i + 1, len(xs))]
    slope = median(slopes)
    return slope, median(y - slope * x for x, y in zip(xs, ys, strict=True))


def band_half_width(xs: list[float], ys: list[float], slope: float, intercept: float, x0: float) -> float:
    """Half the band's width at ``x0``: BAND_SDS residual standard deviations, widened with distance.

    >>> round(band_half_width([0, 1, 2], [0, 1, 2], 1.0, 0.0, 5), 6)
    0.0
    """
    n = len(xs)
    resid = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    sd = math.sqrt(sum(r * r for r in resid) / (n - 2))
    mean = sum(xs) / n
    sxx = sum((x - mean) ** 2 for x in xs)
    return BAND_SDS * sd * math.sqrt(1 + 1 / n + (x0 - mean) ** 2 / sxx)


def project(series: pd.DataFrame, *, target_year: int, target_framework: str | None, target: float | None,
            kind: str = "score", bounds: tuple[float, float] = (0.0, 100.0)) -> Projection:
    """Project a yearly series (year, value, framework_id) to ``target_year``.

    >>> s = pd.DataFrame({"year": [2016, 2017, 2018, 2019], "value": [60.0, 62.0, 64.0, 66.0],
    ...                   "framework_id": ["f"] * 4})
    >>> p = project(s, target_year=2021, target_framework="f", target=68.0)
    >>> (p.status, p.value, p.low, p.high)
    ('on_course', 70.0, 70.0, 70.0)
    >>> project(s, target_year=2026, target_framework="g", target=68.0).reason
    'break'
    """
    known = series.dropna(subset=["value"])
    known = known[known["year"] <= target_year]
    same = known[known["framework_id"] == target_framework].sort_values("year").tail(WINDOW)
    years = [int(y) for y in same["year"]]
    if len(same) < MIN_POINTS:
        reason = "no_data" if known.empty else ("break" if same.empty else "few_points")
        return Projection("not_enough", reason, target_year, target_framework, kind, target, len(same), years)
    xs, ys = [float(y) for y in same["year"]], [float(v) for v in same["value"]]
    slope, intercept = theil_sen(xs, ys)
    lo, hi = bounds
    value = min(max(intercept + slope * target_year, lo), hi)
    half = band_half_width(xs, ys, slope, intercept, float(target_year))
    low, high = max(value - half, lo), min(value + half, hi)
    if target is None:
        status = "no_target"
    elif kind == "rank":
        status = "on_course" if value <= target else "accelerate"
    else:
        status = "on_course" if value >= target else "accelerate"
    return Projection(status, "", target_year, target_framework, kind, target, len(same), years,
                      slope=slope, intercept=intercept, value=value, low=low, high=high)
