"""What-if analysis of the PCI composite: simulate changes and value each sub-index.

The composite is ``PCI = Σ w_i · s_i / 10`` with sub-index scores ``s_i`` in 0–10
and weights ``w_i`` in percent summing to 100, so the maximum is 100 (the rule of
:mod:`pci_metrics.domain.composite`).  Ranks are among all provinces of one year,
1 = best, and equal composites share the best rank; composites closer than
``EPS`` (1e-9) count as equal, so that float noise from adding a change never
splits a genuine tie (:func:`pci_metrics.domain.composite.rank_of_value`).

Everything here is a pure function of plain DataFrames/dicts: ``scores`` is a
wide frame for one year (index = province_key, columns = sub-index codes, all
provinces of that year) and ``weights`` maps code -> percent (or is a
:class:`WeightScenario`, whose assumption label is then carried into the
result's notes so a PCI 2025 scenario is never shown unlabelled).

Weights and the PCI 2025 lineage are data: callers read them from the store
(``history.weights_for_year``, ``reference_db.load_lineage``; see :mod:`pci_metrics.views.scenarios`),
nothing here hard-codes a framework.  What it takes to reach a rank is in
:mod:`pci_metrics.domain.rank_plans`, the assumed PCI 2025 weights in
:mod:`pci_metrics.domain.scenario_weights`, the lineage scores in :mod:`pci_metrics.domain.lineage`.

Messages meant for users are in Vietnamese and English (see :class:`Note`).

>>> scores = pd.DataFrame({"a": [8.0, 6.0], "b": [6.0, 9.0]}, index=["x", "y"])
>>> sim = simulate(scores, {"a": 50, "b": 50}, "x", {"b": 2})
>>> (sim.composite_before, sim.composite_after, sim.rank_before, sim.rank_after)
(70.0, 80.0, 2, 1)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

import pandas as pd

from pci_metrics.domain.composite import EPS, rank_of_value, weighted_sum, weighted_sums

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Note:
    """One remark for the user, in both languages: ``Note("Lưu ý", "Notice").text("en") == "Notice"``."""

    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        """The remark in ``lang`` ("vi" or "en")."""
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class WeightScenario:
    """Assumed weights for a framework whose official weights are unknown, with its label."""

    assumption: str
    weights: dict[str, float]
    label_vi: str
    label_en: str

    def label(self, lang: str = "vi") -> str:
        """The assumption label in ``lang`` ("vi" or "en")."""
        return self.label_vi if lang == "vi" else self.label_en


@dataclass(frozen=True)
class Simulation:
    """Outcome of :func:`simulate` for one province."""

    entity: str
    composite_before: float
    composite_after: float
    rank_before: int
    rank_after: int
    n_provinces: int
    applied: dict[str, float]  # code -> change actually applied, after clipping to 0–10
    notes: tuple[Note, ...] = ()

    @property
    def composite_delta(self) -> float:
        """Composite points gained (negative when lost)."""
        return self.composite_after - self.composite_before

    @property
    def places_gained(self) -> int:
        """Rank places gained (positive = moved up)."""
        return self.rank_before - self.rank_after

    def notes_in(self, lang: str = "vi") -> list[str]:
        """The notes as text in ``lang``."""
        return [n.text(lang) for n in self.notes]


# --------------------------------------------------------------------------- helpers


def resolve_weights(weights: Mapping[str, float] | WeightScenario) -> tuple[dict[str, float], list[Note]]:
    """Validate weights (finite, ≥ 0, sum 100) and pick up a scenario's label as a note."""
    notes: list[Note] = []
    if isinstance(weights, WeightScenario):
        notes.append(Note(weights.label_vi, weights.label_en))
        raw: Mapping[str, float] = weights.weights
    else:
        raw = weights
    ws = {str(k): float(v) for k, v in raw.items()}
    bad = [k for k, v in ws.items() if not math.isfinite(v) or v < 0]
    if bad:
        raise ValueError(
            f"Trọng số phải là số không âm: {', '.join(bad)} / Weights must be non-negative numbers: {', '.join(bad)}"
        )
    total = sum(ws.values())
    # Weights are percent of the composite; a wrong sum silently rescales every
    # composite, so it is refused rather than renormalised behind the user's back.
    if abs(total - 100.0) > 1e-6:
        raise ValueError(
            f"Tổng trọng số phải bằng 100 (đang là {total:g}) / Weights must sum to 100 (got {total:g})"
        )
    return ws, notes


