"""Quick entry: one target or one missing score typed on the Import page, checked like a template row."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.problems import InputError
from pci_metrics.domain.measures import distinct_measure_names
from pci_metrics.imports.commit import Outcome, commit
from pci_metrics.imports.context import Context, load_context
from pci_metrics.imports.limits import COMPOSITE, KIND_FORM, YEAR_MIN, errors
from pci_metrics.imports.read import RawFile, RawSheet
from pci_metrics.imports.sniff import sha256
from pci_metrics.imports.validate import Incoming, validate
from pci_metrics.store import reference_db, storage

# The sheet each form stands for (its problems name it).
FORM_SHEETS = {"targets": "Mục tiêu", "scores": "Điểm", "appendix_tasks": "Nhiệm vụ", "units": "Đơn vị"}


def form_incoming(ctx: Context, sheet_kind: str, values: dict[str, Any], *, user: str) -> Incoming:
    """Validate one form entry exactly like a template row (kind 'form').

    Example: ``form_incoming(ctx, "targets", {"entity": "hongbang", "year": 2026, "code": "composite",
    "target_score": 75}, user="lan")`` → one target row, or the problems of the entry.
    """
    frame = pd.DataFrame([{k: v for k, v in values.items()}], dtype=object)
    frame["_row"] = [1]
    label = FORM_SHEETS[sheet_kind]
    raw = RawFile(kind=KIND_FORM, file_name=f"form:{sheet_kind}", size=0,
                  sha256=sha256(json.dumps(values, sort_keys=True, default=str).encode() + str(datetime.now()).encode()),
                  sheets=[RawSheet(label, sheet_kind, frame)])
    return validate(raw, ctx, user=user)


@dataclass
class FormOptions:
    """Choices offered by the quick-entry forms."""

    entities: list[str]  # Vietnamese names (the validator also takes keys and English names)
    codes: list[str]  # what the form stores; people choose them by name (:meth:`code_name`)
    years: list[int]
    code_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (Vietnamese, English) name

    def code_name(self, code: str, lang: str = "vi") -> str:
        """A measure code as the form shows it, e.g. ``composite`` → "Điểm tổng hợp" (the code when unnamed)."""
        names = self.code_names.get(code)
        return code if names is None else names[lang == "en"]


def form_options(con: duckdb.DuckDBPyConnection) -> FormOptions:
    """Entities (ward and provinces first), measure codes and years for the forms.

    Example: ``form_options(con).entities[0]`` → ``'Phường Hồng Bàng'``; codes start with ``composite``,
    shown as ``code_name("composite")`` → ``'Điểm tổng hợp'``.
    """
    ents = reference_db.load_entities(con)
    ordered = pd.concat([ents[ents["level"] == "ward"], ents[ents["level"] == "province"].sort_values("name_vi"),
                         ents[ents["level"] == "nation"]])
    subs, frameworks = reference_db.load_subindices(con), reference_db.load_frameworks(con)
    codes = [COMPOSITE, *dict.fromkeys(subs["code"])]
    vi, en = (distinct_measure_names(subs, frameworks, lg) for lg in ("vi", "en"))
    return FormOptions(list(ordered["name_vi"]), codes, list(range(date.today().year + 5, YEAR_MIN - 1, -1)),
                       {c: (vi.get(c, c), en.get(c, c)) for c in codes})


def save_form(path: str | None, sheet_kind: str, values: dict[str, Any], *, user: str,
              allow_changes: bool = False) -> Outcome:
    """Validate and commit one form entry (a kind of :data:`FORM_SHEETS`) as a batch of kind 'form'.

    Raises InputError listing every problem, like a file import. Example: ``{"entity": "Phường Hồng
    Bàng", "year": 2026, "code": "market_entry", "target_score": 7.5}`` as "targets" → 1 added.
    """
    with storage.connect(path) as con:
        incoming = form_incoming(load_context(con), sheet_kind, values, user=user)
        if not incoming.ok:
            raise InputError(errors(incoming.problems))
        return commit(con, incoming, user=user, allow_changes=allow_changes)
