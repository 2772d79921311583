"""What every output reads for one data stamp: one snapshot of the store, one tasks model, and the
priority pages' models built from them.

The slide deck, the quarterly report and the command line's ``show`` read the priorities through
:func:`load`, so each states the target, the status and the gap of a priority exactly as its page
does (:mod:`pci_metrics.views.priority`); :func:`target_answer` is that one answer in three fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb

from pci_metrics.domain.numbers import as_float, as_int
from pci_metrics.views import priority, tasks
from pci_metrics.views.leadership import HAIPHONG, Snapshot, snapshot


@dataclass
class OutputData:
    """One read of the store: the snapshot, the tasks model and the models of the priorities."""

    snap: Snapshot
    tasks: tasks.TasksModel
    priorities: list[priority.PriorityModel]


@dataclass(frozen=True)
class TargetAnswer:
    """The target a priority is judged against, its status and the gap, as its page states them."""

    year: int | None
    score: float | None
    rank: int | None
    status: str  # on_track / watch / off_track / no_target / no_data
    gap: float | None  # points from the latest value to the score target (≤ 0: reached)
    rank_places: int | None  # places to climb to the rank target (≤ 0: reached)


def load(con: duckdb.DuckDBPyConnection, today: date, *, period: str | None = None,
         codes: Sequence[str] | None = None, entity_key: str = HAIPHONG) -> OutputData:
    """Read the store once and build the model of every priority (or of ``codes``, in plan order);
    ``period`` is the tasks model's period (default: the current one as of ``today``)."""
    snap = snapshot(con)
    tm = tasks.tasks_model(con, period, today)
    wanted = [str(c) for c in snap.priorities["code"] if codes is None or c in codes]
    models = [priority.priority_model(con, c, today.isoformat(), entity_key, snap=snap, tasks=tm)
              for c in dict.fromkeys(wanted)]
    return OutputData(snap=snap, tasks=tm, priorities=models)


def target_answer(m: priority.PriorityModel) -> TargetAnswer:
    """The page's target, status and gap of one priority."""
    row = m.gaps[m.gaps["reference"] == "target"]
    gap = as_float(row["points"].iloc[0]) if not row.empty else None
    places = as_int(row["rank_places"].iloc[0]) if not row.empty else None
    target = m.target or {}
    return TargetAnswer(year=as_int(target.get("year")), score=as_float(target.get("target_score")),
                        rank=as_int(target.get("target_rank")), status=m.status, gap=gap, rank_places=places)
