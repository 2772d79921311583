"""Tables for st.dataframe that mark rows and keep whole numbers whole, on top of
:func:`pci_metrics.ui.common.styled` (the language's decimal format)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from pci_metrics.ui.common import styled

# a tint that reads on the light and the dark theme, plus bold text: the mark is never colour alone
MARK_CSS = "background-color: rgba(86, 180, 233, 0.28); font-weight: bold"


def marked_table(frame: pd.DataFrame, lang: str, *, marked: Sequence[bool], whole: Sequence[str] = ()) -> Any:
    """``frame`` styled for st.dataframe: decimals in the language's format, the ``whole`` columns
    (ranks) as whole numbers with an unknown left empty (never 0 or "<NA>"), and the ``marked``
    rows (one flag per row, e.g. Hải Phòng) tinted and bold. The data itself stays numeric, so
    clicking a header still sorts by number."""
    base = styled(frame, lang)
    styler = base if not isinstance(base, pd.DataFrame) else frame.style
    cols = [c for c in whole if c in frame.columns]
    if cols:
        styler = styler.format(subset=cols, na_rep="", precision=0)
    flags = list(marked)
    return styler.apply(lambda row: [MARK_CSS if flags[row.name] else ""] * len(row), axis=1)
