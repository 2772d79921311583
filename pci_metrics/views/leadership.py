"""Leadership page models (issue 3): a page per prioritized sub-index, the Overview scorecard,
"where the points are", the compare page and the leaders' trajectories.

The rules, written once here and tested as tables in ``tests/test_leadership.py``:

* **History of a priority.** A priority with lineage links (a PCI 2025 sub-index) takes its
  history from :func:`pci_metrics.views.history.lineage_series`: the plain mean of the classic
  sub-indices it continues, in years where all of them are known — a derived value resting on a
  judgment (who made the link is shown). Its own scores replace the derived ones once published.
  A priority without links (a classic sub-index) uses its own scores. Only comparable
  methodologies are shown (the 2005 pilot is left out); a change of methodology is a break.
* **Benchmarks** (median, best province, top-10 cut-off) and **ranks** of lineage values are
  derived the same way as the stored ones: from all provinces' values (each province's mean of
  the linked classic sub-indices), only in years where every province ranked has a value.
* **Targets** come from the ``target`` table (analysts enter them on the import page); the target
  used is the earliest one for a year on or after the latest data, else the latest one. None is
  ever assumed.
* **Red/amber/green status** (:func:`priority_status`): with a score target, *Đạt* when the
  latest value reaches it, *Cần chú ý* when it is at most ``rag_watch_band`` points below
  (default 0.25), *Chưa đạt* further below; with a rank target, the same with
  ``rag_watch_places`` rank places (default 2). With both, the worse of the two. No target:
  *Chưa có mục tiêu*; no value: *Chưa có số liệu*. Both bands are settings an analyst can change.
* **Where the points are** (:func:`points_to_gain`): for each sub-index, weight % × (best
  province's score − Hải Phòng's score) / 10 = composite points Hải Phòng would gain by closing
  the gap, in the latest year where both Hải Phòng's and the best province's sub-index scores
  are known, with that year's weights — and, labelled separately, with the newest known weights.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.i18n import CATALOG, fmt_num, t
from pci_metrics.domain import gaps as gaps_mod
from pci_metrics.domain.trends import Trend, trend
from pci_metrics.store import storage
from pci_metrics.store.storage import records
from pci_metrics.views import history

HAIPHONG = "haiphong"
COMPOSITE = history.COMPOSITE
WATCH_BAND_KEY = "rag_watch_band"
WATCH_PLACES_KEY = "rag_watch_places"
DEFAULT_WATCH_BAND = 0.25
DEFAULT_WATCH_PLACES = 2
MAX_WATCH_BAND = 5.0
MAX_WATCH_PLACES = 30
MAX_NOTE = 1000
STATUSES = ("on_track", "watch", "off_track", "no_target", "no_data")
_SEVERITY = {"on_track": 1, "watch": 2, "off_track": 3}


def _num(v: Any) -> float | None:
    """A float, or None for None/NaN/NA."""
    if v is None or v is pd.NA:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _int(v: Any) -> int | None:
    f = _num(v)
    return None if f is None else int(f)


# ---------------------------------------------------------------------------
# Status rule and settings
# ---------------------------------------------------------------------------

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
        found.append(gaps_mod.target_status(value, target_score, watch_band=watch_band))
    if target_rank is not None:
        found.append(rank_status(rank, target_rank, watch_places=watch_places))
    judged = [s for s in found if s in _SEVERITY]
    return max(judged, key=lambda s: _SEVERITY[s]) if judged else "no_data"


def parse_watch_band(value: Any) -> float:
    """A watch band in points, checked: a number from 0 to 5 (a decimal comma is accepted).

    >>> parse_watch_band("0,5"), parse_watch_band(0.25)
    (0.5, 0.25)
    >>> parse_watch_band(-1)
    Traceback (most recent call last):
    ValueError: Ngưỡng cần chú ý phải là số từ 0 đến 5 điểm / The watch band must be a number from 0 to 5 points
    """
    try:
        band = float(str(value).replace(",", "."))
    except ValueError:
        band = float("nan")
    if math.isnan(band) or not 0 <= band <= MAX_WATCH_BAND:
        raise ValueError("Ngưỡng cần chú ý phải là số từ 0 đến 5 điểm / "
                         "The watch band must be a number from 0 to 5 points")
    return band


def parse_watch_places(value: Any) -> int:
    """A watch band in rank places, checked: a whole number from 0 to 30.

    >>> parse_watch_places("3")
    3
    """
    try:
        places = float(str(value).replace(",", "."))
    except ValueError:
        places = float("nan")
    if math.isnan(places) or places != int(places) or not 0 <= places <= MAX_WATCH_PLACES:
        raise ValueError("Số bậc cần chú ý phải là số nguyên từ 0 đến 30 / "
                         "The watch places must be a whole number from 0 to 30")
    return int(places)


def watch_bands(con: duckdb.DuckDBPyConnection) -> tuple[float, int]:
    """The configured (points, rank places) watch bands; defaults (0.25, 2) when unset or invalid."""
    band, places = DEFAULT_WATCH_BAND, DEFAULT_WATCH_PLACES
    raw = storage.get_setting(con, WATCH_BAND_KEY)
    if raw is not None:
        try:
            band = parse_watch_band(raw)
        except ValueError:
            pass
    raw = storage.get_setting(con, WATCH_PLACES_KEY)
    if raw is not None:
        try:
            places = parse_watch_places(raw)
        except ValueError:
            pass
    return band, places


def save_watch_bands(con: duckdb.DuckDBPyConnection, band: Any, places: Any, user_name: str) -> tuple[float, int]:
    """Check and store both watch bands (each one transaction with an audit line)."""
    b, p = parse_watch_band(band), parse_watch_places(places)
    storage.set_setting(con, WATCH_BAND_KEY, repr(b), user_name)
    storage.set_setting(con, WATCH_PLACES_KEY, str(p), user_name)
    return b, p


def status_label(status: str, lang: str = "vi") -> str:
    """The glossary's words for a status, with a shape so colour is never the only cue.

    >>> status_label("on_track"), status_label("off_track", "en")
    ('🟢 Đạt', '🔴 Off track')
    """
    return t(f"leadership_status_{status}", lang)


def status_color(status: str) -> str:
    """The badge colour of a status (the words always say it too).

    >>> status_color("watch"), status_color("no_target")
    ('orange', 'gray')
    """
    return {"on_track": "green", "watch": "orange", "off_track": "red"}.get(status, "gray")


def target_text(target: dict[str, Any] | None, lang: str) -> str:
    """A target in words: its score and/or rank ("" when there is none).

    >>> target_text({"target_score": 7.5, "target_rank": 5}, "vi"), target_text(None, "vi")
    ('7,50 · hạng 5', '')
    """
    if not target:
        return ""
    parts = [fmt_num(target["target_score"], lang)] if target.get("target_score") is not None else []
    if target.get("target_rank"):
        parts.append(t("leadership_target_rank", lang, rank=target["target_rank"]))
    return " · ".join(parts)


# ---------------------------------------------------------------------------
# Lineage values, benchmarks and ranks from all provinces
# ---------------------------------------------------------------------------

VALUE_COLUMNS = ["entity_key", "year", "framework_id", "value", "rank", "rank_of"]


def lineage_values(scores: pd.DataFrame, classic: list[str]) -> pd.DataFrame:
    """Each province's mean of the linked classic sub-indices per year, only where all are known.

    >>> s = pd.DataFrame({"entity_key": ["a", "a", "b"], "year": [2019] * 3, "framework_id": ["pci2013"] * 3,
    ...                   "code": ["land", "labor", "land"], "value": [6.0, 8.0, 5.0]})
    >>> lineage_values(s, ["land", "labor"])[["entity_key", "value"]].values.tolist()
    [['a', 7.0]]
    """
    sub = scores[scores["code"].isin(classic)].dropna(subset=["value"])
    if sub.empty:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    grouped = sub.groupby(["entity_key", "year", "framework_id"], as_index=False).agg(
        value=("value", "mean"), n=("code", "nunique"))
    out = grouped[grouped["n"] == len(set(classic))].drop(columns="n")
    out = out.assign(rank=pd.NA, rank_of=pd.NA)
    return out[VALUE_COLUMNS].sort_values(["year", "entity_key"]).reset_index(drop=True)


def full_years(values: pd.DataFrame, n_provinces: dict[int, int]) -> list[int]:
    """Years in which every province ranked that year has a value (so medians and ranks are real).

    >>> v = pd.DataFrame({"year": [2019, 2019, 2020], "value": [1.0, 2.0, 3.0]})
    >>> full_years(v, {2019: 2, 2020: 63})
    [2019]
    """
    counts = values.dropna(subset=["value"]).groupby("year").size()
    return [int(y) for y, n in counts.items() if int(y) in n_provinces and n >= n_provinces[int(y)]]


def derived_ranks(values: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Ranks (1 = best, ties share the best rank) among all provinces, in the given years only.

    >>> v = pd.DataFrame({"entity_key": ["a", "b", "c"], "year": [2019] * 3, "value": [7.0, 8.0, 7.0]})
    >>> derived_ranks(v, [2019])[["entity_key", "rank", "rank_of"]].values.tolist()
    [['a', 2, 3], ['b', 1, 3], ['c', 2, 3]]
    """
    g = values[values["year"].isin(years)].dropna(subset=["value"])
    if g.empty:
        return pd.DataFrame(columns=["entity_key", "year", "rank", "rank_of"])
    by_year = g.groupby("year")["value"]
    return pd.DataFrame({"entity_key": g["entity_key"].to_numpy(), "year": g["year"].astype(int).to_numpy(),
                         "rank": by_year.rank(ascending=False, method="min").astype(int).to_numpy(),
                         "rank_of": by_year.transform("count").astype(int).to_numpy()})


