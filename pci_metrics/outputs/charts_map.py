"""The provinces' tile map, built like every other figure (:mod:`pci_metrics.outputs.charts` styles
it) for the Compare page, the slides and PNG exports.

Colours: cividis, the scale made for colour-blind readers (blue to yellow, even in lightness), so a
reader with any colour vision — and a grey projector — reads low to high; each tile's label is
black or white, whichever contrasts with its colour, on a light or a dark page. A province without
a value is an empty tile with a dashed outline and "?" (named in the legend as unknown): never
filled, so it cannot be read as a low score nor as cividis's middle grey.
Hải Phòng's tile is outlined in the page's text colour.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from pci_metrics.base.i18n import t
from pci_metrics.outputs.charts import GREY, Style, style_figure, text_colour_on
from pci_metrics.views.tile_map import TileMap

SCALE = "Cividis"
UNKNOWN = GREY


def _tile_colour(value: float, lo: float, hi: float) -> str:
    """The scale's colour of a value as "#RRGGBB" (for the label's contrast)."""
    share = 0.5 if hi <= lo else (value - lo) / (hi - lo)
    rgb = sample_colorscale(SCALE, [min(max(share, 0.0), 1.0)], colortype="tuple")[0]
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)


def tile_map_figure(m: TileMap, *, lang: str, style: Style, title: str, height: int | None = None,
                    labels: bool = True) -> go.Figure:
    """One square per unit at its (row, col); known values on the colour scale, unknown as a dotted
    empty tile with "?". ``labels=False`` leaves the tiles unlabelled (a slide's small map: the hover,
    the colours and Hải Phòng's outline still tell)."""
    tiles = m.tiles
    rows, cols = int(tiles["row"].max()) + 1, int(tiles["col"].max()) + 1
    known = tiles.dropna(subset=["value"])
    lo, hi = (float(known["value"].min()), float(known["value"].max())) if not known.empty else (0.0, 1.0)
    hover = m.hover(lang)
    z: list[list[float | None]] = [[None] * cols for _ in range(rows)]
    text: list[list[str]] = [[""] * cols for _ in range(rows)]
    inks = []
    for r, h in zip(tiles.itertuples(index=False), hover, strict=True):
        row, col = int(r.row), int(r.col)
        text[row][col] = h
        if not pd.isna(r.value):
            z[row][col] = float(r.value)
            inks.append(text_colour_on(_tile_colour(float(r.value), lo, hi)))
        else:
            z[row][col] = None
            inks.append(style.fg)
    gap = 2 if not style.projector else 3
    fig = go.Figure()
    if known.empty:  # a map with no value at all: no colour bar to read
        z = [[None] * cols for _ in range(rows)]
    fig.add_trace(go.Heatmap(z=z, text=text, showscale=not known.empty, hovertemplate="%{text}<extra></extra>", colorscale=SCALE, zmin=lo,
                             zmax=hi, xgap=gap, ygap=gap, hoverongaps=False, name=m.name(lang),
                             colorbar=dict(title=dict(text=m.name(lang), side="right"), thickness=14, len=0.6,
                                           tickfont=dict(size=style.tick, color=style.fg))))
    unknown = tiles[tiles["value"].isna()]
    for r in unknown.itertuples(index=False):
        fig.add_shape(type="rect", x0=r.col - 0.44, x1=r.col + 0.44, y0=r.row - 0.44, y1=r.row + 0.44,
                      line=dict(color=UNKNOWN, width=1.5, dash="dot"), layer="below")
    names = [(f"<b>{lb}</b>" if hl else lb) + ("?" if pd.isna(v) else "")
              for lb, hl, v in zip(tiles["label"], tiles["highlight"], tiles["value"], strict=True)]
    hover_unknown = [h for h, v in zip(hover, tiles["value"], strict=True) if pd.isna(v)]
    fig.add_trace(go.Scatter(x=unknown["col"].tolist(), y=unknown["row"].tolist(), mode="markers",
                             marker=dict(symbol="square", size=20, color="rgba(0,0,0,0)"), text=hover_unknown,
                             hovertemplate="%{text}<extra></extra>", showlegend=False))
    if labels:
        fig.add_trace(go.Scatter(x=tiles["col"].tolist(), y=tiles["row"].tolist(), mode="text", text=names,
                                 textfont=dict(color=inks, size=max(style.tick - 4, 9)), hoverinfo="skip",
                                 showlegend=False))
    for r in tiles[tiles["highlight"]].itertuples(index=False):
        fig.add_shape(type="rect", x0=r.col - 0.5, x1=r.col + 0.5, y0=r.row - 0.5, y1=r.row + 0.5,
                      line=dict(color=style.fg, width=3 if not style.projector else 5))
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=str(r.name_en if lang == "en" else r.name_vi),
                                 marker=dict(symbol="square-open", size=14, color=style.fg, line=dict(width=3))))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t("cm_map_unknown", lang),
                             marker=dict(symbol="square-open", size=14, color=UNKNOWN, line=dict(width=1.5))))
    # 24 px a row: the 63 provinces (22 rows) fit a 768 px-high laptop screen whole, title and legend too
    style_figure(fig, lang=lang, style=style, title=title, x_years=False, height=height or rows * 24 + 150)
    fig.update_xaxes(visible=False, range=[-0.6, cols - 0.4], constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", scaleratio=1, constrain="domain")
    return fig
