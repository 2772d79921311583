"""Every province: a table of all provinces in a year (searchable, sortable, with ranks and the
year's sub-index scores) and a profile of any one province (its composite and rank over the years,
its sub-indices in its latest year with data against the median, with their sources).

The rules, tested in ``tests/test_provinces_views.py``:

* **Years**: every year with a composite score in the store; the table opens on the latest.
* **Ranks** are the store's: published by VCCI or derived from all provinces' scores (the
  ``rank_provenance`` column says which); an unknown rank stays unknown (never 0).
* **Scope**: in a year where VCCI published only a top-N list (``year_info.published_scope``), the
  table holds the provinces the store knows and says that the others are not published.
* **Search** compares names folded by :func:`pci_metrics.base.cells.fold` (no diacritics, no case,
  no spaces): "hai phong", "Hải Phòng" and "haiphong" all find Hải Phòng.
* **Tiers**: the store keeps no VCCI tier or group, so none is shown (none is made up).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pci_metrics.base.cells import fold
from pci_metrics.base.i18n import name_col, t
from pci_metrics.base.paths import PAGES_DIR
from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.views.leadership import COMPOSITE, HAIPHONG, Snapshot, snapshot

PROFILE_PAGE = "province"  # the profile page's url_path; ``?province=<key>`` picks the province
PROFILE_PARAM = "province"
PROFILE_FILE = str(PAGES_DIR / "province.py")  # for st.page_link: an absolute path works wherever app.py runs
ROW_COLUMNS = ["entity_key", "name_vi", "name_en", "value", "rank", "rank_of", "rank_provenance", "source"]


def search_key(text: object) -> str:
    """The key a name or a typed query is matched by: folded, without separators.

    >>> search_key("Hải Phòng"), search_key("hai phong"), search_key("  HAIPHONG ")
    ('haiphong', 'haiphong', 'haiphong')
    """
    return fold(text).replace("_", "")


def profile_query(entity_key: str, lang: str) -> dict[str, str]:
    """The query of a link to a province's profile (the language kept when it is not the default).

    >>> profile_query("quangninh", "vi"), profile_query("quangninh", "en")
    ({'province': 'quangninh'}, {'province': 'quangninh', 'lang': 'en'})
    """
    return {PROFILE_PARAM: entity_key, **({"lang": lang} if lang == "en" else {})}


def profile_url(entity_key: str, lang: str) -> str:
    """A relative link to a province's profile, for a link column of a table.

    >>> profile_url("quangninh", "en")
    'province?province=quangninh&lang=en'
    """
    return PROFILE_PAGE + "?" + "&".join(f"{k}={v}" for k, v in profile_query(entity_key, lang).items())


@dataclass
class ProvincesOptions:
    """What the provinces pages offer: the years with data and the provinces with any score."""

    years: list[int]
    latest: int | None
    provinces: pd.DataFrame  # entity_key, name_vi, name_en (sorted by Vietnamese name)


def provinces_options(con: duckdb.DuckDBPyConnection, *, snap: Snapshot | None = None) -> ProvincesOptions:
    """Years with a composite score (latest last) and the provinces that have any score."""
    snap = snap if snap is not None else snapshot(con)
    comp = snap.scores[(snap.scores["code"] == COMPOSITE)].dropna(subset=["value"])
    years = sorted(int(y) for y in comp["year"].unique())
    names = snap.entities[snap.entities["level"] == "province"][["entity_key", "name_vi", "name_en"]]
    names = names[names["entity_key"].isin(snap.scores["entity_key"])]
    names = names.assign(_k=[search_key(n) for n in names["name_vi"]]).sort_values("_k").drop(columns="_k")
    return ProvincesOptions(years=years, latest=years[-1] if years else None, provinces=names.reset_index(drop=True))


@dataclass
class YearTable:
    """All provinces the store knows in a year: composite, rank and the year's sub-index scores."""

    year: int
    framework_id: str | None
    scope: str  # "all" | "top30": what VCCI published that year
    n_ranked: int | None  # provinces ranked by VCCI that year
    subindices: pd.DataFrame  # code, name_vi, name_en (the year's framework, in order)
    rows: pd.DataFrame  # ROW_COLUMNS + one column per sub-index code; best rank first, unknown ranks last

    def search(self, text: str | None) -> pd.DataFrame:
        """The rows whose Vietnamese or English name (or key) contains the folded query.

        >>> yt = YearTable(2019, None, "all", 2, pd.DataFrame(columns=["code", "name_vi", "name_en"]),
        ...                pd.DataFrame({"entity_key": ["haiphong", "hanoi"], "name_vi": ["Hải Phòng", "Hà Nội"],
        ...                              "name_en": ["Hai Phong", "Ha Noi"]}))
        >>> yt.search("hai phong")["entity_key"].tolist(), len(yt.search(""))
        (['haiphong'], 2)
        """
        q = search_key(text or "")
        if not q:
            return self.rows
        hit = [q in search_key(vi) or q in search_key(en) or q in str(k)
               for k, vi, en in zip(self.rows["entity_key"], self.rows["name_vi"], self.rows["name_en"], strict=True)]
        return self.rows[hit]

    def table(self, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
        """``rows`` (all or :meth:`search`'s) as a localized table: numbers stay numbers (sortable),
        ranks whole numbers with unknown ones empty, and a link to each province's profile."""
        col = name_col(lang)
        out = pd.DataFrame({
            t("leadership_col_province", lang): rows[col].to_numpy(),
            t("composite", lang): rows["value"].astype(float).to_numpy(),
            t("rank", lang): rows["rank"].astype("Int64").array,
            t("provinces_col_rank_of", lang): rows["rank_of"].astype("Int64").array,
            t("provinces_col_rank_kind", lang): [t(f"prov_{p}", lang) if isinstance(p, str) else ""
                                                 for p in rows["rank_provenance"]],
        })
        for code, vi, en in self.subindices[["code", "name_vi", "name_en"]].itertuples(index=False):
            out[en if lang == "en" else vi] = rows[code].astype(float).to_numpy()
        out[t("provinces_col_profile", lang)] = [profile_url(k, lang) for k in rows["entity_key"]]
        out[t("source", lang)] = rows["source"].fillna("").to_numpy()
        return out

    def whole_columns(self, lang: str) -> list[str]:
        """The table's columns of whole numbers (ranks)."""
        return [t("rank", lang), t("provinces_col_rank_of", lang)]


def picked_row(rows: pd.DataFrame, positions: list[int]) -> dict[str, str] | None:
    """The province a reader picked in the shown table (its first selected row), or the only one
    shown: its key and names; None when nothing is picked.

    >>> r = pd.DataFrame({"entity_key": ["a", "b"], "name_vi": ["A", "B"], "name_en": ["A", "B"]})
    >>> picked_row(r, [1])["entity_key"], picked_row(r, []), picked_row(r.iloc[:1], [])["name_vi"]
    ('b', None, 'A')
    """
    inside = [i for i in positions if 0 <= i < len(rows)]
    if not inside and len(rows) != 1:
        return None
    row = rows.iloc[inside[0] if inside else 0]
    return {"entity_key": str(row["entity_key"]), "name_vi": str(row["name_vi"]), "name_en": str(row["name_en"])}


def build_year_table(snap: Snapshot, year: int) -> YearTable:
    """The all-provinces table of a year from a snapshot."""
    fw = snap.framework_of_year(year)
    subs = snap.subindices[snap.subindices["framework_id"] == fw].sort_values("sort_order")
    subs = subs[["code", "name_vi", "name_en"]].reset_index(drop=True)
    scores = snap.scores[snap.scores["year"] == year]
    comp = scores[scores["code"] == COMPOSITE][["entity_key", "value", "rank", "rank_of", "rank_provenance", "source"]]
    wide = scores[scores["code"] != COMPOSITE].pivot_table(index="entity_key", columns="code", values="value",
                                                            aggfunc="first")
    wide = wide.reindex(columns=subs["code"].tolist())
    keys = pd.DataFrame({"entity_key": sorted(set(scores["entity_key"]))})
    rows = (keys.merge(snap.names, on="entity_key", how="left").merge(comp, on="entity_key", how="left")
            .merge(wide, left_on="entity_key", right_index=True, how="left"))
    rows = rows.assign(_k=[search_key(n) for n in rows["name_vi"]])
    rows = rows.sort_values(["rank", "value", "_k"], ascending=[True, False, True], na_position="last")
    info = snap.year_info[snap.year_info["year"] == year]
    scope = str(info["published_scope"].iloc[0]) if not info.empty else "all"
    return YearTable(year=year, framework_id=fw, scope=scope, n_ranked=snap.n_provinces.get(year), subindices=subs,
                     rows=rows.drop(columns="_k").reset_index(drop=True))


def year_table(con: duckdb.DuckDBPyConnection, year: int, *, snap: Snapshot | None = None) -> YearTable:
    """Build the all-provinces table of a year from a connection (or from ``snap``)."""
    return build_year_table(snap if snap is not None else snapshot(con), year)


@dataclass
class ProvinceProfile:
    """One province: its composite and rank over the years with the median and the top province,
    and its sub-indices in each year with data against that year's median."""

    entity_key: str
    name_vi: str
    name_en: str
    composite: pd.DataFrame  # year, value, rank, rank_of, framework_id, provenance, rank_provenance, source
    median: pd.DataFrame  # year, value, framework_id, source
    top: pd.DataFrame  # year, value, top_entity_key, framework_id, source
    sub_years: list[int]  # years with any sub-index score of the province
    sub_year: int | None  # the latest year with all of them (else the latest with any): shown first
    subindices: pd.DataFrame  # year, code, name_vi, name_en, value, median, source, median_source
    scopes: dict[int, str]  # year -> "all" | "top30" (what VCCI published)

    def name(self, lang: str) -> str:
        """The province's name in a language."""
        return self.name_en if lang == "en" else self.name_vi

    @property
    def latest_year(self) -> int | None:
        """The latest year with a composite score."""
        known = self.composite.dropna(subset=["value"])["year"]
        return int(known.max()) if not known.empty else None

    def latest_rank(self) -> tuple[int | None, int | None]:
        """(rank, provinces ranked) in the latest year with a composite; None where unknown."""
        hit = self.composite[self.composite["year"] == self.latest_year]
        return (as_int(hit["rank"].iloc[0]), as_int(hit["rank_of"].iloc[0])) if not hit.empty else (None, None)

    def latest_value(self) -> float | None:
        """The latest composite score."""
        hit = self.composite[self.composite["year"] == self.latest_year]
        return as_float(hit["value"].iloc[0]) if not hit.empty else None

    def sub_summary(self, year: int | None) -> tuple[int, int, bool]:
        """(sub-indices known, sub-indices of the year's framework, whether any median is known)."""
        f = self.subs_of(year)
        return int(f["value"].notna().sum()), len(f), bool(f["median"].notna().any())

    @property
    def median_years(self) -> list[int]:
        """The years of :attr:`sub_years` with a known sub-index median (to compare against)."""
        f = self.subindices.dropna(subset=["median"])
        return sorted(int(y) for y in f["year"].unique())

    def history_table(self, lang: str) -> pd.DataFrame:
        """The composite and rank by year with the median and the sources (localized headers)."""
        f = self.composite.merge(self.median[["year", "value"]].rename(columns={"value": "median"}), on="year",
                                 how="left")
        return pd.DataFrame({
            t("year", lang): f["year"].astype(int), t("composite", lang): f["value"].astype(float),
            t("rank", lang): f["rank"].astype("Int64"), t("provinces_col_rank_of", lang): f["rank_of"].astype("Int64"),
            t("provinces_col_rank_kind", lang): [t(f"prov_{p}", lang) if isinstance(p, str) else ""
                                                 for p in f["rank_provenance"]],
            t("series_median", lang): f["median"].astype(float), t("source", lang): f["source"].fillna("")})

    def subs_of(self, year: int | None) -> pd.DataFrame:
        """The sub-indices of one year (code, names, value, median, sources), in the framework's order."""
        return self.subindices[self.subindices["year"] == year].reset_index(drop=True)

    def sub_table(self, year: int | None, lang: str) -> pd.DataFrame:
        """One year's sub-indices against the median with both sources (localized headers)."""
        f = self.subs_of(year)
        return pd.DataFrame({
            t("subindex", lang): f[name_col(lang)], self.name(lang): f["value"].astype(float),
            t("series_median", lang): f["median"].astype(float),
            t("provinces_col_gap", lang): (f["value"] - f["median"]).astype(float),
            t("source", lang): f["source"].fillna(""), t("provinces_col_median_source", lang): f["median_source"].fillna("")})

    def sub_chart_frame(self, year: int | None) -> pd.DataFrame:
        """One year's sub-indices for the two-bar profile chart: ``latest`` the province, ``prev`` the median."""
        return self.subs_of(year).rename(columns={"value": "latest", "median": "prev"})


def _sub_profile(snap: Snapshot, mine: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """A province's sub-index scores in each year, every sub-index of the year's framework (NaN where
    unknown), with that year's median and both sources."""
    parts = []
    for year in years:
        catalogue = snap.subindices[snap.subindices["framework_id"] == snap.framework_of_year(year)]
        catalogue = catalogue.sort_values("sort_order")[["code", "name_vi", "name_en"]]
        own = mine[mine["year"] == year][["code", "value", "source"]]
        med = snap.benchmarks[snap.benchmarks["year"] == year][["code", "median", "source"]].rename(
            columns={"source": "median_source"})
        parts.append(catalogue.merge(own, on="code", how="left").merge(med, on="code", how="left").assign(year=year))
    cols = ["year", "code", "name_vi", "name_en", "value", "median", "source", "median_source"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def build_profile(snap: Snapshot, entity_key: str) -> ProvinceProfile:
    """A province's profile from a snapshot (the composite in comparable methodologies only: the 2005
    pilot is left out, as on the Overview)."""
    fw_by_year = dict(zip(snap.year_info["year"], snap.year_info["framework_id"], strict=True))
    mine = snap.scores[snap.scores["entity_key"] == entity_key]
    comp = mine[(mine["code"] == COMPOSITE) & mine["framework_id"].isin(snap.comparable)].sort_values("year")
    comp = comp[["year", "value", "rank", "rank_of", "framework_id", "provenance", "rank_provenance", "source"]]
    bench = snap.benchmarks[snap.benchmarks["code"] == COMPOSITE]
    bench = bench.assign(framework_id=[fw_by_year.get(int(y)) for y in bench["year"]])
    bench = bench[bench["framework_id"].isin(snap.comparable)].sort_values("year")
    median = bench[["year", "median", "framework_id", "source"]].rename(columns={"median": "value"})
    top = bench[["year", "top_score", "top_entity_key", "framework_id", "source"]].rename(columns={"top_score": "value"})
    known = mine[mine["code"] != COMPOSITE].dropna(subset=["value"])
    years = sorted(int(y) for y in known["year"].unique())
    subs = _sub_profile(snap, mine, years)
    full = [y for y in years if subs[subs["year"] == y]["value"].notna().all()]
    hit = snap.names[snap.names["entity_key"] == entity_key]
    vi, en = (str(hit["name_vi"].iloc[0]), str(hit["name_en"].iloc[0])) if not hit.empty else (entity_key, entity_key)
    return ProvinceProfile(
        entity_key=entity_key, name_vi=vi, name_en=en, composite=comp.reset_index(drop=True),
        median=median.reset_index(drop=True), top=top.reset_index(drop=True), sub_years=years,
        sub_year=(full or years)[-1] if years else None, subindices=subs,
        scopes=dict(zip(snap.year_info["year"].astype(int), snap.year_info["published_scope"].astype(str),
                        strict=True)))


def province_profile(con: duckdb.DuckDBPyConnection, entity_key: str = HAIPHONG, *,
                     snap: Snapshot | None = None) -> ProvinceProfile:
    """Build a province's profile from a connection (or from ``snap``)."""
    return build_profile(snap if snap is not None else snapshot(con), entity_key)