def derived_benchmarks(values: pd.DataFrame, years: list[int], source_vi: str, source_en: str) -> pd.DataFrame:
    """Median, best province and top-10 cut-off (the 10th best value) per year from all provinces.

    >>> v = pd.DataFrame({"entity_key": list("abc"), "year": [2019] * 3, "framework_id": ["f"] * 3,
    ...                   "value": [6.0, 8.0, 7.0]})
    >>> b = derived_benchmarks(v, [2019], "x", "x")
    >>> b[["median", "top_score", "top_entity_key"]].values.tolist(), b["top10_cutoff"].isna().all()
    ([[7.0, 8.0, 'b']], np.True_)
    """
    cols = ["year", "median", "top_score", "top_entity_key", "top10_cutoff", "provenance", "source"]
    g = values[values["year"].isin(years)].dropna(subset=["value"])
    if g.empty:
        return pd.DataFrame(columns=cols)
    g = g.sort_values(["year", "value"], ascending=[True, False])
    by_year = g.groupby("year")
    out = by_year.agg(median=("value", "median"), top_score=("value", "first"),
                      top_entity_key=("entity_key", "first"), n=("value", "size")).reset_index()
    tenth = by_year["value"].nth(9)
    cut = dict(zip(g.loc[tenth.index, "year"], tenth, strict=True))
    out["top10_cutoff"] = [cut.get(y) if n >= 10 else None for y, n in zip(out["year"], out["n"], strict=True)]
    out["year"] = out["year"].astype(int)
    out["top_entity_key"] = out["top_entity_key"].astype(str)
    out["provenance"] = "derived"
    out["source"] = [f"{source_vi} ({y}) / {source_en} ({y})" for y in out["year"]]
    return out[cols]


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
    return dict(year=int(row["year"]), target_score=_num(row["target_score"]),
                target_rank=_int(row["target_rank"]), source=str(row.get("source") or ""),
                entered_by=None if pd.isna(row.get("entered_by")) else str(row.get("entered_by")),
                entity_key=str(row["entity_key"]))


# ---------------------------------------------------------------------------
# History of one measure (a priority, a classic sub-index or the composite)
# ---------------------------------------------------------------------------

@dataclass
class Snapshot:
    """The tables the leadership models read, loaded once per model build (a dozen small queries
    instead of one per measure)."""

    frameworks: pd.DataFrame
    subindices: pd.DataFrame
    lineage: pd.DataFrame
    year_info: pd.DataFrame
    entities: pd.DataFrame
    scores: pd.DataFrame
    benchmarks: pd.DataFrame
    priorities: pd.DataFrame
    plan: pd.DataFrame
    targets: pd.DataFrame
    watch_band: float
    watch_places: int

    comparable: set[str] = field(default_factory=set)  # frameworks whose years compare (not the 2005 pilot)
    n_provinces: dict[int, int] = field(default_factory=dict)  # provinces ranked per year

    def __post_init__(self) -> None:
        self.comparable = set(self.frameworks[self.frameworks["comparable"].astype(bool)]["framework_id"])
        info = self.year_info.dropna(subset=["n_provinces"])
        self.n_provinces = dict(zip(info["year"].astype(int), info["n_provinces"].astype(int), strict=True))

    @property
    def names(self) -> pd.DataFrame:
        """entity_key, name_vi, name_en."""
        return self.entities[["entity_key", "name_vi", "name_en"]]

    def series(self, entity_key: str, code: str) -> pd.DataFrame:
        """Like :func:`pci_metrics.views.history.entity_series`, from the snapshot."""
        f = self.scores[(self.scores["entity_key"] == entity_key) & (self.scores["code"] == code)]
        return f[["year", "value", "rank", "rank_of", "framework_id", "provenance", "source"]].reset_index(drop=True)

    def framework_of_year(self, year: int) -> str | None:
        """The framework in force in a year."""
        hit = self.year_info[self.year_info["year"] == year]["framework_id"]
        return str(hit.iloc[0]) if not hit.empty else None

    def weights(self, framework_id: str | None) -> dict[str, float | None]:
        """A framework's weights in percent (None where unknown)."""
        subs = self.subindices[self.subindices["framework_id"] == framework_id]
        return {str(r.code): _num(r.weight) for r in records(subs)}

    def sub_names(self) -> pd.DataFrame:
        """Each sub-index code with the names of its newest framework."""
        subs = self.subindices.merge(self.frameworks[["framework_id", "year_from"]], on="framework_id")
        subs = subs.sort_values(["year_from", "sort_order"])
        return subs.groupby("code", as_index=False).last()[["code", "name_vi", "name_en", "sort_order"]]


def judge(snap: Snapshot, code: str, entities: list[str], latest: Latest) -> tuple[dict[str, Any] | None, str]:
    """The target a measure is judged against and its status: the one rule behind the priority page,
    the scorecard, the slides and the quarterly report. The target is that of the earliest year on or
    after the latest data (else the latest one set); the status is the worse of the score rule and
    the rank rule, with the watch bands stored in the database.

    Example: latest 6.8 (2022), targets 2025 = 6.5 and 2026 = 7.5 → the 2025 target, *Đạt*.
    """
    target = pick_target(snap.targets, code, entities, latest.year)
    status = priority_status(latest.value, latest.rank, target["target_score"] if target else None,
                             target["target_rank"] if target else None, watch_band=snap.watch_band,
                             watch_places=snap.watch_places)
    return target, status


def snapshot(con: duckdb.DuckDBPyConnection) -> Snapshot:
    """Load the tables the leadership models need, once."""
    band, places = watch_bands(con)
    return Snapshot(
        frameworks=storage.load_frameworks(con), subindices=storage.load_subindices(con),
        lineage=storage.load_lineage(con), year_info=storage.load_year_info(con),
        entities=storage.load_entities(con), scores=storage.load_scores(con),
        benchmarks=storage.load_benchmarks(con), priorities=storage.load_priorities(con),
        plan=storage.load_plan(con), targets=storage.load_targets(con), watch_band=band, watch_places=places)


