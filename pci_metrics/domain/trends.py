"""Trend of a yearly series, with methodology breaks flagged so no chart joins incomparable years."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from pci_metrics.domain.numbers import as_float, as_int


@dataclass(frozen=True)
class Trend:
    """What a leader asks of a series: up or down, by how much, since when."""

    latest_year: int | None
    latest_value: float | None
    change_on_last_year: float | None  # None when last year is missing or across a methodology break
    change_over_n: float | None
    n_years: int
    slope_per_year: float | None  # least squares over the comparable segment that ends at the latest year
    best_year: int | None
    best_value: float | None
    worst_year: int | None
    worst_value: float | None
    breaks: list[int] = field(default_factory=list)  # first year of each new methodology


def segment_ids(years: list[int], frameworks: list[str]) -> list[int]:
    """Number consecutive comparable stretches: a new framework starts a new segment.

    >>> segment_ids([2011, 2012, 2013, 2014], ["pci2009", "pci2009", "pci2013", "pci2013"])
    [0, 0, 1, 1]
    """
    out: list[int] = []
    seg = 0
    for i, fw in enumerate(frameworks):
        if i > 0 and fw != frameworks[i - 1]:
            seg += 1
        out.append(seg)
    return out


def method_breaks(frames: Iterable[pd.DataFrame], starts: Mapping[str, int] | None = None) -> list[int]:
    """Where a chart marks a methodology change: the first year of each methodology that follows
    another among the series shown (frames with year and framework_id). A methodology's first year is
    its own (``starts``: framework → first year, from the frameworks table), else the earliest year
    any series shown has in it — never the year one province's data in it happen to begin (Hải Dương
    has no PCI 2022 score, yet PCI 2022 began in 2022 for everyone).

    >>> hp = pd.DataFrame({"year": [2021, 2022, 2023], "framework_id": ["pci2013", "pci2022", "pci2022"]})
    >>> hd = pd.DataFrame({"year": [2021, 2023], "framework_id": ["pci2013", "pci2022"]})
    >>> method_breaks([hp, hd]), method_breaks([hd]), method_breaks([hd], {"pci2013": 2013, "pci2022": 2022})
    ([2022], [2023], [2022])
    """
    first: dict[str, int] = {}
    for frame in frames:
        if "framework_id" not in frame or frame.empty:
            continue
        for fw, year in zip(frame["framework_id"], frame["year"], strict=True):
            if isinstance(fw, str) and not pd.isna(year):
                first[fw] = min(first.get(fw, int(year)), int(year))
    known = sorted({int((starts or {}).get(fw, year)) for fw, year in first.items()})
    return known[1:]


def trend(series: pd.DataFrame, n_years: int = 5) -> Trend:
    """Summarise a series with columns year, value, framework_id (one row per year).

    Changes are only computed inside one methodology; best/worst are over all years shown.

    >>> df = pd.DataFrame({"year": [2012, 2013, 2014], "value": [50.0, 55.0, 58.0],
    ...                    "framework_id": ["pci2009", "pci2013", "pci2013"]})
    >>> t = trend(df, n_years=2)
    >>> (t.change_on_last_year, t.breaks, t.best_year)
    (3.0, [2013], 2014)
    """
    frame = series.dropna(subset=["value"]).sort_values("year").reset_index(drop=True)
    if frame.empty:
        return Trend(None, None, None, None, n_years, None, None, None, None, None, [])
    frame["segment"] = segment_ids(frame["year"].tolist(), frame["framework_id"].tolist())
    breaks = [int(y) for y, s, p in zip(frame["year"], frame["segment"], frame["segment"].shift(), strict=True)
              if not pd.isna(p) and s != p]
    last = frame.iloc[-1]
    same = frame[frame["segment"] == last["segment"]]
    prev = same[same["year"] == last["year"] - 1]
    change = float(last["value"] - prev["value"].iloc[0]) if not prev.empty else None
    base = same[same["year"] == last["year"] - n_years]
    change_n = float(last["value"] - base["value"].iloc[0]) if not base.empty else None
    slope = None
    if len(same) >= 2:
        x = same["year"].astype(float)
        y = same["value"].astype(float)
        denom = float(((x - x.mean()) ** 2).sum())
        slope = float(((x - x.mean()) * (y - y.mean())).sum() / denom) if denom else None
    best = frame.loc[frame["value"].idxmax()]
    worst = frame.loc[frame["value"].idxmin()]

    def r(v: float | None) -> float | None:
        return None if v is None or math.isnan(v) else round(v, 10)

    return Trend(int(last["year"]), float(last["value"]), r(change), r(change_n), n_years, r(slope),
                 int(best["year"]), float(best["value"]), int(worst["year"]), float(worst["value"]), breaks)


@dataclass
class Latest:
    """The latest known value of a series and what can be said about its change."""

    year: int | None
    value: float | None
    rank: int | None
    rank_of: int | None
    change: float | None
    change_note: str  # "" | "break" (the previous year used another methodology) | "no_prev"
    provenance: str | None
    source: str | None


def latest_of(series: pd.DataFrame) -> tuple[Latest, Trend]:
    """The latest value of a series (year, value, rank, rank_of, framework_id, provenance, source)
    and its change on the previous year (never across a break).

    >>> s = pd.DataFrame({"year": [2021, 2022], "value": [6.5, 6.45], "rank": [None, None],
    ...                   "rank_of": [None, None], "framework_id": ["pci2013", "pci2022"],
    ...                   "provenance": ["published"] * 2, "source": ["x"] * 2})
    >>> lt, _ = latest_of(s)
    >>> (lt.year, lt.value, lt.change, lt.change_note)
    (2022, 6.45, None, 'break')
    """
    tr = trend(series)
    known = series.dropna(subset=["value"]).sort_values("year")
    if known.empty:
        return Latest(None, None, None, None, None, "no_prev", None, None), tr
    last = known.iloc[-1]
    prev = known[known["year"] == int(last["year"]) - 1]
    note = "no_prev" if prev.empty else ("break" if prev["framework_id"].iloc[0] != last["framework_id"] else "")
    return Latest(int(last["year"]), as_float(last["value"]), as_int(last["rank"]), as_int(last["rank_of"]),
                  tr.change_on_last_year, note, str(last["provenance"]), str(last["source"])), tr


def framework_of(frameworks: pd.DataFrame, year: int) -> str | None:
    """The methodology in force in a year, from the frameworks table (year_from, year_to; an open
    end runs on): the one rule the build, the import, the projection and the map use.

    >>> f = pd.DataFrame({"framework_id": ["a", "b"], "year_from": [2013, 2025], "year_to": [2024, None]})
    >>> framework_of(f, 2026), framework_of(f, 2020), framework_of(f, 2000)
    ('b', 'a', None)
    """
    for r in frameworks.itertuples(index=False):
        start, end = r.year_from, r.year_to
        if pd.notna(start) and int(start) <= year and (pd.isna(end) or year <= int(end)):
            return str(r.framework_id)
    return None
