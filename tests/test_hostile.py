"""Hostile input: text from spreadsheets and forms — task names, notes, unit names — that
holds HTML, scripts, Markdown, formulas or SQL is stored as typed, shown as typed, exported inert;
SQL values are always bound; upload file names never become paths."""

from __future__ import annotations

import ast
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from pci_metrics.imports import commit, context, read, validate
from pci_metrics.store import audit_db, batches_db, reference_db, scores_db, storage, tables_db, tasks_db, users_db
from pci_metrics.trust import audit, auth
from pci_metrics.ui import common
from tests.conftest import ROOT

HTML = '<b id="pwn">HTML đậm</b>'
SCRIPT = "<script>window.pwned=1</script>"
MARKDOWN = "**đậm-pwn** [bấm đây](javascript:alert(1))"
FORMULA = '=HYPERLINK("http://evil.example/x","bấm")'
SQL = "'); DROP TABLE score; --"
PAYLOADS = [HTML, SCRIPT, MARKDOWN, FORMULA, SQL]

# Rendered Markdown must never hold these unescaped (a backslash before the character is Markdown's
# escape, which ui.common.plain_md adds).
UNESCAPED = [re.compile(p) for p in (r"(?<!\\)<b id=", r"(?<!\\)<script", r"(?<!\\)\*\*đậm-pwn",
                                     r"(?<!\\)\]\(javascript")]


# --- SQL: values are always bound ---------------------------------------------------------------

# Names that may be interpolated into SQL text in pci_metrics/store: each holds an identifier checked
# against DATA_TABLES, a table's own columns or a constant (never a value from a user).
IDENTIFIER_NAMES = {"t", "table", "cols", "col", "column", "on", "key_list", "key_json", "row_json", "USER_COLUMNS",
                    "FILE_COLUMNS", "quote_ident", "check_table"}
SQL_TEXT = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|COPY|CREATE|WHERE)\b", re.IGNORECASE)
STORE_MODULES = sorted((ROOT / "pci_metrics" / "store").glob("*.py"))


def interpolated_into_sql(source: str) -> list[tuple[int, str]]:
    """(line, expression) of every f-string part in SQL text that is not a checked identifier."""
    offenders = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        if not SQL_TEXT.search(literal):
            continue
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                names = {n.id for n in ast.walk(part.value) if isinstance(n, ast.Name)}
                if not names or not names <= IDENTIFIER_NAMES:
                    offenders.append((node.lineno, ast.unparse(part.value)))
    return offenders


def test_the_sql_check_catches_a_value_interpolated_into_sql():
    assert interpolated_into_sql('con.execute(f"SELECT * FROM score WHERE code = \'{code}\'")') == [(1, "code")]
    assert interpolated_into_sql('con.execute(f"DELETE FROM {quote_ident(table)}")') == []


def test_the_store_has_modules_to_check():
    assert {"storage.py", "schema.py", "tables_db.py"} <= {p.name for p in STORE_MODULES}


@pytest.mark.parametrize("path", STORE_MODULES, ids=lambda p: p.name)
def test_store_interpolates_only_checked_identifiers_into_sql(path):
    offenders = [f"{path.name}:{line}: {expr}" for line, expr in interpolated_into_sql(path.read_text())]
    assert not offenders, "bind values with ? instead: " + "; ".join(offenders)


def test_sql_in_values_is_stored_as_typed_through_every_write_path(fresh_db):
    with storage.connect(fresh_db) as con:
        scores_before = tables_db.table_counts(con)["score"]
        auth.add_user(con, "lan", "analyst", "mat-khau-cua-lan", by=SQL, display_name=SQL, rounds=4)
        scores_db.save_year_note(con, "haiphong", 2022, "composite", SQL, SQL)
        tasks_db.tasks_update_task(con, tasks_db.load_tasks(con)["task_id"].iloc[0], {"product_vi": SQL}, user=SQL)
        csv = f"year,entity_key,code,value,source\n2023,haiphong,land,6.5,\"{SQL}\"\n2023,\"{SQL}\",land,6.5,x\n"
        raw = read.read_file(csv.encode(), SQL + ".csv")
        incoming = validate.validate(raw, context.load_context(con), user=SQL)
        assert not incoming.ok  # the entity named by SQL text is unknown: said so, nothing written
        assert any(SQL in (p.found or "") for p in incoming.problems)
        csv = f"year,entity_key,code,value,source\n2023,haiphong,land,6.5,\"{SQL}\"\n"
        incoming = validate.validate(read.read_file(csv.encode(), "x.csv"), context.load_context(con), user=SQL)
        assert commit.commit(con, incoming, user=SQL).status == "committed"
        # every table is still there, and the text sits in it exactly as typed
        assert tables_db.table_counts(con)["score"] == scores_before + 1
        assert users_db.load_users(con)["display_name"].tolist() == [SQL]
        assert scores_db.load_notes(con, "haiphong", "composite")["text"].tolist() == [SQL]
        assert SQL in tasks_db.load_tasks(con)["product_vi"].tolist()
        assert scores_db.load_scores(con, entity_key="haiphong", year=2023, codes=["land"])["source"].tolist() == [SQL]
        assert set(audit_db.load_audit(con)["user_name"]) == {SQL}


