"""Check every row of a read file against the database's vocabularies and list every problem at once.

Each sheet kind has its validator (scores, targets, year notes, service readings, task reports);
a VCCI workbook goes through :mod:`pci_metrics.imports.vcci_tables`. The result, :class:`Incoming`,
holds the store's columns of the rows that passed, and is empty while any error remains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from pci_metrics.base.cells import cell_text, is_blank
from pci_metrics.base.problems import Problem
from pci_metrics.domain import task_status
from pci_metrics.domain.notes import YEAR_NOTE_MAX_CHARS
from pci_metrics.imports.appendix import (
    Appendix,
    appendix_lookups,
    validate_appendix_tasks,
    validate_units,
    with_units,
)
from pci_metrics.imports.checker import Checker, default_source, framework_series
from pci_metrics.imports.columns import REQUIRED_FIELDS
from pci_metrics.imports.context import Context
from pci_metrics.imports.limits import (
    COMPOSITE,
    KIND_CSV,
    KIND_TEMPLATE,
    KIND_VCCI,
    MAX_PROBLEMS,
    YEAR_MIN,
    errors,
    problem,
)
from pci_metrics.imports.read import RawFile, RawSheet
from pci_metrics.imports.service_readings import validate_service_readings
from pci_metrics.imports.task_reports import validate_task_reports
from pci_metrics.imports.vcci_tables import vcci_tables
from pci_metrics.store import storage


@dataclass
class Incoming:
    """Validated rows per table (the store's columns, plus ``_sheet``/``_row`` of each row) and problems."""

    kind: str
    file_name: str
    sha256: str
    tables: dict[str, pd.DataFrame]
    problems: list[Problem]
    year: int | None = None

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return not errors(self.problems)


def _validate_scores(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem]) -> pd.DataFrame:
    ck = Checker(sheet, problems)
    if ck.missing(REQUIRED_FIELDS["scores"]):
        return pd.DataFrame()
    if "value" not in ck.columns and "rank" not in ck.columns:
        ck.missing(["value"])
        return pd.DataFrame()
    this_year = date.today().year
    years, bad = ck.years(YEAR_MIN, this_year)
    fws = framework_series(ctx, years)
    keys, bad_e = ck.entities(ctx)
    codes, bad_c = ck.codes(ctx, fws)
    high = pd.Series(np.where(codes.isna(), np.inf, np.where(codes == COMPOSITE, 100.0, 10.0)), index=codes.index)
    values, bad_v = ck.numbers("value", 0.0, high, what_vi="điểm (0–10, điểm tổng hợp 0–100)",
                               what_en="a score (0–10, composite 0–100)")
    n_max = pd.Series([ctx.n_provinces(int(y)) if not is_blank(y) else None for y in years],
                      index=years.index, dtype="Float64").fillna(63).astype(float)
    ranks, bad_r = ck.numbers("rank", 1.0, n_max, integer=True, what_vi="hạng (số nguyên)", what_en="a rank (whole number)")
    bad_all = bad | bad_e | bad_c | bad_v | bad_r
    if "framework" in ck.columns:
        given = ck.col("framework").map(cell_text)
        for i in np.flatnonzero((given.notna() & fws.notna() & (given != fws)).to_numpy()):
            ck.add(int(i), "framework", given.iloc[i], f"khung {fws.iloc[i]} (khung áp dụng năm {int(years.iloc[i])})",
                   f"framework {fws.iloc[i]} (the one in force in {int(years.iloc[i])})", "unknown_framework")
            bad_all.iloc[i] = True
    both_blank = values.isna() & ranks.isna() & ~bad_v & ~bad_r
    for i in np.flatnonzero(both_blank.to_numpy()):
        ck.add(int(i), "value", None, "một giá trị hoặc một thứ hạng", "a value or a rank", "required")
        bad_all.iloc[i] = True
    sources = ck.texts("source", limit=1000).fillna(default_source(raw.file_name, raw.kind))
    frame = pd.DataFrame({
        "entity_key": keys, "year": years, "framework_id": fws, "code": codes, "value": values,
        "rank": ranks, "source": sources, "_sheet": sheet.sheet, "_row": ck.rows})
    ok = ~bad_all
    bad_d = ck.duplicates(frame, ["entity_key", "year", "code"], ok, "code")
    frame = frame[ok & ~bad_d].copy()
    frame["year"] = frame["year"].astype("int64")
    frame["rank"] = frame["rank"].round().astype("Int64")
    n = [ctx.n_provinces(int(y)) for y in frame["year"]]
    frame["rank_of"] = pd.array([int(x) if x is not None and not is_blank(r) else None
                                 for x, r in zip(n, frame["rank"], strict=True)], dtype="Int64")
    frame["provenance"] = "entered"
    frame["rank_provenance"] = [None if is_blank(r) else "entered" for r in frame["rank"]]
    frame["_derive_rank"] = False
    return frame


