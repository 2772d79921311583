"""Documents for `make bench`, each next to its floor measured in the same run:

* **the quarterly report (.docx with its charts)**: :func:`pci_metrics.outputs.reports.render` for
  2026-Q1, first (cold: kaleido starts) and warm; floor: a bare python-docx document holding the
  same chart images (already rendered), one picture a paragraph, saved to bytes;
* **the slides' PDF handout**: :func:`pci_metrics.outputs.handout.deck_pdf`, first and warm; floor:
  Debian's Chromium run as ``chromium --headless --print-to-pdf`` on the same slides saved as a
  static HTML file whose images are already rendered (:func:`~pci_metrics.outputs.handout.print_html`).

Run alone: ``.venv/bin/python -m scripts.bench_documents [DB]``.
"""

from __future__ import annotations

import io
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PERIOD = "2026-Q1"
TODAY = date(2026, 4, 10)


def report_images(docx_bytes: bytes) -> list[bytes]:
    """The PNGs a .docx embeds."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        return [z.read(n) for n in sorted(z.namelist()) if n.startswith("word/media/")]


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


def chromium_print(html_file: Path) -> bytes:
    """The floor of the PDF: Chromium alone prints a static HTML file (a process per print)."""
    import subprocess

    from pci_metrics.outputs import handout

    out = html_file.with_suffix(".pdf")
    subprocess.run([handout.CHROMIUM, "--headless", *handout.CHROMIUM_ARGS, "--no-pdf-header-footer",
                    f"--print-to-pdf={out}", html_file.as_uri()], check=True, capture_output=True, timeout=300)
    return out.read_bytes()


def rows(db: Path) -> list[tuple[str, float, float]]:
    """(measure, median ms, max ms) of the documents, each with its floor."""
    from pci_metrics.outputs import handout, reports, slides
    from pci_metrics.store import storage
    from scripts.bench import against, timed

    out: list[tuple[str, float, float]] = []
    first = timed(lambda: reports.render(str(db), PERIOD, "docx", today=TODAY), runs=1)
    images = report_images(reports.render(str(db), PERIOD, "docx", today=TODAY))
    docx_floor = timed(lambda: bare_docx(images), runs=3)
    warm = timed(lambda: reports.render(str(db), PERIOD, "docx", today=TODAY), runs=3)
    out += against(f"report {PERIOD} .docx with {len(images)} charts, first", first, docx_floor,
                   f"python-docx writes a bare document with the same {len(images)} images")
    out += against(f"report {PERIOD} .docx with {len(images)} charts, warm", warm, docx_floor, "the same")
    if handout.pdf_available():
        with storage.connect(db, read_only=True) as con:
            deck = slides.deck(con, "vi", None, TODAY)
        first = timed(lambda: handout.deck_pdf(deck), runs=1)
        page = Path(tempfile.mkdtemp(prefix="pci-bench-pdf-")) / "slides.html"
        page.write_text(handout.print_html(deck), encoding="utf-8")
        pdf_floor = timed(lambda: chromium_print(page), runs=2)
        warm = timed(lambda: handout.deck_pdf(deck), runs=2)
        charted = sum(s.chart is not None for s in deck.slides)
        out += against(f"slides PDF handout ({len(deck.slides)} slides, {charted} charts), first", first, pdf_floor,
                       "chromium --headless --print-to-pdf of the same slides as a static HTML file")
        out += against("slides PDF handout, warm", warm, pdf_floor, "the same")
    return out


def main() -> int:
    from scripts.bench import run_alone

    return run_alone(rows)


if __name__ == "__main__":
    raise SystemExit(main())
