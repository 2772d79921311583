"""The presentation deck: an ordered list of slides built from the database, in one language.

One deck feeds the projector page, the PDF handout and the HTML handout (see
:mod:`pci_metrics.outputs.handout`), so the three always show the same numbers. Every chart comes from
:mod:`pci_metrics.outputs.charts` with ``Style(projector=True)``.

The slides: a title slide (plan, issuing body, data date), the composite score, the rank, one slide
per prioritized sub-index (trend against its target or "no target set", the gap, the tasks that
drive it with their status), task status by unit, and the next report due dates.

The deck reads the store once (:func:`pci_metrics.outputs.inputs.load`) and hands each slide
builder its part: the priority slides read the priority pages' models (target, status and gap as the
page states them, :func:`pci_metrics.outputs.inputs.target_answer`), the task slides one tasks
model. Task statuses, periods and due dates come from :mod:`pci_metrics.views.tasks` (rules in :mod:`pci_metrics.domain.task_status` and :mod:`pci_metrics.domain.periods`): the deck never
re-decides a status.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from pci_metrics.base.cells import is_blank
from pci_metrics.base.i18n import fmt_date, fmt_num, fmt_signed, name_col, t, tn
from pci_metrics.domain import periods as period_rules
from pci_metrics.domain import task_status as status_rules
from pci_metrics.outputs import charts, charts_map, inputs
from pci_metrics.outputs.charts import Style
from pci_metrics.store import reference_db, storage
from pci_metrics.store.storage import records
from pci_metrics.views import commentary, dashboard, history, priority, projection, scorecard, tasks, tile_map
from pci_metrics.views.leadership import latest_full_year
from pci_metrics.views.marks import target_label, task_label

HAIPHONG = "haiphong"
PROJECTOR = Style(projector=True)
MAX_TASK_LINES = 3  # what fits beside a chart at 1024×768 in 24 px type
TITLE_CHARS = 95

# Task statuses (the tasks module's codes); their marks: pci_metrics.views.marks
STATUSES = status_rules.ALL_STATUSES
# the order in which a slide lists tasks: what needs attention first
ATTENTION = (status_rules.LATE, status_rules.NOT_REPORTED, status_rules.NOT_STARTED, status_rules.IN_PROGRESS, status_rules.DONE)


@dataclass(frozen=True)
class KeyFigure:
    """One big number on a slide: label, value (already formatted) and a short note."""

    label: str
    value: str
    note: str = ""


@dataclass
class Slide:
    """One slide: title, key figures, at most one chart, short bullet texts and a source line."""

    slide_id: str
    title: str
    subtitle: str = ""
    figures: list[KeyFigure] = field(default_factory=list)
    chart: go.Figure | None = None
    bullets: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class Deck:
    """The whole deck and what every page of a handout prints: data date and filters."""

    lang: str
    slides: list[Slide]
    plan_title: str
    issuer: str
    data_year: int | None
    changed_at: datetime | None
    filters: list[str]
    stamp: str = ""  # the data stamp it was read at: its chart images are drawn once per stamp

    @property
    def footer(self) -> str:
        """The data date line printed on every slide and handout page."""
        year = str(self.data_year) if self.data_year is not None else t("no_data", self.lang)
        return t("slides_footer", self.lang, year=year, changed=fmt_datetime(self.changed_at, self.lang))

    def slide_ids(self) -> list[str]:
        """The ids of the slides in order (``title``, ``composite``, ``priority-entry``, …)."""
        return [s.slide_id for s in self.slides]


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def fmt_datetime(value: datetime | None, lang: str = "vi") -> str:
    """A timestamp to the minute: dd/mm/yyyy hh:mm in Vietnamese, ISO in English.

    >>> fmt_datetime(datetime(2026, 3, 15, 9, 5), "vi"), fmt_datetime(datetime(2026, 3, 15, 9, 5), "en")
    ('15/03/2026 09:05', '2026-03-15 09:05')
    """
    if value is None:
        return t("no_data", lang)
    return value.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    """Cut a long text at a word boundary so it fits a slide line.

    >>> shorten("một hai ba bốn", 9)
    'một hai…'
    >>> shorten("ngắn", 9)
    'ngắn'
    """
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def md_escape(text: str) -> str:
    r"""Text from the database shown literally by a Markdown renderer (no links, emphasis or HTML).

    >>> print(md_escape("*T1* [x](y) <b>"))
    \*T1\* \[x\]\(y\) \<b\>
    """
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|~<>&$" else c for c in str(text))


def db_changed_at(path: str | os.PathLike[str] | None = None) -> datetime | None:
    """When the database file (or its write-ahead log) last changed, or None when missing.

    >>> db_changed_at("/nonexistent/x.duckdb") is None
    True
    """
    p = storage.db_path(path)
    times = [f.stat().st_mtime for f in (p, Path(str(p) + ".wal")) if f.exists()]
    return datetime.fromtimestamp(max(times)).replace(microsecond=0) if times else None


def unit_status(frame: pd.DataFrame, units: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Tasks per lead unit and status (a task with several lead units counts for each).

    ``frame`` has one row per task with ``lead`` (a list of unit keys) and ``status``. Units
    without a task are left out; tasks without a lead unit form their own row, last.
    Columns: unit_key, unit, then one count column per status.

    >>> f = pd.DataFrame({"lead": [["a"], [], ["a"]], "status": ["hoan_thanh", "chua_bao_cao", "hoan_thanh"]})
    >>> u = pd.DataFrame({"unit_key": ["a"], "name_vi": ["Phòng A"], "name_en": ["Div A"], "short_vi": ["P.A"]})
    >>> unit_status(f, u, "vi")[["unit", "hoan_thanh", "chua_bao_cao"]].values.tolist()
    [['P.A', 2, 0], ['Chưa xác định đơn vị chủ trì', 0, 1]]
    """
    names = {str(r.unit_key): str(r.name_en if lang == "en" else (r.short_vi if not is_blank(r.short_vi)
                                                                 else r.name_vi)) for r in records(units)}
    counts: dict[str, dict[str, int]] = {}
    for r in records(frame):
        for unit in (list(r.lead) or ["_none"]):
            counts.setdefault(str(unit), {s: 0 for s in STATUSES})
            counts[str(unit)][str(r.status)] = counts[str(unit)].get(str(r.status), 0) + 1
    order = [u for u in names if u in counts] + [u for u in counts if u not in names]
    rows = [dict(unit_key=u, unit=names.get(u, t("slides_units_unassigned", lang)), **counts[u]) for u in order]
    return pd.DataFrame(rows, columns=["unit_key", "unit", *STATUSES])