def _validate_targets(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem]) -> pd.DataFrame:
    ck = Checker(sheet, problems)
    if ck.missing(REQUIRED_FIELDS["targets"]):
        return pd.DataFrame()
    years, bad = ck.years(YEAR_MIN, date.today().year + 10)
    plans = list(ctx.plans["plan_id"])
    plan_raw = ck.col("plan").map(cell_text)
    plan = plan_raw.fillna(plans[0] if len(plans) == 1 else "")
    for i in np.flatnonzero((~plan.isin(plans)).to_numpy()):
        ck.add(int(i), "plan", plan_raw.iloc[i], f"mã kế hoạch: {', '.join(plans)}", f"a plan id: {', '.join(plans)}",
               "unknown_plan")
        bad.iloc[i] = True
    fw_given = ck.col("framework").map(cell_text)
    fws = framework_series(ctx, years)
    fws = fw_given.where(fw_given.notna(), fws)
    known_fw = set(ctx.frameworks["framework_id"])
    for i in np.flatnonzero((fws.notna() & ~fws.isin(known_fw)).to_numpy()):
        ck.add(int(i), "framework", fws.iloc[i], f"khung đánh giá: {', '.join(sorted(known_fw))}",
               f"a framework: {', '.join(sorted(known_fw))}", "unknown_framework")
        bad.iloc[i] = True
        fws.iloc[i] = None
    keys, bad_e = ck.entities(ctx)
    codes, bad_c = ck.codes(ctx, fws)
    high = pd.Series(np.where(codes.isna(), np.inf, np.where(codes == COMPOSITE, 100.0, 10.0)), index=codes.index)
    scores, bad_s = ck.numbers("target_score", 0.0, high, what_vi="điểm mục tiêu", what_en="a target score")
    ranks, bad_r = ck.numbers("target_rank", 1.0, 63.0, integer=True, what_vi="hạng mục tiêu", what_en="a target rank")
    bad_all = bad | bad_e | bad_c | bad_s | bad_r
    if "target_score" not in ck.columns and "target_rank" not in ck.columns:
        ck.missing(["target_score"])
        return pd.DataFrame()
    for i in np.flatnonzero((scores.isna() & ranks.isna() & ~bad_s & ~bad_r).to_numpy()):
        ck.add(int(i), "target_score", None, "điểm mục tiêu và/hoặc hạng mục tiêu", "a target score and/or rank",
               "required")
        bad_all.iloc[i] = True
    frame = pd.DataFrame({
        "plan_id": plan, "entity_key": keys, "year": years, "framework_id": fws, "code": codes,
        "target_score": scores, "target_rank": ranks,
        "source": ck.texts("source", limit=1000).fillna(default_source(raw.file_name, raw.kind)),
        "_sheet": sheet.sheet, "_row": ck.rows})
    ok = ~bad_all
    bad_d = ck.duplicates(frame, ["plan_id", "entity_key", "year", "code"], ok, "code")
    frame = frame[ok & ~bad_d].copy()
    frame["year"] = frame["year"].astype("int64")
    frame["target_rank"] = frame["target_rank"].round().astype("Int64")
    return frame


def _validate_notes(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem]) -> pd.DataFrame:
    ck = Checker(sheet, problems)
    if ck.missing(REQUIRED_FIELDS["notes"]):
        return pd.DataFrame()
    years, bad = ck.years(YEAR_MIN, date.today().year + 1)
    keys, bad_e = ck.entities(ctx)
    codes, bad_c = ck.codes(ctx, framework_series(ctx, years))
    text = ck.texts("text", limit=YEAR_NOTE_MAX_CHARS)
    for i in np.flatnonzero(text.isna().to_numpy()):
        ck.add(int(i), "text", None, "nội dung ghi chú (cột bắt buộc)", "the note's text (a required column)", "required")
        bad.iloc[i] = True
    frame = pd.DataFrame({"entity_key": keys, "year": years, "code": codes, "text": text,
                          "_sheet": sheet.sheet, "_row": ck.rows})
    ok = ~(bad | bad_e | bad_c)
    bad_d = ck.duplicates(frame, ["entity_key", "year", "code"], ok, "code")
    frame = frame[ok & ~bad_d].copy()
    frame["year"] = frame["year"].astype("int64")
    return frame


def _validate_service(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem]) -> pd.DataFrame:
    """Service-index readings, checked by the service area's own validator."""
    clean, found = validate_service_readings(sheet.frame, groups=ctx.groups, entities=ctx.entities,
                                             sheet=sheet.sheet or "")
    problems.extend(found)
    if clean.empty:
        return pd.DataFrame()
    clean = clean.copy()
    clean["_sheet"] = sheet.sheet
    return clean


