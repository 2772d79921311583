"""Validation of the plan's appendix: the "Nhiệm vụ" (tasks) and "Đơn vị" (units) sheets of the
template, and the Tasks page's forms that add a task or a unit.

A ward types its appendix as a table: one task per row with its code, its content, the sub-index
or priority it serves, the lead and supporting units (several in one cell, separated by ";" or a
line break), the deadline, the product, the authority and the source. Each column has one rule
(:class:`pci_metrics.imports.sheet_rules.ColumnRule`); every problem names the sheet, row, column,
the value found and what is expected, all at once. A row states the task in full: its lead and
supporting units replace the ones stored; a blank deadline, product or authority keeps the stored
one. A unit is found by its code, name or short name, among the stored units and the units of the
same file's "Đơn vị" sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from pci_metrics.base.cells import cell_text, fold, is_blank
from pci_metrics.base.problems import Problem
from pci_metrics.domain.measures import measure_names
from pci_metrics.imports.columns import choice_code
from pci_metrics.imports.sheet_rules import (
    ColumnRule,
    Finding,
    canonical_columns,
    closest,
    missing_columns,
    placed,
    problem,
    read_row,
    row_numbers,
)
from pci_metrics.imports.task_reports import parse_date

SERVICE_INDEX = "service766"  # tasks that serve the Decision 766 service index, not a PCI sub-index
MAX_TITLE = 1000
MAX_TEXT = 2000
MAX_KEY = 40
TASK_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")

# Headers a sheet may use for each column (compared folded: no case, no diacritics).
TASK_HEADERS: dict[str, tuple[str, ...]] = {
    "task_id": ("ma_nhiem_vu", "ma_nv", "ma", "so_hieu", "task", "task_code"),
    "title_vi": ("noi_dung_nhiem_vu", "nhiem_vu", "noi_dung", "ten_nhiem_vu", "nhiem_vu_cu_the", "title"),
    "title_en": ("noi_dung_tieng_anh", "nhiem_vu_tieng_anh", "title_english", "task_in_english"),
    "subindex": ("chi_so", "chi_so_thanh_phan", "chi_so_uu_tien", "chi_so_linh_vuc_uu_tien", "linh_vuc_uu_tien",
                 "phuc_vu_chi_so", "sub_index", "priority"),
    "lead": ("don_vi_chu_tri", "chu_tri", "co_quan_chu_tri", "lead_unit", "lead_units"),
    "support": ("don_vi_phoi_hop", "phoi_hop", "co_quan_phoi_hop", "supporting_units", "support_units"),
    "deadline": ("thoi_han", "thoi_han_hoan_thanh", "han_hoan_thanh", "thoi_gian_hoan_thanh", "due"),
    "product_vi": ("san_pham", "san_pham_dau_ra", "ket_qua_san_pham", "product"),
    "authority_vi": ("tham_quyen", "cap_co_tham_quyen", "tham_quyen_phe_duyet", "cap_phe_duyet", "authority"),
    "source": ("nguon", "can_cu", "van_ban"),
    "retired_on": ("thoi_theo_doi_tu_ngay", "ngay_thoi_theo_doi", "ngung_theo_doi_tu_ngay", "retired", "retired_from"),
}
UNIT_HEADERS: dict[str, tuple[str, ...]] = {
    "unit_key": ("ma_don_vi", "ma", "unit_code", "code"),
    "name_vi": ("ten_don_vi", "don_vi", "ten", "co_quan_don_vi", "unit", "name"),
    "short_vi": ("ten_viet_tat", "viet_tat", "ten_ngan", "short_name"),
    "name_en": ("ten_tieng_anh", "ten_don_vi_tieng_anh", "english_name", "name_english"),
    "source": ("nguon", "can_cu", "van_ban"),
    "retired_on": ("thoi_theo_doi_tu_ngay", "ngay_thoi_theo_doi", "ngung_theo_doi_tu_ngay", "retired", "retired_from"),
}
TASK_COLUMNS = ("task_id", "plan_id", "title_vi", "title_en", "framework_id", "code", "deadline", "product_vi",
                "authority_vi", "source", "origin", "retired_on")
TASK_UNIT_COLUMNS = ("task_id", "unit_key", "role", "source")
UNIT_COLUMNS = ("unit_key", "plan_id", "name_vi", "name_en", "short_vi", "is_focal", "source", "retired_on")


@dataclass
class Appendix:
    """What appendix rows are checked against: the plan, its sub-indices, tasks and units."""

    plan_id: str
    years: tuple[int, int]
    subindex: dict[str, tuple[str, str | None]]  # folded code, name or choice -> (framework, code)
    subindex_names: list[str]
    task_ids: dict[str, str]  # folded stored code -> stored code
    unit_by_name: dict[str, str]  # folded key, name or short name -> unit_key
    unit_names: list[str]
    links: set[tuple[str, str]] = field(default_factory=set)  # stored (task, unit) links
    default_source: str = ""


def appendix_lookups(*, plans: pd.DataFrame, subindices: pd.DataFrame, frameworks: pd.DataFrame,
                     tasks: pd.DataFrame, units: pd.DataFrame, task_units: pd.DataFrame,
                     default_source: str) -> Appendix:
    """The lookups of :class:`Appendix` from the store's frames (the import's context or the page's model)."""
    plan = plans.iloc[0]
    fw = str(plan["framework_id"])
    subs = subindices[subindices["framework_id"] == fw]
    names = measure_names(subs, frameworks, "vi")
    lookup: dict[str, tuple[str, str | None]] = {}
    for r in subs.itertuples():
        for spelling in (r.code, r.name_vi, r.name_en, f"{names.get(str(r.code), r.name_vi)} ({r.code})"):
            if cell_text(spelling):
                lookup[fold(spelling)] = (fw, str(r.code))
    for spelling in (SERVICE_INDEX, "QĐ 766", "Quyết định 766", "Chỉ số phục vụ", "Chỉ số phục vụ (QĐ 766)",
                     "Bộ chỉ số phục vụ người dân, doanh nghiệp", "service index"):
        lookup[fold(spelling)] = (SERVICE_INDEX, None)
    unit_by_name: dict[str, str] = {}
    for r in units.itertuples():
        for name in (r.unit_key, r.name_vi, r.name_en, getattr(r, "short_vi", None)):
            if cell_text(name):
                unit_by_name.setdefault(fold(name), str(r.unit_key))
    return Appendix(
        plan_id=str(plan["plan_id"]), years=(int(plan["year_from"]), int(plan["year_to"])), subindex=lookup,
        subindex_names=[*(str(n) for n in subs["name_vi"]), *(str(c) for c in subs["code"])],
        task_ids={fold(x): str(x) for x in tasks["task_id"]}, unit_by_name=unit_by_name,
        unit_names=[*(str(u) for u in units["name_vi"]), *(str(u) for u in units["unit_key"])],
        links={(str(a), str(b)) for a, b in zip(task_units["task_id"], task_units["unit_key"], strict=True)},
        default_source=default_source)


