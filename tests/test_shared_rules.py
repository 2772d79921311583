"""Each rule that several parts of the product share, as one table of examples run twice: through the
pure function, and through a real DuckDB file the way a user reaches it (an imported workbook, the
built database). A second copy of a rule that disagrees with the first fails here."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pci_metrics.base.cells import blank_mask, fold, is_blank, parse_number
from pci_metrics.base.problems import InputError
from pci_metrics.domain.composite import composite_score, rank_min
from pci_metrics.domain.provinces import normalize_name
from pci_metrics.imports import ingest
from pci_metrics.store import build
from tests.conftest import xlsx_bytes

HEADER = ["Province", "Weighted PCI", "Entry Costs", "Land Access", "Transparency", "Time Costs",
          "Informal Charges", "Policy Bias", "Proactivity", "Business Support Services", "Labor Training",
          "Legal Institutions"]
HAI_PHONG_2017 = [65.15, 7.9, 5.9, 5.7, 5.7, 6.0, 5.5, 5.2, 6.7, 8.2, 5.5]
QUANG_NINH_2017 = [70.69, 8.9, 6.4, 6.8, 7.7, 5.8, 6.4, 6.4, 7.5, 7.8, 5.6]


@pytest.fixture
def blank_db(tmp_path: Path) -> Path:
    """A database with frameworks, provinces and the plan, and no scores."""
    path = tmp_path / "blank.duckdb"
    build.build_database(path, empty=True)
    return path


def stored(db: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def import_vcci_sheet(db: Path, rows: list[list[object]]) -> None:
    """A VCCI-style summary sheet of 2017 (one row per province) imported as an analyst would."""
    ingest.import_file(str(db), xlsx_bytes({"Summary": [HEADER, *rows]}), "pci_2017.xlsx", user="kiem-thu",
                       year=2017)


# --- a blank cell ---------------------------------------------------------------------------

BLANK_CELLS = [
    pytest.param(None, True, id="empty"), pytest.param(float("nan"), True, id="nan"), pytest.param(pd.NA, True, id="na"),
    pytest.param(pd.NaT, True, id="nat"), pytest.param("", True, id="empty-text"), pytest.param(" \t\n", True, id="spaces"),
    pytest.param("\u00a0", True, id="non-breaking-space"), pytest.param("\u3000", True, id="ideographic-space"),
    pytest.param("\x1f", True, id="unit-separator"), pytest.param("\u200b", False, id="zero-width-space-is-text"),
    pytest.param("x", False, id="text"), pytest.param(0, False, id="zero"), pytest.param(0.0, False, id="zero-float"),
    pytest.param(False, False, id="false"),
]


@pytest.mark.parametrize("cell, blank", BLANK_CELLS)
def test_a_blank_cell_is_one_rule_cell_by_cell_and_for_a_column(cell, blank):
    """What the row-by-row checks (is_blank) and the column-wide ones (blank_mask: empty rows, blank
    values left as stored) call blank is the same, for a column of cells and a column of text."""
    assert is_blank(cell) is blank
    assert blank_mask(pd.Series(["a", cell, 1.5], dtype=object)).tolist() == [False, blank, False]
    if isinstance(cell, str):
        assert blank_mask(pd.Series(["a", cell], dtype="str")).tolist() == [False, blank]


# --- the cell parser -------------------------------------------------------------------------

NUMBER_CELLS = [
    pytest.param(7.9, 7.9, "ok", id="a-number"),
    pytest.param("7.9", 7.9, "ok", id="decimal-point-text"),
    pytest.param("7,9", 7.9, "comma", id="vietnamese-decimal-comma"),
    pytest.param(" 7.9\u00a0", 7.9, "ok", id="spaces-and-a-non-breaking-space"),
    pytest.param(8, 8.0, "ok", id="an-integer"),
    pytest.param("1.234,5", None, "bad", id="thousands-separator-is-a-mistake"),
    pytest.param("7.9 điểm", None, "bad", id="words"),
    pytest.param("1e999", None, "bad", id="beyond-a-float"),
    pytest.param(True, None, "bad", id="a-boolean"),
    pytest.param("  ", None, "blank", id="only-spaces"),
    pytest.param(None, None, "blank", id="empty-cell"),
]


@pytest.mark.parametrize("cell, value, how", NUMBER_CELLS)
def test_cell_parser_pure(cell, value, how):
    assert parse_number(cell) == (value, how)


@pytest.mark.parametrize("cell, value, how", NUMBER_CELLS)
def test_cell_parser_through_an_imported_workbook(blank_db, cell, value, how):
    """Hải Phòng's entry-cost cell of a VCCI workbook, imported into a real database: the stored score
    is the parser's value; a bad cell is refused naming the value found and nothing is written; a
    blank cell stores no score."""
    row = ["Hai Phong", *HAI_PHONG_2017]
    row[2] = cell
    if how == "bad":
        with pytest.raises(InputError) as err:
            import_vcci_sheet(blank_db, [row, ["Quang Ninh", *QUANG_NINH_2017]])
        assert any(p.column and "Entry" in str(p.column) for p in err.value.problems), err.value.problems
        assert stored(blank_db, "SELECT count(*) FROM score") == [(0,)]
        return
    import_vcci_sheet(blank_db, [row, ["Quang Ninh", *QUANG_NINH_2017]])
    found = stored(blank_db, "SELECT value FROM score WHERE entity_key = 'haiphong' AND year = 2017 AND code = 'entry'")
    assert [r[0] for r in found] == ([] if value is None else [value])


# --- fold: the key a name is compared by --------------------------------------------------------

NAMES = [
    pytest.param("Hải Phòng", "hai_phong", "haiphong", id="diacritics"),
    pytest.param("HAI PHONG", "hai_phong", "haiphong", id="upper-case-ascii"),
    pytest.param("  Hải   Phòng ", "hai_phong", "haiphong", id="extra-spaces"),
    pytest.param("Đà Nẵng", "da_nang", "danang", id="d-with-stroke"),
    pytest.param("Thừa Thiên - Huế", "thua_thien_hue", "thuathienhue", id="punctuation"),
    pytest.param("Bà Rịa-Vũng Tàu", "ba_ria_vung_tau", "bariavungtau", id="hyphen"),
]


@pytest.mark.parametrize("name, key, province_key", NAMES)
def test_fold_pure(name, key, province_key):
    assert fold(name) == key
    assert normalize_name(name) == key.replace("_", "")


@pytest.mark.parametrize("name, key, province_key", NAMES)
def test_fold_through_an_imported_workbook(blank_db, name, key, province_key):
    """A province written any of these ways in a workbook is stored under its one key."""
    import_vcci_sheet(blank_db, [[name, *HAI_PHONG_2017], ["Quang Ninh" if province_key != "quangninh" else
                                                             "Hai Phong", *QUANG_NINH_2017]])
    keys = {r[0] for r in stored(blank_db, "SELECT DISTINCT entity_key FROM score WHERE year = 2017")}
    assert province_key in keys


# --- rank: 1 = best, ties share the best rank ---------------------------------------------------

RANKS = [
    pytest.param([70.0, 65.0, 60.0], [1, 2, 3], id="distinct"),
    pytest.param([65.0, 70.0, 65.0], [2, 1, 2], id="a-tie-shares-the-best-rank"),
    pytest.param([70.0, 70.0, 60.0], [1, 1, 3], id="a-tie-at-the-top-skips-the-next-rank"),
]
PROVINCES = ["Hai Phong", "Quang Ninh", "Da Nang"]
KEYS = ["haiphong", "quangninh", "danang"]


@pytest.mark.parametrize("composites, ranks", RANKS)
def test_rank_ties_pure(composites, ranks):
    assert rank_min(pd.Series(composites)).tolist() == ranks


@pytest.mark.parametrize("composites, ranks", RANKS)
def test_rank_ties_through_an_imported_workbook(blank_db, composites, ranks):
    """A workbook without ranks: the ranks the import derives from the composites follow the rule."""
    rows = [[name, composite, *HAI_PHONG_2017[1:]] for name, composite in zip(PROVINCES, composites, strict=True)]
    import_vcci_sheet(blank_db, rows)
    found = dict(stored(blank_db, "SELECT entity_key, rank FROM score WHERE year = 2017 AND code = 'composite'"))
    assert [found[k] for k in KEYS] == ranks


# --- the composite: weighted sum of the sub-indices ----------------------------------------------

COMPOSITES = [
    pytest.param("haiphong", 2007, 53.1867, id="2006-08-weights"),
    pytest.param("haiphong", 2012, 53.5769, id="2009-12-weights"),
    pytest.param("haiphong", 2017, 65.1545, id="2013-21-weights"),
    pytest.param("danang", 2019, 70.1539, id="another-province"),
    pytest.param("haiphong", 2022, 70.76, id="2022-24-weights"),
    pytest.param("quangninh", 2022, None, id="a-missing-sub-index-gives-no-composite"),
]


def test_composite_pure():
    assert composite_score({"a": 6.0, "b": 8.0}, {"a": 50, "b": 50}) == 70.0
    assert composite_score({"a": 6.0, "b": 8.0}, {"a": 50, "b": None}) is None
    assert composite_score({"a": 6.0, "b": float("nan")}, {"a": 50, "b": 50}) is None
    assert composite_score({"a": 6.0, "b": 8.0}, {"a": 100, "b": 0}) == 60.0


@pytest.mark.parametrize("entity, year, published", COMPOSITES)
def test_composite_through_the_built_database(built_db, entity, year, published):
    """The rule, fed with the sub-index scores and weights stored in the database, gives VCCI's
    published composite (to rounding of the published sub-indices) — or no composite when one is
    missing, never a guess."""
    scores = stored(built_db, "SELECT s.code, s.value, w.weight FROM score s JOIN subindex w "
                              "ON w.framework_id = s.framework_id AND w.code = s.code "
                              "WHERE s.entity_key = ? AND s.year = ? AND s.code <> 'composite'", entity, year)
    framework = stored(built_db, "SELECT DISTINCT framework_id FROM score WHERE entity_key = ? AND year = ?",
                       entity, year)[0][0]
    weights = dict(stored(built_db, "SELECT code, weight FROM subindex WHERE framework_id = ? AND code <> "
                                    "'composite' AND weight IS NOT NULL", framework))
    result = composite_score({code: value for code, value, _w in scores}, weights)
    if published is None:
        assert result is None
    else:
        assert result is not None and math.isclose(result, published, abs_tol=0.001)


# --- the methodology in force in a year: one rule (domain.trends.framework_of) ----------------------

FRAMEWORK_EXAMPLES = [  # year, the framework the seed's table puts in force (None: before the first)
    (2004, None), (2005, "pci2005"), (2006, "pci2006"), (2008, "pci2006"), (2009, "pci2009"), (2012, "pci2009"),
    (2013, "pci2013"), (2021, "pci2013"), (2022, "pci2022"), (2024, "pci2022"), (2025, "pci2025"),
    (2030, "pci2025"),
]


@pytest.mark.parametrize("year, expected", FRAMEWORK_EXAMPLES)
def test_one_framework_per_year_for_the_build_the_import_and_the_views(built_db: Path, year: int,
                                                                        expected: str | None) -> None:
    from pci_metrics.domain.trends import framework_of
    from pci_metrics.imports import context
    from pci_metrics.store import storage

    frameworks = pd.read_csv(build.SEED_DIR / "frameworks.csv")
    assert framework_of(frameworks, year) == expected
    if expected is not None:
        assert build.framework_for_year(frameworks, year) == expected
    with storage.connect(built_db, read_only=True) as con:
        ctx = context.load_context(con)
    assert ctx.framework_for(year) == expected  # the stored year first, then the same rule


# --- reading a sheet: row by row or a column at a time, one answer ---------------------------------

def test_a_sheet_read_a_column_at_a_time_gives_what_reading_it_row_by_row_gives():
    """The service-index sheet is read by ``read_rows`` (each distinct cell once); every other sheet by
    ``read_row``. Both apply the same column rules: run the same rows through both."""
    from pci_metrics.imports.service_readings import READING_RULES, _refs
    from pci_metrics.imports.sheet_rules import read_row, read_rows

    groups = pd.DataFrame({"code": ["publicity", "digitisation"], "name_vi": ["Công khai, minh bạch", "Số hóa hồ sơ"],
                           "name_en": ["Publicity", "Digitisation"], "max_points": [18.0, None]})
    entities = pd.DataFrame({"entity_key": ["hongbang"], "name_vi": ["Phường Hồng Bàng"], "name_en": ["Hồng Bàng"]})
    refs = _refs(groups, entities, "hongbang", "QĐ 766")
    rows = [  # entity, period, group, score, source
        (None, "2026-Q1", "Công khai, minh bạch", 16.5, "dichvucong.gov.vn"),
        ("Hồng Bàng", "2026-Q1", "so hoa", "6,8", None),
        ("  ", "2026-Q2", "publicity", 19, "x"),  # over the group's maximum
        ("Lê Chân", "2026-Q2", "publicity", 1, "x"),  # unknown ward
        ("hongbang", "2026-13", "publicity", 1.0, "x"),  # not a period
        ("hongbang", "2026-Q3", "không có", True, "x"),  # unknown group, a boolean score
        ("hongbang", "2026-Q3", "publicity", "1", "x"),
        ("hongbang", "2026-Q3", "digitisation", None, "x"),  # required score left blank
        ("hongbang", "2026-Q3", "digitisation", "abc", "\u00a0"),
        ("hongbang", "2026-Q4", "digitisation", 30, "x"),
        ("hongbang", "2026-Q4", "publicity", 16.5, "dichvucong.gov.vn"),
    ]
    names = [r.column for r in READING_RULES]
    columns = {c: [r[i] for r in rows] for i, c in enumerate(names)}
    values, found = read_rows(READING_RULES, columns, len(rows), refs)
    for i, row in enumerate(rows):
        out: dict[str, object] = {}
        one = read_row(READING_RULES, dict(zip(names, row, strict=True)), refs, out)
        assert [(names[at], f) for j, at, f in found if j == i] == one, row
        assert {c: values[c][i] for c in names if values[c][i] is not None} == \
               {c: v for c, v in out.items() if v is not None}, row
    assert {f.code for _, _, f in found} >= {"required", "decimal_comma"}
