"""Written commentary: a few deterministic sentences, Vietnamese first, for the Overview, each priority
page, Compare, the quarterly report and the slides.

Every number in a sentence is read from the model the page's charts draw (the Overview's
composite series and sub-index profile, a priority's series and gaps, Compare's scores and
leaders), and every sentence keeps its number(s) and its source, shown as a footnote. The rules:

* **Change on last year** is :func:`pci_metrics.domain.trends.latest_of`'s: never across a
  methodology break (the sentence says the years are not compared), and "no figure" when the
  previous year is unknown. A value that is unknown is said to be unknown, never guessed.
* **Largest change among the sub-indices**: the biggest rise and the biggest fall as shown (two
  decimals); sub-indices equal at that precision share the place (a tie names them all).
* **Rank**: as stored or derived for the chart; unknown ranks are said to be unknown.
* **Gap to the target**: :func:`pci_metrics.domain.gaps.gaps` against the target
  :func:`pci_metrics.domain.targets.judge` chose, with its status words (:mod:`pci_metrics.views.marks`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain import gaps as gaps_mod
from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.domain.trends import Latest, latest_of
from pci_metrics.views.dashboard import OverviewModel
from pci_metrics.views.leadership import COMPOSITE, HAIPHONG
from pci_metrics.views.leadership_text import fmt_gap, fmt_places
from pci_metrics.views.marks import target_label
from pci_metrics.views.projection import MeasureProjection, composite_projection, priority_projection, projection_text
from pci_metrics.views.projection import numbers as projection_numbers

DECIMALS = 2  # every score in a sentence is shown like the charts' hover: two decimals
_URL = re.compile(r"https?://(?:www\.)?([^/\s;,)]+)[^\s;,)]*")


@dataclass(frozen=True)
class Sentence:
    """One sentence with the numbers it states (as read from the model) and its source."""

    text: str
    source: str | None = None
    numbers: tuple[float, ...] = ()


@dataclass
class Commentary:
    """A few sentences in one language; their sources as numbered footnotes."""

    sentences: list[Sentence] = field(default_factory=list)

    def sources(self) -> list[str]:
        """Each source once, in the order the sentences cite them."""
        return list(dict.fromkeys(s.source for s in self.sentences if s.source))

    def lines(self) -> list[str]:
        """The sentences with their footnote number: "… 74,84 điểm … [1]"."""
        order = {src: i for i, src in enumerate(self.sources(), start=1)}
        return [s.text + (f" [{order[s.source]}]" if s.source else "") for s in self.sentences]

    def footnotes(self, lang: str, *, short: bool = False) -> list[str]:
        """The footnotes: "[1] source"; ``short`` writes each web address as its site (a slide's
        source line), the page and the report keep the whole address."""
        return [t("cm_footnote", lang, n=i, source=_URL.sub(r"\1", src) if short else src)
                for i, src in enumerate(self.sources(), start=1)]

    def text(self) -> str:
        """The sentences as one paragraph (slides, short exports)."""
        return " ".join(self.lines())


def localized_source(source: Any, lang: str) -> str | None:
    """A stored source in the reader's language: "Vietnamese / English" sources give one side.

    >>> localized_source("bảng tính của VCCI / VCCI workbook", "en"), localized_source(None, "vi")
    ('VCCI workbook', None)
    """
    if not isinstance(source, str) or not source.strip():
        return None
    parts = source.split(" / ")
    return parts[1] if lang == "en" and len(parts) == 2 else parts[0]


def joined(names: list[str], lang: str) -> str:
    """Names joined for a sentence: "A, B và C" / "A, B and C".

    >>> joined(["A", "B", "C"], "vi"), joined(["A"], "en")
    ('A, B và C', 'A')
    """
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + t("cm_and", lang) + names[-1]


def lineage_clause(classic_names: list[str], lang: str) -> str:
    """What a lineage value is, after the priority's name ("" for a sub-index's own scores)."""
    if not classic_names:
        return ""
    key = "cm_lineage_one" if len(classic_names) == 1 else "cm_lineage"
    return t(key, lang, names=joined(classic_names, lang))


def measure_sentence(name: str, latest: Latest, lang: str, *, source: str | None = None,
                     classic_names: list[str] | None = None) -> Sentence:
    """The latest value and its change on the previous year (never across a break)."""
    if latest.year is None or latest.value is None:
        return Sentence(t("cm_missing", lang, name=name))
    full = name + lineage_clause(classic_names or [], lang)
    args = dict(year=latest.year, prev=latest.year - 1, name=full, value=fmt_num(latest.value, lang, DECIMALS))
    if latest.change_note == "break":
        return Sentence(t("cm_break", lang, **args), source, (latest.value,))
    if latest.change is None:
        return Sentence(t("cm_no_prev", lang, **args), source, (latest.value,))
    shown = round(latest.change, DECIMALS)
    key = "cm_up" if shown > 0 else ("cm_down" if shown < 0 else "cm_flat")
    return Sentence(t(key, lang, change=fmt_num(abs(latest.change), lang, DECIMALS), **args), source,
                    (latest.value, latest.change))


def rank_sentence(latest: Latest, lang: str, source: str | None = None) -> Sentence | None:
    """The rank of the latest year, or that it is unknown (nothing when the value is unknown)."""
    if latest.year is None or latest.value is None:
        return None
    if latest.rank is None or latest.rank_of is None:
        return Sentence(t("cm_rank_missing", lang, year=latest.year))
    return Sentence(t("cm_rank", lang, rank=latest.rank, n=latest.rank_of, year=latest.year), source,
                    (float(latest.rank), float(latest.rank_of)))


def extremes(changes: list[tuple[str, float]]) -> tuple[list[str], float | None, list[str], float | None]:
    """The largest rise and the largest fall, at the precision shown (ties share the place).

    >>> extremes([("a", 0.304), ("b", 0.3), ("c", -0.6), ("d", 0.1)])
    (['a', 'b'], 0.304, ['c'], -0.6)
    >>> extremes([("a", -0.1)])
    ([], None, ['a'], -0.1)
    """
    shown = [(n, c, round(c, DECIMALS)) for n, c in changes]
    ups = [x for x in shown if x[2] > 0]
    downs = [x for x in shown if x[2] < 0]
    up_top = max((x[2] for x in ups), default=None)
    down_top = min((x[2] for x in downs), default=None)
    up = [x for x in ups if x[2] == up_top]
    down = [x for x in downs if x[2] == down_top]
    return ([n for n, _, _ in up], up[0][1] if up else None, [n for n, _, _ in down], down[0][1] if down else None)


@dataclass(frozen=True)
class SubChanges:
    """The sub-indices of one year against the year before, as the Overview's profile chart has them."""

    year: int | None
    prev: int | None
    comparable: bool  # both years under one methodology
    changes: pd.DataFrame  # code, name_vi, name_en, latest, prev, change


