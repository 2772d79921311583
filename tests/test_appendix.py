"""The plan's appendix as data: tasks and units loaded from the template's "Nhiệm vụ" and "Đơn vị"
sheets (checked, previewed, one undoable batch), shown on the Tasks page, judged by the status rule
and listed in the quarterly report; a retired task leaves what is due but keeps its reports.

The appendix's task titles and the two units below are invented for the test; shipped data holds
only what the plan's text says."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pci_metrics.base.problems import InputError
from pci_metrics.imports import commit, forms, ingest, template
from pci_metrics.outputs import reports
from pci_metrics.store import audit_db, storage, tables_db, tasks_db
from pci_metrics.views import tasks
from tests.conftest import ROOT, xlsx_bytes
from tests.test_pages import goto

BOOKKEEPING = {"import_batch", "batch_change", "audit_log"}
UNITS = [("Văn phòng Thử nghiệm Một", "VP TN1"), ("Tổ Thử nghiệm Hai", "Tổ TN2")]
TASK_HEAD = ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Chỉ số", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
             "Sản phẩm", "Thẩm quyền", "Nguồn"]


def appendix_rows() -> list[list[object]]:
    """40 tasks as a ward types them: names or short names of units, dates as dates or dd/mm/yyyy."""
    rows: list[list[object]] = []
    for i in range(1, 41):
        rows.append([f"PL{i:02d}", f"Nhiệm vụ phụ lục thử số {i}",
                     "Gia nhập thị trường (market_entry)" if i % 2 else "Chỉ số phục vụ (QĐ 766)",
                     UNITS[0][1] if i % 3 else f"{UNITS[1][0]}; Phòng VH-XH",
                     "TT PVHCC" if i % 4 == 0 else None,
                     date(2026, 1, 31) if i <= 5 else "30/09/2026", "Báo cáo kết quả", "UBND phường", None])
    return rows


def template_with_appendix(db: Path) -> bytes:
    """The app's own template, filled in like a ward would: two units, then the 40 tasks."""
    with storage.connect(db, read_only=True) as con:
        wb = openpyxl.load_workbook(io.BytesIO(template.build_template(con)))
    for name, short in UNITS:
        wb["Đơn vị"].append([None, name, short, None, "Quyết định thử"])
    for row in appendix_rows():
        wb["Nhiệm vụ"].append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def data_checksums(db: Path) -> dict[str, str]:
    with storage.connect(db, read_only=True) as con:
        return {k: v for k, v in tables_db.table_checksums(con).items() if k not in BOOKKEEPING}


@pytest.fixture(scope="module")
def loaded(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], int]:
    """A database with the appendix imported from the template: (path, checksums before, batch)."""
    db = tmp_path_factory.mktemp("appendix") / "pci.duckdb"
    shutil.copy(built_db, db)
    before = data_checksums(db)
    data = template_with_appendix(db)
    preview = ingest.preview_file(str(db), data, "phu-luc.xlsx")
    assert preview.ok and preview.counts["task"]["added"] == 40 and preview.counts["unit"]["added"] == 2
    outcome = ingest.import_file(str(db), data, "phu-luc.xlsx", user="chuyen-vien-a")
    assert outcome.status == "committed" and outcome.batch_id is not None
    return db, before, outcome.batch_id


