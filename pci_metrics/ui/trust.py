"""Sign-in, the page gate and the account box. The only place that sets who is signed in.

Contract with the rest of the app: ``st.session_state["user_name"]`` and ``["role"]`` say who is
using the app (``ui.common.current_user()/current_role()/has_role()`` read them; AppTests set them
to act as a signed-in user). Not signed in means role ``viewer``. A sign-in lasts until the account
changes: the session keeps the account's epoch from the sign-in, and the gate (every rerun) signs it
out once the database holds another one.

A sign-in survives a reload and reaches a new tab through the browser's session cookie
(:mod:`pci_metrics.trust.sessions`, set by the server's own route, :mod:`pci_metrics.ui.routes`):
the page hands the browser a one-time code, and a new browser session with the cookie is signed in
again (:func:`_resume`). Every run checks that the sign-in still stands in the store.
"""

from __future__ import annotations

import json
import math

import duckdb
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from pci_metrics.base.i18n import t
from pci_metrics.store import storage
from pci_metrics.trust import auth, roles, sessions
from pci_metrics.ui.common import current_role, db, lang, load, may_open, plain_md, tell_unavailable, with_db
from pci_metrics.ui.routes import SESSION_PATH, SIGN_OUT_PATH

SIGNED_IN = "auth_signed_in"
MUST_CHANGE = "auth_must_change"
EPOCH = "auth_epoch"
SESSION = "auth_session_id"  # the sign-in's id in the store (not its secret: the cookie holds that)
COOKIE_TRIED = "auth_cookie_tried"  # the hash of the cookie this browser session tried to resume
TO_BROWSER = "auth_to_browser"  # the cookie script to send on the next run (a sign-in reruns at once)


@st.cache_resource(show_spinner=False)
def _bootstrap(db_path: str) -> bool:
    """First start on a database: create the admin (once per server process and database)."""
    auth.bootstrap_admin(db_path)
    return True


def _login_setting(con: duckdb.DuckDBPyConnection) -> bool:
    return auth.login_required(con)


def _account(con: duckdb.DuckDBPyConnection, user_name: str) -> auth.User | None:
    return auth.get_user(con, user_name)


def client_address() -> str:
    """The browser's address as the server sees it (the WebSocket's peer), for the per-address
    sign-in delay; ``auth.UNKNOWN_CLIENT`` on localhost and in AppTest, where there is none."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no browser context (AppTest, scripts)
        address = None
    return str(address) if address else auth.UNKNOWN_CLIENT


def _try_sign_in(name: str, password: str, lg: str) -> auth.SignIn | None:
    """One counted sign-in try; None (after saying why) when the database is missing or busy."""
    try:
        return auth.sign_in(db(), name, password, client_address())
    except (storage.DatabaseMissing, storage.DatabaseBusy) as exc:
        tell_unavailable(exc, lg)
    return None


def signed_in() -> bool:
    """True when this session signed in (AppTests that only set ``role`` count as signed in too)."""
    return bool(st.session_state.get(SIGNED_IN)) or "user_name" in st.session_state


def role_label(role: str, lg: str) -> str:
    """The role's name in the glossary's words."""
    return t(f"trust_role_{role}", lg) if role in roles.ROLES else role


def _set_user(user: auth.User, must_change: bool) -> None:
    st.session_state["user_name"] = user.user_name
    st.session_state["role"] = user.role
    st.session_state["display_name"] = user.display_name
    st.session_state[SIGNED_IN] = True
    st.session_state[MUST_CHANGE] = must_change
    st.session_state[EPOCH] = user.epoch


def _cookie_script(path: str, body: str = "") -> str:
    """Our own fixed script (no user text): post to one of the cookie routes of this server."""
    return (f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
            f"body: {json.dumps(body)}}});</script>")


def _start_browser_session(user: auth.User) -> str:
    """Record a new sign-in in the store; the script that has the browser collect its cookie."""
    handoff = with_db(lambda con: sessions.begin(con, user))
    st.session_state[SESSION] = handoff.session_id
    return _cookie_script(SESSION_PATH, handoff.code)


def _send_to_browser(script: str, where: DeltaGenerator | None = None) -> None:
    """Run our own cookie script in the browser (``st.html`` runs it in the page, not in a frame)."""
    (where or st).html(script, unsafe_allow_javascript=True, width="content")


def sign_out() -> None:
    """Forget who is signed in (back to viewer); the sign-in's cookie is refused from now on."""
    session_id = st.session_state.get(SESSION)
    if session_id:
        try:
            with storage.connect(db()) as con:
                sessions.end(con, str(session_id))
        except (storage.DatabaseMissing, storage.DatabaseBusy):
            pass  # the browser's sign-out below ends it too
        st.session_state[TO_BROWSER] = _cookie_script(SIGN_OUT_PATH)
    for key in ("user_name", "role", "display_name", SIGNED_IN, MUST_CHANGE, EPOCH, SESSION):
        st.session_state.pop(key, None)