def sub_changes(m: OverviewModel) -> SubChanges:
    """The Overview's sub-index profile, with whether its two years share a methodology."""
    fw = dict(zip(m.composite["year"].astype(int), m.composite["framework_id"], strict=True))
    year, prev = m.profile_year, m.profile_prev
    same = year is not None and prev is not None and fw.get(year) is not None and fw.get(year) == fw.get(prev)
    return SubChanges(year, prev, bool(same), m.profile)


def subs_sentences(subs: SubChanges, lang: str, source: str | None = None) -> list[Sentence]:
    """The largest rise and fall among the sub-indices, or why none is stated."""
    if subs.year is None or subs.prev is None:
        return [Sentence(t("cm_subs_missing", lang))]
    if not subs.comparable:
        return [Sentence(t("cm_subs_break", lang, year=subs.year, prev=subs.prev))]
    col = "name_en" if lang == "en" else "name_vi"
    known = subs.changes.dropna(subset=["change"])
    changes = [(str(n), float(c)) for n, c in zip(known[col], known["change"], strict=True)]
    if not changes:
        return [Sentence(t("cm_subs_missing", lang))]
    up, up_v, down, down_v = extremes(changes)
    out = []
    args = dict(year=subs.year, prev=subs.prev, n=len(changes))
    for names, value, word in ((up, up_v, "up"), (down, down_v, "down")):
        if value is None:
            out.append(Sentence(t(f"cm_none_{word}", lang, year=subs.year, prev=subs.prev)))
            continue
        key = f"cm_most_{word}" + ("_tie" if len(names) > 1 else "")
        out.append(Sentence(t(key, lang, names=joined(names, lang), change=fmt_num(abs(value), lang, DECIMALS), **args),
                            source, (value,)))
    return out


