"""The period reports (issue 5): the .docx read back with python-docx, the .xlsx annex read back with
openpyxl, the CLI, and the analyst's whole quarter end to end (template → import → page model → report)."""

from __future__ import annotations

import io
import shutil
from datetime import date

import docx
import openpyxl
import pandas as pd
import pytest

from pci_metrics.base.i18n import fmt_num
from pci_metrics.cli.main import main
from pci_metrics.domain import task_status
from pci_metrics.imports import task_reports
from pci_metrics.outputs import reports
from pci_metrics.store import reference_db, storage, tasks_db
from pci_metrics.views import history, tasks

TODAY = date(2026, 3, 16)


def quarter(db) -> None:
    """Q1 2026 as the units reported it, plus a deadline an analyst set for T01."""
    with storage.connect(db) as con:
        tasks.save_task_edits(con, [tasks.TaskEdit("T01", deadline=date(2026, 3, 1), lead=("kt_ht_dt",))], user="t")
        clean, problems = task_reports.validate_task_reports(
            pd.DataFrame({"task_id": ["T12", "T13", "T14"], "period": ["2026-Q1"] * 3,
                          "status": ["Hoàn thành", "Đang thực hiện", "Chậm tiến độ"], "progress": [100, 40, 10],
                          "outcome": ["Đã đôn đốc 12 đơn vị", "Đã làm việc với Quảng Ninh", "=SUM(A1:A9)"],
                          "evidence": ["CV 15/KT-HT&ĐT", "", "@evil"]}),
            tasks=tasks_db.load_tasks(con), units=tasks_db.load_units(con), sheet="x")
        assert not [p for p in problems if p.severity == "error"]
        tasks.save_reports(con, clean, user="t")


@pytest.fixture(scope="module")
def quarter_db(built_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("rep") / "pci.duckdb"
    shutil.copy(built_db, path)
    quarter(path)
    return path


@pytest.fixture(scope="module")
def report_vi(quarter_db):
    """The Q1 report with its charts (kaleido renders them once for the module)."""
    data = reports.render(str(quarter_db), "2026-Q1", "docx", lang="vi", today=TODAY)
    return docx.Document(io.BytesIO(data))


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_docx_has_the_administrative_layout(report_vi):
    head = report_vi.tables[0]
    assert head.cell(0, 1).text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert head.cell(0, 0).text.startswith("ỦY BAN NHÂN DÂN\nPHƯỜNG HỒNG BÀNG")
    assert head.cell(1, 0).text.strip().startswith("Số:") and "/BC-UBND" in head.cell(1, 0).text
    assert head.cell(1, 1).text == "Hồng Bàng, ngày      tháng 3 năm 2026"  # the day is left for the signer
    body = [p.text for p in report_vi.paragraphs]
    i = body.index("BÁO CÁO")
    assert body[i + 1].startswith("Kết quả thực hiện Kế hoạch nâng cao chỉ số năng lực cạnh tranh (PCI)")
    assert body[i + 1].endswith("quý I năm 2026")
    foot = report_vi.tables[-1]
    assert foot.cell(0, 0).text.startswith("Nơi nhận:") and "UBND thành phố (để b/c)" in foot.cell(0, 0).text
    assert foot.cell(0, 1).text.startswith("TM. ỦY BAN NHÂN DÂN")
    section = report_vi.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 1) == 3.0
    assert report_vi.styles["Normal"].font.name == "Times New Roman"


def test_docx_states_each_priority_with_figures_from_the_database(report_vi, quarter_db):
    text = text_of(report_vi)
    with storage.connect(quarter_db, read_only=True) as con:
        prios = reference_db.load_priorities(con)
        for r in storage.records(prios):
            series = history.lineage_series(con, "haiphong", r.framework_id, r.code).dropna(subset=["value"])
            latest = series.iloc[-1]
            assert f"{r.name_vi}" in text
            assert f"Giá trị gần nhất: {fmt_num(latest['value'], 'vi')} điểm (năm {int(latest['year'])}" in text
    assert text.count("Mục tiêu: chưa có mục tiêu.") == len(prios)  # no target entered: said, never invented
    # one chart per priority and the status chart, as images
    assert len(report_vi.inline_shapes) == len(prios) + 1


