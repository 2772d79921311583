"""Read models that combine the store with the maths: series, profiles, year tables, verification.

Every function takes an open connection (see :func:`pci_metrics.store.storage.connect`) and returns
plain DataFrames or dataclasses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.domain.composite import composite_score
from pci_metrics.domain.consistency import benchmark_issues, ranking_issues
from pci_metrics.domain.lineage import lineage_source, lineage_values
from pci_metrics.store import reference_db, scores_db
from pci_metrics.store.storage import records

COMPOSITE = "composite"
EXACT_COMPOSITE_YEARS = tuple(y for y in range(2006, 2020) if y != 2011)
COMPOSITE_TOLERANCE = 0.02


def lineage_author_column(links: pd.DataFrame, lang: str) -> list[str]:
    """Who proposed each lineage link, in the reader's language (English falls back to the
    Vietnamese text where no English one was entered).

    >>> f = pd.DataFrame({"author": ["Nhóm A", "Nhóm A", "Nhóm B"], "author_en": ["Team A", "Team A", None]})
    >>> lineage_author_column(f, "vi"), lineage_author_column(f, "en")
    (['Nhóm A', 'Nhóm A', 'Nhóm B'], ['Team A', 'Team A', 'Nhóm B'])
    """
    vi = [str(a) for a in links["author"]]
    if lang != "en" or "author_en" not in links.columns:
        return vi
    return [str(en) if _none(en) not in (None, "") else a for a, en in zip(vi, links["author_en"], strict=True)]


def lineage_authors(links: pd.DataFrame, lang: str) -> list[str]:
    """The authors of :func:`lineage_author_column`, each once, in order."""
    return list(dict.fromkeys(lineage_author_column(links, lang)))


def _none(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def weights_for_year(con: duckdb.DuckDBPyConnection, year: int) -> tuple[str, dict[str, float | None]]:
    """The framework in force in a year and its weights in percent (None where unknown).

    >>> # with a built database: weights_for_year(con, 2019) -> ("pci2013", {"entry": 5.0, ...})
    """
    info = reference_db.load_year_info(con)
    row = info[info["year"] == year]
    if row.empty:
        fws = reference_db.load_frameworks(con)
        match = fws[(fws["year_from"] <= year) & (fws["year_to"].isna() | (fws["year_to"] >= year))]
        if match.empty:
            raise ValueError(f"no framework for {year}")
        fw = str(match["framework_id"].iloc[0])
    else:
        fw = str(row["framework_id"].iloc[0])
    subs = reference_db.load_subindices(con, fw)
    return fw, {r.code: _none(r.weight) for r in records(subs)}


def entity_series(con: duckdb.DuckDBPyConnection, entity_key: str, code: str) -> pd.DataFrame:
    """One entity's yearly values of one measure, with rank, framework and provenance."""
    frame = scores_db.load_scores(con, entity_key=entity_key, codes=[code])
    cols = ["year", "value", "rank", "rank_of", "framework_id", "provenance", "source"]
    return frame[cols].reset_index(drop=True)


def lineage_series(con: duckdb.DuckDBPyConnection, entity_key: str, framework_id: str,
                   code: str) -> pd.DataFrame:
    """History of a new (e.g. PCI 2025) sub-index: its own scores where published, else the
    lineage value (:mod:`pci_metrics.domain.lineage`: the mean of the classic sub-indices it
    continues where every one is known; a derived value, labelled with the lineage judgment).
    """
    own = scores_db.load_scores(con, entity_key=entity_key, codes=[code])
    own = own[own["framework_id"] == framework_id]
    links = reference_db.load_lineage(con, framework_id)
    classic = links[links["code"] == code]["classic_code"].tolist()
    cols = ["year", "value", "rank", "rank_of", "framework_id", "provenance", "source"]
    derived = pd.DataFrame(columns=cols)
    if classic:
        past = scores_db.load_scores(con, entity_key=entity_key, codes=classic)
        values = lineage_values(past, classic)
        if not values.empty:
            derived = values.assign(year=values["year"].astype(int), value=values["value"].astype(float),
                                    rank=None, rank_of=None, provenance="derived",
                                    source=lineage_source(classic))[cols]
    own_part = own[cols]
    if not own_part.empty:
        derived = derived[~derived["year"].isin(own_part["year"])]
    parts = [p for p in (derived, own_part) if not p.empty]
    if not parts:
        return derived
    return pd.concat(parts, ignore_index=True).sort_values("year").reset_index(drop=True)


def year_values(con: duckdb.DuckDBPyConnection, year: int, code: str) -> pd.DataFrame:
    """Every province's value of one measure in one year, best first, with names."""
    scores = scores_db.load_scores(con, year=year, codes=[code])
    entities = reference_db.load_entities(con)[["entity_key", "name_vi", "name_en", "region"]]
    frame = scores.merge(entities, on="entity_key", how="left")
    return frame.sort_values(["value", "rank"], ascending=[False, True], na_position="last").reset_index(drop=True)


