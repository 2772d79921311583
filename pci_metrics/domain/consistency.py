"""What a year's ranks and benchmarks must keep, checked by the import before it writes and by
``verify`` afterwards (one rule, two callers).

A year's ranks of one measure (the composite or a sub-index) form one ranking:

* **one size** — ``rank_of`` is the same for every province ranked;
* **in range** — every rank is between 1 and ``rank_of``;
* in a year whose provinces are all known (the composite has a score for each of the year's
  ``n_provinces``), a ranked measure **has a score for each of them** (a province dropped from a
  sub-index would move the others' ranks), and **each rank agrees with the scores**: 1 is the best,
  tied scores share the best rank, and a published rank may sit anywhere inside its tie.

A year's benchmarks follow from its scores where every province is known: the median, the best
score (and a province holding it) and the 10th best score (the top-10 cut-off); a derived
benchmark says what it was computed from.

>>> scores = pd.DataFrame({"entity_key": ["a", "b", "c"], "year": 2018, "code": "composite",
...                        "value": [7.0, 6.0, 5.0], "rank": [1, 2, 3], "rank_of": [3, 3, 3]})
>>> ranking_issues(scores, {2018: 3})
[]
>>> damaged = scores.assign(rank=[1, 2, 2], rank_of=[3, 3, 2])
>>> [(i.kind, i.entities) for i in ranking_issues(damaged, {2018: 3})]
[('rank_of_differs', ('c',)), ('rank_vs_score', ('c',))]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pci_metrics.domain.composite import rank_min

COMPOSITE = "composite"
TOLERANCE = 5e-5 + 1e-9  # equal to 4 decimals: the import's "unchanged" (the reference CSVs have 4 decimals)
MAX_NAMED = 8  # provinces named in one message; the rest are counted


@dataclass(frozen=True)
class Issue:
    """One way a year's ranking or benchmark is inconsistent, with the provinces concerned."""

    year: int
    code: str
    kind: str  # rank_of_differs, rank_out_of_range, missing_from_ranking, rank_vs_score, benchmark, no_source
    entities: tuple[str, ...]
    vi: str
    en: str

    @property
    def key(self) -> tuple[int, str, str]:
        """What the issue is about, without the provinces (to tell a new issue from an old one)."""
        return self.year, self.code, self.kind


def _names(keys: list[str], names: Mapping[str, str]) -> str:
    shown = ", ".join(names.get(k, k) for k in keys[:MAX_NAMED])
    return shown + (f" (+{len(keys) - MAX_NAMED})" if len(keys) > MAX_NAMED else "")


def rank_disagrees(values: pd.Series, ranks: pd.Series) -> np.ndarray:
    """True where a rank disagrees with the scores; tied scores may take any rank inside their tie.

    >>> rank_disagrees(pd.Series([70.0, 65.0, 65.0]), pd.Series([1.0, 3.0, 2.0])).tolist()
    [False, False, False]
    >>> rank_disagrees(pd.Series([70.0, 65.0]), pd.Series([2.0, 1.0])).tolist()
    [True, True]
    """
    low = rank_min(values)
    high = values.rank(ascending=False, method="max")
    return ((ranks < low) | (ranks > high)).to_numpy(dtype=bool)


def complete_years(scores: pd.DataFrame, n_provinces: dict[int, int]) -> set[int]:
    """Years in which the composite has a score for each of the year's ranked provinces.

    >>> s = pd.DataFrame({"year": [2019, 2019, 2020], "code": "composite", "value": [1.0, 2.0, 3.0]})
    >>> sorted(complete_years(s, {2019: 2, 2020: 63}))
    [2019]
    """
    comp = scores[(scores["code"] == COMPOSITE) & scores["value"].notna()]
    counts = comp.groupby("year")["entity_key" if "entity_key" in comp else "value"].size()
    return {int(y) for y, n in counts.items() if int(y) in n_provinces and int(n) == n_provinces[int(y)]}


def _one_ranking(year: int, code: str, group: pd.DataFrame, provinces: list[str] | None,
                 names: Mapping[str, str]) -> list[Issue]:
    ranked = group[group["rank"].notna()]
    if ranked.empty:
        return []
    out: list[Issue] = []
    sizes = ranked["rank_of"].astype("Float64")
    common = sizes.mode(dropna=True)
    size = float(common.iloc[0]) if not common.empty else None
    odd = ranked[sizes.isna().to_numpy() | (sizes != size).fillna(True).to_numpy()] if size is not None else ranked
    if size is None or not odd.empty:
        keys = sorted(map(str, odd["entity_key"]))
        of = "?" if size is None else f"{size:g}"
        out.append(Issue(year, code, "rank_of_differs", tuple(keys),
                         f"{year} · {code}: hạng của các tỉnh tính trên {of} tỉnh, nhưng của {_names(keys, names)} thì khác "
                         "(một bảng xếp hạng phải cùng một số tỉnh)",
                         f"{year} · {code}: ranks are out of {of} provinces, but those of {_names(keys, names)} are not "
                         "(one ranking has one number of provinces)"))
    rank = ranked["rank"].astype(float)
    top = ranked["rank_of"].astype("Float64").fillna(np.inf).astype(float)
    bad = ranked[((rank < 1) | (rank > top) | (rank != rank.round())).to_numpy()]
    if not bad.empty:
        keys = sorted(map(str, bad["entity_key"]))
        out.append(Issue(year, code, "rank_out_of_range", tuple(keys),
                         f"{year} · {code}: hạng ngoài khoảng 1…số tỉnh ở {_names(keys, names)}",
                         f"{year} · {code}: ranks outside 1…number of provinces for {_names(keys, names)}"))
    if provinces is None:
        return out
    have = set(group.loc[group["value"].notna(), "entity_key"].astype(str))
    missing = sorted(set(provinces) - have)
    if missing:
        out.append(Issue(year, code, "missing_from_ranking", tuple(missing),
                         f"{year} · {code}: thiếu điểm của {_names(missing, names)} trong một năm có đủ mọi tỉnh, nên thứ hạng "
                         "của các tỉnh khác bị tính sai",
                         f"{year} · {code}: no score for {_names(missing, names)} in a year with every province, so the "
                         "other provinces' ranks would be wrong"))
        return out
    ranks = pd.to_numeric(group["rank"], errors="coerce").astype(float)
    wrong = group[rank_disagrees(group["value"].astype(float), ranks) & ranks.notna().to_numpy()]
    if not wrong.empty:
        keys = sorted(map(str, wrong["entity_key"]))
        out.append(Issue(year, code, "rank_vs_score", tuple(keys),
                         f"{year} · {code}: hạng của {_names(keys, names)} không khớp với điểm (1 là cao nhất, bằng điểm "
                         "thì cùng hạng)",
                         f"{year} · {code}: the ranks of {_names(keys, names)} disagree with the scores (1 is the best, "
                         "ties share the best rank)"))
    return out


