"""The one place figures are built: pages, slides and exports all call these builders.

Colours are the Okabe–Ito palette (safe for colour-blind viewers) and read on light and dark
backgrounds; every series also differs by dash or marker, so nothing is said by colour alone.
Years are integers on the axis; Vietnamese uses the decimal comma (``separators=",."``).
"""

from __future__ import annotations

import re
import textwrap
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

import kaleido
import pandas as pd
import plotly.graph_objects as go

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain.trends import method_breaks

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

    @property
    def muted(self) -> str:
        # reference series: projectors wash out light grey, so they get a darker one
        return "#595959" if self.projector and not self.dark else GREY


# A chart is as wide as the page's column: about 350 px on a 390 px phone. Plotly never wraps a title
# and does not know the width when the figure is built, so titles are broken for the narrowest screen.
PHONE_CHART_WIDTH = 340
MODEBAR_ROOM = 34  # px kept free above the title for the chart toolbar (it shows over the figure's top right)
_TAGGED = re.compile(r"^<(\w+)>(.*)</\1>$", re.S)


def wrap_title(text: str, size: int, width: int = PHONE_CHART_WIDTH) -> str:
    """A title broken into lines (``<br>``) of at most ``width`` px at a font of ``size`` px (about
    half an em per character), at spaces; a line wrapped in one tag (``<sup>…</sup>``) keeps its tag
    on every piece and, being smaller, holds more characters.

    >>> wrap_title("Điểm tổng hợp Hải Phòng có thể tăng nếu bắt kịp tỉnh dẫn đầu từng chỉ số (2024)", 18)
    'Điểm tổng hợp Hải Phòng có thể tăng<br>nếu bắt kịp tỉnh dẫn đầu từng chỉ số<br>(2024)'
    >>> wrap_title("Short<br><sup>a note that is small</sup>", 18)
    'Short<br><sup>a note that is small</sup>'
    """
    lines: list[str] = []
    for part in text.split("<br>"):
        tagged = _TAGGED.match(part)
        tag, inner = (tagged.group(1), tagged.group(2)) if tagged else ("", part)
        per_line = max(12, int(width / (0.52 * size * (0.7 if tag in ("sup", "sub") else 1.0))))
        pieces = textwrap.wrap(inner, per_line, break_long_words=False, break_on_hyphens=False) or [""]
        lines += [f"<{tag}>{p}</{tag}>" if tag else p for p in pieces]
    return "<br>".join(lines)


def wrap_label(text: str, size: int) -> str:
    """An axis title broken to fit a narrow plot (about 170 px at ``size`` px): an axis title is
    centred on the plot, so on a phone a long one runs past the chart's edge.

    >>> wrap_label("Điểm tổng hợp có thể tăng", 14)
    'Điểm tổng hợp có thể<br>tăng'
    """
    return wrap_title(text, size, width=PHONE_CHART_WIDTH // 2)


def title_height(title: str, size: int) -> int:
    """Pixels a (wrapped) title takes: 1.3 line heights a line, small lines (``<sup>``) 0.7 of one."""
    lines = title.split("<br>")
    small = sum(1 for line in lines if _TAGGED.match(line) and line[1:4] in ("sup", "sub"))
    return int(1.3 * size * (len(lines) - small + 0.7 * small)) + 8


def style_figure(fig: go.Figure, *, lang: str, style: Style, title: str | None = None,
                 y_title: str | None = None, x_years: bool = True, height: int | None = None) -> go.Figure:
    """Apply the house look: transparent background, theme colours, number format, integer years.

    Legible from a projector to a 390 px phone: the title wraps (:func:`wrap_title`) and pushes the
    plot down, with room above it for the chart toolbar; the legend runs horizontally under the plot;
    every axis makes room for its labels (``automargin``); year ticks never collide (:func:`_year_ticks`).
    """
    size = style.font + 4
    # a slide is a known wide page; a page's chart may be on a phone
    text = wrap_title(title, size, width=900 if style.projector else PHONE_CHART_WIDTH) if title else None
    top = MODEBAR_ROOM + (title_height(text, size) if text else 0)
    fig.update_layout(
        title=dict(text=text, font=dict(size=size), x=0, xref="container", xanchor="left",
                   y=1, yref="container", yanchor="top", pad=dict(l=6, t=MODEBAR_ROOM, b=6), automargin=True)
        if text else None,
        separators=",." if lang == "vi" else ".,",
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        font=dict(size=style.font, color=style.fg, family="Liberation Sans, Arial, sans-serif"),
        legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container", y=0,
                    yanchor="bottom", font=dict(size=style.font)),
        margin=dict(l=10, r=20, t=top, b=10, autoexpand=True),
        hoverlabel=dict(font_size=style.font),
        height=height,
    )
    fig.update_yaxes(gridcolor=style.grid, zerolinecolor=style.grid, tickfont=dict(size=style.tick), automargin=True,
                     title=dict(text=y_title, font=dict(size=style.font)) if y_title else None)
    # x labels a little lower: the first year's label never runs into the lowest score's label
    fig.update_xaxes(gridcolor=style.grid, tickfont=dict(size=style.tick), showgrid=False, automargin=True,
                     ticklabelstandoff=8)
    if x_years:
        _year_ticks(fig)
    return fig


