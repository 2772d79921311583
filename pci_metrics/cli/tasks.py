"""Subcommands of the tasks area: ``report`` writes the period's Word report or Excel annex."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from pci_metrics.cli.common import UserError
from pci_metrics.domain.periods import parse_period
from pci_metrics.outputs import reports
from pci_metrics.store import storage


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
