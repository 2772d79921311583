"""Assumed PCI 2025 weights: VCCI has not published them, so every result using them carries
the assumption's label (a :class:`~pci_metrics.domain.whatif.WeightScenario`)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from pci_metrics.base.choices import SCENARIO_ASSUMPTIONS as SCENARIO_ASSUMPTIONS
from pci_metrics.domain.whatif import WeightScenario, codes_error

_UNPUBLISHED_VI, _UNPUBLISHED_EN = "PCI 2025 chưa công bố trọng số", "PCI 2025 weights not yet published"


def _equal(codes: list[str]) -> WeightScenario:
    return WeightScenario(
        "equal", {c: 100.0 / len(codes) for c in codes},
        f"Giả định: trọng số bằng nhau ({_UNPUBLISHED_VI})",
        f"Assumption: equal weights ({_UNPUBLISHED_EN})",
    )


def _inherited(lineage: Mapping[str, Sequence[str]], classic_weights: Mapping[str, float | None]) -> dict[str, float]:
    """Each new sub-index's summed classic weight (a classic code continued by several new ones
    splits its weight evenly), before renormalising."""
    cw = {k: float(v) for k, v in classic_weights.items() if v is not None and not math.isnan(float(v))}
    uses = Counter(old for c in lineage for old in lineage[c])
    raw: dict[str, float] = {}
    for c in lineage:
        olds = list(lineage[c])
        if not olds:
            raise ValueError(
                f"{c} không kế thừa chỉ số cổ điển nào nên không suy ra được trọng số / "
                f"{c} continues no classic sub-index, so no weight can be derived"
            )
        unknown = [o for o in olds if o not in cw]
        if unknown:
            raise codes_error(
                f"Không có trọng số 2022 cho {', '.join(unknown)}",
                f"No 2022 weight for {', '.join(unknown)}",
                list(cw),
            )
        raw[c] = sum(float(cw[o]) / uses[o] for o in olds)
    return raw


def scenario_weights(
    assumption: str,
    lineage: Mapping[str, Sequence[str]],
    classic_weights: Mapping[str, float | None] | None = None,
) -> WeightScenario:
    """Assumed PCI 2025 weights, labelled: ``scenario_weights("equal", {"n1": ["a"], "n2": ["b"]})`` → 50/50.

    - "equal": each new sub-index gets 100/n.
    - "lineage_2022": each new sub-index gets the summed 2022 weight of the
      classic sub-indices it continues (``classic_weights``: the weights of
      the framework in force in 2022, read from the database), renormalised
      to 100 over the new sub-indices.  A classic code continued by several
      new sub-indices splits its weight evenly between them (so no weight is
      counted twice).

    >>> sc = scenario_weights("lineage_2022", {"n1": ["a"], "n2": ["b", "c"]}, {"a": 10, "b": 15, "c": 25, "d": 50})
    >>> sc.weights, sc.label_en.startswith("Assumption")
    ({'n1': 20.0, 'n2': 80.0}, True)
    """
    if assumption not in SCENARIO_ASSUMPTIONS:
        raise ValueError(
            f'Không có giả định "{assumption}"; chọn: {", ".join(SCENARIO_ASSUMPTIONS)} / '
            f'Unknown assumption "{assumption}"; choose: {", ".join(SCENARIO_ASSUMPTIONS)}'
        )
    codes = list(lineage)
    if not codes:
        raise ValueError("Danh sách chỉ số mới rỗng / The lineage has no new sub-indices")
    if assumption == "equal":
        return _equal(codes)
    if classic_weights is None:
        raise ValueError("Cần trọng số PCI 2022 cho giả định lineage_2022 / "
                         "The lineage_2022 assumption needs the PCI 2022 weights")
    raw = _inherited(lineage, classic_weights)
    total = sum(raw.values())
    if total <= 0:
        raise ValueError("Tổng trọng số kế thừa bằng 0 / The inherited weights sum to 0")
    return WeightScenario(
        assumption, {c: v * 100.0 / total for c, v in raw.items()},
        "Giả định: trọng số theo các chỉ số PCI 2022 mà mỗi chỉ số mới kế thừa, chuẩn hóa lại về 100 "
        f"({_UNPUBLISHED_VI})",
        "Assumption: weights of the PCI 2022 sub-indices each new one continues, renormalised to 100 "
        f"({_UNPUBLISHED_EN})",
    )
