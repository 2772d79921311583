"""What a page view costs the server: no full garbage collection after every script run, and the
compare page's data built once per data stamp, equal to what a fresh build gives and new as soon as
the data changes. The timings themselves are scripts/profile_views.py's and
scripts/bench_capacity.py's, never asserted here."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from pci_metrics.base.i18n import t
from pci_metrics.base.paths import ROOT
from pci_metrics.imports import forms
from pci_metrics.outputs import charts
from pci_metrics.outputs.charts import Style
from pci_metrics.store import storage
from pci_metrics.views import compare, leadership


def test_the_server_does_not_collect_all_garbage_after_every_script_run() -> None:
    """Streamlit's default walks every object of the server after every run (most of a page
    view's CPU); the project's configuration switches it off, and Streamlit reads it."""
    from streamlit import config

    with open(ROOT / ".streamlit" / "config.toml", "rb") as f:
        assert tomllib.load(f)["runner"]["postScriptGC"] is False
    AppTest.from_string("import streamlit as st\nst.write('x')").run()
    assert config.get_option("runner.postScriptGC") is False


# --- the compare page's cached data: equal to a fresh build, new as soon as the data changes ---

APP = str(ROOT / "app.py")


def open_compare(**state: object) -> AppTest:
    """The compare page as a signed-out visitor sees it (Vietnamese), through app.py's navigation."""
    from streamlit.util import calc_hash

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "vi"
    at.run()
    at._page_hash = calc_hash("compare")
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception and not at.error
    return at


def chart(at: AppTest, key: str) -> dict[str, Any]:
    fig = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-fig_{key}"))
    return json.loads(fig.proto.spec)  # type: ignore[no-any-return]


def fresh(db: Path, at: AppTest) -> tuple[compare.CompareModel, compare.CompareViews]:
    """The compare model and views built now from the database, past every cache."""
    with storage.connect(str(db)) as con:
        snap = leadership.snapshot(con)
    span = sorted((int(at.session_state["cmp_from"]), int(at.session_state["cmp_to"])))
    m = compare.build_compare(snap, tuple(at.session_state["cmp_provinces"]), int(at.session_state["cmp_year"]),
                              span[0], span[1])
    return m, compare.compare_views(m, "vi")


def heat_cells(spec: dict[str, Any]) -> list[list[float | None]]:
    return [[None if v is None else round(float(v), 6) for v in row] for row in spec["data"][0]["z"]]


def matrix_cells(v: compare.CompareViews) -> list[list[float | None]]:
    return [[None if pd.isna(x) else round(float(x), 6) for x in row] for row in v.matrix.to_numpy()]


def lines(spec: dict[str, Any]) -> list[tuple[str, list[Any], list[Any]]]:
    return [(d.get("name", ""), list(d.get("x") or []), list(d.get("y") or [])) for d in spec["data"]]


def test_the_compare_pages_cached_charts_equal_a_fresh_build_and_change_with_the_data(app_db: Path) -> None:
    at = open_compare()
    m, v = fresh(app_db, at)
    assert heat_cells(chart(at, "heatmap")) == matrix_cells(v)

    # another year and span: the composite's chart is the one a fresh build draws for them
    years = sorted(int(y) for y in m.trajectories["year"].unique())
    at.session_state["cmp_year"], at.session_state["cmp_from"] = years[-3], years[2]
    at.run()
    assert not at.exception
    m2, v2 = fresh(app_db, at)
    assert heat_cells(chart(at, "heatmap")) == matrix_cells(v2)
    drawn = charts.provinces_figure(v2.trajectories, lang="vi", style=Style(), y_title=t("composite", "vi"),
                                    title=t("leadership_traj_title", "vi"), method_starts=m2.method_starts)
    assert lines(chart(at, "traj")) == lines(json.loads(drawn.to_json()))
    assert min(x for _, xs, _ in lines(chart(at, "traj")) for x in xs if x is not None) == years[2]

    # an analyst corrects Hải Phòng's first sub-index score of that year: the next run shows it
    code = str(m2.subindices.sort_values("sort_order")["code"].iloc[0])
    old = m2.scores[(m2.scores["entity_key"] == "haiphong") & (m2.scores["code"] == code)]["value"].iloc[0]
    forms.save_form(str(app_db), "scores", {"entity": "Hải Phòng", "year": years[-3], "code": code,
                                           "value": round(float(old) + 0.37, 2), "source": "kiểm thử"},
                    user="kiem-thu", allow_changes=True)
    at.run()
    assert not at.exception
    _, v3 = fresh(app_db, at)
    assert heat_cells(chart(at, "heatmap")) == matrix_cells(v3) != matrix_cells(v2)
