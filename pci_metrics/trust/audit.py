"""The audit log as people read it (admin page, CLI export), exported inert (see :mod:`exports`).

Every write in the app adds an audit line (``audit_db.write_audit``): who, when, action, table,
key, old → new as JSON, and the import batch. This module filters it and writes it to CSV or XLSX
so that text from files and forms can never act as a spreadsheet formula: in XLSX every text
cell is a plain string with Excel's "quote prefix" (the cell shows ``=HYPERLINK(...)`` literally
and never evaluates it); in CSV, which has no cell types, text starting with ``= + - @`` (or a tab
or carriage return) is prefixed with an apostrophe, as OWASP recommends.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from pci_metrics.base.exports import to_csv_bytes, to_xlsx_bytes
from pci_metrics.base.i18n import CATALOG, fmt_num, t
from pci_metrics.domain.task_status import ALL_STATUSES, status_label
from pci_metrics.store import audit_db, batches_db, reference_db, tasks_db

COLUMNS = ["audit_id", "at_time", "user_name", "action", "table_name", "key_json", "old_json", "new_json",
           "batch_id"]


def audit_log(con: duckdb.DuckDBPyConnection, *, user_name: str | None = None, action: str | None = None,
              table_name: str | None = None, batch_id: int | None = None, days: int | None = None,
              now: datetime | None = None, limit: int | None = None) -> pd.DataFrame:
    """Audit lines matching every given filter (None = any), newest first.

    ``days=7`` keeps the last seven days before ``now`` (default: the clock).
    """
    since = None if days is None else (now or datetime.now()) - timedelta(days=days)
    frame = audit_db.load_audit_view(con, user_name=user_name, action=action, table_name=table_name,
                                    batch_id=batch_id, since=since, limit=limit)
    return frame[COLUMNS]


def filtered(con: duckdb.DuckDBPyConnection, user_name: str | None, action: str | None,
             table_name: str | None, batch_id: int | None, days: int | None) -> pd.DataFrame:
    """:func:`audit_log` with positional filters (the admin page's cached loader)."""
    return audit_log(con, user_name=user_name, action=action, table_name=table_name, batch_id=batch_id,
                     days=days)


def filter_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Users, actions and tables that occur in the log (the filters' options)."""
    return audit_db.audit_choices(con)


def batch_rows(con: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """Row by row, what one import batch changed: table, key, old → new (empty for an unknown batch)."""
    return batches_db.load_batch_changes(con, batch_id)[["seq", "table_name", "key_json", "old_json", "new_json"]]


def labelled(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The same table with column headers in a language.

    >>> list(labelled(pd.DataFrame(columns=["user_name", "old_json"]), "en").columns)
    ['User', 'Old value']
    """
    return frame.rename(columns={c: t(f"trust_col_{c}", lang) for c in frame.columns if f"trust_col_{c}" in CATALOG})


# A recorded field's name in words: the column label the pages already use, else trust_field_<name>.
FIELD_LABELS = {"user_name": "trust_user_name", "display_name": "trust_display_name", "role": "trust_role",
                "password": "trust_password", "active": "trust_active", "task_id": "tasks_col_task_id",
                "deadline": "tasks_col_deadline", "product_vi": "tasks_col_product",
                "authority_vi": "tasks_col_authority", "lead": "tasks_col_lead", "support": "tasks_col_support",
                "unit_key": "tasks_col_unit", "status": "tasks_col_status", "progress": "tasks_col_progress",
                "outcome": "tasks_col_outcome", "evidence": "tasks_col_evidence", "period": "tasks_col_period",
                "year": "year", "source": "source", "provenance": "provenance", "subindex": "subindex"}


def _words(prefix: str, code: object, lang: str) -> str:
    """A recorded code (action, table, field) in words, or as recorded when the catalogue has none.

    >>> _words("trust_table_", "app_user", "vi"), _words("trust_table_", "made_up", "en")
    ('Người dùng', 'made_up')
    """
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return ""
    key = FIELD_LABELS.get(str(code)) if prefix == "trust_field_" else None
    key = key or prefix + str(code).replace(".", "_")
    return t(key, lang) if key in CATALOG else str(code)


def action_words(action: str, lang: str = "vi") -> str:
    """An audit action in words ("user_role" → "Đổi vai trò")."""
    return _words("trust_action_", action, lang)


def table_words(table: str, lang: str = "vi") -> str:
    """A table's name in words ("app_user" → "Người dùng")."""
    return _words("trust_table_", table, lang)


def _value(field: str, value: object, lang: str, names: dict[str, str]) -> str:
    """A recorded value as people read it: statuses, roles and yes/no in words, units and provinces by
    name, lists joined, numbers in the language's format, nothing for a missing value.

    >>> _value("status", "dang_thuc_hien", "vi", {}), _value("lead", ["kt"], "en", {"kt": "Economy office"})
    ('Đang thực hiện', 'Economy office')
    """
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_value(field, v, lang, names) for v in value)
    if isinstance(value, bool):
        return t("trust_yes" if value else "trust_no", lang)
    if isinstance(value, int):
        return str(value)  # years, counts and ids: no thousands separator
    if isinstance(value, float):
        return fmt_num(value, lang, 0 if value.is_integer() else 2)
    text = str(value)
    if field == "status" and text in ALL_STATUSES:
        return status_label(text, lang)
    if field == "role" and f"trust_role_{text}" in CATALOG:
        return t(f"trust_role_{text}", lang)
    if field == "provenance" and f"prov_{text}" in CATALOG:
        return t(f"prov_{text}", lang)
    if field == "password" and text == "one-time":
        return t("trust_password_one_time", lang)
    return names.get(text, text)


def _fields(raw: object) -> dict[str, object]:
    """A recorded JSON object as a dict (anything else, e.g. a bare value, under "value")."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)) or raw == "":
        return {}
    try:
        parsed = json.loads(str(raw))
    except ValueError:
        return {"value": str(raw)}
    return parsed if isinstance(parsed, dict) else {"value": parsed}


def change_text(old_json: object, new_json: object, lang: str = "vi", names: dict[str, str] | None = None) -> str:
    """What an audit line changed as "field: old → new" (only the fields that differ; a new record's
    fields as "field: value"; a removed one's as "field: old → (removed)").

    >>> change_text('{"role": "viewer"}', '{"role": "analyst"}', "en")
    'Role: Viewer → Analyst'
    >>> change_text(None, '{"user_name": "an", "active": true}', "vi")
    'Tên đăng nhập: an; Đang hoạt động: có'
    """
    names = names or {}
    old, new = _fields(old_json), _fields(new_json)
    parts = []
    for field in [*old, *(f for f in new if f not in old)]:
        label = _words("trust_field_", field, lang)
        before, after = _value(field, old.get(field), lang, names), _value(field, new.get(field), lang, names)
        if not old:
            parts.append(f"{label}: {after}")
        elif field not in new and new:
            continue  # a partial record (only the changed fields): nothing said about this one
        elif not new:
            parts.append(f"{label}: {before} → {t('trust_removed', lang)}")
        elif before != after:
            parts.append(f"{label}: {before} → {after}")
    return "; ".join(parts)


def record_text(key_json: object, lang: str = "vi", names: dict[str, str] | None = None) -> str:
    """Which record an audit line is about, as "field: value" pairs.

    >>> record_text('{"task_id": "T01", "period": "2026-Q1"}', "en")
    'Code: T01, Reporting period: 2026-Q1'
    """
    names = names or {}
    return ", ".join(f"{_words('trust_field_', k, lang)}: {_value(k, v, lang, names)}"
                     for k, v in _fields(key_json).items())


def readable(frame: pd.DataFrame, lang: str = "vi", names: dict[str, str] | None = None) -> pd.DataFrame:
    """The audit lines (or an import batch's rows) as people read them, with headers in the language:
    actions and tables in words, the record and the change as text instead of JSON (the exports of
    :func:`export` keep the JSON, for machines). Unit and province keys are named by ``names``.

    >>> f = pd.DataFrame({"action": ["user_role"], "table_name": ["app_user"], "key_json": ['{"user_name": "an"}'],
    ...                   "old_json": ['{"role": "viewer"}'], "new_json": ['{"role": "admin"}']})
    >>> readable(f, "en").iloc[0].tolist()
    ['Role changed', 'Users', 'User name: an', 'Role: Viewer → Administrator']
    """
    out = frame.copy()
    if "action" in out:
        out["action"] = [_words("trust_action_", a, lang) for a in out["action"]]
    if "table_name" in out:
        out["table_name"] = [_words("trust_table_", n, lang) for n in out["table_name"]]
    if "key_json" in out:
        out.insert(list(out.columns).index("key_json"), "record",
                   [record_text(k, lang, names) for k in out["key_json"]])
    if "old_json" in out:
        out.insert(list(out.columns).index("old_json"), "change",
                   [change_text(o, n, lang, names) for o, n in zip(out["old_json"], out["new_json"], strict=True)])
    return labelled(out.drop(columns=[c for c in ("key_json", "old_json", "new_json") if c in out]), lang)


def record_names(con: duckdb.DuckDBPyConnection, lang: str = "vi") -> dict[str, str]:
    """Names of the units, provinces and sub-indices an audit line may name by key (key → name)."""
    col = "name_en" if lang == "en" else "name_vi"
    out: dict[str, str] = {}
    for frame, key in ((reference_db.load_subindices(con), "code"), (reference_db.load_entities(con), "entity_key"),
                       (tasks_db.load_units(con), "unit_key")):
        out.update({str(k): str(v) for k, v in zip(frame[key], frame[col], strict=True) if isinstance(v, str)})
    return out


def export(con: duckdb.DuckDBPyConnection, file: str | os.PathLike[str], lang: str = "vi") -> int:
    """Write the whole audit log to ``file`` (.csv or .xlsx, chosen by the name); returns the line count."""
    path = Path(file)
    kind = path.suffix.lower()
    if kind not in (".csv", ".xlsx"):
        raise ValueError(t("trust_err_export_kind", "vi", file=str(path)) + " / "
                         + t("trust_err_export_kind", "en", file=str(path)))
    frame = labelled(audit_log(con), lang)
    data = to_csv_bytes(frame) if kind == ".csv" else to_xlsx_bytes(frame, t("trust_audit_title", lang))
    tmp = path.with_name(path.name + ".partial")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return len(frame)
