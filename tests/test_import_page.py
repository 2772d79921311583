"""The Import page driven with AppTest: upload → problems or preview → import → undo; forms; and every
open session seeing new data on its next interaction (cached loaders keyed by the data stamp)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import openpyxl
from streamlit.testing.v1 import AppTest

from pci_metrics.imports import ingest
from pci_metrics.store import batches_db, scores_db, storage, tables_db
from tests.conftest import ROOT
from tests.test_pages import goto, run_app

WORKBOOK_2018 = ROOT / "tests" / "fixtures" / "vcci" / "pci_2018.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOOKKEEPING = {"import_batch", "batch_change", "audit_log"}


def without_2018(db: Path) -> None:
    """The database as if PCI 2018 had not been imported yet."""
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM score WHERE year = 2018")
    con.execute("DELETE FROM indicator_value WHERE year = 2018")
    con.close()


def haiphong_years(at: AppTest) -> list[int]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return sorted({int(x) for tr in spec["data"] if tr["name"] == "Hải Phòng" for x in tr["x"]})


def data_checksums(db: Path) -> dict[str, str]:
    with storage.connect(db, read_only=True) as con:
        return {k: v for k, v in tables_db.table_checksums(con).items() if k not in BOOKKEEPING}


def analyst(page: str = "import", lang: str = "vi") -> AppTest:
    return run_app(page, lang, role="analyst", user_name="chuyen-vien-a")


def upload(at: AppTest, name: str, data: bytes, mime: str = XLSX) -> None:
    at.file_uploader(key="ingest_file").set_value((name, data, mime))
    at.run()


def test_upload_preview_import_then_undo(app_db: Path) -> None:
    without_2018(app_db)
    at = analyst()
    before = data_checksums(app_db)  # after the first start (which creates the administrator)
    assert at.title[0].value == "Nhập dữ liệu"
    upload(at, "pci_2018.xlsx", WORKBOOK_2018.read_bytes())
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Thêm mới": "8.757", "Thay đổi": "0", "Không đổi": "12"}  # 693 scores + 8064 indicators
    assert "bảng tính PCI của VCCI năm 2018" in at.subheader[0].value
    at.button(key="ingest_commit").click().run()
    assert "Đã nhập lần #1" in at.success[0].value and "thêm 8757" in at.success[0].value
    # the same file again: nothing to do, and the page says which batch already holds it
    assert "lần nhập #1" in at.info[0].value
    goto(at, "overview")
    at.run()
    assert 2018 in haiphong_years(at)
    goto(at, "import")
    at.run()
    at.button(key="ingest_undo").click().run()
    assert "Đã hoàn tác lần nhập #1" in at.success[0].value
    assert data_checksums(app_db) == before
    goto(at, "overview")
    at.run()
    assert 2018 not in haiphong_years(at)


def test_a_bad_file_lists_every_problem_and_writes_nothing(app_db: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Điểm"
    ws.append(["Năm", "Đơn vị", "Mã chỉ số", "Giá trị"])
    ws.append([2019, "Hai Phongg", "entry", 7.1])
    ws.append([2019, "Hải Phòng", "land", 12])
    buf = io.BytesIO()
    wb.save(buf)
    at = analyst(lang="en")
    before = data_checksums(app_db)
    upload(at, "mau.xlsx", buf.getvalue())
    assert at.error[0].value.startswith("The file has 2 errors; nothing was written.")
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["Sheet", "Row", "Column", "Found", "Expected"]
    assert problems[["Row", "Column", "Found"]].values.tolist() == [[2, "Đơn vị", "Hai Phongg"], [3, "Giá trị", "12"]]
    assert "Hải Phòng" in problems["Expected"].iloc[0]
    assert all(b.key != "ingest_commit" for b in at.button)
    assert data_checksums(app_db) == before
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the import template (.xlsx)" in labels


def test_an_image_named_xlsx_is_refused(app_db: Path) -> None:
    at = analyst()
    upload(at, "bieu-do.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
    problems = at.dataframe[0].value
    assert "ảnh PNG" in problems["Cần"].iloc[0]


def test_changing_a_published_value_needs_the_checkbox(app_db: Path) -> None:
    data = b"year,entity_key,code,value\n2019,haiphong,composite,68.5\n"
    at = analyst()
    upload(at, "sua.csv", data, "text/csv")
    assert "1 số liệu đã công bố sẽ bị thay đổi" in at.warning[0].value
    changes = at.dataframe[0].value
    assert changes.iloc[0][["Cũ", "Mới", "Số liệu công bố"]].tolist() == ["68.7326", "68.5", True]
    assert at.button(key="ingest_commit").disabled
    at.checkbox(key="ingest_confirm").check().run()
    at.button(key="ingest_commit").click().run()
    assert "thay đổi 1" in at.success[0].value
    with storage.connect(app_db, read_only=True) as con:
        row = scores_db.load_scores(con, entity_key="haiphong", year=2019, codes=["composite"]).iloc[0]
    assert (row["value"], row["provenance"]) == (68.5, "entered")


def test_open_session_sees_new_data_on_its_next_interaction(app_db: Path) -> None:
    without_2018(app_db)
    at = run_app()  # a leadership session on the Overview, caches filled
    assert 2018 not in haiphong_years(at)
    outcome = ingest.import_file(str(app_db), WORKBOOK_2018.read_bytes(), "pci_2018.xlsx", user="cli")
    assert outcome.status == "committed"
    at.run()  # its next interaction: no restart, no cache clear
    assert 2018 in haiphong_years(at)


def test_forms_set_a_target_and_enter_a_value(app_db: Path) -> None:
    at = analyst()
    at.selectbox(key="ingest_t_entity").set_value("Phường Hồng Bàng")
    at.selectbox(key="ingest_t_code").set_value("market_entry")
    at.number_input(key="ingest_t_score").set_value(7.5)
    at.button(key="ingest_t_save").click().run()
    assert "thêm 1" in at.success[0].value
    at.selectbox(key="ingest_v_year").set_value(2024)
    at.selectbox(key="ingest_v_code").set_value("entry")
    at.number_input(key="ingest_v_value").set_value(12.0)
    at.button(key="ingest_v_save").click().run()
    assert "cần một số từ 0 đến 10" in at.error[0].value  # the same validation as files
    with storage.connect(app_db, read_only=True) as con:
        targets = scores_db.load_targets(con, "hongbang")
        batches = batches_db.load_batches(con)
    assert targets[["year", "code", "target_score"]].values.tolist() == [[2026, "market_entry", 7.5]]
    assert batches["kind"].tolist() == ["form"]