def _year_ticks(fig: go.Figure) -> None:
    """Year ticks that never run together, down to a 390 px phone: at most seven labels, every 1, 2,
    3, 5 or 10 years, counted back from the latest year (always labelled: it is the one people ask
    about); labels turn only if they still would touch.

    >>> f = go.Figure(go.Scatter(x=[2022, 2023, 2024], y=[1, 2, 3])); _year_ticks(f); f.layout.xaxis.tickvals
    (2022, 2023, 2024)
    >>> f = go.Figure(go.Scatter(x=list(range(2006, 2025)), y=[1] * 19)); _year_ticks(f); f.layout.xaxis.tickvals
    (2009, 2014, 2019, 2024)
    """
    years = [int(x) for tr in fig.data if getattr(tr, "x", None) is not None for x in tr.x
             if isinstance(x, int | float) and x == x]
    if not years:
        fig.update_xaxes(tickformat="d", tickangle=None)
        return
    first, last = min(years), max(years)
    step = next(s for s in (1, 2, 3, 5, 10, 20, 50) if (last - first) // s < 6 or s == 50)
    fig.update_xaxes(tickformat="d", tickangle=None, dtick=None, tickmode="array",
                     tickvals=list(range(last, first - 1, -step))[::-1])


def _segments(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """Split a yearly series where the methodology changes or a year is missing."""
    frame = frame[frame["value"].notna()].sort_values("year")
    if frame.empty:
        return []
    # plain arrays, then one slice per run (the pandas comparisons on text columns cost ~1 ms a chart)
    fw = frame["framework_id"].to_numpy(dtype=object)
    years = frame["year"].to_numpy(dtype=float)
    same = [not pd.isna(a) and a == b for a, b in zip(fw[1:], fw[:-1], strict=True)]  # unknown: a break
    cuts = [0] + [i + 1 for i, ok in enumerate(same) if not ok or years[i + 1] - years[i] != 1] + [len(frame)]
    return [frame.iloc[a:b] for a, b in zip(cuts[:-1], cuts[1:], strict=True)]


def _mark_breaks(fig: go.Figure, frames: list[pd.DataFrame], *, lang: str, style: Style,
                 starts: Mapping[str, int] | None) -> None:
    """A dotted vertical line before the first year of each new methodology
    (:func:`pci_metrics.domain.trends.method_breaks`) and one legend entry that says what the dotted
    lines are: a label at each line would collide with its neighbour on a narrow chart."""
    breaks = method_breaks(frames, starts)
    width = 2.5 if style.projector else 1.5
    for year in breaks:
        fig.add_vline(x=year - 0.5, line=dict(color=style.muted, width=width, dash="dot"))
    if breaks:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=t("methodology_change", lang),
                                 line=dict(color=style.muted, width=width, dash="dot"), hoverinfo="skip"))


