"""Official figures are never bent: workbooks edited from VCCI's own 2018 file are refused with a
message naming the cell, the database is left as it was, and ``verify`` catches a damaged ranking.

Each workbook is built here from the shipped ``pci_2018.xlsx`` (values only, so the only formula or
error in it is the one the test plants).
"""

from __future__ import annotations

import functools
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from pci_metrics.base.problems import InputError
from pci_metrics.domain import consistency
from pci_metrics.imports import ingest
from pci_metrics.store import reference_db, scores_db, storage, tables_db
from pci_metrics.store.build import build_database
from pci_metrics.views import history
from tests.conftest import ROOT

VCCI_2018 = ROOT / "tests" / "fixtures" / "vcci" / "pci_2018.xlsx"


@functools.cache
def _summary() -> tuple[int, int, int]:
    """(Hải Phòng's row, the transparency column, the last province row) of the 2018 summary, 1-based."""
    ws = openpyxl.load_workbook(VCCI_2018, data_only=True, read_only=True)["Summary"]
    rows = list(ws.iter_rows(values_only=True))
    hp = next(i for i, r in enumerate(rows, 1) if r[0] == "Hai Phong")
    col = next(j for r in rows[:hp] for j, v in enumerate(r, 1) if isinstance(v, str) and "Transparency" in v)
    last = next(i for i, r in enumerate(rows, 1) if i > hp and not r[0]) - 1  # the blank row ends the table
    return hp, col, last


def edited(**edits: Any) -> bytes:
    """pci_2018.xlsx (values only) with cells of its Summary sheet set: ``edits`` maps "F28" -> value."""
    wb = openpyxl.load_workbook(VCCI_2018, data_only=True)
    ws = wb["Summary"]
    for ref, value in edits.items():
        if isinstance(value, tuple) and value[0] == "error":
            ws[ref].value, ws[ref].data_type = value[1], "e"
        elif isinstance(value, list):  # a whole row appended at that row
            for j, v in enumerate(value, 1):
                ws.cell(row=int(ref), column=j, value=v)
        else:
            ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def hp_transparency_ref() -> str:
    hp, col, _ = _summary()
    return f"{openpyxl.utils.get_column_letter(col)}{hp}"


def checksums(db: Path) -> dict[str, str]:
    with storage.connect(db, read_only=True) as con:
        return tables_db.table_checksums(con)


def refused(db: Path, data: bytes) -> list[Any]:
    """Import ``data`` as pci_2018.xlsx; it must be refused and change nothing; return its errors."""
    before = checksums(db)
    with pytest.raises(InputError) as err:
        ingest.import_file(str(db), data, "pci_2018.xlsx", user="kiem-thu")
    assert checksums(db) == before
    return err.value.problems


def hp_row() -> list[Any]:
    ws = openpyxl.load_workbook(VCCI_2018, data_only=True, read_only=True)["Summary"]
    hp, _, _ = _summary()
    return list(next(ws.iter_rows(min_row=hp, max_row=hp, values_only=True)))


# ---------------------------------------------------------------------------------------------
# Cells that cannot be trusted
# ---------------------------------------------------------------------------------------------

def test_a_formula_without_a_saved_value_is_refused_not_read_as_missing(fresh_db: Path) -> None:
    ref = hp_transparency_ref()
    problems = refused(fresh_db, edited(**{ref: "=5+0.89"}))
    p = next(p for p in problems if p.code == "formula_without_value")
    assert (p.sheet, p.row, p.column, p.found) == ("Summary", _summary()[0], ref.rstrip("0123456789"), "=…")
    assert "mở tệp trong Excel và lưu lại" in p.message("vi")


def test_an_error_value_is_refused(fresh_db: Path) -> None:
    ref = hp_transparency_ref()
    problems = refused(fresh_db, edited(**{ref: ("error", "#N/A")}))
    p = next(p for p in problems if p.code == "error_value")
    assert (p.row, p.found) == (_summary()[0], "#N/A")
    assert "#REF!" in p.message("vi")


def test_a_number_stored_as_text_that_reads_two_ways_is_refused(fresh_db: Path) -> None:
    ref = hp_transparency_ref()
    problems = refused(fresh_db, edited(**{ref: "5.889"}))
    p = next(p for p in problems if p.code == "ambiguous_number")
    assert (p.row, p.found) == (_summary()[0], "5.889")


def test_a_province_dropped_from_one_subindex_is_refused(empty_or_fresh: Path) -> None:
    ref = hp_transparency_ref()
    problems = refused(empty_or_fresh, edited(**{ref: None}))
    p = next(p for p in problems if p.code == "missing_score")
    assert p.row == _summary()[0] and "Hai Phong" in p.message("en")


@pytest.fixture(params=["empty", "shipped"])
def empty_or_fresh(request: pytest.FixtureRequest, fresh_db: Path, tmp_path: Path) -> Path:
    if request.param == "shipped":
        return fresh_db
    db = tmp_path / "empty.duckdb"
    build_database(db, empty=True)  # frameworks and provinces, no scores
    return db


