"""The service index's tables for people: groups with their maxima, readings per period, and the
chart's data (Decision 766)."""

from __future__ import annotations

import pandas as pd

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain.service_index import period_text as period_text
from pci_metrics.store import storage
from pci_metrics.views.service import ServiceModel


def groups_table(model: ServiceModel, lang: str = "vi") -> pd.DataFrame:
    """The five groups with their maximum points ("chưa xác định" where unknown) and latest score."""
    n = "name_en" if lang == "en" else "name_vi"
    latest = model.table[model.table["period"] == model.latest_period] if model.latest_period else model.table.iloc[0:0]
    rows = []
    for r in storage.records(model.groups):
        known = not pd.isna(r.max_points)
        score = latest[str(r.code)].iloc[0] if not latest.empty else None
        rows.append({
            t("service_col_group", lang): getattr(r, n),
            t("service_col_max", lang): fmt_num(r.max_points, lang, 0) if known else t("service_max_unknown", lang),
            t("service_col_latest", lang): fmt_num(score, lang),
            t("source", lang): str(r.source or ""),
        })
    return pd.DataFrame(rows)


def readings_view(model: ServiceModel, lang: str = "vi") -> pd.DataFrame:
    """The readings table for people: period, each group, total, band, change."""
    n = "name_en" if lang == "en" else "name_vi"
    names = {str(r.code): str(getattr(r, n)) for r in storage.records(model.groups)}
    tb = model.table
    out = pd.DataFrame({t("service_col_period", lang): [period_text(p, lang) for p in tb["period"]]})
    for code, name in names.items():
        out[name] = [fmt_num(v, lang) for v in tb[code]] if code in tb.columns else ""
    out[t("service_col_total", lang)] = [fmt_num(v, lang) for v in tb["total"]]
    out[t("service_col_band", lang)] = [t(f"service_band_{b}", lang) for b in tb["band"]]
    out[t("service_col_change", lang)] = [fmt_num(v, lang) if not pd.isna(v) else "—" for v in tb["change"]]
    return out


def figure_data(model: ServiceModel, lang: str = "vi") -> tuple[list[str], list[tuple[str, list[float | None]]],
                                                                 list[float | None]]:
    """Periods, per-group scores and totals for :func:`pci_metrics.outputs.charts.service_figure`."""
    n = "name_en" if lang == "en" else "name_vi"
    tb = model.table
    periods = [period_text(p, lang) for p in tb["period"]]
    groups = [(str(getattr(r, n)), [None if pd.isna(v) else float(v) for v in tb[str(r.code)]])
              for r in storage.records(model.groups)]
    totals = [None if pd.isna(v) else float(v) for v in tb["total"]]
    return periods, groups, totals