def _task_id(cell: Any, lk: Appendix, row: dict[str, Any]) -> str | Finding | None:
    text = str(cell_text(cell))
    if fold(text) in lk.task_ids:
        return lk.task_ids[fold(text)]
    return text if TASK_ID_PATTERN.match(text) else Finding("units_exp_task_code", "task_code")


def _title(cell: Any, lk: Appendix, row: dict[str, Any]) -> str | Finding | None:
    text = cell.strip() if isinstance(cell, str) else cell_text(cell)
    if text is not None and len(text) > MAX_TITLE:
        return Finding("tasks_exp_text_long", "too_long", found=text[:40] + "…", kw={"n": MAX_TITLE})
    return text


def _text(cell: Any, lk: Appendix, row: dict[str, Any]) -> str | Finding | None:
    text = cell.strip() if isinstance(cell, str) else cell_text(cell)
    if text is not None and len(text) > MAX_TEXT:
        return Finding("tasks_exp_text_long", "too_long", found=text[:40] + "…", kw={"n": MAX_TEXT})
    return text


def _subindex(cell: Any, lk: Appendix, row: dict[str, Any]) -> tuple[str, str | None] | Finding:
    text = str(cell_text(cell))
    code = choice_code(text)
    for key in (fold(code) if code else None, fold(text)):
        if key and key in lk.subindex:
            return lk.subindex[key]
    guess = closest(text, lk.subindex_names)
    return Finding("units_exp_subindex_suggest" if guess else "units_exp_subindex", "unknown_subindex",
                   kw={"s": guess})


