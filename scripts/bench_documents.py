"""Documents for `make bench`, each next to its floor measured in the same run:

* **the quarterly report (.docx with its charts)**: :func:`pci_metrics.outputs.reports.render` for
  2026-Q1, first (cold: kaleido starts) and warm; floor: a bare python-docx document holding the
  same chart images (already rendered), one picture a paragraph, saved to bytes;
* **the slides' PDF handout**: :func:`pci_metrics.outputs.handout.deck_pdf`, first and warm; floor:
  Chromium printing the same slides as a static HTML page whose images are already rendered
  (:func:`pci_metrics.outputs.handout.html_to_pdf` of :func:`~pci_metrics.outputs.handout.print_html`).

Run alone: ``.venv/bin/python -m scripts.bench_documents [DB]``.
"""

from __future__ import annotations

import io
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PERIOD = "2026-Q1"
TODAY = date(2026, 4, 10)


def report_images(db: Path) -> list[bytes]:
    """The PNGs the quarterly report embeds (recorded while it renders)."""
    from pci_metrics.outputs import charts, reports

    seen: list[bytes] = []
    real = charts.figure_png

    def record(*args: Any, **kw: Any) -> bytes:
        png = real(*args, **kw)
        seen.append(png)
        return png

    charts.figure_png = record  # type: ignore[assignment]
    try:
        reports.render(str(db), PERIOD, "docx", today=TODAY)
    finally:
        charts.figure_png = real  # type: ignore[assignment]
    return seen


def bare_docx(images: list[bytes]) -> bytes:
    """The floor of the report: python-docx writes a document with the same images and nothing else."""
    import docx
    from docx.shared import Cm

    doc = docx.Document()
    for png in images:
        doc.add_picture(io.BytesIO(png), width=Cm(15.5))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def rows(db: Path) -> list[tuple[str, float, float]]:
    """(measure, median ms, max ms) of the documents, each with its floor."""
    from pci_metrics.outputs import handout, reports, slides
    from pci_metrics.store import storage
    from scripts.bench import against, timed

    out: list[tuple[str, float, float]] = []
    first = timed(lambda: reports.render(str(db), PERIOD, "docx", today=TODAY), runs=1)
    images = report_images(db)
    docx_floor = timed(lambda: bare_docx(images), runs=3)
    warm = timed(lambda: reports.render(str(db), PERIOD, "docx", today=TODAY), runs=3)
    out += against(f"report {PERIOD} .docx with {len(images)} charts, first", first, docx_floor,
                   f"python-docx writes a bare document with the same {len(images)} images")
    out += against(f"report {PERIOD} .docx with {len(images)} charts, warm", warm, docx_floor, "the same")
    if handout.pdf_available():
        with storage.connect(db, read_only=True) as con:
            deck = slides.deck(con, "vi", None, TODAY)
        first = timed(lambda: handout.deck_pdf(deck), runs=1)
        page = handout.print_html(deck)
        pdf_floor = timed(lambda: handout.html_to_pdf(page), runs=2)
        warm = timed(lambda: handout.deck_pdf(deck), runs=2)
        charted = sum(s.chart is not None for s in deck.slides)
        out += against(f"slides PDF handout ({len(deck.slides)} slides, {charted} charts), first", first, pdf_floor,
                       "Chromium prints the same slides as a static HTML page (images rendered)")
        out += against("slides PDF handout, warm", warm, pdf_floor, "the same")
    return out


def main() -> int:
    from scripts.bench import print_rows

    if len(sys.argv) > 1:
        db = Path(sys.argv[1])
    else:
        from pci_metrics.store.build import build_database

        db = Path(tempfile.mkdtemp(prefix="pci-bench-")) / "bench.duckdb"
        build_database(db)
    print_rows(rows(db))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
