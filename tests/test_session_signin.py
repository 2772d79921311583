"""Analysts keep their way and their session: a sign-in survives a reload (a random, expiring
session id in an HttpOnly, SameSite=Strict cookie, checked on every run against the store's session
table and revoked on sign-out and on every change to the account), the page list never folds pages
away behind Streamlit's English "View more", and the one-time password's warning goes once the new
password is set.

The session store runs against a real DuckDB file; the app through AppTest; reload, cookies and the
page list in a real Chromium against a real server."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pci_metrics.store import schema, sessions_db, settings_db, storage
from pci_metrics.trust import auth, sessions
from tests.test_auth import run_app
from tests.test_auth import sign_in as fill_sign_in
from tests.test_signin_hostile import cli

FAST = 4  # bcrypt cost where the cost does not matter to the test
LAN_PW = "mat-khau-cua-lan"
ONE_TIME_WARNING = "mật khẩu dùng một lần"


# --- the one-time password's warning ----------------------------------------------------------


@pytest.fixture
def lan_one_time(app_db, monkeypatch):
    """Analyst lan whose password is a one-time password (must be changed at the first sign-in)."""
    monkeypatch.setenv("PCI_ADMIN_PASSWORD", "quan-tri-hong-bang")
    monkeypatch.delenv("PCI_REQUIRE_LOGIN", raising=False)
    with storage.connect(app_db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", rounds=FAST)
        with storage.transaction(con):
            settings_db.set_setting(con, auth.MUST_CHANGE_PREFIX + "lan", "1", "system", audit=False)
    return app_db


def change_forced_password(at, new: str = "mat-khau-rieng-cua-lan"):
    assert any(ONE_TIME_WARNING in w.value for w in at.warning), [w.value for w in at.warning]
    at.text_input(key="trust_forced_new").input(new)
    at.text_input(key="trust_forced_again").input(new)
    next(b for b in at.button if b.label == "Đổi mật khẩu").click()
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", ["signin", "import"])
def test_after_the_first_password_change_only_password_changed_stays(lan_one_time, page):
    at = run_app(page)
    fill_sign_in(at, "lan", LAN_PW, form="trust_signin" if page == "signin" else "trust_gate")
    change_forced_password(at)
    assert [s.value for s in at.success] == ["Đã đổi mật khẩu."]
    assert not any(ONE_TIME_WARNING in w.value for w in at.warning), [w.value for w in at.warning]


# --- the session store ------------------------------------------------------------------------

T0 = datetime(2026, 3, 2, 8, 0, 0)  # naive UTC, frozen


@pytest.fixture
def db(fresh_db: Path) -> Path:
    """The full database plus analyst lan and administrator an."""
    with storage.connect(fresh_db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", rounds=FAST)
        auth.add_user(con, "an", "admin", "mat-khau-cua-an", by="admin", rounds=FAST)
    return fresh_db


def signed_in_cookie(db: Path, user: str = "lan", at: datetime = T0) -> str:
    """Sign ``user`` in at ``at`` and collect the cookie's secret as the browser would."""
    with storage.connect(db) as con:
        handoff = sessions.begin(con, auth.get_user(con, user), now=at)
    token = sessions.collect(db, handoff.code, now=at + timedelta(seconds=5))
    assert token is not None
    return token


def test_only_hashes_of_the_code_and_the_secret_are_stored(db):
    with storage.connect(db) as con:
        handoff = sessions.begin(con, auth.get_user(con, "lan"), now=T0)
    token = sessions.collect(db, handoff.code, now=T0)
    with storage.connect(db, read_only=True) as con:
        stored = con.execute("SELECT * FROM app_session").fetchall()
    text = repr(stored)
    assert len(stored) == 1 and token not in text and handoff.code not in text
    assert sessions.secret_hash(token) in text
    assert len(token) >= 43  # 256 random bits


def test_a_code_is_traded_once_and_only_within_a_minute(db):
    with storage.connect(db) as con:
        late = sessions.begin(con, auth.get_user(con, "lan"), now=T0)
        once = sessions.begin(con, auth.get_user(con, "lan"), now=T0)
    assert sessions.collect(db, late.code, now=T0 + timedelta(seconds=61)) is None
    assert sessions.collect(db, once.code, now=T0 + timedelta(seconds=1)) is not None
    assert sessions.collect(db, once.code, now=T0 + timedelta(seconds=2)) is None
    assert sessions.collect(db, "made-up-code", now=T0) is None


