"""The priority page's tables and texts, in a language (headers, numbers and words localized)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pci_metrics.base.i18n import fmt_num, fmt_share, t
from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.domain.task_status import status_label
from pci_metrics.store.storage import records
from pci_metrics.views import history
from pci_metrics.views.leadership_text import fmt_gap, fmt_places, localized, md_literal
from pci_metrics.views.priority import PriorityModel


def lineage_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """The lineage links as a localized table: classic sub-index, why, and who proposed it."""
    col, note = ("name_en", "note_en") if lang == "en" else ("name_vi", "note_vi")
    return pd.DataFrame({t("leadership_col_code", lang): model.lineage["classic_code"],
                         t("subindex", lang): model.lineage[col],
                         t("leadership_col_note", lang): model.lineage[note],
                         t("leadership_col_author", lang): history.lineage_author_column(model.lineage, lang)})


def classic_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """Hải Phòng's classic sub-indices behind a priority, year by year (localized headers)."""
    col = "name_en" if lang == "en" else "name_vi"
    f = model.classic.assign(name=model.classic[col])
    return localized(f[["name", "year", "value", "rank", "rank_of", "framework_id", "provenance", "source"]], lang)


def distribution_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """Every province's value in the distribution year, best first (localized headers)."""
    col = "name_en" if lang == "en" else "name_vi"
    f = model.distribution
    return pd.DataFrame({t("leadership_col_province", lang): f[col], t("year", lang): f["year"],
                         t("score", lang): f["value"], t("rank", lang): f["rank"].astype("Int64")})


def sub_labels(model: PriorityModel, lang: str) -> dict[str, str]:
    """Names of the sub-indices whose indicators the page can show, by code."""
    col = "name_en" if lang == "en" else "name_vi"
    out = {str(r.classic_code): str(getattr(r, col)) for r in records(model.lineage)}
    out.setdefault(model.code, model.name(lang))
    return out


def lineage_text(model: PriorityModel, lang: str) -> str:
    """The page's statement (Markdown) that a history rests on a lineage judgment: which
    sub-indices, whose; names and authors come from data, so they are made literal."""
    col = "name_en" if lang == "en" else "name_vi"
    classic = ", ".join(f"«{md_literal(n)}»" for n in model.lineage[col].fillna(model.lineage["classic_code"]))
    authors = "; ".join(md_literal(a) for a in history.lineage_authors(model.lineage, lang))
    return t("leadership_lineage_info", lang, framework=model.framework_id.upper().replace("PCI", "PCI "),
             classic=classic, author=authors)


def gaps_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """The gaps as a localized table: what, which year, values, points and rank places."""
    names = {"target": "series_target", "best": "leadership_gap_best", "top10": "leadership_gap_top10", "median": "series_median"}
    out = []
    for r in records(model.gaps):
        who = _entity_name(model.benchmarks, r.reference_entity, lang) if isinstance(r.reference_entity, str) else ""
        out.append({
            t("leadership_col_reference", lang): t(names[r.reference], lang) + (f" ({who})" if who else ""),
            t("year", lang): "" if as_int(r.year) is None else str(as_int(r.year)),
            t("leadership_col_haiphong", lang): fmt_num(r.value, lang) + (f" ({as_int(r.value_year)})" if as_int(r.value_year) else ""),
            t("leadership_col_reference_value", lang): fmt_num(r.reference_value, lang) if r.reference != "target" or
            as_float(r.reference_value) is not None else (t("leadership_no_target", lang) if model.target is None else "—"),
            t("leadership_col_gap_points", lang): fmt_gap(r.points, lang),
            t("leadership_col_gap_places", lang): fmt_places(r.rank_places, r.reference_rank, lang),
        })
    return pd.DataFrame(out)


def _entity_name(bench: pd.DataFrame, key: Any, lang: str) -> str:
    if not key or bench.empty:
        return ""
    col = "top_name_en" if lang == "en" else "top_name_vi"
    hit = bench[bench["top_entity_key"] == key]
    return str(hit[col].iloc[0]) if not hit.empty and isinstance(hit[col].iloc[0], str) else str(key)


def share_indicators(frame: pd.DataFrame) -> set[str]:
    """Indicators that VCCI keeps as fractions of one: a "%" in the label and no province's value above 1
    in any year (some "%" indicators, such as the share of workers trained, are kept as 0–100).

    >>> share_indicators(pd.DataFrame({"indicator_code": ["a", "b", "c"], "label_en": ["Firms (%)", "Workers (%)", "Days"],
    ...                                "max": [0.9, 58.7, 0.5]}))
    {'a'}
    """
    by_code = frame.groupby("indicator_code").agg(label=("label_en", "first"), top=("max", "max"))
    return {str(c) for c, r in by_code.iterrows() if "%" in str(r["label"]) and pd.notna(r["top"]) and r["top"] <= 1}


