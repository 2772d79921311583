"""Validation of service-index readings (Decision 766): the import template's sheet, long or wide.

Each column has one rule in :data:`READING_RULES` (see :mod:`pci_metrics.imports.sheet_rules`),
then the sums per period are checked: the two groups of unknown maxima together at most 44, the
five at most 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pci_metrics.base.cells import blank_mask, blank_rows, cell_text, fold, parse_number
from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.base.problems import Problem
from pci_metrics.domain.service_index import (
    GROUP_MAX_RANGE,
    PAIR,
    PAIR_POINTS,
    TOTAL_POINTS,
    WARD,
    parse_service_period,
)
from pci_metrics.imports.sheet_rules import (
    ColumnRule,
    Finding,
    canonical_columns,
    closest,
    missing_columns,
    placed,
    problem,
    read_rows,
    row_numbers,
)

READING_COLUMNS = ("entity_key", "period", "group_code", "score", "source")
READING_HEADERS: dict[str, tuple[str, ...]] = {
    "entity_key": ("entity", "dia_ban", "don_vi", "ma_dia_ban"),
    "period": ("ky", "ky_bao_cao", "thoi_ky", "ky_danh_gia"),
    "group_code": ("group", "nhom", "nhom_chi_so", "ma_nhom"),
    "score": ("diem", "gia_tri", "value", "points"),
    "source": ("nguon", "nguon_so_lieu"),
}


@dataclass(frozen=True)
class _Refs:
    """What a reading is checked against: the groups (names, maxima) and the entities."""

    groups: dict[str, str]  # folded code or name -> group code
    group_names: list[str]  # what a group suggestion is chosen from
    maxima: dict[str, float | None]
    entities: dict[str, str]  # folded key or name -> entity_key
    entity_keys: list[str]
    default_entity: str
    default_source: str


def _refs(groups: pd.DataFrame, entities: pd.DataFrame, default_entity: str, sheet: str) -> _Refs:
    lookup = {fold(name): str(code) for code, *names in zip(groups["code"], groups["name_vi"], groups["name_en"],
                                                             strict=True) for name in (code, *names)}
    maxima = {str(c): (None if pd.isna(m) else float(m)) for c, m in zip(groups["code"], groups["max_points"],
                                                                          strict=True)}
    by_name = {fold(n): str(k) for k, *names in entities[["entity_key", "name_vi", "name_en"]].itertuples(
        index=False) for n in (k, *names)}
    return _Refs(lookup, [*groups["code"].astype(str), *groups["name_vi"].astype(str)], maxima, by_name,
                 [str(e) for e in entities["entity_key"]], default_entity,
                 t("service_source_default", "vi", sheet=sheet))


def _entity(cell: Any, refs: _Refs, row: dict[str, Any]) -> str | Finding:
    raw = str(cell_text(cell))
    if fold(raw) in refs.entities:
        return refs.entities[fold(raw)]
    guess = closest(raw, refs.entity_keys)
    return Finding("service_exp_entity_suggest" if guess else "service_exp_entity", "unknown_entity", kw={"s": guess})


def _group(cell: Any, refs: _Refs, row: dict[str, Any]) -> str | Finding:
    raw = str(cell_text(cell))
    if fold(raw) in refs.groups:
        return refs.groups[fold(raw)]
    guess = closest(raw, refs.group_names)
    return Finding("service_exp_group_suggest" if guess else "service_exp_group", "unknown_group", kw={"s": guess})


def _score(cell: Any, refs: _Refs, row: dict[str, Any]) -> float | Finding:
    """0 to the group's maximum (an unknown maximum: 0 to 22)."""
    number, how = parse_number(cell)
    limit = refs.maxima.get(row.get("group_code", ""))
    top = limit if limit is not None else GROUP_MAX_RANGE[1]
    if number is not None and how in ("ok", "comma") and 0 <= number <= top:
        return number
    return Finding("service_exp_score" if limit is not None else "service_exp_score_unknown_max", "score",
                   kw={"max": fmt_num(top, "vi", 0)})


def _score_notes(number: float, cell: Any, refs: _Refs, row: dict[str, Any]) -> list[Finding]:
    if parse_number(cell)[1] != "comma":
        return []
    return [Finding("tasks_note_decimal_comma", "decimal_comma", severity="notice",
                    kw={"raw": cell_text(cell), "value": fmt_num(number, "vi", 2)})]


