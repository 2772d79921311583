"""The all-provinces table and a province's profile (pci_metrics.views.provinces) against the real
default database: every province of a year with the store's ranks, searchable without diacritics,
top-N years said as such, unknown values left unknown."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pci_metrics.store import scores_db, storage
from pci_metrics.views import provinces


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def test_every_year_with_data_is_offered_and_the_latest_opens(con) -> None:
    opts = provinces.provinces_options(con)
    assert opts.years == list(range(2005, 2025))
    assert opts.latest == 2024  # not 2019, where Compare opens
    assert {"haiphong", "quangninh", "hatay"} <= set(opts.provinces["entity_key"])
    assert "vietnam" not in set(opts.provinces["entity_key"])  # provinces only


def test_2019_lists_63_provinces_with_the_stores_ranks(con) -> None:
    yt = provinces.year_table(con, 2019)
    stored = scores_db.load_scores(con)
    stored = stored[(stored["year"] == 2019) & (stored["code"] == "composite")].set_index("entity_key")
    assert len(yt.rows) == 63 and yt.scope == "all"
    assert sorted(yt.rows["rank"].astype(int)) == list(range(1, 64))
    assert yt.rows["rank"].tolist() == sorted(yt.rows["rank"].tolist())  # best first
    mine = yt.rows.set_index("entity_key")
    assert (mine["rank"].astype(int) == stored.loc[mine.index, "rank"].astype(int)).all()
    assert (mine["value"] == stored.loc[mine.index, "value"]).all()
    assert set(mine["rank_provenance"]) == set(stored["rank_provenance"])  # published and derived, as stored
    # the ten sub-indices of the year's framework, each province's own score
    assert yt.subindices["code"].tolist()[:2] == ["entry", "land"] and len(yt.subindices) == 10
    assert mine.loc["haiphong", "labor"] == pytest.approx(8.24, abs=0.005)


def test_2024_says_only_a_top_list_was_published_and_keeps_unknowns_unknown(con) -> None:
    yt = provinces.year_table(con, 2024)
    assert yt.scope == "top30" and yt.n_ranked == 63
    assert len(yt.rows) < 63  # only the provinces the store knows, no made-up rows
    assert yt.rows.iloc[0]["entity_key"] == "haiphong" and int(yt.rows.iloc[0]["rank"]) == 1
    table = yt.table(yt.rows, "vi")
    # a sub-index nobody published stays NaN (never 0); every shown rank is a real one
    assert table["Gia nhập thị trường"].isna().all()
    assert (table["Xếp hạng"].dropna() > 0).all()


def test_an_unknown_rank_stays_empty_never_zero(con) -> None:
    yt = provinces.year_table(con, 2024)
    rows = pd.concat([yt.rows, yt.rows.iloc[[0]].assign(entity_key="x", rank=None, rank_of=None,
                                                         rank_provenance=None)], ignore_index=True)
    table = yt.table(rows, "en")
    assert table["Rank"].iloc[-1] is pd.NA and table["Rank kind"].iloc[-1] == ""
    assert str(table["Rank"].dtype) == "Int64"  # whole numbers, sortable


@pytest.mark.parametrize("query, expected", [
    pytest.param("hai phong", ["haiphong"], id="no-diacritics"),
    pytest.param("Hải Phòng", ["haiphong"], id="with-diacritics"),
    pytest.param("HAIPHONG", ["haiphong"], id="one-word-capitals"),
    pytest.param("quang ninh", ["quangninh"], id="another"),
    pytest.param("đà nẵng", ["danang"], id="d-stroke"),
    pytest.param("Da Nang", ["danang"], id="english-name"),
    pytest.param("atlantis", [], id="nothing"),
])
def test_search_folds_vietnamese(con, query, expected) -> None:
    yt = provinces.year_table(con, 2019)
    assert yt.search(query)["entity_key"].tolist() == expected


def test_search_of_nothing_keeps_every_row(con) -> None:
    yt = provinces.year_table(con, 2019)
    assert len(yt.search("")) == len(yt.search(None)) == 63


def test_each_row_links_to_its_profile(con) -> None:
    yt = provinces.year_table(con, 2019)
    table = yt.table(yt.search("quang ninh"), "en")
    assert table["Profile"].tolist() == ["province?province=quangninh&lang=en"]


def test_profile_of_any_province(con) -> None:
    p = provinces.province_profile(con, "quangninh")
    assert p.name_vi == "Quảng Ninh"
    assert 2005 not in p.composite["year"].tolist()  # the pilot is not comparable
    assert p.latest_year == 2024
    stored = scores_db.load_scores(con, entity_key="quangninh")
    comp = stored[(stored["code"] == "composite") & (stored["year"] == 2019)]
    assert p.latest_rank() == (2, 63)
    row = p.composite[p.composite["year"] == 2019].iloc[0]
    assert (row["value"], int(row["rank"])) == (comp["value"].iloc[0], int(comp["rank"].iloc[0]))
    # the sub-indices against the median, with both sources
    subs = p.subs_of(2019)
    assert len(subs) == 10 and subs["value"].notna().all() and subs["median"].notna().all()
    assert subs["source"].str.contains("VCCI").all() and subs["median_source"].notna().all()
    table = p.sub_table(2019, "vi")
    gap = table["Chênh lệch với trung vị"].iloc[0]
    assert gap == pytest.approx(subs["value"].iloc[0] - subs["median"].iloc[0])


def test_profile_sub_year_is_the_latest_full_one_and_unknown_medians_stay_unknown(con) -> None:
    p = provinces.province_profile(con, "haiphong")
    assert p.sub_year == 2022 and 2019 in p.sub_years
    known, total, has_median = p.sub_summary(2022)
    assert (known, total, has_median) == (10, 10, False)
    assert p.subs_of(2022)["median"].isna().all()  # no median published: NaN, never 0
    assert p.median_years[-1] == 2019


def test_profile_of_a_province_that_ended(con) -> None:
    p = provinces.province_profile(con, "hatay")  # merged into Hà Nội in 2008
    assert p.latest_year == 2008 and p.sub_year == 2008


def test_a_new_score_shows_up_in_both(fresh_db) -> None:
    with storage.connect(fresh_db) as c:
        c.execute("UPDATE score SET rank = NULL WHERE entity_key = 'quangninh' AND year = 2019 AND code = 'composite'")
        yt = provinces.year_table(c, 2019)
        p = provinces.province_profile(c, "quangninh")
    assert pd.isna(yt.rows.set_index("entity_key").loc["quangninh", "rank"])
    assert yt.rows.iloc[-1]["entity_key"] == "quangninh"  # unknown ranks last
    assert pd.isna(p.composite.set_index("year").loc[2019, "rank"])
