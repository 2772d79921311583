"""The what-if page model: a year's scores and weights from the store, then pure simulation.

Two steps, so that the slow part is cached and the live part is pure:

1. :func:`base_model` (reads the store once per entity/year/framework; the page caches it) —
   every province's sub-index scores that year, the weights in force (``history.weights_for_year``)
   or, for PCI 2025, assumed weights over the lineage (``reference_db.load_lineage``), the published
   composites and ranks, and what the year's data can support.
2. :func:`outcome` (pure, a few milliseconds) — the slider changes applied: composite and rank
   before/after, marginal values, and what it takes to reach a rank.

Weights are data: change them in the store and every answer here changes with them. The words
and tables the page and the exports show are in :mod:`pci_metrics.views.scenario_text`.
Rank needs every province's scores (2005–2019 in the shipped data). Where only the entity's
sub-indices are known (2020–2022), the composite is simulated from its published composite and
the rank is bounded by the few published composites of other provinces (:func:`pci_metrics.domain.rank_plans.rank_bounds`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.cells import is_blank
from pci_metrics.base.choices import DEFAULT_ENTITY as DEFAULT_ENTITY
from pci_metrics.base.i18n import fmt_num
from pci_metrics.domain import rank_plans, whatif
from pci_metrics.domain.composite import rank_of_value
from pci_metrics.domain.lineage import lineage_scores
from pci_metrics.domain.rank_plans import RankBounds, RankPlan
from pci_metrics.domain.scenario_weights import scenario_weights
from pci_metrics.domain.whatif import Note, WeightScenario
from pci_metrics.store import reference_db, scores_db, storage
from pci_metrics.views import history

VIEW_CLASSIC = "classic"
VIEW_PCI2025 = "pci2025"
VIEWS = (VIEW_CLASSIC, VIEW_PCI2025)
NEW_FRAMEWORK = "pci2025"
#: The "lineage_2022" assumption carries over the weights in force in this year.
LINEAGE_WEIGHTS_YEAR = 2022
#: Slider step in sub-index points.
STEP = 0.05
DEFAULT_GAP_FRACTION = 0.5
#: Recomputed composites further than this from the published ones mean the year's weights are approximate.
COMPOSITE_TOLERANCE = history.COMPOSITE_TOLERANCE


# --------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class Choices:
    """What the page can offer: provinces, their years with full sub-index data, years that rank."""

    entities: pd.DataFrame  # entity_key, name_vi, name_en (provinces with at least one full year)
    years: dict[str, tuple[int, ...]]  # entity -> years with every weighted sub-index
    rank_years: tuple[int, ...]  # years with every province's weighted sub-indices
    names: dict[str, tuple[str, str]]  # entity_key -> (name_vi, name_en)

    def keys(self) -> list[str]:
        """Entity keys, in the order offered (Vietnamese alphabetical, Hải Phòng included)."""
        return [str(k) for k in self.entities["entity_key"]]

    def name(self, key: str, lang: str = "vi") -> str:
        """The entity's name in ``lang`` ("haiphong" → "Hải Phòng"); the key itself when unknown."""
        # A dict, not a DataFrame filter: the entity picker calls this for all 64 provinces on every rerun.
        return self.names.get(key, (key, key))[1 if lang == "en" else 0]

    def years_for(self, key: str) -> list[int]:
        """Years with the entity's full sub-index data, oldest first."""
        return list(self.years.get(key, ()))

    def default_year(self, key: str) -> int | None:
        """The latest year with the entity's full sub-index data."""
        ys = self.years.get(key, ())
        return max(ys) if ys else None


def _weighted_codes(weights: dict[str, float | None]) -> list[str]:
    return [c for c, w in weights.items() if w is not None and not math.isnan(float(w)) and float(w) > 0]


