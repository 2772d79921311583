"""VCCI's yearly PCI workbooks -> tidy scores and indicators, checked against the reference CSV.

The 13 workbooks (2005-2018, no 2015) are copied in ``tests/fixtures/vcci`` so the tests run
where ``/work/shared`` does not exist (CI).
"""

from __future__ import annotations

import functools
import io
import math
import random
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pci_metrics.base.problems import InputError
from pci_metrics.imports.vcci import VcciResult, read_vcci_workbook
from pci_metrics.imports.vcci_layout import SUBINDEX_CODES, expected_subindices, year_from_file_name
from pci_metrics.imports.vcci_seed import indicator_tables, write_indicator_seed
from tests.conftest import xlsx_bytes

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "vcci"
SEED = ROOT / "data" / "seed"
YEARS = [2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2016, 2017, 2018]
CODES = [*SUBINDEX_CODES, "implementation_2005"]


def workbook_path(year: int) -> Path:
    return FIXTURES / (f"pci_{year}.xls" if year <= 2011 else f"pci_{year}.xlsx")


@functools.cache
def read(year: int) -> VcciResult:
    return read_vcci_workbook(workbook_path(year))


@functools.cache
def reference() -> pd.DataFrame:
    return pd.read_csv(SEED / "pci_provinces_2005_2019.csv")


