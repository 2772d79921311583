"""The compare page: chosen provinces' sub-index scores and ranks in a year, their composite
trajectories, and who leads each sub-index, from where, with Hải Phòng's gap."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.store.storage import records
from pci_metrics.views.leadership import COMPOSITE, HAIPHONG, Snapshot, latest_full_year, snapshot
from pci_metrics.views.leadership_text import fmt_gap


@dataclass
class CompareOptions:
    """What the compare page offers: provinces, years, and the defaults."""

    provinces: pd.DataFrame  # entity_key, name_vi, name_en
    years: list[int]
    full_year: int | None  # the latest year with every province's sub-indices
    default_provinces: list[str]
    span: tuple[int, int]


def compare_options(con: duckdb.DuckDBPyConnection, entity_key: str = HAIPHONG, *,
                    snap: Snapshot | None = None) -> CompareOptions:
    """Provinces with scores, comparable years, and the defaults: Hải Phòng, Quảng Ninh and the top
    five of the latest year with full data."""
    snap = snap if snap is not None else snapshot(con)
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
    method_starts: dict[str, int] = field(default_factory=dict)  # framework → its first year (breaks on charts)

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
                value, rank = (None, None) if hit is None else (as_float(hit["value"]), as_int(hit["rank"]))
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
                t("leadership_col_from", lang): (f"{fmt_num(r.from_value, lang)} ({as_int(r.from_year)}"
                                           + (", " + t("leadership_target_rank", lang, rank=as_int(r.from_rank))
                                              if as_int(r.from_rank) else "") + ")") if as_int(r.from_year)
                else t("no_data", lang),
                t("leadership_col_change_since", lang): fmt_num(r.change, lang) if as_float(r.change) is None
                else ("+" if r.change > 0 else "") + fmt_num(r.change, lang),
                t("leadership_col_haiphong", lang): fmt_num(r.haiphong, lang) + (
                    f" ({t('leadership_target_rank', lang, rank=as_int(r.haiphong_rank))})" if as_int(r.haiphong_rank)
                    else ""),
                t("leadership_col_gap_points", lang): fmt_gap(r.gap, lang),
            })
        return pd.DataFrame(out)


LEADER_COLUMNS = ["code", "name_vi", "name_en", "leader", "leader_value", "from_year", "from_value", "from_rank",
                  "change", "haiphong", "haiphong_rank", "gap"]


@dataclass
class _Year:
    """The compare model's inputs for one year and span, each split once (by sub-index, by province
    and sub-index) so that a sub-index's leader is a lookup, not a scan of every score."""

    year: int
    framework_id: str | None
    bench: pd.DataFrame  # the year's benchmarks, one row per sub-index (code as index)
    mine: pd.DataFrame  # Hải Phòng's scores in the year, one row per sub-index (code as index)
    in_span: dict[tuple[str, str], pd.DataFrame]  # (province, sub-index) → its scores in the span
    no_scores: pd.DataFrame  # no score in the span (empty, with the scores' columns)
    medians: dict[str, pd.DataFrame]  # sub-index → its benchmarks in the span
    no_median: pd.DataFrame  # no benchmark in the span (empty, with the benchmarks' columns)
    fw_by_year: dict[Any, Any]
    comparable: set[str]
    entity_key: str


def _year_inputs(snap: Snapshot, year: int, fw: str | None, year_scores: pd.DataFrame, in_span: pd.DataFrame,
                 span_from: int, span_to: int, entity_key: str) -> _Year:
    """Split the snapshot's scores and benchmarks once for :func:`_leader` and :func:`_median_series`."""
    bench = snap.benchmarks
    fw_by_year = dict(zip(snap.year_info["year"], snap.year_info["framework_id"], strict=True))
    med = bench[bench["year"].between(span_from, span_to)]
    tops = bench[bench["year"] == year].drop_duplicates("code").set_index("code")
    wanted = {k for k in tops["top_entity_key"] if isinstance(k, str)} | {entity_key}  # leaders and Hải Phòng
    theirs = in_span[in_span["entity_key"].isin(wanted)]
    return _Year(
        year, fw, tops, year_scores[year_scores["entity_key"] == entity_key].drop_duplicates("code").set_index("code"),
        {(str(k[0]), str(k[1])): g for k, g in theirs.groupby(["entity_key", "code"], sort=False)}, in_span.iloc[:0],
        {str(k): g for k, g in med.groupby("code", sort=False)}, med.iloc[:0], fw_by_year, snap.comparable,
        entity_key)


