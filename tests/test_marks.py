"""Status marks every machine can draw: a shape from WGL4 and the glossary's words, never an emoji —
on the pages' texts, the slides and the quarterly report alike (:mod:`pci_metrics.views.marks`)."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import docx
import pandas as pd
import pytest

from pci_metrics.base.i18n import CATALOG
from pci_metrics.domain import task_status
from pci_metrics.domain.targets import STATUSES
from pci_metrics.outputs import reports, slides
from pci_metrics.store import storage, tables_db
from pci_metrics.views import marks

# Emoji blocks and the symbols that browsers draw with an emoji font (⚪ ⚠ ✔ ✘ ✅ ❌ ⭐ …)
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")
# Known exception: the ✎ (U+270E) that marks a year note on a chart; DejaVu, Segoe UI Symbol and Arial
# Unicode cover it, and it is never the only sign of anything (the note is in the hover and the table).
ALLOWED = {"✎"}
TODAY = date(2026, 3, 10)


def emoji_in(text: str) -> set[str]:
    return {c for c in EMOJI.findall(text) if c not in ALLOWED}


@pytest.mark.parametrize("table, statuses", [(marks.TARGET_MARKS, STATUSES),
                                             (marks.TASK_MARKS, task_status.ALL_STATUSES)], ids=["target", "task"])
def test_every_status_has_a_shape_every_font_has(table: dict[str, str], statuses: tuple[str, ...]) -> None:
    assert set(table) == set(statuses)
    assert set(table.values()) <= marks.SAFE_SHAPES
    judged = [table[s] for s in statuses if s not in ("no_target", "no_data")]
    assert len(set(judged)) == len(judged)  # one shape per status that says something


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_target_status_has_its_words(lang: str) -> None:
    words = [marks.target_words(s, lang) for s in STATUSES]
    assert len(set(words)) == len(words) and all(w and "{" not in w for w in words)


def test_no_catalogue_text_holds_an_emoji() -> None:
    found = {key: emoji_in(vi + en) for key, (vi, en) in CATALOG.items() if emoji_in(vi + en)}
    assert not found


def _future_target(db: Path) -> None:
    with storage.connect(db) as con, storage.transaction(con):
        tables_db.append_rows(con, "target", pd.DataFrame([dict(
            plan_id="hb-pci-2025-2026", entity_key="hongbang", year=2026, framework_id="pci2025",
            code="market_entry", target_score=7.5, target_rank=None, source="test", entered_by="test",
            entered_at=None, batch_id=None)]))


def test_the_slides_and_the_report_show_the_same_marks_and_no_emoji(fresh_db: Path) -> None:
    _future_target(fresh_db)
    with storage.connect(fresh_db, read_only=True) as con:
        deck = slides.deck(con, "vi", None, TODAY, None)
        model = reports.report_model(con, "2026-Q1", TODAY)
    shown = " ".join(x for s in deck.slides for f in s.figures for x in (f.label, f.value, f.note))
    shown += " ".join(b for s in deck.slides for b in s.bullets)
    document = docx.Document(io.BytesIO(reports.report_docx(model, "vi", images=False)))
    written = "\n".join(p.text for p in document.paragraphs)
    written += "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    due = marks.target_label("not_due", "vi")
    assert due == "○ Chưa đến kỳ đánh giá" and due in shown and due in written
    assert marks.task_label(task_status.NOT_REPORTED, "vi") in shown  # "□ Chưa có báo cáo", not "?"
    assert not emoji_in(shown) and not emoji_in(written)
    assert "Chưa đạt" not in shown + written  # a 2026 target is never red before 2026 has data
