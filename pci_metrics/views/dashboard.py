"""Page models: everything a page shows, computed in one call from an open connection.

Pages stay thin (inputs → one call here → render); the models are plain dataclasses of
DataFrames, so the CLI, slides and exports can use them too.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pci_metrics.domain.trends import Trend, trend
from pci_metrics.store import reference_db, scores_db
from pci_metrics.views import history

HAIPHONG = "haiphong"


@dataclass
class OverviewModel:
    """Hải Phòng's composite and rank over time, references, and the latest full profile."""

    composite: pd.DataFrame  # year, value, rank, rank_of, framework_id, provenance, source
    median: pd.DataFrame  # year, value, framework_id, provenance, source
    top: pd.DataFrame  # year, value, top_entity_key, name_vi, name_en, framework_id, source
    trend: Trend
    latest_year: int
    profile_year: int | None
    profile_prev: int | None
    profile: pd.DataFrame  # code, name_vi, name_en, latest, prev, change
    latest_year_scope: str
    comparable_from: int

    def table(self) -> pd.DataFrame:
        """The chart's data as one table (for the table view and the downloads)."""
        a = self.composite[["year", "value", "rank", "rank_of", "provenance", "source"]].rename(
            columns={"value": "haiphong"})
        b = self.median[["year", "value"]].rename(columns={"value": "median"})
        c = self.top[["year", "value", "name_vi"]].rename(columns={"value": "top_score", "name_vi": "top_province"})
        return a.merge(b, on="year", how="left").merge(c, on="year", how="left")


def overview_model(con: duckdb.DuckDBPyConnection, entity_key: str = HAIPHONG,
                   from_year: int = 2006) -> OverviewModel:
    """Build the Overview page's model (2006 onwards: 2005 was a pilot with other sub-indices)."""
    comp = history.entity_series(con, entity_key, history.COMPOSITE)
    comp = comp[comp["year"] >= from_year].reset_index(drop=True)
    info = reference_db.load_year_info(con)[["year", "framework_id", "published_scope"]]
    bench = scores_db.load_benchmarks(con, history.COMPOSITE)
    bench = bench[bench["year"] >= from_year].merge(info, on="year", how="left")
    names = reference_db.load_entities(con)[["entity_key", "name_vi", "name_en"]]
    median = bench[["year", "median", "framework_id", "provenance", "source"]].rename(columns={"median": "value"})
    top = bench[["year", "top_score", "top_entity_key", "framework_id", "source"]].rename(
        columns={"top_score": "value"}).merge(names, left_on="top_entity_key", right_on="entity_key", how="left")
    latest_year = int(comp.dropna(subset=["value"])["year"].max())
    # latest year with a full sub-index profile, and the year before it
    scores = scores_db.load_scores(con, entity_key=entity_key)
    subs = scores[scores["code"] != history.COMPOSITE]
    years_full = sorted(int(y) for y in subs["year"].unique())
    profile = pd.DataFrame(columns=["code", "name_vi", "name_en", "latest", "prev", "change"])
    p_year = p_prev = None
    if years_full:
        p_year = years_full[-1]
        p_prev = p_year - 1 if (p_year - 1) in years_full else None
        fw, _ = history.weights_for_year(con, p_year)
        catalogue = reference_db.load_subindices(con, fw)[["code", "name_vi", "name_en", "sort_order"]]
        latest = subs[subs["year"] == p_year][["code", "value"]].rename(columns={"value": "latest"})
        prev = subs[subs["year"] == p_prev][["code", "value"]].rename(columns={"value": "prev"})
        profile = catalogue.merge(latest, on="code", how="left").merge(prev, on="code", how="left")
        profile["change"] = profile["latest"] - profile["prev"]
        profile = profile.sort_values("sort_order").drop(columns="sort_order").reset_index(drop=True)
    scope = info[info["year"] == latest_year]["published_scope"]
    return OverviewModel(
        composite=comp, median=median.reset_index(drop=True), top=top.reset_index(drop=True),
        trend=trend(comp), latest_year=latest_year, profile_year=p_year, profile_prev=p_prev,
        profile=profile, latest_year_scope=str(scope.iloc[0]) if not scope.empty else "all",
        comparable_from=from_year)
