"""The what-if page model: a year's scores and weights from the store, then pure simulation.

Two steps, so that the slow part is cached and the live part is pure:

1. :func:`base_model` (reads the store once per entity/year/framework; the page caches it) —
   every province's sub-index scores that year, the weights in force (``history.weights_for_year``)
   or, for PCI 2025, assumed weights over the lineage (``storage.load_lineage``), the published
   composites and ranks, and what the year's data can support.
2. :func:`outcome` (pure, a few milliseconds) — the slider changes applied: composite and rank
   before/after, marginal values, and what it takes to reach a rank.

Weights are data: change them in the store and every answer here changes with them.
Rank needs every province's scores (2005–2019 in the shipped data). Where only the entity's
sub-indices are known (2020–2022), the composite is simulated from its published composite and
the rank is bounded by the few published composites of other provinces (:func:`whatif.rank_bounds`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain import whatif
from pci_metrics.domain.whatif import Note, RankBounds, RankPlan, WeightScenario
from pci_metrics.store import storage
from pci_metrics.views import history

VIEW_CLASSIC = "classic"
VIEW_PCI2025 = "pci2025"
VIEWS = (VIEW_CLASSIC, VIEW_PCI2025)
NEW_FRAMEWORK = "pci2025"
#: The "lineage_2022" assumption carries over the weights in force in this year.
LINEAGE_WEIGHTS_YEAR = 2022
#: Slider step in sub-index points.
STEP = 0.05
DEFAULT_ENTITY = "haiphong"
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
    scores = storage.load_scores(con, year=year)
    scores = scores[(scores["code"] != history.COMPOSITE) & scores["value"].notna()]
    info = storage.load_year_info(con)
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
    info = storage.load_year_info(con)
    per_year = complete.groupby("year").size()
    out = []
    for r in storage.records(info):
        if not _missing(r.n_provinces) and int(per_year.get(int(r.year), 0)) >= int(r.n_provinces):
            out.append(int(r.year))
    return tuple(sorted(out))


def choices(con: duckdb.DuckDBPyConnection) -> Choices:
    """Provinces and years the what-if can simulate (Hải Phòng: 2005–2022; rank: 2005–2019)."""
    # Load inputs.
    complete = _complete(con)
    entities = storage.load_entities(con, "province")
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


def base_model(con: duckdb.DuckDBPyConnection, entity: str, year: int, view: str = VIEW_CLASSIC,
               assumption: str = "lineage_2022") -> Base:
    """Read one entity-year for simulation: Hải Phòng 2019 → 63 provinces, weights of pci2013, rank 10.

    ``view`` "pci2025" re-expresses every province's classic scores through the lineage (the mean
    of the classic sub-indices each new one continues) under assumed weights (``assumption``).
    Problems the user can fix (unknown entity, a year without full data) raise ValueError in vi/en;
    facts of the data that prevent a simulation are returned in ``problem``.
    """
    # Load inputs.
    if view not in VIEWS:
        raise ValueError(f"Không có chế độ {view!r} / Unknown view {view!r}; chọn / choose: {', '.join(VIEWS)}")
    entities = storage.load_entities(con, "province")
    names = {str(r.entity_key): (str(r.name_vi), str(r.name_en)) for r in storage.records(entities)}
    if entity not in names:
        raise ValueError(f"Không có tỉnh '{entity}' / unknown province '{entity}'")
    complete = _complete(con)
    if entity not in set(complete.loc[complete["year"] == year, "entity_key"]):
        span = years_text(choices(con).years_for(entity))
        raise ValueError(
            f"Chưa có đủ điểm chỉ số thành phần của {names[entity][0]} năm {year} (có: {span}) / "
            f"{names[entity][1]}'s sub-index scores for {year} are incomplete (available: {span})")
    fw, year_weights = history.weights_for_year(con, year)
    fws = storage.load_frameworks(con).set_index("framework_id")
    scores_long = storage.load_scores(con, year=year)
    # Process data.
    subs = scores_long[scores_long["code"] != history.COMPOSITE]
    wide = subs.pivot(index="entity_key", columns="code", values="value")
    pub = scores_long[(scores_long["code"] == history.COMPOSITE) & scores_long["value"].notna()]
    published = {str(r.entity_key): (float(r.value), None if _missing(r.rank) else int(r.rank))
                 for r in storage.records(pub)}
    known = {k: (c, r) for k, (c, r) in published.items() if k != entity and r is not None}
    own_pub = published.get(entity, (None, None))
    n_prov = _n_provinces(con, year)
    rank_years = _rank_years(con, complete)
    rank_supported = year in rank_years
    sources = tuple(sorted({str(s) for s in subs.loc[subs["entity_key"] == entity, "source"].dropna()}))
    common: dict[str, Any] = dict(
        entity=entity, entity_vi=names[entity][0], entity_en=names[entity][1], year=year, view=view,
        rank_years=rank_years, n_provinces=n_prov, published_composite=own_pub[0],
        published_rank=own_pub[1], known=known if not rank_supported else {}, names=names, sources=sources)
    notes: list[Note] = []
    if not bool(fws.loc[fw, "comparable"]):
        notes.append(Note(f"{fws.loc[fw, 'name_vi']}: phương pháp khác, không so sánh được với các năm sau",
                          f"{fws.loc[fw, 'name_en']}: a different method, not comparable with later years"))

    if view == VIEW_CLASSIC:
        codes = _weighted_codes(year_weights)
        weights = {c: float(year_weights[c] or 0.0) for c in codes}
        catalogue = storage.load_subindices(con, fw).set_index("code")
        frame = wide[codes].astype(float).dropna()
        scenario = None
        continues = {c: "" for c in codes}
        fw_vi, fw_en = str(fws.loc[fw, "name_vi"]), str(fws.loc[fw, "name_en"])
        author = author_en = None
        if rank_supported:
            notes += _approximation_notes(frame, weights, published, year)
    else:
        links = storage.load_lineage(con, NEW_FRAMEWORK)
        catalogue = storage.load_subindices(con, NEW_FRAMEWORK).set_index("code")
        lineage = {str(c): tuple(str(x) for x in g["classic_code"]) for c, g in links.groupby("code", sort=False)}
        lineage = {c: lineage[c] for c in catalogue.index if c in lineage}
        codes = list(lineage)
        _, w2022 = history.weights_for_year(con, LINEAGE_WEIGHTS_YEAR)
        scenario = whatif.scenario_weights(assumption, lineage, w2022)
        weights = dict(scenario.weights)
        continues = {c: ", ".join(lineage[c]) for c in codes}
        author = "; ".join(history.lineage_authors(links, "vi")) if not links.empty else None
        author_en = "; ".join(history.lineage_authors(links, "en")) if not links.empty else None
        fw, fw_vi, fw_en = NEW_FRAMEWORK, str(fws.loc[NEW_FRAMEWORK, "name_vi"]), str(fws.loc[NEW_FRAMEWORK, "name_en"])
        missing = sorted({x for c in codes for x in lineage[c]} - set(wide.columns))
        if missing or wide.loc[[entity], [x for c in codes for x in lineage[c]]].isna().any(axis=None):
            gone = missing or sorted({x for c in codes for x in lineage[c] if _missing(wide.at[entity, x])})
            named = storage.load_subindices(con).drop_duplicates("code", keep="last").set_index("code")
            vi = ", ".join(f"{named.at[x, 'name_vi']} ({x})" if x in named.index else x for x in gone)
            en = ", ".join(f"{named.at[x, 'name_en']} ({x})" if x in named.index else x for x in gone)
            return _problem_base(**common, assumption=assumption, problem=Note(
                f"Năm {year} không có điểm {vi}, nên không tính được các chỉ số PCI 2025 kế thừa chúng",
                f"{year} has no {en} score, so the PCI 2025 sub-indices that continue it cannot be computed"))
        frame = whatif.lineage_scores(wide[sorted({x for c in codes for x in lineage[c]})], lineage).dropna()
        notes.append(Note(
            "Điểm các chỉ số PCI 2025 = trung bình các chỉ số cổ điển mà chúng kế thừa (liên kết kế thừa là một "
            f"nhận định của {author})",
            f"PCI 2025 sub-index scores = mean of the classic sub-indices they continue (the lineage is a "
            f"judgment by {author_en})"))
    if not rank_supported:
        frame = frame.loc[[entity]]
    row = frame.loc[entity]
    table = pd.DataFrame({
        "code": codes,
        "name_vi": [str(catalogue.at[c, "name_vi"]) if c in catalogue.index else c for c in codes],
        "name_en": [str(catalogue.at[c, "name_en"]) if c in catalogue.index else c for c in codes],
        "weight": [weights[c] for c in codes],
        "score": [float(row[c]) for c in codes],
        "continues": [continues[c] for c in codes],
    })
    bounds = [slider_bounds(s) for s in table["score"]]
    table["lo"] = [b[0] for b in bounds]
    table["hi"] = [b[1] for b in bounds]
    # Save outputs.
    return Base(**common, assumption=assumption if view == VIEW_PCI2025 else None, framework_id=fw,
                framework_vi=fw_vi, framework_en=fw_en, weights=weights, scenario=scenario, subindices=table,
                scores=frame, rank_supported=rank_supported, notes=tuple(notes), lineage_author=author,
                lineage_author_en=author_en)


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def years_text(years: list[int]) -> str:
    """Years as a span when consecutive: [2005, …, 2019] → "2005–2019"; else listed.

    >>> years_text(list(range(2005, 2020))), years_text([2019, 2022]), years_text([])
    ('2005–2019', '2019, 2022', '—')
    """
    if not years:
        return "—"
    return f"{years[0]}–{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))


def _n_provinces(con: duckdb.DuckDBPyConnection, year: int) -> int:
    info = storage.load_year_info(con)
    n = info.loc[info["year"] == year, "n_provinces"]
    return int(n.iloc[0]) if not n.empty and not _missing(n.iloc[0]) else 0


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
        plan = whatif.min_improvement_for_rank(base.scores, base.weights, base.entity, target_rank,
                                               max_delta=max_step)
    elif base.view == VIEW_CLASSIC and base.published_composite is not None and base.published_rank is not None:
        guaranteed = whatif.gain_for_guaranteed_rank(base.published_composite, base.published_rank,
                                                     target_rank, base.known)
        if guaranteed is not None:
            row = {c: float(v) for c, v in base.scores.loc[base.entity].items()}
            # the year's best scores are unknown: the scale's 10 (or the step limit) bounds each rise
            caps = {c: min(10.0, row[c] + (max_step if max_step is not None else 10.0)) for c in base.codes}
            guaranteed_plan = whatif.cheapest_plan(row, base.weights, guaranteed[0], caps)
    return Targets(target_rank=target_rank, gap_fraction=gap_fraction, max_step=max_step, plan=plan,
                   guaranteed=guaranteed, guaranteed_plan=guaranteed_plan, marginal=_marginal(base, gap_fraction))


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
    bounds: RankBounds | None = None
    standings = pd.DataFrame(columns=["entity_key", "name_vi", "name_en", "value"])
    if base.rank_supported:
        sim = whatif.simulate(base.scores, base.weights, base.entity, changes)
        before, after = sim.composite_before, sim.composite_after
        rank_before: int | None = sim.rank_before
        rank_after: int | None = sim.rank_after
        basis = "recomputed"
        if base.view == VIEW_CLASSIC and base.published_rank is not None and base.published_rank != sim.rank_before:
            notes.append(Note(
                f"Hạng tính lại ({sim.rank_before}) khác hạng công bố ({base.published_rank})",
                f"The recomputed rank ({sim.rank_before}) differs from the published rank ({base.published_rank})"))
        comps = whatif.composites(base.scores, base.weights)
        comps[base.entity] = after
        standings = pd.DataFrame({
            "entity_key": [str(k) for k in comps.index],
            "name_vi": [base.label(str(k), "vi") for k in comps.index],
            "name_en": [base.label(str(k), "en") for k in comps.index],
            "value": comps.to_numpy(dtype=float),
        })
    else:
        rank_before = rank_after = None
        if base.published_composite is not None and base.view == VIEW_CLASSIC:
            # The published composite is exact to 0.005; the gain is exact (linear in the scores).
            before, basis = base.published_composite, "published"
        else:
            before, basis = whatif.composite(row, base.weights), "recomputed"
        after = before + gain
        if base.view == VIEW_CLASSIC and base.published_composite is not None and base.published_rank is not None:
            rank_before = base.published_rank
            bounds = whatif.rank_bounds(base.published_composite, base.published_rank, gain, base.known,
                                        base.n_provinces)
            if bounds.exact:
                rank_after = bounds.best
    return Outcome(
        base=base, table=table, composite_before=before, composite_after=after, composite_basis=basis,
        rank_before=rank_before, rank_after=rank_after, bounds=bounds, n_provinces=base.n_provinces,
        marginal=fixed.marginal, gap_fraction=fixed.gap_fraction, target_rank=fixed.target_rank,
        max_step=fixed.max_step, plan=fixed.plan, guaranteed=fixed.guaranteed,
        guaranteed_plan=fixed.guaranteed_plan, standings=standings, notes=tuple(_unique(notes)))


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
            ranks.append(1 + int((others > after + whatif.EPS).sum()))
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


# --------------------------------------------------------------------------- display (page and exports)


def weight_text(weight: float, lang: str = "vi") -> str:
    """A weight in percent: 20 → "20", 7.142857 → "7,1" (Vietnamese).

    >>> weight_text(20.0), weight_text(7.142857, "vi"), weight_text(7.142857, "en")
    ('20', '7,1', '7.1')
    """
    return fmt_num(weight, lang, 0 if float(weight).is_integer() else 1)


def assumption_tag(base: Base, lang: str = "vi") -> str | None:
    """The short assumption label every PCI 2025 result carries; None for the classic view."""
    return None if base.scenario is None else t(f"whatif_assume_tag_{base.assumption}", lang)


def chart_title(text: str, base: Base, lang: str = "vi") -> str:
    """A chart title; for PCI 2025 the assumption goes on a second, smaller line (titles stay readable)."""
    tag = assumption_tag(base, lang)
    # Plotly renders HTML tags in titles: names from the data are escaped, only our <br><sup> is markup.
    return html.escape(text) if tag is None else f"{html.escape(text)}<br><sup>{html.escape(tag)}</sup>"


def standings_window(out: Outcome, size: int = 12) -> pd.DataFrame:
    """The provinces around the entity after the change, with their ranks: the top ``size`` while the
    entity is near the top, else the ``size`` places from 8 above it to 3 below.

    Columns entity_key, name_vi, name_en, value, rank ("min" ranks: equal composites share a rank).
    """
    f = out.standings.copy()
    if f.empty:
        return f.assign(rank=pd.Series(dtype=int))
    values = f["value"].to_numpy(dtype=float)
    f["rank"] = [1 + int((values > v + whatif.EPS).sum()) for v in values]
    f = f.sort_values(["rank", "value"], ascending=[True, False], kind="stable").reset_index(drop=True)
    own = int(f.loc[f["entity_key"] == out.base.entity, "rank"].iloc[0])
    first = 1 if own <= size - 3 else own - (size - 4)
    return f[(f["rank"] >= first) & (f["rank"] < first + size)].reset_index(drop=True)


def labelled(text: str, base: Base, lang: str = "vi") -> str:
    """A result label with the PCI 2025 assumption appended: "Xếp hạng (giả định: trọng số bằng nhau)"."""
    tag = assumption_tag(base, lang)
    return text if tag is None else f"{text} ({tag})"


def rank_display(out: Outcome, lang: str = "vi") -> tuple[str, str | None, str | None]:
    """(value, delta, help) of the rank metric: "hạng 6/63", "+4 bậc"; a range or "Chưa tính được" when unknown."""
    n = out.n_provinces
    if out.rank_after is not None and out.rank_before is not None:
        places = out.rank_before - out.rank_after
        delta = None if not out.changed else (
            t("whatif_places", lang, places=places) if places else t("whatif_places_same", lang))
        help_ = None
        if out.bounds is not None:
            help_ = t("whatif_bounds_help", lang, provinces=_province_list(out.base, out.bounds, lang))
        return t("rank_of", lang, rank=out.rank_after, n=n), delta, help_
    if out.bounds is not None:
        b = out.bounds
        return (t("whatif_rank_range", lang, best=b.best, worst=b.worst, n=n), None,
                t("whatif_bounds_help", lang, provinces=_province_list(out.base, b, lang)))
    return t("whatif_rank_unknown", lang), None, None


def _province_list(base: Base, bounds: RankBounds, lang: str) -> str:
    keys = bounds.above + bounds.below
    return ", ".join(base.label(k, lang) for k in keys) or t("whatif_bounds_none", lang)


def before_text(out: Outcome, lang: str = "vi") -> str:
    """"Trước mô phỏng: 68,73 điểm, hạng 10/63." and how the composite is computed."""
    b = out.base
    rank = (t("rank_of", lang, rank=out.rank_before, n=out.n_provinces) if out.rank_before is not None
            else t("whatif_rank_unknown", lang).lower())
    framework = b.framework_en if lang == "en" else b.framework_vi
    basis = (t("whatif_basis_published", lang, published=fmt_num(b.published_composite, lang), framework=framework)
             if out.composite_basis == "published" else t("whatif_basis_recomputed", lang, framework=framework))
    return t("whatif_before", lang, composite=fmt_num(out.composite_before, lang), rank=rank) + " " + basis


def _name_col(lang: str) -> str:
    return "name_en" if lang == "en" else "name_vi"


def plan_table(plan: pd.DataFrame, base: Base, lang: str = "vi") -> pd.DataFrame:
    """A rank plan with the sub-index names and headers in ``lang`` (numbers stay numbers)."""
    names = base.subindices.set_index("code")[_name_col(lang)]
    return pd.DataFrame({
        t("whatif_col_subindex", lang): [str(names.get(c, c)) for c in plan["code"]],
        t("whatif_col_weight", lang): plan["weight"].astype(float).to_numpy(),
        t("whatif_col_from", lang): plan["from"].astype(float).to_numpy(),
        t("whatif_col_to", lang): plan["to"].astype(float).to_numpy(),
        t("whatif_col_delta", lang): plan["delta"].astype(float).to_numpy(),
        t("whatif_col_points", lang): plan["points"].astype(float).to_numpy(),
    })


def _cap_text(out: Outcome, known_best: bool, lang: str) -> str:
    step = None if out.max_step is None else fmt_num(out.max_step, lang)
    if known_best:
        return t("whatif_cap_best", lang) if step is None else t("whatif_cap_best_or_step", lang, points=step)
    return t("whatif_cap_ten", lang) if step is None else t("whatif_cap_ten_or_step", lang, points=step)


def target_message(out: Outcome, lang: str = "vi") -> tuple[str, str, pd.DataFrame | None]:
    """What it takes to reach the target rank: (kind "success"|"info"|"warning", text, plan table or None)."""
    b, n, target = out.base, out.n_provinces, out.target_rank
    p = out.plan
    if p is not None:
        if p.already_met:
            return "success", t("whatif_target_met", lang, entity=b.label(b.entity, lang), target=target,
                                 rank=p.rank_before, n=n), None
        if not p.reachable:
            return "warning", t(
                "whatif_target_unreachable", lang, target=target, cap=_cap_text(out, True, lang),
                best=fmt_num(p.composite_after, lang), needed=fmt_num(p.threshold, lang),
                best_rank=p.best_reachable_rank, n=n), plan_table(p.plan, b, lang)
        holders = ", ".join(b.label(k, lang) for k in p.threshold_provinces)
        return "info", t(
            "whatif_target_plan", lang, target=target, total=fmt_num(p.total_improvement, lang),
            points=fmt_num(p.composite_after - p.composite_before, lang), holders=holders,
            cap=_cap_text(out, True, lang)), plan_table(p.plan, b, lang)
    if out.guaranteed is not None and out.guaranteed_plan is not None:
        gain, province = out.guaranteed
        if province is None:
            return "success", t("whatif_target_met", lang, entity=b.label(b.entity, lang), target=target,
                                 rank=out.rank_before, n=n), None
        cap = _cap_text(out, False, lang)
        if not out.guaranteed_reachable:
            return "warning", t(
                "whatif_target_partial_unreachable", lang, target=target, gain=fmt_num(gain, lang), cap=cap,
                best=fmt_num(float(out.guaranteed_plan["points"].sum()), lang)), plan_table(out.guaranteed_plan, b, lang)
        c_k, r_k = b.known[province]
        return "info", t(
            "whatif_target_partial", lang, year=b.year, target=target, gain=fmt_num(gain, lang),
            province=b.label(province, lang), score=fmt_num(c_k, lang), rank=r_k, cap=cap), \
            plan_table(out.guaranteed_plan, b, lang)
    return "info", t("whatif_target_unknown", lang, year=b.year, years=years_text(list(b.rank_years)), target=target), None


def marginal_chart(out: Outcome, lang: str = "vi") -> tuple[list[str], list[tuple[str, list[float | None]]], pd.DataFrame]:
    """Labels, bar series and the data table of the marginal-value chart (unknowns stay None/NaN)."""
    m = out.marginal
    labels = [str(v) for v in m[_name_col(lang)]]
    pct = fmt_num(out.gap_fraction * 100, lang, 0)
    series: list[tuple[str, list[float | None]]] = [
        (t("whatif_marginal_per_point", lang), [float(v) for v in m["points_per_point"]])]
    if out.base.rank_supported:
        series.append((t("whatif_marginal_closing", lang, pct=pct), [float(v) for v in m["points_closing_gap"]]))
    table = pd.DataFrame({
        t("whatif_col_subindex", lang): labels,
        t("whatif_col_weight", lang): m["weight"].astype(float).to_numpy(),
        t("whatif_col_from", lang): m["score"].astype(float).to_numpy(),
        t("whatif_col_best", lang): m["best_score"].astype(float).to_numpy(),
        t("whatif_col_leader", lang): m["best_en" if lang == "en" else "best_vi"].to_numpy(),
        t("whatif_col_gap", lang): m["gap"].astype(float).to_numpy(),
        t("whatif_col_per_point", lang): m["points_per_point"].astype(float).to_numpy(),
        t("whatif_col_closing", lang) + f" ({pct}%)": m["points_closing_gap"].astype(float).to_numpy(),
        t("whatif_col_rank_closing", lang): m["rank_closing_gap"].astype("Float64").to_numpy(),
    })
    return labels, series, table


def source_text(base: Base, lang: str = "vi") -> str:
    """Where every number on the page comes from (scores, weights, method; the assumption for PCI 2025)."""
    src = t("whatif_source", lang, year=base.year, sources="; ".join(base.sources) or "—",
            framework=base.framework_en if lang == "en" else base.framework_vi)
    if base.scenario is not None:
        author = base.lineage_author_en if lang == "en" else base.lineage_author
        src += " " + t("whatif_source_2025", lang, author=author or "—",
                       assumption=base.scenario.label(lang))
    return src