def problem_codes(err: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [p.code for p in err.value.problems]


# --- Every provided workbook reproduces its year of the reference CSV -------------------


def test_all_thirteen_workbooks_are_in_the_fixtures() -> None:
    assert sorted(p.name for p in FIXTURES.glob("pci_*.xls*")) == sorted(workbook_path(y).name for y in YEARS)


@pytest.mark.parametrize("year", YEARS)
def test_scores_match_reference_to_4_decimals(year: int) -> None:
    result = read(year)
    ref = reference().query("year == @year").set_index("province_key")
    wide = result.scores.pivot(index="province_key", columns="code", values="value")
    assert result.year == year
    assert set(wide.index) == set(ref.index)
    ref_codes = {c for c in CODES if ref[c].notna().any()}
    assert set(wide.columns) == ref_codes | {"composite"}
    for code in sorted(ref_codes | {"composite"}):
        column = "weighted" if code == "composite" else code
        diff = (wide[code] - ref[column].reindex(wide.index)).abs()
        assert diff.max() <= 0.00005 + 1e-9, f"{year} {code}: {diff.idxmax()} off by {diff.max()}"


# PCI 2011 writes the composite with two decimals: Bình Thuận and Hà Giang both have 57.62.
# The workbook's official rank column says Bình Thuận 40, Hà Giang 41; the reference CSV
# (rank computed by sorting the score) breaks the tie the other way. The reader keeps the
# official rank, as VCCI published it.
RANK_EXCEPTIONS = {2011: {"binhthuan": 40, "hagiang": 41}}


@pytest.mark.parametrize("year", YEARS)
def test_composite_rank_matches_reference(year: int) -> None:
    comp = read(year).scores.query("code == 'composite'").set_index("province_key")["rank"]
    ref = reference().query("year == @year").set_index("province_key")["rank"]
    expected = {k: RANK_EXCEPTIONS.get(year, {}).get(k, int(v)) for k, v in ref.items()}
    assert comp.astype(int).to_dict() == expected


def test_2011_tie_keeps_the_official_rank_not_a_computed_one() -> None:
    comp = read(2011).scores.query("code == 'composite'").set_index("province_key")
    assert comp.loc["binhthuan", "value"] == comp.loc["hagiang", "value"] == 57.62
    assert (comp.loc["binhthuan", "rank"], comp.loc["hagiang", "rank"]) == (40, 41)
    assert any("official rank" in n for n in read(2011).notices_en)


@pytest.mark.parametrize(
    ("year", "sheet", "layout", "rank_source"),
    [
        (2005, "Bảng tóm tắt chỉ số", "wide", "computed"),
        (2006, "PCI Tóm tắt", "wide", "computed"),
        (2007, "Tóm tắt các chỉ số PCI ", "wide", "official"),
        (2008, "Tổng hợp", "ranked lists", "computed"),
        (2009, "Tong Hop", "wide", "official"),
        (2010, "Tong hop", "ranked lists", "official"),
        (2011, "Tong hop", "ranked lists", "official"),
        (2012, "Tong hop", "ranked lists", "official"),
        (2013, "Summary", "ranked lists", "official"),
        pytest.param(2014, "Summary_VN", "ranked lists", "official", id="2014-not-hidden-2013-copy"),
        pytest.param(2016, "Summary_VN", "ranked lists", "official", id="2016-not-2013-copy"),
        (2017, "Summary", "wide", "official"),
        (2018, "Summary", "wide", "official"),
    ],
)
def test_sheet_and_layout_detected(year: int, sheet: str, layout: str, rank_source: str) -> None:
    result = read(year)
    assert (result.sheet_used, result.layout) == (sheet, layout)
    first = result.notices_en[1] if result.notices_en[0].startswith("read with ") else result.notices_en[0]
    assert first.startswith(f'Sheet "{sheet}": summary table ({layout}), header on row(s)')
    assert ("official rank" in first) == (rank_source == "official")
    assert result.rank_source == rank_source


def test_scores_frame_shape() -> None:
    scores = read(2017).scores
    assert list(scores.columns) == ["province_key", "province_raw", "code", "value", "rank", "row", "column"]
    assert len(scores) == 63 * 11
    comp = scores[scores.code == "composite"]
    assert sorted(comp["rank"].astype(int)) == list(range(1, 64))
    assert scores.loc[scores.code != "composite", "rank"].isna().all()  # no invented sub-index ranks
    assert comp.iloc[0].province_key == "quangninh"  # rows run from rank 1 down
    hp = scores.query("province_key == 'haiphong' and code == 'composite'").iloc[0]
    assert (hp.province_raw, round(hp.value, 2), hp["rank"]) == ("Hai Phong", 65.15, 9)
    assert hp["row"] == 28 and hp["column"].startswith("C (")  # the cell the score was read from: C28


def test_province_raw_keeps_the_source_spelling() -> None:
    raw = read(2016).scores.query("code == 'composite'").set_index("province_key").province_raw
    assert raw["thuathienhue"] == "TT.Huế"
    assert raw["hochiminhcity"] == "Tp.HCM"


@pytest.mark.parametrize(
    ("year", "codes"),
    [(2005, 9), (2006, 10), (2008, 10), (2009, 9), (2012, 9), (2013, 10), (2017, 10)],
)
def test_expected_subindices_by_year(year: int, codes: int) -> None:
    assert len(expected_subindices(year)) == codes


# --- Year: explicit > content > file name ----------------------------------------------


def test_year_from_content_when_there_is_no_file_name() -> None:
    result = read_vcci_workbook(workbook_path(2017).read_bytes())
    assert result.year == 2017  # "The Weighted PCI Score in 2017"


def test_year_from_file_name_when_content_has_none() -> None:
    data = workbook_path(2005).read_bytes()  # the 2005 headers carry no year
    assert read_vcci_workbook(data, file_name="pci_2005.xls").year == 2005
    assert read_vcci_workbook(io.BytesIO(data), file_name="VCCI PCI 2005 final.xls").year == 2005


def test_unknown_year_asks_for_it() -> None:
    with pytest.raises(InputError) as err:
        read_vcci_workbook(workbook_path(2005).read_bytes(), file_name="upload.xls")
    assert problem_codes(err) == ["year_unknown"]
    problem = err.value.problems[0]
    assert "pci_2017.xlsx" in problem.expected_vi and "năm" in problem.expected_vi
    assert problem.found == "upload.xls"


def test_explicit_year_wins() -> None:
    result = read_vcci_workbook(workbook_path(2017), year=2019)
    assert result.year == 2019
    assert any("PCI 2017" in n and "2019" in n for n in result.notices_en)
    assert read_vcci_workbook(workbook_path(2005).read_bytes(), year=2005).year == 2005


def test_content_beats_the_file_name() -> None:
    result = read_vcci_workbook(workbook_path(2017).read_bytes(), file_name="pci_2016.xlsx")
    assert result.year == 2017
    assert any("file name says 2016" in n for n in result.notices_en)


@pytest.mark.parametrize(
    ("name", "year"),
    [("pci_2017.xlsx", 2017), ("PCI-2009-final.xls", 2009), ("data.xlsx", None), ("pci_1999.xls", None),
     ("pci_2016_vs_2017.xlsx", None), (None, None)],
)
def test_year_from_file_name(name: str | None, year: int | None) -> None:
    assert year_from_file_name(name) == year


# --- Files that are not workbooks ------------------------------------------------------


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param((SEED / "pci_provinces_2005_2019.csv").read_bytes(), "not_workbook", id="csv-renamed-xlsx"),
        pytest.param(random.Random(2017).randbytes(4096), "not_workbook", id="random-bytes"),
        pytest.param(b"", "empty", id="empty-file"),
        pytest.param(_zip_bytes({"hello.txt": b"hi"}), "not_workbook", id="zip-without-workbook"),
        pytest.param(b"PK\x03\x04 truncated", "not_workbook", id="broken-zip"),
        pytest.param(workbook_path(2017).read_bytes()[:5000], "not_workbook", id="truncated-xlsx"),
        pytest.param(workbook_path(2005).read_bytes()[:3000], "not_workbook", id="truncated-xls"),
    ],
)
def test_not_a_workbook(data: bytes, code: str) -> None:
    with pytest.raises(InputError) as err:
        read_vcci_workbook(data, file_name="pci_2017.xlsx")
    assert problem_codes(err) == [code]
    assert err.value.problems[0].found == "pci_2017.xlsx"
    assert err.value.problems[0].expected_vi and err.value.problems[0].expected_en


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_vcci_workbook(tmp_path / "nope.xlsx")
    assert problem_codes(err) == ["not_found"]


