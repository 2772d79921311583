"""The Tasks page reads in the light theme: every count written in a bar contrasts with what lies
under it, the legend names only the statuses the chart shows, and one box (not six) sits above the list."""

from __future__ import annotations

import json

import pytest

from pci_metrics.domain.task_status import ALL_STATUSES, status_label
from pci_metrics.outputs import charts
from tests.test_tasks_page import open_tasks, quarter_reports

WHITE = "#FFFFFF"


def plotly_auto_ink(colour: str) -> str:
    """The label colour Plotly picks for a bar when none is set (light text on a dark bar, its dark
    grey on a light one: tinycolor's brightness test)."""
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return WHITE if (r * 299 + g * 587 + b * 114) / 1000 < 128 else "#444444"


def under_label(trace: dict, paper: str) -> str:
    """What a label is drawn on: the bar's colour, unless a fill pattern in Plotly's default "replace"
    mode paints the bar with the pattern over the background instead."""
    pattern = trace["marker"].get("pattern", {})
    replaced = pattern.get("shape") and pattern.get("fillmode", "replace") == "replace" and pattern.get("bgcolor") is None
    return paper if replaced else trace["marker"]["color"]


def status_charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart") if "tasks_by" in c.proto.id]


@pytest.fixture
def reported_quarter(app_db):
    """2026-Q1 with reports: tasks done, in progress, late and not reported (four statuses of five)."""
    quarter_reports(app_db)
    return open_tasks(query={"tasks_period": "2026-Q1"})


def test_every_count_in_a_bar_contrasts_with_the_bar(reported_quarter):
    figures = status_charts(reported_quarter)
    assert len(figures) == 2
    checked = 0
    for spec in figures:
        paper = spec["layout"].get("plot_bgcolor") or spec["layout"].get("paper_bgcolor") or WHITE
        for trace in spec["data"]:
            if not any(trace.get("text") or []):
                continue
            ink = trace.get("textfont", {}).get("color") or plotly_auto_ink(trace["marker"]["color"])
            ratio = charts.contrast(ink, under_label(trace, paper))
            assert ratio >= 4.5, (trace["name"], ink, under_label(trace, paper), round(ratio, 2))
            checked += 1
    assert checked >= 4


def test_the_legend_names_only_the_statuses_present(reported_quarter):
    for spec in status_charts(reported_quarter):
        shown = [tr["name"] for tr in spec["data"] if tr.get("showlegend", True)]
        present = [tr["name"] for tr in spec["data"] if any(tr["x"])]
        assert shown == present and len(shown) < len(ALL_STATUSES)


def test_before_any_report_the_legend_has_one_status(app_db):
    spec = status_charts(open_tasks())[0]
    assert [tr["name"] for tr in spec["data"] if tr.get("showlegend", True)] == [status_label("chua_bao_cao", "vi")]


def test_one_box_above_the_task_list(reported_quarter):
    top = [type(e).__name__ for e in reported_quarter.main.children.values()]
    boxes = [k for k in top if k in ("Info", "Warning", "Success", "Error")]
    assert boxes == ["Warning"], top  # its most serious line sets the kind
    text = reported_quarter.warning[0].value
    assert text.count("\n- ") >= 4 and "quá thời hạn" in text and "Báo cáo tiếp theo" in text


def test_the_status_colours_give_readable_labels_in_both_themes():
    labels, series = ["A"], [(s, [1.0]) for s in ALL_STATUSES]
    for dark in (False, True):
        fig = charts.stacked_bars_figure(labels, series, lang="vi", style=charts.Style(dark=dark), title="t")
        for tr in fig.data:
            assert charts.contrast(tr.textfont.color, tr.marker.color) >= 4.5, tr.name
            assert tr.marker.pattern.fillmode == "overlay"
