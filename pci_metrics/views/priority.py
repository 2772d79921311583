"""The page of one prioritized sub-index: its history, target and status, gaps, the provinces'
distribution, indicators, linked tasks and notes.

:func:`build_priority` is pure: it takes a :class:`~pci_metrics.views.leadership.Snapshot` and the
few tables the snapshot does not hold, so one snapshot serves every priority (the slides and the
quarterly report build them all). :func:`priority_model` is the page's thin wrapper that reads
those tables from a connection. Tables for display are in :mod:`pci_metrics.views.priority_tables`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.i18n import t
from pci_metrics.domain import gaps as gaps_mod
from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.domain.trends import Latest, Trend, latest_of
from pci_metrics.store import scores_db
from pci_metrics.store.storage import records
from pci_metrics.views import tasks as tasks_mod
from pci_metrics.views.leadership import HAIPHONG, MeasureHistory, Snapshot, measure_history, snapshot, with_top_names
from pci_metrics.views.leadership_text import localized

TASK_COLUMNS = ["task_id", "title_vi", "title_en", "lead_vi", "lead_en", "deadline", "status", "progress",
                "last_period", "period"]
NOTE_COLUMNS = ["year", "text", "author", "created_at"]
INDICATOR_COLUMNS = ["subindex", "indicator_code", "label_vi", "label_en", "sort_order", "year", "haiphong", "median", "min",
                     "max", "source"]


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
    indicators: pd.DataFrame  # subindex, indicator_code, label_vi, label_en, sort_order, year, haiphong, median, min, max
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


def gaps_frame(latest: Latest, target: dict[str, Any] | None, series: pd.DataFrame,
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
        n = as_int(r["rank_of"])
        found = gaps_mod.gaps(as_float(r["value"]), as_int(r["rank"]), best=as_float(r["top_score"]),
                              top10=as_float(r["top10_cutoff"]), median=as_float(r["median"]), n_ranked=n)[1:]
        ref_ranks = {"best": 1, "top10": 10, "median": (n + 1) // 2 if n else None}
        for g in found:
            rows.append(dict(reference=g.reference, year=bench_year, value=as_float(r["value"]), value_year=bench_year,
                             rank=as_int(r["rank"]), reference_value=g.reference_value,
                             reference_rank=ref_ranks[g.reference] if g.reference_value is not None else None,
                             reference_entity=r["top_entity_key"] if g.reference == "best" else None,
                             points=g.points, rank_places=g.rank_places))
    else:
        for ref in ("best", "top10", "median"):
            rows.append(dict(reference=ref, year=None, value=None, value_year=None, rank=None, reference_value=None,
                             reference_rank=None, reference_entity=None, points=None, rank_places=None))
    return pd.DataFrame(rows), bench_year


def load_indicators(con: duckdb.DuckDBPyConnection, subs: list[str], entity_key: str) -> pd.DataFrame:
    """Indicator values of the given sub-indices: the entity's value and all provinces' median, min, max."""
    cols = INDICATOR_COLUMNS
    if not subs:
        return pd.DataFrame(columns=cols)
    frame = scores_db.load_indicator_summary(con, subs, entity_key).rename(columns={"entity_value": "haiphong"})
    order = {s: i for i, s in enumerate(subs)}
    frame = frame.assign(_o=frame["subindex"].map(order)).sort_values(["_o", "sort_order", "year"])
    return frame[cols].reset_index(drop=True)


def linked_tasks(model: tasks_mod.TasksModel, code: str) -> pd.DataFrame:
    """The plan's tasks linked to a sub-index with their status (the tasks area's rule)."""
    frame = model.tasks
    frame = frame[frame["code"] == code].assign(period=model.period)
    return frame[TASK_COLUMNS].reset_index(drop=True)


def priority_row(snap: Snapshot, code: str) -> pd.Series:
    """The plan's row of a prioritized sub-index; KeyError when ``code`` is none of any plan."""
    row = snap.priorities[snap.priorities["code"] == code]
    if row.empty:
        raise KeyError(code)
    return row.iloc[0]


