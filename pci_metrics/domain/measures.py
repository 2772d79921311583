"""What a measure is called: the composite by the catalogue's word, each sub-index by the names of
the newest framework that has its code (a code keeps its place in the plan while VCCI renames it,
e.g. ``policy_bias``: "Ưu đãi đối với doanh nghiệp nhà nước" until 2012, "Cạnh tranh bình đẳng" since).
"""

from __future__ import annotations

import pandas as pd

from pci_metrics.base.i18n import name_col, t

COMPOSITE = "composite"  # the measure code of the weighted PCI itself


def sub_index_names(subindices: pd.DataFrame, frameworks: pd.DataFrame) -> pd.DataFrame:
    """Each sub-index code with the names of its newest framework: code, name_vi, name_en, sort_order.

    >>> subs = pd.DataFrame({"framework_id": ["a", "b"], "code": ["policy_bias"] * 2, "sort_order": [6, 6],
    ...                      "name_vi": ["Ưu đãi DNNN", "Cạnh tranh bình đẳng"], "name_en": ["Bias", "Fair"]})
    >>> fws = pd.DataFrame({"framework_id": ["a", "b"], "year_from": [2006, 2013]})
    >>> sub_index_names(subs, fws)["name_vi"].tolist()
    ['Cạnh tranh bình đẳng']
    """
    subs = subindices.merge(frameworks[["framework_id", "year_from"]], on="framework_id")
    subs = subs.sort_values(["year_from", "sort_order"])
    return subs.groupby("code", as_index=False).last()[["code", "name_vi", "name_en", "sort_order"]]


def measure_names(subindices: pd.DataFrame, frameworks: pd.DataFrame, lang: str = "vi") -> dict[str, str]:
    """Measure code -> name in a language: the composite first, then every sub-index
    (:func:`sub_index_names`); an English name missing from the data falls back to the Vietnamese one.

    >>> subs = pd.DataFrame({"framework_id": ["b"], "code": ["entry"], "sort_order": [1],
    ...                      "name_vi": ["Gia nhập thị trường"], "name_en": [None]})
    >>> measure_names(subs, pd.DataFrame({"framework_id": ["b"], "year_from": [2013]}), "en")
    {'composite': 'Composite score', 'entry': 'Gia nhập thị trường'}
    """
    names = sub_index_names(subindices, frameworks).sort_values("sort_order", kind="stable")
    col = name_col(lang)
    chosen = names[col].where(names[col].notna(), names["name_vi"])
    return {COMPOSITE: t("composite", lang), **dict(zip(names["code"].astype(str), chosen.astype(str), strict=True))}


def distinct_measure_names(subindices: pd.DataFrame, frameworks: pd.DataFrame, lang: str = "vi") -> dict[str, str]:
    """:func:`measure_names` for a list to choose from: where codes share a name (the classic ``entry``
    and PCI 2025's ``market_entry`` are both "Gia nhập thị trường"), each says the years it is measured.

    >>> subs = pd.DataFrame({"framework_id": ["a", "b"], "code": ["entry", "market_entry"], "sort_order": [1, 1],
    ...                      "name_vi": ["Gia nhập thị trường"] * 2, "name_en": ["Entry costs", "Market entry"]})
    >>> fws = pd.DataFrame({"framework_id": ["a", "b"], "year_from": [2006, 2025], "year_to": [2024, None]})
    >>> list(distinct_measure_names(subs, fws).values())
    ['Điểm tổng hợp', 'Gia nhập thị trường (2006–2024)', 'Gia nhập thị trường (từ 2025)']
    """
    names = measure_names(subindices, frameworks, lang)
    shared = {n for n in names.values() if list(names.values()).count(n) > 1}
    if not shared:
        return names
    spans = subindices.merge(frameworks[["framework_id", "year_from", "year_to"]], on="framework_id")
    out = {}
    for code, name in names.items():
        years = spans[spans["code"] == code]
        if name not in shared or years.empty:
            out[code] = name
        elif years["year_to"].isna().any():
            out[code] = t("measure_since", lang, name=name, start=int(years["year_from"].min()))
        else:
            out[code] = t("measure_years", lang, name=name, start=int(years["year_from"].min()),
                          end=int(years["year_to"].max()))
    return out
