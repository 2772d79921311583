"""A VCCI workbook's scores and indicators as rows of the store's tables.

The reader (:mod:`pci_metrics.imports.vcci`) gives tidy scores; here they get the framework of
their year, their provenance (published, ranks derived where the sheet has no rank column) and
the indicators that match the catalogue.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from pci_metrics.base.problems import Problem
from pci_metrics.domain.provinces import normalize_name
from pci_metrics.imports.context import Context
from pci_metrics.imports.limits import COMPOSITE, YEAR_MIN, errors, problem
from pci_metrics.imports.read import RawFile
from pci_metrics.imports.vcci import VcciResult
from pci_metrics.imports.vcci_layout import FULL_RANKING_MIN


def vcci_tables(result: VcciResult, ctx: Context, raw: RawFile, problems: list[Problem]) -> dict[str, pd.DataFrame]:
    year = result.year
    fw = ctx.framework_for(year)
    if fw is None or not YEAR_MIN <= year <= date.today().year:
        problems.append(problem("year_out_of_range", f"năm từ {YEAR_MIN} đến {date.today().year}",
                                f"a year from {YEAR_MIN} to {date.today().year}", found=year))
        return {}
    known = set(ctx.entities["entity_key"])
    scores = result.scores.rename(columns={"province_key": "entity_key"})
    unknown = sorted(set(scores["entity_key"]) - known)
    for key in unknown:
        problems.append(problem("unknown_entity", "một tỉnh có trong cơ sở dữ liệu", "a province in the database", found=key))
    codes = set(ctx.subindices[ctx.subindices["framework_id"] == fw]["code"]) | {COMPOSITE}
    for code in sorted(set(scores["code"]) - codes):
        problems.append(problem("unknown_code", f"chỉ số thành phần của khung {fw}", f"a sub-index of framework {fw}",
                                found=code))
    if errors(problems):
        return {}
    source = f"VCCI, PCI {year}: bảng tính VCCI / VCCI workbook {raw.file_name}"
    official = result.rank_source == "official"
    n = int(scores.loc[scores["code"] == COMPOSITE, "value"].notna().sum())
    out = pd.DataFrame({
        "entity_key": scores["entity_key"].astype(str), "year": year, "framework_id": fw,
        "code": scores["code"].astype(str), "value": scores["value"].astype(float),
        "rank": scores["rank"].astype("Int64"), "provenance": "published", "source": source,
        "_sheet": result.sheet_used, "_row": scores["row"].astype(int), "_column": scores["column"].astype(str)})
    is_comp = out["code"] == COMPOSITE
    out["rank_of"] = pd.array([n if c else None for c in is_comp], dtype="Int64")
    # Ranks are derived from the scores only where the sheet is the whole ranking: a sub-index's rank
    # among a top-30 list is not its rank among the 63 provinces (left unknown instead).
    derive = ~(is_comp & official) & (is_comp | (n >= FULL_RANKING_MIN))
    kind = np.where(is_comp & official, "published", np.where(derive, "derived", ""))
    out["rank_provenance"] = pd.Series(kind, index=out.index, dtype=object).replace("", None)
    out["_derive_rank"] = derive
    out = out[out["value"].notna()]
    tables = {"score": out}
    ind = result.indicators
    if not ind.empty:
        tables.update(_vcci_indicators(result, fw, ctx, raw, problems))
    if n >= FULL_RANKING_MIN:  # a full ranking (not a top-30 list): benchmarks and year information follow from it
        tables["_full_year"] = pd.DataFrame({"year": [year], "n": [n], "framework_id": [fw]})
    return tables


def _vcci_indicators(result: VcciResult, fw: str, ctx: Context, raw: RawFile,
                     problems: list[Problem]) -> dict[str, pd.DataFrame]:
    ind = result.indicators
    if result.year < 2017:
        problems.append(Problem(None, None, None, None,
                                "các trang chỉ tiêu trước 2017 dùng mã biến khác danh mục chỉ tiêu: không nhập chỉ tiêu",
                                "indicator sheets before 2017 use other variable codes than the catalogue: "
                                "indicators not imported", severity="notice", code="indicators_skipped"))
        return {}
    catalogue = ctx.indicators[ctx.indicators["framework_id"] == fw].set_index("indicator_code")
    labels = ind.drop_duplicates("indicator_code").set_index("indicator_code")["label"]

    def core(label: object) -> str:
        # the wording without notes in brackets: PCI 2017 prints the scale of transparency_1/2 as
        # "(1=Easy; 5=Impossible)" and 2018 "(1=Impossible; 5=Easy)" for the same values (means 2.44/2.38)
        return normalize_name(re.sub(r"\([^)]*\)?", "", str(label or "")))

    def same(code: str) -> bool:
        if code not in catalogue.index:
            return False
        a = core(catalogue.at[code, "label_en"] or catalogue.at[code, "label_vi"])
        b = core(labels.get(code, ""))
        return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))

    keep = {str(c) for c in labels.index if same(str(c))}
    skipped = sorted(set(map(str, labels.index)) - keep)
    if skipped:
        problems.append(Problem(None, None, None, ", ".join(skipped[:10]),
                                f"{len(skipped)} chỉ tiêu không khớp danh mục (mã hoặc tên khác): không nhập",
                                f"{len(skipped)} indicators do not match the catalogue (other code or label): "
                                "not imported", severity="notice", code="indicators_skipped"))
    rows = ind[ind["indicator_code"].isin(keep) & ind["province_key"].isin(set(ctx.entities["entity_key"]))]
    sheet_of = result.indicator_sheets
    return {"indicator_value": pd.DataFrame({
        "entity_key": rows["province_key"].astype(str), "year": result.year, "framework_id": fw,
        "indicator_code": rows["indicator_code"].astype(str), "value": rows["value"].astype(float),
        "provenance": "published",
        "source": [f"VCCI PCI {result.year} workbook ({raw.file_name}), sheet {sheet_of.get(s, '?')}"
                   for s in rows["subindex"]],
        "_sheet": [sheet_of.get(s) for s in rows["subindex"]], "_row": None})}
