"""Build the database from the versioned seed files in ``data/seed``.

# Load inputs: the seed CSVs (derived from VCCI's files and public sources, a source per row).
# Process data: shape them into the store's tables; benchmarks 2005–2019 are derived here.
# Save outputs: one transaction; a failed build leaves no half-built file behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from pci_metrics.base.paths import SEED_DIR
from pci_metrics.domain.composite import rank_min
from pci_metrics.domain.trends import framework_of
from pci_metrics.store import schema, storage, tables_db
from pci_metrics.store.storage import records

CLASSIC_CODES = ("entry", "land", "transparency", "time", "informal", "policy_bias",
                 "proactivity", "business_support", "labor", "legal")
TOP30_YEARS = (2023, 2024)
VCCI = "VCCI, Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)"


def _read(seed: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(seed / name, dtype=str, keep_default_na=False).replace({"": None})


def framework_for_year(frameworks: pd.DataFrame, year: int) -> str:
    """The framework in force in a year.

    >>> fw = pd.DataFrame({"framework_id": ["a", "b"], "year_from": [2006, 2009], "year_to": [2008, None]})
    >>> framework_for_year(fw, 2010)
    'b'
    """
    found = framework_of(frameworks, year)
    if found is not None:
        return found
    raise ValueError(f"no framework covers {year}")


def entity_frame(seed: Path) -> pd.DataFrame:
    """Nation, the 63 (+ Hà Tây) pre-2025 provinces, the 2025 units and phường Hồng Bàng."""
    p63 = _read(seed, "provinces_63_to_34.csv")
    p34 = _read(seed, "provinces_34_2025.csv")
    rows = [dict(entity_key="vietnam", level="nation", name_vi="Việt Nam", name_en="Viet Nam",
                 region=None, parent_key=None, valid_from=None, valid_to=None, successor_key=None,
                 source="—")]
    keys34 = set(p34["key"])
    for r in records(p63):
        merged = r.successor_2025_key != r.province_key
        rows.append(dict(
            entity_key=r.province_key, level="province", name_vi=r.name_vi, name_en=r.name_en,
            region=r.region, parent_key="vietnam", valid_from=None,
            valid_to="2025-06-30" if merged else None,
            successor_key=r.successor_2025_key if merged else None, source=r.source))
    rows.append(dict(entity_key="hatay", level="province", name_vi="Hà Tây", name_en="Ha Tay",
                     region="Đồng bằng sông Hồng", parent_key="vietnam", valid_from=None,
                     valid_to="2008-07-31", successor_key="hanoi",
                     source="Nghị quyết 15/2008/QH12 (Hà Tây hợp nhất vào Hà Nội từ 1/8/2008)"))
    old_keys = set(p63["province_key"])
    for r in records(p34):
        if r.key not in old_keys:
            rows.append(dict(entity_key=r.key, level="province", name_vi=r.name_vi, name_en=r.name_en,
                             region=None, parent_key="vietnam", valid_from="2025-07-01", valid_to=None,
                             successor_key=None, source=r.source))
    assert keys34 <= {r["entity_key"] for r in rows}, "every 2025 unit must be an entity"
    rows.append(dict(entity_key="hongbang", level="ward", name_vi="Phường Hồng Bàng",
                     name_en="Hồng Bàng ward", region=None, parent_key="haiphong",
                     valid_from="2025-07-01", valid_to=None, successor_key=None,
                     source="Nghị quyết 1669/NQ-UBTVQH15 (sắp xếp đơn vị hành chính cấp xã, Hải Phòng)"))
    frame = pd.DataFrame(rows)
    for col in ("valid_from", "valid_to"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


def _workbook_source(headline: pd.DataFrame, year: int) -> str:
    row = headline[headline["year"] == str(year)]
    detail = row["source"].iloc[0] if not row.empty else ""
    return f"{VCCI} {year}: bảng tính của VCCI / VCCI workbook ({detail})"


def province_scores(seed: Path, frameworks: pd.DataFrame, headline: pd.DataFrame) -> pd.DataFrame:
    """All province-years 2005–2019 in long format: composite and sub-indices, with ranks."""
    wide = pd.read_csv(seed / "pci_provinces_2005_2019.csv")
    rows = []
    for year, group in wide.groupby("year"):
        fw = framework_for_year(frameworks, int(year))
        source = _workbook_source(headline, int(year))
        n = len(group)
        official = group["rank_source"].str.startswith("official").all()
        for r in records(group):
            rows.append(dict(entity_key=r.province_key, year=int(year), framework_id=fw,
                             code="composite", value=float(r.weighted), rank=int(r.rank), rank_of=n,
                             provenance="published",
                             rank_provenance="published" if official else "derived", source=source))
        for code in (*CLASSIC_CODES, "implementation_2005"):
            values = group[code]
            if values.isna().all():
                continue  # not computed that year: absent, not zero
            ranks = rank_min(values)
            for key, value, rank in zip(group["province_key"], values, ranks, strict=True):
                if pd.isna(value):
                    continue
                rows.append(dict(entity_key=key, year=int(year), framework_id=fw, code=code,
                                 value=float(value), rank=int(rank), rank_of=int(values.notna().sum()),
                                 provenance="published", rank_provenance="derived", source=source))
    return pd.DataFrame(rows)


def recent_scores(seed: Path, frameworks: pd.DataFrame, headline: pd.DataFrame) -> pd.DataFrame:
    """2020–2024 figures: Hải Phòng's profile, Quảng Ninh, every published 2023/2024 figure, and VCCI's
    2021 table of the top 21 (every sub-index), 2022's top 10 and Hà Giang, 2024's Hà Nội."""
    rows: dict[tuple[str, int, str], dict[str, object]] = {}

    def put(key: str, year: int, code: str, value: str | None, rank: str | None, source: str) -> None:
        n = 63  # every pre-2025 year from 2009 ranks 63 provinces, even when only the top 30 were published
        rows[(key, year, code)] = dict(
            entity_key=key, year=year, framework_id=framework_for_year(frameworks, year), code=code,
            value=float(value) if value is not None else None,
            rank=int(rank) if rank is not None else None, rank_of=n if rank is not None else None,
            provenance="published", rank_provenance="published" if rank is not None else None,
            source=source)

    for r in records(headline):
        year = int(r.year)
        if year < 2020:
            continue
        put("quangninh", year, "composite", r.quang_ninh_score, r.quang_ninh_rank, r.source)
    hp = _read(seed, "hai_phong_pci_2005_2024.csv")
    for r in records(hp):
        year = int(r.year)
        if year < 2020:
            continue
        put("haiphong", year, "composite", r.weighted, r.rank, r.source)
        for code in CLASSIC_CODES:
            value = getattr(r, code)
            if value is not None:
                put("haiphong", year, code, value, None, r.source)
    published = _read(seed, "pci_2023_2024_published.csv")
    for r in records(published):
        code = "composite" if r.level == "composite" else r.subindex
        put(r.province_key, int(r.year), code, r.value, r.rank, r.source)
    # VCCI's all-province table of 2021 (ranks 1-21 with every sub-index), 2022's top 10 and more: a figure
    # already known from another source must agree with it (to the 2 decimals published), never replace it.
    for r in records(_read(seed, "pci_2021_2024_more_published.csv")):
        code = "composite" if r.level == "composite" else r.subindex
        known = rows.get((r.province_key, int(r.year), code))
        if known is not None:
            same_rank = r.rank is None or known["rank"] == int(float(r.rank))
            if known["value"] is None and same_rank:  # a rank known without its score: the score is now known
                known["value"], known["source"] = float(r.value), f"{known['source']}; {r.source}"
                continue
            same_value = known["value"] is not None and abs(float(str(known["value"])) - float(r.value)) < 0.005
            assert same_value and same_rank, f"{r.province_key} {r.year} {code}: {known['value']} vs {r.value}"
            continue
        put(r.province_key, int(r.year), code, r.value, None if r.rank is None else str(int(float(r.rank))), r.source)
    frame = pd.DataFrame(list(rows.values()))
    frame["rank"] = frame["rank"].astype("Int64")
    frame["rank_of"] = frame["rank_of"].astype("Int64")
    return frame


def benchmark_frame(scores: pd.DataFrame, headline: pd.DataFrame) -> pd.DataFrame:
    """Per year and measure: median, top score and province, top-10 cut-off, with provenance."""
    rows = []
    full = scores[scores["year"] <= 2019]
    for (year, code), group in full.groupby(["year", "code"]):
        ordered = group.sort_values("value", ascending=False)
        rows.append(dict(year=int(year), code=code, median=float(group["value"].median()),
                         median_kind="derived", top_score=float(ordered["value"].iloc[0]),
                         top_entity_key=ordered["entity_key"].iloc[0],
                         top10_cutoff=float(ordered["value"].iloc[9]) if len(ordered) >= 10 else None,
                         provenance="derived",
                         source=f"Tính từ điểm của tất cả các tỉnh năm {year} (bảng tính VCCI) / "
                                f"computed from all provinces' scores in {year} (VCCI workbook)"))
    recent = scores[(scores["year"] >= 2020) & (scores["code"] == "composite")]
    for r in records(headline):
        year = int(r.year)
        if year < 2020:
            continue
        ranked = recent[(recent["year"] == year) & recent["rank"].notna()].sort_values("rank")
        top10 = ranked[ranked["rank"] <= 10]
        cutoff = float(top10["value"].min()) if len(top10) == 10 and top10["value"].notna().all() else None
        top_key = {"Quang Ninh": "quangninh", "Hai Phong": "haiphong"}.get(r.top_province)
        kind = r.median_kind if r.median_score is not None else None
        rows.append(dict(year=year, code="composite",
                         median=float(r.median_score) if r.median_score is not None else None,
                         median_kind=kind, top_score=float(r.top_score) if r.top_score else None,
                         top_entity_key=top_key, top10_cutoff=cutoff,
                         provenance="derived" if (kind or "").startswith("DERIVED") else "published",
                         source=r.source))
    return pd.DataFrame(rows)


def year_info_frame(frameworks: pd.DataFrame, headline: pd.DataFrame) -> pd.DataFrame:
    """Per year: framework, number of provinces ranked, and whether only the top 30 were published."""
    rows = []
    for r in records(headline):
        year = int(r.year)
        top30 = year in TOP30_YEARS
        rows.append(dict(year=year, framework_id=framework_for_year(frameworks, year),
                         n_provinces=int(str(r.n_provinces).split()[0]),
                         published_scope="top30" if top30 else "all",
                         note=("VCCI chỉ công bố điểm và hạng của 30 địa phương đứng đầu / "
                               "VCCI published scores and ranks of the top 30 only") if top30 else None,
                         source=r.source))
    return pd.DataFrame(rows)


def _typed(frame: pd.DataFrame, **kinds: str) -> pd.DataFrame:
    """Seed columns (read as text) converted: "int", "Int64", "float", "bool" ("true") or "date".

    >>> _typed(pd.DataFrame({"n": ["1"], "ok": ["true"]}), n="int", ok="bool").dtypes.tolist()
    [dtype('int64'), dtype('bool')]
    """
    for column, kind in kinds.items():
        if kind == "bool":
            frame[column] = frame[column] == "true"
        elif kind == "date":
            frame[column] = pd.to_datetime(frame[column]).dt.date
        else:
            frame[column] = frame[column].astype(kind)
    return frame


def reference_tables(seed: Path, frameworks: pd.DataFrame, headline: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The reference data and the plan from the seed files, typed as the store's tables."""
    tables: dict[str, pd.DataFrame] = {
        "framework": frameworks,
        "subindex": _typed(_read(seed, "subindices.csv"), weight="float", sort_order="int"),
        "lineage": _read(seed, "lineage.csv"),
        "entity": entity_frame(seed), "year_info": year_info_frame(frameworks, headline),
        "plan": _typed(_read(seed, "plan.csv"), year_from="int", year_to="int"),
        "plan_priority": _typed(_read(seed, "plan_priorities.csv"), sort_order="int"),
        "unit": _typed(_read(seed, "units.csv"), is_focal="bool", retired_on="date"),
        "task": _typed(_read(seed, "tasks.csv"), deadline="date", retired_on="date"),
        "task_unit": _read(seed, "task_units.csv"),
        "report_calendar": _typed(_read(seed, "report_calendar.csv"), month="int", day="int"),
        "service_group": _typed(_read(seed, "service_groups.csv"), max_points="float", sort_order="int"),
    }
    if (seed / "targets.csv").exists():  # targets with a published source (analysts may change them)
        tables["target"] = _typed(_read(seed, "targets.csv"), year="int", target_score="float", target_rank="Int64")
    if (seed / "indicator_catalogue.csv").exists():
        tables["indicator"] = _typed(_read(seed, "indicator_catalogue.csv"), sort_order="int")
    return tables


