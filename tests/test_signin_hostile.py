"""Sign-in against hostile users, each test a case seen on the earlier sign-in: thirty parallel
guesses all checked, a stranger locking the real user out, an answer's time telling the account's
state, and a session that kept its rights after the account changed.

Storage runs against a real DuckDB file (``fresh_db``); the app through AppTest; one case in a
real browser against a real server."""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import bcrypt
import pytest

from pci_metrics.store import audit_db, schema, storage, users_db
from pci_metrics.trust import auth
from pci_metrics.ui import trust
from tests.conftest import ROOT, start_server, wait_ready
from tests.test_auth import run_app
from tests.test_auth import sign_in as fill_sign_in
from tests.test_pages import goto

FAST = 4  # bcrypt cost where the cost does not matter to the test
LAN_PW = "mat-khau-cua-lan"
NOW = datetime(2026, 3, 2, 8, 0, 0)  # naive UTC, frozen so the delays do not run out during a test
ATTACKER, OFFICE = "203.0.113.66", "10.20.0.15"


@pytest.fixture
def db(fresh_db: Path) -> Path:
    """The full database plus analyst lan, hashed at the app's own cost."""
    with storage.connect(fresh_db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", display_name="Nguyễn Thị Lan")
    return fresh_db


def failures(db: Path, user_name: str) -> int:
    with storage.connect(db, read_only=True) as con:
        return users_db.login_failures_since(con, user_name, "-", datetime(2000, 1, 1))[0]


# --- parallel tries ---------------------------------------------------------------------------


def test_thirty_parallel_tries_for_one_name_check_only_the_free_ones(db, monkeypatch):
    """29 wrong passwords and the right one, all at once from 30 addresses: the database lets the
    name's free failures through and refuses the rest, with the time to wait, unchecked."""
    compared: list[str] = []
    real_matches = auth.password_matches

    def spy(password: str, hashed: str) -> bool:
        compared.append(password)
        return real_matches(password, hashed)

    monkeypatch.setattr(auth, "password_matches", spy)
    start = threading.Barrier(30)
    results: dict[int, auth.SignIn] = {}

    def one(i: int) -> None:
        start.wait()
        password = LAN_PW if i == 17 else f"doan-sai-{i:02d}"
        results[i] = auth.sign_in(db, "lan", password, f"198.51.100.{i}", now=NOW)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(30)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    free = auth.SIGN_IN_RULES.name.free
    assert len(results) == 30
    wrong_checked = [p for p in compared if p != LAN_PW]
    assert len(wrong_checked) <= free, f"{len(wrong_checked)} wrong passwords were checked"
    refused = [r for r in results.values() if r.wait_s > 0]
    assert len(refused) >= 30 - free - 1 and all(r.user is None for r in refused)
    assert len(compared) == 30 - len(refused)  # a refused try never reached bcrypt
    assert failures(db, "lan") <= free


def test_parallel_processes_are_serialised_by_the_database_file(db):
    """Six server processes at once (one writer at a time on the DuckDB file), two free failures:
    exactly two passwords are checked."""
    code = ("import datetime, json, sys\n"
            "from pci_metrics.trust import auth\n"
            "rules = auth.SignInRules(name=auth.Backoff(free=2, base_s=60.0, cap_s=60.0))\n"
            "r = auth.sign_in(sys.argv[1], 'lan', 'doan-sai-mat-khau', sys.argv[2],\n"
            "                 now=datetime.datetime(2026, 3, 2, 8), rules=rules)\n"
            "print(json.dumps({'wait_s': r.wait_s, 'user': r.user and r.user.user_name}))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), f"198.51.100.{i}"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(6)]
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(o["wait_s"] > 0 for o in outcomes) == [False, False, True, True, True, True], outcomes
    assert not any(o["user"] for o in outcomes) and failures(db, "lan") == 2


# --- no lock-out by a stranger ------------------------------------------------------------------


def test_a_stranger_guessing_for_ten_minutes_delays_the_real_user_by_seconds(db):
    """Someone at another address guesses for ten minutes, each time as soon as allowed. They get a
    handful of guesses; the real user's correct password then waits at most the name's short delay,
    while the stranger's own address waits minutes. (The earlier sign-in refused the real user for
    a minute after any five failures, again and again while the guessing went on.)"""
    rules = auth.SIGN_IN_RULES
    t, guesses, last = NOW, 0, NOW
    while t < NOW + timedelta(minutes=10):
        tried = auth.sign_in(db, "lan", f"doan-sai-{guesses}", ATTACKER, now=t)
        if tried.wait_s > 0:
            t += timedelta(seconds=tried.wait_s)  # waits exactly as told
        else:
            guesses, last = guesses + 1, t
            t += timedelta(seconds=1)
    assert guesses <= 20
    mine = auth.sign_in(db, "lan", LAN_PW, OFFICE, now=last + timedelta(seconds=1))
    assert mine.user is None and 0 < mine.wait_s <= rules.name.cap_s
    later = last + timedelta(seconds=1 + mine.wait_s)
    mine = auth.sign_in(db, "lan", LAN_PW, OFFICE, now=later)
    assert mine.user is not None and mine.user.user_name == "lan"
    theirs = auth.sign_in(db, "lan", "doan-tiep", ATTACKER, now=later)
    assert theirs.user is None and theirs.wait_s > 4 * rules.name.cap_s


def test_a_refused_try_is_not_counted_so_hammering_does_not_lengthen_the_wait(db):
    for i in range(5):
        auth.sign_in(db, "lan", f"doan-sai-{i}", ATTACKER, now=NOW)
    for _ in range(20):
        assert auth.sign_in(db, "lan", "doan-nua", ATTACKER, now=NOW).wait_s == pytest.approx(1.0)
    assert failures(db, "lan") == 5
    assert auth.sign_in(db, "lan", LAN_PW, OFFICE, now=NOW + timedelta(seconds=1)).user is not None


def test_the_real_user_gets_in_from_another_computer_in_the_app(app_db, monkeypatch):
    """In the app: six wrong passwords from one computer, then the real user from another. The
    earlier sign-in refused the right password for a minute."""
    with storage.connect(app_db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", rounds=FAST)
    here = {"address": ATTACKER}
    monkeypatch.setattr(trust, "client_address", lambda: here["address"], raising=False)
    stranger = run_app("signin")
    for i in range(6):
        fill_sign_in(stranger, "lan", f"doan-sai-{i}")
    assert "user_name" not in stranger.session_state
    here["address"] = OFFICE
    at = run_app("signin")
    fill_sign_in(at, "lan", LAN_PW)
    if "user_name" not in at.session_state:  # the name's short delay: the message says how long
        waited = re.search(r"thử lại sau (\d+) giây", at.error[0].value)
        assert waited and int(waited.group(1)) <= 30, at.error[0].value  # README: 30 s at most
        time.sleep(int(waited.group(1)))
        fill_sign_in(at, "lan", LAN_PW)
    assert at.session_state["user_name"] == "lan"


def test_a_delayed_try_says_how_long_to_wait_in_both_languages_and_checks_nothing(app_db, monkeypatch):
    monkeypatch.setattr(auth, "SIGN_IN_RULES", auth.SignInRules(name=auth.Backoff(free=2, base_s=90.0, cap_s=90.0)))
    with storage.connect(app_db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", rounds=FAST)
    checked: list[str] = []
    real_matches = auth.password_matches
    monkeypatch.setattr(auth, "password_matches", lambda p, h: checked.append(p) or real_matches(p, h))
    for lang, text in (("vi", r"mật khẩu chưa được kiểm tra\. Hãy thử lại sau (\d+) giây\.$"),
                       ("en", r"the password was not checked\. Try again in (\d+) seconds\.$")):
        at = run_app("signin", lang=lang)
        for i in range(2 if lang == "vi" else 0):
            fill_sign_in(at, "lan", f"doan-sai-{i}")
        checked.clear()
        fill_sign_in(at, "lan", LAN_PW)
        assert "user_name" not in at.session_state and not checked
        waited = re.search(text, at.error[0].value)
        assert waited and 60 < int(waited.group(1)) <= 90, at.error[0].value


# --- the same work for every wrong password ---------------------------------------------------


@pytest.fixture
def accounts(fresh_db: Path) -> Path:
    """A normal analyst, a disabled one, and admin still on the one-time password (all as created
    by the app, at its own cost)."""
    with storage.connect(fresh_db) as con:
        auth.ensure_admin(con, {})
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin")
        auth.add_user(con, "cu", "analyst", "mat-khau-cua-cu", by="admin")
        auth.set_active(con, "cu", False, by="admin")
    return fresh_db


KINDS = ["lan", "admin", "cu", "khong-ai-ca", "ten khong hop le"]  # normal, one-time, disabled, unknown, invalid


def test_every_wrong_password_costs_one_bcrypt_comparison_at_the_apps_cost(accounts, monkeypatch):
    costs: list[int] = []
    real_checkpw = bcrypt.checkpw

    def spy(password: bytes, hashed: bytes) -> bool:
        costs.append(int(hashed.split(b"$")[2]))
        return real_checkpw(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", spy)
    with storage.connect(accounts, read_only=True) as con:
        for name in KINDS:
            costs.clear()
            assert auth.authenticate(con, name, "sai-mat-khau-roi") is None
            assert costs == [auth.BCRYPT_ROUNDS], (name, costs)
    for name in KINDS:  # the browser's sign-in does the same
        costs.clear()
        assert auth.sign_in(accounts, name, "sai-mat-khau-roi", f"10.0.0.{len(name)}").user is None
        assert costs == [auth.BCRYPT_ROUNDS], (name, costs)


def test_a_wrong_password_takes_as_long_whatever_the_account(accounts):
    """Medians of five rounds, each round timing every kind once (load changes hit all alike)."""
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    with storage.connect(accounts, read_only=True) as con:
        for _ in range(5):
            for name in KINDS:
                t0 = time.perf_counter()
                auth.authenticate(con, name, "sai-mat-khau-roi")
                times[name].append(time.perf_counter() - t0)
    median = {k: statistics.median(v) for k, v in times.items()}
    for name in KINDS:
        assert median[name] >= 0.5 * median["lan"], median


# --- sessions end when the account changes ---------------------------------------------------


def cli(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pci_metrics", *args, "--db", str(db)], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("change", [
    pytest.param(lambda con: auth.set_password(con, "lan", "mat-khau-moi-2026", by="admin", rounds=FAST), id="password"),
    pytest.param(lambda con: auth.set_role(con, "lan", "viewer", by="admin"), id="role"),
    pytest.param(lambda con: auth.set_active(con, "lan", False, by="admin"), id="disabled"),
    pytest.param(lambda con: auth.remove_user(con, "lan", by="admin"), id="removed"),
    pytest.param(lambda con: (auth.remove_user(con, "lan", by="admin"),
                              auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", rounds=FAST)),
                 id="removed-and-added-again"),
])
def test_every_change_to_an_account_ends_its_sessions(db, change):
    signed = auth.sign_in(db, "lan", LAN_PW, OFFICE).user
    with storage.connect(db) as con:
        auth.add_user(con, "minh", "viewer", "mat-khau-minh", by="admin", rounds=FAST)
        auth.set_password(con, "minh", "mat-khau-minh-moi", by="admin", rounds=FAST)  # someone else's
        auth.set_role(con, "lan", "analyst", by="admin")  # no change: nothing ends
        assert auth.session_current(auth.get_user(con, "lan"), signed.role, signed.epoch)
        change(con)
        assert not auth.session_current(auth.get_user(con, "lan"), signed.role, signed.epoch)


def test_users_remove_on_the_command_line(db):
    r = cli(db, "users", "remove", "lan")
    assert r.returncode == 0 and "Đã xóa người dùng lan / Removed user lan" in r.stdout, r.stderr
    with storage.connect(db, read_only=True) as con:
        assert auth.get_user(con, "lan") is None
        assert audit_db.load_audit(con)["action"].iloc[0] == "user_remove"


def test_a_password_set_on_the_command_line_signs_the_open_session_out(app_db):
    with storage.connect(app_db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", rounds=FAST)
    at = run_app("signin")
    fill_sign_in(at, "lan", LAN_PW)
    goto(at, "import")
    at.run()
    assert at.get("file_uploader"), "signed in, the analyst has the import page"
    r = cli(app_db, "users", "passwd", "lan", stdin="mat-khau-moi-cua-lan\n")
    assert r.returncode == 0, r.stderr
    at.run()
    assert not at.exception, at.exception
    assert "user_name" not in at.session_state and not at.get("file_uploader")
    assert any("phiên làm việc đã kết thúc" in w.value for w in at.warning)
    assert [i.key for i in at.text_input] == ["trust_gate_user", "trust_gate_password"]


def test_changing_your_own_password_keeps_your_session(app_db):
    with storage.connect(app_db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", rounds=FAST)
    at = run_app("signin")
    fill_sign_in(at, "lan", LAN_PW)
    at.text_input(key="trust_passwd_current").input(LAN_PW)
    at.text_input(key="trust_passwd_new").input("mat-khau-moi-cua-lan")
    at.text_input(key="trust_passwd_again").input("mat-khau-moi-cua-lan")
    next(b for b in at.button if b.label == "Đổi mật khẩu").click()
    at.run()
    assert [s.value for s in at.success] == ["Đã đổi mật khẩu."]
    at.run()
    assert at.session_state["user_name"] == "lan" and not at.warning


def test_schema_v5_adds_the_failures_table_and_the_epoch_to_existing_users(tmp_path):
    path = tmp_path / "v4.duckdb"
    with storage.connect(path, create=True) as con:
        assert schema.migrate(con, target=4) == 4
        con.execute("INSERT INTO app_user (user_name, role, password_hash, active, created_at) "
                    "VALUES ('lan', 'analyst', ?, TRUE, now())", [auth.hash_password(LAN_PW, FAST)])
    with storage.connect(path) as con:
        assert schema.migrate(con) == schema.SCHEMA_VERSION
        assert auth.get_user(con, "lan").epoch == 0
    assert auth.sign_in(path, "lan", "sai-mat-khau", OFFICE, now=NOW).user is None
    assert failures(path, "lan") == 1
    assert auth.sign_in(path, "lan", LAN_PW, OFFICE, now=NOW).user.user_name == "lan"
    assert failures(path, "lan") == 0  # a good sign-in forgives its own address's failures


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_a_password_changed_on_the_command_line_ends_the_browser_session(tmp_path, built_db, browser):
    db = tmp_path / "pci.duckdb"
    shutil.copy(built_db, db)
    with storage.connect(db) as con:
        auth.add_user(con, "lan", "analyst", LAN_PW, by="admin", display_name="Nguyễn Thị Lan", rounds=FAST)
    srv = start_server(db, {"PCI_ADMIN_PASSWORD": "quan-tri-hong-bang-2026", "PCI_REQUIRE_LOGIN": "0"})
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(srv.url + "/import", wait_until="domcontentloaded")
        wait_ready(page, 90000)
        page.get_by_label("Tên đăng nhập").last.fill("lan")
        page.get_by_label("Mật khẩu").last.fill(LAN_PW)
        page.locator('[data-testid="stFormSubmitButton"] button').last.click()
        page.locator('[data-testid="stFileUploader"]').wait_for(timeout=90000)
        wait_ready(page, 90000)
        r = cli(db, "users", "passwd", "lan", stdin="mat-khau-moi-cua-lan\n")
        assert r.returncode == 0, r.stderr
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("English").click()  # any click reruns
        sidebar.get_by_text(re.compile("Not signed in|Signed in")).wait_for(timeout=90000)  # the rerun, in English
        wait_ready(page, 90000)
        assert "Not signed in" in sidebar.inner_text()
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
        assert "session ended" in page.inner_text('[data-testid="stMain"]')
        assert page.get_by_label("User name").count() >= 1 and page.get_by_label("Password").count() >= 1
        page.close()
    finally:
        srv.stop()
