"""Scores and what goes with them: indicator values, benchmarks, targets, the scores export, and
analysts' notes on a year ("the story behind the curve")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.store.audit_db import write_audit
from pci_metrics.store.storage import read_frame, transaction


def load_scores(con: duckdb.DuckDBPyConnection, *, entity_key: str | None = None,
                year: int | None = None, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Scores in the canonical long format with provenance, filtered as asked."""
    sql = "SELECT * FROM score WHERE 1=1"
    params: list[Any] = []
    if entity_key is not None:
        sql += " AND entity_key = ?"
        params.append(entity_key)
    if year is not None:
        sql += " AND year = ?"
        params.append(year)
    if codes is not None:
        sql += " AND list_contains(?, code)"
        params.append(list(codes))
    return read_frame(con, sql + " ORDER BY year, entity_key, code", params)


def load_indicator_values(con: duckdb.DuckDBPyConnection, subindex: str,
                          entity_key: str | None = None) -> pd.DataFrame:
    """Indicator values of one sub-index (all entities or one), with labels."""
    sql = """SELECT v.entity_key, v.year, v.indicator_code, i.label_vi, i.label_en, i.sort_order,
                    v.value, v.provenance, v.source
             FROM indicator_value v JOIN indicator i
               ON i.indicator_code = v.indicator_code AND i.framework_id = v.framework_id
             WHERE i.subindex = ?"""
    params: list[Any] = [subindex]
    if entity_key is not None:
        sql += " AND v.entity_key = ?"
        params.append(entity_key)
    return read_frame(con, sql + " ORDER BY v.year, i.sort_order", params)


def load_indicator_summary(con: duckdb.DuckDBPyConnection, subindices: Sequence[str],
                           entity_key: str) -> pd.DataFrame:
    """Per indicator and year of the given sub-indices: one entity's value and all provinces'
    median, lowest and highest value, with the catalogue's labels."""
    return read_frame(con, """SELECT i.subindex, v.indicator_code, i.label_vi, i.label_en, i.sort_order, v.year,
                              max(v.value) FILTER (WHERE v.entity_key = ?) AS entity_value,
                              median(v.value) AS median, min(v.value) AS min, max(v.value) AS max,
                              max(v.source) FILTER (WHERE v.entity_key = ?) AS source
                       FROM indicator_value v JOIN indicator i
                         ON i.indicator_code = v.indicator_code AND i.framework_id = v.framework_id
                       WHERE list_contains(?, i.subindex)
                       GROUP BY ALL ORDER BY i.subindex, i.sort_order, v.year""",
               [entity_key, entity_key, list(subindices)])


def load_benchmarks(con: duckdb.DuckDBPyConnection, code: str | None = None) -> pd.DataFrame:
    """Yearly benchmarks (median, top score and province, top-10 cut-off)."""
    if code is None:
        return read_frame(con, "SELECT * FROM benchmark ORDER BY year, code")
    return read_frame(con, "SELECT * FROM benchmark WHERE code = ? ORDER BY year", [code])


def load_targets(con: duckdb.DuckDBPyConnection, entity_key: str | None = None) -> pd.DataFrame:
    """Targets (score and/or rank) entered by analysts."""
    if entity_key is None:
        return read_frame(con, "SELECT * FROM target ORDER BY year, code")
    return read_frame(con, "SELECT * FROM target WHERE entity_key = ? ORDER BY year, code", [entity_key])


def load_scores_export(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every score in the canonical long format with names and sources (the ``v_scores`` view)."""
    return read_frame(con, """SELECT year, entity_key, entity_vi, entity_en, framework_id, code, name_vi, name_en,
                              value, rank, rank_of, provenance, source, batch_id
                       FROM v_scores ORDER BY year, entity_key, code""")


def load_notes(con: duckdb.DuckDBPyConnection, entity_key: str, code: str) -> pd.DataFrame:
    """Analysts' "story behind the curve" notes for one entity and measure."""
    return read_frame(con, "SELECT * FROM year_note WHERE entity_key = ? AND code = ? ORDER BY year",
               [entity_key, code])


def save_year_note(con: duckdb.DuckDBPyConnection, entity_key: str, year: int, code: str, text: str,
                   user_name: str) -> None:
    """Write (or, with empty text, delete) the "story behind the curve" note of one year, in one
    transaction with an audit line."""
    key = {"entity_key": entity_key, "year": int(year), "code": code}
    with transaction(con):
        row = con.execute("SELECT text, author FROM year_note WHERE entity_key = ? AND year = ? AND code = ?",
                          [entity_key, int(year), code]).fetchone()
        old = json.dumps({"text": row[0], "author": row[1]}, ensure_ascii=False) if row else None
        con.execute("DELETE FROM year_note WHERE entity_key = ? AND year = ? AND code = ?",
                    [entity_key, int(year), code])
        new = None
        if text.strip():
            con.execute("INSERT INTO year_note (entity_key, year, code, text, author, created_at) "
                        "VALUES (?, ?, ?, ?, ?, now())", [entity_key, int(year), code, text.strip(), user_name])
            new = json.dumps({"text": text.strip(), "author": user_name}, ensure_ascii=False)
        write_audit(con, user_name, "save_year_note" if new else "delete_year_note", "year_note",
                    json.dumps(key), old, new, None)