# ---------------------------------------------------------------------------
# The slides
# ---------------------------------------------------------------------------

def _title_slide(plan: Any, lang: str, data_year: int | None, changed_at: datetime | None,
                 priorities: pd.DataFrame, n_tasks: int) -> Slide:
    en = lang == "en"
    return Slide(
        slide_id="title", title=str(plan.title_en if en else plan.title_vi),
        subtitle=str(plan.issuer_en if en else plan.issuer_vi),
        figures=[KeyFigure(t("slides_data_year", lang), str(data_year) if data_year else t("no_data", lang)),
                 KeyFigure(t("slides_db_changed", lang), fmt_datetime(changed_at, lang)),
                 KeyFigure(t("slides_n_priorities", lang), str(len(priorities))),
                 KeyFigure(t("slides_n_tasks", lang), str(n_tasks))],
        bullets=[f"{i}. {name}" for i, name in enumerate(priorities[name_col(lang)], start=1)],
        source=t("slides_plan_source", lang, source=shorten(str(plan.doc_ref or plan.source), 120)))


def _composite_slides(m: dashboard.OverviewModel, lang: str, style: Style) -> list[Slide]:
    comp = m.composite.dropna(subset=["value"])
    latest = comp.iloc[-1]
    year = int(latest["year"])
    tr = m.trend
    median = m.median[m.median["year"] == year]["value"]
    top = m.top[m.top["year"] == year]
    change = (t("slides_change", lang, change=fmt_signed(tr.change_on_last_year, lang))
              if tr.change_on_last_year is not None else "")
    figures = [KeyFigure(t("composite_of_year", lang, year=year), fmt_num(latest["value"], lang), change)]
    if not is_blank(latest["rank"]):
        figures.append(KeyFigure(t("rank_of_year", lang, year=year),
                                 t("rank_of", lang, rank=int(latest["rank"]), n=int(latest["rank_of"]))))
    figures.append(KeyFigure(t("slides_median", lang, year=year),
                             fmt_num(median.iloc[0] if not median.empty else None, lang)))
    bullets = [t("slides_best_worst", lang, best=fmt_num(tr.best_value, lang), best_year=tr.best_year,
                 worst=fmt_num(tr.worst_value, lang), worst_year=tr.worst_year, from_year=m.comparable_from)]
    if not top.empty and not is_blank(top["value"].iloc[0]):
        bullets.append(t("slides_top_province", lang, year=year, name=top[name_col(lang)].iloc[0],
                         score=fmt_num(top["value"].iloc[0], lang)))
    if m.latest_year_scope == "top30":
        bullets.append(t("top30_note", lang))
    fig = charts.trend_figure(
        [(t("series_haiphong", lang), m.composite), (t("series_median", lang), m.median),
         (t("series_top", lang), m.top)],
        lang=lang, style=style, title="", y_title=t("composite", lang))
    composite = Slide("composite", t("slides_composite_title", lang), figures=figures, chart=fig,
                      bullets=bullets, source=t("slides_source_vcci", lang))

    ranked = comp.dropna(subset=["rank"])
    best = ranked.sort_values(["rank", "year"], ascending=[True, False]).iloc[0] if not ranked.empty else None
    rank_figures = figures[1:2]
    if best is not None:
        rank_figures.append(KeyFigure(t("slides_best_rank", lang),
                                      t("rank_of", lang, rank=int(best["rank"]), n=int(best["rank_of"])),
                                      t("slides_rank_year", lang, year=int(best["year"]))))
    rank_bullets = [t("slides_rank_bullet", lang, rank=int(r.rank), n=int(r.rank_of), year=int(r.year))
                    for r in records(ranked.tail(3).iloc[::-1])]
    if m.latest_year_scope == "top30":
        rank_bullets.append(t("top30_note", lang))
    rank = Slide("rank", t("slides_rank_title", lang), figures=rank_figures,
                 chart=charts.rank_figure(m.composite, lang=lang, style=style, title=""),
                 bullets=rank_bullets, source=t("slides_source_vcci", lang))
    return [composite, rank]