def _complete(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """(year, entity_key) pairs with a score for every weighted sub-index of the year's framework."""
    scores = scores_db.load_scores(con, year=year)
    scores = scores[(scores["code"] != history.COMPOSITE) & scores["value"].notna()]
    info = reference_db.load_year_info(con)
    years = sorted(int(y) for y in scores["year"].unique())
    # Weights belong to a framework: ask once per framework, not once per year.
    needed_by_fw: dict[str, set[str]] = {}
    rows = []
    for y in years:
        fw_row = info.loc[info["year"] == y, "framework_id"]
        fw_key = str(fw_row.iloc[0]) if not fw_row.empty else f"year-{y}"
        if fw_key not in needed_by_fw:
            needed_by_fw[fw_key] = set(_weighted_codes(history.weights_for_year(con, y)[1]))
        rows += [{"year": y, "code": c} for c in needed_by_fw[fw_key]]
    needed = pd.DataFrame(rows, columns=["year", "code"])
    have = scores[["year", "entity_key", "code"]].merge(needed, on=["year", "code"])
    counts = have.groupby(["year", "entity_key"]).size().rename("n").reset_index()
    sizes = needed.groupby("year").size().rename("needed").reset_index()
    counts = counts.merge(sizes, on="year")
    return counts.loc[counts["n"] == counts["needed"], ["year", "entity_key"]].reset_index(drop=True)


def _rank_years(con: duckdb.DuckDBPyConnection, complete: pd.DataFrame) -> tuple[int, ...]:
    info = reference_db.load_year_info(con)
    per_year = complete.groupby("year").size()
    out = []
    for r in storage.records(info):
        if not is_blank(r.n_provinces) and int(per_year.get(int(r.year), 0)) >= int(r.n_provinces):
            out.append(int(r.year))
    return tuple(sorted(out))


def choices(con: duckdb.DuckDBPyConnection) -> Choices:
    """Provinces and years the what-if can simulate (Hải Phòng: 2005–2022; rank: 2005–2019)."""
    # Load inputs.
    complete = _complete(con)
    entities = reference_db.load_entities(con, "province")
    # Process data.
    years = {str(k): tuple(sorted(int(y) for y in g["year"])) for k, g in complete.groupby("entity_key")}
    offered = entities[entities["entity_key"].isin(list(years))][["entity_key", "name_vi", "name_en"]]
    offered = offered.sort_values("name_vi").reset_index(drop=True)
    names = {str(r.entity_key): (str(r.name_vi), str(r.name_en)) for r in storage.records(offered)}
    return Choices(entities=offered, years=years, rank_years=_rank_years(con, complete), names=names)

# --------------------------------------------------------------------------- base model


@dataclass(frozen=True)
class Base:
    """Everything the simulation of one entity in one year needs, read from the store."""

    entity: str
    entity_vi: str
    entity_en: str
    year: int
    view: str  # "classic" | "pci2025"
    assumption: str | None  # PCI 2025 weight assumption, None for the classic view
    framework_id: str  # framework whose weights are used
    framework_vi: str
    framework_en: str
    weights: dict[str, float]
    scenario: WeightScenario | None  # the labelled assumed weights (PCI 2025 only)
    subindices: pd.DataFrame  # code, name_vi, name_en, weight, score, lo, hi, continues
    scores: pd.DataFrame  # wide, index entity_key: every province with all scores (or only the entity)
    rank_supported: bool
    rank_years: tuple[int, ...]
    n_provinces: int
    published_composite: float | None
    published_rank: int | None
    known: dict[str, tuple[float, int]]  # other provinces' published (composite, rank) that year
    names: dict[str, tuple[str, str]]  # entity_key -> (name_vi, name_en)
    sources: tuple[str, ...]
    notes: tuple[Note, ...] = ()
    problem: Note | None = None  # set when nothing can be simulated (e.g. a missing classic score)
    lineage_author: str | None = None
    lineage_author_en: str | None = None

    @property
    def codes(self) -> list[str]:
        """Sub-index codes in display order."""
        return [str(c) for c in self.subindices["code"]]

    @property
    def weight_arg(self) -> dict[str, float] | WeightScenario:
        """What :mod:`whatif` takes: the scenario (so its label travels) or the plain weights."""
        return self.scenario if self.scenario is not None else self.weights

    def label(self, key: str, lang: str = "vi") -> str:
        """A province's name in ``lang`` (its key when unknown)."""
        vi_en = self.names.get(key)
        return key if vi_en is None else (vi_en[1] if lang == "en" else vi_en[0])


def slider_bounds(score: float, step: float = STEP) -> tuple[float, float]:
    """Change bounds keeping the score in 0–10, on the step grid: 6.4964 → (-6.45, 3.5).

    >>> slider_bounds(6.4964)
    (-6.45, 3.5)
    >>> slider_bounds(10.0)
    (-10.0, 0.0)
    """
    lo = -math.floor(round(score / step, 9)) * step
    hi = math.floor(round((10.0 - score) / step, 9)) * step
    return round(lo, 2) + 0.0, round(hi, 2) + 0.0


def slider_options(lo: float, hi: float, step: float = STEP) -> list[float]:
    """Every change a slider offers, on the step grid from ``lo`` to ``hi`` (0 always among them).

    >>> opts = slider_options(-0.1, 0.1)
    >>> opts, 0.0 in opts
    ([-0.1, -0.05, 0.0, 0.05, 0.1], True)
    """
    n = int(round((hi - lo) / step))
    return [round(lo + i * step, 2) + 0.0 for i in range(n + 1)]


def _problem_base(**kw: Any) -> Base:
    empty = pd.DataFrame(columns=["code", "name_vi", "name_en", "weight", "score", "lo", "hi", "continues"])
    defaults: dict[str, Any] = dict(
        framework_id="", framework_vi="", framework_en="", weights={}, scenario=None, subindices=empty,
        scores=pd.DataFrame(), rank_supported=False, rank_years=(), n_provinces=0, published_composite=None,
        published_rank=None, known={}, names={}, sources=())
    defaults.update(kw)
    return Base(**defaults)


@dataclass
class _Weights:
    """The weights of one view (the year's, or assumed PCI 2025 ones) and every province's scores under them."""

    framework_id: str
    framework_vi: str
    framework_en: str
    codes: list[str]
    weights: dict[str, float]
    catalogue: pd.DataFrame  # sub-index names, index code
    frame: pd.DataFrame  # wide scores, index entity_key
    scenario: WeightScenario | None = None
    continues: dict[str, str] = field(default_factory=dict)
    author: str | None = None
    author_en: str | None = None
    notes: list[Note] = field(default_factory=list)


def _checked_entity_year(con: duckdb.DuckDBPyConnection, entity: str, year: int, view: str,
                         complete: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Every province's names; ValueError (vi/en) for an unknown view or province, or a year
    without the province's full sub-index data."""
    if view not in VIEWS:
        raise ValueError(f"Không có chế độ {view!r} / Unknown view {view!r}; chọn / choose: {', '.join(VIEWS)}")
    entities = reference_db.load_entities(con, "province")
    names = {str(r.entity_key): (str(r.name_vi), str(r.name_en)) for r in storage.records(entities)}
    if entity not in names:
        raise ValueError(f"Không có tỉnh '{entity}' / unknown province '{entity}'")
    if entity not in set(complete.loc[complete["year"] == year, "entity_key"]):
        span = years_text(choices(con).years_for(entity))
        raise ValueError(
            f"Chưa có đủ điểm chỉ số thành phần của {names[entity][0]} năm {year} (có: {span}) / "
            f"{names[entity][1]}'s sub-index scores for {year} are incomplete (available: {span})")
    return names


def _classic(con: duckdb.DuckDBPyConnection, fw: str, year_weights: dict[str, float | None], wide: pd.DataFrame,
             fws: pd.DataFrame) -> _Weights:
    """The year's own framework and weights."""
    codes = _weighted_codes(year_weights)
    return _Weights(fw, str(fws.loc[fw, "name_vi"]), str(fws.loc[fw, "name_en"]), codes,
                    {c: float(year_weights[c] or 0.0) for c in codes},
                    reference_db.load_subindices(con, fw).set_index("code"), wide[codes].astype(float).dropna(),
                    continues={c: "" for c in codes})


def _missing_classic(con: duckdb.DuckDBPyConnection, year: int, entity: str, wide: pd.DataFrame,
                     needed: list[str]) -> Note | None:
    """Why the PCI 2025 sub-indices cannot be computed for the entity in a year (None when they can)."""
    missing = sorted(set(needed) - set(wide.columns))
    if not missing and not wide.loc[[entity], needed].isna().any(axis=None):
        return None
    gone = missing or sorted({x for x in needed if is_blank(wide.at[entity, x])})
    named = reference_db.load_subindices(con).drop_duplicates("code", keep="last").set_index("code")
    vi = ", ".join(f"{named.at[x, 'name_vi']} ({x})" if x in named.index else x for x in gone)
    en = ", ".join(f"{named.at[x, 'name_en']} ({x})" if x in named.index else x for x in gone)
    return Note(f"Năm {year} không có điểm {vi}, nên không tính được các chỉ số PCI 2025 kế thừa chúng",
                f"{year} has no {en} score, so the PCI 2025 sub-indices that continue it cannot be computed")


def _pci2025(con: duckdb.DuckDBPyConnection, year: int, entity: str, assumption: str, wide: pd.DataFrame,
             fws: pd.DataFrame) -> _Weights | Note:
    """Assumed PCI 2025 weights over the lineage and every province's lineage scores, or the
    reason (a Note) they cannot be computed for the entity in this year."""
    links = reference_db.load_lineage(con, NEW_FRAMEWORK)
    catalogue = reference_db.load_subindices(con, NEW_FRAMEWORK).set_index("code")
    lineage = {str(c): tuple(str(x) for x in g["classic_code"]) for c, g in links.groupby("code", sort=False)}
    lineage = {c: lineage[c] for c in catalogue.index if c in lineage}
    codes = list(lineage)
    _, w2022 = history.weights_for_year(con, LINEAGE_WEIGHTS_YEAR)
    scenario = scenario_weights(assumption, lineage, w2022)
    author = "; ".join(history.lineage_authors(links, "vi")) if not links.empty else None
    author_en = "; ".join(history.lineage_authors(links, "en")) if not links.empty else None
    problem = _missing_classic(con, year, entity, wide, [x for c in codes for x in lineage[c]])
    if problem is not None:
        return problem
    frame = lineage_scores(wide[sorted({x for c in codes for x in lineage[c]})], lineage).dropna()
    note = Note(
        "Điểm các chỉ số PCI 2025 = trung bình các chỉ số cổ điển mà chúng kế thừa (liên kết kế thừa là một "
        f"nhận định của {author})",
        f"PCI 2025 sub-index scores = mean of the classic sub-indices they continue (the lineage is a "
        f"judgment by {author_en})")
    return _Weights(NEW_FRAMEWORK, str(fws.loc[NEW_FRAMEWORK, "name_vi"]), str(fws.loc[NEW_FRAMEWORK, "name_en"]),
                    codes, dict(scenario.weights), catalogue, frame, scenario,
                    {c: ", ".join(lineage[c]) for c in codes}, author, author_en, [note])


def _subindex_table(w: _Weights, row: pd.Series) -> pd.DataFrame:
    """code, name_vi, name_en, weight, score, continues, lo, hi: one row per slider."""
    cat, codes = w.catalogue, w.codes
    table = pd.DataFrame({
        "code": codes,
        "name_vi": [str(cat.at[c, "name_vi"]) if c in cat.index else c for c in codes],
        "name_en": [str(cat.at[c, "name_en"]) if c in cat.index else c for c in codes],
        "weight": [w.weights[c] for c in codes],
        "score": [float(row[c]) for c in codes],
        "continues": [w.continues[c] for c in codes],
    })
    bounds = [slider_bounds(s) for s in table["score"]]
    table["lo"] = [b[0] for b in bounds]
    table["hi"] = [b[1] for b in bounds]
    return table


def _published(scores_long: pd.DataFrame) -> dict[str, tuple[float, int | None]]:
    pub = scores_long[(scores_long["code"] == history.COMPOSITE) & scores_long["value"].notna()]
    return {str(r.entity_key): (float(r.value), None if is_blank(r.rank) else int(r.rank))
            for r in storage.records(pub)}


def base_model(con: duckdb.DuckDBPyConnection, entity: str, year: int, view: str = VIEW_CLASSIC,
               assumption: str = "lineage_2022") -> Base:
    """Read one entity-year for simulation: Hải Phòng 2019 → 63 provinces, weights of pci2013, rank 10.

    ``view`` "pci2025" re-expresses every province's classic scores through the lineage (the mean
    of the classic sub-indices each new one continues) under assumed weights (``assumption``).
    Problems the user can fix (unknown entity, a year without full data) raise ValueError in vi/en;
    facts of the data that prevent a simulation are returned in ``problem``.
    """
    complete = _complete(con)
    names = _checked_entity_year(con, entity, year, view, complete)
    fw, year_weights = history.weights_for_year(con, year)
    fws = reference_db.load_frameworks(con).set_index("framework_id")
    scores_long = scores_db.load_scores(con, year=year)
    subs = scores_long[scores_long["code"] != history.COMPOSITE]
    wide = subs.pivot(index="entity_key", columns="code", values="value")
    published = _published(scores_long)
    rank_years = _rank_years(con, complete)
    rank_supported = year in rank_years
    own_pub = published.get(entity, (None, None))
    known = {k: (c, r) for k, (c, r) in published.items() if k != entity and r is not None}
    common: dict[str, Any] = dict(
        entity=entity, entity_vi=names[entity][0], entity_en=names[entity][1], year=year, view=view,
        rank_years=rank_years, n_provinces=_n_provinces(con, year), published_composite=own_pub[0],
        published_rank=own_pub[1], known=known if not rank_supported else {}, names=names,
        sources=tuple(sorted({str(s) for s in subs.loc[subs["entity_key"] == entity, "source"].dropna()})))
    notes: list[Note] = []
    if not bool(fws.loc[fw, "comparable"]):
        notes.append(Note(f"{fws.loc[fw, 'name_vi']}: phương pháp khác, không so sánh được với các năm sau",
                          f"{fws.loc[fw, 'name_en']}: a different method, not comparable with later years"))
    if view == VIEW_CLASSIC:
        w = _classic(con, fw, year_weights, wide, fws)
        if rank_supported:
            notes += _approximation_notes(w.frame, w.weights, published, year)
    else:
        got = _pci2025(con, year, entity, assumption, wide, fws)
        if isinstance(got, Note):
            return _problem_base(**common, assumption=assumption, problem=got)
        w = got
    frame = w.frame if rank_supported else w.frame.loc[[entity]]
    return Base(**common, assumption=assumption if view == VIEW_PCI2025 else None, framework_id=w.framework_id,
                framework_vi=w.framework_vi, framework_en=w.framework_en, weights=w.weights, scenario=w.scenario,
                subindices=_subindex_table(w, frame.loc[entity]), scores=frame, rank_supported=rank_supported,
                notes=tuple(notes + w.notes), lineage_author=w.author, lineage_author_en=w.author_en)


def years_text(years: list[int]) -> str:
    """Years as a span when consecutive: [2005, …, 2019] → "2005–2019"; else listed.

    >>> years_text(list(range(2005, 2020))), years_text([2019, 2022]), years_text([])
    ('2005–2019', '2019, 2022', '—')
    """
    if not years:
        return "—"
    return f"{years[0]}–{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))


def _n_provinces(con: duckdb.DuckDBPyConnection, year: int) -> int:
    info = reference_db.load_year_info(con)
    n = info.loc[info["year"] == year, "n_provinces"]
    return int(n.iloc[0]) if not n.empty and not is_blank(n.iloc[0]) else 0


def _approximation_notes(frame: pd.DataFrame, weights: dict[str, float],
                         published: dict[str, tuple[float, int | None]], year: int) -> list[Note]:
    """Say when the weights do not reproduce the year's published composites (e.g. 2011)."""
    comps = whatif.composites(frame, weights)
    devs = [abs(float(comps[k]) - c) for k, (c, _) in published.items() if k in comps.index]
    worst = max(devs) if devs else 0.0
    if worst <= COMPOSITE_TOLERANCE:
        return []
    return [Note(
        f"Trọng số năm {year} chỉ xấp xỉ: điểm tổng hợp tính lại lệch điểm công bố tới {fmt_num(worst, 'vi')}; "
        "hạng mô phỏng dựa trên điểm tính lại nên có thể khác hạng công bố",
        f"The {year} weights are approximate: recomputed composites differ from the published ones by up to "
        f"{worst:.2f}; simulated ranks use recomputed composites and may differ from the published ranks")]

# --------------------------------------------------------------------------- outcome


@dataclass(frozen=True)
class Outcome:
    """The simulation for given changes: what the page and the CLI show."""

    base: Base
    table: pd.DataFrame  # code, name_vi, name_en, weight, score, delta, new_score, points
    composite_before: float
    composite_after: float
    composite_basis: str  # "recomputed" (every province recomputed) | "published" (published + gain)
    rank_before: int | None
    rank_after: int | None
    bounds: RankBounds | None  # partial years: what published composites prove about the rank
    n_provinces: int
    marginal: pd.DataFrame  # code, name_vi, name_en, weight, score, best_score, best_vi, best_en, gap,
    #                         points_per_point, points_closing_gap, rank_closing_gap
    gap_fraction: float
    target_rank: int
    max_step: float | None
    plan: RankPlan | None  # exact (every province known)
    guaranteed: tuple[float, str | None] | None  # partial years: composite gain that guarantees the target
    guaranteed_plan: pd.DataFrame | None  # partial years: cheapest sub-index plan for that gain (caps 10)
    standings: pd.DataFrame  # entity_key, name_vi, name_en, value: every province's composite after the change
    notes: tuple[Note, ...] = ()

    @property
    def composite_delta(self) -> float:
        """Composite points gained."""
        return self.composite_after - self.composite_before

    @property
    def guaranteed_reachable(self) -> bool:
        """Partial years: whether the cheapest plan within the caps adds the guaranteeing gain."""
        if self.guaranteed is None or self.guaranteed_plan is None:
            return False
        return float(self.guaranteed_plan["points"].sum()) >= self.guaranteed[0] - 1e-9

    @property
    def changed(self) -> bool:
        """True when some change was applied."""
        return bool((self.table["delta"] != 0).any())


@dataclass(frozen=True)
class Targets:
    """What the slider changes do not move: the plan to reach a rank and the marginal values.

    Computed from the unchanged scores, so a page can build it once per (base, target, gap, step)
    and reuse it while the sliders move.
    """

    target_rank: int
    gap_fraction: float
    max_step: float | None
    plan: RankPlan | None  # exact (every province known)
    guaranteed: tuple[float, str | None] | None  # partial years: composite gain that guarantees the target
    guaranteed_plan: pd.DataFrame | None  # partial years: cheapest sub-index plan for that gain
    marginal: pd.DataFrame


def targets(base: Base, target_rank: int = 1, gap_fraction: float = DEFAULT_GAP_FRACTION,
            max_step: float | None = None) -> Targets:
    """Rank plan and marginal values of a base: Hải Phòng 2019, rank 5 → +0.71 transparency (20 %)."""
    if base.problem is not None:
        raise ValueError(base.problem.vi + " / " + base.problem.en)
    target_rank = max(1, min(int(target_rank), max(base.n_provinces, 1)))
    plan: RankPlan | None = None
    guaranteed: tuple[float, str | None] | None = None
    guaranteed_plan: pd.DataFrame | None = None
    if base.rank_supported:
        plan = rank_plans.min_improvement_for_rank(base.scores, base.weights, base.entity, target_rank,
                                               max_delta=max_step)
    elif base.view == VIEW_CLASSIC and base.published_composite is not None and base.published_rank is not None:
        guaranteed = rank_plans.gain_for_guaranteed_rank(base.published_composite, base.published_rank,
                                                     target_rank, base.known)
        if guaranteed is not None:
            row = {c: float(v) for c, v in base.scores.loc[base.entity].items()}
            # the year's best scores are unknown: the scale's 10 (or the step limit) bounds each rise
            caps = {c: min(10.0, row[c] + (max_step if max_step is not None else 10.0)) for c in base.codes}
            guaranteed_plan = rank_plans.cheapest_plan(row, base.weights, guaranteed[0], caps)
    return Targets(target_rank=target_rank, gap_fraction=gap_fraction, max_step=max_step, plan=plan,
                   guaranteed=guaranteed, guaranteed_plan=guaranteed_plan, marginal=_marginal(base, gap_fraction))


def _standings(base: Base, after: float) -> pd.DataFrame:
    """Every province's composite, the entity's after the change."""
    comps = whatif.composites(base.scores, base.weights)
    comps[base.entity] = after
    return pd.DataFrame({
        "entity_key": [str(k) for k in comps.index],
        "name_vi": [base.label(str(k), "vi") for k in comps.index],
        "name_en": [base.label(str(k), "en") for k in comps.index],
        "value": comps.to_numpy(dtype=float),
    })


@dataclass
class _Ranked:
    """Composite and rank before/after a change, and how they were found."""

    before: float
    after: float
    basis: str
    rank_before: int | None = None
    rank_after: int | None = None
    bounds: RankBounds | None = None
    standings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["entity_key", "name_vi", "name_en", "value"]))


