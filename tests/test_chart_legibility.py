"""The one chart style, legible from the projector to a phone, and methodology breaks where the
methodologies begin (the browser checks are in test_chart_legibility_browser.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pci_metrics.outputs import charts
from pci_metrics.store import storage
from pci_metrics.views import compare


def break_lines(fig) -> list[float]:
    return sorted(s.x0 for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1)


@pytest.mark.parametrize("provinces", [("haiphong", "haiduong", "thainguyen"), ("haiduong",), ("hanoi", "haiphong")])
def test_compare_marks_each_methodology_at_its_first_year(built_db: Path, provinces: tuple[str, ...]) -> None:
    """Hải Dương and Thái Nguyên have no PCI 2022 score and Hà Nội none in 2022–2023: the change to
    PCI 2022 is still drawn once, before 2022, never before a province's first year in it."""
    with storage.connect(built_db, read_only=True) as con:
        m = compare.compare_model(con, provinces, 2019, 2006, 2024)
    v = compare.compare_views(m, "vi")
    assert m.method_starts["pci2022"] == 2022 and m.method_starts["pci2013"] == 2013
    fig = charts.provinces_figure(v.trajectories, lang="vi", style=charts.Style(), title="t", y_title="y",
                                  method_starts=m.method_starts)
    assert break_lines(fig) == [2008.5, 2012.5, 2021.5]
    code = "entry"
    series, _ = compare.leader_series(m, code, "vi")
    lead = charts.provinces_figure(series, lang="vi", style=charts.Style(), title="t", y_title="y",
                                   method_starts=m.method_starts)
    assert set(break_lines(lead)) <= {2008.5, 2012.5, 2021.5}


def test_breaks_are_named_once_in_the_legend_not_on_each_line() -> None:
    frame = pd.DataFrame({"year": [2008, 2009, 2012, 2013], "value": [5.0, 6.0, 6.5, 7.0],
                          "framework_id": ["pci2006", "pci2009", "pci2009", "pci2013"]})
    fig = charts.trend_figure([("A", frame)], lang="vi", style=charts.Style(), title="t", y_title="y")
    assert break_lines(fig) == [2008.5, 2012.5]
    assert not fig.layout.annotations  # two labels four years apart collided at 1024 px
    assert [t.name for t in fig.data if t.name == "Thay đổi phương pháp"] == ["Thay đổi phương pháp"]


def test_year_ticks_are_thinned_on_long_spans() -> None:
    years = list(range(2006, 2025))
    frame = pd.DataFrame({"year": years, "value": [1.0] * len(years), "framework_id": ["pci2013"] * len(years)})
    fig = charts.trend_figure([("A", frame)], lang="vi", style=charts.Style(), title="t", y_title="y")
    # "2005200620072008…" was a tick every year, held flat (dtick 1, tickangle 0)
    assert fig.layout.xaxis.tickvals == (2009, 2014, 2019, 2024) and fig.layout.xaxis.tickangle is None
    assert fig.layout.xaxis.tickformat == "d"


def test_titles_wrap_and_legends_sit_under_the_plot() -> None:
    title = "Điểm tổng hợp Hải Phòng có thể tăng nếu bắt kịp tỉnh dẫn đầu từng chỉ số (2019)"
    fig = charts.bar_figure(["a", "b"], [2.18, 1.0], lang="vi", style=charts.Style(), title=title,
                            x_title="Điểm tổng hợp có thể tăng")
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) == 3 and max(len(x) for x in lines) <= 36
    assert fig.layout.margin.t >= charts.MODEBAR_ROOM + 3 * 18  # the toolbar has room above the title
    assert (fig.layout.legend.orientation, fig.layout.legend.yref, fig.layout.legend.y) == ("h", "container", 0)
    assert fig.layout.xaxis.range[1] >= 2.18 * 1.25 and fig.data[0].cliponaxis is False  # "2,18" stays whole
