"""The citizen and business service index (Decision 766/QĐ-TTg): the page's model, per period the
five groups, total, band and change. The facts and bands are in
:mod:`pci_metrics.domain.service_index`; readings are checked by
:mod:`pci_metrics.imports.service_readings`; the tables for people are in
:mod:`pci_metrics.outputs.service_tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from pci_metrics.domain.service_index import WARD, band, period_sort_key
from pci_metrics.store import service_db


@dataclass
class ServiceModel:
    """The ward's service-index readings: per period the five groups, total, band and change."""

    entity_key: str
    groups: pd.DataFrame  # code, name_vi, name_en, max_points (None = unknown), sort_order, source
    table: pd.DataFrame  # period, one column per group code, total, complete, band, change
    long: pd.DataFrame  # entity_key, period, group_code, score, source, batch_id (sorted)
    latest_period: str | None
    latest_total: float | None
    latest_band: str
    change: float | None  # total against the previous complete period
    known_max_total: float  # sum of the known maxima (56 of 100)

    @property
    def empty(self) -> bool:
        return self.long.empty


def readings_table(long: pd.DataFrame, group_codes: Sequence[str]) -> pd.DataFrame:
    """Readings wide by period with total (only when all groups are present), band and change.

    >>> long = pd.DataFrame({"period": ["2026-Q1"] * 2 + ["2026-Q2"] * 2, "group_code": ["a", "b"] * 2,
    ...                      "score": [40.0, 45.0, 46.0, 46.0]})
    >>> readings_table(long, ["a", "b"])[["period", "total", "band", "change"]].values.tolist()
    [['2026-Q1', 85.0, 'unknown', nan], ['2026-Q2', 92.0, 'xuat_sac', 7.0]]
    """
    cols = ["period", *group_codes, "total", "complete", "band", "change"]
    if long.empty:
        return pd.DataFrame(columns=cols)
    wide = long.pivot_table(index="period", columns="group_code", values="score", aggfunc="first")
    wide = wide.reindex(columns=list(group_codes))
    wide = wide.loc[sorted(wide.index, key=period_sort_key)]
    rows = []
    prev_total: float | None = None
    for period, rec in wide.iterrows():
        complete = bool(rec.notna().all())
        total = round(float(rec.sum()), 10) if complete else None
        change = None if total is None or prev_total is None else round(total - prev_total, 10)
        if total is not None:
            prev_total = total
        rows.append({"period": str(period), **{c: (None if pd.isna(rec[c]) else float(rec[c])) for c in group_codes},
                     "total": total, "complete": complete, "band": band(total), "change": change})
    return pd.DataFrame(rows, columns=cols)


def service_model(con: duckdb.DuckDBPyConnection, entity_key: str = WARD) -> ServiceModel:
    """Build the service-index page model for an entity (the ward by default)."""
    groups = service_db.load_service_groups(con)
    long = service_db.load_service_readings(con, entity_key)
    codes = [str(c) for c in groups["code"]]
    table = readings_table(long, codes)
    complete = table[table["complete"]] if not table.empty else table
    latest = complete.iloc[-1] if not complete.empty else None
    return ServiceModel(
        entity_key=entity_key, groups=groups, table=table, long=long,
        latest_period=None if latest is None else str(latest["period"]),
        latest_total=None if latest is None else float(latest["total"]),
        latest_band=band(None if latest is None else float(latest["total"])),
        change=None if latest is None or pd.isna(latest["change"]) else float(latest["change"]),
        known_max_total=float(groups["max_points"].dropna().sum()),
    )
