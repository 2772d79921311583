"""The provinces' tile map: 63 tiles to 2024 and 34 from 2025, each unit once, laid out as the
stored picture below; unknown provinces drawn as unknown (never as a zero); Hải Phòng marked; hover
with score and rank; labels that read on every tile; on Compare and on the slides."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pci_metrics.base.paths import SEED_DIR
from pci_metrics.domain.tile_grid import grid
from pci_metrics.outputs import charts, charts_map
from pci_metrics.store import storage
from pci_metrics.views import tile_map
from pci_metrics.views.leadership import snapshot

# The expected layouts, north at the top: each label at its (row, col); "." is sea or neighbours.
EXPECTED_63 = [
    ".    LCh  LCa  HGi  CB   .    .",
    "ĐB   .    YB   TQ   BK   LS   .",
    ".    SL   PT   VP   TN   BG   QNi",
    ".    .    HB   HN   BN   HD   HP",
    ".    .    .    HNa  HY   TB   .",
    ".    .    .    NB   NĐ   .    .",
    ".    .    .    TH   .    .    .",
    ".    .    .    NA   .    .    .",
    ".    .    .    .    HT   .    .",
    ".    .    .    .    QB   .    .",
    ".    .    .    .    QT   .    .",
    ".    .    .    .    .    Huế  .",
    ".    .    .    .    .    QNa  ĐN",
    ".    .    .    .    .    KT   QNg",
    ".    .    .    .    .    GL   BĐ",
    ".    .    .    .    .    ĐL   PY",
    ".    .    .    BP   ĐNo  LĐ   KH",
    ".    .    TNi  BD   ĐNa  BTh  NT",
    "AG   ĐT   LA   HCM  VT   .    .",
    "KG   CT   VL   TG   BTr  .    .",
    ".    HG   ST   TV   .    .    .",
    "CM   BL   .    .    .    .    .",
]
EXPECTED_34 = [
    ".    LCh  LCa  TQ   CB",
    "ĐB   SL   PT   TN   LS",
    ".    .    HN   BN   QNi",
    ".    .    NB   HY   HP",
    ".    .    TH   .    .",
    ".    .    NA   .    .",
    ".    .    .    HT   .",
    ".    .    .    QT   .",
    ".    .    .    .    Huế",
    ".    .    .    .    ĐN",
    ".    .    .    .    QNg",
    ".    .    .    .    GL",
    ".    .    .    .    ĐL",
    ".    .    ĐNa  LĐ   KH",
    ".    TNi  HCM  .    .",
    "AG   ĐT   VL   .    .",
    "CM   CT   .    .    .",
]


def picture(cells: dict[tuple[int, int], str]) -> list[str]:
    rows, cols = max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1
    return [" ".join(f"{cells.get((r, c), '.'):<4}" for c in range(cols)).rstrip() for r in range(rows)]


def seed_keys(name: str, column: str) -> list[str]:
    with open(SEED_DIR / name, encoding="utf-8", newline="") as fh:
        return [r[column] for r in csv.DictReader(fh)]


@pytest.mark.parametrize(("units", "expected", "seed", "column"), [
    (63, EXPECTED_63, "provinces_63_to_34.csv", "province_key"),
    (34, EXPECTED_34, "provinces_34_2025.csv", "key"),
])
def test_every_unit_has_one_tile_laid_out_like_the_stored_picture(units, expected, seed, column) -> None:
    g = grid(units)
    assert len(g) == units and g["key"].is_unique and g["label"].is_unique
    assert sorted(g["key"]) == sorted(seed_keys(seed, column))  # the provinces file's units, each once
    assert not g.duplicated(["row", "col"]).any()
    assert picture({(int(r.row), int(r.col)): str(r.label) for r in g.itertuples()}) == expected


@pytest.fixture(scope="module")
def snap(built_db: Path):
    with storage.connect(built_db, read_only=True) as con:
        return snapshot(con)


def drawn(fig) -> dict[tuple[int, int], str]:
    """Where the figure draws each tile's label (the text trace)."""
    text = [tr for tr in fig.data if getattr(tr, "mode", None) == "text"][0]
    return {(int(y), int(x)): lb.replace("<b>", "").replace("</b>", "").rstrip("?")
            for x, y, lb in zip(text.x, text.y, text.text, strict=True)}