def test_workbook_without_a_summary_sheet() -> None:
    with pytest.raises(InputError) as err:
        read_vcci_workbook(xlsx_bytes({"Notes": [["PCI 2017"], ["nothing here"]]}))
    assert problem_codes(err) == ["no_summary_sheet"]


# --- Small synthetic workbooks: headers found by name, problems located ----------------

HEADER_2017 = ["Province", "Rank", "The Weighted PCI Score in 2017", "Sub-Index 1: Entry Costs",
               "Sub-Index 2: Land Access & Tenure", "Sub-Index 3: Transparency", "Sub-Index 4: Time Costs",
               "Sub-Index 5: Informal Charges", "Sub-Index 6: Policy Bias", "Sub-Index 7: Proactivity",
               "Sub-Index 8: Business Support Services", "Sub-Index 9: Labor Policy", "Sub-Index 10: Law & Order"]
ROWS_2017 = [
    ["Quang Ninh", 1, 70.69, 8.9, 6.4, 6.8, 7.7, 5.8, 6.4, 6.4, 7.5, 7.8, 5.6],
    ["Hai Phong", 2, 65.15, 7.9, 5.9, 5.7, 5.7, 6.0, 5.5, 5.2, 6.7, 8.2, 5.5],
    ["Ha Noi", 3, 64.71, 6.7, 5.3, 6.3, 7.2, 4.4, 4.1, 4.1, 7.7, 8.1, 4.9],
]




def test_synthetic_wide_workbook_reads() -> None:
    result = read_vcci_workbook(xlsx_bytes({"Summary": [HEADER_2017, *ROWS_2017]}))
    assert result.year == 2017
    assert result.indicators.empty
    assert list(result.indicators.columns) == ["province_key", "subindex", "indicator_code", "label", "value"]
    hp = result.scores.query("province_key == 'haiphong'").set_index("code")
    assert hp.loc["composite", "value"] == 65.15 and hp.loc["composite", "rank"] == 2
    assert hp.loc["labor", "value"] == 8.2


def test_columns_are_found_by_name_not_position() -> None:
    order = [0, 12, 3, 1, 11, 4, 5, 2, 6, 7, 8, 9, 10]  # shuffled, with a tier column inserted
    header = [HEADER_2017[i] for i in order] + ["PCI tier"]
    rows = [[r[i] for i in order] + ["Excellent"] for r in ROWS_2017]
    title = [["PROVINCIAL COMPETITIVENESS INDEX"], [], []]
    result = read_vcci_workbook(xlsx_bytes({"Notes": [["read me"]], "Kết quả": [*title, header, *rows]}))
    assert result.sheet_used == "Kết quả"
    assert result.scores.query("province_key == 'hanoi' and code == 'legal'").value.item() == 4.9


def test_vietnamese_two_row_header_and_statistic_rows() -> None:
    top = ["", "", "Chỉ số thành phần", "", "", "", "", "", "", "", "", "", "Chỉ số PCI 2017"]
    names = ["STT", "Tỉnh, thành phố", "Gia nhập thị trường", "Tiếp cận đất đai", "Tính minh bạch",
             "Chi phí thời gian", "Chi phí không chính thức", "Cạnh tranh bình đẳng", "Tính năng động",
             "Dịch vụ hỗ trợ doanh nghiệp", "Đào tạo lao động", "Thiết chế pháp lý", "có trọng số"]
    rows = [[i + 1, name, *r[3:], r[2]] for i, (name, r) in
            enumerate(zip(["Quảng Ninh", "Hải Phòng", "Hà Nội"], ROWS_2017, strict=True))]
    rows.append(["", "Trung vị", 7.9, 5.9, 6.3, 7.2, 5.8, 5.5, 5.2, 7.5, 8.1, 5.5, 65.15])
    result = read_vcci_workbook(xlsx_bytes({"Tổng hợp": [top, names, *rows]}), file_name="pci_2017.xlsx")
    comp = result.scores.query("code == 'composite'").set_index("province_key")
    assert comp["value"].to_dict() == {"quangninh": 70.69, "haiphong": 65.15, "hanoi": 64.71}
    assert comp["rank"].to_dict() == {"quangninh": 1, "haiphong": 2, "hanoi": 3}  # computed
    assert "header on row(s) 1, 2" in result.notices_en[0]