def indicator_label(frame: pd.DataFrame, lang: str) -> pd.Series:
    """The indicators' official labels: the Vietnamese one where the data has it (Vietnamese screens),
    else VCCI's English label as published — never a translation of our own."""
    english = frame["label_en"].fillna(frame["indicator_code"])
    if lang == "en":
        return english
    vi = frame["label_vi"]
    return vi.where(vi.notna() & (vi.astype("string").str.strip() != ""), english)


def indicator_table(model: PriorityModel, subindex: str, lang: str, formatted: bool = False) -> pd.DataFrame:
    """One sub-index's indicators, one row each: Hải Phòng per year, then the latest year's median, min,
    max (``formatted``: numbers as text in the language's format, shares as percentages — 0.174 as
    "17,4 %" — and unknown as "Chưa có số liệu"). Vietnamese screens show no indicator code."""
    f = model.indicators[model.indicators["subindex"] == subindex]
    if f.empty:
        return pd.DataFrame()
    f = f.assign(label=indicator_label(f, lang))
    years = sorted(int(y) for y in f["year"].unique())
    last = years[-1]
    wide = f.pivot_table(index=["sort_order", "indicator_code", "label"], columns="year", values="haiphong",
                         aggfunc="first").reindex(columns=years)
    wide.columns = [f"{t('series_haiphong', lang)} {y}" for y in years]
    stats = f[f["year"] == last].set_index("indicator_code")[["median", "min", "max"]]
    stats.columns = [f"{t('series_median', lang)} {last}", f"{t('leadership_col_min', lang)} {last}",
                     f"{t('leadership_col_max', lang)} {last}"]
    out = wide.reset_index().merge(stats.reset_index(), on="indicator_code", how="left")
    out = out.drop(columns=["sort_order"])
    if formatted:
        shares = share_indicators(f)
        for c in list(out.columns[2:]):
            out[c] = [fmt_share(v, lang) if code in shares else fmt_num(v, lang, 3)
                      for code, v in zip(out["indicator_code"], out[c], strict=True)]
    if lang != "en":
        out = out.drop(columns=["indicator_code"])
    return out.rename(columns={"indicator_code": t("leadership_col_code", lang),
                               "label": t("leadership_col_indicator", lang)})


def tasks_table(model: PriorityModel, lang: str) -> pd.DataFrame:
    """The linked tasks as a localized table with the glossary's status words."""
    out = []
    for r in records(model.tasks):
        out.append({
            t("leadership_col_task", lang): r.task_id,
            t("leadership_col_task_title", lang): (r.title_en if lang == "en" and isinstance(r.title_en, str) else r.title_vi),
            t("leadership_col_lead_unit", lang): (r.lead_en if lang == "en" else r.lead_vi) or t("no_data", lang),
            t("leadership_col_deadline", lang): str(r.deadline) if r.deadline is not None and not pd.isna(r.deadline)
            else t("no_data", lang),
            t("leadership_col_status", lang): status_label(str(r.status), lang),
            t("leadership_col_progress", lang): fmt_num(r.progress, lang, 0) + ("%" if as_float(r.progress) is not None else ""),
        })
    return pd.DataFrame(out)


@dataclass
class PriorityTables:
    """Every table a priority page shows, built once per language (pages cache this object)."""

    gaps: pd.DataFrame
    chart: pd.DataFrame
    rank: pd.DataFrame
    distribution: pd.DataFrame
    lineage: pd.DataFrame
    classic: pd.DataFrame
    indicators: dict[str, pd.DataFrame]
    tasks: pd.DataFrame
    sub_labels: dict[str, str]
    lineage_text: str


def priority_tables(model: PriorityModel, lang: str) -> PriorityTables:
    """Build the priority page's tables in a language."""
    subs = list(dict.fromkeys(str(s) for s in model.indicators["subindex"]))
    return PriorityTables(
        gaps=gaps_table(model, lang), chart=model.chart_table(lang),
        rank=localized(model.series[["year", "rank", "rank_of", "framework_id", "provenance"]], lang),
        distribution=distribution_table(model, lang), lineage=lineage_table(model, lang),
        classic=classic_table(model, lang),
        indicators={s: indicator_table(model, s, lang, formatted=True) for s in subs},
        tasks=tasks_table(model, lang), sub_labels=sub_labels(model, lang),
        lineage_text=lineage_text(model, lang) if model.kind == "lineage" else "")