def commentary_slide(m: dashboard.OverviewModel, snap: Any, lang: str) -> Slide:
    """The Overview's written commentary and the composite's projection as a slide: its sentences,
    their sources on the source line (``snap``: the deck's snapshot)."""
    rows = scorecard.build_scorecard(snap).rows
    mp = projection.composite_projection(m.composite, rows, snap.frameworks, snap.plan)
    words = commentary.overview_commentary(m, rows, lang, mp)
    return Slide("commentary", t("cm_title", lang), bullets=words.lines(),
                 source=" ".join(words.footnotes(lang, short=True)))


def map_slide(snap: Any, lang: str, style: Style) -> Slide | None:
    """The provinces' tile map of the composite in the latest year every province is known (the map
    of the Compare page), with Hải Phòng's score and rank in words."""
    year = latest_full_year(snap)
    if year is None:
        return None
    tm = tile_map.tile_map(snap, "composite", year)
    fig = charts_map.tile_map_figure(tm, lang=lang, style=style, title="", height=560, labels=False)
    hp = tm.tiles[tm.tiles["highlight"]]
    bullets = [t("cm_map_caption", lang, known=tm.n_known, units=tm.units)]
    if not hp.empty and not is_blank(hp["value"].iloc[0]):
        r = hp.iloc[0]
        rank = (t("rank_of", lang, rank=int(r["rank"]), n=int(r["rank_of"])) if not is_blank(r["rank"])
                else t("no_data", lang))
        bullets.insert(0, t("slides_map_haiphong", lang, year=year, value=fmt_num(r["value"], lang), rank=rank))
    return Slide("map", t("cm_map_chart", lang, name=tm.name(lang), year=year, units=tm.units), chart=fig,
                 bullets=bullets, source=t("slides_source_vcci", lang))


