"""The leadership views' shared ground: one snapshot of the store, the watch-band settings, and
the history of a measure with its benchmarks and ranks.

The rules, tested as tables in ``tests/test_leadership.py``:

* **History of a priority.** A priority with lineage links (a PCI 2025 sub-index) takes its
  history from the lineage rule (:mod:`pci_metrics.domain.lineage`): the plain mean of the classic
  sub-indices it continues, in years where all of them are known — a derived value resting on a
  judgment (who made the link is shown). Its own scores replace the derived ones once published.
  A priority without links (a classic sub-index) uses its own scores. Only comparable
  methodologies are shown (the 2005 pilot is left out); a change of methodology is a break.
* **Benchmarks** (median, best province, top-10 cut-off) and **ranks** of lineage values are
  derived the same way as the stored ones: from all provinces' values (each province's lineage
  value), only in years where every province ranked has a value; ranks follow
  :func:`pci_metrics.domain.composite.rank_min`.
* **Targets and status** are :mod:`pci_metrics.domain.targets`' rule, with the watch bands an
  analyst stores here (:func:`save_watch_bands`).

The models built on this snapshot: :mod:`pci_metrics.views.priority` (a page per prioritized
sub-index), :mod:`pci_metrics.views.scorecard` (the Overview's scorecard and "where the points
are") and :mod:`pci_metrics.views.compare` (the compare page and the leaders' trajectories). Load
one :func:`snapshot` and pass it to each of them to build several views from one read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.domain import targets as target_rule
from pci_metrics.domain.composite import rank_min
from pci_metrics.domain.lineage import VALUE_COLUMNS, lineage_source, lineage_values
from pci_metrics.domain.measures import sub_index_names
from pci_metrics.domain.numbers import as_float
from pci_metrics.domain.targets import DEFAULT_WATCH_BAND, DEFAULT_WATCH_PLACES, parse_watch_band, parse_watch_places
from pci_metrics.domain.trends import Latest
from pci_metrics.store import reference_db, scores_db, settings_db, storage
from pci_metrics.store.storage import records
from pci_metrics.views import history

HAIPHONG = "haiphong"
COMPOSITE = history.COMPOSITE
WATCH_BAND_KEY = "rag_watch_band"
WATCH_PLACES_KEY = "rag_watch_places"
SERIES_COLUMNS = ["year", "value", "rank", "rank_of", "framework_id", "provenance", "source"]


# ---------------------------------------------------------------------------
# Watch-band settings
# ---------------------------------------------------------------------------

def watch_bands(con: duckdb.DuckDBPyConnection) -> tuple[float, int]:
    """The configured (points, rank places) watch bands; defaults (0.25, 2) when unset or invalid."""
    band, places = DEFAULT_WATCH_BAND, DEFAULT_WATCH_PLACES
    raw = settings_db.get_setting(con, WATCH_BAND_KEY)
    if raw is not None:
        try:
            band = parse_watch_band(raw)
        except ValueError:
            pass
    raw = settings_db.get_setting(con, WATCH_PLACES_KEY)
    if raw is not None:
        try:
            places = parse_watch_places(raw)
        except ValueError:
            pass
    return band, places


def save_watch_bands(con: duckdb.DuckDBPyConnection, band: Any, places: Any, user_name: str) -> tuple[float, int]:
    """Check and store both watch bands (one transaction, an audit line for each)."""
    b, p = parse_watch_band(band), parse_watch_places(places)
    with storage.transaction(con):
        settings_db.set_setting(con, WATCH_BAND_KEY, repr(b), user_name)
        settings_db.set_setting(con, WATCH_PLACES_KEY, str(p), user_name)
    return b, p


# ---------------------------------------------------------------------------
# The snapshot
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
        return f[SERIES_COLUMNS].reset_index(drop=True)

    def framework_of_year(self, year: int) -> str | None:
        """The framework in force in a year."""
        hit = self.year_info[self.year_info["year"] == year]["framework_id"]
        return str(hit.iloc[0]) if not hit.empty else None

    def weights(self, framework_id: str | None) -> dict[str, float | None]:
        """A framework's weights in percent (None where unknown)."""
        subs = self.subindices[self.subindices["framework_id"] == framework_id]
        return {str(r.code): as_float(r.weight) for r in records(subs)}

    def sub_names(self) -> pd.DataFrame:
        """Each sub-index code with the names of its newest framework."""
        return sub_index_names(self.subindices, self.frameworks)

    def judge(self, code: str, entities: list[str], latest: Latest) -> tuple[dict[str, Any] | None, str]:
        """The target and status of a measure (:func:`pci_metrics.domain.targets.judge`) with the
        stored watch bands: the one answer of the priority page, the scorecard, slides and reports."""
        return target_rule.judge(self.targets, code, entities, latest, watch_band=self.watch_band,
                                 watch_places=self.watch_places)

    def plan_entities(self, plan_id: Any, entity_key: str) -> list[str]:
        """Targets count for the measured entity and for the entity whose plan set them (the ward)."""
        return [entity_key, *[str(e) for e in self.plan[self.plan["plan_id"] == plan_id]["entity_key"]]]

    def framework_name(self, fw: str | None) -> tuple[str, str]:
        """A framework's (Vietnamese, English) names; empty when unknown."""
        hit = self.frameworks[self.frameworks["framework_id"] == fw]
        return (str(hit["name_vi"].iloc[0]), str(hit["name_en"].iloc[0])) if not hit.empty else ("", "")