def test_the_2019_map_colours_every_province_and_marks_hai_phong(snap) -> None:
    m = tile_map.tile_map(snap, "composite", 2019)
    assert m.units == 63 and m.n_known == 63
    fig = charts_map.tile_map_figure(m, lang="vi", style=charts.Style(), title="x")
    assert picture(drawn(fig)) == EXPECTED_63
    heat = fig.data[0]
    assert heat.colorscale[0][1] != heat.colorscale[-1][1] and heat.zmin < heat.zmax
    hp = m.tiles[m.tiles["key"] == "haiphong"].iloc[0]
    assert heat.z[3][6] == pytest.approx(68.7326)  # Hải Phòng's 2019 composite, at its tile
    assert "Hải Phòng<br>Điểm: 68,73<br>Xếp hạng: hạng 10/63" == heat.text[3][6] and hp["rank"] == 10
    outline = [s for s in fig.layout.shapes if s.line.dash is None]
    assert [(s.x0, s.y0) for s in outline] == [(5.5, 2.5)]  # one solid outline: Hải Phòng's tile
    text = [tr for tr in fig.data if getattr(tr, "mode", None) == "text"][0]
    for colour, ink in zip(_tile_colours(m), text.textfont.color, strict=True):
        assert charts.contrast(colour, ink) >= 4.5  # every label reads on its tile


def _tile_colours(m) -> list[str]:
    known = m.tiles["value"].dropna()
    return [charts_map._tile_colour(float(v), float(known.min()), float(known.max())) for v in m.tiles["value"]]


def test_unknown_provinces_are_drawn_as_unknown_never_as_zero(snap) -> None:
    m = tile_map.tile_map(snap, "composite", 2024)  # VCCI published the top 30 only; 14 are in the data
    known = m.tiles["value"].notna()
    assert 0 < m.n_known < 63
    fig = charts_map.tile_map_figure(m, lang="en", style=charts.Style(dark=True), title="x")
    z = fig.data[0].z
    for r in m.tiles[~known].itertuples():
        assert z[r.row][r.col] is None  # not coloured, so not read as a low score
    dotted = [s for s in fig.layout.shapes if s.line.dash == "dot"]
    assert len(dotted) == 63 - m.n_known
    labels = dict(zip(m.tiles["key"], [tr for tr in fig.data if getattr(tr, "mode", None) == "text"][0].text, strict=True))
    assert labels["hanoi"].endswith("?") is False and labels["laichau"] == "LCh?"
    assert any(tr.name == "No data (?)" for tr in fig.data)
    m25 = tile_map.tile_map(snap, "composite", 2025)
    assert m25.units == 34 and m25.n_known == 0 and len(m25.tiles) == 34
    fig25 = charts_map.tile_map_figure(m25, lang="vi", style=charts.Style(), title="x")
    assert picture(drawn(fig25)) == EXPECTED_34 and fig25.data[0].showscale is False
    assert m25.hover("vi")[m25.tiles.index[m25.tiles["key"] == "haiphong"][0]] == (
        "Hải Phòng<br>Điểm: Chưa có số liệu<br>Xếp hạng: Chưa có số liệu")


def test_compare_shows_the_map_and_keeps_its_choice_in_the_link(app_db) -> None:
    from tests.test_pages import run_app

    at = run_app("compare", cmp_map_year=2019, cmp_map="labor")
    assert at.query_params.get("cmp_map") in ("labor", ["labor"])
    caps = [c.value for c in at.caption if "Mỗi ô vuông là một tỉnh" in c.value]
    assert caps and "Có số liệu: 63/63" in caps[0]
    import json

    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    maps = [s for s in specs if s["data"] and s["data"][0].get("type") == "heatmap" and "Đào tạo lao động" in
            s["layout"]["title"]["text"]]
    assert maps and maps[0]["layout"]["yaxis"]["scaleanchor"] == "x"


def test_the_slide_shows_the_latest_full_year_with_hai_phongs_score_and_rank(snap) -> None:
    from pci_metrics.outputs import slides

    s = slides.map_slide(snap, "vi", slides.PROJECTOR)
    assert s is not None and s.slide_id == "map" and s.title == "Điểm tổng hợp năm 2019 (63 đơn vị)"
    assert s.bullets[0] == "Hải Phòng năm 2019: 68,73 điểm, hạng 10/63."
    assert s.chart is not None and s.chart.data[0].type == "heatmap" and s.chart.layout.height == 560
