"""The Tasks page's tables and charts' data for people: localized headers, labels and dates, and
what the page says above its tables. Shared by the page, the Word report and its Excel annex.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pci_metrics.base.cells import cell_text, is_blank
from pci_metrics.base.i18n import t, tn
from pci_metrics.domain.periods import period_label
from pci_metrics.domain.task_status import ALL_STATUSES, status_label
from pci_metrics.views.tasks import TasksModel


def _name(lang: str) -> str:
    return "en" if lang == "en" else "vi"


def fmt_task_date(d: Any, lang: str) -> str:
    """A deadline or due date for people ("no deadline" when blank).

    >>> fmt_task_date(pd.Timestamp("2026-03-15"), "vi"), fmt_task_date("2026-03-15", "en")
    ('15/03/2026', '2026-03-15')
    """
    if is_blank(d):
        return t("tasks_no_deadline", lang)
    d = pd.Timestamp(d).date()
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def _progress(values: pd.Series) -> list[float | None]:
    return [None if is_blank(p) else float(p) for p in values]


def task_table(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The task list as shown and downloaded: localized headers, labels, dates and progress.

    >>> f = pd.DataFrame({"task_id": ["T1"], "title_vi": ["Việc"], "title_en": ["Job"], "subindex_vi": [None],
    ...     "subindex_en": [None], "lead_vi": ["Phòng A"], "lead_en": ["Div A"], "support_vi": [""], "support_en": [""],
    ...     "deadline": [None], "product_vi": [None], "status": ["chua_bao_cao"], "progress": [None],
    ...     "outcome": [None], "evidence": [None], "last_period": [None]})
    >>> task_table(f).iloc[0].tolist()[:4]
    ['T1', 'Việc', '—', 'Phòng A']
    """
    n = _name(lang)
    title = frame[f"title_{n}"].where(frame[f"title_{n}"].notna(), frame["title_vi"])
    out = pd.DataFrame({
        t("tasks_col_task_id", lang): frame["task_id"],
        t("tasks_col_title", lang): title,
        t("tasks_col_subindex", lang): frame[f"subindex_{n}"].fillna("—"),
        t("tasks_col_lead", lang): frame[f"lead_{n}"].replace("", t("tasks_unassigned", lang)),
        t("tasks_col_support", lang): frame[f"support_{n}"],
        t("tasks_col_deadline", lang): [fmt_task_date(d, lang) for d in frame["deadline"]],
        t("tasks_col_product", lang): frame["product_vi"].fillna(""),
        t("tasks_col_status", lang): [status_label(s, lang) for s in frame["status"]],
        t("tasks_col_progress", lang): _progress(frame["progress"]),
        t("tasks_col_outcome", lang): frame["outcome"].fillna(""),
        t("tasks_col_evidence", lang): frame["evidence"].fillna(""),
        t("tasks_col_last_period", lang): [period_label(p, lang) if cell_text(p) else "" for p in frame["last_period"]],
    })
    return out.reset_index(drop=True)


def unit_names(units: pd.DataFrame, lang: str = "vi") -> dict[str, str]:
    """unit_key -> display name (short Vietnamese name where there is one).

    >>> unit_names(pd.DataFrame({"unit_key": ["a"], "name_vi": ["Phòng A"], "name_en": ["Div A"], "short_vi": [None]}))
    {'a': 'Phòng A'}
    """
    short = units["short_vi"] if "short_vi" in units.columns else pd.Series([None] * len(units), index=units.index)
    return {str(key): (cell_text(s) or vi) if lang == "vi" else str(en)
            for key, vi, en, s in zip(units["unit_key"], units["name_vi"], units["name_en"], short, strict=True)}


def matrix_table(model: TasksModel, lang: str = "vi") -> pd.DataFrame:
    """The responsibility matrix with unit names as columns and "Chủ trì"/"Phối hợp" in cells."""
    labels = {"lead": t("tasks_role_lead", lang), "support": t("tasks_role_support", lang), "": ""}
    grid = model.matrix.replace(labels).rename(columns=unit_names(model.units, lang))
    by_id = model.tasks.set_index("task_id")
    grid.insert(0, t("tasks_col_title", lang), by_id[f"title_{_name(lang)}"].fillna(by_id["title_vi"])
                .reindex(grid.index))
    grid.index.name = t("tasks_col_task_id", lang)
    return grid.reset_index()


def missing_table(model: TasksModel, lang: str = "vi") -> pd.DataFrame:
    """Per lead unit: tasks led, reported and missing for the model's period."""
    names = unit_names(model.units, lang)
    m = model.missing
    return pd.DataFrame({
        t("tasks_col_unit", lang): [names.get(u, u) for u in m["unit_key"]],
        t("tasks_col_led", lang): m["led"],
        t("tasks_col_reported", lang): [f"{a}/{b}" for a, b in zip(m["n_reported"], m["n_led"], strict=True)],
        t("tasks_col_missing", lang): m["missing"],
        t("tasks_col_has_reported", lang): [t("tasks_yes" if h else "tasks_no", lang) for h in m["has_reported"]],
    })


