"""Subcommands of the import area: import, undo, batches, export, template.

Thin: they parse, call the import pipeline (:mod:`pci_metrics.imports.ingest`, ``commit``, ``export``,
``template``) and print.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from pci_metrics.base import exports
from pci_metrics.base.problems import InputError, Problem
from pci_metrics.cli.common import UserError
from pci_metrics.imports import commit, display, ingest, sniff, template
from pci_metrics.imports.diff import Preview
from pci_metrics.imports.export import export_scores
from pci_metrics.store import storage

SHOW_CHANGES = 20


def _user(args: argparse.Namespace) -> str:
    return str(args.user or os.environ.get("PCI_USER") or f"cli:{getpass.getuser()}")


def _print_notices(problems: list[Problem], verbose: bool) -> None:
    for p in problems:
        if p.severity != "error" and (verbose or p.code != "read"):  # how a VCCI workbook was read: --verbose
            print("  " + display.notice_text(p, "vi") + " / " + display.notice_text(p, "en"))


def _print_changes(preview: Preview) -> None:
    for table, c in preview.counts.items():
        print(f"  {table:16} thêm / added {c['added']:6}  thay đổi / changed {c['changed']:6}  "
              f"không đổi / unchanged {c['unchanged']:6}")
    changed = preview.changes[preview.changes["status"] == "changed"]
    for r in storage.records(changed.head(SHOW_CHANGES)):
        flag = "  [công bố / published]" if r.published else ""
        print(f"  ~ {r.table} {r.key} {r.column}: {r.old} → {r.new}{flag}")
    if len(changed) > SHOW_CHANGES:
        print(f"  … {len(changed) - SHOW_CHANGES} thay đổi khác / more changes")


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    data = sniff.read_regular_file(path)
    try:
        outcome = ingest.import_file(args.db, data, path.name, user=_user(args), year=args.year,
                                     dry_run=args.dry_run, allow_changes=args.allow_changes)
    except commit.ChangesNotConfirmed as exc:
        print(f"{len(exc.problems)} số liệu đã công bố sẽ thay đổi; chạy lại với --allow-changes để xác nhận / "
              f"{len(exc.problems)} published figures would change; run again with --allow-changes to confirm",
              file=sys.stderr)
        raise
    except InputError as exc:
        if any(p.code == "year_unknown" for p in exc.problems):
            print("Không biết năm của bảng tính: thêm --year NĂM / the workbook's year is unknown: add --year YEAR",
                  file=sys.stderr)
        print(f"{len(exc.problems)} lỗi, chưa ghi gì / {len(exc.problems)} errors, nothing was written:",
              file=sys.stderr)
        raise
    preview = outcome.preview
    assert preview is not None
    kind = preview.incoming.kind + (f" {preview.incoming.year}" if preview.incoming.year else "")
    print(f"{path.name} ({kind}): {preview.summary('vi')} / {preview.summary('en')}")
    _print_notices(preview.incoming.problems, args.verbose)
    _print_changes(preview)
    if outcome.status == "preview":
        print("Chạy thử: chưa ghi gì / dry run: nothing was written")
    else:
        print(outcome.message("vi") + " / " + outcome.message("en"))
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    with storage.connect(args.db) as con:
        outcome = commit.undo(con, args.batch, user=_user(args))
    print(outcome.message("vi") + " / " + outcome.message("en"))
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    with storage.connect(args.db, read_only=True) as con:
        table = commit.batches_table(con)
    if table.empty:
        print("Chưa có lần nhập nào / no imports yet")
        return 0
    for r in storage.records(table):
        print(f"  #{r.batch_id:<4} {str(r.created_at)[:16]}  {r.status:9} {r.kind:8} +{r.added} ~{r.changed} "
              f"={r.unchanged}  {r.user_name}  {r.file_name}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    with storage.connect(args.db, read_only=True) as con:
        frame = export_scores(con)
    if out.suffix.lower() in (".csv", ".xlsx"):
        exports.write_table(frame, out, sheet="scores")
    else:
        raise UserError("Tệp xuất phải là .csv hoặc .xlsx / the output must be .csv or .xlsx")
    print(f"Đã xuất / exported {len(frame)} dòng / rows -> {out}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    out = Path(args.out)
    with storage.connect(args.db, read_only=True) as con:
        data = template.build_template(con)
    out.write_bytes(data)
    print(f"Đã tạo mẫu nhập liệu / template written: {out}")
    return 0