def _classic_history(snap: Snapshot, hist: MeasureHistory, entity_key: str, sub_names: pd.DataFrame) -> pd.DataFrame:
    """The entity's classic sub-indices behind a lineage priority, year by year, with their names."""
    parts = [snap.series(entity_key, c).assign(classic_code=c) for c in hist.classic]
    classic = (pd.concat(parts, ignore_index=True) if parts else
               pd.DataFrame(columns=["year", "value", "rank", "rank_of", "framework_id", "provenance", "source",
                                     "classic_code"]))
    classic = classic[classic["framework_id"].isin(snap.comparable)]
    classic = classic.merge(sub_names.rename(columns={"code": "classic_code"}), on="classic_code", how="left")
    return classic.reset_index(drop=True)


def _distribution(snap: Snapshot, hist: MeasureHistory, bench: pd.DataFrame, bench_year: int | None) -> pd.DataFrame:
    """Every province's value in the gap year (else the latest benchmark year), best first."""
    year = bench_year if bench_year is not None else (int(bench["year"].max()) if not bench.empty else None)
    dist = hist.values[hist.values["year"] == year].merge(snap.names, on="entity_key", how="left")
    return dist.sort_values("value", ascending=False).reset_index(drop=True)


def build_priority(snap: Snapshot, code: str, *, indicators: pd.DataFrame, tasks: pd.DataFrame, notes: pd.DataFrame,
                   entity_key: str = HAIPHONG, hist: MeasureHistory | None = None) -> PriorityModel:
    """A priority page's model from a snapshot and the tables it does not hold (``indicators``:
    :func:`load_indicators`, ``tasks``: :func:`linked_tasks`, ``notes``: the year notes)."""
    p = priority_row(snap, code)
    fw = str(p["framework_id"])
    hist = hist if hist is not None else measure_history(snap, fw, code, entity_key)
    sub_names = snap.sub_names()
    links = snap.lineage[(snap.lineage["framework_id"] == fw) & (snap.lineage["code"] == code)]
    links = links.merge(sub_names.rename(columns={"code": "classic_code"}), on="classic_code", how="left")
    latest, tr = latest_of(hist.series)
    target, status = snap.judge(code, snap.plan_entities(p["plan_id"], entity_key), latest)
    bench = with_top_names(hist.benchmarks, snap.names)
    gap_rows, bench_year = gaps_frame(latest, target, hist.series, hist.benchmarks)
    return PriorityModel(
        code=code, framework_id=fw, name_vi=str(p["name_vi"]), name_en=str(p["name_en"]),
        weight=as_float(p["weight"]), plan_source=str(p["source"]), kind=hist.kind,
        lineage=links[["classic_code", "name_vi", "name_en", "author", "author_en", "note_vi", "note_en"]].reset_index(drop=True),
        series=hist.series, benchmarks=bench, classic=_classic_history(snap, hist, entity_key, sub_names),
        latest=latest, trend=tr, target=target, status=status, gaps=gap_rows, bench_year=bench_year,
        distribution=_distribution(snap, hist, bench, bench_year), indicators=indicators, tasks=tasks,
        notes=notes[NOTE_COLUMNS], watch_band=snap.watch_band, watch_places=snap.watch_places,
        framework_weights_known=all(w is not None for w in snap.weights(fw).values()))


def priority_model(con: duckdb.DuckDBPyConnection, code: str, today: str, entity_key: str = HAIPHONG, *,
                   snap: Snapshot | None = None, tasks: tasks_mod.TasksModel | None = None) -> PriorityModel:
    """Build a priority page's model; ``today`` (ISO date) dates the tasks' status.

    Reads only what ``snap`` does not hold (the priority's indicators and notes, and the tasks model
    unless ``tasks`` is given): pass both to build many priorities from one read.
    Raises KeyError when ``code`` is not a prioritized sub-index of any plan.
    """
    snap = snap if snap is not None else snapshot(con)
    fw = str(priority_row(snap, code)["framework_id"])
    hist = measure_history(snap, fw, code, entity_key)
    classic_codes = hist.classic or ([code] if hist.kind == "own" else [])
    model = tasks if tasks is not None else tasks_mod.tasks_model(con, None, today)
    return build_priority(snap, code, indicators=load_indicators(con, classic_codes, entity_key),
                          tasks=linked_tasks(model, code), notes=scores_db.load_notes(con, entity_key, code),
                          entity_key=entity_key, hist=hist)
