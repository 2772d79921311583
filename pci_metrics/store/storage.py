"""The only module that holds SQL: connect, migrate, read models, atomic writes.

Concurrency (see README "Locking"): nobody holds the DuckDB file open for long.
Every operation opens the file, does its work in one transaction and closes it.
Inside one process a lock serialises openings (DuckDB refuses a read-only and a
read-write connection to the same file at once in one process); across
processes an opening that finds the file locked retries for ``LOCK_WAIT_S``
seconds and then raises :class:`DatabaseBusy` with a clear message.

Values always travel as bound parameters; identifiers come only from the
constants in this module, never from user input.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pci_metrics.base.paths import DATA_DIR

DEFAULT_DB_PATH = DATA_DIR / "pci.duckdb"
LOCK_WAIT_S = float(os.environ.get("PCI_LOCK_WAIT_S", "10"))
_PROCESS_LOCK = threading.RLock()


class DatabaseBusy(RuntimeError):
    """Another process holds the database file; try again in a moment."""


class DatabaseMissing(RuntimeError):
    """The database file does not exist yet (run `make run` or `python -m pci_metrics build`)."""


class DatabaseCorrupt(RuntimeError):
    """The database file exists but cannot be read as a database: damaged, cut short, not a DuckDB
    file, or a folder. Nothing in the program can repair it: restore the latest backup (README
    "Backup and restore"). ``path`` is the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"Không đọc được cơ sở dữ liệu {path} (hỏng hoặc không phải tệp DuckDB) / "
                         f"Cannot read the database {path} (damaged or not a DuckDB file)")


def _unreadable(path: Path, exc: duckdb.Error) -> DatabaseCorrupt | None:
    """DuckDB's error as :class:`DatabaseCorrupt` when it says the file itself cannot be read (at
    opening, or on a later read past a cut-off end or through a bad block); None for any other error."""
    text = str(exc)
    damaged = ("not a valid DuckDB database file" in text or text.startswith("Corrupt database file")
               or (text.startswith("IO Error: Could not read") and str(path) in text))
    return DatabaseCorrupt(path) if damaged or path.is_dir() else None


