"""The written commentary: exact sentences in both languages for each rule, and every number a
sentence states equal to the number the chart next to it draws."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pci_metrics.base.i18n import fmt_num
from pci_metrics.domain.trends import Latest, latest_of
from pci_metrics.store import storage
from pci_metrics.views import commentary, compare, dashboard, priority, scorecard
from pci_metrics.views.commentary import SubChanges

NAME = {"vi": "Tính minh bạch", "en": "Transparency"}


def latest(year: int | None = 2019, value: float | None = 6.5, change: float | None = 0.6, note: str = "",
           rank: int | None = 50, n: int | None = 63) -> Latest:
    return Latest(year, value, rank, n, change, note, "published", "x")


MEASURE_CASES = [
    pytest.param(latest(change=0.6), [], (
        "Năm 2019, Tính minh bạch của Hải Phòng đạt 6,50 điểm, tăng 0,60 điểm so với năm 2018.",
        "In 2019, Hải Phòng's Transparency was 6.50, up 0.60 points on 2018."), id="rise"),
    pytest.param(latest(change=-0.6), [], (
        "Năm 2019, Tính minh bạch của Hải Phòng đạt 6,50 điểm, giảm 0,60 điểm so với năm 2018.",
        "In 2019, Hải Phòng's Transparency was 6.50, down 0.60 points on 2018."), id="fall"),
    pytest.param(latest(change=0.001), [], (
        "Năm 2019, Tính minh bạch của Hải Phòng đạt 6,50 điểm, không đổi so với năm 2018.",
        "In 2019, Hải Phòng's Transparency was 6.50, unchanged on 2018."), id="flat-as-shown"),
    pytest.param(latest(value=None, year=None, change=None, note="no_prev"), [], (
        "Chưa có số liệu về Tính minh bạch của Hải Phòng.",
        "There are no figures yet for Hải Phòng's Transparency."), id="missing-value"),
    pytest.param(latest(year=2022, value=6.22, change=None, note="break"), [], (
        "Năm 2022, Tính minh bạch của Hải Phòng đạt 6,22 điểm; không so sánh với năm 2021 vì phương pháp tính "
        "đã thay đổi.",
        "In 2022, Hải Phòng's Transparency was 6.22; it is not compared with 2021 because the methodology "
        "changed."), id="break-between-years"),
    pytest.param(latest(change=None, note="no_prev"), [], (
        "Năm 2019, Tính minh bạch của Hải Phòng đạt 6,50 điểm; năm 2018 chưa có số liệu để so sánh.",
        "In 2019, Hải Phòng's Transparency was 6.50; 2018 has no figure to compare with."), id="previous-missing"),
    pytest.param(latest(change=-0.6), ["Đất đai", "Lao động"], (
        "Năm 2019, Tính minh bạch (giá trị kế thừa: trung bình của Đất đai và Lao động) của Hải Phòng đạt 6,50 "
        "điểm, giảm 0,60 điểm so với năm 2018.",
        "In 2019, Hải Phòng's Transparency (a lineage value: the mean of Đất đai and Lao động) was 6.50, down "
        "0.60 points on 2018."), id="lineage-priority"),
]


@pytest.mark.parametrize(("lt", "classic", "expected"), MEASURE_CASES)
def test_the_value_and_its_change_in_both_languages(lt: Latest, classic: list[str], expected: tuple[str, str]) -> None:
    for lg, want in zip(("vi", "en"), expected, strict=True):
        assert commentary.measure_sentence(NAME[lg], lt, lg, classic_names=classic).text == want


def subs(changes: dict[str, float | None], comparable: bool = True) -> SubChanges:
    frame = pd.DataFrame({"code": list(changes), "name_vi": [f"{c} vi" for c in changes],
                          "name_en": [f"{c} en" for c in changes], "change": list(changes.values())})
    return SubChanges(2019, 2018, comparable, frame)


SUBS_CASES = [
    pytest.param(subs({"a": 0.3, "b": -0.6, "c": 0.1, "d": None}), (
        ["Năm 2019, trong 3 chỉ số thành phần, a vi tăng nhiều nhất: 0,30 điểm so với năm 2018.",
         "Năm 2019, trong 3 chỉ số thành phần, b vi giảm nhiều nhất: 0,60 điểm so với năm 2018."],
        ["In 2019, of the 3 sub-indices, a en rose most: 0.30 points on 2018.",
         "In 2019, of the 3 sub-indices, b en fell most: 0.60 points on 2018."]), id="largest-change"),
    pytest.param(subs({"a": 0.304, "b": 0.3, "c": 0.1}), (
        ["Năm 2019, trong 3 chỉ số thành phần, a vi và b vi cùng tăng nhiều nhất: 0,30 điểm so với năm 2018.",
         "Năm 2019, không chỉ số thành phần nào giảm so với năm 2018."],
        ["In 2019, of the 3 sub-indices, a en and b en rose most, equally: 0.30 points on 2018.",
         "In 2019, no sub-index fell on 2018."]), id="tie"),
    pytest.param(subs({"a": 0.3}, comparable=False), (
        ["Các chỉ số thành phần năm 2019 tính theo phương pháp mới, nên không so sánh với năm 2018."],
        ["The 2019 sub-indices follow a new methodology, so they are not compared with 2018."]), id="break"),
    pytest.param(subs({"a": None}), (
        ["Chưa có đủ số liệu chỉ số thành phần của hai năm liền nhau để so sánh."],
        ["There are not yet sub-index figures for two consecutive years to compare."]), id="missing"),
]


@pytest.mark.parametrize(("s", "expected"), SUBS_CASES)
def test_the_largest_sub_index_changes_in_both_languages(s: SubChanges, expected: tuple[list[str], list[str]]) -> None:
    for lg, want in zip(("vi", "en"), expected, strict=True):
        assert [x.text for x in commentary.subs_sentences(s, lg)] == want


TARGET_CASES = [
    pytest.param(latest(rank=1), {"year": 2026, "target_score": None, "target_rank": 5, "source": "QĐ / Decision"},
                 "not_due", (
                     "Mục tiêu năm 2026: hạng 5; so với hạng năm 2019: đã đạt (hạng 5). Trạng thái: ○ Chưa đến kỳ "
                     "đánh giá.",
                     "Target for 2026: rank 5; against the 2019 rank: reached (rank 5). Status: ○ Not yet due."),
                 id="rank-reached-not-due"),
    pytest.param(latest(value=6.5), {"year": 2019, "target_score": 7.0, "target_rank": None, "source": "x"},
                 "off_track", (
                     "Mục tiêu năm 2019: 7,00 điểm; so với số liệu năm 2019: còn thiếu 0,50 điểm. Trạng thái: ■ Chưa "
                     "đạt.",
                     "Target for 2019: 7.00; against the 2019 figure: 0.50 points short. Status: ■ Off track."),
                 id="points-short"),
    pytest.param(latest(value=None, year=None), {"year": 2026, "target_score": 7.0, "target_rank": None,
                                                   "source": "x"}, "no_data", (
        "Mục tiêu năm 2026: 7,00; chưa có số liệu để tính khoảng cách. Trạng thái: – Chưa có số liệu.",
        "Target for 2026: 7.00; no figure yet to measure the gap. Status: – No data."), id="missing-value"),
    pytest.param(latest(), None, "no_target", ("Chưa có mục tiêu cho Tính minh bạch.",
                                               "No target is set for Transparency."), id="no-target"),
]


@pytest.mark.parametrize(("lt", "target", "status", "expected"), TARGET_CASES)
def test_the_gap_to_the_target_in_both_languages(lt: Latest, target: dict[str, object] | None, status: str,
                                                 expected: tuple[str, str]) -> None:
    for lg, want in zip(("vi", "en"), expected, strict=True):
        assert commentary.target_sentence(NAME[lg], lt, target, status, lg).text == want


def test_rank_is_said_or_said_to_be_unknown() -> None:
    assert commentary.rank_sentence(latest(), "vi").text == "Về xếp hạng, Hải Phòng đứng thứ 50/63 năm 2019."
    assert commentary.rank_sentence(latest(rank=None), "en").text == "Its 2019 rank: no figure yet."
    assert commentary.rank_sentence(latest(value=None, year=None), "vi") is None


# --- every number in a sentence is the chart's number -----------------------------------------

NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def stated(words: commentary.Commentary, lang: str) -> set[str]:
    """The numbers the sentences show (not the footnote marks)."""
    return {n for s in words.sentences for n in NUMBER.findall(s.text)}


def shown(values: list[float], lang: str) -> set[str]:
    return {fmt_num(v, lang) for v in values} | {str(int(v)) for v in values if float(v).is_integer()}


@pytest.fixture(scope="module")
def models(built_db: Path) -> dict[str, object]:
    with storage.connect(built_db, read_only=True) as con:
        return {"overview": dashboard.overview_model(con), "scorecard": scorecard.scorecard_model(con),
                "priority": priority.priority_model(con, "transparency_accountability", "2026-03-01"),
                "compare": compare.compare_model(con, ("haiphong", "quangninh", "danang"), 2019, 2013, 2019)}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_number_in_the_overview_commentary_is_the_charts(models: dict[str, object], lang: str) -> None:
    m, sc = models["overview"], models["scorecard"]
    assert isinstance(m, dashboard.OverviewModel) and isinstance(sc, scorecard.ScorecardModel)
    words = commentary.overview_commentary(m, sc.rows, lang)
    chart = m.table().dropna(subset=["haiphong"])  # the composite chart's and the rank chart's data
    last, before = chart.iloc[-1], chart.iloc[-2]
    assert words.sentences[0].numbers == pytest.approx((last["haiphong"], last["haiphong"] - before["haiphong"]))
    assert words.sentences[1].numbers == (last["rank"], last["rank_of"])
    allowed = shown([last["haiphong"], abs(last["haiphong"] - before["haiphong"]), last["rank"], last["rank_of"],
                     5, 2026, 2024, 2023, 2022, 2021], lang)
    assert stated(words, lang) <= allowed, stated(words, lang) - allowed
    assert fmt_num(last["haiphong"], lang) in words.sentences[0].text
    assert words.footnotes(lang) and all(s.source for s in words.sentences[:2])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_number_in_a_priority_commentary_is_the_charts(models: dict[str, object], lang: str) -> None:
    m = models["priority"]
    assert isinstance(m, priority.PriorityModel)
    words = commentary.priority_commentary(m, lang)
    series = m.series.dropna(subset=["value"])  # the trend chart's Hải Phòng line
    lt, _ = latest_of(series)
    last = series.iloc[-1]
    assert words.sentences[0].numbers == (last["value"],)  # 2022: a break, so no change is stated
    assert stated(words, lang) <= shown([last["value"], int(last["year"]), int(last["year"]) - 1], lang)
    assert lt.change is None and ("2021" in words.sentences[0].text)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_number_in_the_compare_commentary_is_the_charts(models: dict[str, object], lang: str) -> None:
    m = models["compare"]
    assert isinstance(m, compare.CompareModel)
    words = commentary.compare_commentary(m, lang)
    comp = m.scores[m.scores["code"] == "composite"]  # the scores table's composite, the leaders table's gaps
    gaps = m.leaders["gap"].dropna().tolist()
    numbers = [*comp["value"], *comp["rank"].dropna(), *comp["rank_of"].dropna(), *gaps, m.year]
    assert {n for s in words.sentences for n in s.numbers} <= set(numbers)
    assert stated(words, lang) <= shown(numbers, lang), stated(words, lang) - shown(numbers, lang)
    assert any(fmt_num(max(gaps), lang) in s.text for s in words.sentences)


# --- where the commentary is read: the pages and the quarterly report -------------------------

def test_the_overview_shows_the_commentary_with_its_sources(app_db: Path) -> None:
    from tests.test_pages import run_app

    at = run_app("overview")
    lines = [m.value for m in at.markdown if "điểm PCI tổng hợp" in m.value]
    assert lines and "74,84 điểm, tăng 4,50 điểm so với năm 2023" in lines[0].replace("\\", "")
    assert "{" not in lines[0] and "None" not in lines[0]
    assert any("Nguồn của các số trong nhận định" in c.value and "[1]" in c.value.replace("\\", "") for c in at.caption)
    # the projection: PCI 2026 follows a new methodology with no figures yet, and the page says so
    assert any(i.value.replace("\\", "").startswith("Dự báo điểm PCI tổng hợp năm 2026: chưa đủ số liệu để dự báo")
               for i in at.info)
    assert any(c.value.startswith("Phương pháp: đường xu hướng Theil–Sen") for c in at.caption)


def test_the_quarterly_report_prints_the_same_commentary(built_db: Path) -> None:
    import io

    import docx

    from pci_metrics.outputs import reports

    data = reports.render(str(built_db), "2026-Q1", "docx", today="2026-03-01", images=False)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    with storage.connect(built_db, read_only=True) as con:
        m, sc = dashboard.overview_model(con), scorecard.scorecard_model(con)
    for line in commentary.overview_commentary(m, sc.rows, "vi").lines():
        assert "- " + line in text
    assert "Năm 2022, Tính minh bạch và trách nhiệm giải trình (giá trị kế thừa từ Tính minh bạch)" in text


def test_a_slide_names_the_sites_the_report_gives_the_whole_address() -> None:
    words = commentary.Commentary([commentary.Sentence("A.", "https://www.pcivietnam.vn/en/provinces/hai-phong; "
                                                              "https://vietnamnews.vn/economy/1717104/x.htm")])
    assert words.footnotes("vi", short=True) == ["[1] pcivietnam.vn; vietnamnews.vn"]
    assert words.footnotes("en") == ["[1] https://www.pcivietnam.vn/en/provinces/hai-phong; "
                                     "https://vietnamnews.vn/economy/1717104/x.htm"]
    assert words.lines() == ["A. [1]"]


def test_a_priority_that_is_one_sub_index_says_when_it_moved_most() -> None:
    from types import SimpleNamespace

    lineage = pd.DataFrame({"classic_code": ["b"]})
    m = SimpleNamespace(kind="lineage", lineage=lineage, code="p")
    s = subs({"a": 0.3, "b": -0.6, "c": 0.1})
    most = commentary._is_most(m, latest(change=-0.6), s, "vi")
    assert most is not None and most.text == "Đây là mức giảm lớn nhất trong 3 chỉ số thành phần năm 2019."
    assert commentary._is_most(m, latest(change=-0.6), s, "en").text == (  # type: ignore[union-attr]
        "This is the largest fall among the 3 sub-indices in 2019.")
    assert commentary._is_most(m, latest(change=None, note="break"), s, "vi") is None  # never across a break
    assert commentary._is_most(m, latest(), subs({"b": -0.6}, comparable=False), "vi") is None