def score_tables(seed: Path, frameworks: pd.DataFrame, headline: pd.DataFrame,
                 with_indicators: bool) -> dict[str, pd.DataFrame]:
    """Scores (checked: 0–100, one per key), their benchmarks and, with the catalogue, indicator values."""
    scores = pd.concat([province_scores(seed, frameworks, headline),
                        recent_scores(seed, frameworks, headline)], ignore_index=True)
    scores["rank"] = scores["rank"].astype("Int64")
    scores["rank_of"] = scores["rank_of"].astype("Int64")
    assert scores["value"].dropna().between(0, 100).all(), "scores must lie in 0–100"
    assert not scores.duplicated(["entity_key", "year", "code"]).any(), "one score per key"
    tables = {"score": scores, "benchmark": benchmark_frame(scores, headline)}
    values = seed / "indicators_2017_2018.csv"
    if values.exists() and with_indicators:
        iv = pd.read_csv(values).rename(columns={"province_key": "entity_key"})
        iv["framework_id"] = "pci2013"
        iv["provenance"] = "published"
        tables["indicator_value"] = iv[["entity_key", "year", "framework_id", "indicator_code",
                                        "value", "provenance", "source"]]
    return tables


def seed_tables(seed: Path = SEED_DIR, *, empty: bool = False) -> dict[str, pd.DataFrame]:
    """Every table's rows from the seed files (``empty``: reference data and plan, no scores)."""
    # Load inputs.
    frameworks = _typed(_read(seed, "frameworks.csv"), year_from="int", year_to="Int64", scale_max="float",
                        comparable="bool")
    headline = _read(seed, "pci_headline_2005_2024.csv")
    tables = reference_tables(seed, frameworks, headline)
    if empty:
        return tables
    # Process data.
    return tables | score_tables(seed, frameworks, headline, with_indicators="indicator" in tables)


def build_database(path: str | os.PathLike[str] | None = None, *, seed: Path = SEED_DIR,
                   empty: bool = False) -> dict[str, int]:
    """Create (or recreate) the database from the seed files; returns row counts."""
    target = storage.db_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tables = seed_tables(seed, empty=empty)
    tmp = target.with_name(target.name + ".building")
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        leftover.unlink(missing_ok=True)
    # Save outputs: build aside, then swap in, so a crash never leaves a half-built database.
    with storage.connect(tmp, create=True) as con:
        schema.migrate(con)
        with storage.transaction(con):
            for name, frame in tables.items():
                tables_db.replace_rows(con, name, frame)
        counts = tables_db.table_counts(con)
    Path(str(target) + ".wal").unlink(missing_ok=True)
    os.replace(tmp, target)
    return counts


def needs_build(path: str | os.PathLike[str] | None = None, seed: Path = SEED_DIR) -> bool:
    """True when the database is missing or older than any seed file."""
    target = storage.db_path(path)
    if not target.exists():
        return True
    newest_seed = max(f.stat().st_mtime for f in seed.glob("*.csv"))
    return target.stat().st_mtime < newest_seed