def split_units(text: str, known: dict[str, str]) -> list[str]:
    """The unit names of one cell: the whole cell when it names a unit (names may hold commas), else
    its parts separated by ";" or line breaks, a part further split at commas when it names none.

    >>> known = {fold("Các phòng, ban khác"): "khac", "vh_xh": "vh_xh", "tt_snc": "tt_snc"}
    >>> split_units("Các phòng, ban khác", known), split_units("vh_xh; tt_snc", known), split_units("vh_xh, tt_snc", known)
    (['Các phòng, ban khác'], ['vh_xh', 'tt_snc'], ['vh_xh', 'tt_snc'])
    """
    if fold(text) in known:
        return [text.strip()]
    out: list[str] = []
    for part in (p.strip() for p in re.split(r"[;\n]+", text)):
        if not part:
            continue
        if fold(part) in known or "," not in part:
            out.append(part)
        else:
            out += [p.strip() for p in part.split(",") if p.strip()]
    return out


def _units(cell: Any, lk: Appendix, row: dict[str, Any]) -> list[str] | Finding:
    found: list[str] = []
    for name in split_units(str(cell_text(cell)), lk.unit_by_name):
        if fold(name) not in lk.unit_by_name:
            guess = closest(name, lk.unit_names)
            return Finding("tasks_exp_unit_suggest" if guess else "units_exp_unit", "unknown_unit", found=name,
                           kw={"s": guess})
        key = lk.unit_by_name[fold(name)]
        if key not in found:
            found.append(key)
    return found


def _deadline(cell: Any, lk: Appendix, row: dict[str, Any]) -> date | Finding | None:
    day = parse_date(cell)
    if day is None:
        return None
    if not lk.years[0] <= day.year <= lk.years[1]:
        return Finding("units_exp_deadline_plan", "deadline_outside_plan",
                       kw={"start": f"01/01/{lk.years[0]}", "end": f"31/12/{lk.years[1]}"})
    return day


def _day(cell: Any, lk: Appendix, row: dict[str, Any]) -> date | None:
    return parse_date(cell)


TASK_RULES: tuple[ColumnRule, ...] = (
    ColumnRule("task_id", True, _task_id),
    ColumnRule("title_vi", True, _title),
    ColumnRule("title_en", False, _title),
    ColumnRule("subindex", False, _subindex),
    ColumnRule("lead", True, _units),
    ColumnRule("support", False, _units),
    ColumnRule("deadline", False, _deadline, "tasks_exp_date", "date"),
    *(ColumnRule(c, False, _text) for c in ("product_vi", "authority_vi", "source")),
    ColumnRule("retired_on", False, _day, "tasks_exp_date", "date"),
)


def _duplicate(out: dict[str, Any], seen: dict[str, int], row_no: int) -> list[tuple[str, Finding]]:
    """One row per task code: a second row with the same code is an error naming the first."""
    if "task_id" not in out:
        return []
    k = fold(out["task_id"])
    if k in seen:
        return [("task_id", Finding("units_exp_duplicate_task", "duplicate", found=out["task_id"],
                                    kw={"other": seen[k]}))]
    seen[k] = row_no
    return []


