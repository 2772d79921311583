"""The one cell parser: what a value typed in a spreadsheet, a CSV, a form or a link means.

Every import, form and link reads numbers, blanks and names through these functions, so that the
same cell means the same thing wherever it is typed:

- blank: None, NaN, pandas NA/NaT and text of only spaces;
- number: a finite number, written with a decimal point or a Vietnamese decimal comma ("6,8");
  thousands separators are refused (PCI values are at most 100, so "1.234,5" is a typing mistake
  that must be shown, not guessed at), and so is text that reads two ways ("1.234", "6,850": a decimal
  mark or a thousands separator?); a unit such as "%" is a column's business, not the parser's;
- text: stripped, inner runs of spaces as one, a whole float written as an integer ("3.0" -> "3");
- fold: the key a name is compared by (no case, no diacritics, đ -> d, punctuation as ``_``).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pci_metrics.base.blanks import is_blank as is_blank


def blank_mask(series: pd.Series) -> np.ndarray:
    """:func:`is_blank` for every cell of a column (one rule: a text column is read cell by cell, as a
    cell is; a numeric column is blank where it is missing).

    >>> blank_mask(pd.Series([None, " ", "x", 1.0, "\\u00a0"], dtype=object)).tolist()
    [True, True, False, False, True]
    """
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        return np.fromiter(map(is_blank, series.tolist()), dtype=bool, count=len(series))
    return np.asarray(series.isna().to_numpy(), dtype=bool)


def blank_rows(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Rows whose cells in ``columns`` are all blank (:func:`blank_mask`); a column is looked at
    only on the rows still blank so far, so a sheet whose first column is filled costs one column.

    >>> blank_rows(pd.DataFrame({"a": [None, "x", " "], "b": [None, None, 2]}), ["a", "b"]).tolist()
    [True, False, False]
    """
    empty = np.ones(len(frame), dtype=bool)
    for column in columns:
        still = np.flatnonzero(empty)
        if not still.size:
            break
        empty[still] = blank_mask(frame[column].iloc[still])
    return empty


def cell_text(value: Any) -> str | None:
    """A cell as text: stripped, inner spaces as one; None for blank; a whole float as an integer.

    >>> cell_text("  a   b "), cell_text(float("nan")), cell_text(""), cell_text(3.0)
    ('a b', None, None, '3')
    """
    if type(value) is str:
        return " ".join(value.split()) or None
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def parse_number(value: Any, *, point_is_decimal: bool = False) -> tuple[float | None, str]:
    """A cell as a number and how it was read: 'ok', 'blank', 'comma' (decimal comma), 'ambiguous'
    (text such as "1.234" or "6,850": a decimal mark or a thousands separator, the cell cannot say
    which, so it is refused rather than guessed) or 'bad'.

    >>> parse_number("6,8"), parse_number(7), parse_number(""), parse_number("abc"), parse_number(" 6.85 ")
    ((6.8, 'comma'), (7.0, 'ok'), (None, 'blank'), (None, 'bad'), (6.85, 'ok'))
    >>> parse_number("1e999"), parse_number(10**400), parse_number(True), parse_number("1.234,5")
    ((None, 'bad'), (None, 'bad'), (None, 'bad'), (None, 'bad'))
    >>> parse_number("1.234"), parse_number("65,125"), parse_number("0,125"), parse_number(1.234)
    ((None, 'ambiguous'), (None, 'ambiguous'), (0.125, 'comma'), (1.234, 'ok'))

    In a CSV file (``point_is_decimal``) the point is the format's decimal mark:

    >>> parse_number("5.605", point_is_decimal=True), parse_number("5,605", point_is_decimal=True)
    ((5.605, 'ok'), (None, 'ambiguous'))
    """
    if type(value) is float:  # the common case: a number cell
        return (None, "blank") if value != value else ((value, "ok") if math.isfinite(value) else (None, "bad"))
    if is_blank(value):
        return None, "blank"
    if isinstance(value, bool | np.bool_):
        return None, "bad"
    if isinstance(value, int | float | np.integer | np.floating):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float (10**400)
            return None, "bad"
        return (number, "ok") if math.isfinite(number) else (None, "bad")
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if (_AMBIGUOUS_COMMA if point_is_decimal else _AMBIGUOUS).fullmatch(text):
        return None, "ambiguous"
    how = "ok"
    if re.fullmatch(r"[-+]?\d+,\d+", text):
        text, how = text.replace(",", "."), "comma"
    try:
        number = float(text)
    except ValueError:
        return None, "bad"
    return (number, how) if math.isfinite(number) else (None, "bad")


_AMBIGUOUS = re.compile(r"[-+]?[1-9]\d{0,2}[.,]\d{3}")  # "1.234": 1.234 or 1234? (a leading 0 is never a thousands group)
_AMBIGUOUS_COMMA = re.compile(r"[-+]?[1-9]\d{0,2},\d{3}")  # in a CSV the point is the decimal mark; "1,234" still reads two ways


def parse_numbers(raw: pd.Series, *, point_is_decimal: bool = False) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`parse_number`: (values, how) for a column of cells.

    >>> v, how = parse_numbers(pd.Series([7, "6,8", "", "x", "1.234"], dtype=object))
    >>> v.tolist()[:2], how.tolist()
    ([7.0, 6.8], ['ok', 'comma', 'blank', 'bad', 'ambiguous'])
    """
    blank = pd.Series(blank_mask(raw), index=raw.index)
    is_bool = raw.map(lambda v: isinstance(v, bool | np.bool_)) if raw.dtype == object else \
        pd.Series(False, index=raw.index)
    values = pd.to_numeric(raw.where(~is_bool, None), errors="coerce").astype("float64")
    values = values.where(np.isfinite(values.to_numpy()))
    how = pd.Series(np.where(blank, "blank", np.where(values.notna(), "ok", "bad")), index=raw.index, dtype=object)
    if raw.dtype == object or pd.api.types.is_string_dtype(raw):  # text that to_numeric read, but only by guessing
        text = raw.map(lambda v: v if isinstance(v, str) else "").astype(str).str.replace("\u00a0", "").str.strip()
        pattern = (_AMBIGUOUS_COMMA if point_is_decimal else _AMBIGUOUS).pattern
        unsure = text.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
        how = how.mask(unsure, "ambiguous")
        values = values.mask(unsure)
    for idx in raw.index[((how == "bad") & ~is_bool).to_numpy()]:  # text: the one rule, cell by cell
        v, h = parse_number(raw.at[idx], point_is_decimal=point_is_decimal)
        values.at[idx], how.at[idx] = (np.nan if v is None else v), h
    return values, how


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index, for telling a user where a cell is.

    >>> column_letter(0), column_letter(27), column_letter(16383)
    ('A', 'AB', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def fold(text: Any) -> str:
    """The key a name is compared by: lower case, no diacritics (đ -> d), runs of anything else
    than letters and digits as one ``_``.

    >>> fold("  Đơn vị chủ trì "), fold("Tiến độ (%)"), fold("task_id"), fold("Thừa Thiên - Huế")
    ('don_vi_chu_tri', 'tien_do', 'task_id', 'thua_thien_hue')
    """
    return _fold(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """:func:`fold` of a string, remembered: a sheet repeats the same names and periods many times
    (a 70,000-row service sheet spent 60% of its validation folding the same few strings)."""
    s = text.strip().lower().replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("_", s).strip("_")


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
