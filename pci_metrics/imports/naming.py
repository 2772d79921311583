"""What an import touches, in the words of the screens: a record's key and a field's value named as
the pages name them, never by their database codes.

Provinces and wards by their names, measures by :func:`pci_metrics.domain.measures.measure_names`,
statuses by :func:`pci_metrics.domain.task_status.status_label`, task periods by
:func:`pci_metrics.domain.periods.period_label`, service-index periods by
:func:`pci_metrics.domain.service_index.period_text`; units, groups, tasks, frameworks and
indicators by the names stored with them. Everything comes from the import's :class:`Context`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from pci_metrics.base.cells import cell_text, is_blank
from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.domain.measures import measure_names
from pci_metrics.domain.periods import period_label
from pci_metrics.domain.service_index import period_text
from pci_metrics.domain.task_status import ALL_STATUSES, ORIGINS, ROLES, status_label
from pci_metrics.imports.context import Context, load_context

# How each table's key reads, part by part (the parts follow diff.SPECS' key order).
KEY_PARTS: dict[str, tuple[str, ...]] = {
    "score": ("entity", "year", "measure"),
    "indicator_value": ("entity", "year", "indicator"),
    "target": ("plan", "entity", "year", "measure"),
    "task_report": ("task", "task_period"),
    "service_reading": ("entity", "service_period", "group"),
    "year_note": ("entity", "year", "measure"),
    "benchmark": ("year", "measure"),
    "year_info": ("year",),
    "unit": ("unit",),
    "task": ("task",),
    "task_unit": ("task", "unit"),
}
# Fields whose stored value is a code, and the kind of name that replaces it.
CODED_FIELDS = {"framework_id": "framework", "unit_key": "unit", "status": "status", "top_entity_key": "entity",
                "code": "measure", "role": "task_role", "origin": "origin", "plan_id": "plan"}
TITLE_CHARS = 60  # a task's title in a record, cut at a word
MAX_DECIMALS = 4  # the reference data's precision (values equal to 4 decimals are unchanged)


def _pairs(frame: pd.DataFrame, key: str, vi: str, en: str) -> dict[str, tuple[str, str]]:
    """key -> (Vietnamese, English) of a vocabulary table; a blank name falls back to the other language."""
    if frame.empty or key not in frame.columns:
        return {}
    out = {}
    for k, a, b in zip(frame[key], frame[vi] if vi in frame else [None] * len(frame),
                       frame[en] if en in frame else [None] * len(frame), strict=True):
        first, second = cell_text(a), cell_text(b)
        out[str(k)] = (first or second or str(k), second or first or str(k))
    return out


def number_text(value: Any, lang: str = "vi") -> str:
    """A number as read, in the language's format, with no more decimals than it has (at most 4).

    >>> number_text(68.7326), number_text(70.0), number_text(6.8, "en"), number_text(12)
    ('68,7326', '70', '6.8', '12')
    """
    text = f"{float(value):.{MAX_DECIMALS}f}".rstrip("0")
    return fmt_num(value, lang, len(text.partition(".")[2]))


def short(text: str, limit: int = TITLE_CHARS) -> str:
    """A long title cut at a word for a table cell.

    >>> short("Tạo điều kiện để hộ kinh doanh nhanh chóng gia nhập thị trường", 30)
    'Tạo điều kiện để hộ kinh…'
    """
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class Names:
    """The names of an import's vocabularies, in both languages (see the module docstring)."""

    entities: dict[str, tuple[str, str]]
    measures: dict[str, tuple[str, str]]
    indicators: dict[str, tuple[str, str]]
    units: dict[str, tuple[str, str]]
    groups: dict[str, tuple[str, str]]
    tasks: dict[str, tuple[str, str]]
    frameworks: dict[str, tuple[str, str]]
    plans: dict[str, tuple[str, str]]

    @classmethod
    def of(cls, ctx: Context) -> Names:
        """The names of an import's context (loaded with :func:`pci_metrics.imports.context.load_context`)."""
        vi, en = (measure_names(ctx.subindices, ctx.frameworks, lg) for lg in ("vi", "en"))
        plans = ctx.plans.iloc[0:0] if len(ctx.plans) <= 1 else ctx.plans.assign(  # one plan goes without saying
            label_vi=ctx.plans["doc_ref"].fillna(ctx.plans["title_vi"]),
            label_en=ctx.plans["doc_ref"].fillna(ctx.plans["title_en"]))
        return cls(entities=_pairs(ctx.entities, "entity_key", "name_vi", "name_en"),
                   measures={c: (vi[c], en.get(c, vi[c])) for c in vi},
                   indicators=_pairs(ctx.indicators.drop_duplicates("indicator_code", keep="last")
                                     if not ctx.indicators.empty else ctx.indicators,
                                     "indicator_code", "label_vi", "label_en"),
                   units=_pairs(ctx.units, "unit_key", "name_vi", "name_en"),
                   groups=_pairs(ctx.groups, "code", "name_vi", "name_en"),
                   tasks=_pairs(ctx.tasks, "task_id", "title_vi", "title_en"),
                   frameworks=_pairs(ctx.frameworks, "framework_id", "name_vi", "name_en"),
                   plans=_pairs(plans, "plan_id", "label_vi", "label_en"))

    def name(self, kind: str, value: Any, lang: str = "vi") -> str:
        """A value of a kind (entity, measure, unit, status, …) by its name; the value itself when unknown.

        >>> n = Names({"haiphong": ("Hải Phòng", "Hai Phong")}, {}, {}, {}, {}, {}, {}, {})
        >>> n.name("entity", "haiphong"), n.name("status", "dang_thuc_hien", "en"), n.name("year", 2026)
        ('Hải Phòng', 'In progress', '2026')
        """
        if is_blank(value):
            return "—"
        key, en = str(value), lang == "en"
        tables = {"entity": self.entities, "measure": self.measures, "indicator": self.indicators,
                  "unit": self.units, "group": self.groups, "framework": self.frameworks}
        if kind in tables:
            return tables[kind][key][en] if key in tables[kind] else key
        if kind == "task":
            return f"{key} – {short(self.tasks[key][en])}" if key in self.tasks else key
        if kind == "plan":
            return self.plans[key][en] if key in self.plans else ""  # one plan: not worth a word
        if kind == "status":
            return status_label(key, lang) if key in ALL_STATUSES else key
        if kind == "task_role":
            return t(f"tasks_role_{key}", lang) if key in ROLES else key
        if kind == "origin":
            return t(f"units_origin_{key}", lang) if key in ORIGINS else key
        if kind == "task_period":
            return period_label(key, lang)
        if kind == "service_period":
            return period_text(key, lang)
        if kind == "year" and isinstance(value, int | float | np.integer | np.floating):
            return str(int(value))  # a year has no thousands separator
        return key

    def record(self, table: str, key_values: Sequence[Any], lang: str = "vi") -> str:
        """A record's key in words, e.g. a score: "Hải Phòng · 2019 · Điểm tổng hợp"."""
        parts = (self.name(kind, v, lang) for kind, v in zip(KEY_PARTS[table], key_values, strict=True))
        return " · ".join(p for p in parts if p)

    def value(self, column: str, value: Any, lang: str = "vi") -> str:
        """A field's value in words: a code by its name, a number in the language's format, text as it is."""
        if is_blank(value):
            return "—"
        if column in CODED_FIELDS:
            return self.name(CODED_FIELDS[column], value, lang)
        if isinstance(value, bool | np.bool_):
            return t("units_yes" if value else "units_no", lang)
        if isinstance(value, date):  # a Timestamp is a date too
            return f"{value:%d/%m/%Y}"
        if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
            return number_text(value, lang)
        return str(value)

    def field(self, column: str, lang: str = "vi") -> str:
        """A stored column by the name the template and the pages give it, e.g. target_rank → "Hạng mục tiêu"."""
        return t(f"ingest_field_{column}", lang)


def import_names(con: duckdb.DuckDBPyConnection) -> Names:
    """The names of an open database's vocabularies, for wording a preview (cached by the page).

    Example: ``import_names(con).name("unit", "kt_ht_dt")`` → ``'Phòng Kinh tế – Hạ tầng và Đô thị'``.
    """
    return Names.of(load_context(con))