def db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file to use: the argument, else ``PCI_DB_PATH``, else ``data/pci.duckdb``.

    >>> db_path("/tmp/x.duckdb").name
    'x.duckdb'
    """
    if path is not None:
        return Path(path)
    env = os.environ.get("PCI_DB_PATH")
    return Path(env) if env else DEFAULT_DB_PATH


# ---------------------------------------------------------------------------
# Schema and migrations
# ---------------------------------------------------------------------------

# Each entry migrates from version i to i+1. Never edit a released entry: add one.
MIGRATIONS: list[list[str]] = [
    # v1: the initial store
    [
        """CREATE TABLE framework (
            framework_id VARCHAR PRIMARY KEY, name_vi VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
            year_from INTEGER NOT NULL, year_to INTEGER, scale_max DOUBLE NOT NULL,
            comparable BOOLEAN NOT NULL, basis VARCHAR NOT NULL)""",
        """CREATE TABLE subindex (
            framework_id VARCHAR NOT NULL, code VARCHAR NOT NULL, name_vi VARCHAR NOT NULL,
            name_en VARCHAR NOT NULL, weight DOUBLE, direction VARCHAR NOT NULL,
            sort_order INTEGER NOT NULL, PRIMARY KEY (framework_id, code))""",
        """CREATE TABLE indicator (
            framework_id VARCHAR NOT NULL, subindex VARCHAR NOT NULL, indicator_code VARCHAR NOT NULL,
            label_vi VARCHAR, label_en VARCHAR, sort_order INTEGER,
            PRIMARY KEY (framework_id, indicator_code))""",
        """CREATE TABLE lineage (
            framework_id VARCHAR NOT NULL, code VARCHAR NOT NULL, classic_code VARCHAR NOT NULL,
            author VARCHAR NOT NULL, note_vi VARCHAR, note_en VARCHAR,
            PRIMARY KEY (framework_id, code, classic_code))""",
        """CREATE TABLE entity (
            entity_key VARCHAR PRIMARY KEY, level VARCHAR NOT NULL, name_vi VARCHAR NOT NULL,
            name_en VARCHAR NOT NULL, region VARCHAR, parent_key VARCHAR,
            valid_from DATE, valid_to DATE, successor_key VARCHAR, source VARCHAR NOT NULL)""",
        """CREATE TABLE year_info (
            year INTEGER PRIMARY KEY, framework_id VARCHAR NOT NULL, n_provinces INTEGER,
            published_scope VARCHAR NOT NULL, note VARCHAR, source VARCHAR)""",
        """CREATE TABLE import_batch (
            batch_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
            kind VARCHAR NOT NULL, user_name VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
            added INTEGER NOT NULL DEFAULT 0, changed INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0, status VARCHAR NOT NULL, note VARCHAR)""",
        """CREATE TABLE score (
            entity_key VARCHAR NOT NULL, year INTEGER NOT NULL, framework_id VARCHAR NOT NULL,
            code VARCHAR NOT NULL, value DOUBLE, rank INTEGER, rank_of INTEGER,
            provenance VARCHAR NOT NULL, rank_provenance VARCHAR, source VARCHAR NOT NULL,
            batch_id INTEGER, PRIMARY KEY (entity_key, year, code),
            CHECK (provenance IN ('published', 'derived', 'entered')))""",
        """CREATE TABLE indicator_value (
            entity_key VARCHAR NOT NULL, year INTEGER NOT NULL, framework_id VARCHAR NOT NULL,
            indicator_code VARCHAR NOT NULL, value DOUBLE, provenance VARCHAR NOT NULL,
            source VARCHAR NOT NULL, batch_id INTEGER,
            PRIMARY KEY (entity_key, year, indicator_code))""",
        """CREATE TABLE benchmark (
            year INTEGER NOT NULL, code VARCHAR NOT NULL, median DOUBLE, median_kind VARCHAR,
            top_score DOUBLE, top_entity_key VARCHAR, top10_cutoff DOUBLE,
            provenance VARCHAR NOT NULL, source VARCHAR NOT NULL, PRIMARY KEY (year, code))""",
        """CREATE TABLE plan (
            plan_id VARCHAR PRIMARY KEY, issuer_vi VARCHAR NOT NULL, issuer_en VARCHAR NOT NULL,
            title_vi VARCHAR NOT NULL, title_en VARCHAR NOT NULL, entity_key VARCHAR NOT NULL,
            year_from INTEGER NOT NULL, year_to INTEGER NOT NULL, doc_ref VARCHAR,
            framework_id VARCHAR NOT NULL, source VARCHAR NOT NULL)""",
        """CREATE TABLE plan_priority (
            plan_id VARCHAR NOT NULL, framework_id VARCHAR NOT NULL, code VARCHAR NOT NULL,
            sort_order INTEGER NOT NULL, source VARCHAR NOT NULL, PRIMARY KEY (plan_id, code))""",
        """CREATE TABLE unit (
            unit_key VARCHAR PRIMARY KEY, plan_id VARCHAR NOT NULL, name_vi VARCHAR NOT NULL,
            name_en VARCHAR NOT NULL, short_vi VARCHAR, is_focal BOOLEAN NOT NULL, source VARCHAR)""",
        """CREATE TABLE task (
            task_id VARCHAR PRIMARY KEY, plan_id VARCHAR NOT NULL, title_vi VARCHAR NOT NULL,
            title_en VARCHAR, framework_id VARCHAR, code VARCHAR, deadline DATE,
            product_vi VARCHAR, authority_vi VARCHAR, source VARCHAR)""",
        """CREATE TABLE task_unit (
            task_id VARCHAR NOT NULL, unit_key VARCHAR NOT NULL, role VARCHAR NOT NULL,
            source VARCHAR, PRIMARY KEY (task_id, unit_key),
            CHECK (role IN ('lead', 'support')))""",
        """CREATE TABLE task_report (
            task_id VARCHAR NOT NULL, period VARCHAR NOT NULL, unit_key VARCHAR,
            status VARCHAR NOT NULL, progress DOUBLE, outcome VARCHAR, evidence VARCHAR,
            reported_by VARCHAR, reported_at TIMESTAMP, batch_id INTEGER,
            PRIMARY KEY (task_id, period))""",
        """CREATE TABLE report_calendar (
            plan_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, period_suffix VARCHAR,
            month INTEGER NOT NULL, day INTEGER NOT NULL, recipient_unit VARCHAR, source VARCHAR)""",
        """CREATE TABLE target (
            plan_id VARCHAR NOT NULL, entity_key VARCHAR NOT NULL, year INTEGER NOT NULL,
            framework_id VARCHAR NOT NULL, code VARCHAR NOT NULL, target_score DOUBLE,
            target_rank INTEGER, source VARCHAR NOT NULL, entered_by VARCHAR,
            entered_at TIMESTAMP, batch_id INTEGER, PRIMARY KEY (plan_id, entity_key, year, code))""",
        """CREATE TABLE service_group (
            code VARCHAR PRIMARY KEY, name_vi VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
            max_points DOUBLE, sort_order INTEGER NOT NULL, source VARCHAR)""",
        """CREATE TABLE service_reading (
            entity_key VARCHAR NOT NULL, period VARCHAR NOT NULL, group_code VARCHAR NOT NULL,
            score DOUBLE, source VARCHAR NOT NULL, batch_id INTEGER,
            PRIMARY KEY (entity_key, period, group_code))""",
        """CREATE TABLE batch_change (
            batch_id INTEGER NOT NULL, seq INTEGER NOT NULL, table_name VARCHAR NOT NULL,
            key_json VARCHAR NOT NULL, old_json VARCHAR, new_json VARCHAR,
            PRIMARY KEY (batch_id, seq))""",
    ],
    # v2: analysts' notes ("story behind the curve") and the audit log of every write
    [
        """CREATE TABLE year_note (
            entity_key VARCHAR NOT NULL, year INTEGER NOT NULL, code VARCHAR NOT NULL,
            text VARCHAR NOT NULL, author VARCHAR, created_at TIMESTAMP, batch_id INTEGER,
            PRIMARY KEY (entity_key, year, code))""",
        """CREATE TABLE audit_log (
            audit_id INTEGER PRIMARY KEY, at_time TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL,
            action VARCHAR NOT NULL, table_name VARCHAR, key_json VARCHAR, old_json VARCHAR,
            new_json VARCHAR, batch_id INTEGER)""",
        # the documented read views (the data contract in README)
        """CREATE OR REPLACE VIEW v_scores AS
            SELECT s.year, s.entity_key, e.name_vi AS entity_vi, e.name_en AS entity_en,
                   s.framework_id, s.code,
                   COALESCE(si.name_vi, CASE WHEN s.code = 'composite' THEN 'Điểm tổng hợp' END) AS name_vi,
                   COALESCE(si.name_en, CASE WHEN s.code = 'composite' THEN 'Composite score' END) AS name_en,
                   s.value, s.rank, s.rank_of, s.provenance, s.source, s.batch_id
            FROM score s JOIN entity e USING (entity_key)
            LEFT JOIN subindex si ON si.framework_id = s.framework_id AND si.code = s.code""",
        """CREATE OR REPLACE VIEW v_tasks AS
            SELECT t.task_id, t.title_vi, t.code, t.deadline,
                   string_agg(CASE WHEN tu.role = 'lead' THEN u.name_vi END, '; ') AS lead_units,
                   string_agg(CASE WHEN tu.role = 'support' THEN u.name_vi END, '; ') AS support_units
            FROM task t LEFT JOIN task_unit tu USING (task_id) LEFT JOIN unit u USING (unit_key)
            GROUP BY ALL""",
    ],
    # v3: users and roles (sign-in works offline), and settings analysts can change
    [
        """CREATE TABLE app_user (
            user_name VARCHAR PRIMARY KEY, display_name VARCHAR, role VARCHAR NOT NULL,
            password_hash VARCHAR NOT NULL, active BOOLEAN NOT NULL DEFAULT TRUE,
            created_at TIMESTAMP NOT NULL, CHECK (role IN ('viewer', 'analyst', 'admin')))""",
        """CREATE TABLE setting (
            key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL, updated_by VARCHAR,
            updated_at TIMESTAMP)""",
    ],
    # v4: who proposed a lineage link, in English too (the seed's author was Vietnamese only)
    [
        "ALTER TABLE lineage ADD COLUMN author_en VARCHAR",
        """UPDATE lineage SET author_en = 'Dashboard development team (proposal, awaiting confirmation by '
            || 'Phòng KT-HT&ĐT)' WHERE author = 'Nhóm phát triển dashboard (đề xuất, chờ Phòng KT-HT&ĐT xác nhận)'""",
    ],
    # v5: failed sign-ins counted in the database (per name and client address, so every server
    # process and every parallel try sees them), and a session epoch per user that moves on every
    # change to the account (password, role, active), which ends the sessions signed in before it
    [
        """CREATE TABLE login_failure (
            user_name VARCHAR NOT NULL, client VARCHAR NOT NULL, at_time TIMESTAMP NOT NULL)""",
        "ALTER TABLE app_user ADD COLUMN auth_epoch BIGINT NOT NULL DEFAULT 0",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)

# Tables whose rows carry data (used by checksums, backups, verify).
DATA_TABLES = (
    "framework", "subindex", "indicator", "lineage", "entity", "year_info", "import_batch",
    "score", "indicator_value", "benchmark", "plan", "plan_priority", "unit", "task",
    "task_unit", "task_report", "report_calendar", "target", "service_group",
    "service_reading", "batch_change", "year_note", "audit_log", "app_user", "setting",
)


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only,
                                 config={"autoinstall_known_extensions": False,
                                         "autoload_known_extensions": False})
            return con
        except duckdb.IOException as exc:  # another process holds the lock
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                if "lock" in str(exc).lower():
                    raise DatabaseBusy(
                        f"Cơ sở dữ liệu đang được tiến trình khác sử dụng, hãy thử lại sau ít giây / "
                        f"The database is in use by another process, try again in a few seconds ({path})"
                    ) from exc
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def connect(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
            create: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database for one operation and close it afterwards.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "t.duckdb")
    >>> with connect(p, create=True) as con: migrate(con) == SCHEMA_VERSION
    True
    >>> with connect(p, read_only=True) as con: schema_version(con) == SCHEMA_VERSION
    True
    """
    p = db_path(path)
    if not create and not p.exists():
        raise DatabaseMissing(
            f"Chưa có cơ sở dữ liệu {p}: chạy `make run` hoặc `python -m pci_metrics build` / "
            f"No database at {p}: run `make run` or `python -m pci_metrics build`")
    with _PROCESS_LOCK:
        try:
            con = _open(p, read_only)
            try:
                yield con
            finally:
                con.close()
        except duckdb.Error as exc:  # a damaged file shows at opening or only on a later read
            corrupt = _unreadable(p, exc)
            if corrupt is None:
                raise
            raise corrupt from exc


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block as one transaction: it lands whole or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open database (0 for an empty file)."""
    has = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not has or has[0] == 0:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> int:
    """Bring the schema up to ``target`` (default: the newest), each step one transaction."""
    target = SCHEMA_VERSION if target is None else target
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                "applied_at TIMESTAMP NOT NULL)")
    current = schema_version(con)
    for version in range(current + 1, target + 1):
        with transaction(con):
            for ddl in MIGRATIONS[version - 1]:
                con.execute(ddl)
            con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    return schema_version(con)


# ---------------------------------------------------------------------------
# Generic helpers
# ---------------------------------------------------------------------------

def _df(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    return con.execute(sql, list(params or [])).df()


def _check_table(table: str) -> str:
    if table not in DATA_TABLES:
        raise ValueError(f"unknown table {table!r}")
    return table


def replace_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Replace the whole content of a reference table with a DataFrame (inside a transaction)."""
    t = _check_table(table)
    con.execute(f'DELETE FROM "{t}"')
    return append_rows(con, t, frame)


