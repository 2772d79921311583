"""The tile-grid map's layouts: one equal square per province, placed like Vietnam (no boundary
file, no licence question). ``data/seed/tile_grid_63.csv`` holds the 63 provinces (to 2024),
``data/seed/tile_grid_34.csv`` the 34 units of 2025 (Nghị quyết 202/2025/QH15); each row is a key,
its row (0 = north) and column (0 = west), and a short label for the tile.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from pci_metrics.base.paths import SEED_DIR

GRIDS = (63, 34)
FIRST_YEAR_34 = 2025  # the year the 34 units replace the 63 provinces


@lru_cache(maxsize=2)
def _read(units: int) -> pd.DataFrame:
    # keep_default_na=False: Nghệ An's label "NA" is a label, not a missing value
    return pd.read_csv(SEED_DIR / f"tile_grid_{units}.csv", dtype={"key": str, "label": str}, keep_default_na=False)


def grid(units: int) -> pd.DataFrame:
    """The layout of 63 or 34 units: key, row, col, label.

    >>> g = grid(63); len(g), g["key"].is_unique, g[g["key"] == "haiphong"][["row", "col"]].values.tolist()
    (63, True, [[3, 6]])
    """
    if units not in GRIDS:
        raise ValueError(f"no tile grid of {units} units")
    return _read(units).copy()


def grid_for_year(year: int) -> int:
    """Which layout a year is drawn on: the 34 units from 2025, the 63 provinces before.

    >>> grid_for_year(2024), grid_for_year(2025)
    (63, 34)
    """
    return 34 if year >= FIRST_YEAR_34 else 63
