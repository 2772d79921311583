"""Projection to the target year: known series give known projections and bands; a break or too few
years give no projection and say why, in both languages."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pci_metrics.domain.projection import project
from pci_metrics.views import projection

FRAMEWORKS = pd.DataFrame({"framework_id": ["old", "new"], "name_vi": ["PCI cũ", "PCI mới"],
                           "name_en": ["old PCI", "new PCI"], "year_from": [2013, 2020], "year_to": [2019, None]})


def series(values: list[float], first: int = 2016, fw: str = "old", ranks: list[int] | None = None) -> pd.DataFrame:
    years = list(range(first, first + len(values)))
    return pd.DataFrame({"year": years, "value": values, "rank": ranks or [None] * len(values),
                         "rank_of": [63] * len(values), "framework_id": [fw] * len(values)})


def test_a_straight_line_is_projected_exactly_with_no_band() -> None:
    p = project(series([60.0, 62.0, 64.0, 66.0]), target_year=2019 + 2, target_framework="old", target=71.0)
    assert (p.value, p.low, p.high, p.status, p.years) == (70.0, 70.0, 70.0, "accelerate", [2016, 2017, 2018, 2019])


def test_a_noisy_series_gives_the_theil_sen_value_and_the_residual_band() -> None:
    # slopes between pairs of (0,5) (1,6) (2,6) (3,7): 1, .5, 2/3, 0, .5, 1 → median 7/12; intercept: median of
    # the residual levels 5, 6−7/12, 6−14/12, 7−21/12 → 5.125; at x=5: 5.125 + 35/12 = 8.0416…
    p = project(series([5.0, 6.0, 6.0, 7.0]), target_year=2021, target_framework="old", target=8.0,
                bounds=(0.0, 10.0))
    assert p.slope == pytest.approx(7 / 12) and p.value == pytest.approx(5.125 + 35 / 12)
    # residuals ±1/8 and ±7/24: Σr² = 29/144, sd² = 29/288; x̄ = 1.5, Σ(x−x̄)² = 5, (5−1.5)²/5 = 2.45
    half = 2 * math.sqrt(29 / 288) * math.sqrt(1 + 1 / 4 + 2.45)
    assert (p.low, p.high) == (pytest.approx(p.value - half), pytest.approx(p.value + half))
    assert p.status == "on_course"


def test_the_band_stays_inside_the_scale() -> None:
    p = project(series([8.0, 9.0, 9.5, 9.9]), target_year=2024, target_framework="old", target=None, bounds=(0, 10))
    assert p.value == 10.0 and p.high == 10.0 and p.status == "no_target"


def test_a_rank_target_projects_the_rank_series() -> None:
    mp = projection.measure_projection(series([0.0] * 4, ranks=[20, 16, 12, 8]),
                                       {"year": 2019, "target_score": None, "target_rank": 5}, FRAMEWORKS, None,
                                       composite=True)
    assert mp is not None and mp.projection.kind == "rank" and mp.projection.value == pytest.approx(8.0)
    assert mp.projection.status == "accelerate"
    assert projection.projection_text(mp, "X", "vi") == (
        "Dự báo X năm 2019 theo tốc độ 2016–2019: hạng 8 (khoảng hạng 8–8). Đánh giá: ■ Cần tăng tốc.")


NOT_ENOUGH = [
    pytest.param(series([60.0, 62.0, 64.0, 66.0]), "break", (
        "Dự báo X năm 2021: chưa đủ số liệu để dự báo. Năm 2021 tính theo phương pháp PCI mới, mới có 0 năm số "
        "liệu theo phương pháp này (cần ít nhất 4); số liệu theo phương pháp trước không được nối sang. Dự báo sẽ "
        "tự có khi đủ 4 năm số liệu theo phương pháp PCI mới.",
        "Projection of X for 2021: not enough data to project. 2021 follows the new PCI methodology, which has 0 "
        "years of figures so far (at least 4 are needed); figures under the earlier methodology are not carried "
        "across. A projection will appear by itself once new PCI has 4 years of figures."), id="break"),
    pytest.param(pd.concat([series([60.0, 62.0, 64.0, 66.0]), series([70.0, 71.0], 2020, "new")]), "few_points", (
        "Dự báo X năm 2021: chưa đủ số liệu để dự báo. Mới có 2 năm số liệu theo phương pháp PCI mới (cần ít nhất 4). "
        "Dự báo sẽ tự có khi đủ 4 năm số liệu theo phương pháp PCI mới.",
        "Projection of X for 2021: not enough data to project. The new PCI methodology has 2 years of figures so far "
        "(at least 4 are needed). A projection will appear by itself once new PCI has 4 years of figures."),
        id="too-few-points"),
    pytest.param(series([]), "no_data", ("Dự báo X năm 2021: chưa đủ số liệu để dự báo (chưa có số liệu).",
                                         "Projection of X for 2021: not enough data to project (no figures yet)."),
                 id="no-data"),
]


@pytest.mark.parametrize(("frame", "reason", "expected"), NOT_ENOUGH)
def test_a_break_or_too_few_points_gives_no_projection_and_says_why(frame: pd.DataFrame, reason: str,
                                                                    expected: tuple[str, str]) -> None:
    mp = projection.measure_projection(frame, {"year": 2021, "target_score": 70.0, "target_rank": None}, FRAMEWORKS,
                                       None, composite=True)
    assert mp is not None
    assert (mp.projection.status, mp.projection.reason, mp.projection.value) == ("not_enough", reason, None)
    for lg, want in zip(("vi", "en"), expected, strict=True):
        assert projection.projection_text(mp, "X", lg) == want


def test_without_a_target_the_plan_end_is_projected_to_and_without_either_nothing_is() -> None:
    plan = pd.DataFrame({"year_to": [2019]})
    mp = projection.measure_projection(series([60.0, 62.0, 64.0, 66.0]), None, FRAMEWORKS, projection.plan_end(plan),
                                       composite=True)
    assert mp is not None and mp.projection.target_year == 2019 and mp.projection.status == "no_target"
    assert projection.measure_projection(series([60.0]), None, FRAMEWORKS, None, composite=True) is None
