"""Before an import writes scores: would the years it touches still hold one consistent ranking each?

The rules are :mod:`pci_metrics.domain.consistency` (the ones ``verify`` checks). They are judged on
the scores the touched years would have after the import — the stored rows, overwritten by the
file's — and only an inconsistency the import would *create* refuses it (a database already damaged
is for ``verify`` to report, not for every later import to trip over). Each refusal names the
cells of the file concerned and why.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.cells import is_blank
from pci_metrics.base.problems import Problem
from pci_metrics.domain.consistency import Issue, ranking_issues
from pci_metrics.imports.limits import problem
from pci_metrics.store import reference_db, scores_db

KEY = ["entity_key", "year", "code"]
COLUMNS = [*KEY, "value", "rank", "rank_of"]


def _provinces_per_year(con: duckdb.DuckDBPyConnection, year_info: pd.DataFrame | None) -> dict[int, int]:
    info = reference_db.load_year_info(con)
    if year_info is not None and not year_info.empty:
        info = pd.concat([info[~info["year"].isin(year_info["year"])], year_info], ignore_index=True)
    info = info.dropna(subset=["n_provinces"])
    return dict(zip(info["year"].astype(int), info["n_provinces"].astype(int), strict=True))


def after_import(stored: pd.DataFrame, new_rows: pd.DataFrame) -> pd.DataFrame:
    """The scores of the touched years once the import's rows (added or changed, full rows) are written.

    >>> stored = pd.DataFrame({"entity_key": ["a", "b"], "year": 2018, "code": "x", "value": [1.0, 2.0],
    ...                        "rank": [2, 1], "rank_of": [2, 2]})
    >>> new = pd.DataFrame({"entity_key": ["a"], "year": [2018], "code": ["x"], "value": [3.0], "rank": [1], "rank_of": [2]})
    >>> after_import(stored, new).sort_values("entity_key")["value"].tolist()
    [3.0, 2.0]
    """
    new = new_rows[COLUMNS]
    replaced = stored.set_index(KEY).index.isin(new.set_index(KEY).index)
    return pd.concat([stored.loc[~replaced, COLUMNS], new], ignore_index=True)


def ranking_problems(con: duckdb.DuckDBPyConnection, new_rows: pd.DataFrame,
                     year_info: pd.DataFrame | None = None) -> list[Problem]:
    """The refusals of an import whose score rows (``new_rows``: full rows added or changed, with the
    file's ``_sheet``/``_row``/``_column`` where known) would leave a touched year's ranking inconsistent."""
    if new_rows.empty:
        return []
    years = {int(y) for y in new_rows["year"].unique()}
    stored = pd.concat([scores_db.load_scores(con, year=y) for y in sorted(years)], ignore_index=True)
    stored = stored[COLUMNS] if not stored.empty else pd.DataFrame(columns=COLUMNS)
    n = _provinces_per_year(con, year_info)
    entities = reference_db.load_entities(con)
    names = dict(zip(entities["entity_key"].astype(str), entities["name_vi"].astype(str), strict=True))
    before = {i.key for i in ranking_issues(stored, n, years)} if not stored.empty else set()  # nothing stored: no issue
    after = ranking_issues(after_import(stored, new_rows), n, years, names=names)
    return [_refusal(issue, new_rows, names) for issue in after if issue.key not in before]


def _refusal(issue: Issue, new_rows: pd.DataFrame, names: dict[str, str]) -> Problem:
    """One problem per issue, placed at the file's cell of the first province concerned (if the file has it)."""
    mine = new_rows[(new_rows["year"] == issue.year) & (new_rows["code"] == issue.code)
                    & new_rows["entity_key"].isin(issue.entities)]
    at: dict[str, Any] = {}
    if not mine.empty:
        first = mine.iloc[0]
        at = {k: None if is_blank(first.get(f"_{k}")) else first.get(f"_{k}") for k in ("sheet", "row", "column")}
        at["row"] = None if at["row"] is None else int(at["row"])
    return problem("ranking_inconsistent",
                   f"một bảng xếp hạng nhất quán sau khi nhập — {issue.vi}; tệp chưa được nhập",
                   f"one consistent ranking after the import — {issue.en}; the file was not imported",
                   found=", ".join(names.get(k, k) for k in issue.entities[:8]) or None, **at)
