"""The projection to the target year of the composite and each priority, read from the same series
the trend charts draw, with its sentence, its method and its limits (the rule:
:mod:`pci_metrics.domain.projection`).

The year projected to is the target's year (the target :func:`pci_metrics.domain.targets.judge`
chose); without a target, the plan's last year, with the status "no target to compare with". A
score target projects the score series; a rank-only target projects the rank series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.domain.projection import MIN_POINTS, WINDOW, Projection, project
from pci_metrics.domain.trends import framework_of
from pci_metrics.views.marks import TARGET_MARKS

# a shape for each projection status, from the same WGL4 set as the target marks
MARKS = {"on_course": TARGET_MARKS["on_track"], "accelerate": TARGET_MARKS["off_track"],
         "not_enough": TARGET_MARKS["not_due"], "no_target": TARGET_MARKS["no_target"]}
COLOURS = {"on_course": "green", "accelerate": "orange"}


@dataclass(frozen=True)
class MeasureProjection:
    """A projection with what it was made from: the series (year, value, framework_id) and names."""

    projection: Projection
    series: pd.DataFrame
    framework_vi: str
    framework_en: str

    def framework(self, lang: str) -> str:
        return self.framework_en if lang == "en" else self.framework_vi


def measure_projection(series: pd.DataFrame, target: dict[str, Any] | None, frameworks: pd.DataFrame,
                       plan_end: int | None, *, composite: bool) -> MeasureProjection | None:
    """Project a measure's series (year, value, rank, rank_of, framework_id) to its target's year (or
    the plan's last year); None when there is neither."""
    score = as_float((target or {}).get("target_score"))
    rank = as_int((target or {}).get("target_rank"))
    year = as_int((target or {}).get("year")) or plan_end
    if year is None:
        return None
    if score is None and rank is not None:
        frame = series[["year", "rank", "framework_id"]].rename(columns={"rank": "value"})
        frame = frame.assign(value=pd.to_numeric(frame["value"], errors="coerce"))
        n = pd.to_numeric(series["rank_of"], errors="coerce").max()
        p = project(frame, target_year=year, target_framework=framework_of(frameworks, year), target=float(rank),
                    kind="rank", bounds=(1.0, float(n) if pd.notna(n) else 63.0))
    else:
        frame = series[["year", "value", "framework_id"]]
        p = project(frame, target_year=year, target_framework=framework_of(frameworks, year), target=score,
                    bounds=(0.0, 100.0 if composite else 10.0))
    hit = frameworks[frameworks["framework_id"] == p.framework_id]
    names = (str(hit["name_vi"].iloc[0]), str(hit["name_en"].iloc[0])) if not hit.empty else ("", "")
    return MeasureProjection(p, frame, *names)


def status_label(status: str, lang: str) -> str:
    """A projection status as a shape and words: "○ Chưa đủ số liệu để dự báo".

    >>> status_label("accelerate", "vi"), status_label("on_course", "en")
    ('■ Cần tăng tốc', '● On course')
    """
    return f"{MARKS.get(status, '–')} {t(f'pj_status_{status}', lang)}"


def _value_words(p: Projection, lang: str) -> str:
    if p.kind == "rank":
        return t("pj_value_rank", lang, value=fmt_num(p.value, lang, 0), low=fmt_num(p.low, lang, 0),
                 high=fmt_num(p.high, lang, 0))
    return t("pj_value_score", lang, value=fmt_num(p.value, lang), low=fmt_num(p.low, lang), high=fmt_num(p.high, lang))


def projection_text(mp: MeasureProjection, name: str, lang: str) -> str:
    """The projection in one or two sentences, or why there is none."""
    p = mp.projection
    args = dict(name=name, ty=p.target_year, fw=mp.framework(lang) or "—", n=p.n_points, min=MIN_POINTS)
    if p.status != "not_enough":
        return t("pj_sentence", lang, first=p.years[0], last=p.years[-1], value=_value_words(p, lang),
                 status=status_label(p.status, lang), name=name, ty=p.target_year)
    if p.reason == "no_data":
        return t("pj_no_data", lang, **args)
    key = "pj_break" if p.reason == "break" else "pj_few"
    return t(key, lang, **args) + " " + t("pj_when", lang, min=MIN_POINTS, fw=mp.framework(lang) or "—")


def method_text(lang: str) -> str:
    """The method and its limits, written next to the chart."""
    return t("pj_method", lang, window=WINDOW, min=MIN_POINTS) + " " + t("pj_limits", lang)


def numbers(p: Projection) -> tuple[float, ...]:
    """The numbers a projection sentence states (for the commentary's checks)."""
    return tuple(v for v in (p.value, p.low, p.high) if v is not None)


def plan_end(plan: pd.DataFrame) -> int | None:
    """The plan's last year (the year projected to when a measure has no target)."""
    years = pd.to_numeric(plan["year_to"], errors="coerce").dropna() if "year_to" in plan else pd.Series(dtype=float)
    return int(years.max()) if not years.empty else None


def composite_projection(composite: pd.DataFrame, scorecard_rows: pd.DataFrame, frameworks: pd.DataFrame,
                         plan: pd.DataFrame) -> MeasureProjection | None:
    """The composite's projection: the Overview chart's series against the scorecard's target."""
    row = scorecard_rows[scorecard_rows["code"] == "composite"]
    target = None
    if not row.empty and as_int(row["target_year"].iloc[0]) is not None:
        r = row.iloc[0]
        target = {"year": r["target_year"], "target_score": r["target_score"], "target_rank": r["target_rank"]}
    return measure_projection(composite, target, frameworks, plan_end(plan), composite=True)


def priority_projection(m: Any, frameworks: pd.DataFrame, plan: pd.DataFrame) -> MeasureProjection | None:
    """A priority's projection (``m``: a priority page's model): its trend chart's series, its target."""
    return measure_projection(m.series, m.target, frameworks, plan_end(plan), composite=False)