def test_the_appendix_is_in_the_status_rule_and_the_quarterly_report(loaded) -> None:
    db, _, _ = loaded
    with storage.connect(db, read_only=True) as con:
        m = tasks.tasks_model(con, "2026-Q1", today=date(2026, 3, 10))
        units = tasks_db.load_units(con)
    assert len(m.tasks) == 54
    assert m.tasks.groupby("origin").size().to_dict() == {"appendix": 40, "plan_body": 14}  # the starting list stays
    by_id = m.tasks.set_index("task_id")
    # the status rule judges them: a deadline passed without a report is late, the others not reported
    assert by_id.loc["PL01", "status"] == "cham_tien_do" and by_id.loc["PL07", "status"] == "chua_bao_cao"
    assert by_id.loc["PL04", "support"] == ["tt_pvhcc"] and by_id.loc["PL03", "lead"] == ["to_tn2", "vh_xh"]
    assert by_id.loc["PL02", "framework_id"] == "service766" and by_id.loc["PL01", "code"] == "market_entry"
    new_units = units[units["short_vi"].isin([s for _, s in UNITS])]
    assert sorted(new_units["unit_key"]) == ["to_tn2", "vp_tn1"] and not new_units["is_focal"].any()
    assert {"vp_tn1", "to_tn2"} <= set(m.missing["unit_key"])  # the new units now owe reports
    document = docx.Document(io.BytesIO(reports.render(str(db), "2026-Q1", "docx", today=date(2026, 3, 10),
                                                       images=False)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for tb in document.tables for r in tb.rows for c in r.cells)
    assert "Văn phòng Thử nghiệm Một" in text + cells and "PL40" in cells


def test_the_same_file_again_changes_nothing_and_undo_restores_exactly(loaded, tmp_path) -> None:
    db, before, batch = loaded
    copy = tmp_path / "pci.duckdb"
    shutil.copy(db, copy)
    again = ingest.import_file(str(copy), template_with_appendix(copy), "phu-luc-lan-2.xlsx", user="chuyen-vien-a")
    assert again.status == "nothing"
    commit.undo_in(str(copy), batch, user="chuyen-vien-a")
    assert data_checksums(copy) == before


def test_a_row_replaces_a_tasks_units_and_undo_gives_them_back(built_db, tmp_path) -> None:
    db = tmp_path / "pci.duckdb"
    shutil.copy(built_db, db)
    before = data_checksums(db)
    data = xlsx_bytes({"Nhiệm vụ": [TASK_HEAD, ["T14", "Tuyên truyền, phổ biến Kế hoạch", None, "Phòng VH-XH"]]})
    out = ingest.import_file(str(db), data, "t14.xlsx", user="chuyen-vien-a")
    with storage.connect(db, read_only=True) as con:
        links = tasks_db.load_task_units(con)
    assert sorted(links[links["task_id"] == "T14"]["unit_key"]) == ["vh_xh"]  # TT PVHCC and TT SNC dropped
    assert out.changed == 3  # the title, and two units no longer leading it
    commit.undo_in(str(db), out.batch_id, user="chuyen-vien-a")
    assert data_checksums(db) == before


@pytest.mark.parametrize("row, column, code", [
    (["PL01", "Việc", None, "Phòng Không Có Thật"], "Đơn vị chủ trì", "unknown_unit"),
    (["PL01", "Việc", None, "Phòng VH-XH", None, "31/12/2027"], "Thời hạn", "deadline_outside_plan"),
    (["PL02", "Việc trùng mã", None, "Phòng VH-XH"], "Mã nhiệm vụ", "duplicate"),
    (["PL01", "Việc", "Chỉ số không có", "Phòng VH-XH"], "Chỉ số", "unknown_subindex"),
], ids=["unknown-unit", "deadline-outside-plan", "duplicate-code", "unknown-subindex"])
def test_bad_rows_are_refused_with_sheet_row_and_column(built_db, tmp_path, row, column, code) -> None:
    db = tmp_path / "pci.duckdb"
    shutil.copy(built_db, db)
    before = data_checksums(db)
    sheet = [["PHỤ LỤC: NHIỆM VỤ CỤ THỂ"], TASK_HEAD, ["PL02", "Việc khác", None, "TT SNC"], row]
    with pytest.raises(InputError) as err:
        ingest.import_file(str(db), xlsx_bytes({"Nhiệm vụ": sheet}), "sai.xlsx", user="chuyen-vien-a")
    found = [(p.sheet, p.row, p.column, p.code) for p in err.value.problems]
    assert found == [("Nhiệm vụ", 4, column, code)]
    assert err.value.problems[0].message("vi").startswith('Lỗi ở trang tính "Nhiệm vụ", dòng 4, cột ' + column)
    assert data_checksums(db) == before


def test_a_retired_task_leaves_what_is_due_and_keeps_its_reports(loaded, tmp_path) -> None:
    db = tmp_path / "pci.duckdb"
    shutil.copy(loaded[0], db)
    report = pd.DataFrame([{"task_id": "PL06", "period": "2026-Q1", "unit_key": "vp_tn1", "status": "dang_thuc_hien",
                            "progress": 40.0, "outcome": None, "evidence": None, "reported_by": None,
                            "reported_at": None}])
    with storage.connect(db) as con:
        tasks.save_reports(con, report, user="chuyen-vien-a")
        assert tasks.retire(con, "task", "PL06", date(2026, 4, 1), user="chuyen-vien-a")
        assert tasks.retire(con, "unit", "to_tn2", date(2026, 4, 1), user="chuyen-vien-a")
        q1 = tasks.tasks_model(con, "2026-Q1", today=date(2026, 5, 1))
        q2 = tasks.tasks_model(con, "2026-Q2", today=date(2026, 5, 1))
        audit = audit_db.load_audit(con)
    assert "PL06" in set(q1.tasks["task_id"])  # Q1 was judged before the task was retired
    assert "PL06" not in set(q2.tasks["task_id"]) and list(q2.retired["task_id"]) == ["PL06"]
    assert "PL06" not in q2.missing.loc[q2.missing["unit_key"] == "vp_tn1", "led"].iloc[0]
    assert "to_tn2" in set(q1.missing["unit_key"]) and "to_tn2" not in set(q2.missing["unit_key"])  # a retired unit
    assert ((q2.history["task_id"] == "PL06") & (q2.history["period"] == "2026-Q1")).sum() == 1
    line = audit[audit["action"] == "task.retire"].iloc[-1]
    assert json.loads(line["new_json"]) == {"retired_on": "2026-04-01"} and line["user_name"] == "chuyen-vien-a"


def test_an_analyst_adds_a_task_and_a_unit_in_the_app_as_undoable_batches(built_db, tmp_path) -> None:
    db = tmp_path / "pci.duckdb"
    shutil.copy(built_db, db)
    unit = forms.save_form(str(db), "units", {"name_vi": "Ban Thử nghiệm Ba", "short_vi": "Ban TN3"}, user="an")
    task = forms.save_form(str(db), "appendix_tasks", {
        "task_id": "PL99", "title_vi": "Nhiệm vụ thêm trên trang", "subindex": "market_entry", "lead": "Ban TN3",
        "support": "", "deadline": date(2026, 8, 31)}, user="an")
    with storage.connect(db, read_only=True) as con:
        row = tasks_db.load_tasks(con).set_index("task_id").loc["PL99"]
        links = tasks_db.load_task_units(con)
    assert (unit.added, task.added) == (1, 2) and row["origin"] == "appendix"
    assert links[links["task_id"] == "PL99"]["unit_key"].tolist() == ["ban_tn3"]
    with pytest.raises(InputError) as err:
        forms.save_form(str(db), "appendix_tasks", {"task_id": "PL98", "title_vi": "", "lead": ""}, user="an")
    assert {(p.sheet, p.column, p.code) for p in err.value.problems} == {
        ("Nhiệm vụ", "title_vi", "required"), ("Nhiệm vụ", "lead", "required")}


def test_the_tasks_page_lists_the_appendix_and_where_each_task_comes_from(loaded, monkeypatch) -> None:
    import streamlit as st

    monkeypatch.setenv("PCI_DB_PATH", str(loaded[0]))
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["tasks_today"] = "vi", "2026-03-10"
    at.session_state["role"], at.session_state["user_name"] = "analyst", "chuyen-vien-a"
    at.run()
    goto(at, "tasks")
    at.run()
    assert not at.exception
    listed = next(x for x in at.tabs if x.label == "Danh sách nhiệm vụ").dataframe[0].value
    assert len(listed) == 54 and "Nhiệm vụ phụ lục thử số 40" in set(listed["Nhiệm vụ"])
    catalogue = next(x for x in at.tabs if x.label == "Danh mục nhiệm vụ, đơn vị").dataframe[0].value
    origins = catalogue.set_index("Mã")["Xuất xứ"]
    assert origins["T01"] == "Danh sách ban đầu (nội dung Kế hoạch)" and origins["PL40"] == "Phụ lục Kế hoạch"
    st.cache_data.clear()