def _resume() -> None:
    """A new browser session (a reload, a new tab) whose cookie holds a sign-in that still stands is
    signed in again; each cookie is tried once per browser session."""
    if signed_in():
        return
    try:
        token = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # noqa: BLE001 - no browser context (AppTest, scripts): no cookies
        token = None
    if not isinstance(token, str) or not token or st.session_state.get(COOKIE_TRIED) == sessions.secret_hash(token):
        return
    st.session_state[COOKIE_TRIED] = sessions.secret_hash(token)
    try:
        back = sessions.resume(db(), token)
    except (storage.DatabaseMissing, storage.DatabaseBusy):
        st.session_state.pop(COOKIE_TRIED, None)  # tried again on the next run
        return
    if back is not None:
        _set_user(back.user, back.must_change)
        st.session_state[SESSION] = back.session_id


def sign_in_form(lg: str, key: str = "trust_signin") -> None:
    """The sign-in form; on success the session becomes that user and the page reruns."""
    with st.form(key, clear_on_submit=False, border=True):
        name = st.text_input(t("trust_user_name", lg), key=f"{key}_user", autocomplete="username")
        password = st.text_input(t("trust_password", lg), type="password", key=f"{key}_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("trust_sign_in", lg), type="primary")
    if not submitted:
        return
    result = _try_sign_in(name, password, lg)
    if result is None:
        return
    if result.wait_s > 0:
        st.error(t("trust_throttled", lg, s=math.ceil(result.wait_s)))
        return
    if result.user is None:
        st.error(t("trust_bad_login", lg))
        return
    _set_user(result.user, result.must_change)
    st.session_state[TO_BROWSER] = _start_browser_session(result.user)
    st.session_state.pop(f"{key}_password", None)
    st.rerun()


def change_password_form(lg: str, forced: bool = False, key: str = "trust_passwd") -> None:
    """Change the signed-in user's password (asks the current one unless it is a forced change)."""
    user = str(st.session_state.get("user_name", ""))
    with st.form(key, clear_on_submit=True, border=True):
        current = "" if forced else st.text_input(t("trust_current_password", lg), type="password",
                                                   key=f"{key}_current", autocomplete="current-password")
        new = st.text_input(t("trust_new_password", lg), type="password", key=f"{key}_new",
                            autocomplete="new-password")
        again = st.text_input(t("trust_new_password2", lg), type="password", key=f"{key}_again",
                              autocomplete="new-password")
        submitted = st.form_submit_button(t("trust_change_password", lg), type="primary")
    if not submitted:
        return
    if new != again:
        st.error(t("trust_password_mismatch", lg))
        return
    if not forced:  # the current password is a sign-in try: counted and slowed down like one
        check = _try_sign_in(user, current, lg)
        if check is None:
            return
        if check.wait_s > 0:
            st.error(t("trust_throttled", lg, s=math.ceil(check.wait_s)))
            return
        if check.user is None:
            st.error(t("trust_wrong_current", lg))
            return

    def change(con: duckdb.DuckDBPyConnection) -> tuple[str | None, auth.User | None]:
        try:
            auth.set_password(con, user, new, by=user)
        except auth.AuthError as exc:
            return exc.message(lg), None
        return None, auth.get_user(con, user)

    problem, account = with_db(change)
    if problem or account is None:
        st.error(problem)
        return
    # the change ends every sign-in of the user, cookies included; this one goes on at the new
    # epoch, with a new cookie
    st.session_state[EPOCH] = account.epoch
    st.session_state[MUST_CHANGE] = False
    _send_to_browser(_start_browser_session(account))
    st.success(t("trust_password_changed", lg))


def forced_password_change(lg: str) -> None:
    """The one-time password's warning and the form to replace it; once the new password is set,
    the warning goes and only the form's "password changed" stays."""
    warning = st.empty()
    warning.warning(t("trust_must_change", lg))
    change_password_form(lg, forced=True, key="trust_forced")
    if not st.session_state.get(MUST_CHANGE):
        warning.empty()


def _revalidate(lg: str) -> None:
    """A session whose account changed since the sign-in (password, role, disabled, removed) is
    signed out on its next interaction. Cheap on every rerun: the account is read through the
    cache keyed by the data stamp, so the database is read again only after a commit."""
    if not st.session_state.get(SIGNED_IN):
        return
    user = load(_account, str(st.session_state.get("user_name", "")))
    if not auth.session_current(user, st.session_state.get("role"), st.session_state.get(EPOCH)):
        sign_out()
        st.warning(t("trust_account_gone", lg))
        return
    session_id = st.session_state.get(SESSION)
    if session_id is None:
        return  # AppTests that set the user directly
    row, account = load(sessions.lookup, str(session_id))
    if not sessions.standing(row, account):
        sign_out()
        st.warning(t("trust_session_expired", lg))
    elif row is not None and sessions.needs_touch(row):
        with_db(lambda con: sessions.touch(con, str(session_id)))


def login_required() -> bool:
    """Whether browsing needs a sign-in (``PCI_REQUIRE_LOGIN`` or the setting; default no)."""
    return bool(load(_login_setting))


def nav_position() -> str:
    """Hide the page list from someone who must sign in first."""
    return "hidden" if login_required() and not signed_in() else "sidebar"


def account_box(lg: str) -> None:
    """Sidebar: who is signed in (and sign out), or a link to sign in. It runs before the page list
    is built, so a session whose account changed is signed out first (the gate checks again)."""
    _resume()
    _revalidate(lg)
    box = st.sidebar.container(border=False)
    if script := st.session_state.pop(TO_BROWSER, None):
        _send_to_browser(str(script), box)
    if signed_in():
        name = str(st.session_state.get("display_name") or st.session_state.get("user_name", ""))
        box.caption(t("trust_signed_in_as", lg, name=plain_md(name), role=role_label(current_role(), lg)))
        if box.button(t("trust_sign_out", lg), key="trust_sign_out"):
            sign_out()
            st.rerun()
    else:
        box.caption(t("trust_browsing_as_viewer", lg))


def guard(page: StreamlitPage) -> None:
    """Run before ``page.run()``: sign-in when required, and refuse pages above the user's role."""
    lg = lang()
    try:
        _bootstrap(db())
    except storage.DatabaseMissing:
        pass  # the page says so itself
    except storage.DatabaseBusy:
        pass  # tried again on the next run (a failed cache_resource call is not cached)
    _revalidate(lg)
    url = page.url_path or "overview"
    if url == "signin":
        return
    if st.session_state.get(MUST_CHANGE):
        st.title(t("trust_change_password", lg))
        forced_password_change(lg)
        if st.session_state.get(MUST_CHANGE):
            st.stop()
        return
    if login_required() and not signed_in():
        st.title(t("trust_signin_title", lg))
        st.info(t("trust_login_required", lg))
        sign_in_form(lg, key="trust_gate")
        st.stop()
    if not may_open(url):
        st.title(t("trust_signin_title", lg))
        st.error(t("trust_refused", lg, role=role_label(roles.page_needs(url), lg),
                   current=role_label(current_role(), lg)))
        sign_in_form(lg, key="trust_gate")  # sign in (again) with an account that may
        st.stop()
