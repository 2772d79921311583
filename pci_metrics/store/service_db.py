"""The public-service index (Decision 766): its groups and the readings per period."""

from __future__ import annotations

import duckdb
import pandas as pd

from pci_metrics.store.audit_db import as_json, jsonable, same_value, write_audit
from pci_metrics.store.storage import read_frame

_SERVICE_FIELDS = ("score", "source")


def load_service_groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The five groups of the Decision 766 service index."""
    return read_frame(con, "SELECT * FROM service_group ORDER BY sort_order")


def load_service_readings(con: duckdb.DuckDBPyConnection, entity_key: str | None = None) -> pd.DataFrame:
    """Service-index readings per period and group."""
    if entity_key is None:
        return read_frame(con, "SELECT * FROM service_reading ORDER BY period, group_code")
    return read_frame(con, "SELECT * FROM service_reading WHERE entity_key = ? ORDER BY period, group_code",
               [entity_key])


def service_upsert_readings(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, *, user: str,
                            batch_id: int | None = None) -> dict[str, int]:
    """Insert or replace service-index readings keyed by (entity_key, period, group_code); audited."""
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for rec in frame.to_dict("records"):
        key = [str(rec["entity_key"]), str(rec["period"]), str(rec["group_code"])]
        old_df = read_frame(con, "SELECT * FROM service_reading WHERE entity_key = ? AND period = ? AND group_code = ?", key)
        old = None if old_df.empty else {f: old_df.iloc[0][f] for f in _SERVICE_FIELDS}
        new = {f: jsonable(rec.get(f)) for f in _SERVICE_FIELDS}
        if old is not None and all(same_value(old[f], new[f]) for f in _SERVICE_FIELDS):
            counts["unchanged"] += 1
            continue
        con.execute("DELETE FROM service_reading WHERE entity_key = ? AND period = ? AND group_code = ?", key)
        con.execute("INSERT INTO service_reading VALUES (?, ?, ?, ?, ?, ?)", [*key, new["score"], new["source"],
                                                                              batch_id])
        write_audit(con, user, "service_reading.upsert", "service_reading",
                    as_json(dict(zip(("entity_key", "period", "group_code"), key, strict=True))),
                    as_json(old), as_json(new), batch_id)
        counts["added" if old is None else "changed"] += 1
    return counts