def _rank_exact(base: Base, changes: dict[str, float], notes: list[Note]) -> _Ranked:
    """Every province known: recompute and re-rank them all."""
    sim = whatif.simulate(base.scores, base.weights, base.entity, changes)
    if base.view == VIEW_CLASSIC and base.published_rank is not None and base.published_rank != sim.rank_before:
        notes.append(Note(
            f"Hạng tính lại ({sim.rank_before}) khác hạng công bố ({base.published_rank})",
            f"The recomputed rank ({sim.rank_before}) differs from the published rank ({base.published_rank})"))
    return _Ranked(sim.composite_before, sim.composite_after, "recomputed", sim.rank_before, sim.rank_after,
                   standings=_standings(base, sim.composite_after))


def _rank_partial(base: Base, row: dict[str, float], gain: float) -> _Ranked:
    """Only the entity's sub-indices known: the published composite plus the gain, and what the few
    published composites of other provinces prove about the rank."""
    if base.published_composite is not None and base.view == VIEW_CLASSIC:
        # The published composite is exact to 0.005; the gain is exact (linear in the scores).
        before, basis = base.published_composite, "published"
    else:
        before, basis = whatif.composite(row, base.weights), "recomputed"
    out = _Ranked(before, before + gain, basis)
    if base.view == VIEW_CLASSIC and base.published_composite is not None and base.published_rank is not None:
        out.rank_before = base.published_rank
        out.bounds = rank_plans.rank_bounds(base.published_composite, base.published_rank, gain, base.known,
                                            base.n_provinces)
        if out.bounds.exact:
            out.rank_after = out.bounds.best
    return out


