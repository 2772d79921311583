"""One question, one answer: the priority page, the Overview's scorecard, the slides and the quarterly
report judge a priority against the same target, with the same status, from the same rule
(:func:`pci_metrics.domain.targets.judge`).

Each case is a real database in tmp_path: targets entered as an analyst would, watch bands stored as
the Overview stores them, then every output built from it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pci_metrics.base.i18n import t
from pci_metrics.outputs import reports, slides
from pci_metrics.store import storage, tables_db
from pci_metrics.views import leadership, priority, scorecard
from pci_metrics.views.marks import target_label

TODAY = date(2026, 3, 10)
CODE = "market_entry"  # a PCI 2025 priority: its history is the lineage mean, latest 6,45 (2022)


def target(year: int, score: float | None = None, rank: int | None = None) -> dict[str, object]:
    return dict(plan_id="hb-pci-2025-2026", entity_key="hongbang", year=year, framework_id="pci2025", code=CODE,
                target_score=score, target_rank=rank, source="kiểm thử", entered_by="kiem-thu", entered_at=None,
                batch_id=None)


CASES = [
    # targets, watch band (points), expected target year, expected status
    pytest.param([target(2022, 6.5), target(2026, 7.5)], None, 2022, "watch", id="two-years-the-earliest-ahead"),
    pytest.param([target(2022, 6.6)], 0.1, 2022, "off_track", id="stored-watch-band"),
    pytest.param([target(2022, 6.6)], None, 2022, "watch", id="default-watch-band"),
    pytest.param([target(2022, 6.0)], None, 2022, "on_track", id="reached"),
    pytest.param([target(2022, rank=10)], None, 2022, "no_data", id="rank-target-without-a-rank"),
    pytest.param([target(2022, 7.5, rank=10)], None, 2022, "off_track", id="score-and-rank-the-worse"),
    pytest.param([target(2026, 7.5, rank=10)], None, 2026, "not_due", id="a-future-target-is-not-yet-due"),
    pytest.param([], None, None, "no_target", id="no-target"),
]


@pytest.mark.parametrize("targets, band, year, status", CASES)
def test_page_scorecard_slides_and_report_give_one_answer(fresh_db: Path, targets: list[dict[str, object]],
                                                          band: float | None, year: int | None, status: str) -> None:
    with storage.connect(fresh_db) as con:
        if targets:
            with storage.transaction(con):
                tables_db.append_rows(con, "target", pd.DataFrame(targets))
        if band is not None:
            leadership.save_watch_bands(con, band, 2, "kiem-thu")
        page = priority.priority_model(con, CODE, TODAY.isoformat())
        card = scorecard.scorecard_model(con).rows.set_index("code").loc[CODE]
        line = next(p for p in reports.report_model(con, "2026-Q1", TODAY).priorities if p.code == CODE)
        deck = slides.deck(con, "vi", None, TODAY, (CODE,))
    # the page
    assert page.status == status
    assert (page.target["year"] if page.target else None) == year
    # the Overview's scorecard
    assert card["status"] == status and (None if pd.isna(card["target_year"]) else int(card["target_year"])) == year
    # the quarterly report: its line and the sentence the .docx prints
    assert (line.status, line.target_year) == (status, year)
    said = " ".join(reports.priority_sentences(line, "vi"))
    assert target_label(status, "vi") in said if year is not None else t("tasks_rpt_no_target", "vi") in said
    # the slide
    shown = [text for s in deck.slides if s.slide_id == f"priority-{CODE}" for f in s.figures
             for text in (f.label, f.value, f.note)]
    if year is None:
        assert t("slides_no_target", "vi") in shown, shown
    else:
        assert target_label(status, "vi") in shown and f"Mục tiêu {year}" in shown