# --- pages: shown as typed, never as HTML or Markdown ------------------------------------------

@pytest.fixture(scope="module")
def hostile_db(built_db, tmp_path_factory):
    """The default database after a hostile spreadsheet got in: names, notes, reports, users."""
    import shutil

    db = tmp_path_factory.mktemp("hostile") / "pci.duckdb"
    shutil.copy(built_db, db)
    with storage.connect(db) as con:
        tasks = tasks_db.load_tasks(con)["task_id"].tolist()
        units = tasks_db.load_units(con)["unit_key"].tolist()
        with storage.transaction(con):  # names as a hostile plan file would bring them (bound values)
            for task_id, text in zip(tasks, [HTML + " " + SCRIPT, MARKDOWN, FORMULA], strict=False):
                con.execute("UPDATE task SET title_vi = ?, title_en = ?, product_vi = ? WHERE task_id = ?",
                            [text, text, text, task_id])
            con.execute("UPDATE unit SET name_vi = ?, name_en = ? WHERE unit_key = ?",
                        [FORMULA + " " + HTML, FORMULA + " " + HTML, units[0]])
        for code in ["composite", *reference_db.load_priorities(con)["code"].tolist()]:
            scores_db.save_year_note(con, "haiphong", 2022, code, MARKDOWN + " " + HTML, "lan")
        auth.add_user(con, "lan", "analyst", "mat-khau-cua-lan", by="admin", display_name=MARKDOWN, rounds=4)
        with storage.transaction(con):
            audit_db.write_audit(con, "lan", "note", "year_note", FORMULA, HTML, MARKDOWN, None)
    return db


def rendered_markdown(at) -> list[tuple[str, str]]:
    """(element type, text) of everything AppTest holds that the browser renders as Markdown."""
    out: list[tuple[str, str]] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is not None:
            for field in ("body", "label", "help", "placeholder"):
                value = getattr(proto, field, None)
                if isinstance(value, str) and value and (field != "body" or kind in MARKDOWN_BODIES):
                    out.append((f"{kind}.{field}", value))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


MARKDOWN_BODIES = {"markdown", "caption", "title", "header", "subheader", "error", "warning", "info",
                   "success", "toast", "exception", "text"}


def all_pages() -> list[str]:
    from pci_metrics.ui import navigation

    return navigation.page_ids()


@pytest.fixture(scope="module")
def rendered(hostile_db):
    """Each page of the app run once on the hostile database (as admin: every editor and table shows)."""
    import streamlit as st

    from tests.test_auth import run_app

    cache: dict[str, object] = {}

    def get(page: str):
        if page not in cache:
            mp = pytest.MonkeyPatch()
            mp.setenv("PCI_DB_PATH", str(hostile_db))
            st.cache_data.clear()
            st.cache_resource.clear()
            try:
                cache[page] = run_app(page, role="admin", user_name="lan")
            finally:
                mp.undo()
        return cache[page]

    return get


@pytest.mark.parametrize("page", all_pages())
def test_hostile_text_is_never_rendered_as_markdown_or_html(rendered, page):
    at = rendered(page)
    assert not at.exception, at.exception
    bad = [(kind, text[:120]) for kind, text in rendered_markdown(at)
           if kind != "text.body" and any(p.search(text) for p in UNESCAPED)]
    assert not bad, f"user text rendered as Markdown on {page}: {bad}"


def figure_texts(at) -> list[str]:
    """Every string in the page's Plotly figures (Plotly renders <b>, <a href>, <br> in them)."""
    import json

    out: list[str] = []

    def walk(v) -> None:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return out


@pytest.mark.parametrize("page", all_pages())
def test_hostile_text_in_charts_is_escaped_html(rendered, page):
    at = rendered(page)
    raw = [x[:120] for x in figure_texts(at) if HTML in x or SCRIPT in x]
    assert not raw, f"user text reaches a chart as HTML on {page}: {raw}"


def test_the_markdown_check_itself_catches_user_text_in_a_caption():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(f"import streamlit as st\nst.caption({MARKDOWN!r})\nst.text({MARKDOWN!r})\n"
                             "from pci_metrics.ui.common import plain_md\n"
                             f"st.caption(plain_md({MARKDOWN!r}))").run()
    flagged = [kind for kind, text in rendered_markdown(at) if any(p.search(text) for p in UNESCAPED)]
    assert flagged == ["caption.body", "text.body"]  # the raw caption (and st.text, which is plain)