def target_sentence(name: str, latest: Latest, target: dict[str, Any] | None, status: str, lang: str) -> Sentence:
    """The target the rule chose, the gap from the latest value and the status in words."""
    if not target:
        return Sentence(t("cm_no_target", lang, name=name))
    score, rank = as_float(target.get("target_score")), as_int(target.get("target_rank"))
    gap = gaps_mod.gaps(latest.value, latest.rank, target=score, target_rank=rank)[0]
    args = dict(ty=as_int(target.get("year")), year=latest.year, status=target_label(status, lang))
    source = localized_source(target.get("source"), lang)
    if score is not None and gap.points is not None:
        words = (t("cm_target_points_gap", lang, gap=fmt_num(gap.points, lang, DECIMALS)) if gap.points > 0
                 else fmt_gap(gap.points, lang))
        return Sentence(t("cm_target_points", lang, target=fmt_num(score, lang, DECIMALS), gap=words, **args), source,
                        (score, gap.points))
    if rank is not None and gap.rank_places is not None:
        return Sentence(t("cm_target_rank", lang, target=rank, gap=fmt_places(gap.rank_places, rank, lang), **args),
                        source, (float(rank), float(gap.rank_places)))
    what = fmt_num(score, lang, DECIMALS) if score is not None else t("leadership_target_rank", lang, rank=rank)
    return Sentence(t("cm_target_no_value", lang, target=what, **args), source)


def projection_sentence(mp: MeasureProjection | None, name: str, lang: str) -> list[Sentence]:
    """The projection to the target year in words (nothing when there is no year to project to)."""
    if mp is None:
        return []
    return [Sentence(projection_text(mp, name, lang), None, projection_numbers(mp.projection))]


def overview_commentary(m: OverviewModel, scorecard_rows: pd.DataFrame, lang: str,
                        projection: MeasureProjection | None = None) -> Commentary:
    """The Overview's sentences: the composite's value, change and rank (the composite chart's series),
    the largest sub-index changes (the profile chart's), the composite's target (the scorecard's) and
    its projection to the target year."""
    latest, _ = latest_of(m.composite)
    known = m.composite.dropna(subset=["value"])
    source = localized_source(known["source"].iloc[-1], lang) if not known.empty else None
    name = t("cm_composite_name", lang)
    out = [measure_sentence(name, latest, lang, source=source)]
    rank = rank_sentence(latest, lang, source)
    out += [rank] if rank else []
    subs = sub_changes(m)
    sub_rows = m.composite[m.composite["year"] == subs.year]
    out += subs_sentences(subs, lang, localized_source(sub_rows["source"].iloc[0], lang) if not sub_rows.empty else None)
    row = scorecard_rows[scorecard_rows["code"] == COMPOSITE]
    if not row.empty:
        r = row.iloc[0]
        target = None if as_int(r["target_year"]) is None else {
            "year": r["target_year"], "target_score": r["target_score"], "target_rank": r["target_rank"],
            "source": r["target_source"]}
        out.append(target_sentence(name, latest, target, str(r["status"]), lang))
    return Commentary(out + projection_sentence(projection, name, lang))


def priority_commentary(m: Any, lang: str, subs: SubChanges | None = None,
                        projection: MeasureProjection | None = None) -> Commentary:
    """A priority page's sentences (``m``: :class:`pci_metrics.views.priority.PriorityModel`): the
    trend chart's latest value and change, the rank chart's rank, the gap to its target — and, for a
    priority continuing one classic sub-index, whether that sub-index moved most that year."""
    latest: Latest = m.latest
    chart = m.chart_table(lang)
    row = chart[chart[t("year", lang)] == latest.year] if latest.year is not None else chart.iloc[0:0]
    source = localized_source(row[t("source", lang)].iloc[0], lang) if not row.empty else None
    col = "name_en" if lang == "en" else "name_vi"
    classic = [str(n) for n in m.lineage[col].fillna(m.lineage["classic_code"])] if m.kind == "lineage" else []
    name = m.name(lang)
    out = [measure_sentence(name, latest, lang, source=source, classic_names=classic)]
    rank = rank_sentence(latest, lang, source)
    out += [rank] if rank else []
    most = _is_most(m, latest, subs, lang)
    out += [most] if most else []
    out.append(target_sentence(name, latest, m.target, m.status, lang))
    return Commentary(out + projection_sentence(projection, name, lang))