def calendar_table(model: TasksModel, lang: str = "vi") -> pd.DataFrame:
    """The reporting calendar: period, kind, due date, state on today, reports received."""
    c = model.calendar
    return pd.DataFrame({
        t("tasks_col_period", lang): [period_label(p, lang) for p in c["period"]],
        t("tasks_col_kind", lang): [t(f"tasks_kind_{k}", lang) for k in c["kind"]],
        t("tasks_col_due", lang): [fmt_task_date(d, lang) for d in c["due"]],
        t("tasks_col_state", lang): [t(f"tasks_due_{s}", lang) for s in c["state"]],
        t("tasks_col_reports", lang): [f"{a}/{b}" for a, b in zip(c["n_reported"], c["n_tasks"], strict=True)],
    })


def history_table(model: TasksModel, lang: str = "vi", task_id: str | None = None) -> pd.DataFrame:
    """Every report (of one task, or all): period, status, progress, outcome, evidence, who, when."""
    h = model.history
    if task_id:
        h = h[h["task_id"] == task_id]
    names = unit_names(model.units, lang)
    return pd.DataFrame({
        t("tasks_col_task_id", lang): h["task_id"],
        t("tasks_col_period", lang): [period_label(str(p), lang) for p in h["period"]],
        t("tasks_col_unit", lang): [names.get(str(u), "") if cell_text(u) else "" for u in h["unit_key"]],
        t("tasks_col_status", lang): [status_label(str(s), lang) for s in h["status"]],
        t("tasks_col_progress", lang): _progress(h["progress"]),
        t("tasks_col_outcome", lang): h["outcome"].fillna(""),
        t("tasks_col_evidence", lang): h["evidence"].fillna(""),
        t("tasks_col_reported_by", lang): h["reported_by"].fillna(""),
        t("tasks_col_reported_at", lang): [fmt_task_date(d, lang) if not is_blank(d) else "" for d in h["reported_at"]],
    }).reset_index(drop=True)


def status_by_unit(model: TasksModel, lang: str = "vi") -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Counts of task statuses per lead unit (tasks with no lead unit grouped as "unassigned"),
    ready for :func:`pci_metrics.outputs.charts.stacked_bars_figure`."""
    names = unit_names(model.units, lang)
    rows: list[tuple[str, str]] = []
    for lead, status in zip(model.tasks["lead"], model.tasks["status"], strict=True):
        for u in lead or [None]:
            rows.append((names.get(u, u) if u else t("tasks_unassigned", lang), status))
    frame = pd.DataFrame(rows, columns=["unit", "status"])
    labels = list(dict.fromkeys(frame["unit"]))
    series = [(status_label(s, lang), [float(((frame["unit"] == u) & (frame["status"] == s)).sum()) for u in labels])
              for s in ALL_STATUSES]
    return labels, series


def status_by_subindex(model: TasksModel, lang: str = "vi") -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Counts of task statuses per prioritized sub-index (plan order; tasks with none last)."""
    p = model.priorities
    names = {str(c): str(n) for c, n in zip(p["code"], p[f"name_{_name(lang)}"], strict=True)}
    other = t("tasks_f_none", lang)
    keys = [names.get(str(c), other) if cell_text(c) else other for c in model.tasks["code"]]
    labels = [x for x in [*names.values(), other] if x in keys]
    statuses = list(model.tasks["status"])
    series = [(status_label(s, lang), [float(sum(k == lab and st == s for k, st in zip(keys, statuses, strict=True)))
                                       for lab in labels])
              for s in ALL_STATUSES]
    return labels, series


SEVERITY = ("success", "info", "warning")


def alert_summary(model: TasksModel, lang: str = "vi") -> tuple[str, str]:
    """Everything :func:`alerts` says, as one box (kind, Markdown list): the kind of its most serious
    line, the warnings first — one box above the task list instead of a stack of six.

    Returns ``("info", "")`` never: :func:`alerts` always says at least when the next report is due.
    """
    lines = alerts(model, lang)
    kind = max((k for k, _ in lines), key=SEVERITY.index)
    ordered = sorted(lines, key=lambda line: -SEVERITY.index(line[0]))
    return kind, "\n".join(f"- {text}" for _, text in ordered)


