"""Vietnamese everywhere in the Vietnamese UI: no English widget text, no "None", no raw code or JSON
on any page, as an administrator sees it (every page renders); shares as percentages, English plurals
and number formats right, and the audit log in words."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict

from tests.test_pages import page_paths, run_app

# What a Vietnamese reader must never meet: Streamlit's English widget texts, Python's "None", and the
# database's codes or JSON (regular expressions, matched case-sensitively).
ENGLISH_WIDGET_TEXTS = [r"\bUpload\b", r"per file", r"Drag and drop", r"Select all", r"\d+ matches", r"No results",
                        r"View more", r"days left", r"Choose options"]
NEVER_SHOWN = [r"\bNone\b", r"\bnan\b", r"\bNaT\b", r"\bentry_1\b", r"dang_thuc_hien", r"chua_bao_cao", r"kt_ht_dt",
               r"app_user", r'\{"']
HIDDEN_PROTO_FIELDS = {"id", "formId", "spec", "config", "arrowData", "data", "body", "deltaPath"}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in HIDDEN_PROTO_FIELDS:
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _cells(el: Any) -> Iterator[str]:
    """What a table shows: headers (their labels), each cell through the column's option labels, and a
    missing value as the table's placeholder (Streamlit writes "None" unless one is set)."""
    config = json.loads(el.proto.columns or "{}")
    missing = el.proto.placeholder if el.proto.HasField("placeholder") else "None"
    frame = el.value
    for col in frame.columns:
        cfg = config.get(str(col), {})
        if cfg.get("hidden"):
            continue
        yield str(cfg.get("label", col))
        options = {o["value"]: o["label"] for o in cfg.get("type_config", {}).get("options", []) if isinstance(o, dict)}
        for v in frame[col]:
            values = list(v) if isinstance(v, list | tuple | np.ndarray) else [v]
            for x in values:
                yield missing if x is None or (not isinstance(x, str) and pd.isna(x)) else options.get(x, str(x))


def _figure_texts(el: Any) -> Iterator[str]:
    """A chart's words: titles, axis titles, trace names, tick and annotation texts."""
    spec = json.loads(el.proto.spec)
    layout = spec.get("layout", {})
    for part in layout.values():
        if isinstance(part, dict):
            yield from _strings({k: v for k, v in part.items() if k in ("title", "ticktext", "text")})
    yield from _strings([a.get("text") for a in layout.get("annotations", [])])
    yield from _strings(layout.get("title", {}))
    for trace in spec.get("data", []):
        yield from _strings([trace.get("name"), trace.get("text")])
        for axis in ("x", "y"):
            yield from (v for v in trace.get(axis) or [] if isinstance(v, str))


