"""Targets and the red/amber/green status of a measure: the one rule behind the priority pages,
the scorecard, the slides and the quarterly report.

* **Which target** (:func:`pick_target`): targets are entered per year; the one used is the
  earliest for a year on or after the latest data, else the latest one. None is ever assumed.
* **Status** (:func:`priority_status`): with a score target, *Đạt* (on track) when the latest value
  reaches it, *Cần chú ý* (watch) when it is at most ``watch_band`` points below (default 0.25),
  *Chưa đạt* (off track) further below (:func:`score_status`); with a rank target, the same with
  ``watch_places`` rank places (default 2, :func:`rank_status`). With both, the worse of the two.
  No target: *Chưa có mục tiêu*; no value: *Chưa có số liệu*. Both bands are settings an analyst
  can change (checked by :func:`parse_watch_band` and :func:`parse_watch_places`).
* **Not yet due** (:func:`judge`): a target is judged only once its own year has data. Until then the
  status is *Chưa đến kỳ đánh giá* — a 2026 target entered today is not "off track" against the
  2024 value; the outputs state the latest value and the gap still to close instead.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pci_metrics.base.cells import parse_number
from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.domain.trends import Latest

DEFAULT_WATCH_BAND = 0.25
DEFAULT_WATCH_PLACES = 2
MAX_WATCH_BAND = 5.0
MAX_WATCH_PLACES = 30
STATUSES = ("on_track", "watch", "off_track", "not_due", "no_target", "no_data")
_SEVERITY = {"on_track": 1, "watch": 2, "off_track": 3}


def score_status(value: float | None, target: float | None, *, watch_band: float = DEFAULT_WATCH_BAND) -> str:
    """Red/amber/green on a score target: reached, within ``watch_band`` points below it, or further.

    >>> [score_status(7.6, 7.5), score_status(7.3, 7.5), score_status(6.0, 7.5), score_status(6.0, None)]
    ['on_track', 'watch', 'off_track', 'no_target']
    """
    if target is None:
        return "no_target"
    if value is None:
        return "no_data"
    if value >= target - 1e-9:
        return "on_track"
    if target - value <= watch_band + 1e-9:
        return "watch"
    return "off_track"


def rank_status(rank: int | None, target_rank: int | None, *, watch_places: int = DEFAULT_WATCH_PLACES) -> str:
    """Red/amber/green on a rank target: reached, within ``watch_places`` places, or further.

    >>> [rank_status(3, 5), rank_status(6, 5), rank_status(9, 5), rank_status(None, 5), rank_status(3, None)]
    ['on_track', 'watch', 'off_track', 'no_data', 'no_target']
    """
    if target_rank is None:
        return "no_target"
    if rank is None:
        return "no_data"
    if rank <= target_rank:
        return "on_track"
    return "watch" if rank - target_rank <= watch_places else "off_track"


def priority_status(value: float | None, rank: int | None, target_score: float | None,
                    target_rank: int | None, *, watch_band: float = DEFAULT_WATCH_BAND,
                    watch_places: int = DEFAULT_WATCH_PLACES) -> str:
    """The status of a value against its targets: the worse of the score and the rank rule.

    >>> priority_status(7.3, None, 7.5, None)
    'watch'
    >>> priority_status(7.6, 12, 7.5, 5)
    'off_track'
    >>> priority_status(None, None, None, None), priority_status(None, None, 7.5, None)
    ('no_target', 'no_data')
    """
    if target_score is None and target_rank is None:
        return "no_target"
    found = []
    if target_score is not None:
        found.append(score_status(value, target_score, watch_band=watch_band))
    if target_rank is not None:
        found.append(rank_status(rank, target_rank, watch_places=watch_places))
    judged = [s for s in found if s in _SEVERITY]
    return max(judged, key=lambda s: _SEVERITY[s]) if judged else "no_data"


def pick_target(targets: pd.DataFrame, code: str, entities: list[str], latest_year: int | None) -> dict[str, Any] | None:
    """The target to judge against: the earliest for a year on or after the latest data, else the latest.

    >>> tg = pd.DataFrame({"code": ["x", "x"], "entity_key": ["hp", "hp"], "year": [2025, 2026],
    ...                    "target_score": [7.0, 7.5], "target_rank": [None, None], "source": ["p", "p"]})
    >>> pick_target(tg, "x", ["hp"], 2022)["year"], pick_target(tg, "x", ["hp"], 2030)["year"]
    (2025, 2026)
    >>> pick_target(tg, "y", ["hp"], 2022) is None
    True
    """
    mine = targets[(targets["code"] == code) & targets["entity_key"].isin(entities)]
    mine = mine[mine["target_score"].notna() | mine["target_rank"].notna()]
    if mine.empty:
        return None
    ahead = mine[mine["year"] >= (latest_year or 0)].sort_values("year")
    row = ahead.iloc[0] if not ahead.empty else mine.sort_values("year").iloc[-1]
    return dict(year=int(row["year"]), target_score=as_float(row["target_score"]),
                target_rank=as_int(row["target_rank"]), source=str(row.get("source") or ""),
                entered_by=None if pd.isna(row.get("entered_by")) else str(row.get("entered_by")),
                entity_key=str(row["entity_key"]))


def judge(targets: pd.DataFrame, code: str, entities: list[str], latest: Latest, *,
          watch_band: float = DEFAULT_WATCH_BAND,
          watch_places: int = DEFAULT_WATCH_PLACES) -> tuple[dict[str, Any] | None, str]:
    """The target a measure is judged against (:func:`pick_target`) and its status: *not_due* while
    the target's year is later than the latest value's, else :func:`priority_status`.

    Example: latest 6.8 (2022), targets 2022 = 6.5 and 2026 = 7.5 → the 2022 target, *Đạt*; with
    only the 2026 target, *Chưa đến kỳ đánh giá* (never *Chưa đạt* before 2026 has data).

    >>> tg = pd.DataFrame({"code": ["x", "x"], "entity_key": ["hp", "hp"], "year": [2022, 2026],
    ...                    "target_score": [6.5, 7.5], "target_rank": [None, None], "source": ["p", "p"]})
    >>> target, status = judge(tg, "x", ["hp"], Latest(2022, 6.8, None, None, None, "", None, None))
    >>> target["year"], status
    (2022, 'on_track')
    >>> target, status = judge(tg.iloc[1:], "x", ["hp"], Latest(2022, 6.8, None, None, None, "", None, None))
    >>> target["year"], status
    (2026, 'not_due')
    """
    target = pick_target(targets, code, entities, latest.year)
    if target is not None and latest.year is not None and latest.value is not None \
            and target["year"] > latest.year:
        return target, "not_due"
    status = priority_status(latest.value, latest.rank, target["target_score"] if target else None,
                             target["target_rank"] if target else None, watch_band=watch_band,
                             watch_places=watch_places)
    return target, status


def _number(value: Any) -> float:
    """A typed setting through the one cell parser; NaN (refused by the callers) when not a number."""
    number, _how = parse_number(value)
    return float("nan") if number is None else number


def parse_watch_band(value: Any) -> float:
    """A watch band in points, checked: a number from 0 to 5 (a decimal comma is accepted).

    >>> parse_watch_band("0,5"), parse_watch_band(0.25)
    (0.5, 0.25)
    >>> parse_watch_band(-1)
    Traceback (most recent call last):
    ValueError: Ngưỡng cần chú ý phải là số từ 0 đến 5 điểm / The watch band must be a number from 0 to 5 points
    """
    band = _number(value)
    if math.isnan(band) or not 0 <= band <= MAX_WATCH_BAND:
        raise ValueError("Ngưỡng cần chú ý phải là số từ 0 đến 5 điểm / "
                         "The watch band must be a number from 0 to 5 points")
    return band


def parse_watch_places(value: Any) -> int:
    """A watch band in rank places, checked: a whole number from 0 to 30.

    >>> parse_watch_places("3")
    3
    """
    places = _number(value)
    if math.isnan(places) or places != int(places) or not 0 <= places <= MAX_WATCH_PLACES:
        raise ValueError("Số bậc cần chú ý phải là số nguyên từ 0 đến 30 / "
                         "The watch places must be a whole number from 0 to 30")
    return int(places)