def _task_lines(frame: pd.DataFrame, lang: str) -> list[str]:
    if frame.empty:
        return [t("slides_tasks_none", lang)]
    order = {s: i for i, s in enumerate(ATTENTION)}
    frame = frame.assign(_o=frame["status"].map(order).fillna(9)).sort_values(["_o", "task_id"])
    lines = [f"{task_label(r.status, lang)}: {shorten(_title(r, lang), 70)}"
             for r in records(frame.head(MAX_TASK_LINES))]
    if len(frame) > MAX_TASK_LINES:
        lines.append(t("slides_more_tasks", lang, n=len(frame) - MAX_TASK_LINES))
    return lines


def _title(r: Any, lang: str) -> str:
    return str(r.title_en if lang == "en" and not is_blank(r.title_en) else r.title_vi)


def _gap_figure(m: priority.PriorityModel, lang: str) -> KeyFigure:
    """Gap to the target when one is set; else gap to the top province (the latest year all
    provinces are known), so the slide still says how far there is to go."""
    answer = inputs.target_answer(m)
    if answer.score is not None and answer.gap is not None:
        value = (t("slides_gap_met", lang) if answer.gap <= 0
                 else t("slides_gap_value", lang, points=fmt_num(answer.gap, lang)))
        return KeyFigure(t("slides_gap", lang), value)
    best = next((r for r in records(m.gaps) if r.reference == "best"), None)
    if best is not None and not is_blank(best.points):
        pts = float(best.points)
        value = t("slides_gap_met", lang) if pts <= 0 else t("slides_gap_value", lang, points=fmt_num(pts, lang))
        return KeyFigure(t("slides_gap_best", lang, year=int(best.year)), value)
    return KeyFigure(t("slides_gap", lang), t("no_data", lang))


def _priority_slide(m: priority.PriorityModel, i: int, n: int, lang: str, style: Style) -> Slide:
    name = m.name(lang)
    lt = m.latest
    latest_label = t("slides_latest_score", lang, year=lt.year) if lt.year else t("slides_latest_score_none", lang)
    change = t("slides_change", lang, change=fmt_signed(lt.change, lang)) if lt.change is not None else ""
    answer = inputs.target_answer(m)
    if answer.year is not None:
        parts = ([fmt_num(answer.score, lang)] if answer.score is not None else []) + (
            [t("slides_target_rank", lang, rank=answer.rank)] if answer.rank else [])
        target = KeyFigure(t("slides_target_of", lang, year=answer.year), " · ".join(parts),
                           target_label(answer.status, lang))
    else:
        target = KeyFigure(t("slides_target", lang), t("slides_no_target", lang), t("slides_target_note", lang))
    figures = [KeyFigure(latest_label, fmt_num(lt.value, lang), change), target, _gap_figure(m, lang)]
    chart = None
    if not m.series.dropna(subset=["value"]).empty:
        hp = t("slides_series_derived", lang) if m.kind == "lineage" else t("series_haiphong", lang)
        chart = charts.trend_figure(
            [(hp, m.series), (t("series_median", lang), m.benchmarks.assign(value=m.benchmarks["median"])),
             (t("series_top", lang), m.benchmarks.assign(value=m.benchmarks["top_score"]))],
            lang=lang, style=style, title="", y_title=t("slides_score_axis", lang),
            target=m.target["target_score"] if m.target else None,
            target_label=t("slides_target_of", lang, year=m.target["year"]) if m.target else None)
    if m.kind == "lineage":
        col = "name_en" if lang == "en" else "name_vi"
        names = ", ".join(str(x) for x in m.lineage[col].fillna(m.lineage["classic_code"]))
        authors = "; ".join(history.lineage_authors(m.lineage, lang))
        source = t("slides_lineage", lang, names=names, author=authors)
    elif m.kind == "none":
        source = t("slides_lineage_none", lang)
    else:
        source = t("slides_source_vcci", lang)
    return Slide(f"priority-{m.code}", name, subtitle=t("slides_priority_kicker", lang, i=i, n=n),
                 figures=figures, chart=chart, bullets=_task_lines(m.tasks, lang), source=source)