def _is_most(m: Any, latest: Latest, subs: SubChanges | None, lang: str) -> Sentence | None:
    """"This is the largest rise/fall among the sub-indices" for a priority that is one classic
    sub-index, when its change is that of the profile's year (never across a break)."""
    codes = [str(c) for c in m.lineage["classic_code"]] if m.kind == "lineage" else [m.code]
    if subs is None or not subs.comparable or len(codes) != 1 or latest.change is None or latest.year != subs.year:
        return None
    known = subs.changes.dropna(subset=["change"])
    up, _, down, _ = extremes([(str(c), float(v)) for c, v in zip(known["code"], known["change"], strict=True)])
    for names, key in ((up, "cm_is_most_up"), (down, "cm_is_most_down")):
        if codes[0] in names:
            return Sentence(t(key, lang, n=len(known), year=subs.year))
    return None


def compare_commentary(m: Any, lang: str) -> Commentary:
    """Compare's sentences (``m``: :class:`pci_metrics.views.compare.CompareModel`): the best of the
    chosen provinces and Hải Phòng on the composite (the scores table's), and Hải Phòng's widest and
    narrowest gap to each sub-index's leader (the leaders table's)."""
    col = "name_en" if lang == "en" else "name_vi"
    source = t("leadership_source", lang)
    comp = m.scores[m.scores["code"] == COMPOSITE].dropna(subset=["value"])
    out: list[Sentence] = []
    if not comp.empty:
        top = comp[comp["value"].round(DECIMALS) == comp["value"].max().round(DECIMALS)]
        r = top.iloc[0]
        out.append(Sentence(t("cm_cmp_best", lang, year=m.year, best=joined([str(n) for n in top[col]], lang),
                              value=fmt_num(r["value"], lang, DECIMALS), rank=_rank_words(r, lang)),
                            source, (float(r["value"]),)))
    hp = comp[comp["entity_key"] == HAIPHONG]
    if hp.empty:
        out.append(Sentence(t("cm_cmp_hp_missing", lang, year=m.year)))
    else:
        r = hp.iloc[0]
        out.append(Sentence(t("cm_cmp_hp", lang, value=fmt_num(r["value"], lang, DECIMALS), rank=_rank_words(r, lang)),
                            source, (float(r["value"]),)))
    out += _leader_sentences(m, lang, source)
    return Commentary(out)


def _rank_words(row: Any, lang: str) -> str:
    rank, n = as_int(row["rank"]), as_int(row["rank_of"])
    return t("cm_cmp_rank", lang, rank=rank, n=n) if rank is not None and n is not None else ""


def _leader_sentences(m: Any, lang: str, source: str) -> list[Sentence]:
    """Hải Phòng's widest and narrowest gap to a sub-index's leader, and what it leads."""
    col = "name_en" if lang == "en" else "name_vi"
    lead = m.leaders.dropna(subset=["gap"])
    if lead.empty:
        return [Sentence(t("cm_cmp_subs_missing", lang, year=m.year))]
    lead = lead.assign(shown=lead["gap"].astype(float).round(DECIMALS))
    out = []
    behind = lead[lead["shown"] > 0].sort_values("shown", kind="stable")
    leader_col = "leader_en" if lang == "en" else "leader_vi"
    if not behind.empty:
        far = behind.iloc[-1]
        out.append(Sentence(t("cm_cmp_far", lang, name=far[col], gap=fmt_num(far["gap"], lang, DECIMALS),
                              leader=far[leader_col]), source, (float(far["gap"]),)))
        near = behind.iloc[0]
        if len(behind) > 1:
            out.append(Sentence(t("cm_cmp_near", lang, name=near[col], gap=fmt_num(near["gap"], lang, DECIMALS),
                                  leader=near[leader_col]), source, (float(near["gap"]),)))
    leads = lead[lead["shown"] <= 0]
    if not leads.empty:
        out.append(Sentence(t("cm_cmp_leads", lang, names=joined([str(n) for n in leads[col]], lang), year=m.year),
                            source))
    return out


def all_commentaries(m: OverviewModel, scorecard_rows: pd.DataFrame, priorities: list[Any],
                     frameworks: pd.DataFrame, plan: pd.DataFrame) -> dict[str, dict[str, Commentary]]:
    """The Overview's commentary (key ``composite``) and each priority's (its code), in both languages,
    with their projections: what the quarterly report and the slides print, from the pages' models."""
    subs = sub_changes(m)
    mp = composite_projection(m.composite, scorecard_rows, frameworks, plan)
    out = {COMPOSITE: {lg: overview_commentary(m, scorecard_rows, lg, mp) for lg in ("vi", "en")}}
    for p in priorities:
        pp = priority_projection(p, frameworks, plan)
        out[str(p.code)] = {lg: priority_commentary(p, lg, subs, pp) for lg in ("vi", "en")}
    return out
