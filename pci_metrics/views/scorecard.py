"""The Overview's scorecard: the composite and every priority with its latest value, change, rank,
target and status, and "where the points are".

**Where the points are** (:func:`pci_metrics.domain.gaps.points_to_gain`): for each sub-index,
weight % × (best province's score − Hải Phòng's score) / 10 = composite points Hải Phòng would
gain by closing the gap, in the latest year where both Hải Phòng's and the best province's
sub-index scores are known, with that year's weights — and, labelled separately, with the newest
known weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain.gaps import points_to_gain
from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.domain.trends import latest_of
from pci_metrics.store.storage import records
from pci_metrics.views.leadership import (
    COMPOSITE,
    HAIPHONG,
    Snapshot,
    measure_history,
    newest_known_weights,
    snapshot,
)
from pci_metrics.views.marks import target_label


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

    def target_sources(self, lang: str) -> list[str]:
        """One line per measure judged against a target: its name, the target's year and its source
        (a target is believed only with its document)."""
        col = "name_en" if lang == "en" else "name_vi"
        return [f"{getattr(r, col)} ({as_int(r.target_year)}): {r.target_source}"
                for r in self.rows.itertuples(index=False)
                if as_int(r.target_year) is not None and isinstance(r.target_source, str) and r.target_source]

    def table(self, lang: str) -> pd.DataFrame:
        """The scorecard as a localized table (numbers formatted for the language)."""
        out = []
        for r in records(self.rows):
            change = (t("leadership_change_break", lang) if r.change_note == "break" else fmt_num(r.change, lang)
                      if as_float(r.change) is None else ("+" if r.change > 0 else "") + fmt_num(r.change, lang))
            rank = (t("rank_of", lang, rank=as_int(r.rank), n=as_int(r.rank_of)) if as_int(r.rank) and as_int(r.rank_of)
                    else t("no_data", lang))
            target = []
            if as_float(r.target_score) is not None:
                target.append(fmt_num(r.target_score, lang))
            if as_int(r.target_rank) is not None:
                target.append(t("leadership_target_rank", lang, rank=as_int(r.target_rank)))
            name = r.name_en if lang == "en" else r.name_vi
            out.append({
                t("leadership_col_measure", lang): name + (" (*)" if r.history_kind == "lineage" else ""),
                t("leadership_col_status", lang): target_label(str(r.status), lang),
                t("year", lang): "" if as_int(r.year) is None else str(as_int(r.year)),
                t("leadership_col_latest", lang): fmt_num(r.value, lang),
                t("leadership_col_change", lang): change,
                t("rank", lang): rank,
                t("series_target", lang): (" · ".join(target) + f" ({as_int(r.target_year)})") if target
                else t("leadership_no_target", lang),
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
    now_fw, now_w = newest_known_weights(snap)
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


def _row(snap: Snapshot, entity_key: str, measure: tuple[str, str, str, str, str, list[str]]) -> dict[str, object]:
    """One scorecard row: the measure's latest value, change, rank, target and status."""
    kind, fw, code, name_vi, name_en, ents = measure
    if kind == "composite":
        series = snap.series(entity_key, COMPOSITE)
        series, hist_kind = series[series["framework_id"].isin(snap.comparable)], "own"
    else:
        h = measure_history(snap, fw, code, entity_key)
        series, hist_kind = h.series, h.kind
    latest, _ = latest_of(series)
    target, status = snap.judge(code, ents, latest)
    return dict(kind=kind, code=code, framework_id=fw, name_vi=name_vi, name_en=name_en, year=latest.year,
                value=latest.value, change=latest.change, change_note=latest.change_note,
                rank=latest.rank, rank_of=latest.rank_of,
                target_year=target["year"] if target else None,
                target_score=target["target_score"] if target else None,
                target_rank=target["target_rank"] if target else None,
                target_source=target["source"] if target else None, status=status,
                history_kind=hist_kind, provenance=latest.provenance, source=latest.source)


def build_scorecard(snap: Snapshot, entity_key: str = HAIPHONG) -> ScorecardModel:
    """The scorecard from a snapshot: latest value, change, target status and rank of the composite
    and of every priority, and the composite points in each sub-index's gap to the best province."""
    measures = [("composite", "", COMPOSITE, t("composite", "vi"), t("composite", "en"), [entity_key])]
    for r in records(snap.priorities):
        measures.append(("priority", str(r.framework_id), str(r.code), str(r.name_vi), str(r.name_en),
                         snap.plan_entities(r.plan_id, entity_key)))
    rows = [_row(snap, entity_key, m) for m in measures]
    points, points_year, hp_sub_year, points_fw, now_fw = _points(snap, entity_key)
    unknown = sorted({str(fw) for fw in snap.priorities["framework_id"]
                      if any(w is None for w in snap.weights(str(fw)).values())})
    return ScorecardModel(rows=pd.DataFrame(rows), points=points, points_year=points_year, points_framework=points_fw,
                          now_framework=now_fw, hp_sub_year=hp_sub_year, unknown_weight_frameworks=unknown,
                          watch_band=snap.watch_band, watch_places=snap.watch_places,
                          framework_names={fw: snap.framework_name(fw) for fw in snap.frameworks["framework_id"]})


def scorecard_model(con: duckdb.DuckDBPyConnection, entity_key: str = HAIPHONG, *,
                    snap: Snapshot | None = None) -> ScorecardModel:
    """Build the scorecard from a connection (or from ``snap`` when the caller has one)."""
    return build_scorecard(snap if snap is not None else snapshot(con), entity_key)