def _units_slide(tm: tasks.TasksModel, lang: str, style: Style) -> Slide:
    table = unit_status(tm.tasks, tm.units, lang)
    totals = {str(r.status): int(r.n) for r in records(tm.counts)}
    figures = [KeyFigure(t("slides_units_total", lang), str(len(tm.tasks)),
                         t("slides_units_period", lang, period=tm.period))]
    figures += [KeyFigure(task_label(s, lang), str(totals.get(s, 0))) for s in (status_rules.DONE, status_rules.LATE,
                                                                                   status_rules.NOT_REPORTED)]
    used = [s for s in STATUSES if table[s].sum() > 0] if not table.empty else []
    chart = charts.stacked_bars_figure(
        table["unit"].tolist(), [(task_label(s, lang), table[s].astype(float).tolist()) for s in used],
        lang=lang, style=style, title="", x_title=t("slides_units_axis", lang),
        looks=[_STATUS_LOOK[s] for s in used]) if used else None
    return Slide("units", t("slides_units_title", lang), figures=figures, chart=chart,
                 source=t("slides_source_tasks", lang))


# status -> (colour, fill pattern): colour-blind safe and distinguishable in black and white
_STATUS_LOOK = {status_rules.DONE: (charts.GREEN, ""), status_rules.IN_PROGRESS: (charts.BLUE, "/"),
                status_rules.NOT_STARTED: (charts.GREY, "."), status_rules.LATE: (charts.VERMILION, "x"),
                status_rules.NOT_REPORTED: ("#BBBBBB", "-")}


def deadlines_slide(tm: tasks.TasksModel, plan: Any, lang: str, style: Style, n: int = 4) -> Slide:
    """The next report due dates (the plan's calendar: quarterly before 15/3, 15/6, 15/9; annual before
    5/12, no fourth-quarter report), who has not reported yet, and reports received per period."""
    names = {str(r.unit_key): str(r.name_en if lang == "en" else (r.short_vi if not is_blank(r.short_vi)
                                                                  else r.name_vi)) for r in records(tm.units)}
    recipient = names.get(tm.next_report.recipient or "", "") if tm.next_report else ""

    def days(d: date) -> str:
        left = (d - tm.today).days
        return t("slides_deadline_today", lang) if left == 0 else tn("slides_deadline_days", lang, left)

    def report(period: str) -> str:
        if period_rules.period_kind(period) == "annual":
            return t("slides_report_annual", lang, year=period)
        return t("slides_report_for", lang, period=period_rules.period_label(period, lang))

    upcoming = tm.calendar[tm.calendar["state"] != "overdue"].head(n)
    bullets = [t("slides_deadline_line", lang, date=fmt_date(r.due, lang), report=report(r.period),
                 unit=recipient, days=days(r.due), reported=f"{r.n_reported}/{r.n_tasks}")
               for r in records(upcoming)]
    figures: list[KeyFigure] = []
    nxt = tm.next_report
    if nxt is not None:
        row = tm.calendar[tm.calendar["period"] == nxt.period]
        figures.append(KeyFigure(t("slides_deadline_next", lang), fmt_date(nxt.due, lang),
                                 f"{report(nxt.period)} · {days(nxt.due)}"))
        if not row.empty:
            figures.append(KeyFigure(t("slides_deadline_reported", lang),
                                     f"{int(row['n_reported'].iloc[0])}/{int(row['n_tasks'].iloc[0])}"))
        missing = tm.missing[~tm.missing["has_reported"]] if nxt.period == tm.period else tm.missing.iloc[0:0]
        if not missing.empty:
            figures.append(KeyFigure(t("slides_units_missing", lang), f"{len(missing)}/{len(tm.missing)}"))
            bullets.append(t("slides_units_missing_line", lang, units="; ".join(
                f"{names.get(str(r.unit_key), str(r.unit_key))} ({r.missing})" for r in records(missing))))
    else:
        bullets.append(t("slides_deadlines_none", lang, year=int(plan.year_to)))
    due_tasks = tm.due_next.head(2)
    bullets += [t("slides_deadline_task_line", lang, date=fmt_date(r.deadline, lang),
                  title=shorten(_title(r, lang), 60), days=days(r.deadline)) for r in records(due_tasks)]
    bullets.append(t("slides_calendar_rule", lang))
    # reports received per period, up to the current one (only once something was reported: a
    # chart of empty bars would say nothing the key figures do not)
    done = tm.calendar[tm.calendar["state"] != "upcoming"].tail(6)
    if nxt is not None:
        done = pd.concat([done, tm.calendar[tm.calendar["period"] == nxt.period]]).drop_duplicates("period").tail(6)
    chart = None
    if not done.empty and done["n_reported"].sum() > 0:
        labels = [period_rules.period_label(str(p), lang) for p in done["period"]]  # oldest on top
        n_tasks = int(done["n_tasks"].max())
        chart = charts.bar_figure(labels, [float(v) for v in done["n_reported"]], lang=lang, style=style,
                                  title="", x_title=t("slides_reported_axis", lang, n=n_tasks))
        chart.update_xaxes(range=[0, max(1, n_tasks) * 1.1], tickformat="d", automargin=True)
        chart.update_yaxes(tickmode="array", tickvals=labels)
        chart.update_traces(texttemplate="%{x:.0f}")
    return Slide("deadlines", t("slides_deadlines_title", lang), figures=figures, chart=chart, bullets=bullets,
                 source=t("slides_plan_source", lang, source=shorten(str(plan.source), 120)))