def append_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Insert a DataFrame's rows into a table by column name (fast bulk insert)."""
    t = _check_table(table)
    if frame.empty:
        return 0
    cols = ", ".join(f'"{c}"' for c in frame.columns)
    con.register("_incoming", frame)
    try:
        con.execute(f'INSERT INTO "{t}" ({cols}) SELECT {cols} FROM _incoming')
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses even this
            con.unregister("_incoming")
    return len(frame)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every data table."""
    out: dict[str, int] = {}
    for t in DATA_TABLES:
        row = con.execute(f'SELECT count(*) FROM "{t}"').fetchone()
        out[t] = int(row[0]) if row else 0
    return out


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """A checksum of every data table's content, independent of row order (see :func:`checksums_of`)."""
    return checksums_of(con, DATA_TABLES)


def data_stamp(path: str | os.PathLike[str] | None = None) -> str:
    """A cheap version of the data: changes whenever a commit reaches the file.

    Used as a cache key by the UI so every session sees new data on its next rerun.
    """
    p = db_path(path)
    parts = []
    for f in (p, Path(str(p) + ".wal")):
        try:
            st = f.stat()
            parts.append(f"{st.st_mtime_ns}:{st.st_size}")
        except FileNotFoundError:
            parts.append("-")
    return "|".join(parts)


# ---------------------------------------------------------------------------
# Read models
# ---------------------------------------------------------------------------