def snapshot(con: duckdb.DuckDBPyConnection) -> Snapshot:
    """Load the tables the leadership models need, once."""
    band, places = watch_bands(con)
    return Snapshot(
        frameworks=reference_db.load_frameworks(con), subindices=reference_db.load_subindices(con),
        lineage=reference_db.load_lineage(con), year_info=reference_db.load_year_info(con),
        entities=reference_db.load_entities(con), scores=scores_db.load_scores(con),
        benchmarks=scores_db.load_benchmarks(con), priorities=reference_db.load_priorities(con),
        plan=reference_db.load_plan(con), targets=scores_db.load_targets(con), watch_band=band, watch_places=places)


# ---------------------------------------------------------------------------
# History of one measure (a priority, a classic sub-index or the composite)
# ---------------------------------------------------------------------------

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
                         "rank": by_year.transform(rank_min).astype(int).to_numpy(),
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
    :mod:`pci_metrics.domain.lineage`, for every province), else its own scores."""
    links = snap.lineage[(snap.lineage["framework_id"] == framework_id) & (snap.lineage["code"] == code)]
    classic = links["classic_code"].tolist()
    comparable = snap.comparable
    fw_by_year = dict(zip(snap.year_info["year"], snap.year_info["framework_id"], strict=True))
    cols = SERIES_COLUMNS
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
        mine = derived[derived["entity_key"] == entity_key].assign(provenance="derived", source=lineage_source(classic))
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


def latest_full_year(snap: Snapshot) -> int | None:
    """The latest year in which every province ranked has a composite and sub-index scores."""
    scores = snap.scores.dropna(subset=["value"])
    comp = scores[scores["code"] == COMPOSITE]
    subs = scores[scores["code"] != COMPOSITE].drop_duplicates(["entity_key", "year"])
    full = set(full_years(comp, snap.n_provinces)) & set(full_years(subs, snap.n_provinces))
    return max(full) if full else None


def newest_known_weights(snap: Snapshot) -> tuple[str | None, dict[str, float | None]]:
    """The newest framework whose weights are all known, and its weights."""
    for fw in reversed(snap.frameworks.sort_values("year_from")["framework_id"].tolist()):
        w = snap.weights(fw)
        if w and all(v is not None for v in w.values()):
            return str(fw), w
    return None, {}


def with_top_names(bench: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """Benchmarks with the best province's names (top_name_vi, top_name_en)."""
    n = names.rename(columns={"entity_key": "top_entity_key", "name_vi": "top_name_vi", "name_en": "top_name_en"})
    return bench.merge(n, on="top_entity_key", how="left")