def codes_error(what_vi: str, what_en: str, valid: Iterable[str]) -> ValueError:
    """A bilingual error that lists the valid codes."""
    codes = ", ".join(valid)
    return ValueError(f"{what_vi}. Mã hợp lệ: {codes} / {what_en}. Valid codes: {codes}")


def check_frame(scores: pd.DataFrame, ws: Mapping[str, float], entity: str | None = None) -> None:
    """Refuse a scores frame the simulation cannot use (duplicates, missing or non-numeric weighted
    columns, an unknown province), with the reason in both languages."""
    if not scores.index.is_unique:
        dup = sorted({str(k) for k in scores.index[scores.index.duplicated()]})
        raise ValueError(
            f"Mỗi tỉnh chỉ được một dòng; trùng: {', '.join(dup)} / "
            f"Each province must appear once; duplicated: {', '.join(dup)}"
        )
    missing = [c for c, w in ws.items() if w > 0 and c not in scores.columns]
    if missing:
        raise codes_error(
            f"Thiếu cột điểm cho chỉ số có trọng số: {', '.join(missing)}",
            f"Missing score columns for weighted sub-indices: {', '.join(missing)}",
            [str(c) for c in scores.columns],
        )
    not_numeric = [c for c, w in ws.items() if w > 0 and not pd.api.types.is_numeric_dtype(scores[c])]
    if not_numeric:
        raise ValueError(
            f"Cột điểm phải là số: {', '.join(not_numeric)} / Score columns must be numeric: {', '.join(not_numeric)}"
        )
    if entity is not None and entity not in scores.index:
        raise ValueError(
            f'Không có tỉnh "{entity}" trong dữ liệu năm này / No province "{entity}" in this year\'s data'
        )


def row_dict(row: pd.Series) -> dict[str, float]:
    """One province's numeric scores as a dict."""
    # Non-numeric columns (e.g. a province name left in the frame) are dropped:
    # they can be neither weighted (checked in check_frame) nor changed.
    out: dict[str, float] = {}
    for k, v in row.items():
        try:
            out[str(k)] = float(v)
        except (TypeError, ValueError):
            continue
    return out


def entity_composite(comps: pd.Series, entity: str) -> float:
    """The province's composite; an error when a weighted score is missing."""
    c = float(comps[entity])
    if math.isnan(c):
        raise ValueError(
            f'Tỉnh "{entity}" thiếu điểm của một chỉ số có trọng số nên không tính được điểm tổng hợp / '
            f'Province "{entity}" lacks a weighted sub-index score, so its composite cannot be computed'
        )
    return c


def ranked_others(comps: pd.Series, entity: str, notes: list[Note]) -> pd.Series:
    """The other provinces' composites that can be ranked (a note names those that cannot)."""
    others = comps.drop(index=entity)
    dropped = [str(k) for k in others.index[others.isna()]]
    if dropped:
        # A province without a composite cannot be ranked; say so rather than guess.
        notes.append(Note(
            f"Không xếp hạng (thiếu điểm): {', '.join(dropped)}",
            f"Not ranked (missing scores): {', '.join(dropped)}",
        ))
    return others.dropna()


# --------------------------------------------------------------------------- 1. composite


def composite(scores_row: Mapping[str, float] | pd.Series, weights: Mapping[str, float] | WeightScenario) -> float:
    """Weighted composite Σ w·s/10 (:func:`pci_metrics.domain.composite.weighted_sum`), with a
    bilingual error when a weighted sub-index has no column at all.

    A NaN score on a weighted sub-index gives NaN (the composite is undefined);
    sub-indices with weight 0 or absent from ``weights`` are ignored.

    >>> composite({"a": 8, "b": 6}, {"a": 50, "b": 50})
    70.0
    """
    ws = weights.weights if isinstance(weights, WeightScenario) else weights
    for code, w in ws.items():
        if w != 0 and code not in scores_row:
            raise codes_error(
                f"Thiếu điểm chỉ số {code}", f"Missing score for sub-index {code}", [str(c) for c in scores_row]
            )
    return weighted_sum(cast(Mapping[str, float], scores_row), ws)