def test_hostile_text_appears_literally_where_it_is_shown(hostile_db, monkeypatch):
    import streamlit as st

    from tests.test_auth import run_app

    monkeypatch.setenv("PCI_DB_PATH", str(hostile_db))
    st.cache_data.clear()
    at = run_app("audit", role="admin", user_name="lan")
    frame = at.dataframe[0].value
    row = frame[frame["Thao tác"] == "note"].iloc[0]  # an action the catalogue does not know: as recorded
    assert FORMULA in row["Bản ghi"] and HTML in row["Thay đổi"] and MARKDOWN in row["Thay đổi"]
    at = run_app("users", role="admin", user_name="lan")
    assert MARKDOWN in at.dataframe[0].value["Tên hiển thị"].tolist()
    at = run_app("signin", role="analyst", user_name="lan", display_name=MARKDOWN)
    shown = " ".join(c.value for c in at.caption)
    assert "\\*\\*đậm\\-pwn\\*\\*" in shown  # escaped for Markdown: shows as typed
    assert not [text for _, text in rendered_markdown(at) if any(p.search(text) for p in UNESCAPED)]
    assert any("đậm" in c.value for c in at.sidebar.caption)  # the account box names the user, escaped


# --- exports: inert in spreadsheets -------------------------------------------------------------

def formulas_in(xlsx: bytes) -> list[str]:
    """Every cell of every sheet that Excel would evaluate (an <f> element in the sheet XML)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheets = {name: z.read(name) for name in z.namelist() if name.startswith("xl/worksheets/")}
    return [name for name, xml in sheets.items() if b"<f>" in xml or b"<f " in xml]


def cells(xlsx: bytes) -> list[object]:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]


FRAME = pd.DataFrame({"task": PAYLOADS, "value": [1.5, 2.0, None, -3.0, 4.0]})


@pytest.mark.parametrize("to_xlsx", [
    pytest.param(lambda f: audit.to_xlsx_bytes(f), id="audit-export"),
    pytest.param(lambda f: common.to_xlsx(f), id="chart-download"),
])
def test_xlsx_exports_never_hold_a_formula(to_xlsx):
    data = to_xlsx(FRAME)
    assert not formulas_in(data)
    texts = [str(v) for v in cells(data) if isinstance(v, str)]
    assert any(FORMULA in v for v in texts) and any(HTML in v for v in texts)


@pytest.mark.parametrize("to_csv", [
    pytest.param(lambda f: audit.to_csv_bytes(f), id="audit-export"),
    pytest.param(lambda f: common.to_csv(f), id="chart-download"),
])
def test_csv_exports_start_no_cell_with_a_formula_character(to_csv):
    text = to_csv(FRAME).decode("utf-8-sig")
    rows = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert not [v for v in rows["task"] if v[:1] in "=+-@"]
    assert "'" + FORMULA in rows["task"].tolist()


def test_the_tasks_annex_keeps_hostile_task_names_inert(hostile_db):
    from pci_metrics.outputs import reports

    with storage.connect(hostile_db, read_only=True) as con:
        model = reports.report_model(con, "2026-Q1", "2026-03-01")
    data = reports.report_xlsx(model)
    assert not formulas_in(data)
    assert FORMULA in [v for v in cells(data) if isinstance(v, str)]


def test_the_scores_export_keeps_a_hostile_source_inert(fresh_db, tmp_path):
    from tests.test_cli import run

    with storage.connect(fresh_db) as con:
        csv = f'year,entity_key,code,value,source\n2023,haiphong,land,6.5,"{FORMULA}"\n'
        incoming = validate.validate(read.read_file(csv.encode(), "x.csv"), context.load_context(con), user="lan")
        commit.commit(con, incoming, user="lan")
    r = run("export", "--out", str(tmp_path / "scores.xlsx"), db=fresh_db)
    assert r.returncode == 0, r.stderr
    assert not formulas_in((tmp_path / "scores.xlsx").read_bytes())


# --- uploads: file names are labels, never paths ------------------------------------------------

@pytest.mark.parametrize("name, label", [
    ("../../etc/passwd.xlsx", "passwd.xlsx"), ("..\\..\\Windows\\pci.csv", "pci.csv"),
    ("/tmp/x/../../root/.bashrc.csv", ".bashrc.csv"), (f"{SCRIPT}.csv", "script>.csv"),
])
def test_upload_names_become_plain_labels(name, label):
    raw = read.read_file(b"year,entity_key,code,value\n2017,haiphong,composite,65.15\n", name)
    assert raw.file_name == label and "/" not in raw.file_name and "\\" not in raw.file_name


def test_an_upload_named_like_a_path_writes_no_file_and_is_recorded_by_its_base_name(app_db, tmp_path,
                                                                                    monkeypatch):
    from tests.test_auth import run_app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    at = run_app("import", role="analyst", user_name="lan")
    csv = b"year,entity_key,code,value,source\n2023,haiphong,land,6.5,test\n"
    at.file_uploader(key="ingest_file").set_value(("../../passwd.csv", csv, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert any("passwd.csv" in s.value and "../" not in s.value for s in at.subheader)  # the preview names it
    at.button(key="ingest_commit").click()
    at.run()
    assert not (tmp_path / "passwd.csv").exists() and not list(tmp_path.rglob("passwd*"))
    with storage.connect(app_db, read_only=True) as con:
        names = batches_db.load_batches(con)["file_name"].tolist()
    assert names == ["passwd.csv"]
