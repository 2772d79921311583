"""AppTest of the all-provinces table and the province profile, in Vietnamese and English, and the
links to a profile from the table and from Compare; widgets found by key, charts by their data."""

from __future__ import annotations

import json

from tests.test_errors import open_app
from tests.test_pages import figure, goto, run_app


def table(at, index: int = 0):
    return at.dataframe[index].value


def links(at) -> list[tuple[str, str, str]]:
    return [(lk.proto.label, lk.proto.page, lk.proto.query_string) for lk in at.get("page_link")]


def columns(at, index: int = 0) -> dict:
    return json.loads(at.dataframe[index].proto.columns)


# --- the all-provinces table ----------------------------------------------------------------------

def test_table_opens_on_the_latest_year_and_says_only_a_top_list_was_published(app_db):
    at = run_app("provinces")
    assert at.title[0].value == "Bảng xếp hạng PCI các tỉnh, thành phố"
    assert at.selectbox(key="prov_year").value == 2024
    assert at.selectbox(key="prov_year").options == [str(y) for y in range(2005, 2025)]  # every year with data
    assert any("Năm 2024" in i.value and "top 30" in i.value for i in at.info)
    shown = table(at)
    assert shown.iloc[0]["Tỉnh/thành phố"] == "Hải Phòng" and shown.iloc[0]["Xếp hạng"] == 1
    assert shown["Gia nhập thị trường"].isna().sum() > 0  # unknown, not 0
    df = at.dataframe[0].proto  # and shown empty, not as "None"
    assert df.HasField("placeholder") and df.placeholder == ""
    styles = at.dataframe[0].proto.arrow_data.styler.styles
    assert "background-color" in styles and "font-weight: bold" in styles  # Hải Phòng is marked
    assert columns(at)["Hồ sơ"]["type_config"] == {"type": "link", "display_text": "Xem hồ sơ"}
    assert shown.iloc[0]["Hồ sơ"] == "province?province=haiphong"


def test_2019_has_every_province_ranked_one_to_63(app_db):
    at = run_app("provinces")
    at.selectbox(key="prov_year").set_value(2019).run()
    shown = table(at)
    assert len(shown) == 63 and shown["Xếp hạng"].tolist() == sorted(shown["Xếp hạng"].tolist())
    assert sorted(shown["Xếp hạng"]) == list(range(1, 64))
    assert len([c for c in shown.columns if c not in ("Tỉnh/thành phố", "Điểm tổng hợp", "Xếp hạng", "Trên tổng số",
                                                      "Loại hạng", "Hồ sơ", "Nguồn")]) == 10  # the sub-indices
    assert not any("top 30" in i.value for i in at.info)
    assert at.query_params["prov_year"] == "2019"  # the year lives in the link


def test_search_without_diacritics_finds_hai_phong_and_links_to_its_profile(app_db):
    at = run_app("provinces")
    at.selectbox(key="prov_year").set_value(2019).run()
    at.text_input(key="prov_q").input("hai phong").run()
    assert table(at)["Tỉnh/thành phố"].tolist() == ["Hải Phòng"]
    assert links(at) == [("Mở hồ sơ Hải Phòng", "province", "province=haiphong")]


def test_search_that_finds_nothing_says_so(app_db):
    at = run_app("provinces")
    at.text_input(key="prov_q").input("atlantis").run()
    assert any("atlantis" in w.value for w in at.warning) and not at.dataframe


def test_table_in_english(app_db):
    at = run_app("provinces", lang="en")
    assert at.title[0].value == "PCI of every province"
    assert any("In 2024 VCCI published only" in i.value for i in at.info)
    at.text_input(key="prov_q").input("Quảng Ninh").run()
    shown = table(at)
    assert shown["Province"].tolist() == ["Quang Ninh"] and shown.iloc[0]["Rank"] == 2
    assert shown.iloc[0]["Profile"] == "province?province=quangninh&lang=en"
    assert links(at) == [("Open Quang Ninh's profile", "province", "province=quangninh&lang=en")]


