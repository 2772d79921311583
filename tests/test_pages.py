"""AppTest over every page (new pages are covered automatically) and the Overview's content."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def page_paths() -> list[str]:
    """Every url_path the navigation offers, read from the app itself."""
    from pci_metrics.ui import navigation

    return navigation.page_ids()


def goto(at: AppTest, url_path: str) -> None:
    """Switch to a page by its url_path (several pages share one file, so switch_page by file
    cannot tell them apart); Streamlit identifies a page by the hash of its url_path."""
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(url_path)


def run_app(page: str | None = None, lang: str = "vi", **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    if page is not None and page != "overview":
        goto(at, page)
        at.run()
    return at


@pytest.mark.parametrize("page", page_paths())
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_renders(app_db, page, lang):
    from pci_metrics.trust import roles

    # each page as the least role that may open it (issue 8: others are refused)
    at = run_app(page, lang, role=roles.page_needs(page), user_name="kiem-thu")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title or at.header, "every page has a title"
    # a download never reruns the page: the rerun would race the deferred file (see the next test)
    assert all(d.proto.ignore_rerun for d in at.get("download_button"))


def test_every_download_button_in_the_code_ignores_the_click() -> None:
    """Streamlit's default download button reruns the script on each click; with a deferred file
    (data made on the click) the rerun can revoke the file before it is made or drop the answer, and
    the button then spins forever (31 stalls in 100 clicks on a loaded machine; 0 with "ignore")."""
    import ast

    calls = []
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "pci_metrics").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
                kw = {k.arg: k.value for k in node.keywords}
                ok = isinstance(kw.get("on_click"), ast.Constant) and kw["on_click"].value == "ignore"
                calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", ok))
    assert len(calls) >= 9
    assert [c for c, ok in calls if not ok] == []


def figure(at: AppTest, index: int = 0) -> dict:
    charts = at.get("plotly_chart")
    return json.loads(charts[index].proto.spec)


def test_overview_metrics_and_chart_data(app_db):
    at = run_app()
    values = [m.value for m in at.metric]
    assert values[:2] == ["74,84", "hạng 1/63"]  # decimal comma, rank of 63
    spec = figure(at)
    hp = [t for t in spec["data"] if t["name"] == "Hải Phòng"]
    xs = [x for t in hp for x in t["x"]]
    ys = [y for t in hp for y in t["y"]]
    assert 2006 in xs and 2024 in xs and 74.84 in ys
    assert len(hp) >= 4  # split at the 2009, 2013 and 2022 methodology changes
    assert spec["layout"]["separators"] == ",."
    assert spec["layout"]["xaxis"]["tickformat"] == "d"
    names = {t["name"] for t in spec["data"]}
    assert {"Trung vị", "Tỉnh dẫn đầu"} <= names
    assert any("nguồn" in c.value.lower() for c in at.caption)


def test_overview_in_english(app_db):
    at = run_app(lang="en")
    assert at.title[0].value == "Hải Phòng PCI overview"
    assert [m.value for m in at.metric][:2] == ["74.84", "rank 1 of 63"]
    assert figure(at)["layout"]["separators"] == ".,"


def test_chart_table_switch(app_db):
    at = run_app()
    at.session_state["view_composite"] = "table"
    at.run()
    frames = at.dataframe
    assert frames and 74.84 in frames[0].value["haiphong"].tolist()


def test_profile_shows_latest_full_year_with_a_notice(app_db):
    at = run_app()
    assert any("2024" in w.value for w in at.warning)  # 2024 sub-indices unknown, said so
    spec = figure(at, 2)
    assert {t["name"] for t in spec["data"]} == {"2021", "2022"}


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.stem)
def test_every_page_file_first_makes_sure_it_runs_inside_app(path):
    """Streamlit runs a pages/ file alone on a server's first request (no navigation, no role gate);
    ``inside_app()`` as the first statement reruns through app.py (browser test: roles)."""
    import ast

    body = [n for n in ast.parse(path.read_text(encoding="utf-8")).body
            if not isinstance(n, ast.Import | ast.ImportFrom)
            and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    first = body[0]
    assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)
    assert getattr(first.value.func, "id", None) == "inside_app", f"{path.name} starts with {ast.unparse(first)}"