def test_unknown_province_names_sheet_row_column_and_suggestions() -> None:
    rows = [list(r) for r in ROWS_2017]
    rows[1][0] = "Hai Phongg"
    with pytest.raises(InputError) as err:
        read_vcci_workbook(xlsx_bytes({"Summary": [HEADER_2017, *rows]}))
    problem = err.value.problems[0]
    assert problem_codes(err) == ["unknown_province"]
    assert (problem.sheet, problem.row, problem.found) == ("Summary", 3, "Hai Phongg")
    assert problem.column is not None and problem.column.startswith("A ")
    assert problem.expected_vi.startswith("tên tỉnh đã biết, ví dụ Hải Phòng")
    assert "Hải Phòng" in problem.message("en")


def test_missing_subindex_column_is_a_problem() -> None:
    header = [h for h in HEADER_2017 if "Labor" not in h]
    rows = [r[:11] + r[12:] for r in ROWS_2017]
    with pytest.raises(InputError) as err:
        read_vcci_workbook(xlsx_bytes({"Summary": [header, *rows]}))
    assert problem_codes(err) == ["missing_subindex"]
    problem = err.value.problems[0]
    assert (problem.sheet, problem.row) == ("Summary", 1)
    assert "Đào tạo lao động" in problem.expected_vi and "labor" in problem.expected_en


def test_policy_bias_is_not_required_in_2009_2012() -> None:
    header = [h for h in HEADER_2017 if "Bias" not in h]
    rows = [r[:8] + r[9:] for r in ROWS_2017]
    result = read_vcci_workbook(xlsx_bytes({"Summary": [header, *rows]}), year=2010)
    assert "policy_bias" not in set(result.scores.code)


def test_bad_cells_are_located() -> None:
    rows = [list(r) for r in ROWS_2017]
    rows[0][4] = "n/a"  # land, Quảng Ninh
    rows[2][5] = 12.0  # transparency above 10, Hà Nội
    rows[1][3] = "7,9"  # decimal comma is fine
    with pytest.raises(InputError) as err:
        read_vcci_workbook(xlsx_bytes({"Summary": [HEADER_2017, *rows]}))
    located = {(p.code, p.row, (p.column or "")[:1], p.found) for p in err.value.problems}
    assert located == {("not_a_number", 2, "E", "n/a"), ("out_of_range", 4, "F", "12")}


def test_weighted_not_unweighted_composite() -> None:
    header = [*HEADER_2017, "Unweighted PCI 2017"]
    rows = [[*r, 50.0] for r in ROWS_2017]
    result = read_vcci_workbook(xlsx_bytes({"Summary": [header, *rows]}))
    assert result.scores.query("code == 'composite'").value.max() == 70.69


# --- Indicators ------------------------------------------------------------------------

SUBINDEX_ORDER = ["entry", "land", "transparency", "time", "informal", "policy_bias",
                  "proactivity", "business_support", "labor", "legal"]
COUNTS_2017 = [10, 11, 12, 11, 9, 14, 9, 24, 11, 17]  # docs/domain.md: 128 indicators


@pytest.mark.parametrize("year", [2017, 2018])
def test_indicator_counts(year: int) -> None:
    ind = read(year).indicators
    per = ind.groupby("subindex", sort=False).indicator_code.nunique()
    assert list(per.index) == SUBINDEX_ORDER
    assert per.tolist() == COUNTS_2017
    assert per.sum() == 128
    assert ind.groupby("indicator_code").province_key.nunique().eq(63).all()
    assert ind.value.notna().all()


def test_indicator_codes_and_labels_2017() -> None:
    ind = read(2017).indicators
    first = ind.drop_duplicates("indicator_code").set_index("indicator_code")
    assert list(first.index[:3]) == ["entry_1", "entry_2", "entry_3"]  # no variable codes in 2017
    assert first.loc["entry_1", "label"] == "Length of business registration in days (Median)"
    assert first.loc["legal_17", "label"].startswith("Did firm have to pay money to gangsters")
    hp = ind.query("province_key == 'haiphong' and indicator_code == 'business_support_1'").value.item()
    assert hp == 19.0  # trade fairs held by Hải Phòng (hard data, MOIT)