def _task_rows(out: dict[str, Any], lk: Appendix) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One checked row as a task row and its unit links (a unit in both lists stays lead)."""
    tid = str(out["task_id"])
    new = fold(tid) not in lk.task_ids
    framework, code = out.get("subindex") or (None, None)
    task = {"task_id": tid, "plan_id": lk.plan_id, "title_vi": out["title_vi"], "title_en": out.get("title_en"),
            "framework_id": framework, "code": code, "deadline": out.get("deadline"),
            "product_vi": out.get("product_vi"), "authority_vi": out.get("authority_vi"),
            "source": out.get("source") or (lk.default_source if new else None),
            "origin": "appendix" if new else None, "retired_on": out.get("retired_on")}
    lead = list(out["lead"])
    support = [u for u in out.get("support") or [] if u not in lead]
    links = [{"task_id": tid, "unit_key": u, "role": role,
              "source": None if (tid, u) in lk.links else (out.get("source") or lk.default_source)}
             for role, keys in (("lead", lead), ("support", support)) for u in keys]
    return task, links


def validate_appendix_tasks(frame: pd.DataFrame, lookups: Appendix, *, sheet: str,
                            first_row: int = 2) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Check appendix task rows; return (task rows, unit links, every problem found at once).

    Rows come with their sheet's headers (see :data:`TASK_HEADERS`). A new code is a new task (its
    origin "appendix"); a stored code changes that task. Only rows without an error are returned.
    """
    data = canonical_columns(frame, TASK_HEADERS)
    problems = missing_columns(sheet, data.columns, ("task_id", "title_vi", "lead"))
    if problems:
        return pd.DataFrame(columns=list(TASK_COLUMNS)), pd.DataFrame(columns=list(TASK_UNIT_COLUMNS)), problems
    header = {canon: str(orig) for orig, canon in zip(frame.columns, data.columns, strict=True)}
    seen: dict[str, int] = {}
    tasks: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for row_no, rec in zip(row_numbers(frame, first_row), data.to_dict("records"), strict=True):
        cells = {k: rec.get(k) for k in TASK_HEADERS}
        if all(is_blank(v) for v in cells.values()):
            continue
        out: dict[str, Any] = {}
        found = read_row(TASK_RULES, cells, lookups, out) + _duplicate(out, seen, row_no)
        problems += [placed(sheet, row_no, header.get(column, column), f) for column, f in found]
        if not any(f.severity == "error" for _, f in found):
            task, task_links = _task_rows(out, lookups)
            tasks.append({**task, "_sheet": sheet, "_row": row_no})
            links += [{**link, "_sheet": sheet, "_row": row_no} for link in task_links]
    if not tasks and not any(p.severity == "error" for p in problems):
        problems.append(problem(sheet, None, None, None, "units_note_no_tasks", code="empty"))
    task_frame = pd.DataFrame(tasks, columns=[*TASK_COLUMNS, "_sheet", "_row"])
    task_frame["deadline"] = pd.to_datetime(task_frame["deadline"])
    task_frame["retired_on"] = pd.to_datetime(task_frame["retired_on"])
    return task_frame, pd.DataFrame(links, columns=[*TASK_UNIT_COLUMNS, "_sheet", "_row"]), problems


def unit_key_for(name: str, taken: Sequence[str]) -> str:
    """A new unit's code from its short name or name, unlike any code taken.

    >>> unit_key_for("Văn phòng HĐND và UBND", ["kt_ht_dt"]), unit_key_for("Phòng KT", ["phong_kt"])
    ('van_phong_hdnd_va_ubnd', 'phong_kt_2')
    """
    base = fold(name)[:MAX_KEY].strip("_") or "don_vi"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def _unit_key(cell: Any, lk: Appendix, row: dict[str, Any]) -> str | Finding | None:
    text = fold(cell_text(cell))
    return text if 0 < len(text) <= MAX_KEY else None


