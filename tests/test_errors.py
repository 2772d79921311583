"""No tracebacks for users: a damaged database, a full disk, a hostile link or a forged widget value
gets a clear message in Vietnamese (English on the switch); a genuine bug gets a friendly page with a
short error id, and the traceback with the same id goes to the server log only."""

from __future__ import annotations

import errno
import io
import logging
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pci_metrics.cli import main as cli
from pci_metrics.store import reference_db, storage
from tests.conftest import ROOT
from tests.test_pages import APP, goto

RESTORE = ".venv/bin/python -m pci_metrics restore backups/"
ERROR_ID = re.compile(r"\b[0-9a-f]{8}\b")


# --- helpers --------------------------------------------------------------------------------------

def damage(built_db: Path, target: Path, kind: str) -> Path:
    """A database file that DuckDB cannot read, as a failing disk or an interrupted copy leaves it."""
    good = built_db.read_bytes()
    if kind == "random-bytes":
        target.write_bytes(os.urandom(64 * 1024))
    elif kind == "cut-in-the-header":  # refused when opened
        target.write_bytes(good[:5000])
    elif kind == "cut-in-half":  # opens, then a read runs past the end of the file
        target.write_bytes(good[: len(good) // 2])
    elif kind == "a-folder":
        target.mkdir()
    return target


def page_text(at: AppTest) -> str:
    """Everything the page sends to the browser (every element of the main area and the sidebar)."""
    out: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def open_app(page: str = "overview", lang: str = "vi", query: dict[str, str | list[str]] | None = None,
             **state: object) -> AppTest:
    """The app as a browser opens a link: the query string first, then the page, app.py around it."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    at.query_params.update(query or {})
    if page != "overview":
        goto(at, page)
    at.run()
    return at


def assert_no_details(at: AppTest, *secrets: str) -> None:
    """No traceback, no Python frame, and none of ``secrets`` (server paths, exception text) on the page."""
    text = page_text(at)
    assert not at.exception, at.exception
    assert "Traceback" not in text and 'File "' not in text
    for s in secrets:
        assert s not in text


# --- a damaged database ---------------------------------------------------------------------------

@pytest.fixture
def damaged_app(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    """The app pointed at a database file damaged in the way the test's ``kind`` says."""
    import streamlit as st

    db = damage(built_db, tmp_path / "pci.duckdb", request.param)
    monkeypatch.setenv("PCI_DB_PATH", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("page", ["overview", "signin", "whatif", "users"])
@pytest.mark.parametrize("damaged_app", ["random-bytes", "cut-in-the-header", "cut-in-half", "a-folder"],
                         indirect=True)
def test_a_damaged_database_says_how_to_restore_on_every_page(damaged_app: Path, page: str) -> None:
    at = open_app(page)
    assert_no_details(at, str(damaged_app.parent), "IOException", "duckdb")
    errors = " ".join(e.value for e in at.error)
    assert "Không đọc được cơ sở dữ liệu" in errors and "bản sao lưu gần nhất" in errors
    assert any(RESTORE in c.value for c in at.code), [c.value for c in at.code]


@pytest.mark.parametrize("damaged_app", ["random-bytes"], indirect=True)
def test_the_damaged_database_message_in_english(damaged_app: Path) -> None:
    at = open_app("signin", lang="en")
    assert_no_details(at, str(damaged_app.parent))
    assert "The database cannot be read" in " ".join(e.value for e in at.error)
    assert any(RESTORE in c.value for c in at.code)


def test_the_account_box_is_inside_the_handler(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """app.py draws the account box before the navigation: a damaged database found there is explained too."""
    from pci_metrics.ui import trust

    def account_box(lg: str) -> None:
        raise storage.DatabaseCorrupt(app_db)

    monkeypatch.setattr(trust, "account_box", account_box)
    at = open_app("signin")
    assert_no_details(at, str(app_db.parent))
    assert any(RESTORE in c.value for c in at.code)


# --- a genuine bug, a full disk, Streamlit's own control flow ------------------------------------

@pytest.fixture
def server_log() -> Iterator[io.StringIO]:
    """What the dashboard writes to the server log during the test."""
    from pci_metrics.ui import common

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    common.LOG.addHandler(handler)
    yield out
    common.LOG.removeHandler(handler)


@pytest.mark.shows_failures
@pytest.mark.parametrize("lang, words", [("vi", "Đã xảy ra lỗi"), ("en", "Something went wrong")])
def test_an_unexpected_error_shows_an_id_that_is_in_the_server_log(app_db, monkeypatch, server_log, lang, words):
    from pci_metrics.views import dashboard

    def overview_model(con: duckdb.DuckDBPyConnection) -> None:
        raise RuntimeError("boom in /srv/secret/pci_metrics/views/dashboard.py")

    monkeypatch.setattr(dashboard, "overview_model", overview_model)
    at = open_app(lang=lang)
    assert_no_details(at, "boom", "/srv/secret", "RuntimeError")
    shown = " ".join(e.value for e in at.error)
    assert words in shown
    error_id = ERROR_ID.search(shown)
    assert error_id, shown
    log = server_log.getvalue()
    assert error_id.group() in log and "Traceback" in log and "boom in /srv/secret" in log


@pytest.mark.parametrize("failure", [
    pytest.param(OSError(errno.ENOSPC, "No space left on device"), id="os-error"),
    pytest.param(duckdb.IOException('IO Error: Could not write all bytes to file "/srv/pci.duckdb.wal": '
                                    "No space left on device"), id="duckdb-write"),
])
def test_a_save_on_a_full_disk_says_the_disk_is_full(app_db, monkeypatch, failure) -> None:
    from pci_metrics.trust import auth

    def add_user(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setenv("PCI_ADMIN_PASSWORD", "quan-tri-hong-bang")
    monkeypatch.setattr(auth, "add_user", add_user)
    at = open_app("users", role="admin", user_name="admin")
    at.text_input(key="users_add_name").input("minh")
    at.text_input(key="users_add_password").input("mat-khau-cua-minh")
    next(b for b in at.button if b.label == "Thêm người dùng").click()
    at.run()
    assert_no_details(at, "/srv", "No space left")
    assert "Ổ đĩa đã đầy" in " ".join(e.value for e in at.error)


def test_switch_page_passes_through_the_handler(app_db) -> None:
    """Leaving the slides calls st.switch_page (an exception inside Streamlit): it must move to the
    Overview, not show an error page."""
    at = open_app("present")
    assert not at.error
    at.button(key="slide_exit").click()
    at.run()
    assert not at.error and not at.exception
    assert at.title[0].value == "Tổng quan PCI Hải Phòng"


def test_a_missing_database_still_says_how_to_build_it(tmp_path, monkeypatch) -> None:
    """st.stop after the "no database yet" message is not an error either."""
    import streamlit as st

    monkeypatch.setenv("PCI_DB_PATH", str(tmp_path / "none.duckdb"))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_app()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Chưa có cơ sở dữ liệu. Chạy `make run` (hoặc `python -m pci_metrics build`) để tạo từ dữ liệu gốc."]


def test_error_details_are_off_for_whatever_escapes_the_handler() -> None:
    """A callback's exception happens before app.py runs: Streamlit's own box must not show a traceback."""
    from streamlit import config

    with open(ROOT / ".streamlit" / "config.toml", "rb") as f:
        assert tomllib.load(f)["client"]["showErrorDetails"] == "none"
    AppTest.from_string("import streamlit as st\nst.write('x')").run()
    assert config.get_option("client.showErrorDetails") == "none"  # AppTest reads the project config too


# --- links and widget state ----------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    pytest.param("0.5", (0.5, "ok"), id="plain"),
    pytest.param("0,5", (0.5, "ok"), id="decimal-comma"),
    pytest.param(" 0.53 ", (0.55, "ok"), id="off-the-grid"),
    pytest.param("9", (3.5, "clamped"), id="above-range"),
    pytest.param("-99", (-6.5, "clamped"), id="below-range"),
    pytest.param("1e308", (3.5, "clamped"), id="huge"),
    pytest.param("-1e308", (-6.5, "clamped"), id="huge-negative"),
    pytest.param("1e999", (0.0, "ignored"), id="overflows-to-inf"),
    pytest.param("nan", (0.0, "ignored"), id="nan"),
    pytest.param("-inf", (0.0, "ignored"), id="inf"),
    pytest.param("abc", (0.0, "ignored"), id="not-a-number"),
    pytest.param("0x10", (0.0, "ignored"), id="hex"),
    pytest.param("", (0.0, "ignored"), id="empty"),
    pytest.param(None, (0.0, "ok"), id="absent"),
])
def test_number_from_a_link(raw, expected) -> None:
    from pci_metrics.ui.common import number_from_url

    assert number_from_url(raw, -6.5, 3.5, 0.0, 0.05) == expected


@pytest.mark.parametrize("raw, expected", [
    pytest.param("2019", (2019, "ok"), id="an-option"),
    pytest.param("1800", (2022, "ignored"), id="unknown-year"),
    pytest.param("1e308", (2022, "ignored"), id="huge"),
    pytest.param("nan", (2022, "ignored"), id="nan"),
    pytest.param(None, (2022, "ok"), id="absent"),
])
def test_choice_from_a_link(raw, expected) -> None:
    from pci_metrics.ui.common import choice_from_url

    assert choice_from_url(raw, [2019, 2020, 2022], 2022) == expected


ANY_OPTION = object()  # the page's own first option, whatever the data makes it

# (page, the link's query, widget key -> the value it must fall back to)
HOSTILE_LINKS = [
    # the ends of Hải Phòng's 2019 labour slider: the 0–10 scale leaves −8,20 … +1,75
    pytest.param("whatif", {"wi_d_labor": "1e308", "wi_year": "2019"}, {"wi_d_labor": 1.75}, id="whatif-huge-delta"),
    pytest.param("whatif", {"wi_d_labor": "-1e308", "wi_year": "2019"}, {"wi_d_labor": -8.2},
                 id="whatif-huge-negative-delta"),
    pytest.param("whatif", {"wi_d_labor": "nan", "wi_d_entry": "inf", "wi_d_land": "1e999"},
                 {"wi_d_labor": 0.0, "wi_d_entry": 0.0, "wi_d_land": 0.0}, id="whatif-non-finite"),
    pytest.param("whatif", {"wi_rank": "1e308", "wi_entity": "atlantis", "wi_year": "1800", "wi_view": "x",
                            "wi_step": "7", "wi_gap": "2"},
                 {"wi_rank": 1, "wi_entity": "haiphong", "wi_year": 2022, "wi_view": "classic", "wi_step": "best"},
                 id="whatif-unknown-codes"),
    pytest.param("whatif", {"wi_rank": "0"}, {"wi_rank": 1}, id="whatif-rank-zero"),
    pytest.param("whatif", {"wi_rank": "64"}, {"wi_rank": 1}, id="whatif-rank-past-the-last"),
    pytest.param("compare", {"cmp_year": "1800", "cmp_from": "abc", "cmp_to": "1e308", "cmp_provinces": ["atlantis"],
                             "cmp_lead": "zzz"}, {"cmp_year": 2019, "cmp_from": ANY_OPTION, "cmp_to": ANY_OPTION,
                                                  "cmp_provinces": ANY_OPTION, "cmp_lead": "entry"}, id="compare"),
    pytest.param("provinces", {"prov_year": "1800"}, {"prov_year": 2024}, id="provinces-unknown-year"),
    pytest.param("province", {"province": "atlantis", "prof_sub_year": "abc"},
                 {"province": "haiphong", "prof_sub_year": 2022}, id="province-unknown"),
    pytest.param("present", {"slide": "1e308"}, {"slide": 1}, id="present-huge-slide"),
    pytest.param("present", {"slide": "-1"}, {"slide": 1}, id="present-negative-slide"),
    pytest.param("tasks", {"tasks_period": "2099-Q9", "tasks_unit": "zzz", "tasks_code": "x", "tasks_status": "x"},
                 {"tasks_unit": "", "tasks_code": "", "tasks_status": ""}, id="tasks"),
    pytest.param("overview", {"lang": "xx", "view_composite": "zzz"}, {"lang": "vi", "view_composite": "chart"},
                 id="overview"),
    pytest.param("market_entry", {"ind_sub": "zzz"}, {"ind_sub": ANY_OPTION}, id="priority"),
]


@pytest.mark.parametrize("page, query, expected", HOSTILE_LINKS)
def test_a_hostile_link_renders_the_page_with_defaults(app_db, page, query, expected) -> None:
    from pci_metrics.trust import roles

    state = {"role": roles.PAGES.get(page, "analyst"), "user_name": "kiem-thu", "tasks_today": "2026-03-16"}
    at = open_app(page, query=query, **state)
    assert_no_details(at)
    assert not at.error, [e.value for e in at.error]
    assert at.title, "the page itself is shown"
    for key, value in expected.items():
        assert value is ANY_OPTION or at.session_state[key] == value, key
        assert at.query_params.get(key) != query[key], key  # the link now says what is shown


def test_a_link_value_that_was_ignored_is_mentioned(app_db) -> None:
    at = open_app("whatif", query={"wi_d_labor": "nan"})
    assert any("wi_d_labor" in toast.value for toast in at.toast), [t.value for t in at.toast]


@pytest.mark.parametrize("key, forged", [
    pytest.param("wi_d_labor", 1e308, id="slider-huge"),
    pytest.param("wi_d_labor", float("nan"), id="slider-nan"),
    pytest.param("wi_d_labor", "abc", id="slider-text"),
    pytest.param("wi_rank", 10**9, id="number-input-huge"),
    pytest.param("wi_year", 1800, id="selectbox-unknown"),
])
def test_a_forged_widget_state_falls_back(app_db, key, forged) -> None:
    at = open_app("whatif", **{key: forged})
    assert_no_details(at)
    assert not at.error and at.title


def test_a_forged_multiselect_state_falls_back_to_the_default(app_db) -> None:
    at = open_app("compare", cmp_provinces=["haiphong", "atlantis"], cmp_lead=["x"])
    assert_no_details(at)
    assert not at.error and "atlantis" not in at.session_state["cmp_provinces"]
    assert at.session_state["cmp_provinces"][0] == "haiphong"


# --- the command line -----------------------------------------------------------------------------

def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pci_metrics", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def one_clear_line(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert " / " in r.stderr  # Vietnamese / English
    return r.stderr


@pytest.mark.parametrize("kind", ["random-bytes", "cut-in-the-header", "a-folder"])
def test_cli_a_damaged_database_or_a_folder_as_the_database(built_db, tmp_path, kind) -> None:
    db = damage(built_db, tmp_path / "pci.duckdb", kind)
    line = one_clear_line(run("info", "--db", db))
    assert "restore" in line or "folder" in line


def test_cli_a_database_damaged_past_its_header_fails_on_read(built_db, tmp_path) -> None:
    db = damage(built_db, tmp_path / "pci.duckdb", "cut-in-half")
    assert RESTORE in one_clear_line(run("verify", "--db", db))


def test_cli_a_folder_as_output_or_input_file(built_db, tmp_path) -> None:
    folder = tmp_path / "scores.csv"
    folder.mkdir()
    assert "thư mục" in one_clear_line(run("export", "--out", folder, "--db", built_db))
    assert "thư mục" in one_clear_line(run("import", folder, "--dry-run", "--db", built_db))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_cli_a_full_disk_for_real(built_db, tmp_path) -> None:
    """Writing to /dev/full fails with ENOSPC, exactly as a full disk does."""
    out = tmp_path / "scores.csv"
    out.symlink_to("/dev/full")
    assert "đầy" in one_clear_line(run("export", "--out", out, "--db", built_db))


@pytest.mark.parametrize("failure, words", [
    pytest.param(OSError(errno.ENOSPC, "No space left on device", "/data/pci.duckdb.wal"), "disk is full", id="enospc"),
    pytest.param(PermissionError(errno.EACCES, "Permission denied", "/data/pci.duckdb"), "permission",
                 id="permission"),
    pytest.param(storage.DatabaseBusy("Cơ sở dữ liệu đang được tiến trình khác sử dụng / busy"), "busy", id="busy"),
    pytest.param(duckdb.IOException('IO Error: Could not write all bytes to file "/x.wal": No space left on device'),
                 "disk is full", id="duckdb-enospc"),
])
def test_cli_expected_failures_exit_2_with_one_line(built_db, monkeypatch, capsys, failure, words) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(reference_db, "load_frameworks", fail)
    assert cli.main(["info", "--db", str(built_db)]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_a_genuine_bug_stays_visible(built_db, monkeypatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(reference_db, "load_frameworks", fail)
    with pytest.raises(KeyError):
        cli.main(["info", "--db", str(built_db)])


@pytest.mark.parametrize("args", [
    pytest.param(["whatif", "--year", "2019", "--rank", "3", "--max-step", "-1"], id="negative-step"),
    pytest.param(["whatif", "--year", "2019", "--rank", "3", "--max-step", "nan"], id="nan-step"),
    pytest.param(["whatif", "--year", "2019", "--rank", "3", "--max-step", "inf"], id="inf-step"),
    pytest.param(["whatif", "--year", "2019", "--rank", "0"], id="rank-zero"),
])
def test_cli_a_bad_argument_value_exits_2(built_db, capsys, args) -> None:
    assert cli.main([*args, "--db", str(built_db)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and " / " in err