def trend_figure(series: list[tuple[str, pd.DataFrame]], *, lang: str, style: Style, title: str,
                 y_title: str, target: float | None = None, target_label: str | None = None,
                 y_range: tuple[float, float] | None = None, notes: dict[int, str] | None = None,
                 height: int | None = None, method_starts: Mapping[str, int] | None = None) -> go.Figure:
    """Lines over years, one trace per comparable segment; breaks drawn as dotted verticals.

    ``series`` is a list of (label, frame with year, value, framework_id); the first is the
    main series (thick, blue, circles); others are references (dashed/dotted, other markers).
    """
    fig = go.Figure()
    looks = [(style.main, "solid", "circle"), (style.muted, "dash", "square"), (ORANGE, "dot", "diamond"),
             (GREEN, "dashdot", "triangle-up"), (VERMILION, "longdash", "x"), (PURPLE, "solid", "star")]
    for i, (label, frame) in enumerate(series):
        color, dash, symbol = looks[i % len(looks)]
        width = style.line * (1.0 if i == 0 else 0.7)
        for j, seg in enumerate(_segments(frame)):
            fig.add_trace(go.Scatter(
                x=seg["year"].astype(int).tolist(), y=seg["value"].astype(float).tolist(), name=label, legendgroup=label,
                showlegend=j == 0, mode="lines+markers",
                line=dict(color=color, width=width, dash=dash),
                marker=dict(size=style.marker if i == 0 else style.marker - 2, symbol=symbol, color=color),
                hovertemplate=f"{label} %{{x}}: %{{y:.2f}}<extra></extra>"))
    _mark_breaks(fig, [f for _, f in series], lang=lang, style=style, starts=method_starts)
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
    fig.update_yaxes(autorange="reversed")
    if not f.empty:  # rank 1 on top, with room above it for its label (an autorange clipped it)
        worst = int(f["rank"].max())
        span = max(worst - 1, 4)
        step = 10 if worst > 25 else 5 if worst > 10 else 1
        fig.update_yaxes(autorange=False, range=[worst + 0.06 * span, 1 - 0.16 * span],
                         tickvals=sorted({1, *range(step, worst + 1, step)}))  # no rank 0 on the axis
    return fig


def profile_figure(frame: pd.DataFrame, *, lang: str, style: Style, title: str, year: int, prev: int,
                   height: int | None = None, prev_label: str | None = None,
                   latest_label: str | None = None) -> go.Figure:
    """Sub-index profile: two series side by side (``prev`` and ``latest`` columns), horizontal bars
    (labels stay readable). The series are named by their years unless labels are given (a province
    against the median)."""
    name = "name_en" if lang == "en" else "name_vi"
    first, second = prev_label or str(prev), latest_label or str(year)
    f = frame.iloc[::-1]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=f[name].tolist(), x=f["prev"].astype(float).tolist(), name=first, orientation="h",
                         marker=dict(color=GREY, pattern=dict(shape="/")),
                         text=[fmt_num(v, lang) for v in f["prev"]], textposition="outside",
                         hovertemplate=f"{escape(first)} %{{y}}: %{{x:.2f}}<extra></extra>"))
    fig.add_trace(go.Bar(y=f[name].tolist(), x=f["latest"].astype(float).tolist(), name=second, orientation="h",
                         marker=dict(color=style.main),
                         text=[fmt_num(v, lang) for v in f["latest"]], textposition="outside",
                         hovertemplate=f"{escape(second)} %{{y}}: %{{x:.2f}}<extra></extra>"))
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
                           text=[fmt_num(v, lang) for v in values[::-1]], textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    style_figure(fig, lang=lang, style=style, title=title, x_years=False, height=height)
    top = max([float(v) for v in values if v == v] + [0.0])
    fig.update_xaxes(range=[0, top * 1.3 + 0.05])  # room for the value written after the longest bar, even on a phone
    if x_title:
        fig.update_xaxes(title=dict(text=wrap_label(x_title, style.font)))
    return fig