def test_a_repeat_below_the_table_with_other_figures_is_refused_naming_both_rows(fresh_db: Path) -> None:
    hp, col, last = _summary()
    row = hp_row()
    row[col - 1] = 6.5  # the appended "correction"
    problems = refused(fresh_db, edited(**{str(last + 10): row}))
    dup = [p for p in problems if p.code == "duplicate_province"]
    assert len(dup) == 1 and dup[0].row == last + 10
    assert f"dòng {hp}" in dup[0].message("vi") and dup[0].found == "6.5"


def test_a_repeat_inside_the_table_is_refused_even_with_the_same_figures(fresh_db: Path) -> None:
    hp, _, last = _summary()
    problems = refused(fresh_db, edited(**{str(last + 1): hp_row()}))
    dup = [p for p in problems if p.code == "duplicate_province"]
    assert dup and dup[0].row == last + 1 and f"dòng {hp}" in dup[0].message("vi")


def test_vccis_own_lookup_row_below_the_table_is_read_as_a_notice(fresh_db: Path) -> None:
    """VCCI's workbooks 2008–2018 repeat one province under the table with the same figures: the
    import names both rows in a notice and changes nothing."""
    before = checksums(fresh_db)
    preview = ingest.preview_file(str(fresh_db), VCCI_2018.read_bytes(), "pci_2018.xlsx")
    assert preview.ok and preview.added + preview.changed == 0
    assert checksums(fresh_db) == before


