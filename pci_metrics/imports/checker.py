"""Column rules of one template or CSV sheet: map headers to fields, convert cells, list every problem.

A :class:`Checker` turns a column of raw cells into typed values and a mask of bad rows, adding one
problem per bad cell (sheet, row, column, value found, what was expected).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pci_metrics.base.cells import blank_mask, cell_text, is_blank, parse_numbers
from pci_metrics.base.i18n import t
from pci_metrics.base.problems import Problem
from pci_metrics.domain.provinces import normalize_name
from pci_metrics.imports.columns import COMPOSITE_NAMES, FIELD_ALIASES, FIELD_LABELS, choice_code
from pci_metrics.imports.context import Context
from pci_metrics.imports.limits import COMPOSITE, KIND_FORM, problem
from pci_metrics.imports.read import RawSheet
from pci_metrics.store import storage


def suggest(text: str, candidates: Sequence[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates spelled like ``text`` (compared normalised), for a "did you mean" hint.

    >>> suggest("Hai Phong", ["Hải Phòng", "Hà Nội"])
    ['Hải Phòng']
    """
    folded = {normalize_name(c): c for c in candidates}
    hits = difflib.get_close_matches(normalize_name(text), list(folded), n=n, cutoff=0.5)
    return [folded[h] for h in hits]