def _missing_line(model: TasksModel, lang: str, names: dict[str, str]) -> tuple[str, str]:
    """Who has not reported for the period shown (past due or not), or that every unit has."""
    label = period_label(model.period, lang)
    missing = model.missing[~model.missing["has_reported"]]
    if missing.empty:
        return "success", t("tasks_all_reported", lang, period=label)
    key = "tasks_past_missing" if model.today > model.due else "tasks_missing_head"
    return "warning", t(key, lang, period=label, due=fmt_task_date(model.due, lang), units=_listing(missing, names))


def _listing(frame: pd.DataFrame, names: dict[str, str]) -> str:
    return "; ".join(f"{names.get(u, u)} ({ms})" for u, ms in zip(frame["unit_key"], frame["missing"], strict=True))


def alerts(model: TasksModel, lang: str = "vi") -> list[tuple[str, str]]:
    """What the page says above the tables, in order, as (kind, text): kind is success, info or warning.

    The next report and its recipient; who has not reported for the period shown (past due or not);
    the latest past-due period's missing units when another period is shown; overdue tasks; tasks
    with no deadline or no lead unit (the plan names none: analysts set them).
    """
    names = unit_names(model.units, lang)
    out: list[tuple[str, str]] = []
    nxt = model.next_report
    if nxt is None:
        out.append(("info", t("tasks_no_next_report", lang)))
    else:
        left = tn("tasks_days_left", lang, nxt.days_left) if nxt.days_left else t("tasks_due_today_short", lang)
        out.append(("info", t("tasks_next_line", lang, period=period_label(nxt.period, lang),
                              due=fmt_task_date(nxt.due, lang), left=left,
                              to=names.get(nxt.recipient or "", nxt.recipient or "—"))))
    out.append(_missing_line(model, lang, names))
    if model.past_period and model.past_period != model.period and not model.past_missing.empty:
        out.append(("warning", t("tasks_past_missing", lang, period=period_label(model.past_period, lang),
                                 due=fmt_task_date(model.past_due, lang), units=_listing(model.past_missing, names))))
    if model.overdue.empty:
        out.append(("info", t("tasks_no_overdue", lang)))
    else:
        out.append(("warning", tn("tasks_overdue_head", lang, len(model.overdue))))
    if model.no_deadline:
        out.append(("info", t("tasks_no_deadline_info", lang, n=model.no_deadline, total=len(model.tasks))))
    unassigned = int(sum(not lead for lead in model.tasks["lead"]))
    if unassigned:
        out.append(("info", tn("tasks_unassigned_info", lang, unassigned)))
    return out


def catalogue_table(model: TasksModel, lang: str = "vi") -> pd.DataFrame:
    """Every task of the plan, still due or retired: code, title, where it comes from (the plan's
    body is the starting list) and the day it was retired.

    Example: the default database → 14 rows, each "Danh sách ban đầu (nội dung Kế hoạch)", none retired.
    """
    frame = pd.concat([model.tasks, model.retired], ignore_index=True) if not model.retired.empty else model.tasks
    n = _name(lang)
    title = frame[f"title_{n}"].where(frame[f"title_{n}"].notna(), frame["title_vi"])
    return pd.DataFrame({
        t("tasks_col_task_id", lang): frame["task_id"],
        t("tasks_col_title", lang): title,
        t("ingest_field_origin", lang): [t(f"units_origin_{o}", lang) if cell_text(o) else "" for o in frame["origin"]],
        t("ingest_field_retired_on", lang): ["" if is_blank(d) else fmt_task_date(d, lang)
                                             for d in frame["retired_on"]]})


def report_used(row: Any, names: dict[str, str], lang: str = "vi") -> str:
    """Whose report a task's line uses in the compiled report, and when the focal office accepted it.

    >>> row = pd.Series({"unit_key": "vh_xh", "reported_status": "dang_thuc_hien", "submitted_by": "lan",
    ...                  "reviewed_at": pd.Timestamp("2026-03-14 09:30"), "on_behalf": False, "status": "dang_thuc_hien",
    ...                  "last_period": "2026-Q1"})
    >>> report_used(row, {"vh_xh": "Phòng VH-XH"})
    'Phòng VH-XH (lan), chấp nhận 14/03/2026'
    """
    if is_blank(row.get("reported_status")):
        if row.get("status") == "hoan_thanh" and not is_blank(row.get("last_period")):
            return t("units_rpt_done_earlier", lang, period=period_label(str(row["last_period"]), lang))
        return t("units_not_yet", lang)
    unit = names.get(str(row.get("unit_key")), "—") if not is_blank(row.get("unit_key")) else "—"
    who = row.get("submitted_by")
    if not is_blank(who):
        unit += f" ({who})" if row.get("on_behalf") is not True else t("units_rpt_on_behalf", lang, who=who)
    when = row.get("reviewed_at")
    if is_blank(when):
        return t("units_rpt_before_review", lang, unit=unit)
    return t("units_rpt_accepted", lang, unit=unit, day=fmt_task_date(when, lang))