def load_frameworks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every framework, oldest first."""
    return _df(con, "SELECT * FROM framework ORDER BY year_from")


def load_subindices(con: duckdb.DuckDBPyConnection, framework_id: str | None = None) -> pd.DataFrame:
    """Sub-indices with names and weights (NULL weight = unknown)."""
    if framework_id is None:
        return _df(con, "SELECT * FROM subindex ORDER BY framework_id, sort_order")
    return _df(con, "SELECT * FROM subindex WHERE framework_id = ? ORDER BY sort_order", [framework_id])


def load_lineage(con: duckdb.DuckDBPyConnection, framework_id: str | None = None) -> pd.DataFrame:
    """Lineage links (judgments) from new sub-indices to classic ones."""
    if framework_id is None:
        return _df(con, "SELECT * FROM lineage ORDER BY framework_id, code, classic_code")
    return _df(con, "SELECT * FROM lineage WHERE framework_id = ? ORDER BY code, classic_code",
               [framework_id])


def load_indicators(con: duckdb.DuckDBPyConnection, subindex: str | None = None) -> pd.DataFrame:
    """The indicator catalogue, optionally of one sub-index."""
    if subindex is None:
        return _df(con, "SELECT * FROM indicator ORDER BY framework_id, subindex, sort_order")
    return _df(con, "SELECT * FROM indicator WHERE subindex = ? ORDER BY sort_order", [subindex])


def load_indicator_values(con: duckdb.DuckDBPyConnection, subindex: str,
                          entity_key: str | None = None) -> pd.DataFrame:
    """Indicator values of one sub-index (all entities or one), with labels."""
    sql = """SELECT v.entity_key, v.year, v.indicator_code, i.label_vi, i.label_en, i.sort_order,
                    v.value, v.provenance, v.source
             FROM indicator_value v JOIN indicator i
               ON i.indicator_code = v.indicator_code AND i.framework_id = v.framework_id
             WHERE i.subindex = ?"""
    params: list[Any] = [subindex]
    if entity_key is not None:
        sql += " AND v.entity_key = ?"
        params.append(entity_key)
    return _df(con, sql + " ORDER BY v.year, i.sort_order", params)


def load_entities(con: duckdb.DuckDBPyConnection, level: str | None = None) -> pd.DataFrame:
    """Entities (nation, provinces, ward) with validity and successor."""
    if level is None:
        return _df(con, "SELECT * FROM entity ORDER BY level, entity_key")
    return _df(con, "SELECT * FROM entity WHERE level = ? ORDER BY entity_key", [level])


def load_year_info(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per year: framework in force, number of provinces, published scope."""
    return _df(con, "SELECT * FROM year_info ORDER BY year")


