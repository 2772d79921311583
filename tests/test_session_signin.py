"""Analysts keep their way and their session: a sign-in survives a reload (a random, expiring
session id in an HttpOnly, SameSite=Strict cookie, checked on every run against the store's session
table and revoked on sign-out and on every change to the account), the page list never folds pages
away behind Streamlit's English "View more", and the one-time password's warning goes once the new
password is set.

The session store runs against a real DuckDB file; the app through AppTest; reload, cookies and the
page list in a real Chromium against a real server."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pci_metrics.store import reference_db, schema, sessions_db, settings_db, storage
from pci_metrics.trust import auth, roles, sessions
from pci_metrics.ui import navigation
from tests.conftest import start_server, wait_ready
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
        assert schema.migrate(con, target=6) == 6 and schema.migrate(con) == schema.SCHEMA_VERSION
    assert sessions.resume(path, signed_in_cookie(path), now=T0).user.user_name == "lan"


# --- in a real browser ------------------------------------------------------------------------

ADMIN_PW = "quan-tri-hong-bang-2026"
MINH_PW = "mat-khau-cua-minh"


@pytest.fixture(scope="module")
def session_server(tmp_path_factory, built_db):
    """A private server on a database with analyst lan (sign-in not required to browse)."""
    db = tmp_path_factory.mktemp("sessions") / "pci.duckdb"
    shutil.copy(built_db, db)
    with storage.connect(db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", display_name="Nguyễn Thị Lan", rounds=FAST)
        auth.add_user(con, "minh", "analyst", MINH_PW, by="admin", rounds=FAST)  # lan's password changes
    srv = start_server(db, {"PCI_ADMIN_PASSWORD": ADMIN_PW, "PCI_REQUIRE_LOGIN": "0"})
    yield srv
    srv.stop()


def sidebar_text(page) -> str:
    return page.inner_text('[data-testid="stSidebar"]')


def sign_in_on(page, url: str, user: str, password: str) -> None:
    page.goto(url + "/signin", wait_until="domcontentloaded")
    wait_ready(page, 90000)
    page.get_by_label("Tên đăng nhập").last.fill(user)
    page.get_by_label("Mật khẩu", exact=True).last.fill(password)
    page.locator('[data-testid="stFormSubmitButton"] button').last.click()
    page.get_by_text("Đã đăng nhập").first.wait_for(timeout=90000)
    wait_ready(page, 90000)


def session_cookie(page, other_than: str | None = None) -> dict:
    """The sign-in cookie once the browser has collected it (a new one when ``other_than`` is given)."""
    for _ in range(100):
        found = [c for c in page.context.cookies() if c["name"] == sessions.COOKIE and c["value"] != other_than]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no {sessions.COOKIE} cookie: {page.context.cookies()}")


def reload(page) -> str:
    """F5; the sidebar's text once the app is idle."""
    page.reload(wait_until="domcontentloaded")
    wait_ready(page, 90000)
    return sidebar_text(page)


def test_a_sign_in_survives_a_reload_and_a_reused_cookie_is_refused(session_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in_on(page, session_server.url, "lan", LAN_PW)
    cookie = session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert page.evaluate("document.cookie").find(sessions.COOKIE) == -1  # no page script can read it
    # F5: still lan, with the analyst's pages
    assert "Đã đăng nhập: Nguyễn Thị Lan" in reload(page)
    assert "Nhập dữ liệu" in sidebar_text(page)
    # sign out: the cookie goes, and setting the old value back is refused
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Đăng xuất").click()
    page.get_by_text("Chưa đăng nhập").first.wait_for(timeout=90000)
    for _ in range(100):  # the browser's sign-out has cleared the cookie: only then set it back
        if not [c for c in context.cookies() if c["name"] == sessions.COOKIE]:
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the sign-out left the cookie in the browser")
    context.add_cookies([cookie])
    assert "Chưa đăng nhập" in reload(page)
    assert "Nhập dữ liệu" not in sidebar_text(page)
    # sign in again, change the password: the cookie from before the change is refused ...
    sign_in_on(page, session_server.url, "lan", LAN_PW)
    before = session_cookie(page)
    page.get_by_text("Đổi mật khẩu").first.click()
    page.get_by_label("Mật khẩu hiện tại").fill(LAN_PW)
    page.get_by_label("Mật khẩu mới", exact=True).fill("mat-khau-moi-cua-lan")
    page.get_by_label("Nhập lại mật khẩu mới").fill("mat-khau-moi-cua-lan")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.get_by_text("Đã đổi mật khẩu.").wait_for(timeout=90000)
    after = session_cookie(page, other_than=before["value"])
    # ... while this tab got a new cookie, and keeps its sign-in over a reload
    assert "Đã đăng nhập: Nguyễn Thị Lan" in reload(page)
    context.add_cookies([before])
    assert "Chưa đăng nhập" in reload(page)
    # the new cookie works in a new tab of the same browser, until the account changes
    context.add_cookies([after])
    tab = context.new_page()
    tab.goto(session_server.url + "/import", wait_until="domcontentloaded")
    wait_ready(tab, 90000)
    assert "Đã đăng nhập: Nguyễn Thị Lan" in sidebar_text(tab)
    assert tab.locator('[data-testid="stFileUploader"]').count() == 1
    context.close()


@pytest.mark.parametrize("user, password, pages", [
    ("minh", MINH_PW, ["Nhập dữ liệu"]),
    ("admin", ADMIN_PW, ["Nhập dữ liệu", "Người dùng", "Nhật ký thay đổi"]),
])
def test_every_page_the_user_may_open_is_listed_without_view_more(session_server, browser, user, password, pages):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in_on(page, session_server.url, user, password)
    assert page.locator('[data-testid="stSidebarNavViewButton"]').count() == 0
    listed = [x.split("\n")[-1] for x in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]
    role = "admin" if user == "admin" else "analyst"
    with storage.connect(session_server.db, read_only=True) as con:
        priorities = list(reference_db.load_priorities(con)["name_vi"])
    for title in [*pages, "Tổng quan", "Trình chiếu", *priorities]:
        assert title in listed, (title, listed)
    assert len(listed) == len([p for p in navigation.page_ids() if roles.may_open(role, p)])
    for title in pages:
        assert page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.is_visible()
    context.close()
