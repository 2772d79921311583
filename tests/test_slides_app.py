"""The presentation page in AppTest: a link opens a slide, buttons step and clamp, the URL follows,
charts carry the projector style, handouts can be downloaded, and Esc's button leads back."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import APP, goto


@pytest.fixture(scope="module")
def app_db(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One private database for the module: the deck is built once and shared by these tests
    (the page only reads), instead of once per test."""
    import streamlit as st

    db = tmp_path_factory.mktemp("present") / "pci.duckdb"
    shutil.copy(built_db, db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PCI_DB_PATH", str(db))
        st.cache_data.clear()
        st.cache_resource.clear()
        yield db
        st.cache_data.clear()
        st.cache_resource.clear()


def present(slide: str | None = None, lang: str = "vi") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    if slide is not None:
        at.query_params["slide"] = slide
    at.run()
    goto(at, "present")
    at.run()
    assert not at.exception, at.exception
    return at


def title(at: AppTest) -> str:
    return at.title[0].value.replace("\\", "")


def test_a_link_opens_the_slide_it_names(app_db):
    at = present("6")
    assert title(at) == "Gia nhập thị trường"
    assert any("Chỉ số ưu tiên 1/5 · Trang 6/12" in m.value for m in at.markdown)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["tickfont"]["size"] >= 18 and spec["layout"]["font"]["size"] >= 18
    assert at.get("plotly_chart")[0].proto.theme == ""  # theme=None keeps our projector font sizes


@pytest.mark.parametrize(("start", "key", "expected"), [
    pytest.param("4", "slide_next", "5", id="next"),
    pytest.param("4", "slide_pgup", "3", id="page-up"),
    pytest.param("12", "slide_pgdn", "12", id="clamped-at-the-end"),
    pytest.param("3", "slide_home", None, id="home-is-slide-1-no-param"),
    pytest.param("2", "slide_end", "12", id="end"),
])
def test_buttons_step_through_the_deck_and_the_url_follows(app_db, start, key, expected):
    at = present(start)
    at.button(key=key).click().run()
    assert at.query_params.get("slide") == ([expected] if expected else None) or \
        at.query_params.get("slide") == expected
    n = int(expected or 1)
    assert any(f"Trang {n}/12" in m.value for m in at.markdown)


def test_first_and_last_slides_disable_the_way_out_of_the_deck(app_db):
    at = present()
    assert at.button(key="slide_prev").disabled and not at.button(key="slide_next").disabled
    at = present("12")
    assert at.button(key="slide_next").disabled and title(at) == "Hạn nộp báo cáo sắp tới"


def test_handouts_are_offered_and_exit_returns_to_the_dashboard(app_db):
    at = present("2")
    assert [d.proto.label for d in at.get("download_button")] == ["PDF", "HTML"]
    at.button(key="slide_exit").click().run()
    assert at.title[0].value == "Tổng quan PCI Hải Phòng"
    assert "slide" not in at.query_params


def test_the_deck_speaks_english(app_db):
    at = present("2", lang="en")
    assert title(at) == "Hải Phòng's PCI composite score"
    assert any("Slide 2 of 12" in m.value for m in at.markdown)
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["separators"] == ".,"
