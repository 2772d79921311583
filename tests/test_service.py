"""The service index (Decision 766): validation of readings, totals and bands, and its page."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pci_metrics.domain import service_index
from pci_metrics.imports import service_readings
from pci_metrics.store import audit_db, reference_db, service_db, storage
from pci_metrics.views import service
from tests.conftest import ROOT
from tests.test_pages import goto


@pytest.fixture(scope="module")
def refs(built_db):
    with storage.connect(built_db, read_only=True) as con:
        return service_db.load_service_groups(con), reference_db.load_entities(con)


def check(refs, rows: dict, **kw):
    groups, entities = refs
    return service_readings.validate_service_readings(pd.DataFrame(rows), groups=groups, entities=entities,
                                             sheet="Chỉ số phục vụ", **kw)


FULL = {"Kỳ": ["2026-Q1"] * 5, "Nhóm": ["Công khai, minh bạch", "Tiến độ, kết quả giải quyết", "Số hóa hồ sơ",
                                        "online", "Mức độ hài lòng"],
        "Điểm": [17.5, "19,2", 20, 21, 17], "Nguồn": ["dichvucong.gov.vn 31/3/2026"] * 5}


def test_a_full_period_in_the_templates_long_form(refs):
    clean, problems = check(refs, FULL)
    assert clean["group_code"].tolist() == ["publicity", "progress", "digitisation", "online", "satisfaction"]
    assert set(clean["entity_key"]) == {"hongbang"} and clean["score"].sum() == pytest.approx(94.7)
    assert [(p.row, p.column, p.code, p.severity) for p in problems] == [(3, "Điểm", "decimal_comma", "notice")]


def test_the_wide_form_one_row_per_period(refs):
    clean, problems = check(refs, {"Kỳ": ["2026-Q1", "2026-Q2"], "publicity": [17, 18], "progress": [19, None],
                                   "Số hóa hồ sơ": [20, 21], "online": [22, 21], "Mức độ hài lòng": [16, "x"]})
    assert len(clean) == 8  # the blank cell is no reading; "x" is an error
    assert [(p.row, p.column, p.code) for p in problems if p.severity == "error"] == [(3, "Mức độ hài lòng", "score")]


@pytest.mark.parametrize("change, column, code, expected_vi", [
    pytest.param({"Điểm": [19, 19.2, 20, 21, 17]}, "Điểm", "score", "từ 0 đến 18", id="over-the-group-maximum"),
    pytest.param({"Điểm": [17.5, 19.2, 23, 21, 17]}, "Điểm", "score", "chưa xác định", id="over-22-unknown-max"),
    pytest.param({"Điểm": [17.5, -1, 20, 21, 17]}, "Điểm", "score", "từ 0 đến 20", id="negative"),
    pytest.param({"Nhóm": ["Công khai", "Tiến độ, kết quả giải quyết", "Số hóa hồ sơ", "online", "Mức độ hài lòng"]},
                 "Nhóm", "unknown_group", 'có phải "Công khai, minh bạch"', id="group-suggestion"),
    pytest.param({"Kỳ": ["2026-Q1"] * 4 + ["quý năm"]}, "Kỳ", "period", "2026-03", id="bad-period"),
    pytest.param({"Đơn vị": ["Hồng Bàn", None, None, None, None]}, "Đơn vị", "unknown_entity", "có phải", id="entity-suggestion"),
    pytest.param({"Nhóm": ["publicity"] * 2 + ["Số hóa hồ sơ", "online", "Mức độ hài lòng"],
                  "Điểm": [17.5, 17, 20, 21, 17]}, "Nhóm", "duplicate",
                 "trùng với dòng 2", id="duplicate"),
])
def test_problems(refs, change, column, code, expected_vi):
    rows = {**FULL, **change}
    clean, problems = check(refs, rows)
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, [p.message() for p in problems]
    assert (errors[0].sheet, errors[0].column, errors[0].code) == ("Chỉ số phục vụ", column, code)
    assert expected_vi in errors[0].expected_vi
    assert len(clean) < 5


def test_a_blank_source_is_recorded_as_entered_with_a_notice(refs):
    clean, problems = check(refs, {k: v for k, v in FULL.items() if k != "Nguồn"})
    assert set(clean["source"]) == {'Nhập liệu từ trang tính "Chỉ số phục vụ"'}
    assert [p.code for p in problems if p.severity == "notice"][-1] == "source_default"


@pytest.mark.parametrize("total, band", [(100, "xuat_sac"), (90, "xuat_sac"), (89.99, "unknown"), (50, "unknown"),
                                         (49.99, "yeu"), (0, "yeu"), (None, "no_data")])
def test_bands_only_where_published(total, band):
    assert service_index.band(total) == band


def test_a_period_missing_a_group_has_no_total():
    long = pd.DataFrame({"period": ["2026-Q1"] * 2 + ["2026-Q2"], "group_code": ["a", "b", "a"],
                         "score": [40.0, 50.0, 45.0]})
    table = service.readings_table(long, ["a", "b"])
    assert table["total"].tolist()[0] == 90.0 and pd.isna(table["total"].tolist()[1])
    assert table["band"].tolist() == ["xuat_sac", "no_data"]


def open_service(lang="vi") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    goto(at, "service")
    at.run()
    assert not at.exception, at.exception
    return at


def test_empty_state_says_how_to_enter_readings(app_db):
    at = open_service()
    assert at.title[0].value == "Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"
    assert any("mẫu nhập liệu" in i.value for i in at.info)
    groups = at.dataframe[0].value
    assert groups["Điểm tối đa"].tolist() == ["18", "20", "Chưa xác định", "Chưa xác định", "18"]
    assert not at.get("plotly_chart")


def test_readings_show_total_band_trend_and_chart(app_db, refs):
    rows = {**FULL, "Kỳ": ["2026-Q1"] * 5}
    q2 = {**FULL, "Kỳ": ["2026-Q2"] * 5, "Điểm": [15, 15, 10, 10, 15]}
    clean1, _ = check(refs, rows)
    clean2, _ = check(refs, q2)
    with storage.connect(app_db) as con, storage.transaction(con):
        counts = service_db.service_upsert_readings(con, pd.concat([clean1, clean2]), user="an")
    assert counts["added"] == 10
    at = open_service()
    metrics = {m.label: m for m in at.metric}
    latest = metrics["Tổng điểm gần nhất (2026-Q2)"]
    assert latest.value == "65,00/100" and latest.delta.startswith("-29,70")
    assert metrics["Xếp loại"].value == "chưa xác định"  # 50–90: the band is not published
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [tr["name"] for tr in spec["data"]][:2] == ["Công khai, minh bạch", "Tiến độ, kết quả giải quyết"]
    assert spec["data"][0]["x"] == ["Quý 1/2026", "Quý 2/2026"] and spec["data"][0]["y"] == [17.5, 15]
    assert {a["text"] for a in spec["layout"]["annotations"]} >= {"<b>94,7</b>", "<b>65,0</b>"}
    with storage.connect(app_db, read_only=True) as con:
        assert set(audit_db.load_audit(con)["action"]) >= {"service_reading.upsert"}


def test_the_pair_and_the_five_totals_are_checked_per_period(refs):
    """With maxima that allow it, a pair over 44 points or five groups over 100 are refused per period
    (row of the period's last reading), and only that period's readings are dropped."""
    groups, entities = refs
    wide = groups.assign(max_points=groups["code"].map({"publicity": 40.0, "digitisation": 30.0, "online": 30.0})
                         .fillna(groups["max_points"]))
    rows = {"Kỳ": ["2026-Q1"] * 5 + ["2026-Q2"] * 5 + ["2026-Q3"] * 5,
            "Nhóm": ["publicity", "progress", "digitisation", "online", "satisfaction"] * 3,
            "Điểm": [17.5, 19.2, 25, 25, 17, 35, 19, 20, 20, 17, 17, 19, 20, 21, 17]}
    clean, problems = service_readings.validate_service_readings(pd.DataFrame(rows), groups=wide, entities=entities,
                                                        sheet="Chỉ số phục vụ")
    assert [(p.row, p.code, p.found) for p in problems if p.severity == "error"] == [
        (5, "pair_total", "50,00"), (6, "total", "103,70"), (11, "total", "111,00")]
    assert set(clean["period"]) == {"2026-Q3"} and clean["score"].sum() == pytest.approx(94)
