"""One question, one answer across every output: for one data stamp, the priority page, the
Overview's scorecard, the quarterly report (.docx, read back with python-docx), the slide deck and
``python -m pci_metrics show`` state the same target year, the same status and the same gap.

Each case is a real database in tmp_path: targets entered through the Import page's form
(:func:`pci_metrics.imports.forms.save_form`), watch bands stored as the Overview stores them
(:func:`pci_metrics.views.leadership.save_watch_bands`); then every output is built from the file
and what each one says is read back from what it shows — words, not model fields.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import pytest

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.cli.main import main
from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.domain.targets import STATUSES
from pci_metrics.imports import forms
from pci_metrics.outputs import reports, slides
from pci_metrics.store import storage
from pci_metrics.views import leadership, priority, scorecard
from pci_metrics.views.marks import target_label

TODAY = date(2026, 3, 10)
PERIOD = "2026-Q1"
REACHED = "reached"
ENTRY = "market_entry"  # lineage of one classic sub-index (entry): latest 6,45 (2022), no rank
RESOURCES = "resource_access"  # the mean of three classic sub-indices: latest 6,7267 (2022)
PRIVATE = "private_economy"  # lineage of policy_bias


@dataclass(frozen=True)
class Answer:
    """What an output says of one priority: the target's year, the status, the gap to the score
    target (points rounded as shown, ``REACHED`` when met, None when not stated)."""

    year: int | None
    status: str
    gap: float | str | None


def gap_of(points: float | None) -> float | str | None:
    return None if points is None else (REACHED if points <= 0 else round(points, 2))


CASES = [
    # priority, targets (year, score, rank), stored watch band, Hải Phòng scores removed, the one answer
    pytest.param(ENTRY, [(2025, 7.0, None)], None, (), Answer(2025, "off_track", 0.55), id="score-target-one-year"),
    pytest.param(ENTRY, [(2025, 6.5, None), (2026, 7.5, None)], None, (), Answer(2025, "watch", 0.05),
                 id="two-years-the-earliest-on-or-after-the-data-counts"),
    pytest.param(ENTRY, [(2025, None, 10)], None, (), Answer(2025, "no_data", None), id="rank-target-without-a-rank"),
    pytest.param(ENTRY, [(2025, 7.5, 10)], None, (), Answer(2025, "off_track", 1.05), id="score-and-rank-the-worse"),
    pytest.param(ENTRY, [(2025, 6.6, None)], 0.1, (), Answer(2025, "off_track", 0.15), id="stored-watch-band"),
    pytest.param(ENTRY, [(2025, 6.6, None)], None, (), Answer(2025, "watch", 0.15), id="default-watch-band"),
    pytest.param(ENTRY, [(2025, 6.0, None)], None, (), Answer(2025, "on_track", REACHED), id="reached"),
    pytest.param(ENTRY, [(2026, 7.0, None)], None, (), Answer(2026, "not_due", 0.55),
                 id="a-future-target-is-not-yet-due-and-states-its-gap"),
    pytest.param(ENTRY, [(2026, 6.0, None)], None, (), Answer(2026, "not_due", REACHED),
                 id="a-future-target-already-reached-is-still-not-due"),
    pytest.param(ENTRY, [], None, (), Answer(None, "no_target", None), id="no-target"),
    pytest.param(PRIVATE, [(2026, 7.0, None)], None, ("policy_bias",), Answer(2026, "no_data", None),
                 id="missing-latest-value"),
    pytest.param(RESOURCES, [(2025, 6.9, None)], None, (), Answer(2025, "watch", 0.17),
                 id="lineage-of-three-classic-sub-indices"),
]


# A target is judged once its year has data: the cases judged in 2025 enter Hải Phòng's 2025 value,
# equal to the latest classic one so that every gap below is the same as against 2022.
LATEST = {ENTRY: 6.45, RESOURCES: 6.7267}


def prepare(db: Path, code: str, targets: list[tuple[int, float | None, int | None]], band: float | None,
            removed: tuple[str, ...]) -> None:
    """Enter the targets, the 2025 value they are judged on and the watch band as an analyst does;
    remove Hải Phòng's classic scores."""
    if any(year == 2025 for year, _, _ in targets):
        forms.save_form(str(db), "scores", {"entity": "Hải Phòng", "year": 2025, "code": code, "value": LATEST[code],
                                            "source": "kiểm thử"}, user="kiem-thu")
    for year, score, rank in targets:
        forms.save_form(str(db), "targets", {"entity": "Phường Hồng Bàng", "year": year, "code": code,
                                             "target_score": score, "target_rank": rank, "source": "kiểm thử"},
                        user="kiem-thu")
    with storage.connect(db) as con:
        if band is not None:
            leadership.save_watch_bands(con, band, 2, "kiem-thu")
        with storage.transaction(con):
            for classic in removed:
                con.execute("DELETE FROM score WHERE entity_key = 'haiphong' AND code = ?", [classic])


# --- what each output says ------------------------------------------------------------------

def status_named(text: str, label: dict[str, str]) -> str:
    """The one status whose label ``text`` shows."""
    found = [s for s in STATUSES if label[s] in text]
    assert len(found) == 1, (text, found)
    return found[0]


