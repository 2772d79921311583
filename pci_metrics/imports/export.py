"""All scores in the import's own long format, so an export can be imported again unchanged."""

from __future__ import annotations

import duckdb
import pandas as pd

from pci_metrics.store import scores_db


def export_scores(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All scores in the canonical long format (names for readability, provenance and source per row).

    Example: the row of Hải Phòng 2024 → year 2024, entity_key haiphong, code composite, value 74.84,
    rank 1, provenance published, source a press URL.
    """
    frame = scores_db.load_scores_export(con)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["rank_of"] = frame["rank_of"].astype("Int64")
    frame["batch_id"] = frame["batch_id"].astype("Int64")
    return frame
