"""The citizen and business service index (Decision 766/QĐ-TTg): its facts, periods and bands.

Facts used (docs/domain.md): five groups, 100 points. Known maxima: Công khai, minh bạch 18;
Tiến độ, kết quả giải quyết 20; Mức độ hài lòng 18. Số hóa hồ sơ and Cung cấp dịch vụ trực tuyến
together 44, each unknown (each group has 18–22 points). Bands: 90–100 *xuất sắc*, under 50
*yếu*; the bands in between are not known, so a total from 50 to under 90 has an unknown band.
A period's total is only computed when all five groups have a score (a partial sum is not a total).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pci_metrics.base.cells import cell_text, fold
from pci_metrics.base.i18n import t
from pci_metrics.domain.periods import parse_period, period_label

WARD = "hongbang"
TOTAL_POINTS = 100.0
PAIR = ("digitisation", "online")  # the two groups whose maxima are unknown; together 44 points
PAIR_POINTS = 44.0
GROUP_MAX_RANGE = (18.0, 22.0)


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


def period_text(period: str, lang: str) -> str:
    """A service-index period for people: a month, a quarter (the fourth included) or a year.

    >>> period_text("2026-03", "vi"), period_text("2026-Q4", "en"), period_text("2026", "vi")
    ('Tháng 3/2026', 'Q4 2026', 'Năm 2026')
    """
    if re.match(r"^\d{4}-\d{2}$", period):
        year, month = period.split("-")
        return t("service_month", lang, month=int(month), year=year)
    return period_label(period, lang) if period.partition("-Q")[2] != "4" else t("tasks_period_quarter", lang, q=4,
                                                                                  year=period[:4])