def page_answer(db: Path, code: str) -> Answer:
    with storage.connect(db, read_only=True) as con:
        m = priority.priority_model(con, code, TODAY.isoformat())
    gap = m.gaps[m.gaps["reference"] == "target"]["points"].iloc[0]
    return Answer(m.target["year"] if m.target else None, m.status, gap_of(as_float(gap)))


def scorecard_answer(db: Path, code: str) -> tuple[int | None, str]:
    with storage.connect(db, read_only=True) as con:
        row = scorecard.scorecard_model(con).rows.set_index("code").loc[code]
    return as_int(row["target_year"]), str(row["status"])


def report_answer(db: Path, code: str) -> Answer:
    """Read the .docx back: the priority's "- " lines under its numbered heading."""
    with storage.connect(db, read_only=True) as con:
        model = reports.report_model(con, PERIOD, TODAY)
    document = docx.Document(io.BytesIO(reports.report_docx(model, "vi", images=False)))
    lines = [p.text for p in document.paragraphs]
    i, line = next((i, x) for i, x in enumerate(model.priorities) if x.code == code)
    start = lines.index(f"{i + 1}. {line.name_vi}") + 1
    block = []
    for text in lines[start:]:
        if not text.startswith("- "):
            break
        block.append(text[2:])
    said = next(s for s in block if s.startswith("Mục tiêu"))
    if said == t("tasks_rpt_no_target", "vi"):
        return Answer(None, "no_target", None)
    year = re.search(r"^Mục tiêu năm (\d{4}):", said)
    gap = re.search(r"khoảng cách đến mục tiêu: ([\d,]+) điểm", said)
    status = re.search(r"\(([^()]*)\)\.$", said)
    assert year and status, said
    label = {s: f"({target_label(s, 'vi')})" for s in STATUSES}
    return Answer(int(year.group(1)), status_named(f"({status.group(1)})", label),
                  None if gap is None else gap_of(float(gap.group(1).replace(",", "."))))


def slide_answer(db: Path, code: str) -> Answer:
    """Read the priority's slide: its target figure and its gap figure."""
    with storage.connect(db, read_only=True) as con:
        deck = slides.deck(con, "vi", None, TODAY, (code,))
    slide = next(s for s in deck.slides if s.slide_id == f"priority-{code}")
    target, gap = slide.figures[1], slide.figures[2]
    if target.value == t("slides_no_target", "vi"):
        year, status = None, "no_target"
    else:
        found = re.fullmatch(r"Mục tiêu (\d{4})", target.label)
        assert found, target
        year = int(found.group(1))
        status = status_named(target.note, {s: target_label(s, "vi") for s in STATUSES})
    said: float | str | None = None
    if gap.label == t("slides_gap", "vi") and gap.value != t("no_data", "vi"):
        points = re.fullmatch(r"còn ([\d,]+) điểm", gap.value)
        said = REACHED if gap.value == t("slides_gap_met", "vi") else float(points.group(1).replace(",", "."))  # type: ignore[union-attr]
    return Answer(year, status, said)


def cli_answer(db: Path, code: str, capsys: pytest.CaptureFixture[str]) -> Answer:
    """``python -m pci_metrics show`` in-process: the priority's target / status / gap line."""
    assert main(["show", "--entity", "haiphong", "--year", "2022", "--db", str(db)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith(f"  {code} "))
    year = re.search(r"mục tiêu / target (\d{4}):", line)
    status = re.search(r"trạng thái / status: (.+?) / ", line)
    gap = re.search(r"khoảng cách / gap: (\S+)", line)
    assert status and gap, line
    said = gap.group(1)
    label = {s: target_label(s, "vi") for s in STATUSES}
    return Answer(int(year.group(1)) if year else None, status_named(status.group(1), {s: label[s] for s in label}),
                  None if said == "—" else REACHED if said == t("slides_gap_met", "vi").split()[0] else float(said))


@pytest.mark.parametrize("code, targets, band, removed, expected", CASES)
def test_every_output_gives_one_status_one_gap_one_target_year(
        fresh_db: Path, capsys: pytest.CaptureFixture[str], code: str,
        targets: list[tuple[int, float | None, int | None]], band: float | None, removed: tuple[str, ...],
        expected: Answer) -> None:
    prepare(fresh_db, code, targets, band, removed)
    said = {"page": page_answer(fresh_db, code), "report": report_answer(fresh_db, code),
            "slides": slide_answer(fresh_db, code), "cli": cli_answer(fresh_db, code, capsys)}
    assert said == dict.fromkeys(said, expected)
    assert scorecard_answer(fresh_db, code) == (expected.year, expected.status)


def test_a_missing_latest_value_is_never_a_gap_of_zero(fresh_db: Path) -> None:
    prepare(fresh_db, PRIVATE, [(2026, 7.0, None)], None, ("policy_bias",))
    with storage.connect(fresh_db, read_only=True) as con:
        line = next(p for p in reports.report_model(con, PERIOD, TODAY).priorities if p.code == PRIVATE)
    said = " ".join(reports.priority_sentences(line, "vi"))
    assert t("tasks_rpt_latest_none", "vi") in said
    assert "chưa tính được khoảng cách" in said and "khoảng cách đến mục tiêu: 0" not in said
    assert fmt_num(7.0, "vi") in said