def load_scores(con: duckdb.DuckDBPyConnection, *, entity_key: str | None = None,
                year: int | None = None, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Scores in the canonical long format with provenance, filtered as asked."""
    sql = "SELECT * FROM score WHERE 1=1"
    params: list[Any] = []
    if entity_key is not None:
        sql += " AND entity_key = ?"
        params.append(entity_key)
    if year is not None:
        sql += " AND year = ?"
        params.append(year)
    if codes is not None:
        sql += " AND list_contains(?, code)"
        params.append(list(codes))
    return _df(con, sql + " ORDER BY year, entity_key, code", params)


def load_benchmarks(con: duckdb.DuckDBPyConnection, code: str | None = None) -> pd.DataFrame:
    """Yearly benchmarks (median, top score and province, top-10 cut-off)."""
    if code is None:
        return _df(con, "SELECT * FROM benchmark ORDER BY year, code")
    return _df(con, "SELECT * FROM benchmark WHERE code = ? ORDER BY year", [code])


def load_plan(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Plans (normally one)."""
    return _df(con, "SELECT * FROM plan ORDER BY plan_id")


def load_priorities(con: duckdb.DuckDBPyConnection, plan_id: str | None = None) -> pd.DataFrame:
    """A plan's prioritized sub-indices with their names and weights."""
    sql = """SELECT p.plan_id, p.framework_id, p.code, p.sort_order, p.source,
                    s.name_vi, s.name_en, s.weight
             FROM plan_priority p JOIN subindex s USING (framework_id, code)"""
    if plan_id is None:
        return _df(con, sql + " ORDER BY p.sort_order")
    return _df(con, sql + " WHERE p.plan_id = ? ORDER BY p.sort_order", [plan_id])


def load_units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Responsible units."""
    return _df(con, "SELECT * FROM unit ORDER BY is_focal DESC, unit_key")


def load_tasks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Tasks of every plan."""
    return _df(con, "SELECT * FROM task ORDER BY task_id")


def load_task_units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Which unit leads or supports which task."""
    return _df(con, "SELECT * FROM task_unit ORDER BY task_id, role, unit_key")


def load_task_reports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every task report (period, status, progress, outcome, evidence)."""
    return _df(con, "SELECT * FROM task_report ORDER BY task_id, period")


def load_calendar(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The plan's reporting calendar."""
    return _df(con, "SELECT * FROM report_calendar ORDER BY month, day")


def load_targets(con: duckdb.DuckDBPyConnection, entity_key: str | None = None) -> pd.DataFrame:
    """Targets (score and/or rank) entered by analysts."""
    if entity_key is None:
        return _df(con, "SELECT * FROM target ORDER BY year, code")
    return _df(con, "SELECT * FROM target WHERE entity_key = ? ORDER BY year, code", [entity_key])


def load_notes(con: duckdb.DuckDBPyConnection, entity_key: str, code: str) -> pd.DataFrame:
    """Analysts' "story behind the curve" notes for one entity and measure."""
    return _df(con, "SELECT * FROM year_note WHERE entity_key = ? AND code = ? ORDER BY year",
               [entity_key, code])


def load_service_groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The five groups of the Decision 766 service index."""
    return _df(con, "SELECT * FROM service_group ORDER BY sort_order")


def load_service_readings(con: duckdb.DuckDBPyConnection, entity_key: str | None = None) -> pd.DataFrame:
    """Service-index readings per period and group."""
    if entity_key is None:
        return _df(con, "SELECT * FROM service_reading ORDER BY period, group_code")
    return _df(con, "SELECT * FROM service_reading WHERE entity_key = ? ORDER BY period, group_code",
               [entity_key])


def load_batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Import batches, newest first."""
    return _df(con, "SELECT * FROM import_batch ORDER BY batch_id DESC")


def last_batch(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The newest import batch as a dict, or None."""
    frame = _df(con, "SELECT * FROM import_batch ORDER BY batch_id DESC LIMIT 1")
    return None if frame.empty else frame.iloc[0].to_dict()


def load_audit(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The audit log, newest first."""
    return _df(con, "SELECT * FROM audit_log ORDER BY audit_id DESC")


def write_audit(con: duckdb.DuckDBPyConnection, user_name: str, action: str, table_name: str | None,
                key_json: str | None, old_json: str | None, new_json: str | None,
                batch_id: int | None) -> None:
    """Append one line to the audit log (inside the caller's transaction)."""
    con.execute(
        """INSERT INTO audit_log VALUES (
             (SELECT coalesce(max(audit_id), 0) + 1 FROM audit_log), now(), ?, ?, ?, ?, ?, ?, ?)""",
        [user_name, action, table_name, key_json, old_json, new_json, batch_id])


def records(frame: pd.DataFrame) -> list[Any]:
    """Rows of a DataFrame as objects with attribute access (``r.code``), like ``itertuples``.

    >>> records(pd.DataFrame({"code": ["entry"]}))[0].code
    'entry'
    """
    from types import SimpleNamespace

    return [SimpleNamespace(**{str(k): v for k, v in row.items()}) for row in frame.to_dict("records")]


# Areas add their SQL below, each inside its own section (one module owns all SQL).
# === section: leadership (issue 3) ===

def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str, user_name: str) -> None:
    """Store a setting in one transaction with an audit line (old → new); reads use ``get_setting``
    (trust section)."""
    import json

    with transaction(con):
        old = put_setting(con, key, value, user_name)
        write_audit(con, user_name, "set_setting", "setting", json.dumps({"key": key}),
                    json.dumps({"value": old}) if old is not None else None,
                    json.dumps({"value": value}), None)


def load_indicator_summary(con: duckdb.DuckDBPyConnection, subindices: Sequence[str],
                           entity_key: str) -> pd.DataFrame:
    """Per indicator and year of the given sub-indices: one entity's value and all provinces'
    median, lowest and highest value, with the catalogue's labels."""
    return _df(con, """SELECT i.subindex, v.indicator_code, i.label_en, i.sort_order, v.year,
                              max(v.value) FILTER (WHERE v.entity_key = ?) AS entity_value,
                              median(v.value) AS median, min(v.value) AS min, max(v.value) AS max,
                              max(v.source) FILTER (WHERE v.entity_key = ?) AS source
                       FROM indicator_value v JOIN indicator i
                         ON i.indicator_code = v.indicator_code AND i.framework_id = v.framework_id
                       WHERE list_contains(?, i.subindex)
                       GROUP BY ALL ORDER BY i.subindex, i.sort_order, v.year""",
               [entity_key, entity_key, list(subindices)])


def save_year_note(con: duckdb.DuckDBPyConnection, entity_key: str, year: int, code: str, text: str,
                   user_name: str) -> None:
    """Write (or, with empty text, delete) the "story behind the curve" note of one year, in one
    transaction with an audit line."""
    import json

    key = {"entity_key": entity_key, "year": int(year), "code": code}
    with transaction(con):
        row = con.execute("SELECT text, author FROM year_note WHERE entity_key = ? AND year = ? AND code = ?",
                          [entity_key, int(year), code]).fetchone()
        old = json.dumps({"text": row[0], "author": row[1]}, ensure_ascii=False) if row else None
        con.execute("DELETE FROM year_note WHERE entity_key = ? AND year = ? AND code = ?",
                    [entity_key, int(year), code])
        new = None
        if text.strip():
            con.execute("INSERT INTO year_note (entity_key, year, code, text, author, created_at) "
                        "VALUES (?, ?, ?, ?, ?, now())", [entity_key, int(year), code, text.strip(), user_name])
            new = json.dumps({"text": text.strip(), "author": user_name}, ensure_ascii=False)
        write_audit(con, user_name, "save_year_note" if new else "delete_year_note", "year_note",
                    json.dumps(key), old, new, None)


# === section: ingest (issue 4) ===
# Imports write through these: rows found by key, deleted by key, restored from JSON (undo).
# Table and column names are checked against DATA_TABLES and the table's own columns.


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> SQL type of a data table, in table order.

    >>> # table_columns(con, "score")["value"] -> 'DOUBLE'
    """
    t = _check_table(table)
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [t]).fetchall()
    return {str(name): str(kind) for name, kind in rows}


def _key_clause(con: duckdb.DuckDBPyConnection, table: str, key_cols: Sequence[str]) -> str:
    known = table_columns(con, table)
    for c in key_cols:
        if c not in known:
            raise ValueError(f"unknown column {c!r} of {table!r}")
    return " AND ".join(f't."{c}" IS NOT DISTINCT FROM k."{c}"' for c in key_cols)


def ingest_existing(con: duckdb.DuckDBPyConnection, table: str, key_cols: Sequence[str],
                    keys: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``table`` whose key is one of ``keys`` (a DataFrame of the key columns)."""
    t = _check_table(table)
    on = _key_clause(con, t, key_cols)
    if keys.empty:
        return _df(con, f'SELECT * FROM "{t}" LIMIT 0')
    con.register("_ingest_keys", keys[list(key_cols)].drop_duplicates())
    try:
        return _df(con, f'SELECT t.* FROM "{t}" t SEMI JOIN _ingest_keys k ON {on}')
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_ingest_keys")


def ingest_delete_keys(con: duckdb.DuckDBPyConnection, table: str, key_cols: Sequence[str],
                       keys: pd.DataFrame) -> None:
    """Delete the rows of ``table`` whose key is one of ``keys`` (inside the caller's transaction)."""
    t = _check_table(table)
    if keys.empty:
        return
    on = _key_clause(con, t, key_cols)
    con.register("_ingest_keys", keys[list(key_cols)].drop_duplicates())
    try:
        con.execute(f'DELETE FROM "{t}" t USING _ingest_keys k WHERE {on}')
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_ingest_keys")


def ingest_row_json(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> list[str]:
    """Each row of a DataFrame as one JSON object text (types as DuckDB sees them)."""
    if frame.empty:
        return []
    con.register("_ingest_rows", frame)
    try:
        rows = con.execute("SELECT to_json(r) FROM _ingest_rows r").fetchall()
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_ingest_rows")
    return [str(r[0]) for r in rows]


def ingest_restore_json(con: duckdb.DuckDBPyConnection, table: str, rows_json: Sequence[str]) -> int:
    """Insert rows saved as JSON objects (see :func:`ingest_row_json`) back with their exact types."""
    t = _check_table(table)
    if not rows_json:
        return 0
    import json

    structure = json.dumps(table_columns(con, t))
    con.register("_ingest_json", pd.DataFrame({"j": list(rows_json)}))
    try:
        con.execute(f'INSERT INTO "{t}" BY NAME SELECT unnest(json_transform(j, ?)) FROM _ingest_json',
                    [structure])
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_ingest_json")
    return len(rows_json)


def next_batch_id(con: duckdb.DuckDBPyConnection) -> int:
    """The id the next import batch gets."""
    rows = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batch").fetchall()
    return int(rows[0][0]) if rows else 1


def insert_batch(con: duckdb.DuckDBPyConnection, batch: dict[str, Any]) -> None:
    """Record one import batch (a dict of import_batch's columns)."""
    append_rows(con, "import_batch", pd.DataFrame([batch]))


def set_batch_status(con: duckdb.DuckDBPyConnection, batch_id: int, status: str, note: str | None) -> None:
    """Change a batch's status (e.g. to 'undone') and note."""
    con.execute("UPDATE import_batch SET status = ?, note = ? WHERE batch_id = ?", [status, note, batch_id])


def load_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict[str, Any] | None:
    """One import batch as a dict, or None."""
    frame = _df(con, "SELECT * FROM import_batch WHERE batch_id = ?", [batch_id])
    return None if frame.empty else frame.iloc[0].to_dict()


def batches_with_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> pd.DataFrame:
    """Committed batches of a file with this content, newest first."""
    return _df(con, "SELECT * FROM import_batch WHERE sha256 = ? AND status = 'committed' "
                    "ORDER BY batch_id DESC", [sha256])


def load_batch_changes(con: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """Every row change of one batch, in order."""
    return _df(con, "SELECT * FROM batch_change WHERE batch_id = ? ORDER BY seq", [batch_id])


def later_batches_touching(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[int]:
    """Committed batches after ``batch_id`` that changed a row this batch changed."""
    rows = con.execute(
        """SELECT DISTINCT later.batch_id FROM batch_change mine
           JOIN batch_change later ON later.table_name = mine.table_name AND later.key_json = mine.key_json
           JOIN import_batch b ON b.batch_id = later.batch_id
           WHERE mine.batch_id = ? AND later.batch_id > ? AND b.status = 'committed'
           ORDER BY 1""", [batch_id, batch_id]).fetchall()
    return [int(r[0]) for r in rows]


def load_scores_export(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every score in the canonical long format with names and sources (the ``v_scores`` view)."""
    return _df(con, """SELECT year, entity_key, entity_vi, entity_en, framework_id, code, name_vi, name_en,
                              value, rank, rank_of, provenance, source, batch_id
                       FROM v_scores ORDER BY year, entity_key, code""")


# === section: tasks (issue 5) ===
# Writes of the Tasks page's editor (and usable by imports): each runs inside the caller's
# transaction and writes one audit_log line per row it changes (old -> new as JSON).

TASK_EDITABLE = ("deadline", "product_vi", "authority_vi")
_TASK_REPORT_FIELDS = ("unit_key", "status", "progress", "outcome", "evidence", "reported_by", "reported_at")
_SERVICE_FIELDS = ("score", "source")


def _jsonable(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _as_json(row: dict[str, Any] | None) -> str | None:
    import json

    if row is None:
        return None
    return json.dumps({k: _jsonable(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True)


def _same(a: Any, b: Any) -> bool:
    a, b = _jsonable(a), _jsonable(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    return bool(a == b)


def tasks_upsert_reports(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, *, user: str,
                         batch_id: int | None = None) -> dict[str, int]:
    """Insert or replace task reports keyed by (task_id, period); returns added/changed/unchanged.

    Blank ``reported_by``/``reported_at`` become the user and now. Runs in the caller's transaction.
    """
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for rec in frame.to_dict("records"):
        key = [str(rec["task_id"]), str(rec["period"])]
        old_df = _df(con, "SELECT * FROM task_report WHERE task_id = ? AND period = ?", key)
        old = None if old_df.empty else old_df.iloc[0].to_dict()
        new = {f: _jsonable(rec.get(f)) for f in _TASK_REPORT_FIELDS}
        new["reported_by"] = new["reported_by"] or user
        if old is not None and all(_same(old.get(f), new[f]) for f in _TASK_REPORT_FIELDS
                                   if f not in ("reported_by", "reported_at")):
            counts["unchanged"] += 1
            continue
        new["reported_at"] = new["reported_at"] or pd.Timestamp.now().floor("s").isoformat()
        con.execute("DELETE FROM task_report WHERE task_id = ? AND period = ?", key)
        con.execute(
            """INSERT INTO task_report (task_id, period, unit_key, status, progress, outcome, evidence,
                                        reported_by, reported_at, batch_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)""",
            [*key, *(new[f] for f in _TASK_REPORT_FIELDS), batch_id])
        old_public = None if old is None else {f: old.get(f) for f in _TASK_REPORT_FIELDS}
        write_audit(con, user, "task_report.upsert", "task_report",
                    _as_json({"task_id": key[0], "period": key[1]}), _as_json(old_public), _as_json(new), batch_id)
        counts["added" if old is None else "changed"] += 1
    return counts


def tasks_delete_report(con: duckdb.DuckDBPyConnection, task_id: str, period: str, *, user: str) -> bool:
    """Delete one task report (audited); False when there was none."""
    old_df = _df(con, "SELECT * FROM task_report WHERE task_id = ? AND period = ?", [task_id, period])
    if old_df.empty:
        return False
    con.execute("DELETE FROM task_report WHERE task_id = ? AND period = ?", [task_id, period])
    old = {f: old_df.iloc[0][f] for f in _TASK_REPORT_FIELDS}
    write_audit(con, user, "task_report.delete", "task_report", _as_json({"task_id": task_id, "period": period}),
                _as_json(old), None, None)
    return True


def tasks_update_task(con: duckdb.DuckDBPyConnection, task_id: str, changes: dict[str, Any], *,
                      user: str) -> bool:
    """Change a task's deadline, product or authority (only ``TASK_EDITABLE``); audited; False if unchanged."""
    bad = set(changes) - set(TASK_EDITABLE)
    if bad:
        raise ValueError(f"not editable: {sorted(bad)}")
    old_df = _df(con, "SELECT * FROM task WHERE task_id = ?", [task_id])
    if old_df.empty:
        raise ValueError(f"unknown task {task_id!r}")
    old = {c: old_df.iloc[0][c] for c in changes}
    diff = {c: v for c, v in changes.items() if not _same(old[c], v)}
    if not diff:
        return False
    for column, value in diff.items():  # column names come from TASK_EDITABLE, never from input
        con.execute(f'UPDATE task SET "{column}" = ? WHERE task_id = ?', [_jsonable(value), task_id])
    write_audit(con, user, "task.update", "task", _as_json({"task_id": task_id}),
                _as_json({c: old[c] for c in diff}), _as_json(diff), None)
    return True


def tasks_set_units(con: duckdb.DuckDBPyConnection, task_id: str, lead: Sequence[str], support: Sequence[str],
                    *, user: str, source: str | None = None) -> bool:
    """Replace a task's lead and supporting units (a unit in both is kept as lead); audited."""
    old_df = _df(con, "SELECT unit_key, role FROM task_unit WHERE task_id = ? ORDER BY role, unit_key", [task_id])
    old = {"lead": sorted(old_df[old_df["role"] == "lead"]["unit_key"]),
           "support": sorted(old_df[old_df["role"] == "support"]["unit_key"])}
    new = {"lead": sorted(set(lead)), "support": sorted(set(support) - set(lead))}
    if old == new:
        return False
    con.execute("DELETE FROM task_unit WHERE task_id = ?", [task_id])
    rows = [(task_id, u, role, source) for role in ("lead", "support") for u in new[role]]
    if rows:
        append_rows(con, "task_unit", pd.DataFrame(rows, columns=["task_id", "unit_key", "role", "source"]))
    write_audit(con, user, "task_unit.set", "task_unit", _as_json({"task_id": task_id}), _as_json(old),
                _as_json(new), None)
    return True


def service_upsert_readings(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, *, user: str,
                            batch_id: int | None = None) -> dict[str, int]:
    """Insert or replace service-index readings keyed by (entity_key, period, group_code); audited."""
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for rec in frame.to_dict("records"):
        key = [str(rec["entity_key"]), str(rec["period"]), str(rec["group_code"])]
        old_df = _df(con, "SELECT * FROM service_reading WHERE entity_key = ? AND period = ? AND group_code = ?", key)
        old = None if old_df.empty else {f: old_df.iloc[0][f] for f in _SERVICE_FIELDS}
        new = {f: _jsonable(rec.get(f)) for f in _SERVICE_FIELDS}
        if old is not None and all(_same(old[f], new[f]) for f in _SERVICE_FIELDS):
            counts["unchanged"] += 1
            continue
        con.execute("DELETE FROM service_reading WHERE entity_key = ? AND period = ? AND group_code = ?", key)
        con.execute("INSERT INTO service_reading VALUES (?, ?, ?, ?, ?, ?)", [*key, new["score"], new["source"],
                                                                              batch_id])
        write_audit(con, user, "service_reading.upsert", "service_reading",
                    _as_json(dict(zip(("entity_key", "period", "group_code"), key, strict=True))),
                    _as_json(old), _as_json(new), batch_id)
        counts["added" if old is None else "changed"] += 1
    return counts


# === section: slides (issue 6) ===

# === section: whatif (issue 7) ===

# === section: trust (issue 8) ===
# Users, settings, the audit view, and what backups/restores need. Identifiers that are not
# constants (table names read from the catalogue) are quoted by ``_ident``; values and file paths
# are always bound parameters.

USER_COLUMNS = "user_name, display_name, role, active, created_at, auth_epoch"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every user without the password hash, by name."""
    return _df(con, f"SELECT {USER_COLUMNS} FROM app_user ORDER BY user_name")


def load_user(con: duckdb.DuckDBPyConnection, user_name: str) -> dict[str, Any] | None:
    """One user with the password hash (for sign-in), or None."""
    frame = _df(con, f"SELECT {USER_COLUMNS}, password_hash FROM app_user WHERE user_name = ?", [user_name])
    return None if frame.empty else frame.iloc[0].to_dict()


def insert_user(con: duckdb.DuckDBPyConnection, user_name: str, display_name: str | None, role: str,
                password_hash: str) -> None:
    """Add a user (inside the caller's transaction); its session epoch starts at the time of creation."""
    con.execute("INSERT INTO app_user (user_name, display_name, role, password_hash, active, created_at, auth_epoch) "
                "VALUES (?, ?, ?, ?, TRUE, now(), epoch_us(now()))", [user_name, display_name, role, password_hash])


def update_user(con: duckdb.DuckDBPyConnection, user_name: str, *, role: str | None = None,
                display_name: str | None = None, active: bool | None = None,
                password_hash: str | None = None) -> None:
    """Change the given fields of a user (inside the caller's transaction); None keeps a field."""
    con.execute("""UPDATE app_user SET role = coalesce(?, role), display_name = coalesce(?, display_name),
                          active = coalesce(?, active), password_hash = coalesce(?, password_hash)
                   WHERE user_name = ?""", [role, display_name, active, password_hash, user_name])


def count_admins(con: duckdb.DuckDBPyConnection) -> int:
    """How many active administrators exist."""
    row = con.execute("SELECT count(*) FROM app_user WHERE role = 'admin' AND active").fetchone()
    return int(row[0]) if row else 0


def bump_auth_epoch(con: duckdb.DuckDBPyConnection, user_name: str) -> None:
    """Move a user's session epoch on (inside the caller's transaction): sessions signed in before
    it end. It only grows, and is at least the change's time in microseconds, so a name removed and
    added again never matches a session of the earlier account."""
    con.execute("UPDATE app_user SET auth_epoch = greatest(auth_epoch + 1, epoch_us(now())) WHERE user_name = ?",
                [user_name])


def delete_user(con: duckdb.DuckDBPyConnection, user_name: str) -> None:
    """Remove a user (inside the caller's transaction); the audit log keeps their name."""
    con.execute("DELETE FROM app_user WHERE user_name = ?", [user_name])


def login_failures_since(con: duckdb.DuckDBPyConnection, user_name: str, client: str,
                         since: Any) -> tuple[int, Any, int, Any]:
    """Failed sign-ins at or after ``since``: (count for the name, its latest time, count from the
    client address, its latest time); a latest time is None when there is none."""
    row = con.execute(
        """SELECT count(*) FILTER (WHERE user_name = ?), max(at_time) FILTER (WHERE user_name = ?),
                  count(*) FILTER (WHERE client = ?), max(at_time) FILTER (WHERE client = ?)
           FROM login_failure WHERE at_time >= ?""", [user_name, user_name, client, client, since]).fetchone()
    return (0, None, 0, None) if row is None else (int(row[0]), row[1], int(row[2]), row[3])


def record_login_failure(con: duckdb.DuckDBPyConnection, user_name: str, client: str, at_time: Any) -> None:
    """Count one sign-in try as failed (inside the caller's transaction)."""
    con.execute("INSERT INTO login_failure VALUES (?, ?, ?)", [user_name, client, at_time])


def forget_login_failures(con: duckdb.DuckDBPyConnection, user_name: str, client: str) -> None:
    """Forget a name's failed sign-ins from one client address (after a good sign-in from it)."""
    con.execute("DELETE FROM login_failure WHERE user_name = ? AND client = ?", [user_name, client])


def prune_login_failures(con: duckdb.DuckDBPyConnection, before: Any) -> None:
    """Drop failed sign-ins older than ``before`` (they no longer count)."""
    con.execute("DELETE FROM login_failure WHERE at_time < ?", [before])


def get_setting(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A setting's value, or None when it was never set."""
    row = con.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def put_setting(con: duckdb.DuckDBPyConnection, key: str, value: str, by: str) -> str | None:
    """Set a setting (inside the caller's transaction); returns the old value."""
    old = get_setting(con, key)
    con.execute("DELETE FROM setting WHERE key = ?", [key])
    con.execute("INSERT INTO setting VALUES (?, ?, ?, now())", [key, value, by])
    return old


def load_audit_view(con: duckdb.DuckDBPyConnection, *, user_name: str | None = None,
                    action: str | None = None, table_name: str | None = None,
                    batch_id: int | None = None, since: Any = None, until: Any = None,
                    limit: int | None = None) -> pd.DataFrame:
    """The audit log filtered as asked (None = any), newest first; ``until`` is exclusive."""
    frame = _df(con, """SELECT * FROM audit_log
        WHERE (?::VARCHAR IS NULL OR user_name = ?) AND (?::VARCHAR IS NULL OR action = ?)
          AND (?::VARCHAR IS NULL OR table_name = ?) AND (?::INTEGER IS NULL OR batch_id = ?)
          AND (?::TIMESTAMP IS NULL OR at_time >= ?) AND (?::TIMESTAMP IS NULL OR at_time < ?)
        ORDER BY audit_id DESC LIMIT coalesce(?::BIGINT, 9223372036854775807)""",
        [user_name, user_name, action, action, table_name, table_name, batch_id, batch_id,
         since, since, until, until, limit])
    return frame


def audit_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Distinct users, actions and tables in the audit log (for filters)."""
    out: dict[str, list[str]] = {}
    for col in ("user_name", "action", "table_name"):
        rows = con.execute(f"SELECT DISTINCT {col} FROM audit_log WHERE {col} IS NOT NULL ORDER BY 1").fetchall()
        out[col] = [str(r[0]) for r in rows]
    return out


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table of the main schema (a backup takes them all, not only DATA_TABLES)."""
    rows = con.execute("""SELECT table_name FROM information_schema.tables
                          WHERE table_schema = 'main' AND table_type = 'BASE TABLE'
                          ORDER BY table_name""").fetchall()
    return [str(r[0]) for r in rows]


def checksums_of(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> dict[str, str]:
    """Order-independent checksum of each named table: md5 over the sorted md5s of its rows."""
    out: dict[str, str] = {}
    for t in tables:
        row = con.execute(
            f"SELECT coalesce(md5(string_agg(h, '' ORDER BY h)), 'empty') "
            f"FROM (SELECT md5(CAST(x AS VARCHAR)) AS h FROM {_ident(t)} AS x)").fetchone()
        out[t] = str(row[0]) if row else "empty"
    return out


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows in one table."""
    row = con.execute(f"SELECT count(*) FROM {_ident(table)}").fetchone()
    return int(row[0]) if row else 0


def export_table(con: duckdb.DuckDBPyConnection, table: str, file: str | os.PathLike[str]) -> None:
    """Write one table to a Parquet file (types kept exactly)."""
    con.execute(f"COPY (SELECT * FROM {_ident(table)}) TO ? (FORMAT parquet)", [str(file)])


def import_table(con: duckdb.DuckDBPyConnection, table: str, file: str | os.PathLike[str]) -> int:
    """Replace one table's rows with a Parquet file's (inside the caller's transaction)."""
    con.execute(f"DELETE FROM {_ident(table)}")
    con.execute(f"INSERT INTO {_ident(table)} BY NAME SELECT * FROM read_parquet(?)", [str(file)])
    return row_count(con, table)


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write the WAL into the database file (so the file alone holds every commit)."""
    con.execute("CHECKPOINT")


def count_batches_with_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> int:
    """How many import batches recorded a file with this sha256 (an import lands once)."""
    row = con.execute("SELECT count(*) FROM import_batch WHERE sha256 = ?", [sha256]).fetchone()
    return int(row[0]) if row else 0
