"""The deck model (issue 6): which slides, what each says, projector-readable charts, handouts, CLI."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from pci_metrics.cli.main import main
from pci_metrics.outputs import charts, handout, slides
from pci_metrics.outputs.slides import Deck, KeyFigure, Slide
from pci_metrics.store import reference_db, storage, tables_db, tasks_db
from pci_metrics.views import tasks

TODAY = date(2026, 11, 27)
CHANGED = datetime(2026, 11, 20, 9, 30)
PRIORITIES = ["market_entry", "resource_access", "transparency_accountability", "private_economy",
              "proactivity_government"]
IDS = ["title", "composite", "rank", "commentary", "map", *[f"priority-{c}" for c in PRIORITIES], "units", "deadlines"]


def build(db: Path, lang: str = "vi", today: date = TODAY, codes: tuple[str, ...] | None = None) -> Deck:
    with storage.connect(db, read_only=True) as con:
        return slides.deck(con, lang, CHANGED, today, codes)


@pytest.fixture(scope="module")
def deck_vi(built_db: Path) -> Deck:
    return build(built_db)


@pytest.fixture(scope="module")
def deck_en(built_db: Path) -> Deck:
    return build(built_db, "en", codes=("market_entry",))


def slide(deck: Deck, slide_id: str) -> Slide:
    return deck.slides[deck.slide_ids().index(slide_id)]


def figures(s: Slide) -> dict[str, KeyFigure]:
    return {f.label: f for f in s.figures}


def test_the_deck_has_every_slide_in_order(deck_vi: Deck) -> None:
    assert deck_vi.slide_ids() == IDS
    assert all(s.title for s in deck_vi.slides)


def test_title_slide_names_the_plan_issuer_and_data_date(deck_vi: Deck) -> None:
    s = slide(deck_vi, "title")
    assert s.title.startswith("Kế hoạch nâng cao chỉ số năng lực cạnh tranh")
    assert s.subtitle == "UBND phường Hồng Bàng"
    f = figures(s)
    assert f["Số liệu đến năm"].value == "2024"
    assert f["Dữ liệu cập nhật"].value == "20/11/2026 09:30"
    assert f["Chỉ số ưu tiên"].value == "5" and f["Nhiệm vụ"].value == "14"
    assert s.bullets[0] == "1. Gia nhập thị trường"
    assert deck_vi.footer == "Số liệu đến năm 2024 · cập nhật 20/11/2026 09:30"
    assert deck_vi.filters == ["Tỉnh/thành: Hải Phòng", "Kế hoạch: hb-pci-2025-2026", "Chỉ số ưu tiên: tất cả (5)"]


def test_composite_and_rank_slides_show_the_published_numbers(deck_vi: Deck) -> None:
    comp = slide(deck_vi, "composite")
    f = figures(comp)
    assert f["Điểm tổng hợp 2024"].value == "74,84"
    assert f["Điểm tổng hợp 2024"].note == "+4,50 so với năm trước"
    assert f["Xếp hạng 2024"].value == "hạng 1/63"
    assert f["Trung vị 2024"].value == "67,67"
    hp = [t for t in comp.chart.data if t.name == "Hải Phòng"]
    assert 74.84 in [y for t in hp for y in t.y] and comp.chart.layout.separators == ",."
    assert any("top" in b or "30 địa phương" in b for b in comp.bullets)  # the top-30 rule is said
    rank = slide(deck_vi, "rank")
    assert [y for t in rank.chart.data for y in t.y][-1] == 1 and rank_on_top(rank.chart)


def rank_on_top(fig) -> bool:
    """Rank 1 at the top of the axis, with room above it for its label (an autorange cut it off)."""
    bottom, top = fig.layout.yaxis.range
    return fig.layout.yaxis.autorange is False and bottom > max(y for t in fig.data for y in t.y) and top < 0.5


def test_priority_slide_without_a_target_says_so_and_gives_the_gap_to_the_top(deck_vi: Deck) -> None:
    s = slide(deck_vi, "priority-market_entry")
    assert (s.title, s.subtitle) == ("Gia nhập thị trường", "Chỉ số ưu tiên 1/5")
    f = figures(s)
    assert f["Điểm gần nhất (2022)"].value == "6,45"
    assert f["Mục tiêu"].value == "Chưa có mục tiêu"
    gap = f["Khoảng cách đến tỉnh dẫn đầu (2019)"]
    assert re.fullmatch(r"còn \d+,\d\d điểm", gap.value)
    # the tasks that drive it, with their status (nobody has reported yet)
    assert len(s.bullets) == 2 and all(b.startswith("□ Chưa có báo cáo: ") for b in s.bullets)
    assert "hộ kinh doanh" in s.bullets[0]
    # the history rests on a lineage judgment, and the slide says whose
    assert "Nhóm phát triển dashboard" in s.source
    names = {t.name for t in s.chart.data}
    assert {"Hải Phòng (tính từ chỉ số cổ điển)", "Trung vị", "Tỉnh dẫn đầu"} <= names
    assert not s.chart.layout.shapes or all(sh.y0 != sh.y1 or sh.yref == "y domain" for sh in s.chart.layout.shapes)


def test_priority_slide_against_a_target(fresh_db: Path) -> None:
    with storage.connect(fresh_db) as con, storage.transaction(con):
        tables_db.append_rows(con, "target", pd.DataFrame([dict(
            plan_id="hb-pci-2025-2026", entity_key="hongbang", year=2026, framework_id="pci2025",
            code="market_entry", target_score=7.5, target_rank=None, source="test", entered_by="test",
            entered_at=None, batch_id=None)]))
    s = slide(build(fresh_db, codes=("market_entry",)), "priority-market_entry")
    f = figures(s)
    assert f["Mục tiêu 2026"].value == "7,50" and f["Mục tiêu 2026"].note == "○ Chưa đến kỳ đánh giá"
    assert f["Khoảng cách đến mục tiêu"].value == "còn 1,05 điểm"  # 7,50 − 6,45
    assert any(sh.y0 == 7.5 and sh.y1 == 7.5 for sh in s.chart.layout.shapes)  # the target line


def test_units_and_deadlines_follow_the_task_reports(fresh_db: Path) -> None:
    report = pd.DataFrame([dict(task_id="T12", period="2026", unit_key="kt_ht_dt", status="hoan_thanh",
                                progress=100.0, outcome="xong", evidence=None, reported_by=None, reported_at=None)])
    with storage.connect(fresh_db) as con, storage.transaction(con):
        tasks_db.tasks_upsert_reports(con, report, user="test")
    deck = build(fresh_db, codes=("market_entry",))
    units = slide(deck, "units")
    assert figures(units)["● Hoàn thành"].value == "1"
    done = [t for t in units.chart.data if t.name == "● Hoàn thành"][0]
    assert dict(zip(done.y, done.x, strict=True))["Phòng KT-HT&ĐT"] == 1
    assert len({t.marker.pattern.shape for t in units.chart.data}) == len(units.chart.data)  # not colour alone
    dl = slide(deck, "deadlines")
    assert figures(dl)["Đã báo cáo kỳ này"].value == "1/14"
    assert dl.chart is not None and 1 in list(dl.chart.data[0].x)


@pytest.mark.parametrize(("today", "due", "note"), [
    pytest.param(date(2026, 3, 10), "15/03/2026", "Báo cáo Quý 1/2026 · còn 5 ngày", id="before-Q1"),
    pytest.param(date(2026, 3, 15), "15/03/2026", "Báo cáo Quý 1/2026 · hôm nay", id="Q1-due-today"),
    pytest.param(date(2026, 9, 16), "05/12/2026", "Báo cáo năm 2026 · còn 80 ngày", id="no-Q4-report"),
    pytest.param(date(2026, 12, 6), None, None, id="plan-over"),
])
def test_next_deadlines_follow_the_reporting_calendar(built_db: Path, today: date, due: str | None,
                                                     note: str | None) -> None:
    with storage.connect(built_db, read_only=True) as con:
        tm = tasks.tasks_model(con, today=today)
        plan = storage.records(reference_db.load_plan(con))[0]
    s = slides.deadlines_slide(tm, plan, "vi", slides.PROJECTOR)
    if due is None:
        assert not s.figures and any("Không còn hạn nộp" in b for b in s.bullets)
    else:
        assert (s.figures[0].value, s.figures[0].note) == (due, note)
        assert s.bullets[0].startswith(due)
    assert s.bullets[-1].startswith("Quý: trước ngày 15 các tháng 3, 6, 9")


def test_every_chart_is_readable_on_a_projector(deck_vi: Deck) -> None:
    charted = [s for s in deck_vi.slides if s.chart is not None]
    assert len(charted) >= 8
    for s in charted:
        lay = s.chart.layout
        assert lay.font.size >= 18 and lay.legend.font.size >= 18, s.slide_id
        assert lay.xaxis.tickfont.size >= 18 and lay.yaxis.tickfont.size >= 18, s.slide_id
        assert all((a.font.size or lay.font.size) >= 18 for a in lay.annotations), s.slide_id
        lines = [t for t in s.chart.data if t.type == "scatter" and t.x and t.x[0] is not None]
        assert all(t.line.width >= 3 for t in lines) and all(t.marker.size >= 10 for t in lines), s.slide_id
        # every series differs by dash and marker, not by colour alone
        looks = {t.name: (t.line.dash, t.marker.symbol) for t in lines}
        assert len(set(looks.values())) == len(looks), s.slide_id


def test_projector_charts_leave_the_screen_look_alone(deck_vi: Deck) -> None:
    frame = pd.DataFrame({"year": [2012, 2013, 2014], "value": [5.0, 6.0, 6.5],
                          "framework_id": ["pci2009", "pci2013", "pci2013"]})
    screen = charts.trend_figure([("A", frame), ("B", frame)], lang="vi", style=charts.Style(), title="t", y_title="y")
    projector = charts.trend_figure([("A", frame), ("B", frame)], lang="vi", style=charts.Style(projector=True),
                                    title="t", y_title="y")
    # both name the break once in the legend (labels on the chart collided); references in the usual grey
    assert not screen.layout.annotations and screen.data[-1].name == "Thay đổi phương pháp"
    assert [t for t in screen.data if t.name == "B"][0].line.color == charts.GREY
    assert screen.layout.xaxis.tickvals == (2012, 2013, 2014)  # a few years: each one labelled
    # projector: a darker grey that survives washing out, and thicker dotted lines
    assert not projector.layout.annotations and projector.data[-1].name == "Thay đổi phương pháp"
    assert [t for t in projector.data if t.name == "B"][0].line.color == "#595959"
    assert projector.data[-1].line.width > screen.data[-1].line.width


def test_english_deck(deck_en: Deck) -> None:
    assert deck_en.slides[0].title.startswith("Plan to raise the Provincial Competitiveness Index")
    assert figures(slide(deck_en, "composite"))["Composite score 2024"].value == "74.84"
    assert slide(deck_en, "priority-market_entry").chart.layout.separators == ".,"
    assert figures(slide(deck_en, "priority-market_entry"))["Target"].value == "No target set"
    source = slide(deck_en, "priority-market_entry").source
    assert "Dashboard development team" in source and "Nhóm phát triển" not in source
    assert deck_en.footer == "Data up to 2024 · changed 2026-11-20 09:30"


def test_a_priority_filter_is_printed_on_every_page(built_db: Path) -> None:
    deck = build(built_db, codes=("transparency_accountability",))
    assert deck.slide_ids() == ["title", "composite", "rank", "commentary", "map", "priority-transparency_accountability",
                                "units",
                                "deadlines"]
    assert deck.filters[-1] == "Chỉ số ưu tiên: Tính minh bạch và trách nhiệm giải trình"
    html = handout.deck_html(deck)
    assert html.count("Chỉ số ưu tiên: Tính minh bạch và trách nhiệm giải trình") == len(deck.slides) + 1


def test_an_empty_database_gives_an_empty_deck(tmp_path: Path) -> None:
    from pci_metrics.store.build import build_database

    db = tmp_path / "empty.duckdb"
    build_database(db, empty=True)
    with storage.connect(db) as con, storage.transaction(con):
        tables_db.replace_rows(con, "plan", reference_db.load_plan(con).iloc[0:0])
    assert build(db).slides == []


@pytest.mark.parametrize(("text", "shown"), [
    pytest.param("*đậm* [link](http://x) <b>", r"\*đậm\* \[link\]\(http://x\) \<b\>", id="markdown-and-html"),
    pytest.param("Hải Phòng 74,84", "Hải Phòng 74,84", id="plain"),
    pytest.param("$x$ `code` # h", r"\$x\$ \`code\` \# h", id="latex-code-heading"),
])
def test_database_text_is_shown_literally(text: str, shown: str) -> None:
    assert slides.md_escape(text) == shown


def test_html_handout_is_self_contained_and_escapes_text(deck_vi: Deck) -> None:
    html = handout.deck_html(deck_vi)
    charted = sum(s.chart is not None for s in deck_vi.slides)
    assert html.count('class="plotly-graph-div"') == charted
    assert html.count("plotly.js v") >= 1 and html.count("Plotly.newPlot") == charted
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)  # nothing fetched (browser test: offline)
    assert html.count(deck_vi.footer) == len(deck_vi.slides) + 1  # every slide and the header
    evil = Deck("vi", [Slide("x", "<script>alert(1)</script>", bullets=["<img src=x onerror=alert(1)>"])],
                "<b>kế hoạch</b>", "UBND", 2024, None, ["<i>f</i>"])
    out = handout.deck_html(evil)
    assert "<script>alert" not in out and "<img src=x" not in out and "&lt;script&gt;" in out


def test_cli_deck_writes_html_and_refuses_bad_arguments(built_db: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "deck.html"
    assert main(["deck", "--db", str(built_db), "--out", str(out), "--lang", "en", "--priority", "market_entry"]) == 0
    assert "Exported 8 slides" in capsys.readouterr().out
    assert "Hải Phòng&#x27;s PCI composite score" in out.read_text(encoding="utf-8")
    assert main(["deck", "--db", str(built_db), "--out", str(tmp_path / "deck.pptx")]) == 2
    assert ".pdf hoặc .html" in capsys.readouterr().err
    assert main(["deck", "--db", str(built_db), "--out", str(out), "--priority", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF, counted from its page objects (no PDF library needed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


@pytest.mark.browser
def test_cli_deck_pdf_has_one_page_per_slide(built_db: Path, tmp_path: Path) -> None:
    if not Path(handout.CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    out = tmp_path / "deck.pdf"
    # a filtered deck (8 slides: title, composite, rank, commentary, map, one priority, units, deadlines)
    assert main(["deck", "--db", str(built_db), "--out", str(out), "--priority", "market_entry"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and pdf_pages(data) == 8
    assert len(re.findall(rb"/Subtype\s*/Image", data)) >= 4  # the charts, as images
