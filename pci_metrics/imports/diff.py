"""What an import would change: rows added, changed (old → new) and unchanged, per table.

A value equal to the stored one within 4 decimals is unchanged; a blank cell leaves the stored
value as it is. A fully ranked VCCI year also brings its benchmarks and year information,
computed from the scores the year will have after the import.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from pci_metrics.base.cells import blank_mask, is_blank
from pci_metrics.domain.composite import rank_min
from pci_metrics.imports.limits import KIND_FORM, MAX_ADDED_LINES, TOLERANCE
from pci_metrics.imports.ranking_check import ranking_problems
from pci_metrics.imports.validate import Incoming
from pci_metrics.store import batches_db, scores_db, storage, tables_db


@dataclass(frozen=True)
class TableSpec:
    """How one table is keyed and which columns make a row "changed"."""

    key: tuple[str, ...]
    compare: tuple[str, ...]
    provenance: dict[str, str] = field(default_factory=dict)  # compared column -> its provenance column
    replaces: tuple[str, ...] = ()  # a file's rows replace every stored row with the same values of these


SPECS: dict[str, TableSpec] = {
    "score": TableSpec(("entity_key", "year", "code"), ("value", "rank"),
                       {"value": "provenance", "rank": "rank_provenance"}),
    "indicator_value": TableSpec(("entity_key", "year", "indicator_code"), ("value",), {"value": "provenance"}),
    "target": TableSpec(("plan_id", "entity_key", "year", "code"), ("framework_id", "target_score", "target_rank")),
    "unit": TableSpec(("unit_key",), ("plan_id", "name_vi", "name_en", "short_vi", "is_focal", "source", "retired_on")),
    "task": TableSpec(("task_id",), ("plan_id", "title_vi", "title_en", "framework_id", "code", "deadline", "product_vi",
                                     "authority_vi", "source", "origin", "retired_on")),
    # a task's row in the appendix names all its units: a unit no longer named loses the task
    "task_unit": TableSpec(("task_id", "unit_key"), ("role", "source"), replaces=("task_id",)),
    "task_report": TableSpec(("task_id", "period"), ("unit_key", "status", "progress", "outcome", "evidence")),
    "service_reading": TableSpec(("entity_key", "period", "group_code"), ("score",)),
    "year_note": TableSpec(("entity_key", "year", "code"), ("text",)),
    "benchmark": TableSpec(("year", "code"), ("median", "top_score", "top_entity_key", "top10_cutoff"),
                           {c: "provenance" for c in ("median", "top_score", "top_entity_key", "top10_cutoff")}),
    "year_info": TableSpec(("year",), ("framework_id", "n_provinces")),
}
TABLE_ORDER = tuple(SPECS)
# One line per changed or added cell: the table, added/changed, the record's key (joined for a log line,
# and as a tuple in the table's key order for wording it), the column, old and new (as text for a log
# line, and as read for wording them), whether the old value was published, and where in the file.
CHANGE_COLUMNS = ["table", "status", "key", "key_values", "column", "old", "new", "old_value", "new_value",
                  "published", "sheet", "row"]


def _equal(old: Any, new: Any) -> bool:
    if is_blank(new):
        return True  # not given: the old value stays
    if is_blank(old):
        return False
    if isinstance(new, int | float | np.integer | np.floating) and not isinstance(new, bool):
        try:
            return abs(float(old) - float(new)) <= TOLERANCE
        except (TypeError, ValueError):
            return False
    return str(old).strip() == str(new).strip()


@dataclass
class Preview:
    """What an import would do: per table the rows added, changed (old → new) and unchanged."""

    incoming: Incoming
    rows: dict[str, pd.DataFrame]  # table -> full new rows (store columns) with _status, _old_json
    changes: pd.DataFrame  # one line per cell: CHANGE_COLUMNS
    counts: dict[str, dict[str, int]]
    same_file_batch: dict[str, Any] | None = None

    @property
    def added(self) -> int:
        """Rows the import adds."""
        return sum(c["added"] for c in self.counts.values())

    @property
    def changed(self) -> int:
        """Rows the import changes."""
        return sum(c["changed"] for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        """Rows already there with the same values."""
        return sum(c["unchanged"] for c in self.counts.values())

    @property
    def published_changes(self) -> int:
        """Changed rows whose old value was published: they need an explicit confirmation."""
        if self.changes.empty:
            return 0
        ch = self.changes[(self.changes["status"] == "changed") & self.changes["published"]]
        return int(ch[["table", "key"]].drop_duplicates().shape[0])

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return self.incoming.ok

    def summary(self, lang: str = "vi") -> str:
        """One line: added / changed / unchanged.

        >>> p = Preview(Incoming("csv", "x.csv", "", {}, []), {}, pd.DataFrame(), {"score": {"added": 2, "changed": 1, "unchanged": 5}})
        >>> p.summary("en")
        '2 added, 1 changed, 5 unchanged'
        """
        if lang == "en":
            return f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged"
        return f"thêm {self.added}, thay đổi {self.changed}, không đổi {self.unchanged}"


def _derive_ranks(frame: pd.DataFrame) -> pd.DataFrame:
    """Ranks (and rank_of) of rows marked ``_derive_rank`` from their effective values, per year and code
    (:func:`pci_metrics.domain.composite.rank_min`: 1 = best, ties share the best rank)."""
    mask = frame["_derive_rank"].fillna(False).astype(bool)
    if not mask.any():
        return frame
    part = frame.loc[mask, ["year", "code", "_effective"]].astype({"_effective": "float64"})
    grouped = part.groupby(["year", "code"])["_effective"]
    frame["rank"] = frame["rank"].astype("Int64")
    frame["rank_of"] = frame["rank_of"].astype("Int64")
    frame.loc[mask, "rank"] = grouped.transform(rank_min).round().astype("Int64")
    frame.loc[mask, "rank_of"] = grouped.transform("count").astype("Int64")
    return frame


def _keep_published_ranks(merged: pd.DataFrame, exists: np.ndarray) -> pd.DataFrame:
    """A rank VCCI published stays as published: a rank derived from the file never replaces it (if the
    file's scores no longer agree with it, :mod:`pci_metrics.imports.ranking_check` refuses the import)."""
    if "_old_rank_provenance" not in merged.columns:
        return merged
    published = (exists & merged["_derive_rank"].fillna(False).astype(bool).to_numpy()
                 & (merged["_old_rank_provenance"] == "published").fillna(False).to_numpy(dtype=bool)
                 & merged["_old_rank"].notna().to_numpy())
    if published.any():
        for c in ("rank", "rank_of"):
            merged[c] = merged[c].astype("Int64")
            merged.loc[published, c] = merged.loc[published, f"_old_{c}"].astype("Int64")
        merged.loc[published, "rank_provenance"] = "published"
    return merged


def diff(con: duckdb.DuckDBPyConnection, incoming: Incoming) -> Preview:
    """Compare validated rows with the database: added, changed (old → new), unchanged.

    Example: pci_2017.xlsx against the default database → 0 added, 0 changed, 8,769 unchanged.
    """
    rows: dict[str, pd.DataFrame] = {}
    counts: dict[str, dict[str, int]] = {}
    changes: list[pd.DataFrame] = []
    tables = dict(incoming.tables)
    full_years = tables.pop("_full_year", None)
    if "score" in tables and full_years is not None:
        tables.update(_derived_year_tables(con, tables["score"], full_years, incoming.file_name))
    for table in TABLE_ORDER:
        if table not in tables or tables[table].empty:
            continue
        new, ch, cnt = _diff_table(con, table, tables[table])
        if SPECS[table].replaces:
            new, ch, cnt = _with_removals(con, table, tables[table], new, ch, cnt)
        rows[table], counts[table] = new, cnt
        if not ch.empty:
            changes.append(ch)
    change_frame = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame(columns=CHANGE_COLUMNS)
    refusals = ranking_problems(con, rows["score"], tables.get("year_info")) if "score" in rows else []
    if refusals:  # the import would leave a year's ranking inconsistent: it is refused, nothing written
        incoming = dataclasses.replace(incoming, problems=[*incoming.problems, *refusals])
    same = batches_db.batches_with_sha(con, incoming.sha256) if incoming.kind != KIND_FORM else pd.DataFrame()
    return Preview(incoming, rows, change_frame, counts, None if same.empty else same.iloc[0].to_dict())


def _with_removals(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, new: pd.DataFrame,
                   ch: pd.DataFrame, cnt: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Stored rows a file replaces but no longer names (a unit dropped from a task), marked "removed";
    they count as changed, and the preview shows their old value going to nothing."""
    spec = SPECS[table]
    stored = batches_db.ingest_existing(con, table, spec.replaces, frame)
    named = set(zip(*(frame[k].astype(str) for k in spec.key), strict=True))
    gone = stored[[k not in named for k in zip(*(stored[c].astype(str) for c in spec.key), strict=True)]]
    if gone.empty:
        return new, ch, cnt
    gone = gone.drop(columns=[c for c in ("batch_id",) if c in gone.columns]).reset_index(drop=True)
    where = frame.drop_duplicates(list(spec.replaces)).set_index(list(spec.replaces))
    rows = gone.assign(_status="removed", _old_json=batches_db.ingest_row_json(con, gone),
                       _sheet=[where["_sheet"].get(k) for k in gone[spec.replaces[0]]] if "_sheet" in where else None,
                       _row=[where["_row"].get(k) for k in gone[spec.replaces[0]]] if "_row" in where else None,
                       _column=None)
    keys = gone[spec.key[0]].astype(str)
    for k in spec.key[1:]:
        keys = keys + " · " + gone[k].astype(str)
    lines = pd.DataFrame({
        "table": table, "status": "changed", "key": keys,
        "key_values": pd.Series(list(zip(*(gone[k] for k in spec.key), strict=True)), dtype=object),
        "column": spec.compare[0], "old": [_show(v) for v in gone[spec.compare[0]]], "new": None,
        "old_value": gone[spec.compare[0]].astype(object), "new_value": None, "published": False,
        "sheet": rows["_sheet"], "row": rows["_row"]})
    cnt = {**cnt, "changed": cnt["changed"] + len(gone)}
    return (pd.concat([new, rows], ignore_index=True), pd.concat([ch, lines], ignore_index=True) if not ch.empty
            else lines, cnt)


_COLUMNS: dict[str, dict[str, str]] = {}


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """A table's columns and types (fixed by the migrations, so looked up once per process)."""
    if table not in _COLUMNS:
        _COLUMNS[table] = tables_db.table_columns(con, table)
    return _COLUMNS[table]


def _equal_vec(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Vectorised :func:`_equal`: True where the file's value leaves the stored one unchanged."""
    new_blank, old_blank = blank_mask(new), blank_mask(old)
    if pd.api.types.is_numeric_dtype(new) and not pd.api.types.is_bool_dtype(new):
        a = pd.to_numeric(old, errors="coerce").astype("float64").to_numpy()
        b = pd.to_numeric(new, errors="coerce").astype("float64").to_numpy()
        with np.errstate(invalid="ignore"):
            same = np.abs(a - b) <= TOLERANCE
    else:
        same = (old.astype(object).astype(str).str.strip().to_numpy()
                == new.astype(object).astype(str).str.strip().to_numpy())
    return np.asarray(new_blank | (~old_blank & same), dtype=bool)


def _diff_table(con: duckdb.DuckDBPyConnection, table: str,
                frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    spec = SPECS[table]
    columns = list(table_columns(con, table))
    old = batches_db.ingest_existing(con, table, spec.key, frame)
    old = old.assign(json=batches_db.ingest_row_json(con, old))  # becomes _old_json below
    merged = frame.reset_index(drop=True).merge(
        old.rename(columns={c: f"_old_{c}" for c in old.columns if c not in spec.key}),
        on=list(spec.key), how="left", indicator=True)
    exists = (merged.pop("_merge") == "both").to_numpy()
    if table == "score" and "_derive_rank" in merged.columns:
        old_val = merged["_old_value"]
        keep_old = exists & _equal_vec(old_val, merged["value"]) & old_val.notna().to_numpy()
        merged["_effective"] = np.where(keep_old, old_val, merged["value"])
        merged = _derive_ranks(merged)
        merged = _keep_published_ranks(merged, exists)
    compare = [c for c in spec.compare if c in merged.columns]
    differs = {c: exists & ~_equal_vec(merged[f"_old_{c}"], merged[c]) for c in compare}
    any_diff = np.zeros(len(merged), dtype=bool)
    for d in differs.values():
        any_diff |= d
    status = np.where(~exists, "added", np.where(any_diff, "changed", "unchanged"))
    cnt = {s: int((status == s).sum()) for s in ("added", "changed", "unchanged")}
    # full new rows: the old row, overwritten by what the file gives
    new = pd.DataFrame(index=merged.index)
    for c in columns:
        if c == "batch_id":
            continue
        given = merged[c] if c in merged.columns else pd.Series([None] * len(merged), index=merged.index)
        old_c = merged.get(f"_old_{c}")
        if old_c is not None and c not in spec.key:
            keep = given.isna() if c in spec.compare else pd.Series(False, index=merged.index)
            if table == "score" and c in ("rank_of", "rank_provenance"):
                keep = merged["rank"].isna() if "rank" in merged.columns else keep
            new[c] = given.astype(object).where(~keep, old_c.astype(object))
        else:
            new[c] = given
    new["_status"], new["_old_json"] = status, merged.get("_old_json")
    new["_sheet"], new["_row"], new["_column"] = merged.get("_sheet"), merged.get("_row"), merged.get("_column")
    new = new[new["_status"] != "unchanged"].reset_index(drop=True)
    ch = _change_rows(table, spec, merged, compare, differs, status)
    return new, ch, cnt


def _change_rows(table: str, spec: TableSpec, merged: pd.DataFrame, compare: list[str],
                 differs: dict[str, np.ndarray], status: np.ndarray) -> pd.DataFrame:
    """One line per changed or added cell (:data:`CHANGE_COLUMNS`)."""
    added = status == "added"
    # the rows a line may come from: every changed row, and the added ones the preview samples
    touched = (status == "changed") | added & (np.cumsum(added) <= MAX_ADDED_LINES)
    if not touched.any():
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    part = merged[touched].reset_index(drop=True)
    st = status[touched]
    keys = part[spec.key[0]].astype(str)
    for k in spec.key[1:]:
        keys = keys + " · " + part[k].astype(str)
    key_values = pd.Series(list(zip(*(part[k] for k in spec.key), strict=True)), index=part.index, dtype=object)
    sheet = part["_sheet"] if "_sheet" in part else pd.Series([None] * len(part))
    row = part["_row"] if "_row" in part else pd.Series([None] * len(part))
    out = []
    for c in compare:
        mask = (st == "added") & ~blank_mask(part[c]) | (st == "changed") & differs[c][touched]
        if not mask.any():
            continue
        prov = spec.provenance.get(c)
        published = (part[f"_old_{prov}"] == "published").fillna(False).to_numpy(dtype=bool) \
            if prov and f"_old_{prov}" in part else np.zeros(len(part), bool)
        old = [None if s == "added" or is_blank(v) else v for s, v in zip(st[mask], part.loc[mask, f"_old_{c}"], strict=True)]
        new = [None if is_blank(v) else v for v in part.loc[mask, c]]
        out.append(pd.DataFrame({
            "table": table, "status": st[mask], "key": keys[mask].to_numpy(),
            "key_values": key_values[mask].to_numpy(), "column": c,
            "old": [_show(v) for v in old], "new": [_show(v) for v in new], "old_value": pd.Series(old, dtype=object),
            "new_value": pd.Series(new, dtype=object), "published": published[mask],
            "sheet": sheet[mask].to_numpy(), "row": row[mask].to_numpy()}))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=CHANGE_COLUMNS)


def _show(v: Any) -> str | None:
    if is_blank(v):
        return None
    if isinstance(v, float | np.floating):
        return f"{float(v):.6g}"
    return str(v)


def _derived_year_tables(con: duckdb.DuckDBPyConnection, scores: pd.DataFrame, full_years: pd.DataFrame,
                         file_name: str) -> dict[str, pd.DataFrame]:
    """Benchmarks (median, leader, top-10 cut-off) and year information of a fully ranked year, computed
    from the scores the year will have after the import (unchanged values keep their stored form)."""
    bench: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    for r in storage.records(full_years):
        year = int(r.year)
        part = scores[scores["year"] == year]
        stored = scores_db.load_scores(con, year=year)[["entity_key", "code", "value"]]
        merged = part[["entity_key", "code", "value"]].merge(stored, on=["entity_key", "code"], how="left",
                                                             suffixes=("", "_old"))
        keep = [_equal(o, n) and not is_blank(o) for o, n in zip(merged["value_old"], merged["value"], strict=True)]
        merged["eff"] = np.where(keep, merged["value_old"], merged["value"])
        stored_bench = scores_db.load_benchmarks(con)
        published = set(stored_bench[(stored_bench["year"] == year)
                                     & (stored_bench["provenance"] == "published")]["code"].astype(str))
        for code, group in merged.groupby("code", sort=True):
            if str(code) in published:
                continue  # a benchmark VCCI published is kept; a computed one never replaces it
            ordered = group.sort_values("eff", ascending=False)
            bench.append(dict(
                year=year, code=str(code), median=float(group["eff"].median()), median_kind="derived",
                top_score=float(ordered["eff"].iloc[0]), top_entity_key=str(ordered["entity_key"].iloc[0]),
                top10_cutoff=float(ordered["eff"].iloc[9]) if len(ordered) >= 10 else None, provenance="derived",
                source=f"Tính từ điểm của tất cả các tỉnh năm {year} (bảng tính VCCI) / "
                       f"computed from all provinces' scores in {year} (VCCI workbook)"))
        info.append(dict(year=year, framework_id=str(r.framework_id), n_provinces=int(r.n), published_scope="all",
                         note=None, source=f"VCCI workbook {file_name}"))
    return {"benchmark": pd.DataFrame(bench), "year_info": pd.DataFrame(info)}