def test_docx_reports_task_outcomes_by_unit_overdue_and_missing(report_vi):
    text = text_of(report_vi)
    assert "Tổng số 14 nhiệm vụ: Chưa thực hiện 0; Đang thực hiện 1; Hoàn thành 1; Chậm tiến độ 2; Chưa có báo cáo 10." \
        in text
    assert "Đã đôn đốc 12 đơn vị" in text and "CV 15/KT-HT&ĐT" in text
    assert "T01 – Tạo điều kiện" in text and "thời hạn 01/03/2026, chưa hoàn thành" in text
    assert "Đơn vị khác: chưa báo cáo nhiệm vụ T09, T10, T11." in text
    assert "Phòng KT-HT&ĐT: chưa báo cáo nhiệm vụ T01." in text
    assert "Chưa có số liệu của phường" in text  # service index: none entered


def test_docx_in_english_from_the_focal_unit(quarter_db):
    data = reports.render(str(quarter_db), "2026", "docx", lang="en", today=date(2026, 11, 27), issuer="focal",
                          images=False)
    document = docx.Document(io.BytesIO(data))
    text = text_of(document)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in text and "Independence - Freedom - Happiness" in text
    assert "ECONOMY, INFRASTRUCTURE AND URBAN AFFAIRS DIVISION" in text and "HEAD OF DIVISION" in text
    assert "Market entry" in text and "Target: no target set." in text
    assert "the year 2026" in text and len(document.inline_shapes) == 0


def test_xlsx_annex_lists_the_periods_tasks_as_inert_text(quarter_db):
    data = reports.render(str(quarter_db), "2026-Q1", "xlsx", lang="vi", today=TODAY)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Nhiệm vụ", "Đơn vị báo cáo", "Lịch sử báo cáo", "Lịch báo cáo"]
    ws = wb["Nhiệm vụ"]
    assert ws["A1"].value.startswith("Phụ lục: nhiệm vụ và kết quả thực hiện, Quý 1/2026")
    header = [c.value for c in ws[2]]
    assert header[:3] == ["Mã", "Nhiệm vụ", "Chỉ số thành phần"] and "Trạng thái" in header
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)}
    assert len(rows) == 14 and rows["T12"]["Trạng thái"] == "Hoàn thành" and rows["T12"]["Tiến độ (%)"] == 100
    assert rows["T01"]["Trạng thái"] == "Chậm tiến độ" and rows["T01"]["Thời hạn hoàn thành"] == "01/03/2026"
    formula_like = [c for row in ws.iter_rows(min_row=3) for c in row if c.value in ("=SUM(A1:A9)", "@evil")]
    assert len(formula_like) == 2 and all(c.data_type == "s" and c.quotePrefix for c in formula_like)
    units = {r[0]: r for r in wb["Đơn vị báo cáo"].iter_rows(min_row=3, values_only=True)}
    assert units["Phòng KT-HT&ĐT"][3] == "T01" and units["Phòng VH-XH"][4] == "Có"


@pytest.mark.parametrize("argv_tail, code, message", [
    pytest.param(["--period", "2026-Q1", "--out", "r.xlsx"], 0, "Đã ghi / wrote", id="xlsx"),
    pytest.param(["--period", "2026-Q4", "--out", "r.docx"], 2, "báo cáo năm thay quý IV", id="no-Q4"),
    pytest.param(["--period", "2024", "--out", "r.docx"], 2, "không có kỳ báo cáo 2024", id="outside-the-plan"),
    pytest.param(["--period", "2026", "--out", "r.pdf"], 2, ".docx hoặc .xlsx", id="wrong-format"),
    pytest.param(["--period", "2026", "--out", "r.docx", "--today", "16/3/2026"], 2, "YYYY-MM-DD", id="bad-date"),
])
def test_cli_report(quarter_db, tmp_path, capsys, argv_tail, code, message):
    argv = ["report", "--db", str(quarter_db), *[str(tmp_path / a) if a.startswith("r.") else a for a in argv_tail]]
    assert main(argv) == code
    out = capsys.readouterr()
    assert message in (out.out + out.err)
    if code == 0:
        assert openpyxl.load_workbook(tmp_path / "r.xlsx")["Nhiệm vụ"].max_row == 16