def wide_year(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """One year's sub-index scores, wide: index entity_key, one column per sub-index code."""
    scores = scores_db.load_scores(con, year=year)
    scores = scores[scores["code"] != COMPOSITE]
    return scores.pivot(index="entity_key", columns="code", values="value")


def profile(con: duckdb.DuckDBPyConnection, entity_key: str, year: int) -> pd.DataFrame:
    """Every sub-index of an entity in a year: score, rank, weight, names and source;
    then the composite as published and as recomputed from the weights."""
    fw, weights = weights_for_year(con, year)
    subs = reference_db.load_subindices(con, fw)
    scores = scores_db.load_scores(con, entity_key=entity_key, year=year)
    merged = subs[["code", "name_vi", "name_en", "weight", "sort_order"]].merge(
        scores[["code", "value", "rank", "rank_of", "provenance", "source"]], on="code", how="left")
    values = {r.code: _none(r.value) for r in records(merged)}
    recomputed = composite_score(values, weights)
    comp = scores[scores["code"] == COMPOSITE]
    published = comp.iloc[0] if not comp.empty else None
    extra = pd.DataFrame([
        dict(code="composite", name_vi="Điểm tổng hợp (công bố)", name_en="Composite (published)",
             weight=None, sort_order=100,
             value=_none(published["value"]) if published is not None else None,
             rank=_none(published["rank"]) if published is not None else None,
             rank_of=_none(published["rank_of"]) if published is not None else None,
             provenance=published["provenance"] if published is not None else None,
             source=published["source"] if published is not None else None),
        dict(code="composite_recomputed", name_vi="Điểm tổng hợp (tính lại từ trọng số)",
             name_en="Composite (recomputed from weights)", weight=None, sort_order=101,
             value=recomputed, rank=None, rank_of=None,
             provenance="derived" if recomputed is not None else None,
             source=f"Σ trọng số × điểm / 10, khung {fw} / Σ weight × score / 10, framework {fw}"
             if recomputed is not None else None),
    ])
    out = pd.concat([merged, extra], ignore_index=True)
    out.insert(0, "framework_id", fw)
    return out.sort_values("sort_order").drop(columns="sort_order").reset_index(drop=True)


@dataclass
class VerifyReport:
    """Outcome of :func:`verify`: per-year composite deviations and every failure found."""

    deviations: pd.DataFrame
    failures: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def verify(con: duckdb.DuckDBPyConnection) -> VerifyReport:
    """Integrity of the whole database; a non-empty ``failures`` list means it failed.

    Checks: recomputed vs published composites per year (exact within 0.02 for 2006–2010 and
    2012–2019; 2005 and 2011 are reported, not enforced, because their weights are approximate);
    rankings and benchmarks consistent with the scores (:mod:`pci_metrics.domain.consistency`); weights
    summing to 100 per framework; every score with a source.
    """
    report = VerifyReport(deviations=pd.DataFrame())
    # weights
    subs = reference_db.load_subindices(con)
    for fw, group in subs.groupby("framework_id"):
        if group["weight"].isna().all():
            report.checks.append(f"{fw}: trọng số chưa công bố / weights unknown")
            continue
        total = float(group["weight"].sum())
        if group["weight"].isna().any() or abs(total - 100) > 1e-6:
            report.failures.append(f"{fw}: weights sum to {total}, expected 100")
        else:
            report.checks.append(f"{fw}: weights sum to 100")
    # sources
    scores = scores_db.load_scores(con)
    missing = scores[scores["source"].isna() | (scores["source"].str.strip() == "")]
    if not missing.empty:
        report.failures.append(f"{len(missing)} scores without a source")
    else:
        report.checks.append(f"all {len(scores)} scores have a source")
    # composites and ranks per year
    info = reference_db.load_year_info(con)
    rows = []
    for year in sorted(scores["year"].unique()):
        year = int(year)
        fw, weights = weights_for_year(con, year)
        year_scores = scores[scores["year"] == year]
        wide = year_scores[year_scores["code"] != COMPOSITE].pivot(index="entity_key", columns="code",
                                                                  values="value")
        published = year_scores[year_scores["code"] == COMPOSITE].set_index("entity_key")
        devs = []
        for key, row in wide.iterrows():
            if key not in published.index or _none(published.at[key, "value"]) is None:
                continue
            rec = composite_score({k: _none(v) for k, v in row.items()}, weights)
            if rec is not None:
                devs.append(abs(rec - float(published.at[key, "value"])))
        max_dev = max(devs) if devs else None
        enforced = year in EXACT_COMPOSITE_YEARS
        rows.append(dict(year=year, framework_id=fw, n_compared=len(devs), max_deviation=max_dev,
                         enforced=enforced))
        if enforced and max_dev is not None and max_dev > COMPOSITE_TOLERANCE:
            report.failures.append(f"{year}: recomputed composite deviates by {max_dev:.4f} (> 0.02)")
    report.deviations = pd.DataFrame(rows)
    _check_rankings(con, report, scores, info)
    return report


def _check_rankings(con: duckdb.DuckDBPyConnection, report: VerifyReport, scores: pd.DataFrame,
                    info: pd.DataFrame) -> None:
    """The rules :mod:`pci_metrics.domain.consistency` holds the import to, over the whole database."""
    known = info.dropna(subset=["n_provinces"])
    n = dict(zip(known["year"].astype(int), known["n_provinces"].astype(int), strict=True))
    names = dict(zip(*[reference_db.load_entities(con)[c] for c in ("entity_key", "name_vi")], strict=True))
    ranks = ranking_issues(scores, n, names=names)
    benches = benchmark_issues(scores_db.load_benchmarks(con), scores, n)
    report.failures.extend(f"{i.vi} / {i.en}" for i in ranks + benches)
    report.checks.append(
        "xếp hạng nhất quán / rankings consistent: one number of provinces per year and measure, ranks within "
        "1…n, and in every year with every province no province missing and every rank agreeing with the scores"
        if not ranks else "rank check failed")
    report.checks.append(
        "mốc so sánh khớp với điểm / benchmarks equal what the scores give in every year with every province, "
        "and every derived benchmark names its source" if not benches else "benchmark check failed")
