"""Subcommands of the slides area: ``deck --out FILE.pdf|FILE.html [--lang vi|en]``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pci_metrics.base.i18n import t
from pci_metrics.cli.common import UserError
from pci_metrics.outputs import handout, slides
from pci_metrics.store import reference_db, storage


def cmd_deck(args: argparse.Namespace) -> int:
    """Export the presentation deck as a PDF handout or a self-contained HTML file."""
    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise UserError(t("slides_bad_out", "vi", path=out) + " / " + t("slides_bad_out", "en", path=out))
    started = time.perf_counter()
    with storage.connect(args.db, read_only=True) as con:
        known = set(reference_db.load_priorities(con)["code"])
        unknown = [c for c in args.priority or [] if c not in known]
        if unknown:
            raise UserError(f"Không có chỉ số ưu tiên / unknown priority: {', '.join(unknown)} "
                            f"(có / known: {', '.join(sorted(known))})")
        deck = slides.deck(con, args.lang, slides.db_changed_at(args.db),
                           codes=tuple(args.priority) if args.priority else None)
    if not deck.slides:
        raise UserError(t("slides_no_slides", "vi") + " / " + t("slides_no_slides", "en"))
    path = handout.write(deck, out)
    print(t("slides_exported", args.lang, n=len(deck.slides), path=path)
          + f" ({time.perf_counter() - started:.1f} s)")
    return 0
