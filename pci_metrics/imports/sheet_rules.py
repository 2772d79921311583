"""Column rules for sheets checked row by row (task reports, service-index readings).

A sheet's validator is a table of :class:`ColumnRule` (column, required?, parser, allowed values,
message key) read by one loop, :func:`read_row`. A parser turns a non-blank cell into its value;
it returns None when the cell cannot be read (the rule's message is then the problem) or a
:class:`Finding` when the problem needs its own words (a suggestion, a range).

A sheet whose rules all declare which of the row's values their parsers read (``reads``) can be read
a column at a time by :func:`read_rows`, each distinct cell (and those values) once: a 70,000-row
sheet of a hundred wards, a few hundred periods and five groups parses a few hundred cells, not 350,000.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pci_metrics.base.cells import cell_text, fold, is_blank
from pci_metrics.base.i18n import t
from pci_metrics.base.problems import Problem


@dataclass(frozen=True)
class Finding:
    """A problem in one cell, before it is placed (sheet, row, column) and worded.

    ``found`` None means the cell's own text (set by :func:`read_row`).
    """

    key: str
    code: str
    found: str | None = None
    severity: str = "error"
    kw: dict[str, Any] = field(default_factory=dict)


Parser = Callable[[Any, Any, dict[str, Any]], Any]
"""(cell, the sheet's lookups, the row's values read so far) -> value, None or a Finding."""


@dataclass(frozen=True)
class ColumnRule:
    """How one column of a sheet is read and checked."""

    column: str
    required: bool
    parse: Parser
    message: str = ""  # the key of what is expected when ``parse`` gives None
    code: str = "invalid"
    allowed: Collection[Any] | None = None  # values accepted (None: any value ``parse`` gives)
    blank: Callable[[Any, dict[str, Any]], Any] | None = None  # the value of a blank optional cell
    notes: Callable[[Any, Any, Any, dict[str, Any]], list[Finding]] | None = None  # (value, cell, lookups, row)
    # the row's values ``parse``, ``blank`` and ``notes`` read (None: not declared; read_rows needs it)
    reads: tuple[str, ...] | None = None


def read_row(rules: Sequence[ColumnRule], cells: Mapping[str, Any], lookups: Any,
             out: dict[str, Any]) -> list[tuple[str, Finding]]:
    """Read one row by ``rules`` into ``out`` (only the columns read without error) and return
    every (column, finding) in the rules' order.

    >>> rules = [ColumnRule("n", True, lambda c, lk, out: cell_text(c) if str(c).isdigit() else None,
    ...                     "expect_digits", "digits", allowed={"1", "2"})]
    >>> out = {}
    >>> read_row(rules, {"n": "x"}, None, out), out
    ([('n', Finding(key='expect_digits', code='digits', found='x', severity='error', kw={}))], {})
    >>> read_row(rules, {"n": None}, None, out)[0][1].code, read_row(rules, {"n": "2"}, None, out), out
    ('required', [], {'n': '2'})
    """
    found: list[tuple[str, Finding]] = []
    for rule in rules:
        cell = cells.get(rule.column)
        value, findings = _read_cell(rule, cell, lookups, out)
        if value is not None or not any(f.severity == "error" for f in findings):
            out[rule.column] = value
        found += [(rule.column, f) for f in findings]
    return found


def read_rows(rules: Sequence[ColumnRule], columns: Mapping[str, Sequence[Any]], n: int,
              lookups: Any) -> tuple[dict[str, list[Any]], list[tuple[int, int, Finding]]]:
    """:func:`read_row` over a whole sheet, a column at a time: each rule (all must declare ``reads``)
    is worked out once per distinct cell and values read (:func:`distinct`). Returns each column's
    values (None where the cell is in error) and every (row position, rule position, finding) in row
    then rule order.

    >>> rules = [ColumnRule("n", True, lambda c, lk, out: int(c) if str(c).isdigit() else None,
    ...                     "expect_digits", "digits", reads=())]
    >>> values, found = read_rows(rules, {"n": ["1", "x", "1"]}, 3, None)
    >>> values, [(i, f.found) for i, _, f in found]
    ({'n': [1, None, 1]}, [(1, 'x')])
    """
    assert all(rule.reads is not None for rule in rules), "read_rows needs every rule's reads"
    values: dict[str, list[Any]] = {}
    found: list[tuple[int, int, Finding]] = []
    for at, rule in enumerate(rules):
        cells = list(columns.get(rule.column) or [None] * n)
        reads = {c: values.get(c) or [None] * n for c in rule.reads or ()}
        first, which = distinct([cells, *reads.values()], n)
        results = [_read_cell(rule, cells[i], lookups, {c: v[i] for c, v in reads.items()}) for i in first]
        outcome = np.empty(len(results), dtype=object)
        outcome[:] = [value for value, _ in results]
        values[rule.column] = outcome[which].tolist()
        for u in (u for u, (_, findings) in enumerate(results) if findings):
            found += [(int(i), at, f) for i in np.flatnonzero(which == u) for f in results[u][1]]
    found.sort(key=lambda x: (x[0], x[1]))
    return values, found


def distinct(columns: Sequence[Sequence[Any]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of equal-length columns of cells, told apart by value *and* type (a cell 1,
    1.0 or True is read differently): each distinct row's first position, and each row's distinct one.

    >>> first, which = distinct([[1, 1.0, True, "1", 1], ["a", "a", "a", "a", "a"]], 5)
    >>> first.tolist(), which.tolist()
    ([0, 1, 2, 3], [0, 1, 2, 3, 0])
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    for column in columns:
        cells = pd.Series(np.asarray(column, dtype=object) if n else [], dtype=object)
        for codes in (pd.factorize(cells, use_na_sentinel=False)[0],
                      pd.factorize(cells.map(type), use_na_sentinel=False)[0]):
            key = pd.factorize(key * (int(codes.max()) + 1) + codes)[0]  # stays below n: never overflows
    _, first, which = np.unique(key, return_index=True, return_inverse=True)
    return first, which.reshape(-1)


def _read_cell(rule: ColumnRule, cell: Any, lookups: Any, out: dict[str, Any]) -> tuple[Any, list[Finding]]:
    """One cell by its rule: (its value, or None when in error; its findings)."""
    if is_blank(cell):
        if rule.required:
            return None, [Finding("tasks_exp_required", "required")]
        return (rule.blank(lookups, out) if rule.blank else None), []
    value = rule.parse(cell, lookups, out)
    if value is None or (rule.allowed is not None and not isinstance(value, Finding)
                         and value not in rule.allowed):
        value = Finding(rule.message, rule.code)
    if isinstance(value, Finding):
        return None, [_with_cell(value, cell)]
    notes = [_with_cell(f, cell) for f in rule.notes(value, cell, lookups, out)] if rule.notes else []
    return value, notes


def _with_cell(finding: Finding, cell: Any) -> Finding:
    return finding if finding.found is not None else dataclasses.replace(finding, found=cell_text(cell))


def problem(sheet: str, row: int | None, column: str | None, found: Any, key: str, *,
            severity: str = "error", code: str = "invalid", **kw: Any) -> Problem:
    """A problem worded from the catalogue in Vietnamese and English.

    >>> problem("S", 2, "Kỳ", "x", "tasks_exp_required", code="required").message("en")[:36]
    'Error in sheet "S", row 2, column Kỳ'
    """
    found_text = None if found is None else str(found)
    return Problem(sheet, row, column, found_text, t(key, "vi", **kw), t(key, "en", **kw),
                   severity=severity, code=code)


def placed(sheet: str, row: int | None, column: str, finding: Finding) -> Problem:
    """A finding placed in a sheet, row and column, as a worded problem."""
    return problem(sheet, row, column, finding.found, finding.key, severity=finding.severity, code=finding.code,
                   **finding.kw)


def closest(found: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``found`` (compared without case or diacritics), or None.

    >>> closest("kt_ht_d", ["kt_ht_dt", "vh_xh"]), closest("zzz", ["kt_ht_dt"])
    ('kt_ht_dt', None)
    """
    folded = {fold(c): str(c) for c in candidates}
    hits = difflib.get_close_matches(fold(found), list(folded), n=1, cutoff=0.5)
    return folded[hits[0]] if hits else None