def outcome(base: Base, deltas: dict[str, float], target_rank: int = 1,
            gap_fraction: float = DEFAULT_GAP_FRACTION, max_step: float | None = None,
            fixed: Targets | None = None) -> Outcome:
    """Apply changes to a base: Hải Phòng 2019 with transparency +0.5 → composite +1.00, rank 10 → 6.

    ``target_rank`` is planned from the unchanged scores (what it takes from where the entity
    stands); ``max_step`` limits each sub-index's rise in that plan (None: up to the year's best,
    or 10 where the year's best is unknown). ``fixed`` (from :func:`targets`) replaces those three
    when given, so a page can reuse it while the sliders move.
    """
    if base.problem is not None:
        raise ValueError(base.problem.vi + " / " + base.problem.en)
    codes = base.codes
    unknown = [c for c in deltas if c not in codes]
    if unknown:
        raise ValueError(f"Không có chỉ số {', '.join(unknown)}. Mã hợp lệ: {', '.join(codes)} / "
                         f"Unknown sub-index {', '.join(unknown)}. Valid codes: {', '.join(codes)}")
    fixed = fixed if fixed is not None else targets(base, target_rank, gap_fraction, max_step)
    changes = {c: float(v) for c, v in deltas.items() if float(v) != 0.0}
    row = {c: float(v) for c, v in base.scores.loc[base.entity].items()}
    new_row, applied, change_notes = whatif.apply_changes(row, base.weights, changes)
    notes: list[Note] = list(base.notes)
    if base.scenario is not None:
        notes.insert(0, Note(base.scenario.label_vi, base.scenario.label_en))
    notes += change_notes
    table = base.subindices[["code", "name_vi", "name_en", "weight", "score"]].copy()
    table["delta"] = [float(applied.get(c, 0.0)) for c in codes]
    table["new_score"] = table["score"] + table["delta"]
    table["points"] = table["weight"] * table["delta"] / 10.0
    gain = whatif.composite(new_row, base.weights) - whatif.composite(row, base.weights)
    r = _rank_exact(base, changes, notes) if base.rank_supported else _rank_partial(base, row, gain)
    return Outcome(
        base=base, table=table, composite_before=r.before, composite_after=r.after, composite_basis=r.basis,
        rank_before=r.rank_before, rank_after=r.rank_after, bounds=r.bounds, n_provinces=base.n_provinces,
        marginal=fixed.marginal, gap_fraction=fixed.gap_fraction, target_rank=fixed.target_rank,
        max_step=fixed.max_step, plan=fixed.plan, guaranteed=fixed.guaranteed,
        guaranteed_plan=fixed.guaranteed_plan, standings=r.standings, notes=tuple(_unique(notes)))


