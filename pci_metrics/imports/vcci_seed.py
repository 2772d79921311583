"""The indicator seed files, regenerated from VCCI's 2017 and 2018 workbooks.

``python -m pci_metrics.imports.vcci_seed [out_dir]`` rewrites ``indicator_catalogue.csv`` and
``indicators_2017_2018.csv`` (``data/seed`` by default) from the workbooks copied into the repo.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pci_metrics.base.paths import ROOT
from pci_metrics.imports.vcci import VcciResult, read_vcci_workbook
from pci_metrics.imports.vcci_layout import IMPLEMENTATION_2005, SUBINDEX_CODES

DEFAULT_SOURCE_DIRS = (  # the workbooks as published, copied into the repo for tests
    ROOT / "tests" / "fixtures" / "vcci",
    Path("/work/shared/data/vcci"),
)


def indicator_tables(results: Sequence[tuple[VcciResult, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(catalogue, values) seed tables from read workbooks given as (result, file name).

    >>> cat, vals = indicator_tables([])
    >>> list(cat.columns), list(vals.columns)
    (['framework_id', 'subindex', 'indicator_code', 'label_vi', 'label_en', 'sort_order'], ['year', 'province_key', 'indicator_code', 'value', 'source'])
    """
    values = []
    labels: dict[tuple[str, str], list[str]] = {}
    order: dict[tuple[str, str], int] = {}
    for result, name in sorted(results, key=lambda x: x[0].year):
        ind = result.indicators
        sheet_of = result.indicator_sheets
        for (sub, code), group in ind.groupby(["subindex", "indicator_code"], sort=False):
            key = (str(sub), str(code))
            labels.setdefault(key, []).append(str(group.label.iloc[0]))
            order.setdefault(key, len(order))
        frame = ind[["province_key", "indicator_code", "value"]].copy()
        frame.insert(0, "year", result.year)
        frame["source"] = [f"VCCI PCI {result.year} workbook ({name}), sheet {sheet_of.get(s, '?')}"
                           for s in ind.subindex]
        values.append(frame)
    rank = {c: i for i, c in enumerate((*SUBINDEX_CODES, IMPLEMENTATION_2005))}
    keys = sorted(order, key=lambda k: (rank.get(k[0], 99), order[k]))
    catalogue = pd.DataFrame(
        [("pci2013", s, c, "", _best_label(labels[(s, c)]), i) for i, (s, c) in enumerate(keys, start=1)],
        columns=["framework_id", "subindex", "indicator_code", "label_vi", "label_en", "sort_order"])
    cols = ["year", "province_key", "indicator_code", "value", "source"]
    vals = pd.concat(values, ignore_index=True) if values else pd.DataFrame(columns=cols)
    return catalogue, vals[cols]


def _best_label(labels: list[str]) -> str:
    """The latest label, unless it is a cut-off copy of an earlier, longer one.

    >>> _best_label(["Predictable (% Usually or Always)", "Predictable (% Usually or Alway"])
    'Predictable (% Usually or Always)'
    """
    latest = labels[-1]
    for earlier in labels[:-1]:
        if len(earlier) > len(latest) and earlier.startswith(latest):
            return earlier
    return latest


def write_indicator_seed(out_dir: str | Path, source_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Regenerate ``indicator_catalogue.csv`` and ``indicators_2017_2018.csv`` in ``out_dir``.

    >>> write_indicator_seed("data/seed")  # doctest: +SKIP
    (PosixPath('data/seed/indicator_catalogue.csv'), PosixPath('data/seed/indicators_2017_2018.csv'))
    """
    # Load inputs.
    src = Path(source_dir) if source_dir else next(d for d in DEFAULT_SOURCE_DIRS if d.exists())
    results = [(read_vcci_workbook(src / f"pci_{y}.xlsx"), f"pci_{y}.xlsx") for y in (2017, 2018)]

    # Process data.
    catalogue, values = indicator_tables(results)
    assert len(catalogue) == 128, f"PCI 2017-2018 have 128 indicators, found {len(catalogue)}"

    # Save outputs.
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cat_path, val_path = out / "indicator_catalogue.csv", out / "indicators_2017_2018.csv"
    catalogue.to_csv(cat_path, index=False, lineterminator="\n")
    values.to_csv(val_path, index=False, lineterminator="\n", float_format="%.10g")
    return cat_path, val_path


if __name__ == "__main__":  # python -m pci_metrics.imports.vcci_seed [out_dir]
    print(*write_indicator_seed(sys.argv[1] if len(sys.argv) > 1 else "data/seed"), sep="\n")