def shown_texts(at: Any) -> list[str]:
    """Every text an AppTest page shows (style sheets excluded: they show nothing)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        kind = type(node).__name__
        proto = getattr(node, "proto", None)
        if kind == "Dataframe":
            out.extend(_cells(node))
        elif kind == "UnknownElement" and node.type == "plotly_chart":
            out.extend(_figure_texts(node))
        elif proto is not None and not (kind == "UnknownElement" and node.type == "html"):
            out.extend(_strings(MessageToDict(proto)))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return out


def offending(texts: list[str], patterns: list[str]) -> dict[str, list[str]]:
    hits = {p: sorted({x[:90] for x in texts if re.search(p, x)})[:3] for p in patterns}
    return {p: h for p, h in hits.items() if h}


@pytest.mark.parametrize("page", page_paths())
def test_a_vietnamese_page_has_no_english_widget_text_none_or_code(app_db, page):
    at = run_app(page, "vi", role="admin", user_name="kiem-thu")
    assert not at.exception, at.exception
    texts = shown_texts(at)
    assert len(texts) > 5
    assert offending(texts, ENGLISH_WIDGET_TEXTS + NEVER_SHOWN) == {}


@pytest.mark.parametrize("page", ["tasks", "audit", "market_entry"])
def test_an_english_page_shows_no_none_or_code_either(app_db, page):
    at = run_app(page, "en", role="admin", user_name="kiem-thu")
    assert offending(shown_texts(at), [p for p in NEVER_SHOWN if "entry_1" not in p]) == {}


def test_compare_province_list_offers_no_bulk_english_option(app_db):
    """Enter after typing "Hà N" picked "Select 4 matches" (four provinces, in English); the bulk option
    is off and the placeholder is ours."""
    at = run_app("compare", "vi", role="admin", user_name="kiem-thu")
    box = at.multiselect(key="cmp_provinces")
    assert box.proto.select_all == 0 and box.placeholder == "Chọn tỉnh, thành phố"


# --- indicator tables: official labels, no code in Vietnamese, shares as percentages ---

def test_indicator_table_shows_shares_as_percentages_and_no_code_in_vietnamese(built_db):
    from datetime import date

    from pci_metrics.store import storage
    from pci_metrics.views import priority, priority_tables

    with storage.connect(built_db) as con:
        m = priority.priority_model(con, "market_entry", date(2026, 3, 1))
    vi = priority_tables.indicator_table(m, "entry", "vi", formatted=True)
    en = priority_tables.indicator_table(m, "entry", "en", formatted=True)
    assert "Mã" not in vi.columns and "Code" in en.columns  # the code is for English-reading analysts only
    label = vi.columns[0]
    assert label.startswith("Chỉ tiêu")
    waiting = vi[vi[label].str.startswith("Waiting >=1 month")].iloc[0]  # VCCI's label, never our translation
    assert waiting["Hải Phòng 2017"] == "17,4 %"  # 0.1739… in VCCI's workbook
    days = vi[vi[label].str.startswith("Length of business registration")].iloc[0]
    assert days["Hải Phòng 2017"] == "5,000"  # a number of days stays a number
    assert en[en["Code"] == "entry_3"].iloc[0]["Hải Phòng 2017"] == "17.4%"


@pytest.mark.parametrize(("label", "top", "share"), [
    pytest.param("Firms registered online (%)", 0.9, True, id="fraction-share"),
    pytest.param("Workers having completed training (%)", 58.7, False, id="kept-as-0-100"),
    pytest.param("Median days to wait", 0.5, False, id="not-a-share"),
])
def test_which_indicators_are_fractions(label, top, share):
    from pci_metrics.views.priority_tables import share_indicators

    frame = pd.DataFrame({"indicator_code": ["x", "x"], "label_en": [label, label], "max": [top / 2, top]})
    assert (share_indicators(frame) == {"x"}) is share


# --- number and plural formats ---

@pytest.mark.parametrize(("lang", "n", "text"), [
    ("en", 1, "1 day left"), ("en", 2, "2 days left"), ("en", 0, "0 days left"), ("vi", 1, "còn 1 ngày"),
])
def test_days_left_plural(lang, n, text):
    from pci_metrics.base.i18n import tn

    assert tn("tasks_days_left", lang, n) == text
    assert tn("slides_deadline_days", lang, n) == text


def test_every_english_count_text_with_a_singular_form_is_right():
    from pci_metrics.base.i18n import CATALOG, tn

    singles = [k[:-4] for k in CATALOG if k.endswith("_one") and "{n}" in CATALOG[k][1]]
    assert {"tasks_days_left", "tasks_overdue_head", "trust_audit_count"} <= set(singles)
    for key in singles:
        assert re.search(r"\b1 (day|task|line)s\b", tn(key, "en", 1, total=3)) is None, key


@pytest.mark.parametrize(("value", "lang", "text"), [
    (0.1739, "vi", "17,4 %"), (0.1739, "en", "17.4%"), (1, "vi", "100,0 %"), (None, "vi", "Chưa có số liệu"),
])
def test_share_format(value, lang, text):
    from pci_metrics.base.i18n import fmt_share

    assert fmt_share(value, lang) == text


def test_import_limits_read_in_the_language_number_format(app_db):
    en = run_app("import", "en", role="admin", user_name="kiem-thu")
    vi = run_app("import", "vi", role="admin", user_name="kiem-thu")
    assert "200,000" in en.caption[0].value and "200.000" not in en.caption[0].value
    assert "200.000" in vi.caption[0].value


def test_the_next_report_line_says_1_day_left_in_english(built_db):
    from datetime import date

    from pci_metrics.outputs import task_tables
    from pci_metrics.store import storage
    from pci_metrics.views import tasks

    with storage.connect(built_db) as con:
        first = tasks.tasks_model(con, None, date(2026, 3, 1).isoformat())
        due = first.next_report.due if first.next_report else None
        assert due is not None
        m = tasks.tasks_model(con, None, (due - pd.Timedelta(days=1)).isoformat())
    text = " ".join(x for _, x in task_tables.alerts(m, "en"))
    assert "(1 day left)" in text and "1 days" not in text


# --- the audit log in words ---

def test_audit_log_shows_words_not_table_names_or_json(app_db):
    at = run_app("audit", "vi", role="admin", user_name="kiem-thu")
    frame = at.dataframe[0].value  # the seed's one line: the administrator account was created
    assert "Bảng" in frame.columns and set(frame["Bảng"]) == {"Người dùng"}
    added = frame[frame["Thao tác"] == "Thêm người dùng"].iloc[0]
    assert added["Bản ghi"] == "Tên đăng nhập: admin"
    assert "Vai trò: Quản trị" in added["Thay đổi"] and "{" not in added["Thay đổi"]


def test_audit_change_text_for_a_task_report():
    from pci_metrics.trust.audit import change_text

    text = change_text('{"status": "chua_thuc_hien", "progress": 0, "unit_key": "kt_ht_dt"}',
                       '{"status": "dang_thuc_hien", "progress": 40, "unit_key": "kt_ht_dt"}', "vi",
                       {"kt_ht_dt": "Phòng KT-HT&ĐT"})
    assert text == "Trạng thái: Chưa thực hiện → Đang thực hiện; Tiến độ (%): 0 → 40"
