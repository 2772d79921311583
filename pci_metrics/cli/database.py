"""Subcommands on the database as a whole: ``build``, ``info``, ``show`` and ``verify``.

Thin: they call the store and the views, and print in Vietnamese / English.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

import duckdb

from pci_metrics.base.cells import is_blank
from pci_metrics.base.i18n import fmt_num
from pci_metrics.cli.common import UserError, both
from pci_metrics.ops import backup, upgrade
from pci_metrics.outputs import inputs
from pci_metrics.store import batches_db, build, reference_db, schema, storage, tables_db
from pci_metrics.store.storage import records
from pci_metrics.views import history
from pci_metrics.views.leadership import HAIPHONG
from pci_metrics.views.marks import TARGET_MARKS
from pci_metrics.views.priority import PriorityModel


def _db(args: argparse.Namespace) -> str | None:
    return getattr(args, "db", None)


def _upgrade_kept(path: str | None) -> None:
    """A database that is kept is still brought to this version's schema: backed up first, migrated
    on a copy that replaces it only when every migration succeeded (:mod:`pci_metrics.ops.upgrade`);
    one already current is only read, so a running dashboard does not have to wait for a write lock."""
    try:
        done = upgrade.upgrade(path)
    except (upgrade.UpgradeFailed, backup.BackupError) as exc:
        raise UserError(str(exc)) from exc
    if done is not None:
        print(both("deploy_upgraded", before=done.before, after=done.after, backup=done.backup, kept=done.kept))


def cmd_build(args: argparse.Namespace) -> int:
    if args.if_needed and not build.needs_build(_db(args)):
        print(f"Cơ sở dữ liệu đã cập nhật / database up to date: {storage.db_path(_db(args))}")
        _upgrade_kept(_db(args))
        return 0
    if args.if_needed and storage.db_path(_db(args)).exists():
        with storage.connect(_db(args), read_only=True) as con:
            imported = schema.schema_version(con) >= 1 and not batches_db.load_batches(con).empty
        if imported:
            print("Dữ liệu gốc mới hơn nhưng cơ sở dữ liệu có dữ liệu đã nhập: giữ nguyên. "
                  "Chạy `python -m pci_metrics build` để dựng lại. / Seed is newer but the database "
                  "holds imports: kept. Run `python -m pci_metrics build` to rebuild.")
            _upgrade_kept(_db(args))
            return 0
    if storage.db_path(_db(args)).exists():  # users, settings and the audit log go with a rebuild: kept first
        try:
            saved = upgrade.backup_first(_db(args), "before-rebuild")
        except storage.DatabaseCorrupt:
            pass  # nothing readable to keep: rebuilding is how such a file is replaced
        except backup.BackupError as exc:
            raise UserError(str(exc)) from exc
        else:
            print(both("deploy_rebuild_backup", backup=saved))
    counts = build.build_database(_db(args), empty=args.empty)
    print(f"Đã tạo / built {storage.db_path(_db(args))}: "
          + ", ".join(f"{k}={v}" for k, v in counts.items() if v))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with storage.connect(_db(args), read_only=True) as con:
        fws = reference_db.load_frameworks(con)
        info = reference_db.load_year_info(con)
        counts = tables_db.table_counts(con)
        entities = reference_db.load_entities(con)
        last = batches_db.last_batch(con)
        version = schema.schema_version(con)
    print(f"Cơ sở dữ liệu / database: {storage.db_path(_db(args))} (schema v{version})")
    print("Khung đánh giá / frameworks:")
    for r in records(fws):
        to = "" if is_blank(r.year_to) else int(r.year_to)
        print(f"  {r.framework_id:8} {r.year_from}–{to}  {r.name_vi}")
    if not info.empty:
        print(f"Năm / years: {int(info['year'].min())}–{int(info['year'].max())}"
              f" (chỉ top 30 / top 30 only: {', '.join(str(y) for y in info[info['published_scope'] == 'top30']['year'])})")
    print("Đơn vị / entities: " + ", ".join(f"{lvl}={n}" for lvl, n in entities["level"].value_counts().items()))
    print("Số dòng / row counts: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    if last:
        print(f"Lần nhập gần nhất / last import: #{last['batch_id']} {last['file_name']} "
              f"{last['created_at']} ({last['status']})")
    else:
        print("Lần nhập gần nhất / last import: chưa có / none")
    return 0


def priority_line(m: PriorityModel) -> str:
    """One priority's latest value, target, status and gap, as its page states them.

    The numbers are written like the rest of ``show`` (a decimal point)."""
    a = inputs.target_answer(m)
    latest = ("chưa có số liệu / no data" if m.latest.value is None
              else f"{fmt_num(m.latest.value, 'en', 2)} ({m.latest.year})")
    parts = ([fmt_num(a.score, "en", 2)] if a.score is not None else []) + (
        [f"hạng / rank {a.rank}"] if a.rank is not None else [])
    target = f"mục tiêu / target {a.year}: {' · '.join(parts)}" if a.year is not None else "mục tiêu / target: —"
    gap = "—" if a.gap is None else (both("slides_gap_met") if a.gap <= 0 else fmt_num(a.gap, "en", 2))
    return (f"  {m.code:28} {latest:>12}  {target}  ·  trạng thái / status: {TARGET_MARKS[a.status]} {both(f'target_status_{a.status}')}"
            f"  ·  khoảng cách / gap: {gap}")


def _priorities_text(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The priorities' target / status / gap lines (the plan's priorities measure Hải Phòng)."""
    if reference_db.load_plan(con).empty:
        return []
    data = inputs.load(con, date.today())
    return ["Chỉ số ưu tiên, số liệu mới nhất / priorities, latest data:",
            *(priority_line(m) for m in data.priorities)]