def luminance(colour: str) -> float:
    """A "#RRGGBB" colour's relative luminance (WCAG 2: 0 black, 1 white).

    >>> luminance("#FFFFFF"), luminance("#000000"), round(luminance("#0072B2"), 3)
    (1.0, 0.0, 0.152)
    """
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour.lstrip("#")[i:i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21; text wants at least 4.5).

    >>> round(contrast("#FFFFFF", "#000000"), 1), round(contrast("#E69F00", "#000000"), 1)
    (21.0, 9.3)
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on a colour (a count written inside a bar).

    >>> text_colour_on("#0072B2"), text_colour_on("#E69F00"), text_colour_on("#009E73")
    ('#FFFFFF', '#000000', '#000000')
    """
    return max(("#000000", "#FFFFFF"), key=lambda ink: contrast(ink, colour))


def stacked_bars_figure(labels: list[str], series: list[tuple[str, list[float]]], *, lang: str, style: Style,
                        title: str, x_title: str | None = None,
                        looks: list[tuple[str, str]] | None = None, height: int | None = None) -> go.Figure:
    """Horizontal stacked bars (first label on top), one trace per series, the count written in each
    piece; every series has its own colour *and* fill pattern (``looks``: (colour, pattern shape)),
    so it reads in black and white too. Used for task status by unit.
    """
    default = [(BLUE, ""), (ORANGE, "/"), (GREEN, "."), (VERMILION, "x"), (GREY, "-"), (PURPLE, "+")]
    fig = go.Figure()
    for i, (name, values) in enumerate(series):
        color, shape = (looks or default)[i % len(looks or default)]  # by position: a status keeps its look
        if not any(values):
            continue  # the legend names only the series present
        fig.add_trace(go.Bar(
            y=labels, x=values, name=name, orientation="h",
            # "overlay": the hatching lies on the bar's colour (Plotly's default "replace" paints the bar
            # white under the hatching, and its automatic white label vanished on it)
            marker=dict(color=color, line=dict(color=style.fg, width=1),
                        pattern=dict(shape=shape, fgcolor=style.fg, fgopacity=0.35, solidity=0.25,
                                     fillmode="overlay")),
            text=[fmt_num(v, lang, 0) if v else "" for v in values], textposition="inside",
            insidetextanchor="middle", textfont=dict(size=style.tick, color=text_colour_on(color)),
            hovertemplate=f"{name} · %{{y}}: %{{x:.0f}}<extra></extra>"))
    style_figure(fig, lang=lang, style=style, title=title, x_years=False, height=height)
    fig.update_layout(barmode="stack", showlegend=True)  # the legend names the series even when there is one
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(dtick=1, tickformat="d", showgrid=True, automargin=True)
    if x_title:
        fig.update_xaxes(title=dict(text=wrap_label(x_title, style.font), font=dict(size=style.font), standoff=6))
    return fig


# --- static images (reports, slides and handouts) ---
_PNG_LOCK = threading.Lock()
_PNG_SERVER: list[bool] = []


def figure_png(fig: go.Figure, *, width: int = 1000, height: int = 500, scale: float = 2.0) -> bytes:
    """A figure as PNG bytes through kaleido and Debian's Chromium.

    One kaleido server per process (``start_sync_server(mathjax=False)``: no CDN), started on first
    use; the server is not thread-safe and Streamlit runs sessions in threads, so every export holds
    one process-wide lock. About 3–5 s for the first image, then about 0.5 s each.
    """
    with _PNG_LOCK:
        if not _PNG_SERVER:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            _PNG_SERVER.append(True)
        data = kaleido.calc_fig_sync(fig, opts=dict(format="png", width=width, height=height, scale=scale))
    return bytes(data)


# --- leadership pages: several provinces over the years ---
def provinces_figure(series: list[tuple[str, pd.DataFrame]], *, lang: str, style: Style, title: str,
                     y_title: str, reversed_y: bool = False, height: int | None = None,
                     method_starts: Mapping[str, int] | None = None) -> go.Figure:
    """One line per province (the first is ours: thick, the theme's blue), split at methodology
    changes and missing years; up to eight provinces differ by colour, dash and marker.

    ``series`` is a list of (label, frame with year, value, framework_id); ``reversed_y`` puts
    rank 1 on top for rank charts.
    """
    looks = [(style.main, "solid", "circle"), (ORANGE, "dash", "square"), (GREEN, "dot", "diamond"),
             (VERMILION, "dashdot", "triangle-up"), (PURPLE, "longdash", "x"), (GREY, "solid", "star"),
             (style.fg, "dot", "cross"), (SKY if not style.dark else BLUE, "dash", "triangle-down")]
    fig = go.Figure()
    for i, (label, frame) in enumerate(series):
        color, dash, symbol = looks[i % len(looks)]
        for j, seg in enumerate(_segments(frame)):
            fig.add_trace(go.Scatter(
                x=seg["year"].astype(int).tolist(), y=seg["value"].astype(float).tolist(), name=label,
                legendgroup=label, showlegend=j == 0, mode="lines+markers",
                line=dict(color=color, width=style.line * (1.3 if i == 0 else 0.8), dash=dash),
                marker=dict(size=style.marker if i == 0 else style.marker - 1, symbol=symbol, color=color),
                hovertemplate=f"{label} %{{x}}: %{{y:.2f}}<extra></extra>"))
    _mark_breaks(fig, [f for _, f in series], lang=lang, style=style, starts=method_starts)
    style_figure(fig, lang=lang, style=style, title=title, y_title=y_title, height=height)
    if reversed_y:
        fig.update_yaxes(autorange="reversed")
    return fig


def marginal_figure(labels: list[str], series: list[tuple[str, list[float | None]]], *, lang: str, style: Style,
                    title: str, x_title: str | None = None, height: int | None = None) -> go.Figure:
    """What-if marginal values: per sub-index (largest first, on top), one bar per measure side by side.

    ``series`` is (name, values) per measure; None values (unknown) draw no bar and say "Chưa có số liệu"
    on hover rather than 0. Bars differ by colour and pattern, so nothing is said by colour alone.
    """
    looks = [(style.main, ""), (ORANGE, "/"), (GREEN, "."), (PURPLE, "x")]
    labels = [escape(str(x)) for x in labels]  # names come from the data; Plotly renders tags
    fig = go.Figure()
    for i, (name, values) in enumerate(series):
        color, pattern = looks[i % len(looks)]
        shown = [None if v is None or v != v else float(v) for v in values]  # NaN -> None
        fig.add_trace(go.Bar(
            y=labels[::-1], x=shown[::-1], name=name, orientation="h",
            marker=dict(color=color, pattern=dict(shape=pattern)),
            text=[fmt_num(v, lang) if v is not None else t("no_data", lang) for v in shown[::-1]],
            textposition="outside", textfont=dict(size=style.tick, color=style.fg),
            hovertemplate=f"{name} · %{{y}}: %{{x:.2f}}<extra></extra>"))
    rows = max(len(labels), 1)
    style_figure(fig, lang=lang, style=style, title=title, x_years=False,
                 height=height or 230 + rows * len(series) * (40 if style.projector else 24))
    top = max([v for _, vs in series for v in vs if v is not None and v == v] + [0.0])
    # room above the plot for the title (one line more with a subtitle) and a legend that wraps to two rows
    extra = (45 if len(series) > 1 else 0) + 25 * (title or "").count("<br>")
    fig.update_layout(barmode="group", legend=dict(traceorder="normal"),
                      margin=dict(t=(90 + extra) * (1.5 if style.projector else 1) if title else 40 + extra))
    fig.update_xaxes(range=[0, top * 1.18 + 0.05])  # room for the value written after each bar
    if x_title:
        fig.update_xaxes(title=dict(text=wrap_label(x_title, style.font)))
    return fig


def service_figure(periods: list[str], groups: list[tuple[str, list[float | None]]], totals: list[float | None], *,
                   lang: str, style: Style, title: str, band_lines: list[tuple[float, str]] | None = None,
                   y_title: str | None = None, height: int | None = None) -> go.Figure:
    """Decision 766 service index: one stacked column per period (a piece per group, its score written
    in it), the total above each column ("Chưa có số liệu" when a group is missing) and dotted lines
    at the known band cut-offs (``band_lines``: (points, label)). Periods are categories, not years.
    """
    looks = [(BLUE, ""), (ORANGE, "/"), (GREEN, "."), (VERMILION, "x"), (PURPLE, "-")]
    fig = go.Figure()
    for i, (name, values) in enumerate(groups):
        color, shape = looks[i % len(looks)]
        shown = [None if v is None or v != v else float(v) for v in values]
        fig.add_trace(go.Bar(
            x=periods, y=shown, name=name,
            marker=dict(color=color, line=dict(color=style.fg, width=1),
                        pattern=dict(shape=shape, fgcolor=style.fg, fgopacity=0.35, solidity=0.25)),
            text=[fmt_num(v, lang, 1) if v is not None else "" for v in shown], textposition="inside",
            insidetextanchor="middle", textfont=dict(size=style.tick),
            hovertemplate=f"{name} · %{{x}}: %{{y:.2f}}<extra></extra>"))
    for period, total in zip(periods, totals, strict=True):
        fig.add_annotation(x=period, y=total if total is not None else 0, yshift=14, showarrow=False,
                           text=f"<b>{fmt_num(total, lang, 1)}</b>" if total is not None else t("no_data", lang),
                           font=dict(size=style.tick, color=style.fg))
    for points, label in band_lines or []:
        fig.add_hline(y=points, line=dict(color=GREY, width=1.5, dash="dot"), annotation_text=label,
                      annotation_position="top left", annotation_font=dict(color=style.fg, size=style.tick))
    style_figure(fig, lang=lang, style=style, title=title, y_title=y_title, x_years=False, height=height)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 108])
    return fig


def standings_figure(frame: pd.DataFrame, *, highlight: str, before: float | None, lang: str, style: Style,
                     title: str, before_label: str, height: int | None = None) -> go.Figure:
    """What-if standings: provinces around one (rank. name on the left, best on top), a dot at each composite;
    the highlighted province as a large diamond, with a hollow marker where it stood before.

    ``frame`` has entity_key, name_vi, name_en, value, rank; values are close together, so dots (not bars
    from zero) keep the differences visible, and every dot carries its value as text.
    """
    name = "name_en" if lang == "en" else "name_vi"
    f = frame.sort_values(["rank", "value"], ascending=[True, False]).reset_index(drop=True)
    labels = [f"{int(r)}. {escape(str(n))}" for r, n in zip(f["rank"], f[name], strict=True)]
    is_hl = (f["entity_key"] == highlight).tolist()
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=f["value"].astype(float).tolist(), y=labels, mode="markers+text", showlegend=False,
        marker=dict(size=[style.marker * 2.2 if h else style.marker * 1.3 for h in is_hl],
                    symbol=["diamond" if h else "circle" for h in is_hl],
                    color=[style.main if h else GREY for h in is_hl]),
        text=[fmt_num(v, lang) for v in f["value"]], textposition="middle right",
        textfont=dict(size=style.tick, color=style.fg), hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    if before is not None and any(is_hl):
        y_hl = labels[is_hl.index(True)]
        after = float(f.loc[is_hl.index(True), "value"])
        if abs(after - before) > 1e-9:
            fig.add_trace(go.Scatter(
                x=[before], y=[y_hl], mode="markers", name=before_label, showlegend=True,
                marker=dict(size=style.marker * 1.8, symbol="diamond-open", color=style.fg, line=dict(width=2)),
                hovertemplate=f"{before_label}: %{{x:.2f}}<extra></extra>"))
            fig.add_annotation(x=after, y=y_hl, ax=before, ay=y_hl, xref="x", yref="y", axref="x", ayref="y",
                               showarrow=True, arrowhead=2, arrowcolor=style.fg, text="")
    rows = max(len(f), 1)
    style_figure(fig, lang=lang, style=style, title=title, x_years=False,
                 height=height or 140 + rows * (44 if style.projector else 30))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    lo = min([float(v) for v in f["value"]] + ([before] if before is not None else []))
    hi = max([float(v) for v in f["value"]] + ([before] if before is not None else []))
    pad = max(0.5, (hi - lo) * 0.15)
    fig.update_xaxes(range=[lo - pad, hi + pad * 1.6], showgrid=True)
    return fig


def scores_heatmap_figure(matrix: pd.DataFrame, *, lang: str, style: Style, title: str,
                          height: int | None = None) -> go.Figure:
    """Sub-index × province heatmap (Cividis, safe for colour-blind viewers), first row on top, each
    value written in a colour that stays legible on its cell (dark on the light end, white on the
    dark end); an unknown cell says "Chưa có số liệu".

    Narrow enough for a phone: the values are written, so no colour bar takes their room; province
    and sub-index names break into short lines (the hover keeps them whole); the provinces are named
    under the cells, where they cannot run into the title.
    """
    z = matrix.astype(float)
    rows, cols = list(z.index), list(z.columns)
    lo, hi = float(pd.Series(z.to_numpy().ravel()).min()), float(pd.Series(z.to_numpy().ravel()).max())
    mid = (lo + hi) / 2 if pd.notna(lo) and pd.notna(hi) else 0.0
    fig = go.Figure(go.Heatmap(z=z.to_numpy().tolist(), x=cols, y=rows, colorscale="Cividis", xgap=2, ygap=2,
                               hovertemplate="%{y} · %{x}: %{z:.2f}<extra></extra>", showscale=False))
    xs, ys, texts, colors = [], [], [], []
    for r in rows:
        for c in cols:
            v = z.at[r, c]
            xs.append(c)
            ys.append(r)
            texts.append(fmt_num(v, lang))
            colors.append("#1A1A1A" if pd.notna(v) and v >= mid else ("#FFFFFF" if pd.notna(v) else style.fg))
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="text", text=texts, hoverinfo="skip", showlegend=False,
                             textfont=dict(size=style.tick, color=colors)))
    style_figure(fig, lang=lang, style=style, title=title, x_years=False, height=height)
    fig.update_yaxes(autorange="reversed", showgrid=False, tickvals=rows,
                     ticktext=[wrap_title(str(r), style.tick, width=PHONE_CHART_WIDTH * 2 // 5) for r in rows])
    fig.update_xaxes(side="bottom", tickvals=cols,
                     ticktext=[wrap_title(str(c), style.tick, width=60) for c in cols])
    return fig


def standing_figure(frame: pd.DataFrame, *, highlight: str, lang: str, style: Style, title: str,
                    label_top: int = 3, height: int | None = None) -> go.Figure:
    """Every province's value in one year, best first: ours in colour and named in bold (so colour is
    not the only cue), the others grey; the leaders are named too, with staggered labels so that
    neighbours never write over each other: each label has its own level above the bars."""
    name = "name_en" if lang == "en" else "name_vi"
    f = frame.dropna(subset=["value"]).sort_values("value", ascending=False).reset_index(drop=True)
    is_hl = (f["entity_key"] == highlight).tolist()
    fig = go.Figure(go.Bar(
        x=list(range(1, len(f) + 1)), y=f["value"].astype(float).tolist(), customdata=f[name].tolist(),
        marker=dict(color=[style.main if h else GREY for h in is_hl], opacity=1.0,
                    line=dict(width=0)),
        hovertemplate="%{x}. %{customdata}: %{y:.2f}<extra></extra>", showlegend=False))
    labelled = sorted(set(range(min(label_top, len(f)))) | {i for i, h in enumerate(is_hl) if h})
    top = float(f["value"].max()) if not f.empty else 1.0
    step = 0.12 * top  # one label a level above the bars, the best province's highest: labels never touch
    for k, i in enumerate(labelled):
        right_half = i + 1 > len(f) / 2  # a label on the right half reads leftwards, inside the chart
        fig.add_annotation(x=i + 1, y=float(f.at[i, "value"]), text=f"{i + 1}. {f.at[i, name]}", showarrow=True,
                           arrowhead=0, ax=-30 if right_half else 30, ayref="y",
                           ay=top + step * (len(labelled) - k), xanchor="right" if right_half else "left",
                           font=dict(size=style.tick, color=style.fg, weight="bold" if is_hl[i] else "normal"))
    style_figure(fig, lang=lang, style=style, title=title, x_years=False, height=height)
    fig.update_xaxes(title=dict(text=t("rank", lang)), showticklabels=False)
    fig.update_yaxes(title=dict(text=t("score", lang)), range=[0, top + step * (len(labelled) + 0.6)])
    return fig
