"""The status of the plan's tasks: the vocabulary, the status rule and who has reported.

* **Task status in a period P** (:func:`task_status`), judged as of ``as_of`` = the earlier of today
  and P's due date:
  1. *Hoàn thành* if a report of P — or of an earlier period — says done (done stays done);
  2. else *Chậm tiến độ* if the task's deadline has passed (``as_of`` after the deadline day);
  3. else *Chưa có báo cáo* when there is no report for P;
  4. else what P's report says (a unit may itself report *Chậm tiến độ*).
* **A unit has reported for P** when every task it leads has a report for P. A report is kept per
  task and period (one row), so one report counts for all co-lead units of that task. Units that
  lead no task are not expected to report.
* **A retired task** (``retired_on`` set) keeps its history and reports but is no longer due from
  its retirement day on: a period judged on or after that day leaves it out (:func:`still_followed`),
  a period judged before it still counts it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from pci_metrics.base.cells import cell_text, fold, is_blank
from pci_metrics.base.i18n import t
from pci_metrics.domain.periods import period_key

NOT_STARTED, IN_PROGRESS, DONE, LATE, NOT_REPORTED = (
    "chua_thuc_hien", "dang_thuc_hien", "hoan_thanh", "cham_tien_do", "chua_bao_cao")
REPORTED_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, LATE)
ALL_STATUSES = (*REPORTED_STATUSES, NOT_REPORTED)
ROLES = ("lead", "support")
# Where a task comes from: the plan's body (the starting list), its appendix, or an analyst.
ORIGINS = ("plan_body", "appendix", "entered")
_REPORT_FIELDS = ("progress", "outcome", "evidence", "unit_key", "reported_by", "reported_at", "submitted_by",
                  "reviewed_by", "reviewed_at", "on_behalf")


def status_label(status: str, lang: str = "vi") -> str:
    """The glossary's label of a status code.

    >>> status_label("cham_tien_do"), status_label("chua_bao_cao", "en")
    ('Chậm tiến độ', 'Not reported')
    """
    return t(f"tasks_status_{status}", lang)


def parse_status(value: Any) -> str | None:
    """A status cell (code, Vietnamese or English label, any case or accents) as its code.

    >>> parse_status("Hoàn thành"), parse_status("in progress"), parse_status("cham tien do"), parse_status("x")
    ('hoan_thanh', 'dang_thuc_hien', 'cham_tien_do', None)
    """
    s = cell_text(value)
    if s is None:
        return None
    if not _STATUS_WORDS:
        for code in ALL_STATUSES:
            for word in (code, status_label(code, "vi"), status_label(code, "en")):
                _STATUS_WORDS[fold(word)] = code
    return _STATUS_WORDS.get(fold(s))


_STATUS_WORDS: dict[str, str] = {}


def deadline_passed(deadline: date | None, as_of: date) -> bool:
    """True when ``as_of`` is after the deadline day (the deadline day itself is still on time).

    >>> [deadline_passed(date(2026, 3, 15), date(2026, 3, d)) for d in (14, 15, 16)]
    [False, False, True]
    >>> deadline_passed(None, date(2026, 3, 16))
    False
    """
    return deadline is not None and as_of > deadline


def report_late(state: str | None, due: date | None, as_of: date) -> bool:
    """A unit's report for a period is late once the period's reporting deadline has passed
    (:func:`deadline_passed`) and the focal office does not have it: not filed, still a draft, or
    returned and not sent again. A submitted or accepted report is never late.

    >>> [report_late(s, date(2026, 3, 15), date(2026, 3, 16)) for s in (None, "draft", "returned", "submitted")]
    [True, True, True, False]
    >>> report_late(None, date(2026, 3, 15), date(2026, 3, 15))
    False
    """
    return deadline_passed(due, as_of) and state in (None, "draft", "returned")


def task_status(reported: str | None, *, deadline: date | None, as_of: date,
                done_earlier: bool = False) -> str:
    """A task's status in a period (see the module docstring for the rule).

    ``reported`` is the status of the period's report (None: no report this period);
    ``done_earlier`` says an earlier period's report already said done.

    >>> task_status("dang_thuc_hien", deadline=date(2026, 3, 15), as_of=date(2026, 3, 16))
    'cham_tien_do'
    >>> task_status(None, deadline=None, as_of=date(2026, 3, 16), done_earlier=True)
    'hoan_thanh'
    >>> task_status(None, deadline=None, as_of=date(2026, 3, 16))
    'chua_bao_cao'
    """
    if done_earlier or reported == DONE:
        return DONE
    if deadline_passed(deadline, as_of):
        return LATE
    if reported is None:
        return NOT_REPORTED
    return reported


def as_date(value: Any) -> date | None:
    """A date cell (date, Timestamp or ISO text) as a date; None when blank.

    >>> as_date(pd.Timestamp("2026-03-15")), as_date(None)
    (datetime.date(2026, 3, 15), None)
    """
    return None if is_blank(value) else pd.Timestamp(value).date()


def accepted_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """The reports the focal office has accepted: only they feed the status rule, the pages, the
    quarterly report and the slides (a report without a recorded state predates the review step and
    counts as accepted).

    >>> r = pd.DataFrame({"task_id": ["T1", "T2", "T3"], "state": ["accepted", "submitted", None]})
    >>> accepted_reports(r)["task_id"].tolist()
    ['T1', 'T3']
    """
    if "state" not in reports.columns:
        return reports
    state = reports["state"].astype(object)
    return reports[state.isna() | (state == "accepted")].reset_index(drop=True)


def filed_on_behalf(reports: pd.DataFrame, user: str, at: pd.Timestamp) -> pd.DataFrame:
    """Reports that an analyst loads from the template or types into the Tasks page's editor are
    *submitted on the unit's behalf* by that analyst: like a report the unit files itself, they count
    only once the focal office accepts them (a row that changes nothing keeps the stored report).

    >>> f = filed_on_behalf(pd.DataFrame({"task_id": ["T01"]}), "an", pd.Timestamp("2026-03-01"))
    >>> (f.loc[0, "state"], bool(f.loc[0, "on_behalf"]), f.loc[0, "submitted_by"])
    ('submitted', True, 'an')
    """
    return reports.assign(state="submitted", on_behalf=True, submitted_by=user, submitted_at=at)


def in_force(retired_on: Any, on: date) -> bool:
    """True while a task or unit is followed on a day: never retired, or retired after that day.

    >>> in_force(None, date(2026, 3, 15)), in_force(date(2026, 3, 16), date(2026, 3, 15))
    (True, True)
    >>> in_force(date(2026, 3, 15), date(2026, 3, 15))
    False
    """
    day = as_date(retired_on)
    return day is None or day > on


def still_followed(tasks: pd.DataFrame, on: date) -> pd.DataFrame:
    """The tasks (or units) still followed on a day (see :func:`in_force`); a frame without ``retired_on``
    keeps all.

    >>> f = pd.DataFrame({"task_id": ["T1", "T2"], "retired_on": [None, date(2026, 1, 1)]})
    >>> still_followed(f, date(2026, 3, 15))["task_id"].tolist(), still_followed(f, date(2025, 12, 5))["task_id"].tolist()
    (['T1'], ['T1', 'T2'])
    """
    if "retired_on" not in tasks.columns:
        return tasks
    return tasks[[in_force(r, on) for r in tasks["retired_on"]]].reset_index(drop=True)


def statuses_in_period(tasks: pd.DataFrame, reports: pd.DataFrame, period: str, as_of: date) -> pd.DataFrame:
    """Each task's status in a period with that period's report (progress, outcome, evidence, …).

    >>> tasks = pd.DataFrame({"task_id": ["T1", "T2", "T3"], "deadline": [None, date(2026, 3, 1), None]})
    >>> reps = pd.DataFrame({"task_id": ["T1", "T3"], "period": ["2026-Q1", "2025"],
    ...                      "status": ["dang_thuc_hien", "hoan_thanh"], "progress": [40.0, 100.0]})
    >>> statuses_in_period(tasks, reps, "2026-Q1", date(2026, 3, 15))["status"].tolist()
    ['dang_thuc_hien', 'cham_tien_do', 'hoan_thanh']
    """
    key = period_key(period)
    reps = reports.copy()
    reps["_key"] = [period_key(str(p)) for p in reps["period"]] if not reps.empty else []
    upto = reps[[k <= key for k in reps["_key"]]] if not reps.empty else reps
    this = upto[upto["period"] == period].set_index("task_id") if not upto.empty else upto
    done_ids = set(upto[upto["status"] == DONE]["task_id"]) if not upto.empty else set()
    rows = []
    for tid, deadline in zip(tasks["task_id"].astype(str), tasks["deadline"], strict=True):
        rep = this.loc[tid] if tid in getattr(this, "index", []) else None
        reported = None if rep is None else str(rep["status"])
        latest = upto[upto["task_id"] == tid].sort_values("_key") if not upto.empty else upto
        rows.append(dict(
            task_id=tid,
            status=task_status(reported, deadline=as_date(deadline), as_of=as_of, done_earlier=tid in done_ids),
            reported_status=reported,
            **{f: None if rep is None else rep.get(f) for f in _REPORT_FIELDS},
            last_period=None if latest.empty else str(latest["period"].iloc[-1]),
        ))
    out = pd.DataFrame(rows, columns=["task_id", "status", "reported_status", *_REPORT_FIELDS, "last_period"])
    out["progress"] = pd.to_numeric(out["progress"], errors="coerce").astype("Float64")
    return out


def units_not_reported(task_units: pd.DataFrame, reports: pd.DataFrame, period: str) -> pd.DataFrame:
    """Per unit that leads a task: tasks led, reported and missing for a period (rule in the module doc).

    >>> tu = pd.DataFrame({"task_id": ["T1", "T2", "T2"], "unit_key": ["a", "a", "b"], "role": ["lead", "lead", "lead"]})
    >>> reps = pd.DataFrame({"task_id": ["T2"], "period": ["2026-Q1"]})
    >>> units_not_reported(tu, reps, "2026-Q1")[["unit_key", "missing", "has_reported"]].values.tolist()
    [['a', 'T1', False], ['b', '', True]]
    """
    leads = task_units[task_units["role"] == "lead"]
    done = set(reports[reports["period"] == period]["task_id"].astype(str)) if not reports.empty else set()
    rows = []
    for unit, group in leads.groupby("unit_key", sort=True):
        led = sorted(str(x) for x in group["task_id"])
        missing = [x for x in led if x not in done]
        rows.append(dict(unit_key=str(unit), led=", ".join(led), n_led=len(led), n_reported=len(led) - len(missing),
                         missing=", ".join(missing), has_reported=not missing))
    return pd.DataFrame(rows, columns=["unit_key", "led", "n_led", "n_reported", "missing", "has_reported"])


def count_statuses(frame: pd.DataFrame) -> pd.DataFrame:
    """How many tasks are in each status (every status listed, zero included).

    >>> count_statuses(pd.DataFrame({"status": ["hoan_thanh", "hoan_thanh"]}))["n"].tolist()
    [0, 0, 2, 0, 0]
    """
    counts = pd.DataFrame({"status": list(ALL_STATUSES)})
    counts["n"] = [int((frame["status"] == s).sum()) for s in ALL_STATUSES]
    return counts