READING_RULES: tuple[ColumnRule, ...] = (
    ColumnRule("entity_key", False, _entity, blank=lambda refs, row: refs.default_entity, reads=()),
    ColumnRule("period", True, lambda cell, refs, row: parse_service_period(cell), "service_exp_period", "period",
               reads=()),
    ColumnRule("group_code", True, _group, reads=()),
    ColumnRule("score", True, _score, notes=_score_notes, reads=("group_code",)),  # the group's maximum
    ColumnRule("source", False, lambda cell, refs, row: cell_text(cell), blank=lambda refs, row: refs.default_source,
               reads=()),
)


def _wide_to_long(frame: pd.DataFrame, lookup: dict[str, str], first_row: int) -> pd.DataFrame:
    """A sheet with one column per group (one row per period) as one row per group."""
    rows = row_numbers(frame, first_row)
    group_cols = {c: lookup[fold(c)] for c in frame.columns if fold(c) in lookup}
    keep = [c for c in frame.columns if c not in group_cols and c != "_row"]
    out = []
    for i, (_, rec) in enumerate(frame.iterrows()):
        for col, code in group_cols.items():
            out.append({**{k: rec[k] for k in keep}, "group_code": code, "score": rec[col], "_row": rows[i],
                        "_col": str(col)})
    return pd.DataFrame(out)


def validate_service_readings(frame: pd.DataFrame, *, groups: pd.DataFrame, entities: pd.DataFrame, sheet: str,
                              default_entity: str = WARD, first_row: int = 2) -> tuple[pd.DataFrame, list[Problem]]:
    """Check service-index readings and return (clean rows, every problem found at once).

    Long form (one row per period and group: period, group, score[, entity, source]) or wide form
    (one row per period, one column per group, headed by the group's code or name). A blank entity is
    ``default_entity`` (the ward); a blank source is recorded as entered from the sheet (a notice).
    Scores: 0 to the group's maximum (unknown maxima: 0 to 22), the two unknown groups together at
    most 44, the five at most 100; "6,8" is read as 6.8 with a notice.

    >>> groups = pd.DataFrame({"code": ["publicity", "digitisation"], "name_vi": ["Công khai, minh bạch", "Số hóa hồ sơ"],
    ...                        "name_en": ["Publicity", "Digitisation"], "max_points": [18.0, None]})
    >>> entities = pd.DataFrame({"entity_key": ["hongbang"], "name_vi": ["Phường Hồng Bàng"], "name_en": ["Hồng Bàng"]})
    >>> rows = pd.DataFrame({"Kỳ": ["2026-Q1", "2026-Q1"], "Nhóm": ["Công khai, minh bạch", "so hoa"],
    ...                      "Điểm": ["16,5", 30], "Nguồn": ["dichvucong.gov.vn", "dichvucong.gov.vn"]})
    >>> clean, problems = validate_service_readings(rows, groups=groups, entities=entities, sheet="QĐ 766")
    >>> clean[["entity_key", "period", "group_code", "score"]].values.tolist()
    [['hongbang', '2026-Q1', 'publicity', 16.5]]
    >>> [(p.row, p.column, p.severity, p.code) for p in problems]
    [(2, 'Điểm', 'notice', 'decimal_comma'), (3, 'Nhóm', 'error', 'unknown_group'), (3, 'Điểm', 'error', 'score')]
    """
    refs = _refs(groups, entities, default_entity, sheet)
    data = canonical_columns(frame, READING_HEADERS)
    header = {canon: str(orig) for orig, canon in zip(frame.columns, data.columns, strict=True)}
    wide = "group_code" not in data.columns and any(fold(c) in refs.groups for c in data.columns)
    if wide:
        data = _wide_to_long(data, refs.groups, first_row)
    problems = missing_columns(sheet, data.columns, ("period", "group_code", "score"))
    if problems:
        return pd.DataFrame(columns=list(READING_COLUMNS)), problems
    given = [k for k in READING_COLUMNS if k in data.columns and (k != "group_code" or not wide)]
    empty = blank_rows(data, given)
    if wide:
        empty |= blank_mask(data["score"])  # a group left blank in a wide sheet: no reading for it
    rows = data[~empty]
    row_no = np.asarray(row_numbers(data, first_row), dtype=np.int64)[~empty]
    values, found = read_rows(READING_RULES, {c: rows[c].tolist() for c in READING_COLUMNS if c in rows}, len(rows),
                              refs)
    dup_of = _duplicates(values, row_no)
    problems += _placed_problems(found, dup_of, values, row_no, sheet, header,
                                 rows["_col"].astype(str).tolist() if wide else None)
    bad = np.zeros(len(rows), dtype=bool)
    bad[[i for i, _, f in found if f.severity == "error"] + list(dup_of)] = True
    clean = pd.DataFrame({**{k: [v for v, b in zip(values[k], bad, strict=True) if not b] for k in READING_COLUMNS},
                          "_row": row_no[~bad]}, columns=[*READING_COLUMNS, "_row"])
    clean, sum_problems = _check_sums(clean, sheet, header.get("score", "score"))
    problems += sum_problems
    if (clean["source"] == refs.default_source).any():
        problems.append(problem(sheet, None, header.get("source", "source"), None, "service_note_source_default",
                                severity="notice", code="source_default", source=refs.default_source))
    clean = clean.drop(columns="_row").reset_index(drop=True)
    clean["score"] = clean["score"].astype(float)
    return clean, problems