def test_cli_docx_without_charts(quarter_db, tmp_path):
    out = tmp_path / "bc.docx"
    assert main(["report", "--db", str(quarter_db), "--period", "2026-Q1", "--out", str(out), "--today", "2026-03-16",
                 "--no-charts"]) == 0
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text_of(docx.Document(str(out)))


def test_an_analysts_quarter_end_to_end(fresh_db):
    """Fill the import template's task-report sheet, import it, see overdue tasks and missing reports,
    then produce the quarterly report that says the same."""
    from pci_metrics.imports import ingest, template
    from pci_metrics.views import unit_reports

    with storage.connect(fresh_db) as con:
        wb = openpyxl.load_workbook(io.BytesIO(template.build_template(con)))
        tasks.save_task_edits(con, [tasks.TaskEdit("T13", deadline=date(2026, 3, 10))], user="an")
    ws = wb["Báo cáo nhiệm vụ"]
    for row in (["T12", "2026-Q1", "Phòng KT-HT&ĐT", "Hoàn thành", 100, "Đã đôn đốc", "CV 15"],
                ["T13", "2026-Q1", "Phòng KT-HT&ĐT", "Đang thực hiện", "60,5", "Đang học hỏi", None],
                ["T14", "2026-Q1", "Phòng VH-XH", "Hoàn thành", 100, "Đã tuyên truyền", "Bản tin số 3"]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    outcome = ingest.import_file(str(fresh_db), buf.getvalue(), "bao-cao-quy-1.xlsx", user="an")
    assert outcome.added == 3
    with storage.connect(fresh_db) as con:  # loaded as submitted on the units' behalf; the focal office accepts
        pending = tasks_db.load_task_reports(con)
        assert set(pending["state"]) == {"submitted"} and pending["on_behalf"].all() and set(pending["submitted_by"]) == {"an"}
        assert tasks.tasks_model(con, "2026-Q1", TODAY).tasks.set_index("task_id").at["T12", "status"] == "chua_bao_cao"
        unit_reports.set_membership(con, unit_reports.Actor("quan-tri", "admin"), "hoa", "kt_ht_dt", "follower")
        for task_id in ("T12", "T13", "T14"):
            unit_reports.review(con, unit_reports.actor_of(con, "hoa", "viewer"), task_id, "2026-Q1", accept=True)
    with storage.connect(fresh_db, read_only=True) as con:
        model = tasks.tasks_model(con, "2026-Q1", TODAY)
        saved = tasks_db.load_task_reports(con).set_index("task_id")
    assert saved.at["T13", "progress"] == 60.5  # the decimal comma, read
    assert model.overdue["task_id"].tolist() == ["T13"]  # deadline 10/3 passed, only 60.5 % done
    status = dict(zip(model.tasks["task_id"], model.tasks["status"], strict=True))
    assert (status["T12"], status["T13"], status["T14"]) == (task_status.DONE, task_status.LATE, task_status.DONE)
    missing = model.missing.set_index("unit_key")
    assert not missing.at["khac", "has_reported"] and missing.at["khac", "missing"] == "T09, T10, T11"
    assert missing.loc[["kt_ht_dt", "vh_xh", "tt_pvhcc", "tt_snc"], "has_reported"].all()
    document = docx.Document(io.BytesIO(reports.render(str(fresh_db), "2026-Q1", "docx", today=TODAY, images=False)))
    text = text_of(document)
    assert "Đã tuyên truyền" in text and "Bản tin số 3" in text
    assert "T13 – " in text and "thời hạn 10/03/2026, chưa hoàn thành" in text
    assert "Đơn vị khác: chưa báo cáo nhiệm vụ T09, T10, T11." in text
