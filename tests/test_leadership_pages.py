"""AppTest of the leadership pages: a priority page per plan priority, the Overview
scorecard and "where the points are", the compare page; widgets found by key, charts by their data."""

from __future__ import annotations

import pytest

from pci_metrics.store import audit_db, scores_db, settings_db, storage
from tests.test_pages import figure, run_app


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def status(at) -> str:
    """The text of the status badge (a markdown badge: ":red-badge[...]")."""
    found = [md.value for md in at.markdown if "-badge[" in md.value]
    return found[0].split("[", 1)[1].rsplit("]", 1)[0] if found else ""


def submit(at, form: str) -> None:
    [b for b in at.button if b.key.startswith(f"FormSubmitter:{form}-")][0].click().run()


def traces(spec: dict, name: str) -> list[dict]:
    return [t for t in spec["data"] if t.get("name") == name]


# --- a priority page ------------------------------------------------------------------------------

def test_priority_page_headline_and_trend(app_db):
    at = run_app("market_entry")
    assert at.title[0].value == "Gia nhập thị trường"
    got = metrics(at)
    assert got["Giá trị mới nhất (2022)"] == "6,45"
    assert got["Xếp hạng (2022)"] == "Chưa có số liệu"  # other provinces' 2022 sub-indices unknown
    assert got["Mục tiêu"] == "Chưa có" and status(at) == "Trạng thái: – Chưa có mục tiêu"
    assert any("nhận định" in i.value and "Gia nhập thị trường" in i.value for i in at.info)  # lineage judgment
    assert any("Nhập dữ liệu" in c.value for c in at.caption)  # who can enter a target
    spec = figure(at, 0)
    hp = traces(spec, "Hải Phòng")
    years = [x for t in hp for x in t["x"]]
    assert years[0] == 2006 and years[-1] == 2022 and 6.45 in [y for t in hp for y in t["y"]]
    # never joined across a methodology change: no trace holds both sides of a break
    for before, after in ((2008, 2009), (2012, 2013), (2021, 2022)):
        assert not any(before in t["x"] and after in t["x"] for t in hp)
    assert sorted(s["x0"] for s in spec["layout"]["shapes"]) == [2008.5, 2012.5, 2021.5]
    assert traces(spec, "Trung vị") and traces(spec, "Tỉnh dẫn đầu")
    assert spec["layout"]["separators"] == ",." and spec["layout"]["xaxis"]["tickformat"] == "d"


def test_priority_page_gaps_rank_distribution_tasks(app_db):
    at = run_app("market_entry")
    gaps = at.dataframe[0].value
    assert gaps.iloc[1, 0] == "Tỉnh dẫn đầu (Vĩnh Phúc)" and gaps.iloc[1, 4] == "1,50"
    assert gaps.iloc[1, 5] == "cần lên 38 bậc (đến hạng 1)"
    rank = figure(at, 1)
    assert rank["layout"]["yaxis"]["range"][0] > rank["layout"]["yaxis"]["range"][1] and 39 in [y for t in rank["data"] for y in t["y"]]
    dist = figure(at, 2)
    assert len(dist["data"][0]["x"]) == 63 and "2019" in dist["layout"]["title"]["text"]
    labels = [a["text"] for a in dist["layout"]["annotations"]]
    assert "1. Vĩnh Phúc" in labels and any(lab.endswith("Hải Phòng") for lab in labels)
    tasks = at.dataframe[-1].value
    assert set(tasks.iloc[:, 0]) == {"T01", "T02"} and set(tasks.iloc[:, 4]) == {"Chưa có báo cáo"}


def test_priority_page_lineage_and_indicator_drill_down(app_db):
    at = run_app("resource_access")
    lineage = at.dataframe[1].value
    assert lineage.iloc[:, 0].tolist() == ["business_support", "labor", "land"]
    classic = figure(at, 3)
    assert {t["name"] for t in classic["data"]} == {"Chính sách hỗ trợ doanh nghiệp", "Đào tạo lao động",
                                                    "Tiếp cận đất đai", "Thay đổi phương pháp"}
    sub = at.segmented_control(key="ind_sub")
    assert sub.value == "business_support" and len(at.dataframe[2].value) == 24
    sub.set_value("labor").run()
    table = at.dataframe[2].value
    assert len(table) == 11 and table.iloc[0, 2].count(",") == 1  # decimal comma
    assert at.query_params["ind_sub"] == "labor"


def test_analyst_writes_the_story_behind_the_curve(app_db):
    at = run_app("market_entry", role="analyst", user_name="an")
    at.selectbox(key="note_year").set_value(2019).run()
    at.text_area(key="note_text_2019").input("Năm 2019: một cửa liên thông điện tử")
    submit(at, "note_form")
    assert not at.exception
    assert any(x.value.startswith("✎ 2019: Năm 2019: một cửa") and x.value.endswith("— an") for x in at.text)
    assert any(a.get("text") == "✎" and a["x"] == 2019 for a in figure(at, 0)["layout"]["annotations"])
    with storage.connect(app_db) as con:
        assert scores_db.load_notes(con, "haiphong", "market_entry")["author"].tolist() == ["an"]
        audit = audit_db.load_audit(con)
        assert audit[audit["table_name"] == "year_note"]["user_name"].tolist() == ["an"]


def test_viewers_read_notes_but_cannot_write(app_db):
    at = run_app("market_entry", role="viewer")
    assert not [s for s in at.selectbox if s.key == "note_year"]
    assert any("Chưa có ghi chú" in c.value for c in at.caption)