def test_a_province_below_the_table_that_the_table_lacks_is_refused(fresh_db: Path) -> None:
    _, _, last = _summary()
    ws = openpyxl.load_workbook(VCCI_2018, data_only=True, read_only=True)["Summary"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    da_nang = next(i for i, r in enumerate(rows, 1) if r[0] == "Da Nang")
    moved = rows[da_nang - 1]
    data = edited(**{str(last + 10): moved, **{f"{openpyxl.utils.get_column_letter(j)}{da_nang}": None
                                                   for j in range(1, len(moved) + 1)}})
    problems = refused(fresh_db, data)
    assert any(p.code == "province_below_table" and p.row == last + 10 for p in problems)


# ---------------------------------------------------------------------------------------------
# A year's ranking stays one ranking
# ---------------------------------------------------------------------------------------------

def test_a_score_that_would_contradict_its_published_rank_is_refused(fresh_db: Path) -> None:
    """Hải Phòng 2019 is 10th with 68.73; 70 would put it above the 9th (68.80) with rank 10 kept."""
    data = b"year,entity_key,code,value\n2019,haiphong,composite,70\n"
    before = checksums(fresh_db)
    with pytest.raises(InputError) as err:
        ingest.import_file(str(fresh_db), data, "sua.csv", user="kiem-thu", allow_changes=True)
    p = next(p for p in err.value.problems if p.code == "ranking_inconsistent")
    assert p.row == 2 and "Hải Phòng" in (p.found or "") and "2019 · composite" in p.message("vi")
    assert checksums(fresh_db) == before


def test_verify_passes_on_the_shipped_database(built_db: Path) -> None:
    with storage.connect(built_db, read_only=True) as con:
        report = history.verify(con)
    assert report.ok, report.failures


def _damage(db: Path, sql: str) -> None:
    con = duckdb.connect(str(db))
    con.execute(sql)
    con.close()


@pytest.mark.parametrize("damage, expected", [
    # what the old import did to 2018 transparency: 62 provinces re-ranked without Hải Phòng
    ("""UPDATE score SET rank_of = 62, rank = CASE WHEN rank > 52 THEN rank - 1 ELSE rank END
        WHERE year = 2018 AND code = 'transparency' AND entity_key <> 'haiphong'""", "rank_of_differs"),
    ("UPDATE score SET rank = 0 WHERE year = 2018 AND code = 'entry' AND entity_key = 'hanoi'", "rank_out_of_range"),
    ("DELETE FROM score WHERE year = 2018 AND code = 'transparency' AND entity_key = 'haiphong'",
     "missing_from_ranking"),
    ("UPDATE score SET value = 70 WHERE year = 2019 AND code = 'composite' AND entity_key = 'haiphong'",
     "rank_vs_score"),
    ("UPDATE benchmark SET median = median + 0.5 WHERE year = 2018 AND code = 'transparency'", "benchmark"),
    ("UPDATE benchmark SET source = '' WHERE year = 2018 AND code = 'entry'", "no_source"),
])
def test_verify_fails_on_a_damaged_database(fresh_db: Path, damage: str, expected: str) -> None:
    _damage(fresh_db, damage)
    with storage.connect(fresh_db, read_only=True) as con:
        report = history.verify(con)
    assert not report.ok
    r = subprocess.run([sys.executable, "-m", "pci_metrics", "verify", "--db", str(fresh_db)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode != 0
    with storage.connect(fresh_db, read_only=True) as con:
        info = reference_db.load_year_info(con)
        n = dict(zip(info["year"].astype(int), info["n_provinces"].astype(int), strict=True))
        scores = scores_db.load_scores(con)
        kinds = {i.kind for i in consistency.ranking_issues(scores, n)
                 + consistency.benchmark_issues(scores_db.load_benchmarks(con), scores, n)}
    assert expected in kinds


def test_show_prints_ranks_as_whole_numbers(built_db: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "pci_metrics", "show", "--entity", "haiphong", "--year", "2018",
                        "--format", "csv", "--db", str(built_db)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0
    transparency = next(line for line in r.stdout.splitlines() if line.startswith("transparency,"))
    assert ",52,63," in transparency and ".0," not in transparency.split(",published")[0].split(",", 3)[3]


# ---------------------------------------------------------------------------------------------
# The published figures of 2021–2024 and the city's target
# ---------------------------------------------------------------------------------------------

MORE = ROOT / "data" / "seed" / "pci_2021_2024_more_published.csv"


def test_the_2021_table_reproduces_each_composite_from_its_subindices(built_db: Path) -> None:
    import pandas as pd

    from pci_metrics.domain.composite import composite_score
    rows = pd.read_csv(MORE)
    year = rows[rows["year"] == 2021]
    with storage.connect(built_db, read_only=True) as con:
        subs = reference_db.load_subindices(con)
    weights = dict(zip(subs[subs["framework_id"] == "pci2013"]["code"], subs[subs["framework_id"] == "pci2013"]["weight"],
                       strict=True))
    checked = 0
    for key, g in year.groupby("province_key"):
        values = dict(zip(g[g["level"] == "subindex"]["subindex"], g[g["level"] == "subindex"]["value"], strict=True))
        published = float(g[g["level"] == "composite"]["value"].iloc[0])
        assert len(values) == 10, key
        assert abs(composite_score(values, weights) - published) <= 0.02 + 1e-9, key  # type: ignore[operator]
        checked += 1
    assert checked == 21


def test_the_new_published_figures_are_in_the_database_with_their_sources(built_db: Path) -> None:
    with storage.connect(built_db, read_only=True) as con:
        s = scores_db.load_scores(con)
    y2021 = s[(s["year"] == 2021) & (s["code"] != "composite")]
    assert y2021["entity_key"].nunique() == 21 and len(y2021) == 210
    assert y2021["rank"].isna().all()  # sub-index ranks were not published: unknown, not invented
    assert y2021["source"].str.contains("pcivietnam.vn").all()
    top10 = s[(s["year"] == 2022) & (s["code"] == "composite") & (s["rank"] <= 10)]
    assert sorted(top10["rank"].astype(int)) == list(range(1, 11))
    hanoi = s[(s["year"] == 2024) & (s["entity_key"] == "hanoi") & (s["code"] == "composite")].iloc[0]
    assert (hanoi["value"], hanoi["rank"]) == (68.38, 24)


def test_compare_shows_the_2021_subindices_of_the_top_21(built_db: Path) -> None:
    from pci_metrics.views.compare import compare_model
    with storage.connect(built_db, read_only=True) as con:
        model = compare_model(con, ("bacninh", "danang", "haiphong"), 2021, 2013, 2021)
    matrix = model.matrix("vi")
    assert matrix.notna().all(axis=None) and matrix.shape == (10, 3)
    assert round(float(matrix.loc["Gia nhập thị trường", "Bắc Ninh"]), 2) == float(
        __import__("pandas").read_csv(MORE).query("year == 2021 and province_key == 'bacninh' and subindex == 'entry'")
        ["value"].iloc[0])


def test_the_citys_2026_rank_target_is_sourced_and_judges_the_composite(built_db: Path) -> None:
    from pci_metrics.views.scorecard import scorecard_model
    with storage.connect(built_db, read_only=True) as con:
        targets = scores_db.load_targets(con)
        card = scorecard_model(con)
    city = targets[(targets["entity_key"] == "haiphong") & (targets["code"] == "composite")].iloc[0]
    assert (int(city["year"]), int(city["target_rank"])) == (2026, 5) and "5256/QĐ-UBND" in city["source"]
    comp = card.rows[card.rows["code"] == "composite"].iloc[0]
    assert (comp["target_year"], comp["target_rank"], comp["status"]) == (2026, 5, "not_due")  # judged once 2026 has data


def test_the_overview_shows_the_targets_source(app_db: Path) -> None:
    from tests.test_pages import run_app
    for lang, words in (("vi", "Nguồn mục tiêu"), ("en", "Target source")):
        at = run_app("overview", lang=lang)
        assert not at.exception
        captions = [c.value for c in at.caption]
        assert any(words in c and "5256/QĐ" in c for c in captions), captions
