"""Numbers read from tables: a float or an int, or None for every spelling of "unknown"."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def as_float(v: Any) -> float | None:
    """A float, or None for None/NaN/NA and for what is not a number.

    >>> as_float("7.5"), as_float(float("nan")), as_float(pd.NA), as_float("x")
    (7.5, None, None, None)
    """
    if v is None or v is pd.NA:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def as_int(v: Any) -> int | None:
    """A whole number (truncated), or None when unknown.

    >>> as_int(12.0), as_int(None)
    (12, None)
    """
    f = as_float(v)
    return None if f is None else int(f)
