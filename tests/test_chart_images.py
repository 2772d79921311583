"""Chart images are drawn once per data stamp and figure and reused by the next document; when the
data changes, the document's images are drawn again from the new data
(:mod:`pci_metrics.outputs.chart_images`). Timings are ``make bench``'s (scripts/bench_documents.py)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from pci_metrics.imports import forms
from pci_metrics.outputs import chart_images, reports

PERIOD, TODAY = "2026-Q1", date(2026, 4, 10)


def images(docx_bytes: bytes) -> list[bytes]:
    """The pictures a .docx holds, in the order of their names."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        return [z.read(n) for n in sorted(z.namelist()) if n.startswith("word/media/")]


def test_report_images_are_drawn_once_per_data_stamp_and_again_when_the_data_changes(fresh_db: Path) -> None:
    chart_images.clear()
    first = reports.render(str(fresh_db), PERIOD, "docx", today=TODAY)
    drawn = chart_images.counts["rendered"]
    assert len(images(first)) == 6

    again = reports.render(str(fresh_db), PERIOD, "docx", today=TODAY)
    assert chart_images.counts["rendered"] == drawn  # the second download draws nothing
    assert images(again) == images(first)

    # an analyst enters Hải Phòng's 2025 market-entry score: that priority's chart now shows it
    forms.save_form(str(fresh_db), "scores", {"entity": "Hải Phòng", "year": 2025, "code": "market_entry",
                                             "value": 6.5, "source": "kiểm thử"}, user="kiem-thu")
    changed = reports.render(str(fresh_db), PERIOD, "docx", today=TODAY)
    assert chart_images.counts["rendered"] > drawn
    assert len(images(changed)) == 6
    assert set(images(changed)) != set(images(first))