def cmd_show(args: argparse.Namespace) -> int:
    with storage.connect(_db(args), read_only=True) as con:
        entities = reference_db.load_entities(con)
        if args.entity not in set(entities["entity_key"]):
            raise UserError(f"Không có đơn vị '{args.entity}' / unknown entity '{args.entity}'")
        try:
            table = history.profile(con, args.entity, args.year)
        except ValueError as exc:
            raise UserError(f"Không có số liệu của {args.entity} năm {args.year} / "
                            f"no data for {args.entity} in {args.year}") from exc
        if table["value"].isna().all():
            raise UserError(f"Không có số liệu của {args.entity} năm {args.year} / "
                            f"no data for {args.entity} in {args.year}")
        priorities = _priorities_text(con) if args.entity == HAIPHONG and args.format == "text" else []
    out = table[["code", "name_vi", "weight", "value", "rank", "rank_of", "provenance", "source"]].astype(
        {"rank": "Int64", "rank_of": "Int64"})  # ranks are whole numbers: "39", never "39.0"
    if args.format == "csv":
        out.to_csv(sys.stdout, index=False)
        return 0
    print(f"{args.entity} {args.year} (khung / framework {table['framework_id'].iloc[0]})")
    for r in records(out):
        value = "chưa có số liệu / no data" if is_blank(r.value) else fmt_num(r.value, "en", 2)
        rank = "" if is_blank(r.rank) else f"  rank {int(r.rank)}" + (
            "" if is_blank(r.rank_of) else f"/{int(r.rank_of)}")
        src = "" if is_blank(r.source) else f"  [{r.provenance}] {r.source}"
        print(f"  {r.code:22} {value:>10}{rank}{src}")
    for line in priorities:
        print(line)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with storage.connect(_db(args), read_only=True) as con:
        report = history.verify(con)
    print("Năm / year  khung / framework  so sánh / compared  lệch lớn nhất / max deviation")
    for r in records(report.deviations):
        dev = "—" if is_blank(r.max_deviation) else f"{r.max_deviation:.4f}"
        flag = "" if r.enforced else "  (không kiểm / not enforced)"
        print(f"  {r.year}  {r.framework_id:8}  {r.n_compared:3}  {dev}{flag}")
    for c in report.checks:
        print(f"  OK  {c}")
    for f in report.failures:
        print(f"  LỖI / FAIL  {f}")
    print("Kiểm tra đạt / verify passed" if report.ok else "Kiểm tra KHÔNG đạt / verify FAILED")
    return 0 if report.ok else 1