def canonical_columns(frame: pd.DataFrame, headers: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Rename a sheet's headers to canonical keys (first matching header wins; others kept).

    >>> list(canonical_columns(pd.DataFrame(columns=["Mã nhiệm vụ", "Kỳ báo cáo", "x"]),
    ...                        {"task_id": ("ma_nhiem_vu",), "period": ("ky_bao_cao",)}).columns)
    ['task_id', 'period', 'x']
    """
    mapping: dict[Any, str] = {}
    for col in frame.columns:
        f = fold(col)
        for key, names in headers.items():
            if key not in mapping.values() and (f == key or f in names):
                mapping[col] = key
                break
    return frame.rename(columns=mapping)


def row_numbers(frame: pd.DataFrame, first_row: int) -> list[int]:
    """The sheet's row number of each row: a ``_row`` column, else counted from ``first_row``.

    >>> row_numbers(pd.DataFrame({"a": [1, 2]}), 2), row_numbers(pd.DataFrame({"_row": [7]}), 2)
    ([2, 3], [7])
    """
    if "_row" in frame.columns:
        return [int(r) for r in frame["_row"]]
    return list(range(first_row, first_row + len(frame)))


def missing_columns(sheet: str, columns: Iterable[Any], required: Iterable[str]) -> list[Problem]:
    """One problem per required column the sheet lacks."""
    have = set(columns)
    return [problem(sheet, None, key, None, "tasks_exp_column", code="missing_column", col=key)
            for key in required if key not in have]