def _unique(notes: list[Note]) -> list[Note]:
    seen: set[tuple[str, str]] = set()
    out = []
    for n in notes:
        if (n.vi, n.en) not in seen:
            seen.add((n.vi, n.en))
            out.append(n)
    return out


def _marginal(base: Base, gap_fraction: float) -> pd.DataFrame:
    """Composite points per point, and per closing ``gap_fraction`` of the gap to the year's best."""
    cols = ["code", "name_vi", "name_en", "weight", "score", "best_score", "best_vi", "best_en", "gap",
            "points_per_point", "points_closing_gap", "rank_closing_gap"]
    names = base.subindices.set_index("code")
    if base.rank_supported:
        mv = whatif.marginal_values(base.scores, base.weights, base.entity, gap_fraction)
        others = whatif.composites(base.scores, base.weights).drop(index=base.entity).to_numpy(dtype=float)
        ranks = []
        for r in storage.records(mv):
            after = whatif.composite(
                {**base.scores.loc[base.entity].to_dict(), r.code: r.score + r.gap * gap_fraction}, base.weights)
            ranks.append(rank_of_value(after, others))
        mv["rank_closing_gap"] = ranks
        leaders = [str(b).split(", ") for b in mv["best_province"]]
        mv["best_vi"] = [", ".join(base.label(k, "vi") for k in ks) for ks in leaders]
        mv["best_en"] = [", ".join(base.label(k, "en") for k in ks) for ks in leaders]
    else:
        # The year's best scores are unknown: only the value of a point can be said.
        mv = base.subindices[["code", "weight", "score"]].copy()
        mv["points_per_point"] = mv["weight"] / 10.0
        for c in ("best_score", "gap", "points_closing_gap", "rank_closing_gap"):
            mv[c] = math.nan
        mv["best_vi"] = mv["best_en"] = None
        mv = mv.sort_values(["points_per_point", "code"], ascending=[False, True], kind="stable")
    mv["name_vi"] = [str(names.at[c, "name_vi"]) for c in mv["code"]]
    mv["name_en"] = [str(names.at[c, "name_en"]) for c in mv["code"]]
    return mv[cols].reset_index(drop=True)
