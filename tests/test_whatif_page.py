"""The what-if page in AppTest: widgets found by key, metrics and chart data asserted, the URL kept."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import APP, goto


def open_page(lang: str = "vi", **params: str) -> AppTest:
    """Open /whatif as a link would: the query string first, then the page."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.query_params.update(params)
    goto(at, "whatif")
    at.run()
    assert not at.exception, at.exception
    return at


def shown(elements) -> str:
    """The text of info/warning boxes as a reader sees it (data-bearing texts are Markdown-escaped)."""
    return " ".join(e.value.replace("\\", "") for e in elements)


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def chart(at: AppTest, key: str) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.key).proto.spec)


def test_default_is_2022_composite_only_and_says_why(app_db) -> None:
    at = open_page()
    assert at.selectbox(key="wi_entity").value == "haiphong" and at.selectbox(key="wi_year").value == 2022
    assert metrics(at)["Điểm tổng hợp"] == ("70,76", "")
    assert metrics(at)["Xếp hạng"][0] == "hạng 3/63"
    infos = shown(at.info)
    assert "chỉ các năm 2005–2019 có đủ" in infos and "chỉ mô phỏng được điểm tổng hợp" in infos
    # marginal value chart: 15 % sub-indices are worth 1.5 composite points a point, 5 % ones 0.5
    spec = chart(at, "whatif_marginal")
    per_point = dict(zip(spec["data"][0]["y"], spec["data"][0]["x"], strict=True))
    assert per_point["Chi phí không chính thức"] == 1.5 and per_point["Tính minh bạch"] == 0.5
    assert len(spec["data"]) == 1  # the year's best scores are unknown: no gap-closing bars
    assert spec["layout"]["separators"] == ",."


def test_slider_moves_composite_and_rank_and_url(app_db) -> None:
    at = open_page(wi_year="2019")
    assert metrics(at)["Xếp hạng"][0] == "hạng 10/63"
    at.select_slider(key="wi_d_transparency").set_value(0.5)
    at.run()
    # Hải Phòng 2019, +0.5 transparency at 20 %: +1,00 point; 69,73 passes four provinces.
    assert metrics(at)["Điểm tổng hợp"] == ("69,73", "+1,00")
    assert metrics(at)["Xếp hạng"] == ("hạng 6/63", "+4 bậc")
    assert at.query_params["wi_d_transparency"] == "0.5" and at.query_params["wi_year"] == "2019"
    spec = chart(at, "whatif_standings")
    dots = dict(zip(spec["data"][0]["y"], spec["data"][0]["x"], strict=True))
    assert dots["6. Hải Phòng"] == pytest.approx(69.7325, abs=1e-4)
    assert spec["data"][1]["x"] == [pytest.approx(68.7325, abs=1e-4)]  # where it stood before
    # reset puts every slider back to 0 and clears them from the URL
    at.button(key="wi_reset").click()
    at.run()
    assert metrics(at)["Điểm tổng hợp"][0] == "68,73" and "wi_d_transparency" not in at.query_params


def test_a_link_with_slider_values_opens_the_same_simulation(app_db) -> None:
    at = open_page(wi_year="2019", wi_d_transparency="0.5", wi_d_labor="0.2", wi_rank="5")
    assert at.select_slider(key="wi_d_labor").value == 0.2
    assert metrics(at)["Điểm tổng hợp"] == ("70,13", "+1,40")
    assert at.number_input(key="wi_rank").value == 5
    plan = shown(at.info)
    assert "Để đạt hạng 5, cần ít nhất 0,71 điểm" in plan and "Đà Nẵng" in plan
    assert at.dataframe[0].value["Mức tăng (điểm)"].round(2).tolist() == [0.71]


@pytest.mark.parametrize("raw, expected", [("9", 3.5), ("0,53", 0.55), ("abc", 0.0), ("-99", -6.45)],
                         ids=["above-bound", "decimal-comma-off-grid", "not-a-number", "below-bound"])
def test_url_values_are_kept_on_the_scale(app_db, raw: str, expected: float) -> None:
    at = open_page(wi_year="2019", wi_d_transparency=raw)
    assert at.select_slider(key="wi_d_transparency").value == expected  # 6,4964 + change stays in 0–10


def test_unreachable_rank_says_so(app_db) -> None:
    at = open_page(wi_year="2019", wi_rank="1", wi_step="0.5")
    warning = shown(at.warning)
    assert "Không thể đạt hạng 1 trong giới hạn này" in warning and "Hạng tốt nhất có thể: 2/63" in warning


def test_pci2025_view_labels_every_result(app_db) -> None:
    at = open_page(wi_year="2019", wi_view="pci2025", wi_assume="equal", wi_d_transparency_accountability="0.5")
    tag = "giả định: trọng số bằng nhau"
    m = metrics(at)
    assert m[f"Điểm tổng hợp PCI 2025 ({tag})"][1] == "+1,00"  # 20 % × 0.5
    assert f"Xếp hạng ({tag})" in m
    assert any(tag in s.value for s in at.subheader)
    assert tag in chart(at, "whatif_marginal")["layout"]["title"]["text"]
    assert any("PCI 2025 chưa công bố trọng số" in i.value for i in at.info)


def test_pci2025_without_the_classic_data_says_what_is_missing(app_db) -> None:
    at = open_page(wi_year="2010", wi_view="pci2025")
    assert "Cạnh tranh bình đẳng (policy_bias)" in shown(at.warning) and "Nhập dữ liệu" in shown(at.warning)
    assert not at.metric


def test_english(app_db) -> None:
    at = open_page("en", wi_year="2019", wi_d_transparency="0.5")
    assert metrics(at)["Composite score"] == ("69.73", "+1.00")
    assert metrics(at)["Rank"] == ("rank 6 of 63", "+4 places")
    assert chart(at, "whatif_marginal")["layout"]["separators"] == ".,"


def test_a_hostile_score_source_is_shown_as_typed(app_db) -> None:
    """Score sources come from imported spreadsheets: the source line must not render them as Markdown/HTML."""
    from pci_metrics.store import storage

    hostile = "**pwn** [bấm](javascript:alert(1)) <b>x</b>"
    with storage.connect(app_db) as con, storage.transaction(con):
        con.execute("UPDATE score SET source = ? WHERE entity_key = 'haiphong' AND year = 2019", [hostile])
    at = open_page(wi_year="2019")
    line = next(c.value for c in at.caption if "pwn" in c.value)
    assert "\\*\\*pwn\\*\\*" in line and "\\<b\\>" in line and "\\[bấm\\]" in line
    for spec in (chart(at, "whatif_marginal"), chart(at, "whatif_standings")):
        assert "<b>" not in json.dumps(spec)