@dataclass
class MeasureHistory:
    """One measure's history for an entity and for all provinces, with benchmarks."""

    kind: str  # "own" (its own scores) | "lineage" (derived from classic sub-indices) | "none"
    classic: list[str]
    series: pd.DataFrame  # entity: year, value, rank, rank_of, framework_id, provenance, source
    values: pd.DataFrame  # all provinces: VALUE_COLUMNS
    benchmarks: pd.DataFrame  # year, median, top_score, top_entity_key, top10_cutoff, provenance, source, framework_id


def measure_history(snap: Snapshot, framework_id: str, code: str, entity_key: str = HAIPHONG) -> MeasureHistory:
    """History of a measure: lineage-derived for a priority with links (the rule of
    :func:`pci_metrics.views.history.lineage_series`, for every province), else its own scores."""
    links = snap.lineage[(snap.lineage["framework_id"] == framework_id) & (snap.lineage["code"] == code)]
    classic = links["classic_code"].tolist()
    comparable = snap.comparable
    fw_by_year = dict(zip(snap.year_info["year"], snap.year_info["framework_id"], strict=True))
    cols = ["year", "value", "rank", "rank_of", "framework_id", "provenance", "source"]
    if classic:
        own_all = snap.scores[(snap.scores["code"] == code) & (snap.scores["framework_id"] == framework_id)]
        own = own_all[VALUE_COLUMNS]
        derived = lineage_values(snap.scores[snap.scores["code"].isin(classic)], classic)
        if not own.empty:
            keys = set(zip(own["entity_key"], own["year"], strict=True))
            derived = derived[[(e, y) not in keys for e, y in zip(derived["entity_key"], derived["year"], strict=True)]]
        derived = derived[derived["framework_id"].isin(comparable)]
        years = full_years(derived, snap.n_provinces)
        ranks = derived_ranks(derived, years)
        derived = derived.drop(columns=["rank", "rank_of"]).merge(ranks, on=["entity_key", "year"], how="left")
        values = pd.concat([p for p in (derived[VALUE_COLUMNS], own) if not p.empty] or [derived[VALUE_COLUMNS]],
                           ignore_index=True)
        joined = ", ".join(classic)
        bench = derived_benchmarks(derived, years,
                                   f"Tính từ giá trị kế thừa (trung bình của {joined}) của tất cả các tỉnh",
                                   f"computed from all provinces' lineage values (mean of {joined})")
        mine = derived[derived["entity_key"] == entity_key].assign(provenance="derived", source=history.lineage_source(classic))
        own_mine = own_all[own_all["entity_key"] == entity_key]
        series = pd.concat([p[cols] for p in (mine, own_mine) if not p.empty] or [mine[cols]], ignore_index=True)
        kind = "lineage"
    else:
        values = snap.scores[(snap.scores["code"] == code) & snap.scores["framework_id"].isin(comparable)][VALUE_COLUMNS]
        bench = snap.benchmarks[snap.benchmarks["code"] == code][
            ["year", "median", "top_score", "top_entity_key", "top10_cutoff", "provenance", "source"]]
        series = snap.series(entity_key, code)
        kind = "own"
    series = series[series["framework_id"].isin(comparable | {framework_id})].sort_values("year")
    series = series.assign(rank=series["rank"].astype("Int64"), rank_of=series["rank_of"].astype("Int64"))
    bench = bench.assign(framework_id=[fw_by_year.get(int(y)) for y in bench["year"]])
    bench = bench[bench["framework_id"].isin(comparable)].reset_index(drop=True)
    if series.dropna(subset=["value"]).empty and kind == "lineage":
        kind = "none"
    if not classic and series.dropna(subset=["value"]).empty:
        kind = "none"
    return MeasureHistory(kind, classic, series.reset_index(drop=True), values.reset_index(drop=True), bench)


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
    """The latest value of a series, its change on the previous year (never across a break).

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
    return Latest(int(last["year"]), _num(last["value"]), _int(last["rank"]), _int(last["rank_of"]),
                  tr.change_on_last_year, note, str(last["provenance"]), str(last["source"])), tr


# ---------------------------------------------------------------------------
# The page of one prioritized sub-index
# ---------------------------------------------------------------------------

@dataclass
class PriorityModel:
    """Everything a priority page shows (values are Hải Phòng's; unknowns stay None/absent)."""

    code: str
    framework_id: str
    name_vi: str
    name_en: str
    weight: float | None
    plan_source: str
    kind: str  # "own" | "lineage" | "none"
    lineage: pd.DataFrame  # classic_code, name_vi, name_en, author, note_vi, note_en
    series: pd.DataFrame
    benchmarks: pd.DataFrame  # + top_name_vi, top_name_en
    classic: pd.DataFrame  # classic_code, name_vi, name_en, year, value, rank, rank_of, framework_id, ...
    latest: Latest
    trend: Trend
    target: dict[str, Any] | None
    status: str
    gaps: pd.DataFrame  # reference, year, value, rank, reference_value, reference_rank, reference_entity_vi/en, points, rank_places
    bench_year: int | None
    distribution: pd.DataFrame  # entity_key, name_vi, name_en, value, rank
    indicators: pd.DataFrame  # subindex, indicator_code, label_en, sort_order, year, haiphong, median, min, max
    tasks: pd.DataFrame  # task_id, title_vi, title_en, lead_vi, lead_en, deadline, status, progress, last_period
    notes: pd.DataFrame  # year, text, author, created_at
    watch_band: float
    watch_places: int
    framework_weights_known: bool = True
    messages: list[str] = field(default_factory=list)

    def name(self, lang: str) -> str:
        """The priority's name in a language."""
        return self.name_en if lang == "en" else self.name_vi

    def chart_table(self, lang: str) -> pd.DataFrame:
        """The trend chart's data with localized headers (table view and downloads)."""
        b = self.benchmarks
        top_name = b["top_name_en" if lang == "en" else "top_name_vi"] if not b.empty else pd.Series(dtype=str)
        bench = pd.DataFrame({"year": b["year"], "median": b["median"], "top_score": b["top_score"],
                              "top_province": top_name, "top10_cutoff": b["top10_cutoff"]})
        series = self.series[["year", "value", "rank", "rank_of", "framework_id", "provenance", "source"]].copy()
        if self.kind == "lineage" and not self.lineage.empty:  # the computed rows' source, in the reader's language
            names = self.lineage["name_en" if lang == "en" else "name_vi"].astype(str).tolist()
            key = "leadership_lineage_row_source" + ("" if len(names) > 1 else "_one")
            series.loc[series["provenance"] == "derived", "source"] = t(key, lang, names=", ".join(names))
        frame = series.merge(bench, on="year", how="outer").sort_values("year")
        return localized(frame, lang)

    def notes_by_year(self) -> dict[int, str]:
        """Notes keyed by year, as typed."""
        return {int(r.year): str(r.text) for r in records(self.notes)}

    def chart_notes(self) -> dict[int, str]:
        """Notes for the ✎ marks on the chart: HTML-escaped, because Plotly renders tags in hover text."""
        return {year: html.escape(text) for year, text in self.notes_by_year().items()}


def headers(lang: str) -> dict[str, str]:
    keys = {"year": "year", "value": "leadership_col_haiphong", "rank": "rank", "rank_of": "leadership_col_rank_of",
            "framework_id": "leadership_col_framework", "provenance": "provenance", "source": "source",
            "median": "series_median", "top_score": "leadership_col_top_score", "top_province": "series_top",
            "top10_cutoff": "leadership_col_top10", "name": "subindex", "classic_code": "leadership_col_code"}
    return {k: t(v, lang) for k, v in keys.items()}


def localized(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table for people: provenance in words ("tính toán" / "derived"), headers in the language."""
    out = frame.copy()
    if "provenance" in out:
        out["provenance"] = [t(f"prov_{p}", lang) if isinstance(p, str) and f"prov_{p}" in CATALOG else p
                             for p in out["provenance"]]
    return out.rename(columns=headers(lang)).reset_index(drop=True)


def _gaps_frame(latest: Latest, target: dict[str, Any] | None, series: pd.DataFrame,
                bench: pd.DataFrame) -> tuple[pd.DataFrame, int | None]:
    """Gap rows: to the target (from the latest value), and to the best, the top-10 cut-off and the
    median in the latest year where both Hải Phòng's value and all provinces' values are known."""
    rows = []
    tgt = gaps_mod.gaps(latest.value, latest.rank, target=target["target_score"] if target else None,
                        target_rank=target["target_rank"] if target else None)[0]
    rows.append(dict(reference="target", year=target["year"] if target else None, value=latest.value,
                     value_year=latest.year, rank=latest.rank, reference_value=tgt.reference_value,
                     reference_rank=target["target_rank"] if target else None, reference_entity=None,
                     points=tgt.points, rank_places=tgt.rank_places))
    known = series.dropna(subset=["value"]).merge(bench.dropna(subset=["top_score"]), on="year")
    bench_year = int(known["year"].max()) if not known.empty else None
    if bench_year is not None:
        r = known[known["year"] == bench_year].iloc[0]
        n = _int(r["rank_of"])
        found = gaps_mod.gaps(_num(r["value"]), _int(r["rank"]), best=_num(r["top_score"]),
                              top10=_num(r["top10_cutoff"]), median=_num(r["median"]), n_ranked=n)[1:]
        ref_ranks = {"best": 1, "top10": 10, "median": (n + 1) // 2 if n else None}
        for g in found:
            rows.append(dict(reference=g.reference, year=bench_year, value=_num(r["value"]), value_year=bench_year,
                             rank=_int(r["rank"]), reference_value=g.reference_value,
                             reference_rank=ref_ranks[g.reference] if g.reference_value is not None else None,
                             reference_entity=r["top_entity_key"] if g.reference == "best" else None,
                             points=g.points, rank_places=g.rank_places))
    else:
        for ref in ("best", "top10", "median"):
            rows.append(dict(reference=ref, year=None, value=None, value_year=None, rank=None, reference_value=None,
                             reference_rank=None, reference_entity=None, points=None, rank_places=None))
    return pd.DataFrame(rows), bench_year


def lineage_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """The lineage links as a localized table: classic sub-index, why, and who proposed it."""
    col, note = ("name_en", "note_en") if lang == "en" else ("name_vi", "note_vi")
    return pd.DataFrame({t("leadership_col_code", lang): model.lineage["classic_code"],
                         t("subindex", lang): model.lineage[col],
                         t("leadership_col_note", lang): model.lineage[note],
                         t("leadership_col_author", lang): history.lineage_author_column(model.lineage, lang)})


def classic_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """Hải Phòng's classic sub-indices behind a priority, year by year (localized headers)."""
    col = "name_en" if lang == "en" else "name_vi"
    f = model.classic.assign(name=model.classic[col])
    return localized(f[["name", "year", "value", "rank", "rank_of", "framework_id", "provenance", "source"]], lang)


def distribution_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """Every province's value in the distribution year, best first (localized headers)."""
    col = "name_en" if lang == "en" else "name_vi"
    f = model.distribution
    return pd.DataFrame({t("leadership_col_province", lang): f[col], t("year", lang): f["year"],
                         t("score", lang): f["value"], t("rank", lang): f["rank"].astype("Int64")})


def sub_labels(model: PriorityModel, lang: str) -> dict[str, str]:
    """Names of the sub-indices whose indicators the page can show, by code."""
    col = "name_en" if lang == "en" else "name_vi"
    out = {str(r.classic_code): str(getattr(r, col)) for r in records(model.lineage)}
    out.setdefault(model.code, model.name(lang))
    return out


_MD_SPECIAL = frozenset(r"\`*_{}[]()#+-.!|<>~$:&")


def md_literal(text: object) -> str:
    r"""Data text made literal inside Markdown: every Markdown/HTML special character is escaped.

    >>> md_literal("**x** <b>") == r"\*\*x\*\* \<b\>"
    True
    """
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))


