"""The server-side load client really drives the app: over Streamlit's own websocket protocol
(:mod:`pci_metrics.ui.protocol`) a session's page change returns that page's elements, a widget
change (the year) changes the chart's data, and a download returns the table's file. The timings
themselves are ``make bench``'s (scripts/bench_capacity.py), never asserted here."""

from __future__ import annotations

import json

from pci_metrics.base.i18n import t
from pci_metrics.ui import protocol
from scripts import bench_capacity
from tests.conftest import Server


def headings(run: protocol.Run) -> list[str]:
    return [h.body for h in run.of_kind("heading")]


def heatmap(run: protocol.Run) -> dict[str, object]:
    chart = next(c for c in run.of_kind("plotly_chart") if c.id.endswith("-fig_heatmap"))
    return json.loads(chart.spec)  # type: ignore[no-any-return]


def test_a_page_change_returns_the_pages_elements_and_a_year_change_the_charts_data(server: Server) -> None:
    with protocol.Session(server.url) as s:
        first = s.open("", "lang=vi")
        assert first.finished and not first.problems
        assert t("overview_title", "vi") in headings(first)
        assert "compare" in [p.url_path for p in s.pages if not p.hidden]

        run = s.go("compare")
        assert run.finished and not run.problems
        assert t("leadership_compare_title", "vi") in headings(run)
        assert t("overview_title", "vi") not in headings(run)
        year_id = protocol.widget_id(run, "selectbox", "cmp_year")
        box = next(b for b in run.of_kind("selectbox") if b.id == year_id)
        before = heatmap(run)
        other = next(y for y in box.options if y != box.raw_value and y != "2015")

        changed = s.set_widget(year_id, string_value=other)
        assert changed.finished and not changed.problems
        after = heatmap(changed)
        assert after["data"] != before["data"]  # the chart's numbers are the other year's
        assert other in json.dumps(after["layout"]["title"], ensure_ascii=False)
        assert f"cmp_year={other}" in s.query  # the page keeps the choice in its link, as in a browser

        data = s.download(changed.of_kind("download_button")[0])
        assert data.startswith(b"\xef\xbb\xbf") and "Hải Phòng" in data.decode("utf-8-sig")


def test_the_load_client_browses_without_errors(server: Server) -> None:
    res = bench_capacity.run_level(server.url, server.proc.pid, 2, think=(0.0, 0.0), ramp=0.0)
    assert res.errors == []
    assert {s: len(v) for s, v in res.times.items()} == {"open": 2, "page change": 6, "year change": 2, "download": 2}
    assert res.runs == 10 and res.cpu_s > 0


def test_a_chart_download_still_answers_after_other_sessions_ran(server: Server) -> None:
    """Streamlit deletes an unreferenced file once two script runs (of any session) have finished;
    on a busy server that happened between a click and the browser's fetch (a 404 for a third of the
    downloads at 50 sessions). The chart's files come with the page, so they outlive other runs."""
    with protocol.Session(server.url) as visitor, protocol.Session(server.url) as other:
        run = visitor.open("", "lang=vi")
        urls = [visitor.file_url(b) for b in run.of_kind("download_button")[:2]]  # the CSV and XLSX click
        for _ in range(3):
            assert other.open("", "lang=vi").finished
        csv, xlsx = (visitor.fetch(u) for u in urls)
    assert csv.startswith(b"\xef\xbb\xbf") and xlsx.startswith(b"PK")
