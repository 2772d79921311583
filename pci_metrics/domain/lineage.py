"""The PCI 2025 lineage: a new sub-index's value from the classic sub-indices it continues.

One rule, used by the history pages, the leadership scorecard and the what-if scenarios: the
value is the plain mean of the linked classic sub-indices, and only where every one of them is
known (averaging the available ones would silently change what the new sub-index measures).
Classic components count equally: their internal weights in PCI 2025 are unknown. Who made the
link is a judgment, shown wherever a derived value is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

#: Columns of :func:`lineage_values`.
VALUE_COLUMNS = ["entity_key", "year", "framework_id", "value", "rank", "rank_of"]


def lineage_mean(classic: pd.DataFrame) -> pd.Series:
    """Row by row, the mean of the classic columns; NaN where any of them is unknown.

    >>> lineage_mean(pd.DataFrame({"land": [6.0, 5.0], "labor": [8.0, None]})).tolist()
    [7.0, nan]
    """
    return classic.astype(float).mean(axis=1, skipna=False)


def lineage_values(scores: pd.DataFrame, classic: Sequence[str]) -> pd.DataFrame:
    """Each province's lineage value per year from long scores (entity_key, year, framework_id,
    code, value), only where every linked classic sub-index is known. Ranks are left unknown.

    >>> s = pd.DataFrame({"entity_key": ["a", "a", "b"], "year": [2019] * 3, "framework_id": ["pci2013"] * 3,
    ...                   "code": ["land", "labor", "land"], "value": [6.0, 8.0, 5.0]})
    >>> lineage_values(s, ["land", "labor"])[["entity_key", "value"]].values.tolist()
    [['a', 7.0]]
    """
    codes = list(dict.fromkeys(classic))
    sub = scores[scores["code"].isin(codes)].dropna(subset=["value"])
    if sub.empty:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    wide = sub.pivot_table(index=["entity_key", "year", "framework_id"], columns="code", values="value",
                           aggfunc="mean").reindex(columns=codes)
    out = lineage_mean(wide).dropna().rename("value").reset_index()
    out = out.assign(rank=pd.NA, rank_of=pd.NA)
    return out[VALUE_COLUMNS].sort_values(["year", "entity_key"]).reset_index(drop=True)


def lineage_scores(classic_scores_wide: pd.DataFrame, lineage: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """New sub-index scores from a wide frame of classic ones (index kept, columns follow ``lineage``):
    land 6, labor 8 → resource_access 7.

    >>> w = pd.DataFrame({"land": [6.0], "labor": [8.0]}, index=["x"])
    >>> lineage_scores(w, {"resource_access": ["land", "labor"]}).loc["x", "resource_access"]
    np.float64(7.0)
    """
    out = {}
    for code, olds in lineage.items():
        olds = list(olds)
        if not olds:
            raise ValueError(f"{code} không kế thừa chỉ số cổ điển nào / {code} continues no classic sub-index")
        missing = [o for o in olds if o not in classic_scores_wide.columns]
        if missing:
            valid = ", ".join(str(c) for c in classic_scores_wide.columns)
            raise ValueError(f"Thiếu cột {', '.join(missing)} cho {code}. Mã hợp lệ: {valid} / "
                             f"Missing column(s) {', '.join(missing)} for {code}. Valid codes: {valid}")
        out[code] = lineage_mean(classic_scores_wide[olds])
    return pd.DataFrame(out, index=classic_scores_wide.index)


def lineage_source(classic: Sequence[str]) -> str:
    """The stored source of a lineage-derived value (pages and reports word it per language).

    >>> lineage_source(["land", "labor"])
    'Trung bình của land, labor (liên kết kế thừa, một nhận định) / mean of land, labor (lineage, a judgment)'
    """
    joined = ", ".join(classic)
    return (f"Trung bình của {joined} (liên kết kế thừa, một nhận định) / "
            f"mean of {joined} (lineage, a judgment)")