@pytest.mark.parametrize("year", [2005, 2006, 2007, 2008])
def test_years_without_readable_indicator_sheets_give_an_empty_table(year: int) -> None:
    ind = read(year).indicators
    assert ind.empty
    assert list(ind.columns) == ["province_key", "subindex", "indicator_code", "label", "value"]


def test_variable_codes_row_is_used_and_realigned() -> None:
    # 2011 writes its row of codes shifted two columns left of the labels.
    first = read(2011).indicators.drop_duplicates("indicator_code").set_index("indicator_code")
    assert first.loc["c1", "label"].startswith("Thời gian đăng ký kinh doanh")
    assert first.loc["LURCwait_new", "label"].startswith("Thời gian chờ đợi để được cấp Giấy chứng nhận")
    first_2016 = read(2016).indicators.drop_duplicates("indicator_code").set_index("indicator_code")
    assert first_2016.loc["c1_2005", "subindex"] == "entry"


def test_misaligned_indicator_sheet_is_skipped() -> None:
    # PCI 2013 "Legal institutions": its sub-index column lists other provinces' scores.
    result = read(2013)
    assert "legal" not in set(result.indicators.subindex)
    assert any(n.startswith('Sheet "Legal institutions"') and "misaligned" in n for n in result.notices_en)


def test_hidden_2013_copy_in_the_2014_workbook_is_reported() -> None:
    assert any(n.startswith('Sheet "Summary": also a summary table (PCI 2013)') for n in read(2014).notices_en)


# --- Seeds and speed -------------------------------------------------------------------


def test_indicator_seed_files_are_what_the_reader_writes(tmp_path: Path) -> None:
    cat_path, val_path = write_indicator_seed(tmp_path, FIXTURES)
    assert cat_path.read_bytes() == (SEED / "indicator_catalogue.csv").read_bytes()
    assert val_path.read_bytes() == (SEED / "indicators_2017_2018.csv").read_bytes()
    catalogue = pd.read_csv(cat_path, keep_default_na=False)
    assert list(catalogue.columns) == ["framework_id", "subindex", "indicator_code", "label_vi", "label_en",
                                       "sort_order"]
    assert (catalogue.framework_id == "pci2013").all() and catalogue.sort_order.tolist() == list(range(1, 129))
    assert catalogue.indicator_code.is_unique and catalogue.label_en.ne("").all()
    values = pd.read_csv(val_path)
    assert len(values) == 2 * 63 * 128
    assert set(values.indicator_code) == set(catalogue.indicator_code)
    assert values.source.iloc[0] == "VCCI PCI 2017 workbook (pci_2017.xlsx), sheet Entry Costs"
    assert "VCCI PCI 2018 workbook (pci_2018.xlsx), sheet Law & Order" in set(values.source)


def test_catalogue_keeps_full_labels_over_cut_off_ones() -> None:
    catalogue, _ = indicator_tables([(read(2017), "pci_2017.xlsx"), (read(2018), "pci_2018.xlsx")])
    label = catalogue.set_index("indicator_code").label_en
    assert label["transparency_9"].endswith("(% Usually or Always)")  # 2018 cuts it to "... Alway"


def test_2017_reads_well_under_two_seconds() -> None:
    data = workbook_path(2017).read_bytes()
    start = time.perf_counter()
    read_vcci_workbook(data, file_name="pci_2017.xlsx")
    assert time.perf_counter() - start < 2.0


def test_2014_workbook_keeps_calamine_after_dropping_bad_dimensions() -> None:
    # calamine rejects the sheet dimensions ("1:69") that LibreOffice wrote into pci_2014.xlsx;
    # dropping that hint keeps calamine (0.3 s) instead of the openpyxl fallback (2.5 s).
    assert read(2014).notices_en[0].startswith("read with python-calamine after removing invalid sheet dimensions")
    assert math.isclose(read(2014).scores.query("province_key == 'danang' and code == 'composite'").value.item(),
                        66.86679)


def test_openpyxl_fallback_when_calamine_cannot_read() -> None:
    # a cell type calamine refuses (t="q") but openpyxl reads: the openpyxl fallback is used
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    for row in [HEADER_2017, *ROWS_2017]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b't="n"', b't="q"', 1)
            dst.writestr(info, body)
    result = read_vcci_workbook(out.getvalue(), file_name="pci_2017.xlsx")
    assert result.notices_en[0].startswith("read with openpyxl")
    assert result.scores.query("province_key == 'haiphong' and code == 'composite'").value.item() == 65.15