@pytest.mark.parametrize("idle_hours, later, stands", [
    pytest.param(None, timedelta(hours=11, minutes=59), True, id="12h-idle-default-used-within"),
    pytest.param(None, timedelta(hours=12, minutes=1), False, id="12h-idle-default-expired"),
    pytest.param("1", timedelta(minutes=59), True, id="configured-1h-within"),
    pytest.param("1", timedelta(minutes=61), False, id="configured-1h-expired"),
])
def test_a_sign_in_expires_after_its_idle_time(db, monkeypatch, idle_hours, later, stands):
    if idle_hours is None:
        monkeypatch.delenv("PCI_SESSION_IDLE_HOURS", raising=False)
    else:
        monkeypatch.setenv("PCI_SESSION_IDLE_HOURS", idle_hours)
    token = signed_in_cookie(db)
    back = sessions.resume(db, token, now=T0 + later)
    assert (back is not None) is stands
    if stands:  # a use starts the idle time again
        assert back.user.user_name == "lan" and back.user.role == "analyst"
        assert sessions.resume(db, token, now=T0 + 2 * later) is not None
    else:  # an expired sign-in is forgotten, not only refused
        with storage.connect(db, read_only=True) as con:
            assert sessions_db.count_sessions(con, "lan") == 0


@pytest.mark.parametrize("change", [
    pytest.param(lambda con: auth.set_password(con, "lan", "mat-khau-moi-2026", by="admin", rounds=FAST), id="password"),
    pytest.param(lambda con: auth.set_role(con, "lan", "viewer", by="an"), id="role"),
    pytest.param(lambda con: auth.set_active(con, "lan", False, by="an"), id="disabled"),
    pytest.param(lambda con: auth.remove_user(con, "lan", by="an"), id="removed"),
    pytest.param(lambda con: (auth.remove_user(con, "lan", by="an"),
                              auth.add_user(con, "lan", "analyst", LAN_PW, by="an", rounds=FAST)),
                 id="removed-and-added-again"),
])
def test_every_change_to_the_account_revokes_its_cookies(db, change):
    token, other = signed_in_cookie(db), signed_in_cookie(db, "an")
    with storage.connect(db) as con:
        auth.set_role(con, "lan", "analyst", by="an")  # no change: nothing ends
        pending = sessions.begin(con, auth.get_user(con, "lan"), now=T0)  # a code not yet traded
        change(con)
        assert sessions_db.count_sessions(con, "lan") == 0  # revoked, not only refused
    assert sessions.resume(db, token, now=T0 + timedelta(minutes=1)) is None
    assert sessions.collect(db, pending.code, now=T0 + timedelta(seconds=1)) is None
    assert sessions.resume(db, other, now=T0 + timedelta(minutes=1)).user.user_name == "an"  # others stay


def test_a_command_line_removal_revokes_the_cookies(db):
    token = signed_in_cookie(db)
    r = cli(db, "users", "remove", "lan")
    assert r.returncode == 0, r.stderr
    assert sessions.resume(db, token, now=T0 + timedelta(minutes=1)) is None


def test_sign_out_revokes_only_that_sign_in(db):
    first, second = signed_in_cookie(db), signed_in_cookie(db)
    back = sessions.resume(db, first, now=T0 + timedelta(minutes=1))
    with storage.connect(db) as con:
        sessions.end(con, back.session_id)
    assert sessions.resume(db, first, now=T0 + timedelta(minutes=2)) is None
    assert sessions.resume(db, second, now=T0 + timedelta(minutes=2)) is not None
    sessions.end_by_token(db, second)
    assert sessions.resume(db, second, now=T0 + timedelta(minutes=3)) is None


def test_schema_v6_adds_the_session_table_to_an_existing_database(tmp_path):
    path = tmp_path / "v5.duckdb"
    with storage.connect(path, create=True) as con:
        assert schema.migrate(con, target=5) == 5
        con.execute("INSERT INTO app_user (user_name, role, password_hash, active, created_at) "
                    "VALUES ('lan', 'analyst', ?, TRUE, now())", [auth.hash_password(LAN_PW, FAST)])
    with storage.connect(path) as con:
        assert schema.migrate(con) == schema.SCHEMA_VERSION == 6
    assert sessions.resume(path, signed_in_cookie(path), now=T0).user.user_name == "lan"