UNIT_RULES: tuple[ColumnRule, ...] = (
    ColumnRule("name_vi", True, _title),
    ColumnRule("unit_key", False, _unit_key, "units_exp_unit_code", "unit_code"),
    *(ColumnRule(c, False, _text) for c in ("short_vi", "name_en", "source")),
    ColumnRule("retired_on", False, _day, "tasks_exp_date", "date"),
)


def _unit_row(out: dict[str, Any], lk: Appendix, taken: list[str]) -> dict[str, Any]:
    """A checked row as a unit row: a unit found by its code or name is changed, else a new one."""
    key = out.get("unit_key") or lk.unit_by_name.get(fold(out["name_vi"])) \
        or lk.unit_by_name.get(fold(out.get("short_vi") or "")) \
        or unit_key_for(out.get("short_vi") or out["name_vi"], taken)
    new = key not in lk.unit_by_name.values()
    taken.append(key)
    return {"unit_key": key, "plan_id": lk.plan_id, "name_vi": out["name_vi"],
            "name_en": out.get("name_en") or (out["name_vi"] if new else None), "short_vi": out.get("short_vi"),
            "is_focal": False if new else None, "source": out.get("source") or (lk.default_source if new else None),
            "retired_on": out.get("retired_on")}


def validate_units(frame: pd.DataFrame, lookups: Appendix, *, sheet: str,
                   first_row: int = 2) -> tuple[pd.DataFrame, list[Problem]]:
    """Check unit rows ("Đơn vị" sheet or the page's form); return (unit rows, every problem at once).

    A row whose code, name or short name is a stored unit's changes it; any other is a new unit,
    whose code is made from its short name or name when the row gives none.
    """
    data = canonical_columns(frame, UNIT_HEADERS)
    problems = missing_columns(sheet, data.columns, ("name_vi",))
    if problems:
        return pd.DataFrame(columns=list(UNIT_COLUMNS)), problems
    header = {canon: str(orig) for orig, canon in zip(frame.columns, data.columns, strict=True)}
    taken = list(lookups.unit_by_name.values())
    seen: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for row_no, rec in zip(row_numbers(frame, first_row), data.to_dict("records"), strict=True):
        cells = {k: rec.get(k) for k in UNIT_HEADERS}
        if all(is_blank(v) for v in cells.values()):
            continue
        out: dict[str, Any] = {}
        found = read_row(UNIT_RULES, cells, lookups, out)
        if "name_vi" in out and fold(out["name_vi"]) in seen:
            found.append(("name_vi", Finding("units_exp_duplicate_unit", "duplicate", found=out["name_vi"],
                                             kw={"other": seen[fold(out["name_vi"])]})))
        elif "name_vi" in out:
            seen[fold(out["name_vi"])] = row_no
        problems += [placed(sheet, row_no, header.get(column, column), f) for column, f in found]
        if not any(f.severity == "error" for _, f in found):
            rows.append({**_unit_row(out, lookups, taken), "_sheet": sheet, "_row": row_no})
    units = pd.DataFrame(rows, columns=[*UNIT_COLUMNS, "_sheet", "_row"])
    units["retired_on"] = pd.to_datetime(units["retired_on"])
    return units, problems


def with_units(lookups: Appendix, units: pd.DataFrame) -> Appendix:
    """The lookups with the units of the same file added (a task may name a unit its file adds)."""
    by_name = dict(lookups.unit_by_name)
    for r in units.itertuples():
        for name in (r.unit_key, r.name_vi, r.short_vi, r.name_en):
            if cell_text(name):
                by_name.setdefault(fold(name), str(r.unit_key))
    return Appendix(lookups.plan_id, lookups.years, lookups.subindex, lookups.subindex_names, lookups.task_ids,
                    by_name, [*lookups.unit_names, *(str(n) for n in units["name_vi"])], lookups.links,
                    lookups.default_source)