class Checker:
    """Collects problems for one sheet; maps header texts to fields; converts columns."""

    def __init__(self, sheet: RawSheet, problems: list[Problem]):
        self.sheet, self.problems = sheet, problems
        aliases = FIELD_ALIASES[sheet.kind]
        self.columns: dict[str, str] = {}  # field -> original header
        for col in sheet.frame.columns:
            if col == "_row":
                continue
            norm = normalize_name(str(col))
            for fld, names in aliases.items():
                if fld not in self.columns and (norm in names or norm == normalize_name(fld)):
                    self.columns[fld] = str(col)
                    break
        self.rows = sheet.frame["_row"].to_numpy()

    def missing(self, required: Sequence[str]) -> bool:
        gone = [f for f in required if f not in self.columns]
        for f in gone:
            vi, en = FIELD_LABELS[f]
            self.problems.append(problem("missing_column", f'một cột "{vi}" trong dòng tiêu đề',
                                         f'a column "{en}" ("{vi}") in the header row', sheet=self.sheet.sheet, row=1))
        return bool(gone)

    def col(self, fld: str) -> pd.Series:
        if fld in self.columns:
            return self.sheet.frame[self.columns[fld]]
        return pd.Series([None] * len(self.sheet.frame), index=self.sheet.frame.index, dtype=object)

    def add(self, i: int | np.integer[Any], fld: str, found: Any, vi: str, en: str, code: str,
            notice: bool = False) -> None:
        self.problems.append(problem(code, vi, en, sheet=self.sheet.sheet, row=int(self.rows[int(i)]),
                                     column=self.columns.get(fld, fld), found=cell_text(found) if found is not None else None,
                                     notice=notice))

    def numbers(self, fld: str, low: float | pd.Series, high: float | pd.Series, *, required: bool = False,
                integer: bool = False, what_vi: str = "một số", what_en: str = "a number") -> tuple[pd.Series, pd.Series]:
        """(values, bad mask); decimal commas accepted with one notice per column."""
        raw = self.col(fld)
        values, how = parse_numbers(raw, point_is_decimal=self.sheet.point_is_decimal)
        lows = low if isinstance(low, pd.Series) else pd.Series(low, index=raw.index)
        highs = high if isinstance(high, pd.Series) else pd.Series(high, index=raw.index)
        bad = pd.Series(False, index=raw.index)
        for i in np.flatnonzero((how == "bad").to_numpy()):
            self.add(i, fld, raw.iloc[i], f"{what_vi} (ví dụ 6,85 hoặc 6.85)", f"{what_en} (e.g. 6.85)", "not_a_number")
            bad.iloc[i] = True
        for i in np.flatnonzero((how == "ambiguous").to_numpy()):
            found = cell_text(raw.iloc[i])
            self.add(i, fld, raw.iloc[i], t("ingest_exp_ambiguous", "vi", found=found),
                     t("ingest_exp_ambiguous", "en", found=found), "ambiguous_number")
            bad.iloc[i] = True
        if required:
            for i in np.flatnonzero((how == "blank").to_numpy()):
                self.add(i, fld, None, f"{what_vi} (cột bắt buộc)", f"{what_en} (a required column)", "required")
                bad.iloc[i] = True
        given = values.notna()
        out = given & ((values < lows - 1e-9) | (values > highs + 1e-9))
        if integer:
            out |= given & (values != values.round())
        for i in np.flatnonzero(out.to_numpy()):
            lo, hi = float(lows.iloc[i]), float(highs.iloc[i])
            kind_vi, kind_en = ("số nguyên", "a whole number") if integer else ("một số", "a number")
            self.add(i, fld, raw.iloc[i], f"{kind_vi} từ {lo:g} đến {hi:g}", f"{kind_en} from {lo:g} to {hi:g}",
                     "out_of_range")
            bad.iloc[i] = True
        commas = np.flatnonzero((how == "comma").to_numpy())
        if len(commas):
            first = int(commas[0])
            more = f" và {len(commas) - 1} ô khác" if len(commas) > 1 else ""
            more_en = f" and {len(commas) - 1} other cells" if len(commas) > 1 else ""
            self.add(first, fld, raw.iloc[first], f"đã đọc dấu phẩy thập phân «{cell_text(raw.iloc[first])}» là "
                     f"{values.iloc[first]:g}{more}", f"read the decimal comma «{cell_text(raw.iloc[first])}» as "
                     f"{values.iloc[first]:g}{more_en}", "decimal_comma", notice=True)
        return values.where(~bad), bad

    def years(self, low: int, high: int) -> tuple[pd.Series, pd.Series]:
        raw = self.col("year")
        numbers, how = parse_numbers(raw)
        whole = numbers.notna() & (how == "ok") & (numbers == numbers.round())
        values: list[int | None] = [int(v) if w else None for v, w in zip(numbers, whole, strict=True)]
        bad = np.zeros(len(values), dtype=bool)
        for i, y in enumerate(values):
            if y is None:
                self.add(i, "year", raw.iloc[i], f"một năm (ví dụ {high - 1})", f"a year (e.g. {high - 1})",
                         "required" if is_blank(raw.iloc[i]) else "not_a_year")
                bad[i] = True
            elif not low <= y <= high:
                self.add(i, "year", raw.iloc[i], f"năm từ {low} đến {high}", f"a year from {low} to {high}",
                         "year_out_of_range")
                bad[i] = True
                values[i] = None
        return pd.Series(values, index=raw.index, dtype=object), pd.Series(bad, index=raw.index)

    def entities(self, ctx: Context) -> tuple[pd.Series, pd.Series]:
        raw = self.col("entity")
        uniq = {v: ctx.entity_lookup.get(normalize_name(str(v))) for v in raw.dropna().unique() if not is_blank(v)}
        keys = raw.map(lambda v: uniq.get(v) if not is_blank(v) else None)
        bad = pd.Series(False, index=raw.index)
        names = list(ctx.entities["name_vi"])
        for i in np.flatnonzero(keys.isna().to_numpy()):
            v = raw.iloc[i]
            if is_blank(v):
                self.add(i, "entity", None, "tên tỉnh/thành phố hoặc đơn vị (cột bắt buộc)",
                         "a province or entity name (a required column)", "required")
            else:
                hints = suggest(str(v), names) or ["Hải Phòng", "Phường Hồng Bàng"]
                self.add(i, "entity", v, f"tên tỉnh hoặc đơn vị đã biết, ví dụ {', '.join(hints)}",
                         f"a known province or entity, e.g. {', '.join(hints)}", "unknown_entity")
            bad.iloc[i] = True
        return keys, bad

    def codes(self, ctx: Context, frameworks: pd.Series, *, allow_composite: bool = True) -> tuple[pd.Series, pd.Series]:
        raw = self.col("code")
        lookups: dict[str, dict[str, str]] = {}
        for fw, group in ctx.subindices.groupby("framework_id"):
            lk: dict[str, str] = {}
            for r in storage.records(group):
                for spelling in (r.code, r.name_vi, r.name_en):
                    lk.setdefault(normalize_name(spelling), str(r.code))
            if allow_composite:
                for name in COMPOSITE_NAMES:
                    lk.setdefault(name, COMPOSITE)
            lookups[str(fw)] = lk
        out: list[str | None] = []
        bad = pd.Series(False, index=raw.index)
        norm: dict[Any, str] = {}
        blanks = blank_mask(raw)
        for i, (v, fw) in enumerate(zip(raw, frameworks, strict=True)):
            if blanks[i]:
                self.add(i, "code", None, "mã chỉ số (cột bắt buộc)", "a measure code (a required column)", "required")
                out.append(None)
                bad.iloc[i] = True
                continue
            if is_blank(fw):
                out.append(None)  # the year or framework was already reported
                bad.iloc[i] = True
                continue
            if v not in norm:  # a drop-down choice "name (code)" is read by its code
                norm[v] = normalize_name(choice_code(str(v)) or str(v))
            code = lookups.get(str(fw), {}).get(norm[v])
            if code is None:
                valid = ([COMPOSITE] if allow_composite else []) + \
                    list(ctx.subindices[ctx.subindices["framework_id"] == fw]["code"])
                hints = suggest(str(v), valid) or valid[:4]
                self.add(i, "code", v, f"mã chỉ số của khung {fw}: {', '.join(valid)}"
                         + (f" (gần nhất: {', '.join(hints)})" if hints else ""),
                         f"a measure code of framework {fw}: {', '.join(valid)}", "unknown_code")
                bad.iloc[i] = True
            out.append(code)
        return pd.Series(out, index=raw.index, dtype=object), bad

    def texts(self, fld: str, *, limit: int) -> pd.Series:
        raw = self.col(fld)
        uniq = {v: cell_text(v) for v in pd.unique(raw.astype(object)) if not is_blank(v)} if len(raw) else {}
        out = raw.astype(object).map(uniq).astype(object)
        out = out.where(out.notna(), None)
        for i in np.flatnonzero(out.map(lambda s: isinstance(s, str) and len(s) > limit).to_numpy()):
            self.add(i, fld, str(out.iloc[i])[:40] + "…", f"nội dung không quá {limit} ký tự",
                     f"text of at most {limit} characters", "too_long")
        return out.map(lambda s: s[:limit] if isinstance(s, str) else None).astype(object)

    def duplicates(self, frame: pd.DataFrame, key: Sequence[str], ok: pd.Series, fld: str) -> pd.Series:
        """Mark rows whose key repeats an earlier row of the file."""
        keyed = frame.loc[ok, list(key)]
        dup = keyed.duplicated(keep="first")
        bad = pd.Series(False, index=frame.index)
        if dup.any():
            first_row = {tuple(k): int(r) for k, r in zip(keyed[~dup].itertuples(index=False),
                                                           self.rows[np.flatnonzero(ok.to_numpy())][~dup.to_numpy()],
                                                           strict=True)}
            for idx in keyed.index[dup.to_numpy()]:
                i = frame.index.get_loc(idx)
                k = tuple(keyed.loc[idx])
                other = first_row.get(k)
                self.add(int(i), fld, " · ".join(str(x) for x in k),
                         f"mỗi khóa một lần trong tệp (trùng với dòng {other})",
                         f"each key once in the file (same as row {other})", "duplicate")
                bad.loc[idx] = True
        return bad


def framework_series(ctx: Context, years: pd.Series) -> pd.Series:
    cache: dict[int, str | None] = {}
    out: list[str | None] = []
    for y in years:
        if is_blank(y):
            out.append(None)
            continue
        y = int(y)
        if y not in cache:
            cache[y] = ctx.framework_for(y)
        out.append(cache[y])
    return pd.Series(out, index=years.index, dtype=object)


def default_source(file_name: str, kind: str) -> str:
    return f"Nhập liệu từ {file_name} / entered from {file_name}" if kind != KIND_FORM else \
        "Nhập tay trên trang Nhập dữ liệu / entered on the Import page"