def _placed_problems(found: list[tuple[int, int, Finding]], dup_of: dict[int, int], values: dict[str, list[Any]],
                     row_no: np.ndarray, sheet: str, header: dict[str, str],
                     columns_of: list[str] | None) -> list[Problem]:
    """Each finding and duplicate as a problem at its sheet row and the column the user wrote (a wide
    sheet's score at its group's column), in row order then rule order, a duplicate last in its row."""
    placed_at = [(i, at, placed(sheet, int(row_no[i]), columns_of[i] if columns_of and rule == "score"
                                else header.get(rule, rule), f))
                 for i, at, f in found for rule in (READING_RULES[at].column,)]
    placed_at += [(int(i), len(READING_RULES), placed(sheet, int(row_no[i]), header.get("group_code", "group_code"),
                   Finding("service_exp_duplicate", "duplicate", found=" ".join(
                       str(values[k][i]) for k in ("entity_key", "period", "group_code")),
                       kw={"other": int(first)})))
                  for i, first in dup_of.items()]
    return [p for _, _, p in sorted(placed_at, key=lambda x: (x[0], x[1]))]


def _duplicates(values: dict[str, list[Any]], row_no: np.ndarray) -> dict[int, int]:
    """One reading per entity, period and group: each later row for them (position → the first's row
    number), among rows whose three were read without error."""
    keys = pd.DataFrame({k: values[k] for k in ("entity_key", "period", "group_code")})
    keyed = keys.notna().all(axis=1).to_numpy()
    if not keyed.any():
        return {}
    part = keys[keyed].assign(_row=row_no[keyed])
    later = part.duplicated(["entity_key", "period", "group_code"], keep="first")
    if not later.any():
        return {}
    first = part.groupby(["entity_key", "period", "group_code"], sort=False)["_row"].transform("first")
    return {int(i): int(r) for i, r in first[later].items()}


def _check_sums(clean: pd.DataFrame, sheet: str, column: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Sums per entity and period: the pair ≤ 44, the five ≤ 100 (one grouped sum, not a loop per
    period). A period over a limit is refused at its last reading's row, and only its readings dropped."""
    keys = ["entity_key", "period"]
    totals = clean.groupby(keys, sort=True).agg(total=("score", "sum"), row=("_row", "max"))
    pairs = (clean[clean["group_code"].isin(PAIR)].groupby(keys, sort=True)
             .agg(n=("score", "size"), total=("score", "sum"), row=("_row", "max")))
    bad_pairs = pairs[(pairs["n"] == 2) & (pairs["total"] > PAIR_POINTS + 1e-9)]
    bad_totals = totals[totals["total"] > TOTAL_POINTS + 1e-9]
    problems: list[Problem] = []
    for key in sorted(set(bad_pairs.index) | set(bad_totals.index)):
        for frame_, code_, msg in ((bad_pairs, "pair_total", "service_exp_pair"),
                                   (bad_totals, "total", "service_exp_total")):
            if key in frame_.index:
                total = fmt_num(float(frame_.at[key, "total"]), "vi")
                problems.append(problem(sheet, int(frame_.at[key, "row"]), column, total, msg,
                                        code=code_, total=total))
    if len(bad_pairs) or len(bad_totals):
        at = pd.MultiIndex.from_frame(clean[keys])
        drop = at.isin(bad_totals.index) | (at.isin(bad_pairs.index) & clean["group_code"].isin(PAIR).to_numpy())
        clean = clean[~drop]
    return clean, problems

