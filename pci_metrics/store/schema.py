"""The schema: every table and view, created by numbered migrations, each one transaction."""

from __future__ import annotations

import duckdb

from pci_metrics.store.storage import transaction

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
    # v6: browser sign-ins that survive a reload. A row is one sign-in: the page hands the browser a
    # one-time code (its hash here, valid a minute), the browser trades it for the session secret
    # in an HttpOnly cookie (its hash here); the secret itself is never stored
    [
        """CREATE TABLE app_session (
            session_id VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, auth_epoch BIGINT NOT NULL,
            token_hash VARCHAR, handoff_hash VARCHAR, handoff_until TIMESTAMP,
            created_at TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL)""",
    ],
    # v7: the plan's appendix as data. A task says where it comes from (the plan's body or its
    # appendix, or entered by an analyst); a task or a unit may be retired from a day on: it keeps its
    # history and reports but is no longer due from that day
    [
        "ALTER TABLE task ADD COLUMN origin VARCHAR",
        "UPDATE task SET origin = 'plan_body'",
        "ALTER TABLE task ADD COLUMN retired_on DATE",
        "ALTER TABLE unit ADD COLUMN retired_on DATE",
    ],
    # v8: units report their own tasks. A user belongs to units with a unit role (reporter: người báo
    # cáo; follower: đầu mối theo dõi); a task report has a life (draft -> submitted -> accepted or
    # returned with a comment), reports entered before this step count as accepted; evidence files
    # are kept in the database itself, so a backup and a restore keep them
    [
        """CREATE TABLE unit_member (
            user_name VARCHAR NOT NULL, unit_key VARCHAR NOT NULL, unit_role VARCHAR NOT NULL,
            added_by VARCHAR, added_at TIMESTAMP, PRIMARY KEY (user_name, unit_key),
            CHECK (unit_role IN ('reporter', 'follower')))""",
        "ALTER TABLE task_report ADD COLUMN state VARCHAR DEFAULT 'accepted'",
        "UPDATE task_report SET state = 'accepted'",
        "ALTER TABLE task_report ADD COLUMN submitted_by VARCHAR",
        "ALTER TABLE task_report ADD COLUMN submitted_at TIMESTAMP",
        "ALTER TABLE task_report ADD COLUMN reviewed_by VARCHAR",
        "ALTER TABLE task_report ADD COLUMN reviewed_at TIMESTAMP",
        "ALTER TABLE task_report ADD COLUMN review_comment VARCHAR",
        "ALTER TABLE task_report ADD COLUMN on_behalf BOOLEAN DEFAULT FALSE",
        """CREATE TABLE report_file (
            file_id INTEGER PRIMARY KEY, task_id VARCHAR NOT NULL, period VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL, media_type VARCHAR NOT NULL, size INTEGER NOT NULL,
            sha256 VARCHAR NOT NULL, content BLOB NOT NULL, added_by VARCHAR NOT NULL,
            added_at TIMESTAMP NOT NULL)""",
    ],
]


SCHEMA_VERSION = len(MIGRATIONS)

# Tables whose rows carry data (used by checksums, backups, verify).
DATA_TABLES = (
    "framework", "subindex", "indicator", "lineage", "entity", "year_info", "import_batch",
    "score", "indicator_value", "benchmark", "plan", "plan_priority", "unit", "task",
    "task_unit", "task_report", "report_calendar", "target", "service_group",
    "service_reading", "batch_change", "year_note", "audit_log", "app_user", "setting",
    "unit_member", "report_file",
)


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
