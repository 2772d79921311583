"""The one place figures are built: pages, slides and exports all call these builders.

Colours are the Okabe–Ito palette (safe for colour-blind viewers) and read on light and dark
backgrounds; every series also differs by dash or marker, so nothing is said by colour alone.
Years are integers on the axis; Vietnamese uses the decimal comma (``separators=",."``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .i18n import fmt_num, t

BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, YELLOW, GREY = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#8C8C8C")
PALETTE = [BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, YELLOW, GREY]


@dataclass(frozen=True)
class Style:
    """Sizes and colours for a medium: the screen or the projector."""

    dark: bool = False
    projector: bool = False

    @property
    def fg(self) -> str:
        return "#FAFAFA" if self.dark else "#1A1A1A"

    @property
    def grid(self) -> str:
        return "#444444" if self.dark else "#DDDDDD"

    @property
    def font(self) -> int:
        return 22 if self.projector else 14

    @property
    def tick(self) -> int:
        return 20 if self.projector else 13

    @property
    def line(self) -> float:
        return 5 if self.projector else 2.5

    @property
    def marker(self) -> int:
        return 14 if self.projector else 7

    @property
    def main(self) -> str:
        # a lighter blue on dark backgrounds keeps contrast
        return SKY if self.dark else BLUE


def style_figure(fig: go.Figure, *, lang: str, style: Style, title: str | None = None,
                 y_title: str | None = None, x_years: bool = True, height: int | None = None) -> go.Figure:
    """Apply the house look: transparent background, theme colours, number format, integer years."""
    fig.update_layout(
        title=dict(text=title, font=dict(size=style.font + 4)) if title else None,
        separators=",." if lang == "vi" else ".,",
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        font=dict(size=style.font, color=style.fg, family="Liberation Sans, Arial, sans-serif"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0,
                    font=dict(size=style.font)),
        margin=dict(l=70 if not style.projector else 90, r=20, t=90 if title else 40, b=40),
        hoverlabel=dict(font_size=style.font),
        height=height,
    )
    fig.update_yaxes(gridcolor=style.grid, zerolinecolor=style.grid, tickfont=dict(size=style.tick), automargin=True,
                     title=dict(text=y_title, font=dict(size=style.font)) if y_title else None)
    fig.update_xaxes(gridcolor=style.grid, tickfont=dict(size=style.tick), showgrid=False)
    if x_years:
        fig.update_xaxes(tickformat="d", dtick=1 if not style.projector else 2, tickangle=0)
    return fig


def _segments(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """Split a yearly series where the methodology changes or a year is missing."""
    frame = frame.dropna(subset=["value"]).sort_values("year")
    if frame.empty:
        return []
    cut = (frame["framework_id"] != frame["framework_id"].shift()) | (frame["year"].diff() != 1)
    return [g for _, g in frame.groupby(cut.cumsum())]


def break_years(frame: pd.DataFrame) -> list[int]:
    """First year of each new methodology inside a series.

    >>> break_years(pd.DataFrame({"year": [2012, 2013], "framework_id": ["pci2009", "pci2013"]}))
    [2013]
    """
    f = frame.sort_values("year")
    changed = f["framework_id"] != f["framework_id"].shift()
    return [int(y) for y in f.loc[changed, "year"].iloc[1:]]


def trend_figure(series: list[tuple[str, pd.DataFrame]], *, lang: str, style: Style, title: str,
                 y_title: str, target: float | None = None, target_label: str | None = None,
                 y_range: tuple[float, float] | None = None, notes: dict[int, str] | None = None,
                 height: int | None = None) -> go.Figure:
    """Lines over years, one trace per comparable segment; breaks drawn as dotted verticals.

    ``series`` is a list of (label, frame with year, value, framework_id); the first is the
    main series (thick, blue, circles); others are references (dashed/dotted, other markers).
    """
    fig = go.Figure()
    looks = [(style.main, "solid", "circle"), (GREY, "dash", "square"), (ORANGE, "dot", "diamond"),
             (GREEN, "dashdot", "triangle-up"), (VERMILION, "longdash", "x"), (PURPLE, "solid", "star")]
    all_breaks: set[int] = set()
    for i, (label, frame) in enumerate(series):
        color, dash, symbol = looks[i % len(looks)]
        width = style.line * (1.0 if i == 0 else 0.7)
        if "framework_id" in frame and not frame.empty:
            all_breaks |= set(break_years(frame))
        for j, seg in enumerate(_segments(frame)):
            fig.add_trace(go.Scatter(
                x=seg["year"].astype(int).tolist(), y=seg["value"].astype(float).tolist(), name=label, legendgroup=label,
                showlegend=j == 0, mode="lines+markers",
                line=dict(color=color, width=width, dash=dash),
                marker=dict(size=style.marker if i == 0 else style.marker - 2, symbol=symbol, color=color),
                hovertemplate=f"{label} %{{x}}: %{{y:.2f}}<extra></extra>"))
    for year in sorted(all_breaks):
        fig.add_vline(x=year - 0.5, line=dict(color=GREY, width=1.5, dash="dot"))
        fig.add_annotation(x=year - 0.5, y=1, yref="paper", text=t("methodology_change", lang),
                           showarrow=False, xanchor="left", yanchor="top",
                           font=dict(size=max(style.tick - 3, 10), color=style.fg), textangle=0)
    if target is not None:
        fig.add_hline(y=target, line=dict(color=GREEN, width=style.line * 0.8, dash="dashdot"),
                      annotation_text=f"{target_label or t('series_target', lang)}: {fmt_num(target, lang)}",
                      annotation_position="top left", annotation_font=dict(color=style.fg, size=style.tick))
    if notes:
        main = series[0][1].dropna(subset=["value"]) if series else pd.DataFrame()
        for year, text in notes.items():
            row = main[main["year"] == year] if not main.empty else main
            if not row.empty:
                fig.add_annotation(x=year, y=float(row["value"].iloc[0]), text="✎", showarrow=True,
                                   arrowhead=0, ay=-30, hovertext=text,
                                   font=dict(size=style.tick, color=style.fg))
    style_figure(fig, lang=lang, style=style, title=title, y_title=y_title, height=height)
    if y_range:
        fig.update_yaxes(range=list(y_range))
    return fig


def rank_figure(frame: pd.DataFrame, *, lang: str, style: Style, title: str,
                height: int | None = None) -> go.Figure:
    """Rank over years (1 at the top), with the number of provinces ranked in the hover."""
    f = frame.dropna(subset=["rank"]).sort_values("year")
    fig = go.Figure()
    for seg in _segments(f.assign(value=f["rank"])):
        fig.add_trace(go.Scatter(
            x=seg["year"].astype(int).tolist(), y=seg["rank"].astype(int).tolist(), mode="lines+markers+text",
            text=[str(int(r)) for r in seg["rank"]], textposition="top center",
            textfont=dict(size=style.tick, color=style.fg), name=t("rank", lang), showlegend=False,
            line=dict(color=style.main, width=style.line), marker=dict(size=style.marker, color=style.main),
            customdata=seg["rank_of"].astype("Float64").fillna(0).astype(int).tolist(),
            hovertemplate="%{x}: %{y}/%{customdata}<extra></extra>"))
    style_figure(fig, lang=lang, style=style, title=title, y_title=t("rank", lang), height=height)
    fig.update_yaxes(autorange="reversed", rangemode="tozero")
    return fig


def profile_figure(frame: pd.DataFrame, *, lang: str, style: Style, title: str, year: int, prev: int,
                   height: int | None = None) -> go.Figure:
    """Sub-index profile: two years side by side, horizontal bars (labels stay readable)."""
    name = "name_en" if lang == "en" else "name_vi"
    f = frame.iloc[::-1]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=f[name].tolist(), x=f["prev"].astype(float).tolist(), name=str(prev), orientation="h",
                         marker=dict(color=GREY, pattern=dict(shape="/")),
                         text=[fmt_num(v, lang) for v in f["prev"]], textposition="outside",
                         hovertemplate=f"{prev} %{{y}}: %{{x:.2f}}<extra></extra>"))
    fig.add_trace(go.Bar(y=f[name].tolist(), x=f["latest"].astype(float).tolist(), name=str(year), orientation="h",
                         marker=dict(color=style.main),
                         text=[fmt_num(v, lang) for v in f["latest"]], textposition="outside",
                         hovertemplate=f"{year} %{{y}}: %{{x:.2f}}<extra></extra>"))
    style_figure(fig, lang=lang, style=style, title=title, x_years=False, height=height)
    fig.update_layout(barmode="group", legend=dict(traceorder="reversed"))
    fig.update_xaxes(range=[0, 10.9], title=dict(text=t("score", lang)))
    return fig


def distribution_figure(frame: pd.DataFrame, *, highlight: str, lang: str, style: Style, title: str,
                        label_top: int = 3, height: int | None = None) -> go.Figure:
    """Every province's value in one year, sorted; the highlighted one in colour and labelled."""
    name = "name_en" if lang == "en" else "name_vi"
    f = frame.dropna(subset=["value"]).sort_values("value", ascending=False).reset_index(drop=True)
    is_hl = f["entity_key"] == highlight
    colors = [style.main if h else GREY for h in is_hl]
    patterns = ["" if h else "." for h in is_hl]
    fig = go.Figure(go.Bar(
        x=f[name].tolist(), y=f["value"].astype(float).tolist(), marker=dict(color=colors, pattern=dict(shape=patterns)),
        hovertemplate="%{x}: %{y:.2f}<extra></extra>", showlegend=False))
    for i in list(range(min(label_top, len(f)))) + [int(i) for i in f.index[is_hl]]:
        fig.add_annotation(x=f.at[i, name], y=float(f.at[i, "value"]),
                           text=f"{i + 1}. {f.at[i, name]}", showarrow=True, ay=-35,
                           font=dict(size=style.tick, color=style.fg))
    style_figure(fig, lang=lang, style=style, title=title, x_years=False, height=height)
    fig.update_xaxes(showticklabels=False)
    return fig