def lineage_text(model: PriorityModel, lang: str) -> str:
    """The page's statement (Markdown) that a history rests on a lineage judgment: which
    sub-indices, whose; names and authors come from data, so they are made literal."""
    col = "name_en" if lang == "en" else "name_vi"
    classic = ", ".join(f"«{md_literal(n)}»" for n in model.lineage[col].fillna(model.lineage["classic_code"]))
    authors = "; ".join(md_literal(a) for a in history.lineage_authors(model.lineage, lang))
    return t("leadership_lineage_info", lang, framework=model.framework_id.upper().replace("PCI", "PCI "),
             classic=classic, author=authors)


def gaps_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """The gaps as a localized table: what, which year, values, points and rank places."""
    names = {"target": "series_target", "best": "leadership_gap_best", "top10": "leadership_gap_top10", "median": "series_median"}
    out = []
    for r in records(model.gaps):
        who = _entity_name(model.benchmarks, r.reference_entity, lang) if isinstance(r.reference_entity, str) else ""
        out.append({
            t("leadership_col_reference", lang): t(names[r.reference], lang) + (f" ({who})" if who else ""),
            t("year", lang): "" if _int(r.year) is None else str(_int(r.year)),
            t("leadership_col_haiphong", lang): fmt_num(r.value, lang) + (f" ({_int(r.value_year)})" if _int(r.value_year) else ""),
            t("leadership_col_reference_value", lang): fmt_num(r.reference_value, lang) if r.reference != "target" or
            _num(r.reference_value) is not None else (t("leadership_no_target", lang) if model.target is None else "—"),
            t("leadership_col_gap_points", lang): _fmt_gap(r.points, lang),
            t("leadership_col_gap_places", lang): _fmt_places(r.rank_places, r.reference_rank, lang),
        })
    return pd.DataFrame(out)


def _fmt_gap(points: Any, lang: str) -> str:
    p = _num(points)
    if p is None:
        return t("no_data", lang)
    if p <= 0:
        return t("leadership_reached", lang, over=fmt_num(-p, lang)) if -p >= 0.005 else t("leadership_reached_equal", lang)
    return fmt_num(p, lang)


def _fmt_places(places: Any, reference_rank: Any, lang: str) -> str:
    p = _int(places)
    if p is None:
        return t("no_data", lang)
    ref = _int(reference_rank)
    if p <= 0:
        return t("leadership_places_reached", lang, rank=ref if ref is not None else "")
    key = "leadership_place_to_climb" if p == 1 else "leadership_places_to_climb"
    return t(key, lang, n=p, rank=ref if ref is not None else "")


def _entity_name(bench: pd.DataFrame, key: Any, lang: str) -> str:
    if not key or bench.empty:
        return ""
    col = "top_name_en" if lang == "en" else "top_name_vi"
    hit = bench[bench["top_entity_key"] == key]
    return str(hit[col].iloc[0]) if not hit.empty and isinstance(hit[col].iloc[0], str) else str(key)


