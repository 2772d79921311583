"""The projection chart, built like every other figure (:mod:`pci_metrics.outputs.charts` styles it):
the years the line was fitted on, the line to the target year, its band and the target."""

from __future__ import annotations

import plotly.graph_objects as go

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.outputs.charts import GREEN, Style, style_figure
from pci_metrics.views.projection import MeasureProjection


def projection_figure(mp: MeasureProjection, *, lang: str, style: Style, title: str, y_title: str) -> go.Figure:
    """Used years (markers and line), the projection (dashed) with its band (shaded) and the target.
    A rank chart has rank 1 at the top."""
    p = mp.projection
    fig = go.Figure()
    used = mp.series[mp.series["year"].isin(p.years)].dropna(subset=["value"]).sort_values("year")
    line = p.line()
    if not line.empty:
        band_x = line["year"].tolist() + line["year"].tolist()[::-1]
        band_y = line["high"].tolist() + line["low"].tolist()[::-1]
        fig.add_trace(go.Scatter(x=band_x, y=band_y, fill="toself", name=t("pj_band", lang), mode="lines",
                                 line=dict(width=0), fillcolor="rgba(86,180,233,0.25)", hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=line["year"].tolist(), y=line["value"].tolist(), name=t("pj_line", lang),
                                 mode="lines+markers", line=dict(color=style.muted, width=style.line, dash="dash"),
                                 marker=dict(size=style.marker, symbol="diamond-open", color=style.muted),
                                 hovertemplate=f"{t('pj_line', lang)} %{{x}}: %{{y:.2f}}<extra></extra>"))
    fig.add_trace(go.Scatter(x=used["year"].astype(int).tolist(), y=used["value"].astype(float).tolist(),
                             name=t("pj_series", lang), mode="lines+markers",
                             line=dict(color=style.main, width=style.line), marker=dict(size=style.marker, color=style.main),
                             hovertemplate=f"{t('pj_series', lang)} %{{x}}: %{{y:.2f}}<extra></extra>"))
    if p.target is not None:
        label = (t("leadership_target_rank", lang, rank=int(p.target)) if p.kind == "rank"
                 else fmt_num(p.target, lang))
        fig.add_hline(y=p.target, line=dict(color=GREEN, width=style.line * 0.8, dash="dashdot"),
                      annotation_text=f"{t('series_target', lang)} {p.target_year}: {label}",
                      annotation_position="top left", annotation_font=dict(color=style.fg, size=style.tick))
    style_figure(fig, lang=lang, style=style, title=title, y_title=y_title)
    if p.kind == "rank":
        fig.update_yaxes(autorange="reversed")
    return fig
