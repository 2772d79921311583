"""The provinces' tile map: every province (63 to 2024, the 34 units from 2025) as one equal square
laid out like Vietnam (:mod:`pci_metrics.domain.tile_grid`), coloured by the composite or a sub-index
in a year, with Hải Phòng marked. A province without a value is unknown, never zero."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain.numbers import as_int
from pci_metrics.domain.tile_grid import grid, grid_for_year
from pci_metrics.domain.trends import framework_of
from pci_metrics.views.leadership import COMPOSITE, HAIPHONG, Snapshot, snapshot

TILE_COLUMNS = ["key", "row", "col", "label", "name_vi", "name_en", "value", "rank", "rank_of", "highlight"]


@dataclass
class TileMap:
    """One map: a measure in a year on the layout of that year's units."""

    year: int
    code: str
    units: int  # 63 or 34
    name_vi: str
    name_en: str
    tiles: pd.DataFrame  # TILE_COLUMNS, one row per unit of the layout

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    @property
    def n_known(self) -> int:
        return int(self.tiles["value"].notna().sum())

    def hover(self, lang: str) -> list[str]:
        """Each tile's hover: name, score and rank (or that they are unknown)."""
        col = "name_en" if lang == "en" else "name_vi"
        out = []
        for r in self.tiles.itertuples(index=False):
            rank, n = as_int(r.rank), as_int(r.rank_of)
            rank_text = t("rank_of", lang, rank=rank, n=n) if rank is not None and n is not None else t("no_data", lang)
            out.append(f"{getattr(r, col)}<br>{t('score', lang)}: {fmt_num(r.value, lang)}<br>{t('rank', lang)}: "
                       f"{rank_text}")
        return out

    def table(self, lang: str) -> pd.DataFrame:
        """The map's data as a table (the chart/table switch and the downloads), best first."""
        col = "name_en" if lang == "en" else "name_vi"
        f = self.tiles.sort_values(["value", col], ascending=[False, True], na_position="last")
        return pd.DataFrame({t("leadership_col_province", lang): f[col], t("year", lang): self.year,
                             self.name(lang): f["value"], t("rank", lang): f["rank"].astype("Int64"),
                             t("leadership_col_rank_of", lang): f["rank_of"].astype("Int64")}).reset_index(drop=True)


def map_years(snap: Snapshot) -> list[int]:
    """The years a map can show: every comparable year with scores, and 2025 on (the 34 units)
    where a methodology is in force, even with no score yet (the map then says so)."""
    scored = snap.scores[snap.scores["framework_id"].isin(snap.comparable)]["year"].astype(int)
    years = set(scored)
    fws = snap.frameworks.dropna(subset=["year_from"])
    years |= {int(y) for y in fws["year_from"] if int(y) >= 2025}
    return sorted(years)


def map_measures(snap: Snapshot, year: int) -> list[tuple[str, str, str]]:
    """(code, Vietnamese name, English name): the composite and the sub-indices of the year's methodology."""
    fw = snap.framework_of_year(year) or framework_of(snap.frameworks, year)
    subs = snap.subindices[snap.subindices["framework_id"] == fw].sort_values("sort_order")
    return [(COMPOSITE, t("composite", "vi"), t("composite", "en"))] + [
        (str(c), str(v), str(e)) for c, v, e in zip(subs["code"], subs["name_vi"], subs["name_en"], strict=True)]


def tile_map(snap: Snapshot, code: str, year: int, entity_key: str = HAIPHONG) -> TileMap:
    """The map of a measure in a year: the year's layout, each unit's value and rank (unknown stays NaN)."""
    units = grid_for_year(year)
    tiles = grid(units)
    scores = snap.scores[(snap.scores["year"] == year) & (snap.scores["code"] == code)]
    scores = scores[["entity_key", "value", "rank", "rank_of"]].drop_duplicates("entity_key")
    tiles = tiles.merge(scores.rename(columns={"entity_key": "key"}), on="key", how="left")
    tiles = tiles.merge(snap.names.rename(columns={"entity_key": "key"}), on="key", how="left")
    tiles["name_vi"] = tiles["name_vi"].fillna(tiles["key"])
    tiles["name_en"] = tiles["name_en"].fillna(tiles["name_vi"])
    tiles["highlight"] = tiles["key"] == entity_key
    names = {c: (v, e) for c, v, e in map_measures(snap, year)}
    name_vi, name_en = names.get(code, (code, code))
    return TileMap(year=year, code=code, units=units, name_vi=name_vi, name_en=name_en,
                   tiles=tiles[TILE_COLUMNS].reset_index(drop=True))


@dataclass
class MapOptions:
    """What the map offers: its years and, per year, its measures (code, Vietnamese, English)."""

    years: list[int]
    measures: dict[int, list[tuple[str, str, str]]]


def map_options(con: duckdb.DuckDBPyConnection, *, snap: Snapshot | None = None) -> MapOptions:
    """The map's years and measures, from a connection (or ``snap``)."""
    snap = snap if snap is not None else snapshot(con)
    years = map_years(snap)
    return MapOptions(years=years, measures={y: map_measures(snap, y) for y in years})


def map_model(con: duckdb.DuckDBPyConnection, code: str, year: int, *, snap: Snapshot | None = None) -> TileMap:
    """The map of a measure in a year, from a connection (or ``snap``)."""
    return tile_map(snap if snap is not None else snapshot(con), code, year)