# --- the profile -------------------------------------------------------------------------------------

def test_profile_opens_on_the_province_of_the_link(app_db):
    at = open_app("province", query={"province": "quangninh"})
    assert at.title[0].value == "Hồ sơ PCI: Quảng Ninh"
    assert at.selectbox(key="province").value == "quangninh"
    got = {m.label: m.value for m in at.metric}
    assert got == {"Điểm tổng hợp 2024": "73,20", "Xếp hạng 2024": "hạng 2/63"}
    trend = figure(at, 0)
    assert [t["name"] for t in trend["data"] if t.get("showlegend")][:3] == ["Quảng Ninh", "Trung vị", "Tỉnh dẫn đầu"]
    assert "Quảng Ninh" in trend["layout"]["title"]["text"]
    rank = figure(at, 1)
    assert "Quảng Ninh" in rank["layout"]["title"]["text"] and 2 in rank["data"][-1]["y"]
    assert at.query_params["province"] == "quangninh"  # bookmarkable


def test_profile_subindices_against_the_median_with_sources(app_db):
    at = open_app("province", query={"province": "quangninh", "prof_sub_year": "2019"})
    assert at.selectbox(key="prof_sub_year").value == 2019
    bars = figure(at, 2)
    assert [b["name"] for b in bars["data"]] == ["Trung vị", "Quảng Ninh"]
    assert all(v is not None for b in bars["data"] for v in b["x"])  # both known in 2019
    assert "2019" in bars["layout"]["title"]["text"]
    at.segmented_control(key="view_prof_subs").set_value("table").run()
    subs = [d.value for d in at.dataframe][-1]
    assert {"Nguồn", "Nguồn trung vị", "Trung vị", "Chênh lệch với trung vị"} <= set(subs.columns)
    assert subs["Nguồn"].str.contains("VCCI").all()


def test_profile_year_without_a_median_says_where_one_is(app_db):
    at = run_app("province")  # Hải Phòng by default; its latest full sub-index year is 2022
    assert at.title[0].value == "Hồ sơ PCI: Hải Phòng" and at.selectbox(key="prof_sub_year").value == 2022
    assert any("2022" in i.value and "2019" in i.value for i in at.info)
    medians = [b for b in figure(at, 2)["data"] if b["name"] == "Trung vị"][0]
    assert all(v is None for v in medians["x"])  # unknown, never drawn as 0


def test_profile_in_english(app_db):
    at = open_app("province", lang="en", query={"province": "danang"})
    assert at.title[0].value == "PCI profile: Da Nang"
    assert [m.label.split()[0] for m in at.metric] == ["Composite", "Rank"]


def test_choosing_another_province_updates_the_link(app_db):
    at = run_app("province")
    at.selectbox(key="province").set_value("danang").run()
    assert at.title[0].value == "Hồ sơ PCI: Đà Nẵng" and at.query_params["province"] == "danang"


# --- from Compare --------------------------------------------------------------------------------------

def test_compare_links_each_chosen_province_to_its_profile(app_db):
    at = run_app("compare")
    chosen = at.multiselect(key="cmp_provinces").value
    got = links(at)
    assert [q for _, _, q in got] == [f"province={k}" for k in chosen]
    assert got[0] == ("Hải Phòng", "province", "province=haiphong")
    en = run_app("compare", lang="en")
    assert links(en)[1] == ("Quang Ninh", "province", "province=quangninh&lang=en")


def test_a_profile_link_opened_later_in_the_session_shows_its_province(app_db):
    """A profile seen earlier in the session must not hide the province of a link followed later."""
    at = run_app("province")
    assert at.selectbox(key="province").value == "haiphong"
    goto(at, "compare")
    at.run()
    at.query_params["province"] = "danang"
    goto(at, "province")
    at.run()
    assert at.title[0].value == "Hồ sơ PCI: Đà Nẵng"
