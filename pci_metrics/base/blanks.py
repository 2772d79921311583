"""What a blank cell is — None, NaN, pandas NA/NaT and text of only spaces — decided without importing
pandas or numpy, so that the string catalogue (:mod:`pci_metrics.base.i18n`) and the command line's
help stay light. :mod:`pci_metrics.base.cells` (the cell parser) uses and re-exports it."""

from __future__ import annotations

import sys
from typing import Any


def is_blank(value: Any) -> bool:
    """True for None, NaN, pandas NA/NaT and text of only spaces.

    >>> import pandas as pd
    >>> [is_blank(v) for v in (None, float("nan"), pd.NA, pd.NaT, "  ", 0, "0", "a")]
    [True, True, True, True, True, False, False, False]
    """
    kind = type(value)  # the common cell types first: a sheet calls this for every cell
    if kind is str:
        return not value.strip()
    if kind is float:
        return value != value
    if kind is int:
        return False
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN of any float type, NaT
    except (TypeError, ValueError):
        # pandas' NA refuses to be a truth value; such a value exists only once pandas is loaded
        pandas = sys.modules.get("pandas")
        return pandas is not None and value is pandas.NA
