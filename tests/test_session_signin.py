"""Analysts keep their way and their session: a sign-in survives a reload (a random, expiring
session id in an HttpOnly, SameSite=Strict cookie, checked on every run against the store's session
table and revoked on sign-out and on every change to the account), the page list never folds pages
away behind Streamlit's English "View more", and the one-time password's warning goes once the new
password is set.

The session store runs against a real DuckDB file; the app through AppTest; reload, cookies and the
page list in a real Chromium against a real server."""

from __future__ import annotations

import pytest

from pci_metrics.store import settings_db, storage
from pci_metrics.trust import auth
from tests.test_auth import run_app
from tests.test_auth import sign_in as fill_sign_in

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
