"""Words and tables for the leadership pages: targets, gaps and localized headers (status marks:
:mod:`pci_metrics.views.marks`).

Shared by the priority page (:mod:`pci_metrics.views.priority_tables`), the scorecard and the
compare page; no model is built here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pci_metrics.base.i18n import CATALOG, fmt_num, t
from pci_metrics.domain.numbers import as_float, as_int


def target_text(target: dict[str, Any] | None, lang: str) -> str:
    """A target in words: its score and/or rank ("" when there is none).

    >>> target_text({"target_score": 7.5, "target_rank": 5}, "vi"), target_text(None, "vi")
    ('7,50 · hạng 5', '')
    """
    if not target:
        return ""
    parts = [fmt_num(target["target_score"], lang)] if target.get("target_score") is not None else []
    if target.get("target_rank"):
        parts.append(t("leadership_target_rank", lang, rank=target["target_rank"]))
    return " · ".join(parts)


def headers(lang: str) -> dict[str, str]:
    """The leadership tables' column names in a language."""
    keys = {"year": "year", "value": "leadership_col_haiphong", "rank": "rank", "rank_of": "leadership_col_rank_of",
            "framework_id": "leadership_col_framework", "provenance": "provenance", "source": "source",
            "median": "series_median", "top_score": "leadership_col_top_score", "top_province": "series_top",
            "top10_cutoff": "leadership_col_top10", "name": "subindex", "classic_code": "leadership_col_code"}
    return {k: t(v, lang) for k, v in keys.items()}


def localized(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table for people: provenance in words ("tính toán" / "derived"), headers in the language."""
    out = frame.copy()
    if "provenance" in out:
        out["provenance"] = [t(f"prov_{p}", lang) if isinstance(p, str) and f"prov_{p}" in CATALOG else p
                             for p in out["provenance"]]
    return out.rename(columns=headers(lang)).reset_index(drop=True)


def fmt_gap(points: Any, lang: str) -> str:
    """A gap in points: the points still to gain, or that it is reached (and by how much)."""
    p = as_float(points)
    if p is None:
        return t("no_data", lang)
    if p <= 0:
        return t("leadership_reached", lang, over=fmt_num(-p, lang)) if -p >= 0.005 else t("leadership_reached_equal", lang)
    return fmt_num(p, lang)


def fmt_places(places: Any, reference_rank: Any, lang: str) -> str:
    """A gap in rank places: the places to climb to a reference rank, or that it is reached."""
    p = as_int(places)
    if p is None:
        return t("no_data", lang)
    ref = as_int(reference_rank)
    if p <= 0:
        return t("leadership_places_reached", lang, rank=ref if ref is not None else "")
    key = "leadership_place_to_climb" if p == 1 else "leadership_places_to_climb"
    return t(key, lang, n=p, rank=ref if ref is not None else "")


_MD_SPECIAL = frozenset(r"\`*_{}[]()#+-.!|<>~$:&")


def md_literal(text: object) -> str:
    r"""Data text made literal inside Markdown: every Markdown/HTML special character is escaped.

    >>> md_literal("**x** <b>") == r"\*\*x\*\* \<b\>"
    True
    """
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