def composites(scores: pd.DataFrame, weights: Mapping[str, float] | WeightScenario) -> pd.Series:
    """Every province's composite (NaN where a weighted score is missing): x=(8,6), y=(6,9) at 50/50 → 70, 75.

    >>> composites(pd.DataFrame({"a": [8.0, 6.0], "b": [6.0, 9.0]}, index=["x", "y"]), {"a": 50, "b": 50}).to_dict()
    {'x': 70.0, 'y': 75.0}
    """
    ws, _ = resolve_weights(weights)
    check_frame(scores, ws)
    return weighted_sums(scores, ws)


# --------------------------------------------------------------------------- 2. simulate


def apply_changes(
    row: Mapping[str, float],
    weights: Mapping[str, float] | WeightScenario,
    changes: Mapping[str, float],
) -> tuple[dict[str, float], dict[str, float], list[Note]]:
    """Add changes to one row of scores, clipped to 0–10: 8.0 + 5 → 10.0, applied +2.0.

    Returns (new row, change actually applied per code, notes for the user).

    >>> new, applied, notes = apply_changes({"a": 8.0, "b": 6.0}, {"a": 50, "b": 50}, {"a": 5})
    >>> new, applied, notes[0].en
    ({'a': 10.0, 'b': 6.0}, {'a': 2.0}, 'a: 8.00 +5.00 leaves the 0–10 scale, clipped to 10.00')
    """
    ws = weights.weights if isinstance(weights, WeightScenario) else weights
    new_row = {str(k): float(v) for k, v in row.items()}
    applied: dict[str, float] = {}
    notes: list[Note] = []
    for code, delta in changes.items():
        if code not in new_row:
            raise codes_error(f"Không có chỉ số {code}", f"Unknown sub-index {code}", list(new_row))
        delta = float(delta)
        if not math.isfinite(delta):
            raise ValueError(f"Mức thay đổi của {code} phải là số hữu hạn / The change for {code} must be a finite number")
        old = new_row[code]
        if math.isnan(old):
            # Only reachable for an unweighted sub-index (a weighted NaN has no composite at all).
            notes.append(Note(f"{code}: không có điểm, bỏ qua thay đổi", f"{code}: no score, change ignored"))
            applied[code] = 0.0
            continue
        new = min(10.0, max(0.0, old + delta))
        if new != old + delta:
            notes.append(Note(
                f"{code}: {old:.2f} {delta:+.2f} vượt thang 0–10, giữ ở {new:.2f}",
                f"{code}: {old:.2f} {delta:+.2f} leaves the 0–10 scale, clipped to {new:.2f}",
            ))
            applied[code] = new - old
        else:
            applied[code] = delta  # keep the user's number exactly (new - old would add float noise)
        new_row[code] = new
        if float(ws.get(code, 0.0) or 0.0) == 0.0 and delta != 0:
            notes.append(Note(
                f"{code} không có trọng số nên không đổi điểm tổng hợp",
                f"{code} has no weight, so the composite does not change",
            ))
    return new_row, applied, notes


def simulate(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | WeightScenario,
    entity: str,
    changes: Mapping[str, float],
) -> Simulation:
    """Apply additive sub-index changes to one province and re-rank: ``+0.5`` transparency at weight 20 → +1.00.

    Every other province keeps its scores and its composite is recomputed with
    the same weights, so before/after ranks compare like with like (the
    published composite is not mixed in).  New scores are clipped to 0–10.

    >>> s = pd.DataFrame({"a": [8.0, 6.0], "b": [6.0, 9.0]}, index=["x", "y"])
    >>> simulate(s, {"a": 50, "b": 50}, "x", {"a": 5}).applied
    {'a': 2.0}
    """
    ws, notes = resolve_weights(weights)
    check_frame(scores, ws, entity)
    comps = weighted_sums(scores, ws)
    before = entity_composite(comps, entity)
    others = ranked_others(comps, entity, notes).to_numpy(dtype=float)

    row, applied, change_notes = apply_changes(row_dict(cast(pd.Series, scores.loc[entity])), ws, changes)
    after = composite(row, ws)
    return Simulation(
        entity=entity,
        composite_before=before,
        composite_after=after,
        rank_before=rank_of_value(before, others),
        rank_after=rank_of_value(after, others),
        n_provinces=len(others) + 1,
        applied=applied,
        notes=tuple(notes + change_notes),
    )