def test_a_future_target_is_not_yet_due_and_a_target_of_the_data_year_is_judged(app_db):
    insert = ("INSERT INTO target (plan_id, entity_key, year, framework_id, code, target_score, source) "
              "VALUES ('hb-pci-2025-2026', 'hongbang', ?, 'pci2025', 'market_entry', 7.0, 'test')")
    with storage.connect(app_db) as con:
        con.execute(insert, [2026])
    at = run_app("market_entry")
    # 2026 has no data yet: never red, but the latest value and the gap still to close are stated
    assert metrics(at)["Mục tiêu 2026"] == "7,00" and status(at) == "Trạng thái: ○ Chưa đến kỳ đánh giá"
    assert at.dataframe[0].value.iloc[0, 4] == "0,55"
    assert any("Mục tiêu: 7,00" in a.get("text", "") for a in figure(at, 0)["layout"]["annotations"])
    with storage.connect(app_db) as con:
        con.execute(insert, [2022])
    at = run_app("market_entry")
    assert metrics(at)["Mục tiêu 2022"] == "7,00" and status(at) == "Trạng thái: ■ Chưa đạt"


# --- Overview: scorecard and where the points are ----------------------------------------------------

def test_overview_scorecard_and_points(app_db):
    at = run_app()
    card = at.table[0].value
    # the status comes second, so that it is on screen before any sideways scrolling; the city's 2026
    # rank goal waits for 2026 data; no other measure has a target
    assert card.iloc[0].tolist()[:6] == ["Điểm tổng hợp", "○ Chưa đến kỳ đánh giá", "2024", "74,84", "+4,50",
                                         "hạng 1/63"]
    assert set(card.iloc[1:, 1]) == {"– Chưa có mục tiêu"}
    assert len(card) == 6
    points = figure(at, 3)
    bars = points["data"][0]
    assert bars["y"][-1] == "Chi phí không chính thức"  # largest on top
    assert bars["x"][-1] == pytest.approx(2.1831) and bars["x"] == sorted(bars["x"])
    assert any("PCI 2025" in i.value and "chưa được VCCI công bố" in i.value for i in at.info)
    assert any("2022" in c.value and "2019" in c.value for c in at.caption)  # why 2019, said once


def test_analyst_changes_the_watch_band(app_db):
    at = run_app(role="analyst", user_name="an")
    at.number_input(key="rag_band").set_value(0.6)
    submit(at, "rag_bands")
    assert not at.exception
    with storage.connect(app_db) as con:
        assert settings_db.get_setting(con, "rag_watch_band") == "0.6"
    assert any("0,6" in md.value for md in at.markdown)
    assert not [n for n in run_app(role="viewer").number_input if n.key == "rag_band"]


# --- compare --------------------------------------------------------------------------------------

def test_compare_defaults_heatmap_and_ranks(app_db):
    at = run_app("compare")
    assert at.multiselect(key="cmp_provinces").value[:2] == ["haiphong", "quangninh"]
    assert at.selectbox(key="cmp_year").value == 2019
    heat, text = figure(at, 0)["data"][:2]
    assert heat["x"][:2] == ["Hải Phòng", "Quảng Ninh"] and len(heat["x"]) == 6 and len(heat["y"]) == 10
    assert heat["y"][0] == "Gia nhập thị trường"  # first row on top (y axis reversed)
    cell = [i for i, (x, y) in enumerate(zip(text["x"], text["y"], strict=True))
            if (x, y) == ("Hải Phòng", "Đào tạo lao động")][0]
    assert text["text"][cell] == "8,24" and text["textfont"]["color"][cell] == "#1A1A1A"  # dark on light
    scores = at.dataframe[0].value
    assert scores.iloc[0, 0] == "Hải Phòng" and scores.iloc[0, 1] == "68,73 (10)"
    leaders = at.dataframe[1].value
    assert "Hải Phòng" in leaders.iloc[:, 1].tolist()  # leads labour training in 2019


def test_compare_choices_live_in_the_url(app_db):
    at = run_app("compare")
    at.multiselect(key="cmp_provinces").set_value(["haiphong", "danang"]).run()
    at.selectbox(key="cmp_year").set_value(2018).run()
    at.selectbox(key="cmp_from").set_value(2013).run()
    at.selectbox(key="cmp_to").set_value(2019).run()
    assert at.query_params["cmp_provinces"] == ["haiphong", "danang"]
    assert at.query_params["cmp_year"] == "2018"
    assert (at.query_params["cmp_from"], at.query_params["cmp_to"]) == ("2013", "2019")
    assert figure(at, 0)["data"][0]["x"] == ["Hải Phòng", "Đà Nẵng"]
    traj = figure(at, 1)
    assert {x for t in traj["data"] for x in t["x"]} == set(range(2013, 2020))
    assert "Thừa Thiên Huế" in figure(at, 2)["layout"]["title"]["text"]  # entry's leader in 2018
    at.selectbox(key="cmp_lead").set_value("labor").run()
    lead = figure(at, 2)
    assert "Đà Nẵng" in lead["layout"]["title"]["text"] and at.query_params["cmp_lead"] == "labor"
    assert [t["name"] for t in lead["data"] if t["showlegend"]] == ["Hải Phòng", "Đà Nẵng", "Trung vị"]


def test_compare_partial_year_says_so(app_db):
    at = run_app("compare", lang="en")
    at.selectbox(key="cmp_year").set_value(2022).run()
    assert any("latest full year: 2019" in i.value for i in at.info)
    assert "Hai Phong" in figure(at, 0)["data"][0]["x"]
