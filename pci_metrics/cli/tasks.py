"""Subcommands of the tasks area: ``report`` writes the period's Word report or Excel annex."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pci_metrics.cli.common import UserError
from pci_metrics.domain.periods import parse_period
from pci_metrics.outputs import reports
from pci_metrics.store import storage

Handler = Callable[[argparse.Namespace], int]


def cmd_report(args: argparse.Namespace) -> int:
    """``report --period 2026-Q1 --out FILE.docx|FILE.xlsx [--lang en] [--issuer focal] [--today ISO]``."""
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("docx", "xlsx"):
        raise UserError(f"Tệp ra phải là .docx hoặc .xlsx: {out.name} / the output must be .docx or .xlsx: {out.name}")
    period = parse_period(args.period)
    if period is None or period.endswith("-Q4"):
        raise UserError(f"Kỳ báo cáo không hợp lệ \"{args.period}\": cần 2026-Q1, 2026-Q2, 2026-Q3 hoặc 2026 (báo cáo "
                        f"năm thay quý IV) / invalid period \"{args.period}\": expected 2026-Q1, 2026-Q2, 2026-Q3 or "
                        f"2026 (the annual report replaces Q4)")
    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError as exc:
        raise UserError(f"Ngày không hợp lệ \"{args.today}\" (cần YYYY-MM-DD) / invalid date "
                        f"\"{args.today}\" (expected YYYY-MM-DD)") from exc
    try:
        data, seconds = reports.timed_render(str(storage.db_path(args.db)), period, fmt, lang=args.lang, today=today,
                                             issuer=args.issuer, images=not args.no_charts)
    except ValueError as exc:
        raise UserError(f"Kế hoạch không có kỳ báo cáo {period} / the plan has no reporting period {period} "
                        f"({exc})") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"Đã ghi / wrote {out} ({len(data) // 1024} KB, {seconds:.1f} s)")
    return 0


def register(sub: argparse._SubParsersAction, add: Callable[[str, str], argparse.ArgumentParser]) -> dict[str, Handler]:  # type: ignore[type-arg]
    """Add this area's subcommands; return name -> handler."""
    r = add("report", "the period's administrative report (.docx) or task annex (.xlsx)")
    r.add_argument("--period", required=True, help="2026-Q1, 2026-Q2, 2026-Q3 or 2026 (annual)")
    r.add_argument("--out", required=True, help="FILE.docx (report) or FILE.xlsx (annex)")
    r.add_argument("--lang", choices=["vi", "en"], default="vi")
    r.add_argument("--issuer", choices=list(reports.ISSUERS), default="ward",
                   help="ward: UBND phường (default); focal: Phòng KT-HT&ĐT")
    r.add_argument("--today", help="date the report is made (YYYY-MM-DD; default today)")
    r.add_argument("--no-charts", action="store_true", help="leave the chart images out (faster)")
    return {"report": cmd_report}
