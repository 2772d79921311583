"""The Import page driven with AppTest: upload → problems or preview → import → undo; forms; and every
open session seeing new data on its next interaction (cached loaders keyed by the data stamp)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
from streamlit.testing.v1 import AppTest

from pci_metrics.imports import ingest, template
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
    assert changes.iloc[0][["Số liệu", "Nội dung (cũ → mới)", "Số liệu công bố"]].tolist() == [
        "Hải Phòng · 2019 · Điểm tổng hợp", "Giá trị: 68,7326 → 68,5", True]
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


# --- The preview in words ---------------------------------------------------------------------------

DATABASE_WORDS = ("haiphong", "hongbang", "kt_ht_dt", "dang_thuc_hien", "framework_id", "target_rank", "composite",
                  "market_entry", "pci2025", "publicity", "hb-pci-2025-2026", "2026-Q1")


def filled_template(db: Path) -> bytes:
    """The template the page offers, filled in as an analyst would: a choice from each drop-down list
    where there is one (a measure as "name (code)"), a bare code where people type one."""
    with storage.connect(db, read_only=True) as con:
        wb = openpyxl.load_workbook(io.BytesIO(template.build_template(con)))
    lists = wb["Danh mục"]
    measures = [c.value for c in lists["B"][1:] if c.value]
    market_entry = next(m for m in measures if m.endswith("(market_entry)"))
    rows = {
        "Điểm": [[2024, "Hải Phòng", "entry", 6.8, None, "Báo cáo PCI 2024 (VCCI)"],  # a bare code, as today
                 [2025, "Phường Hồng Bàng", market_entry, 7.2, None, None],
                 [2019, "Hải Phòng", measures[0], 68.5, None, "sửa thử"]],  # changes a published value
        "Mục tiêu": [[None, "Phường Hồng Bàng", 2026, None, market_entry, 7.5, None, "Kế hoạch PCI 2025-2026"],
                     [None, "Hải Phòng", 2026, None, measures[0], None, 1, "Kế hoạch 220/KH-UBND"]],  # top 5 → 1
        "Báo cáo nhiệm vụ": [["T01", "2026-Q1", "Phòng Kinh tế – Hạ tầng và Đô thị", "Đang thực hiện", 40,
                              "Đã rà soát thủ tục", "Báo cáo số 12"]],
        "Chỉ số phục vụ": [["Phường Hồng Bàng", "2026-Q1", "Công khai, minh bạch", 16.5, "Cổng DVC quốc gia"]],
        "Ghi chú": [["Hải Phòng", 2024, measures[0], "Lần đầu dẫn đầu cả nước"]],
    }
    for sheet, values in rows.items():
        for row in values:
            wb[sheet].append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def preview_of(at: AppTest, data: bytes) -> tuple[dict[str, str], pd.DataFrame]:
    upload(at, "mau-nhap-lieu.xlsx", data)
    assert not at.exception and not at.error, [e.value for e in at.error]
    return {m.label: m.value for m in at.metric}, at.dataframe[0].value  # the first table: the preview


def test_the_preview_names_each_record_once_in_words(app_db: Path) -> None:
    metrics, table = preview_of(analyst(), filled_template(app_db))
    # one row per record, and the counters count records
    kinds = table["Loại"].value_counts().to_dict()
    assert metrics == {"Thêm mới": "6", "Thay đổi": "2", "Không đổi": "0"}
    assert kinds == {"thêm mới": 6, "thay đổi": 2}
    # names, not codes, anywhere in the table
    text = " ".join(str(v) for v in table.to_numpy().ravel())
    assert not [w for w in DATABASE_WORDS if w in text], text
    rows = {(r["Bảng"], r["Số liệu"]): r["Nội dung (cũ → mới)"] for _, r in table.iterrows()}
    # a changed record shows its fields side by side, old → new, in the Vietnamese number format
    assert rows[("Điểm", "Hải Phòng · 2019 · Điểm tổng hợp")] == "Giá trị: 68,7326 → 68,5"
    assert rows[("Mục tiêu", "Hải Phòng · 2026 · Điểm tổng hợp")] == "Hạng mục tiêu: 5 → 1"
    assert rows[("Mục tiêu", "Phường Hồng Bàng · 2026 · Gia nhập thị trường")] == \
        "Khung đánh giá: PCI 2025 (PCI 2.0); Điểm mục tiêu: 7,5"
    assert rows[("Điểm", "Hải Phòng · 2024 · Gia nhập thị trường")] == "Giá trị: 6,8"
    report = next(v for (tbl, _), v in rows.items() if tbl == "Báo cáo nhiệm vụ")
    assert report.startswith("Đơn vị báo cáo: Phòng Kinh tế – Hạ tầng và Đô thị; Trạng thái: Đang thực hiện; "
                             "Tiến độ (%): 40")
    assert ("Chỉ số phục vụ", "Phường Hồng Bàng · Quý 1/2026 · Công khai, minh bạch") in rows
    assert table.iloc[0]["Số liệu"] == "Hải Phòng · 2019 · Điểm tổng hợp"  # the published change comes first


def test_the_preview_in_english(app_db: Path) -> None:
    metrics, table = preview_of(analyst(lang="en"), filled_template(app_db))
    assert metrics == {"Added": "6", "Changed": "2", "Unchanged": "0"}
    assert list(table.columns) == ["Table", "Kind", "Record", "Fields (old → new)", "Published", "Where in the file"]
    rows = dict(zip(table["Record"], table["Fields (old → new)"], strict=True))
    assert rows["Hai Phong · 2019 · Composite score"] == "Value: 68.7326 → 68.5"
    assert "Reporting unit: Economy, Infrastructure and Urban Affairs Division; Status: In progress" in " ".join(rows.values())


def test_quick_entry_offers_measures_by_name(app_db: Path) -> None:
    at = analyst()
    shown = at.selectbox(key="ingest_t_code").options
    assert shown[:2] == ["Điểm tổng hợp", "Gia nhập thị trường (2005–2024)"] and "Gia nhập thị trường (từ 2025)" in shown
    assert not {"composite", "entry", "market_entry"} & set(shown)
    assert "Composite score" in analyst(lang="en").selectbox(key="ingest_v_code").options