def _indicators(con: duckdb.DuckDBPyConnection, subs: list[str], entity_key: str) -> pd.DataFrame:
    """Indicator values of the given sub-indices: the entity's value and all provinces' median, min, max."""
    cols = ["subindex", "indicator_code", "label_en", "sort_order", "year", "haiphong", "median", "min", "max",
            "source"]
    if not subs:
        return pd.DataFrame(columns=cols)
    frame = storage.load_indicator_summary(con, subs, entity_key).rename(columns={"entity_value": "haiphong"})
    order = {s: i for i, s in enumerate(subs)}
    frame = frame.assign(_o=frame["subindex"].map(order)).sort_values(["_o", "sort_order", "year"])
    return frame[cols].reset_index(drop=True)


def indicator_table(model: PriorityModel, subindex: str, lang: str, formatted: bool = False) -> pd.DataFrame:
    """One sub-index's indicators, one row each: Hải Phòng per year, then the latest year's median, min,
    max (``formatted``: numbers as text in the language's format, unknown as "Chưa có số liệu")."""
    f = model.indicators[model.indicators["subindex"] == subindex]
    if f.empty:
        return pd.DataFrame()
    years = sorted(int(y) for y in f["year"].unique())
    last = years[-1]
    wide = f.pivot_table(index=["sort_order", "indicator_code", "label_en"], columns="year", values="haiphong",
                         aggfunc="first").reindex(columns=years)
    wide.columns = [f"{t('series_haiphong', lang)} {y}" for y in years]
    stats = f[f["year"] == last].set_index("indicator_code")[["median", "min", "max"]]
    stats.columns = [f"{t('series_median', lang)} {last}", f"{t('leadership_col_min', lang)} {last}",
                     f"{t('leadership_col_max', lang)} {last}"]
    out = wide.reset_index().merge(stats.reset_index(), on="indicator_code", how="left")
    out = out.drop(columns=["sort_order"])
    if formatted:
        for c in list(out.columns[2:]):
            out[c] = [fmt_num(v, lang, 3) for v in out[c]]
    return out.rename(columns={"indicator_code": t("leadership_col_code", lang),
                               "label_en": t("leadership_col_indicator", lang)})


def _tasks_for(con: duckdb.DuckDBPyConnection, code: str, today: str) -> pd.DataFrame:
    """The plan's tasks linked to a sub-index with their status (the tasks area's rule)."""
    from pci_metrics.views import tasks as tasks_mod

    cols = ["task_id", "title_vi", "title_en", "lead_vi", "lead_en", "deadline", "status", "progress",
            "last_period", "period"]
    model = tasks_mod.tasks_model(con, None, today)
    frame = model.tasks
    frame = frame[frame["code"] == code].assign(period=model.period)
    return frame[cols].reset_index(drop=True)


def tasks_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """The linked tasks as a localized table with the glossary's status words."""
    from pci_metrics.views import tasks as tasks_mod

    out = []
    for r in records(model.tasks):
        out.append({
            t("leadership_col_task", lang): r.task_id,
            t("leadership_col_task_title", lang): (r.title_en if lang == "en" and isinstance(r.title_en, str) else r.title_vi),
            t("leadership_col_lead_unit", lang): (r.lead_en if lang == "en" else r.lead_vi) or t("no_data", lang),
            t("leadership_col_deadline", lang): str(r.deadline) if r.deadline is not None and not pd.isna(r.deadline)
            else t("no_data", lang),
            t("leadership_col_status", lang): tasks_mod.status_label(str(r.status), lang),
            t("leadership_col_progress", lang): fmt_num(r.progress, lang, 0) + ("%" if _num(r.progress) is not None else ""),
        })
    return pd.DataFrame(out)


