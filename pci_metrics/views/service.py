"""The citizen and business service index (Decision 766/QĐ-TTg): readings, totals, band, trend,
and the validation of service-index readings.

Facts used (docs/domain.md): five groups, 100 points. Known maxima: Công khai, minh bạch 18;
Tiến độ, kết quả giải quyết 20; Mức độ hài lòng 18. Số hóa hồ sơ and Cung cấp dịch vụ trực tuyến
together 44, each unknown (each group has 18–22 points). Bands: 90–100 *xuất sắc*, under 50
*yếu*; the bands in between are not known, so a total from 50 to under 90 has an unknown band.
A period's total is only computed when all five groups have a score (a partial sum is not a total).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.i18n import fmt_num, t
from pci_metrics.base.problems import Problem
from pci_metrics.store import storage
from pci_metrics.views.tasks import (
    _problem,
    _row_numbers,
    canonical_columns,
    cell_text,
    closest,
    fold,
    parse_number,
    parse_period,
)

WARD = "hongbang"
TOTAL_POINTS = 100.0
PAIR = ("digitisation", "online")  # the two groups whose maxima are unknown; together 44 points
PAIR_POINTS = 44.0
GROUP_MAX_RANGE = (18.0, 22.0)
READING_COLUMNS = ("entity_key", "period", "group_code", "score", "source")
READING_HEADERS: dict[str, tuple[str, ...]] = {
    "entity_key": ("entity", "dia_ban", "don_vi", "ma_dia_ban"),
    "period": ("ky", "ky_bao_cao", "thoi_ky", "ky_danh_gia"),
    "group_code": ("group", "nhom", "nhom_chi_so", "ma_nhom"),
    "score": ("diem", "gia_tri", "value", "points"),
    "source": ("nguon", "nguon_so_lieu"),
}


def parse_service_period(value: Any) -> str | None:
    """A service-index period: ``YYYY``, ``YYYY-Qn`` (n = 1..4) or ``YYYY-MM``; None when unreadable.

    >>> [parse_service_period(x) for x in ["2026", "2026-Q4", "Quý 2/2026", "2026-03", "tháng 3/2026", "03/2026", "x"]]
    ['2026', '2026-Q4', '2026-Q2', '2026-03', '2026-03', '2026-03', None]
    """
    s = cell_text(value)
    return None if s is None else _service_period(s)


@functools.lru_cache(maxsize=4096)
def _service_period(s: str) -> str | None:
    """:func:`parse_service_period` of a non-empty text, remembered (a sheet repeats its periods)."""
    f = fold(s)
    m = re.match(r"^(\d{4})_(\d{1,2})$", f) or re.match(r"^(?:thang_|month_)?(\d{1,2})_(\d{4})$", f)
    if m:
        year, month = (m.group(1), m.group(2)) if len(m.group(1)) == 4 else (m.group(2), m.group(1))
        if 1 <= int(month) <= 12:
            return f"{year}-{int(month):02d}"
        return None
    return parse_period(s)


def period_sort_key(period: str) -> tuple[int, int, int]:
    """Sort key mixing years, quarters and months: a year sorts after its quarters and months.

    >>> sorted(["2026", "2026-Q1", "2025-12", "2026-02"], key=period_sort_key)
    ['2025-12', '2026-02', '2026-Q1', '2026']
    """
    year, _, rest = period.partition("-")
    if not rest:
        return int(year), 13, 0
    if rest.startswith("Q"):
        return int(year), int(rest[1:]) * 3, 1
    return int(year), int(rest), 0


def band(total: float | None) -> str:
    """The Decision 766 band of a total: ``xuat_sac`` (90–100), ``yeu`` (under 50), ``unknown``
    in between (those cut-offs are not published), ``no_data`` without a total.

    >>> [band(95), band(90), band(89.9), band(49.9), band(None)]
    ['xuat_sac', 'xuat_sac', 'unknown', 'yeu', 'no_data']
    """
    if total is None:
        return "no_data"
    if total >= 90:
        return "xuat_sac"
    if total < 50:
        return "yeu"
    return "unknown"


def _group_lookup(groups: pd.DataFrame) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in storage.records(groups):
        for name in (r.code, r.name_vi, r.name_en):
            out[fold(name)] = str(r.code)
    return out


def _max_of(groups: pd.DataFrame) -> dict[str, float | None]:
    return {str(r.code): (None if pd.isna(r.max_points) else float(r.max_points)) for r in storage.records(groups)}


def _wide_to_long(frame: pd.DataFrame, lookup: dict[str, str], first_row: int) -> pd.DataFrame:
    """A sheet with one column per group (one row per period) as one row per group."""
    rows = _row_numbers(frame, first_row)
    group_cols = {c: lookup[fold(c)] for c in frame.columns if fold(c) in lookup}
    keep = [c for c in frame.columns if c not in group_cols and c != "_row"]
    out = []
    for i, (_, rec) in enumerate(frame.iterrows()):
        for col, code in group_cols.items():
            out.append({**{k: rec[k] for k in keep}, "group_code": code, "score": rec[col], "_row": rows[i],
                        "_col": str(col)})
    return pd.DataFrame(out)


def validate_service_readings(frame: pd.DataFrame, *, groups: pd.DataFrame, entities: pd.DataFrame, sheet: str,
                              default_entity: str = WARD, first_row: int = 2) -> tuple[pd.DataFrame, list[Problem]]:
    """Check service-index readings and return (clean rows, every problem found at once).

    Long form (one row per period and group: period, group, score[, entity, source]) or wide form
    (one row per period, one column per group, headed by the group's code or name). A blank entity is
    ``default_entity`` (the ward); a blank source is recorded as entered from the sheet (a notice).
    Scores: 0 to the group's maximum (unknown maxima: 0 to 22), the two unknown groups together at
    most 44, the five at most 100; "6,8" is read as 6.8 with a notice.

    >>> groups = pd.DataFrame({"code": ["publicity", "digitisation"], "name_vi": ["Công khai, minh bạch", "Số hóa hồ sơ"],
    ...                        "name_en": ["Publicity", "Digitisation"], "max_points": [18.0, None]})
    >>> entities = pd.DataFrame({"entity_key": ["hongbang"], "name_vi": ["Phường Hồng Bàng"], "name_en": ["Hồng Bàng"]})
    >>> rows = pd.DataFrame({"Kỳ": ["2026-Q1", "2026-Q1"], "Nhóm": ["Công khai, minh bạch", "so hoa"],
    ...                      "Điểm": ["16,5", 30], "Nguồn": ["dichvucong.gov.vn", "dichvucong.gov.vn"]})
    >>> clean, problems = validate_service_readings(rows, groups=groups, entities=entities, sheet="QĐ 766")
    >>> clean[["entity_key", "period", "group_code", "score"]].values.tolist()
    [['hongbang', '2026-Q1', 'publicity', 16.5]]
    >>> [(p.row, p.column, p.severity, p.code) for p in problems]
    [(2, 'Điểm', 'notice', 'decimal_comma'), (3, 'Nhóm', 'error', 'unknown_group'), (3, 'Điểm', 'error', 'score')]
    """
    problems: list[Problem] = []
    lookup = _group_lookup(groups)
    maxima = _max_of(groups)
    data = canonical_columns(frame, READING_HEADERS)
    header = {canon: str(orig) for orig, canon in zip(frame.columns, data.columns, strict=True)}
    wide = "group_code" not in data.columns and any(fold(c) in lookup for c in data.columns)
    if wide:
        data = _wide_to_long(data, lookup, first_row)
    for key in ("period", "group_code", "score"):
        if key not in data.columns:
            problems.append(_problem(sheet, None, key, None, "tasks_exp_column", code="missing_column", col=key))
    if problems:
        return pd.DataFrame(columns=list(READING_COLUMNS)), problems
    rows = _row_numbers(data, first_row)
    entity_keys = [str(e) for e in entities["entity_key"]]
    entity_by_name = {fold(n): str(k) for k, *names in entities[["entity_key", "name_vi", "name_en"]].itertuples(
        index=False) for n in (k, *names)}
    seen: dict[tuple[str, str, str], int] = {}
    clean_rows: list[dict[str, Any]] = []
    default_source = t("service_source_default", "vi", sheet=sheet)

    def col(key: str, rec: Any = None) -> str:
        if key == "score" and wide and rec is not None:
            return str(rec["_col"])
        return header.get(key, key)

    for i, rec in enumerate(data.to_dict("records")):
        row_no = rows[i]
        if all(cell_text(rec.get(k)) is None for k in READING_COLUMNS if k != "group_code" or not wide):
            continue
        if wide and cell_text(rec.get("score")) is None:
            continue  # a group left blank in a wide sheet: no reading for it
        bad = False
        out: dict[str, Any] = {}
        raw = cell_text(rec.get("entity_key"))
        if raw is None:
            out["entity_key"] = default_entity
        elif fold(raw) in entity_by_name:
            out["entity_key"] = entity_by_name[fold(raw)]
        else:
            guess = closest(raw, entity_keys)
            problems.append(_problem(sheet, row_no, col("entity_key"), raw,
                                     "service_exp_entity_suggest" if guess else "service_exp_entity",
                                     code="unknown_entity", s=guess))
            bad = True
        raw = cell_text(rec.get("period"))
        period = parse_service_period(raw)
        if raw is None:
            problems.append(_problem(sheet, row_no, col("period"), None, "tasks_exp_required", code="required"))
            bad = True
        elif period is None:
            problems.append(_problem(sheet, row_no, col("period"), raw, "service_exp_period", code="period"))
            bad = True
        else:
            out["period"] = period
        raw = cell_text(rec.get("group_code"))
        if raw is None:
            problems.append(_problem(sheet, row_no, col("group_code"), None, "tasks_exp_required", code="required"))
            bad = True
        elif fold(raw) in lookup:
            out["group_code"] = lookup[fold(raw)]
        else:
            guess = closest(raw, [*groups["code"].astype(str), *groups["name_vi"].astype(str)])
            problems.append(_problem(sheet, row_no, col("group_code"), raw,
                                     "service_exp_group_suggest" if guess else "service_exp_group",
                                     code="unknown_group", s=guess))
            bad = True
        number, ok, comma = parse_number(rec.get("score"))
        limit = maxima.get(out.get("group_code", ""))
        top = limit if limit is not None else GROUP_MAX_RANGE[1]
        if number is None and ok:
            problems.append(_problem(sheet, row_no, col("score", rec), None, "tasks_exp_required", code="required"))
            bad = True
        elif not ok or number is None or not 0 <= number <= top:
            problems.append(_problem(sheet, row_no, col("score", rec), cell_text(rec.get("score")),
                                     "service_exp_score" if limit is not None else "service_exp_score_unknown_max",
                                     code="score", max=fmt_num(top, "vi", 0)))
            bad = True
        else:
            out["score"] = number
            if comma:
                problems.append(_problem(sheet, row_no, col("score", rec), cell_text(rec.get("score")),
                                         "tasks_note_decimal_comma", severity="notice", code="decimal_comma",
                                         raw=cell_text(rec.get("score")), value=fmt_num(number, "vi", 2)))
        source = cell_text(rec.get("source"))
        out["source"] = source or default_source
        if all(k in out for k in ("entity_key", "period", "group_code")):
            k3 = (out["entity_key"], out["period"], out["group_code"])
            if k3 in seen:
                problems.append(_problem(sheet, row_no, col("group_code"), " ".join(k3), "service_exp_duplicate",
                                         code="duplicate", other=seen[k3]))
                bad = True
            else:
                seen[k3] = row_no
        if not bad:
            out["_row"] = row_no
            clean_rows.append(out)
    clean = pd.DataFrame(clean_rows, columns=[*READING_COLUMNS, "_row"])
    # sums per entity and period: the pair ≤ 44, the five ≤ 100 (one grouped sum, not a loop per period)
    keys = ["entity_key", "period"]
    totals = clean.groupby(keys, sort=True).agg(total=("score", "sum"), row=("_row", "max"))
    pairs = (clean[clean["group_code"].isin(PAIR)].groupby(keys, sort=True)
             .agg(n=("score", "size"), total=("score", "sum"), row=("_row", "max")))
    bad_pairs = pairs[(pairs["n"] == 2) & (pairs["total"] > PAIR_POINTS + 1e-9)]
    bad_totals = totals[totals["total"] > TOTAL_POINTS + 1e-9]
    for key in sorted(set(bad_pairs.index) | set(bad_totals.index)):
        for frame_, code_, msg in ((bad_pairs, "pair_total", "service_exp_pair"),
                                   (bad_totals, "total", "service_exp_total")):
            if key in frame_.index:
                total = fmt_num(float(frame_.at[key, "total"]), "vi")
                problems.append(_problem(sheet, int(frame_.at[key, "row"]), col("score"), total, msg,
                                         code=code_, total=total))
    if len(bad_pairs) or len(bad_totals):
        at = pd.MultiIndex.from_frame(clean[keys])
        drop = at.isin(bad_totals.index) | (at.isin(bad_pairs.index) & clean["group_code"].isin(PAIR).to_numpy())
        clean = clean[~drop]
    blank_source = [r for r in clean_rows if r["source"] == default_source]
    if blank_source:
        problems.append(_problem(sheet, None, col("source"), None, "service_note_source_default", severity="notice",
                                 code="source_default", source=default_source))
    clean = clean.drop(columns="_row").reset_index(drop=True)
    clean["score"] = clean["score"].astype(float)
    return clean, problems


# ---------------------------------------------------------------------------
# Page model
# ---------------------------------------------------------------------------

@dataclass
class ServiceModel:
    """The ward's service-index readings: per period the five groups, total, band and change."""

    entity_key: str
    groups: pd.DataFrame  # code, name_vi, name_en, max_points (None = unknown), sort_order, source
    table: pd.DataFrame  # period, one column per group code, total, complete, band, change
    long: pd.DataFrame  # entity_key, period, group_code, score, source, batch_id (sorted)
    latest_period: str | None
    latest_total: float | None
    latest_band: str
    change: float | None  # total against the previous complete period
    known_max_total: float  # sum of the known maxima (56 of 100)

    @property
    def empty(self) -> bool:
        return self.long.empty


def readings_table(long: pd.DataFrame, group_codes: Sequence[str]) -> pd.DataFrame:
    """Readings wide by period with total (only when all groups are present), band and change.

    >>> long = pd.DataFrame({"period": ["2026-Q1"] * 2 + ["2026-Q2"] * 2, "group_code": ["a", "b"] * 2,
    ...                      "score": [40.0, 45.0, 46.0, 46.0]})
    >>> readings_table(long, ["a", "b"])[["period", "total", "band", "change"]].values.tolist()
    [['2026-Q1', 85.0, 'unknown', nan], ['2026-Q2', 92.0, 'xuat_sac', 7.0]]
    """
    cols = ["period", *group_codes, "total", "complete", "band", "change"]
    if long.empty:
        return pd.DataFrame(columns=cols)
    wide = long.pivot_table(index="period", columns="group_code", values="score", aggfunc="first")
    wide = wide.reindex(columns=list(group_codes))
    wide = wide.loc[sorted(wide.index, key=period_sort_key)]
    rows = []
    prev_total: float | None = None
    for period, rec in wide.iterrows():
        complete = bool(rec.notna().all())
        total = round(float(rec.sum()), 10) if complete else None
        change = None if total is None or prev_total is None else round(total - prev_total, 10)
        if total is not None:
            prev_total = total
        rows.append({"period": str(period), **{c: (None if pd.isna(rec[c]) else float(rec[c])) for c in group_codes},
                     "total": total, "complete": complete, "band": band(total), "change": change})
    return pd.DataFrame(rows, columns=cols)


def service_model(con: duckdb.DuckDBPyConnection, entity_key: str = WARD) -> ServiceModel:
    """Build the service-index page model for an entity (the ward by default)."""
    groups = storage.load_service_groups(con)
    long = storage.load_service_readings(con, entity_key)
    codes = [str(c) for c in groups["code"]]
    table = readings_table(long, codes)
    complete = table[table["complete"]] if not table.empty else table
    latest = complete.iloc[-1] if not complete.empty else None
    return ServiceModel(
        entity_key=entity_key, groups=groups, table=table, long=long,
        latest_period=None if latest is None else str(latest["period"]),
        latest_total=None if latest is None else float(latest["total"]),
        latest_band=band(None if latest is None else float(latest["total"])),
        change=None if latest is None or pd.isna(latest["change"]) else float(latest["change"]),
        known_max_total=float(groups["max_points"].dropna().sum()),
    )


def _label(period: str, lang: str) -> str:
    from pci_metrics.views.tasks import period_label

    if re.match(r"^\d{4}-\d{2}$", period):
        year, month = period.split("-")
        return t("service_month", lang, month=int(month), year=year)
    return period_label(period, lang) if period.partition("-Q")[2] != "4" else t("tasks_period_quarter", lang, q=4,
                                                                                  year=period[:4])


def groups_table(model: ServiceModel, lang: str = "vi") -> pd.DataFrame:
    """The five groups with their maximum points ("chưa xác định" where unknown) and latest score."""
    n = "name_en" if lang == "en" else "name_vi"
    latest = model.table[model.table["period"] == model.latest_period] if model.latest_period else model.table.iloc[0:0]
    rows = []
    for r in storage.records(model.groups):
        known = not pd.isna(r.max_points)
        score = latest[str(r.code)].iloc[0] if not latest.empty else None
        rows.append({
            t("service_col_group", lang): getattr(r, n),
            t("service_col_max", lang): fmt_num(r.max_points, lang, 0) if known else t("service_max_unknown", lang),
            t("service_col_latest", lang): fmt_num(score, lang),
            t("source", lang): str(r.source or ""),
        })
    return pd.DataFrame(rows)


def readings_view(model: ServiceModel, lang: str = "vi") -> pd.DataFrame:
    """The readings table for people: period, each group, total, band, change."""
    n = "name_en" if lang == "en" else "name_vi"
    names = {str(r.code): str(getattr(r, n)) for r in storage.records(model.groups)}
    tb = model.table
    out = pd.DataFrame({t("service_col_period", lang): [_label(p, lang) for p in tb["period"]]})
    for code, name in names.items():
        out[name] = [fmt_num(v, lang) for v in tb[code]] if code in tb.columns else ""
    out[t("service_col_total", lang)] = [fmt_num(v, lang) for v in tb["total"]]
    out[t("service_col_band", lang)] = [t(f"service_band_{b}", lang) for b in tb["band"]]
    out[t("service_col_change", lang)] = [fmt_num(v, lang) if not pd.isna(v) else "—" for v in tb["change"]]
    return out


def figure_data(model: ServiceModel, lang: str = "vi") -> tuple[list[str], list[tuple[str, list[float | None]]],
                                                                 list[float | None]]:
    """Periods, per-group scores and totals for :func:`pci_metrics.outputs.charts.service_figure`."""
    n = "name_en" if lang == "en" else "name_vi"
    tb = model.table
    periods = [_label(p, lang) for p in tb["period"]]
    groups = [(str(getattr(r, n)), [None if pd.isna(v) else float(v) for v in tb[str(r.code)]])
              for r in storage.records(model.groups)]
    totals = [None if pd.isna(v) else float(v) for v in tb["total"]]
    return periods, groups, totals