def deck(con: duckdb.DuckDBPyConnection, lang: str = "vi", changed_at: datetime | None = None,
         today: date | None = None, codes: tuple[str, ...] | None = None) -> Deck:
    """Build the whole deck from an open connection, in one language.

    The store is read once (:func:`inputs.load`: one snapshot, one tasks model, the priority pages'
    models) and each slide is built from what was read. ``codes`` keeps only some prioritized
    sub-indices (printed as a filter on every page). With the default database: title, composite,
    rank, 5 priorities, units, deadlines -> 10 slides.
    """
    today = today or date.today()
    plans = reference_db.load_plan(con)
    if plans.empty:
        return Deck(lang, [], "", "", None, changed_at, [])
    plan = records(plans)[0]
    priorities = reference_db.load_priorities(con, plan.plan_id)
    if codes:
        priorities = priorities[priorities["code"].isin(codes)]
    data = inputs.load(con, today, codes=[str(c) for c in priorities["code"]])
    built = build_deck(data, dashboard.overview_model(con), plan, priorities, lang, changed_at, filtered=bool(codes))
    built.stamp = storage.stamp_of(con)
    return built


def build_deck(data: inputs.OutputData, m: dashboard.OverviewModel, plan: Any, priorities: pd.DataFrame, lang: str,
               changed_at: datetime | None, *, filtered: bool = False) -> Deck:
    """The deck from what :func:`deck` read: the priority models and tasks model of ``data``, the
    Overview's model ``m``, the plan's row and its (possibly filtered) priorities."""
    entity = data.snap.entities
    entity_name = entity[entity["entity_key"] == HAIPHONG][name_col(lang)]
    filters = [t("slides_filter_entity", lang, name=entity_name.iloc[0] if not entity_name.empty else HAIPHONG),
               t("slides_filter_plan", lang, plan=plan.plan_id),
               t("slides_filter_priorities", lang, codes=", ".join(priorities[name_col(lang)])) if filtered
               else t("slides_filter_priorities_all", lang, n=len(priorities))]
    tm, models = data.tasks, data.priorities
    slides = [_title_slide(plan, lang, m.latest_year, changed_at, priorities, len(tm.tasks))]
    slides += _composite_slides(m, lang, PROJECTOR)
    slides.append(commentary_slide(m, data.snap, lang))
    slides += [s for s in [map_slide(data.snap, lang, PROJECTOR)] if s is not None]
    slides += [_priority_slide(pm, i, len(models), lang, PROJECTOR) for i, pm in enumerate(models, start=1)]
    slides.append(_units_slide(tm, lang, PROJECTOR))
    slides.append(deadlines_slide(tm, plan, lang, PROJECTOR))
    return Deck(lang=lang, slides=slides, plan_title=str(plan.title_en if lang == "en" else plan.title_vi),
                issuer=str(plan.issuer_en if lang == "en" else plan.issuer_vi), data_year=m.latest_year,
                changed_at=changed_at, filters=filters)