def _validate_task_reports(sheet: RawSheet, ctx: Context, raw: RawFile, problems: list[Problem],
                           user: str) -> pd.DataFrame:
    plan_years = [y for r in storage.records(ctx.plans) for y in range(int(r.year_from), int(r.year_to) + 1)]
    clean, found = validate_task_reports(sheet.frame, tasks=ctx.tasks, units=ctx.units, sheet=sheet.sheet or "",
                                         task_units=ctx.task_units, years=plan_years or None)
    problems.extend(found)
    if clean.empty:
        return pd.DataFrame()
    clean = clean.copy()
    now = pd.Timestamp(datetime.now().replace(microsecond=0))
    clean["reported_by"] = clean["reported_by"].where(clean["reported_by"].notna(), user)
    clean["reported_at"] = clean["reported_at"].where(clean["reported_at"].notna(), now)
    clean = task_status.filed_on_behalf(clean, user, now)  # counts once the focal office accepts it
    clean["_sheet"], clean["_row"] = sheet.sheet, None
    return clean


APPENDIX_SHEETS = ("units", "appendix_tasks")


def appendix_context(ctx: Context, file_name: str) -> Appendix:
    """What the appendix sheets are checked against, from an import's context."""
    return appendix_lookups(plans=ctx.plans, subindices=ctx.subindices, frameworks=ctx.frameworks, tasks=ctx.tasks,
                            units=ctx.units, task_units=ctx.task_units,
                            default_source=f"Phụ lục Kế hoạch, nhập từ tệp {file_name} / "
                                           f"the plan's appendix, imported from {file_name}")


def _validate_appendix(raw: RawFile, ctx: Context, problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """The "Đơn vị" sheets first (a task may name a unit the same file adds), then the "Nhiệm vụ" sheets."""
    sheets = [s for s in raw.sheets if s.kind in APPENDIX_SHEETS]
    if not sheets:
        return {}
    lookups = appendix_context(ctx, raw.file_name)
    found: dict[str, list[pd.DataFrame]] = {"unit": [], "task": [], "task_unit": []}
    for sheet in sorted(sheets, key=lambda s: s.kind != "units"):
        if sheet.kind == "units":
            units, more = validate_units(sheet.frame, lookups, sheet=sheet.sheet or "")
            lookups = with_units(lookups, units)
            found["unit"].append(units)
        else:
            tasks, links, more = validate_appendix_tasks(sheet.frame, lookups, sheet=sheet.sheet or "")
            found["task"].append(tasks)
            found["task_unit"].append(links)
        problems.extend(more)
    return {table: pd.concat(frames, ignore_index=True) for table, frames in found.items()
            if frames and not all(f.empty for f in frames)}


VALIDATORS: dict[str, tuple[str, Callable[[RawSheet, Context, RawFile, list[Problem]], pd.DataFrame]]] = {
    "scores": ("score", _validate_scores), "targets": ("target", _validate_targets),
    "notes": ("year_note", _validate_notes), "service": ("service_reading", _validate_service),
}


def validate(raw: RawFile, ctx: Context, *, user: str = "chuyen-vien") -> Incoming:
    """Check every row of a read file against the database's vocabularies; list every problem at once.

    Example: a score of 12 for ``entry`` on row 4 of "Điểm" → a problem (sheet "Điểm", row 4, column
    "Giá trị", found "12", expected "một số từ 0 đến 10"); ``incoming.ok`` is False, ``tables`` empty.
    """
    problems = list(raw.problems)
    tables: dict[str, pd.DataFrame] = {}
    if not errors(problems):
        if raw.kind == KIND_VCCI and raw.vcci is not None:
            problems.extend(Problem(None, None, None, None, n, e, severity="notice", code="read")
                            for n, e in zip(raw.vcci.notices, raw.vcci.notices_en, strict=True))
            tables = vcci_tables(raw.vcci, ctx, raw, problems)
        tables.update(_validate_appendix(raw, ctx, problems))
        for sheet in raw.sheets:
            if sheet.kind in APPENDIX_SHEETS:
                continue
            if sheet.kind == "task_reports":
                frame = _validate_task_reports(sheet, ctx, raw, problems, user)
                table = "task_report"
            else:
                table, fn = VALIDATORS[sheet.kind]
                frame = fn(sheet, ctx, raw, problems)
            if not frame.empty:
                tables[table] = pd.concat([tables[table], frame], ignore_index=True) if table in tables else frame
        if raw.kind in (KIND_TEMPLATE, KIND_CSV) and not tables and not errors(problems):
            problems.append(problem("no_rows", "ít nhất một dòng dữ liệu dưới dòng tiêu đề",
                                    "at least one data row under the header row", found=raw.file_name))
    stamp = datetime.now().replace(microsecond=0)
    for name, frame in tables.items():
        if name == "target":
            frame["entered_by"], frame["entered_at"] = user, stamp
        elif name == "year_note":
            frame["author"], frame["created_at"] = user, stamp
    if len(problems) > MAX_PROBLEMS:
        rest = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [Problem(None, None, None, None, f"… và {rest} vấn đề nữa",
                                                      f"… and {rest} more problems", code="more")]
    return Incoming(raw.kind, raw.file_name, raw.sha256, tables if not errors(problems) else {}, problems, raw.year)
