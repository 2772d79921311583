"""The what-if page's words, tables and chart data (also used by the exports): rank and target
messages, plan tables, labels that carry the PCI 2025 assumption, and where the numbers come from."""

from __future__ import annotations

import html

import pandas as pd

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain.composite import rank_of_value
from pci_metrics.domain.rank_plans import RankBounds
from pci_metrics.views.scenarios import Base, Outcome, years_text


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
    f["rank"] = [rank_of_value(v, values) for v in values]
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
