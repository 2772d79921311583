"""The vocabularies an import is checked against: frameworks, entities, sub-indices, plans, units, tasks.

Loaded once from the database (milliseconds) and handed to the validation, which may run in a
worker process without a database handle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pci_metrics.base.cells import is_blank
from pci_metrics.domain.provinces import ALIASES, normalize_name
from pci_metrics.domain.trends import framework_of
from pci_metrics.store import reference_db, service_db, storage, tasks_db


@dataclass
class Context:
    """What validation needs from the database: the vocabularies rows are checked against."""

    entities: pd.DataFrame
    frameworks: pd.DataFrame
    subindices: pd.DataFrame
    year_info: pd.DataFrame
    plans: pd.DataFrame
    units: pd.DataFrame
    tasks: pd.DataFrame
    task_units: pd.DataFrame
    groups: pd.DataFrame
    indicators: pd.DataFrame
    entity_lookup: dict[str, str] = field(default_factory=dict)
    _n_by_year: dict[int, int | None] = field(default_factory=dict)

    def framework_for(self, year: int) -> str | None:
        """The framework in force in a year (year_info first, then the frameworks' ranges)."""
        row = self.year_info[self.year_info["year"] == year]
        if not row.empty:
            return str(row["framework_id"].iloc[0])
        return framework_of(self.frameworks, year)

    def n_provinces(self, year: int) -> int | None:
        """How many provinces were ranked in a year, when known."""
        if not self._n_by_year and not self.year_info.empty:
            self._n_by_year.update({int(y): None if is_blank(n) else int(n)
                                    for y, n in zip(self.year_info["year"], self.year_info["n_provinces"],
                                                    strict=True)})
        return self._n_by_year.get(int(year))

    def entity_name(self, key: str) -> str:
        """An entity's Vietnamese name (the key when unknown)."""
        hit = self.entities[self.entities["entity_key"] == key]
        return key if hit.empty else str(hit["name_vi"].iloc[0])


def load_context(con: duckdb.DuckDBPyConnection) -> Context:
    """The vocabularies of an open database (see :class:`Context`).

    Example: ``load_context(con).entity_lookup["tphcm"]`` → ``'hochiminhcity'``.
    """
    ctx = Context(
        entities=reference_db.load_entities(con), frameworks=reference_db.load_frameworks(con),
        subindices=reference_db.load_subindices(con), year_info=reference_db.load_year_info(con),
        plans=reference_db.load_plan(con), units=tasks_db.load_units(con), tasks=tasks_db.load_tasks(con),
        task_units=tasks_db.load_task_units(con), groups=service_db.load_service_groups(con),
        indicators=reference_db.load_indicators(con))
    lookup: dict[str, str] = {}
    for r in storage.records(ctx.entities):
        for spelling in (r.entity_key, r.name_vi, r.name_en):
            if spelling:
                lookup.setdefault(normalize_name(spelling), str(r.entity_key))
    keys = set(ctx.entities["entity_key"])
    for alias, key in ALIASES.items():
        if key in keys:
            lookup.setdefault(alias, key)
    if "hongbang" in keys:
        lookup.setdefault("hongbang", "hongbang")
    ctx.entity_lookup = lookup
    return ctx
