"""Reference data: frameworks, sub-indices, lineage, the indicator catalogue, entities, years, and
the plan with its priorities."""

from __future__ import annotations

import duckdb
import pandas as pd

from pci_metrics.store.storage import read_frame


def load_frameworks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every framework, oldest first."""
    return read_frame(con, "SELECT * FROM framework ORDER BY year_from")


def load_subindices(con: duckdb.DuckDBPyConnection, framework_id: str | None = None) -> pd.DataFrame:
    """Sub-indices with names and weights (NULL weight = unknown)."""
    if framework_id is None:
        return read_frame(con, "SELECT * FROM subindex ORDER BY framework_id, sort_order")
    return read_frame(con, "SELECT * FROM subindex WHERE framework_id = ? ORDER BY sort_order", [framework_id])


def load_lineage(con: duckdb.DuckDBPyConnection, framework_id: str | None = None) -> pd.DataFrame:
    """Lineage links (judgments) from new sub-indices to classic ones."""
    if framework_id is None:
        return read_frame(con, "SELECT * FROM lineage ORDER BY framework_id, code, classic_code")
    return read_frame(con, "SELECT * FROM lineage WHERE framework_id = ? ORDER BY code, classic_code",
               [framework_id])


def load_indicators(con: duckdb.DuckDBPyConnection, subindex: str | None = None) -> pd.DataFrame:
    """The indicator catalogue, optionally of one sub-index."""
    if subindex is None:
        return read_frame(con, "SELECT * FROM indicator ORDER BY framework_id, subindex, sort_order")
    return read_frame(con, "SELECT * FROM indicator WHERE subindex = ? ORDER BY sort_order", [subindex])


def load_entities(con: duckdb.DuckDBPyConnection, level: str | None = None) -> pd.DataFrame:
    """Entities (nation, provinces, ward) with validity and successor."""
    if level is None:
        return read_frame(con, "SELECT * FROM entity ORDER BY level, entity_key")
    return read_frame(con, "SELECT * FROM entity WHERE level = ? ORDER BY entity_key", [level])


def load_year_info(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per year: framework in force, number of provinces, published scope."""
    return read_frame(con, "SELECT * FROM year_info ORDER BY year")


def load_plan(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Plans (normally one)."""
    return read_frame(con, "SELECT * FROM plan ORDER BY plan_id")


def load_priorities(con: duckdb.DuckDBPyConnection, plan_id: str | None = None) -> pd.DataFrame:
    """A plan's prioritized sub-indices with their names and weights."""
    sql = """SELECT p.plan_id, p.framework_id, p.code, p.sort_order, p.source,
                    s.name_vi, s.name_en, s.weight
             FROM plan_priority p JOIN subindex s USING (framework_id, code)"""
    if plan_id is None:
        return read_frame(con, sql + " ORDER BY p.sort_order")
    return read_frame(con, sql + " WHERE p.plan_id = ? ORDER BY p.sort_order", [plan_id])