def _with_top_names(bench: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    n = names.rename(columns={"entity_key": "top_entity_key", "name_vi": "top_name_vi", "name_en": "top_name_en"})
    return bench.merge(n, on="top_entity_key", how="left")


def _plan_entities(snap: Snapshot, plan_id: Any, entity_key: str) -> list[str]:
    """Targets count for the measured entity and for the entity whose plan set them (the ward)."""
    return [entity_key, *[str(e) for e in snap.plan[snap.plan["plan_id"] == plan_id]["entity_key"]]]


def priority_model(con: duckdb.DuckDBPyConnection, code: str, today: str,
                   entity_key: str = HAIPHONG) -> PriorityModel:
    """Build a priority page's model; ``today`` (ISO date) dates the tasks' status.

    Raises KeyError when ``code`` is not a prioritized sub-index of any plan.
    """
    # Load inputs.
    snap = snapshot(con)
    row = snap.priorities[snap.priorities["code"] == code]
    if row.empty:
        raise KeyError(code)
    p = row.iloc[0]
    fw = str(p["framework_id"])
    hist = measure_history(snap, fw, code, entity_key)
    sub_names = snap.sub_names()
    links = snap.lineage[(snap.lineage["framework_id"] == fw) & (snap.lineage["code"] == code)]
    links = links.merge(sub_names.rename(columns={"code": "classic_code"}), on="classic_code", how="left")
    classic_codes = hist.classic or ([code] if hist.kind == "own" else [])
    indicators = _indicators(con, classic_codes, entity_key)
    linked_tasks = _tasks_for(con, code, today)
    notes = storage.load_notes(con, entity_key, code)[["year", "text", "author", "created_at"]]
    # Process data.
    latest, tr = latest_of(hist.series)
    target, status = judge(snap, code, _plan_entities(snap, p["plan_id"], entity_key), latest)
    bench = _with_top_names(hist.benchmarks, snap.names)
    gap_rows, bench_year = _gaps_frame(latest, target, hist.series, hist.benchmarks)
    dist_year = bench_year if bench_year is not None else (int(bench["year"].max()) if not bench.empty else None)
    dist = hist.values[hist.values["year"] == dist_year].merge(snap.names, on="entity_key", how="left")
    dist = dist.sort_values("value", ascending=False).reset_index(drop=True)
    classic_parts = [snap.series(entity_key, c).assign(classic_code=c) for c in hist.classic]
    classic = (pd.concat(classic_parts, ignore_index=True) if classic_parts else
               pd.DataFrame(columns=["year", "value", "rank", "rank_of", "framework_id", "provenance", "source",
                                     "classic_code"]))
    classic = classic[classic["framework_id"].isin(snap.comparable)]
    classic = classic.merge(sub_names.rename(columns={"code": "classic_code"}), on="classic_code", how="left")
    weights_known = all(w is not None for w in snap.weights(fw).values())
    # Save outputs.
    return PriorityModel(
        code=code, framework_id=fw, name_vi=str(p["name_vi"]), name_en=str(p["name_en"]), weight=_num(p["weight"]),
        plan_source=str(p["source"]), kind=hist.kind,
        lineage=links[["classic_code", "name_vi", "name_en", "author", "author_en", "note_vi", "note_en"]].reset_index(drop=True),
        series=hist.series, benchmarks=bench, classic=classic.reset_index(drop=True), latest=latest, trend=tr,
        target=target, status=status, gaps=gap_rows, bench_year=bench_year, distribution=dist,
        indicators=indicators, tasks=linked_tasks, notes=notes, watch_band=snap.watch_band,
        watch_places=snap.watch_places, framework_weights_known=weights_known)


# ---------------------------------------------------------------------------
# Overview scorecard and "where the points are"
# ---------------------------------------------------------------------------

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


@dataclass
class ScorecardModel:
    """The Overview's scorecard: every priority and the composite, and where the points are."""

    rows: pd.DataFrame  # kind, code, name_vi, name_en, year, value, change, change_note, rank, rank_of,
    #                     target_year, target_score, target_rank, status, history_kind, provenance
    points: pd.DataFrame  # code, name_vi, name_en, priorities_vi, priorities_en, value, best, best_entity,
    #                       best_vi, best_en, weight, gap, points, weight_now, points_now
    points_year: int | None
    points_framework: str | None
    now_framework: str | None
    hp_sub_year: int | None
    unknown_weight_frameworks: list[str]
    watch_band: float
    watch_places: int
    framework_names: dict[str, tuple[str, str]] = field(default_factory=dict)

    def framework_name(self, fw: str | None, lang: str) -> str:
        """A framework's name in a language (e.g. 'PCI 2022–2024')."""
        vi, en = self.framework_names.get(fw or "", ("", ""))
        return en if lang == "en" else vi

    def table(self, lang: str) -> pd.DataFrame:
        """The scorecard as a localized table (numbers formatted for the language)."""
        out = []
        for r in records(self.rows):
            change = (t("leadership_change_break", lang) if r.change_note == "break" else fmt_num(r.change, lang)
                      if _num(r.change) is None else ("+" if r.change > 0 else "") + fmt_num(r.change, lang))
            rank = (t("rank_of", lang, rank=_int(r.rank), n=_int(r.rank_of)) if _int(r.rank) and _int(r.rank_of)
                    else t("no_data", lang))
            target = []
            if _num(r.target_score) is not None:
                target.append(fmt_num(r.target_score, lang))
            if _int(r.target_rank) is not None:
                target.append(t("leadership_target_rank", lang, rank=_int(r.target_rank)))
            name = r.name_en if lang == "en" else r.name_vi
            out.append({
                t("leadership_col_measure", lang): name + (" (*)" if r.history_kind == "lineage" else ""),
                t("year", lang): "" if _int(r.year) is None else str(_int(r.year)),
                t("leadership_col_latest", lang): fmt_num(r.value, lang),
                t("leadership_col_change", lang): change,
                t("rank", lang): rank,
                t("series_target", lang): (" · ".join(target) + f" ({_int(r.target_year)})") if target
                else t("leadership_no_target", lang),
                t("leadership_col_status", lang): status_label(str(r.status), lang),
            })
        return pd.DataFrame(out)

    def points_table(self, lang: str) -> pd.DataFrame:
        """'Where the points are' as a localized table (downloads keep the numbers)."""
        cols = {"name": t("subindex", lang), "priorities": t("leadership_col_priorities", lang),
                "value": t("leadership_col_haiphong", lang), "best": t("leadership_col_top_score", lang),
                "best_name": t("leadership_col_best_province", lang), "gap": t("leadership_col_gap_points", lang),
                "weight": t("leadership_col_weight_then", lang, year=self.points_year or ""),
                "points": t("leadership_col_points", lang),
                "weight_now": t("leadership_col_weight_now", lang, fw=self.framework_name(self.now_framework, lang)),
                "points_now": t("leadership_col_points_now", lang)}
        f = self.points.assign(name=self.points["name_en" if lang == "en" else "name_vi"],
                               priorities=self.points["priorities_en" if lang == "en" else "priorities_vi"],
                               best_name=self.points["best_en" if lang == "en" else "best_vi"])
        return f[list(cols)].rename(columns=cols)


def _newest_known_weights(snap: Snapshot) -> tuple[str | None, dict[str, float | None]]:
    """The newest framework whose weights are all known, and its weights."""
    for fw in reversed(snap.frameworks.sort_values("year_from")["framework_id"].tolist()):
        w = snap.weights(fw)
        if w and all(v is not None for v in w.values()):
            return str(fw), w
    return None, {}


def _framework_name(snap: Snapshot, fw: str | None) -> tuple[str, str]:
    hit = snap.frameworks[snap.frameworks["framework_id"] == fw]
    return (str(hit["name_vi"].iloc[0]), str(hit["name_en"].iloc[0])) if not hit.empty else ("", "")


def _points(snap: Snapshot, entity_key: str) -> tuple[pd.DataFrame, int | None, int | None, str | None, str | None]:
    """Where the points are, in the latest year with our sub-indices and the best province's known."""
    cols = ["code", "name_vi", "name_en", "priorities_vi", "priorities_en", "value", "best", "best_entity", "best_vi",
            "best_en", "weight", "gap", "points", "weight_now", "points_now"]
    scores = snap.scores[(snap.scores["entity_key"] == entity_key) & (snap.scores["code"] != COMPOSITE)]
    subs_hp = scores.dropna(subset=["value"])
    hp_sub_year = int(subs_hp["year"].max()) if not subs_hp.empty else None
    bench = snap.benchmarks[(snap.benchmarks["code"] != COMPOSITE) & snap.benchmarks["top_score"].notna()]
    both = subs_hp.merge(bench, on=["year", "code"])
    if both.empty:
        return pd.DataFrame(columns=cols), None, hp_sub_year, None, None
    year = int(both["year"].max())
    fw = snap.framework_of_year(year)
    weights = snap.weights(fw)
    now_fw, now_w = _newest_known_weights(snap)
    f = both[both["year"] == year][["code", "value", "top_score", "top_entity_key"]].rename(
        columns={"top_score": "best", "top_entity_key": "best_entity"})
    f = f[f["code"].isin([c for c, w in weights.items() if w])]
    f = points_to_gain(f.assign(weight=[weights.get(c) for c in f["code"]]))
    now = points_to_gain(f[["code", "value", "best"]].assign(weight=[now_w.get(c) for c in f["code"]]))
    f = f.merge(now[["code", "weight", "points"]].rename(columns={"weight": "weight_now", "points": "points_now"}),
                on="code", how="left")
    f = f.merge(snap.sub_names()[["code", "name_vi", "name_en"]], on="code", how="left")
    f = f.merge(snap.names.rename(columns={"entity_key": "best_entity", "name_vi": "best_vi", "name_en": "best_en"}),
                on="best_entity", how="left")
    prio = snap.priorities
    feeds = snap.lineage.merge(prio[["framework_id", "code", "name_vi", "name_en"]], on=["framework_id", "code"])
    for lg in ("vi", "en"):
        f[f"priorities_{lg}"] = ["; ".join(feeds[feeds["classic_code"] == c][f"name_{lg}"]) for c in f["code"]]
    return f[cols].reset_index(drop=True), year, hp_sub_year, fw, now_fw


def scorecard_model(con: duckdb.DuckDBPyConnection, entity_key: str = HAIPHONG) -> ScorecardModel:
    """Build the scorecard: latest value, change, target status and rank of the composite and of
    every priority, and the composite points in each sub-index's gap to the best province."""
    # Load inputs.
    snap = snapshot(con)
    # Process data: one row per measure.
    rows = []
    measures = [("composite", "", COMPOSITE, t("composite", "vi"), t("composite", "en"), [entity_key])]
    for r in records(snap.priorities):
        measures.append(("priority", str(r.framework_id), str(r.code), str(r.name_vi), str(r.name_en),
                         _plan_entities(snap, r.plan_id, entity_key)))
    for kind, fw, code, name_vi, name_en, ents in measures:
        if kind == "composite":
            series = snap.series(entity_key, COMPOSITE)
            series, hist_kind = series[series["framework_id"].isin(snap.comparable)], "own"
        else:
            h = measure_history(snap, fw, code, entity_key)
            series, hist_kind = h.series, h.kind
        latest, _ = latest_of(series)
        target, status = judge(snap, code, ents, latest)
        rows.append(dict(kind=kind, code=code, framework_id=fw, name_vi=name_vi, name_en=name_en, year=latest.year,
                         value=latest.value, change=latest.change, change_note=latest.change_note,
                         rank=latest.rank, rank_of=latest.rank_of,
                         target_year=target["year"] if target else None,
                         target_score=target["target_score"] if target else None,
                         target_rank=target["target_rank"] if target else None, status=status,
                         history_kind=hist_kind, provenance=latest.provenance, source=latest.source))
    points, points_year, hp_sub_year, points_fw, now_fw = _points(snap, entity_key)
    unknown = sorted({str(fw) for fw in snap.priorities["framework_id"]
                      if any(w is None for w in snap.weights(str(fw)).values())})
    # Save outputs.
    return ScorecardModel(rows=pd.DataFrame(rows), points=points, points_year=points_year, points_framework=points_fw,
                          now_framework=now_fw, hp_sub_year=hp_sub_year, unknown_weight_frameworks=unknown,
                          watch_band=snap.watch_band, watch_places=snap.watch_places,
                          framework_names={fw: _framework_name(snap, fw) for fw in snap.frameworks["framework_id"]})


# ---------------------------------------------------------------------------
# Compare page and the leaders' trajectories
# ---------------------------------------------------------------------------

@dataclass
class CompareOptions:
    """What the compare page offers: provinces, years, and the defaults."""

    provinces: pd.DataFrame  # entity_key, name_vi, name_en
    years: list[int]
    full_year: int | None  # the latest year with every province's sub-indices
    default_provinces: list[str]
    span: tuple[int, int]


def latest_full_year(snap: Snapshot) -> int | None:
    """The latest year in which every province ranked has a composite and sub-index scores."""
    scores = snap.scores.dropna(subset=["value"])
    comp = scores[scores["code"] == COMPOSITE]
    subs = scores[scores["code"] != COMPOSITE].drop_duplicates(["entity_key", "year"])
    full = set(full_years(comp, snap.n_provinces)) & set(full_years(subs, snap.n_provinces))
    return max(full) if full else None


def compare_options(con: duckdb.DuckDBPyConnection, entity_key: str = HAIPHONG) -> CompareOptions:
    """Provinces with scores, comparable years, and the defaults: Hải Phòng, Quảng Ninh and the top
    five of the latest year with full data."""
    snap = snapshot(con)
    scores = snap.scores[(snap.scores["code"] == COMPOSITE) & snap.scores["framework_id"].isin(snap.comparable)]
    names = snap.names
    provinces = names[names["entity_key"].isin(scores["entity_key"])].sort_values("name_vi").reset_index(drop=True)
    years = sorted(int(y) for y in scores["year"].unique())
    full = latest_full_year(snap)
    defaults = [entity_key, "quangninh"]
    if full is not None:
        top = scores[scores["year"] == full].sort_values("rank").head(5)["entity_key"].tolist()
        defaults += [k for k in top if k not in defaults]
    defaults = [k for k in defaults if k in set(provinces["entity_key"])]
    return CompareOptions(provinces=provinces, years=years, full_year=full, default_provinces=defaults,
                          span=(years[0], years[-1]) if years else (0, 0))


@dataclass
class CompareModel:
    """Chosen provinces in a year: sub-index scores with ranks, composite trajectories, the leaders."""

    year: int
    provinces: list[str]
    subindices: pd.DataFrame  # code, name_vi, name_en, sort_order (the year's framework)
    scores: pd.DataFrame  # entity_key, name_vi, name_en, code, value, rank, rank_of
    trajectories: pd.DataFrame  # entity_key, name_vi, name_en, year, value, rank, rank_of, framework_id
    leaders: pd.DataFrame  # code, name_vi, name_en, leader, leader_vi, leader_en, leader_value, from_year,
    #                        from_value, from_rank, change, haiphong, haiphong_rank, gap
    leader_series: pd.DataFrame  # code, role (leader/haiphong/median), year, value, framework_id
    names: pd.DataFrame

    def matrix(self, lang: str) -> pd.DataFrame:
        """Sub-index × province values, labelled in a language (NaN where unknown)."""
        col = "name_en" if lang == "en" else "name_vi"
        subs = self.subindices.sort_values("sort_order")
        wide = self.scores[self.scores["code"] != COMPOSITE].pivot_table(
            index="code", columns="entity_key", values="value", aggfunc="first")
        wide = wide.reindex(index=subs["code"].tolist(), columns=self.provinces)
        wide.index = subs[col].tolist()
        label = dict(zip(self.names["entity_key"], self.names[col], strict=True))
        wide.columns = [label.get(k, k) for k in wide.columns]
        return wide.astype(float)

    def scores_table(self, lang: str, formatted: bool = False) -> pd.DataFrame:
        """Provinces × (composite, sub-indices) with ranks, localized headers; numbers kept numeric, or
        with ``formatted`` one text cell per score, "7,14 (39)" = score (rank)."""
        col = "name_en" if lang == "en" else "name_vi"
        label = dict(zip(self.names["entity_key"], self.names[col], strict=True))
        codes = [(COMPOSITE, t("composite", lang))] + list(zip(self.subindices["code"], self.subindices[col],
                                                               strict=True))
        out = []
        for key in self.provinces:
            mine = self.scores[self.scores["entity_key"] == key].set_index("code")
            row: dict[str, Any] = {t("leadership_col_province", lang): label.get(key, key)}
            for code, name in codes:
                hit = mine.loc[code] if code in mine.index else None
                value, rank = (None, None) if hit is None else (_num(hit["value"]), _int(hit["rank"]))
                if formatted:
                    row[name] = fmt_num(value, lang) + (f" ({rank})" if rank is not None else "")
                    continue
                row[name] = value
                row[f"{name} — {t('rank', lang).lower()}"] = rank
            out.append(row)
        return pd.DataFrame(out)

    def leaders_table(self, lang: str) -> pd.DataFrame:
        """Who leads each sub-index, from where, and Hải Phòng's gap: a localized table."""
        out = []
        for r in records(self.leaders):
            out.append({
                t("subindex", lang): r.name_en if lang == "en" else r.name_vi,
                t("leadership_col_leader", lang): (r.leader_en if lang == "en" else r.leader_vi) or t("no_data", lang),
                f"{t('score', lang)} {self.year}": fmt_num(r.leader_value, lang),
                t("leadership_col_from", lang): (f"{fmt_num(r.from_value, lang)} ({_int(r.from_year)}"
                                           + (", " + t("leadership_target_rank", lang, rank=_int(r.from_rank))
                                              if _int(r.from_rank) else "") + ")") if _int(r.from_year)
                else t("no_data", lang),
                t("leadership_col_change_since", lang): fmt_num(r.change, lang) if _num(r.change) is None
                else ("+" if r.change > 0 else "") + fmt_num(r.change, lang),
                t("leadership_col_haiphong", lang): fmt_num(r.haiphong, lang) + (
                    f" ({t('leadership_target_rank', lang, rank=_int(r.haiphong_rank))})" if _int(r.haiphong_rank)
                    else ""),
                t("leadership_col_gap_points", lang): _fmt_gap(r.gap, lang),
            })
        return pd.DataFrame(out)


def compare_model(con: duckdb.DuckDBPyConnection, provinces: tuple[str, ...], year: int, span_from: int,
                  span_to: int, entity_key: str = HAIPHONG) -> CompareModel:
    """Build the compare page's model for chosen provinces, a year and a span of years for trajectories."""
    # Load inputs.
    snap = snapshot(con)
    fw = snap.framework_of_year(year)
    subs = snap.subindices[snap.subindices["framework_id"] == fw][["code", "name_vi", "name_en", "sort_order"]]
    names, comparable, bench = snap.names, snap.comparable, snap.benchmarks
    fw_by_year = dict(zip(snap.year_info["year"], snap.year_info["framework_id"], strict=True))
    # Process data.
    chosen = list(dict.fromkeys(provinces))
    year_scores = snap.scores[snap.scores["year"] == year]
    scores = year_scores[year_scores["entity_key"].isin(chosen)][["entity_key", "code", "value", "rank", "rank_of"]]
    scores = scores.merge(names, on="entity_key", how="left")
    in_span = snap.scores[snap.scores["year"].between(span_from, span_to) & snap.scores["framework_id"].isin(comparable)]
    traj = in_span[(in_span["code"] == COMPOSITE) & in_span["entity_key"].isin(chosen)]
    traj = traj[["entity_key", "year", "value", "rank", "rank_of", "framework_id"]].merge(names, on="entity_key")
    leaders, series = [], []
    for s in records(subs.sort_values("sort_order")):
        b = bench[(bench["code"] == s.code) & (bench["year"] == year)]
        leader = str(b["top_entity_key"].iloc[0]) if not b.empty and isinstance(b["top_entity_key"].iloc[0], str) else None
        row: dict[str, Any] = dict(code=s.code, name_vi=s.name_vi, name_en=s.name_en, leader=leader,
                                   leader_value=_num(b["top_score"].iloc[0]) if not b.empty else None,
                                   from_year=None, from_value=None, from_rank=None, change=None)
        hp = year_scores[(year_scores["entity_key"] == entity_key) & (year_scores["code"] == s.code)]
        row["haiphong"] = _num(hp["value"].iloc[0]) if not hp.empty else None
        row["haiphong_rank"] = _int(hp["rank"].iloc[0]) if not hp.empty else None
        row["gap"] = (None if row["leader_value"] is None or row["haiphong"] is None
                      else round(row["leader_value"] - row["haiphong"], 10))
        for role, key in (("leader", leader), ("haiphong", entity_key)):
            if key is None:
                continue
            ser = in_span[(in_span["entity_key"] == key) & (in_span["code"] == s.code)]
            series.append(ser[["year", "value", "framework_id"]].assign(code=s.code, role=role, entity_key=key))
            if role == "leader":
                # how they got there: from the first year of the same methodology inside the span
                same = ser[(ser["framework_id"] == fw) & ser["value"].notna() & (ser["year"] <= year)]
                same = same.sort_values("year")
                if len(same) >= 2:
                    first = same.iloc[0]
                    row.update(from_year=int(first["year"]), from_value=_num(first["value"]),
                               from_rank=_int(first["rank"]),
                               change=round(float(same["value"].iloc[-1]) - float(first["value"]), 10))
        med = bench[(bench["code"] == s.code) & bench["year"].between(span_from, span_to)]
        med = med.assign(framework_id=[fw_by_year.get(int(y)) for y in med["year"]])
        med = med[med["framework_id"].isin(comparable)]
        series.append(pd.DataFrame({"year": med["year"], "value": med["median"], "framework_id": med["framework_id"],
                                    "code": s.code, "role": "median", "entity_key": None}))
        leaders.append(row)
    lead = pd.DataFrame(leaders, columns=["code", "name_vi", "name_en", "leader", "leader_value", "from_year",
                                          "from_value", "from_rank", "change", "haiphong", "haiphong_rank", "gap"])
    lead = lead.merge(names.rename(columns={"entity_key": "leader", "name_vi": "leader_vi", "name_en": "leader_en"}),
                      on="leader", how="left")
    leader_series = (pd.concat(series, ignore_index=True) if series else
                     pd.DataFrame(columns=["year", "value", "framework_id", "code", "role", "entity_key"]))
    # Save outputs.
    return CompareModel(year=year, provinces=chosen, subindices=subs.reset_index(drop=True),
                        scores=scores.reset_index(drop=True), trajectories=traj.reset_index(drop=True),
                        leaders=lead, leader_series=leader_series, names=names)


def trajectories_table(model: CompareModel, lang: str) -> pd.DataFrame:
    """The composite of the chosen provinces over the years (localized headers)."""
    col = "name_en" if lang == "en" else "name_vi"
    f = model.trajectories.sort_values(["entity_key", "year"])
    return pd.DataFrame({t("leadership_col_province", lang): f[col], t("year", lang): f["year"],
                         t("composite", lang): f["value"], t("rank", lang): f["rank"].astype("Int64"),
                         t("leadership_col_rank_of", lang): f["rank_of"].astype("Int64"),
                         t("leadership_col_framework", lang): f["framework_id"]})


def leader_series(model: CompareModel, code: str, lang: str) -> tuple[list[tuple[str, pd.DataFrame]], str]:
    """Hải Phòng, the leader and the median of one sub-index over the span, ready for a chart."""
    col = "name_en" if lang == "en" else "name_vi"
    label = dict(zip(model.names["entity_key"], model.names[col], strict=True))
    f = model.leader_series[model.leader_series["code"] == code]
    leader = f[f["role"] == "leader"]["entity_key"]
    leader_name = label.get(str(leader.iloc[0]), "") if not leader.empty else t("no_data", lang)
    out = [(t("series_haiphong", lang), f[f["role"] == "haiphong"])]
    if not leader.empty and str(leader.iloc[0]) != HAIPHONG:
        out.append((leader_name, f[f["role"] == "leader"]))
    out.append((t("series_median", lang), f[f["role"] == "median"]))
    return [(n, s.sort_values("year").reset_index(drop=True)) for n, s in out], leader_name


def leader_table(model: CompareModel, code: str, lang: str) -> pd.DataFrame:
    """The leader's, Hải Phòng's and the median's values of one sub-index by year (wide)."""
    series, _ = leader_series(model, code, lang)
    parts = [s.set_index("year")["value"].rename(n) for n, s in series]
    out = pd.concat(parts, axis=1).sort_index() if parts else pd.DataFrame()
    return out.reset_index(names=t("year", lang))


@dataclass
class PriorityTables:
    """Every table a priority page shows, built once per language (pages cache this object)."""

    gaps: pd.DataFrame
    chart: pd.DataFrame
    rank: pd.DataFrame
    distribution: pd.DataFrame
    lineage: pd.DataFrame
    classic: pd.DataFrame
    indicators: dict[str, pd.DataFrame]
    tasks: pd.DataFrame
    sub_labels: dict[str, str]
    lineage_text: str


def priority_tables(model: PriorityModel, lang: str) -> PriorityTables:
    """Build the priority page's tables in a language."""
    subs = list(dict.fromkeys(str(s) for s in model.indicators["subindex"]))
    return PriorityTables(
        gaps=gaps_table(model, lang), chart=model.chart_table(lang),
        rank=localized(model.series[["year", "rank", "rank_of", "framework_id", "provenance"]], lang),
        distribution=distribution_table(model, lang), lineage=lineage_table(model, lang),
        classic=classic_table(model, lang),
        indicators={s: indicator_table(model, s, lang, formatted=True) for s in subs},
        tasks=tasks_table(model, lang), sub_labels=sub_labels(model, lang),
        lineage_text=lineage_text(model, lang) if model.kind == "lineage" else "")


@dataclass
class CompareViews:
    """Everything the compare page shows in one language, built once per choice (pages cache it)."""

    matrix: pd.DataFrame
    heatmap_table: pd.DataFrame
    scores: pd.DataFrame
    trajectories: list[tuple[str, pd.DataFrame]]
    trajectories_table: pd.DataFrame
    leaders: pd.DataFrame
    leader_codes: list[str]
    sub_names: dict[str, str]
    partial: bool  # some chosen province lacks some sub-index in the year


def compare_views(model: CompareModel, lang: str) -> CompareViews:
    """Build the compare page's views in a language."""
    col = "name_en" if lang == "en" else "name_vi"
    label = dict(zip(model.names["entity_key"], model.names[col], strict=True))
    matrix = model.matrix(lang)
    traj = model.trajectories
    return CompareViews(
        matrix=matrix, heatmap_table=matrix.reset_index(names=t("subindex", lang)),
        scores=model.scores_table(lang, formatted=True),
        trajectories=[(label.get(k, k), traj[traj["entity_key"] == k].sort_values("year")) for k in model.provinces],
        trajectories_table=trajectories_table(model, lang), leaders=model.leaders_table(lang),
        leader_codes=model.leaders.dropna(subset=["leader"])["code"].tolist(),
        sub_names=dict(zip(model.leaders["code"], model.leaders[col], strict=True)),
        partial=bool(matrix.isna().to_numpy().any()))