def _leader(y: _Year, s: Any, series: list[pd.DataFrame]) -> dict[str, Any]:
    """One sub-index's leader in the year, how they got there, and Hải Phòng's gap; appends the
    leader's and Hải Phòng's series over the span."""
    b = y.bench.loc[s.code] if s.code in y.bench.index else None
    top = b["top_entity_key"] if b is not None else None
    leader = str(top) if isinstance(top, str) else None
    row: dict[str, Any] = dict(code=s.code, name_vi=s.name_vi, name_en=s.name_en, leader=leader,
                               leader_value=as_float(b["top_score"]) if b is not None else None,
                               from_year=None, from_value=None, from_rank=None, change=None)
    hp = y.mine.loc[s.code] if s.code in y.mine.index else None
    row["haiphong"] = as_float(hp["value"]) if hp is not None else None
    row["haiphong_rank"] = as_int(hp["rank"]) if hp is not None else None
    row["gap"] = (None if row["leader_value"] is None or row["haiphong"] is None
                  else round(row["leader_value"] - row["haiphong"], 10))
    for role, key in (("leader", leader), ("haiphong", y.entity_key)):
        if key is None:
            continue
        ser = y.in_span.get((key, s.code), y.no_scores)
        series.append(ser[["year", "value", "framework_id"]].assign(code=s.code, role=role, entity_key=key))
        if role == "leader":
            # how they got there: from the first year of the same methodology inside the span
            same = ser[(ser["framework_id"] == y.framework_id) & ser["value"].notna() & (ser["year"] <= y.year)]
            same = same.sort_values("year")
            if len(same) >= 2:
                first = same.iloc[0]
                row.update(from_year=int(first["year"]), from_value=as_float(first["value"]),
                           from_rank=as_int(first["rank"]),
                           change=round(float(same["value"].iloc[-1]) - float(first["value"]), 10))
    return row


def _median_series(y: _Year, code: str) -> pd.DataFrame:
    """The median of one sub-index over the span's comparable years."""
    med = y.medians.get(code, y.no_median)
    med = med.assign(framework_id=[y.fw_by_year.get(int(v)) for v in med["year"]])
    med = med[med["framework_id"].isin(y.comparable)]
    return pd.DataFrame({"year": med["year"], "value": med["median"], "framework_id": med["framework_id"],
                         "code": code, "role": "median", "entity_key": None})


def build_compare(snap: Snapshot, provinces: tuple[str, ...], year: int, span_from: int, span_to: int,
                  entity_key: str = HAIPHONG) -> CompareModel:
    """The compare page's model from a snapshot, for chosen provinces, a year and a span of years."""
    fw = snap.framework_of_year(year)
    subs = snap.subindices[snap.subindices["framework_id"] == fw][["code", "name_vi", "name_en", "sort_order"]]
    names = snap.names
    chosen = list(dict.fromkeys(provinces))
    year_scores = snap.scores[snap.scores["year"] == year]
    scores = year_scores[year_scores["entity_key"].isin(chosen)][["entity_key", "code", "value", "rank", "rank_of"]]
    scores = scores.merge(names, on="entity_key", how="left")
    in_span = snap.scores[snap.scores["year"].between(span_from, span_to)
                          & snap.scores["framework_id"].isin(snap.comparable)]
    traj = in_span[(in_span["code"] == COMPOSITE) & in_span["entity_key"].isin(chosen)]
    traj = traj[["entity_key", "year", "value", "rank", "rank_of", "framework_id"]].merge(names, on="entity_key")
    y = _year_inputs(snap, year, fw, year_scores, in_span, span_from, span_to, entity_key)
    leaders: list[dict[str, Any]] = []
    series: list[pd.DataFrame] = []
    for s in records(subs.sort_values("sort_order")):
        leaders.append(_leader(y, s, series))
        series.append(_median_series(y, s.code))
    lead = pd.DataFrame(leaders, columns=LEADER_COLUMNS)
    lead = lead.merge(names.rename(columns={"entity_key": "leader", "name_vi": "leader_vi", "name_en": "leader_en"}),
                      on="leader", how="left")
    leader_series = (pd.concat(series, ignore_index=True) if series else
                     pd.DataFrame(columns=["year", "value", "framework_id", "code", "role", "entity_key"]))
    return CompareModel(year=year, provinces=chosen, subindices=subs.reset_index(drop=True),
                        scores=scores.reset_index(drop=True), trajectories=traj.reset_index(drop=True),
                        leaders=lead, leader_series=leader_series, names=names,
                        method_starts=method_starts(snap))


def method_starts(snap: Snapshot) -> dict[str, int]:
    """Each methodology's first year (the frameworks table): where a chart marks its change."""
    fws = snap.frameworks.dropna(subset=["year_from"])
    return dict(zip(fws["framework_id"].astype(str), fws["year_from"].astype(int), strict=True))


def compare_model(con: duckdb.DuckDBPyConnection, provinces: tuple[str, ...], year: int, span_from: int,
                  span_to: int, entity_key: str = HAIPHONG, *, snap: Snapshot | None = None) -> CompareModel:
    """Build the compare page's model from a connection (or from ``snap`` when the caller has one)."""
    return build_compare(snap if snap is not None else snapshot(con), provinces, year, span_from, span_to,
                         entity_key)


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