def ranking_issues(scores: pd.DataFrame, n_provinces: dict[int, int], years: set[int] | None = None,
                   names: Mapping[str, str] | None = None) -> list[Issue]:
    """Every way the rankings in ``scores`` (entity_key, year, code, value, rank, rank_of) break the
    rules above, for ``years`` (all when None); provinces are named by ``names`` (key -> name)."""
    if years is not None:
        scores = scores[scores["year"].isin(years)]
    complete = complete_years(scores, n_provinces)
    comp = scores[(scores["code"] == COMPOSITE) & scores["value"].notna() & scores["year"].isin(complete)]
    provinces = {int(y): sorted(map(str, g)) for y, g in comp.groupby("year")["entity_key"]}
    out: list[Issue] = []
    for (year, code), group in scores.groupby(["year", "code"], sort=True):
        out.extend(_one_ranking(int(year), str(code), group.reset_index(drop=True), provinces.get(int(year)), names or {}))
    return out


def expected_benchmark(values: pd.Series, keys: pd.Series) -> dict[str, object]:
    """Median, best score, a province holding it, and the 10th best score (None under 10 provinces).

    >>> expected_benchmark(pd.Series([6.0, 8.0, 7.0]), pd.Series(["a", "b", "c"]))
    {'median': 7.0, 'top_score': 8.0, 'top_entities': ('b',), 'top10_cutoff': None}
    """
    ordered = values.sort_values(ascending=False)
    top = float(ordered.iloc[0])
    return dict(median=float(values.median()), top_score=top,
                top_entities=tuple(sorted(map(str, keys[(values - top).abs() <= TOLERANCE]))),
                top10_cutoff=float(ordered.iloc[9]) if len(ordered) >= 10 else None)


def benchmark_issues(benchmarks: pd.DataFrame, scores: pd.DataFrame, n_provinces: dict[int, int]) -> list[Issue]:
    """Benchmarks that disagree with the scores of a year whose provinces are all known, and derived
    benchmarks that do not say what they were computed from.

    >>> s = pd.DataFrame({"entity_key": ["a", "b"], "year": 2019, "code": "composite", "value": [60.0, 70.0]})
    >>> b = pd.DataFrame({"year": [2019], "code": ["composite"], "median": [65.0], "top_score": [70.0],
    ...                   "top_entity_key": ["b"], "top10_cutoff": [None], "provenance": ["derived"], "source": ["x"]})
    >>> benchmark_issues(b, s, {2019: 2}), [i.kind for i in benchmark_issues(b.assign(median=64.0), s, {2019: 2})]
    ([], ['benchmark'])
    """
    complete = complete_years(scores, n_provinces)
    out: list[Issue] = []
    for r in benchmarks.itertuples(index=False):
        year, code = int(r.year), str(r.code)
        if r.provenance == "derived" and (r.source is None or not str(r.source).strip() or r.source != r.source):
            out.append(Issue(year, code, "no_source", (), f"{year} · {code}: mốc so sánh tính ra nhưng không ghi nguồn",
                             f"{year} · {code}: a derived benchmark without a source"))
        if year not in complete:
            continue
        part = scores[(scores["year"] == year) & (scores["code"] == code) & scores["value"].notna()]
        if len(part) != n_provinces[year]:
            continue
        want = expected_benchmark(part["value"].astype(float).reset_index(drop=True),
                                  part["entity_key"].reset_index(drop=True))
        wrong = [f for f in ("median", "top_score", "top10_cutoff")
                 if _given(getattr(r, f)) and (want[f] is None or abs(float(getattr(r, f)) - float(want[f])) > TOLERANCE)]  # type: ignore[arg-type]
        if _given(r.top_entity_key) and str(r.top_entity_key) not in want["top_entities"]:  # type: ignore[operator]
            wrong.append("top_entity_key")
        if wrong:
            out.append(Issue(year, code, "benchmark", (),
                             f"{year} · {code}: mốc so sánh ({', '.join(wrong)}) khác với điểm của các tỉnh",
                             f"{year} · {code}: benchmark ({', '.join(wrong)}) differs from the provinces' scores"))
    return out


def _given(value: object) -> bool:
    return value is not None and value is not pd.NA and value == value