def heatmap_figure(matrix: pd.DataFrame, *, lang: str, style: Style, title: str,
                   height: int | None = None) -> go.Figure:
    """Sub-index × province heatmap with the values written in each cell."""
    text = [[fmt_num(v, lang) for v in row] for row in matrix.to_numpy()]
    fig = go.Figure(go.Heatmap(z=matrix.astype(float).to_numpy().tolist(), x=list(matrix.columns), y=list(matrix.index),
                               text=text, texttemplate="%{text}", colorscale="Cividis",
                               hovertemplate="%{y} · %{x}: %{z:.2f}<extra></extra>"))
    style_figure(fig, lang=lang, style=style, title=title, x_years=False, height=height)
    return fig


def bar_figure(labels: list[str], values: list[float], *, lang: str, style: Style, title: str,
               x_title: str | None = None, height: int | None = None) -> go.Figure:
    """Horizontal bars with values written on them (largest on top)."""
    fig = go.Figure(go.Bar(y=labels[::-1], x=values[::-1], orientation="h",
                           marker=dict(color=style.main),
                           text=[fmt_num(v, lang) for v in values[::-1]], textposition="outside",
                           hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    style_figure(fig, lang=lang, style=style, title=title, x_years=False, height=height)
    if x_title:
        fig.update_xaxes(title=dict(text=x_title))
    return fig