# --------------------------------------------------------------------------- 3. parse_change

_CHANGE_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*$")


def parse_change(text: str, valid_codes: Iterable[str]) -> tuple[str, float]:
    """Parse a CLI change like ``transparency=+0.5``: ``parse_change("labor=-0.2", ["labor"]) == ("labor", -0.2)``.

    A decimal comma is accepted ("0,5", as typed in Vietnamese).  ``valid_codes``
    are the sub-index codes of the framework in use (from the database).

    >>> parse_change("transparency=+0.5", ["transparency", "labor"])
    ('transparency', 0.5)
    """
    valid = tuple(valid_codes)
    m = _CHANGE_RE.match(text or "")
    if not m:
        raise codes_error(
            f'Không hiểu "{text}": cần dạng mã=số, ví dụ transparency=+0.5',
            f'Cannot read "{text}": expected code=number, e.g. transparency=+0.5',
            valid,
        )
    code = m.group(1).lower()
    if code not in valid:
        raise codes_error(f'Không có chỉ số "{m.group(1)}"', f'Unknown sub-index "{m.group(1)}"', valid)
    value = float(m.group(2).replace(",", "."))
    # A change beyond ±10 cannot be meant: the whole scale is 0–10.
    if abs(value) > 10:
        raise ValueError(
            f"Mức thay đổi {value:g} vượt quá ±10 điểm của thang 0–10 / "
            f"A change of {value:g} exceeds ±10, the whole 0–10 scale"
        )
    return code, value


# --------------------------------------------------------------------------- 4. marginal values


def marginal_values(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | WeightScenario,
    entity: str,
    gap_fraction: float = 0.5,
) -> pd.DataFrame:
    """Composite points each sub-index can yield, best first: weight 20, gap 1.0, half closed → 1.0 point.

    Columns: code, weight, score, best_score, best_province (ties joined by
    ", "), gap (to the year's best, ≥ 0), points_per_point (= weight/10) and
    points_closing_gap (= points_per_point · gap · gap_fraction), sorted by the
    latter descending (then weight, then code) so the cheapest realistic wins
    come first.  Unweighted sub-indices are left out.

    >>> s = pd.DataFrame({"a": [6.0, 7.0], "b": [5.0, 9.0]}, index=["x", "y"])
    >>> marginal_values(s, {"a": 80, "b": 20}, "x")[["code", "points_closing_gap"]].to_dict("records")
    [{'code': 'a', 'points_closing_gap': 4.0}, {'code': 'b', 'points_closing_gap': 4.0}]
    """
    ws, _ = resolve_weights(weights)
    check_frame(scores, ws, entity)
    if not 0.0 <= gap_fraction <= 1.0:
        raise ValueError(
            f"gap_fraction phải trong [0, 1] (đang là {gap_fraction}) / gap_fraction must be in [0, 1] (got {gap_fraction})"
        )
    rows = []
    for code, w in ws.items():
        if w == 0:
            continue
        col = scores[code].astype(float)
        best = float(col.max())  # NaN-skipping: a missing score is not a benchmark
        leaders = sorted(str(k) for k in col.index[col >= best - EPS])
        score = float(col[entity])
        gap = max(0.0, best - score)
        rows.append({
            "code": code,
            "weight": w,
            "score": score,
            "best_score": best,
            "best_province": ", ".join(leaders),
            "gap": gap,
            "points_per_point": w / 10.0,
            "points_closing_gap": w / 10.0 * gap * gap_fraction,
        })
    df = pd.DataFrame(rows, columns=[
        "code", "weight", "score", "best_score", "best_province", "gap", "points_per_point", "points_closing_gap",
    ])
    df = df.sort_values(["points_closing_gap", "weight", "code"], ascending=[False, False, True], kind="stable")
    return df.reset_index(drop=True)
