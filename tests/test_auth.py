"""Users, passwords and roles: the rules as tables, storage on a real file, and the
sign-in a person goes through in the app (AppTest)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from streamlit.testing.v1 import AppTest

from pci_metrics.imports import commit, context, read, validate
from pci_metrics.store import audit_db, storage, tables_db
from pci_metrics.trust import auth
from tests.test_pages import APP, goto
from tests.test_pages import run_app as run_page_file

FAST = 4  # bcrypt cost for test users (the app uses 12); the rules under test do not depend on it


@pytest.mark.parametrize("raw, stored", [
    ("lan", "lan"), ("  Lan.Nguyen ", "lan.nguyen"), ("chuyen-vien_2", "chuyen-vien_2"),
    pytest.param("a", None, id="too-short"), pytest.param("x" * 33, None, id="too-long"),
    pytest.param("lan nguyen", None, id="space"), pytest.param("lân", None, id="diacritics"),
    pytest.param("'); DROP TABLE app_user; --", None, id="sql"), pytest.param("../admin", None, id="path"),
])
def test_user_names(raw, stored):
    if stored is None:
        with pytest.raises(auth.AuthError):
            auth.normalize_user_name(raw)
    else:
        assert auth.normalize_user_name(raw) == stored


@pytest.mark.parametrize("password, ok", [
    ("12345678", True), ("mật khẩu dài", True), ("1234567", False),
    pytest.param("ữ" * 24, True, id="72-bytes-ok"), pytest.param("ữ" * 25, False, id="75-bytes-refused"),
])
def test_password_rules(password, ok):
    if ok:
        assert auth.check_password_rules(password)
    else:
        with pytest.raises(auth.AuthError):
            auth.check_password_rules(password)


def test_hash_is_salted_and_matches_whatever_the_vietnamese_input_method():
    nfc = unicodedata.normalize("NFC", "Hồng Bàng 2026")
    nfd = unicodedata.normalize("NFD", "Hồng Bàng 2026")
    assert nfc != nfd
    h1, h2 = auth.hash_password(nfc, FAST), auth.hash_password(nfc, FAST)
    assert h1 != h2 and nfc not in h1
    assert auth.password_matches(nfd, h1) and auth.password_matches(nfc, h2)
    assert not auth.password_matches("Hong Bang 2026", h1)


def test_default_cost_is_12():
    assert auth.hash_password("mat-khau-dai").startswith("$2b$12$")


@pytest.fixture
def con(fresh_db):
    with storage.connect(fresh_db) as c:
        yield c


def test_users_live_in_the_database_hashed_and_audited(con):
    auth.add_user(con, "Lan", "analyst", "mat-khau-cua-lan", by="admin", display_name="Nguyễn Thị Lan",
                  rounds=FAST)
    assert [(u.user_name, u.role, u.display_name) for u in auth.list_users(con)] == [
        ("lan", "analyst", "Nguyễn Thị Lan")]
    # the password appears nowhere in the file: not in app_user, not in the audit log
    dump = con.execute("SELECT CAST(u AS VARCHAR) FROM app_user u UNION ALL "
                       "SELECT CAST(a AS VARCHAR) FROM audit_log a").fetchall()
    assert dump and not any("mat-khau-cua-lan" in row[0] for row in dump)
    auth.set_password(con, "lan", "mat-khau-moi-2026", by="admin", rounds=FAST)
    log = audit_db.load_audit(con)
    assert list(log["action"])[:2] == ["user_password", "user_add"]
    assert set(log["user_name"]) == {"admin"}
    assert not log["new_json"].str.contains(r"\$2b\$").any()  # no hash either
    assert auth.authenticate(con, "LAN", "mat-khau-moi-2026").role == "analyst"
    assert auth.authenticate(con, "lan", "mat-khau-cua-lan") is None


def test_sign_in_refuses_wrong_password_unknown_user_and_disabled_account(con):
    auth.add_user(con, "minh", "viewer", "mat-khau-minh", by="admin", rounds=FAST)
    assert auth.authenticate(con, "minh", "mat-khau-minh").user_name == "minh"
    assert auth.authenticate(con, "minh", "sai-mat-khau") is None
    assert auth.authenticate(con, "khong-co", "mat-khau-minh") is None
    assert auth.authenticate(con, "", "") is None
    auth.set_active(con, "minh", False, by="admin")
    assert auth.authenticate(con, "minh", "mat-khau-minh") is None


def test_a_taken_name_and_a_bad_role_are_refused_and_nothing_is_written(con):
    auth.add_user(con, "lan", "analyst", "mat-khau-cua-lan", by="admin", rounds=FAST)
    before = tables_db.table_checksums(con)
    with pytest.raises(auth.AuthError, match="already exists"):
        auth.add_user(con, "Lan", "admin", "mat-khau-khac", by="admin", rounds=FAST)
    with pytest.raises(auth.AuthError, match="Invalid role"):
        auth.add_user(con, "minh", "owner", "mat-khau-khac", by="admin", rounds=FAST)
    assert tables_db.table_checksums(con) == before


def test_the_last_admin_cannot_be_demoted_or_disabled(con):
    auth.add_user(con, "an", "admin", "mat-khau-cua-an", by="system", rounds=FAST)
    with pytest.raises(auth.AuthError, match="last administrator"):
        auth.set_role(con, "an", "analyst", by="an")
    with pytest.raises(auth.AuthError, match="last administrator"):
        auth.set_active(con, "an", False, by="an")
    auth.add_user(con, "binh", "admin", "mat-khau-binh", by="an", rounds=FAST)
    auth.set_role(con, "an", "analyst", by="binh")
    assert auth.get_user(con, "an").role == "analyst"


def test_first_run_admin_from_the_environment(con):
    boot = auth.ensure_admin(con, {"PCI_ADMIN_PASSWORD": "mat-khau-quan-tri"})
    assert boot.created and boot.one_time_password is None
    user = auth.authenticate(con, "admin", "mat-khau-quan-tri")
    assert user.role == "admin" and not auth.must_change_password(con, "admin")
    assert auth.ensure_admin(con, {"PCI_ADMIN_PASSWORD": "khac-hoan-toan"}) == auth.Bootstrap(False)


def test_first_run_one_time_password_must_be_changed(con):
    boot = auth.ensure_admin(con, {})
    assert boot.created and len(boot.one_time_password) == 16
    assert auth.authenticate(con, "admin", boot.one_time_password).role == "admin"
    assert auth.must_change_password(con, "admin")
    assert auth.ensure_admin(con, {}).one_time_password is None  # printed only once
    auth.set_password(con, "admin", "mat-khau-rieng-cua-toi", by="admin", rounds=FAST)
    assert not auth.must_change_password(con, "admin")
    assert auth.authenticate(con, "admin", boot.one_time_password) is None


@pytest.mark.parametrize("env, setting, required", [
    ({}, None, False), ({}, True, True), ({}, False, False),
    ({"PCI_REQUIRE_LOGIN": "1"}, False, True), ({"PCI_REQUIRE_LOGIN": "0"}, True, False),
    ({"PCI_REQUIRE_LOGIN": "true"}, None, True),
])
def test_browsing_needs_sign_in_setting(con, env, setting, required):
    if setting is not None:
        auth.set_login_required(con, setting, by="admin")
    assert auth.login_required(con, env) is required


# --- in the app ---------------------------------------------------------------------------


def run_app(page: str | None = None, lang: str = "vi", **state) -> AppTest:
    """The whole app as the server runs it: app.py (language, account box, the gate) on every run.

    ``AppTest.from_file`` would run a non-default page's file directly, without app.py, because
    a ``pages/`` folder sits next to app.py (Streamlit's old multipage mode); ``from_string`` has no
    such folder, so st.navigation decides, as on the server after its first run.
    """
    at = AppTest.from_string(open(APP, encoding="utf-8").read(), default_timeout=60)
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    if page is not None and page != "overview":
        goto(at, page)  # straight to the page (no Overview render first)
    at.run()
    return at


ADMIN_PW = "quan-tri-hong-bang"


@pytest.fixture
def app_admin(app_db, monkeypatch):
    """The app on a private database whose first start creates admin from PCI_ADMIN_PASSWORD."""
    monkeypatch.setenv("PCI_ADMIN_PASSWORD", ADMIN_PW)
    monkeypatch.delenv("PCI_REQUIRE_LOGIN", raising=False)
    return app_db


def sign_in(at, user: str, password: str, form: str = "trust_signin"):
    at.text_input(key=f"{form}_user").input(user)
    at.text_input(key=f"{form}_password").input(password)
    next(b for b in at.button if b.label in ("Đăng nhập", "Sign in")).click()
    at.run()
    return at


def test_sign_in_makes_the_session_that_user(app_admin):
    at = run_app("signin")
    assert at.title[0].value == "Đăng nhập" and at.session_state["role"] == "viewer" \
        if "role" in at.session_state else True
    sign_in(at, "admin", ADMIN_PW)
    assert not at.exception, at.exception
    assert at.session_state["user_name"] == "admin" and at.session_state["role"] == "admin"
    assert at.title[0].value == "Tài khoản"
    assert any("Quản trị" in c.value for c in at.caption)
    # the sign-out button forgets the user
    next(b for b in at.button if b.key == "trust_signout_page").click()
    at.run()
    assert "user_name" not in at.session_state and at.title[0].value == "Đăng nhập"


def test_wrong_password_is_refused_in_the_app_and_then_throttled(app_admin, monkeypatch):
    # a long first delay, so that the test does not depend on how fast the machine runs
    monkeypatch.setattr(auth, "SIGN_IN_RULES", auth.SignInRules(name=auth.Backoff(free=5, base_s=60.0, cap_s=60.0)))
    at = run_app("signin")
    sign_in(at, "admin", "sai-mat-khau")
    assert [e.value for e in at.error] == ["Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa."]
    assert "user_name" not in at.session_state
    for _ in range(4):
        sign_in(at, "admin", "sai-mat-khau")
    sign_in(at, "admin", ADMIN_PW)  # even the right password waits now, unchecked
    assert "user_name" not in at.session_state
    assert re.search(r"chưa được kiểm tra\. Hãy thử lại sau (59|60) giây\.$", at.error[0].value), at.error[0].value


def test_first_start_prints_a_one_time_password_once_and_asks_to_change_it(app_db, monkeypatch, capfd):
    monkeypatch.delenv("PCI_ADMIN_PASSWORD", raising=False)
    at = run_app()
    out = capfd.readouterr().out
    found = re.findall(r"mật khẩu dùng một lần: (\S+) ", out)
    assert len(found) == 1, out
    run_app()  # a second session: nothing printed again
    assert "dùng một lần" not in capfd.readouterr().out
    goto(at, "signin")
    at.run()
    sign_in(at, "admin", found[0])
    assert at.session_state["role"] == "admin"
    goto(at, "overview")
    at.run()  # every page asks for a new password first
    assert at.title[0].value == "Đổi mật khẩu" and not at.get("plotly_chart")
    at.text_input(key="trust_forced_new").input("mat-khau-rieng-2026")
    at.text_input(key="trust_forced_again").input("mat-khau-rieng-2026")
    next(b for b in at.button if b.label == "Đổi mật khẩu").click()
    at.run()
    at.run()
    assert at.get("plotly_chart"), "after the change the page shows"
    with storage.connect(app_db) as con:
        assert auth.authenticate(con, "admin", "mat-khau-rieng-2026") is not None


@pytest.mark.parametrize("page, role, refused", [
    ("audit", None, True), ("audit", "viewer", True), ("audit", "analyst", True), ("audit", "admin", False),
    ("users", "analyst", True), ("users", "admin", False),
    ("import", None, True), ("import", "analyst", False),
])
def test_opening_a_page_above_your_role_is_refused(app_admin, page, role, refused):
    from pci_metrics.ui.navigation import page_ids

    if page not in page_ids():
        pytest.skip(f"page {page} not built yet")
    state = {} if role is None else {"role": role, "user_name": "kiem-thu"}
    # through the gate in app.py, and the page file run on its own (as on a server's very first run)
    gate = run_app(page, **state)
    for at in (gate, run_page_file(page, **state)):
        assert not at.exception, at.exception
        messages = [e.value for e in at.error]
        assert any("Trang này dành cho" in m for m in messages) is refused, messages
        if refused:
            assert not at.dataframe and not at.get("file_uploader") and not at.get("data_editor")
    if refused:  # the gate offers the sign-in form right there
        assert [i.key for i in gate.text_input] == ["trust_gate_user", "trust_gate_password"]


def test_login_required_shows_only_the_sign_in_form(app_admin, monkeypatch):
    monkeypatch.setenv("PCI_REQUIRE_LOGIN", "1")
    at = run_app()
    assert at.title[0].value == "Đăng nhập" and not at.get("plotly_chart")
    assert [i.value for i in at.info] == ["Cần đăng nhập để xem bảng điều khiển."]
    sign_in(at, "admin", ADMIN_PW, form="trust_gate")
    assert at.get("plotly_chart"), "signed in, the overview shows"


def test_a_disabled_account_is_signed_out_on_its_next_interaction(app_admin):
    at = run_app("signin")
    sign_in(at, "admin", ADMIN_PW)
    with storage.connect(app_admin) as con:
        auth.add_user(con, "an", "admin", "mat-khau-cua-an", by="admin", rounds=FAST)
        auth.set_active(con, "admin", False, by="an")
    at.run()
    assert "user_name" not in at.session_state
    assert any("đăng nhập lại" in w.value for w in at.warning)


def test_an_analysts_import_is_in_the_audit_log_with_every_row_it_changed(app_admin):
    with storage.connect(app_admin) as con:
        csv = b"year,entity_key,code,value,source\n2023,haiphong,land,6.61,test\n2021,haiphong,land,7.0,test\n"
        incoming = validate.validate(read.read_file(csv, "diem.csv"), context.load_context(con), user="lan")
        outcome = commit.commit(con, incoming, user="lan", allow_changes=True)
    at = run_app("audit", role="admin", user_name="an")
    log = at.dataframe[0].value
    mine = log[(log["Người thực hiện"] == "lan") & (log["Thao tác"] == "Nhập dữ liệu")]  # actions and tables in words
    assert mine["Bảng"].tolist() == ["Điểm chỉ số"] and mine["Lần nhập"].tolist() == [outcome.batch_id]
    at.number_input(key="audit_batch").set_value(outcome.batch_id)
    at.run()
    assert at.subheader[0].value.startswith(f"Từng dòng lần nhập #{outcome.batch_id}")
    rows = at.dataframe[1].value
    assert len(rows) == 2 and set(rows["Bảng"]) == {"Điểm chỉ số"}
    changed = rows[rows["Thay đổi"].str.contains("→")]  # 2021 was published: old → new
    assert len(changed) == 1 and "Năm: 2021" in changed["Bản ghi"].iloc[0] and "{" not in changed["Bản ghi"].iloc[0]


WRITE_KEY = re.compile(r"save|commit|undo|delete|import|edit|add", re.IGNORECASE)
SIGN_IN_FORMS = {"", "trust_signin", "trust_gate"}


def write_widgets(at) -> list[str]:
    """Every widget on the page that could change data: uploaders, editors, text areas, forms other
    than the sign-in form, and buttons whose key says save/commit/undo/delete/import/edit/add."""
    out: list[str] = []

    def walk(node) -> None:
        kind, proto = getattr(node, "type", ""), getattr(node, "proto", None)
        key = str(getattr(node, "key", "") or "")
        if kind in ("file_uploader", "text_area"):
            out.append(f"{kind}:{key}")
        elif kind == "arrow_data_frame" and getattr(proto, "editing_mode", 0):
            out.append("data_editor")
        elif proto is not None and getattr(proto, "form_id", "") not in SIGN_IN_FORMS:
            out.append(f"form:{proto.form_id}")
        elif kind == "button" and WRITE_KEY.search(key):
            out.append(f"button:{key}")
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return sorted(set(out))


def all_pages() -> list[str]:
    from pci_metrics.ui.navigation import page_ids

    return page_ids()


@pytest.mark.parametrize("page", all_pages())
def test_a_viewer_finds_nothing_to_change_on_any_page(app_admin, page):
    at = run_app(page)  # nobody signed in: a viewer
    assert not at.exception, at.exception
    assert write_widgets(at) == []


def test_the_write_widget_check_sees_an_analysts_editors(app_admin):
    found = write_widgets(run_app("import", role="analyst", user_name="lan"))
    assert "file_uploader:ingest_file" in found and any(f.startswith("form:") for f in found)


def test_an_admin_adds_a_user_and_requires_sign_in_on_the_users_page(app_admin):
    at = run_app("users", role="admin", user_name="admin")
    at.text_input(key="users_add_name").input("Minh")
    at.text_input(key="users_add_display").input("Trần Văn Minh")
    at.selectbox(key="users_add_role").set_value("viewer")
    at.text_input(key="users_add_password").input("mat-khau-cua-minh")
    next(b for b in at.button if b.label == "Thêm người dùng").click()
    at.run()
    assert not at.exception and [s.value for s in at.success] == ["Đã lưu."]
    at.run()
    table = at.dataframe[0].value
    assert table[table["Tên đăng nhập"] == "minh"][["Tên hiển thị", "Vai trò"]].values.tolist() == [
        ["Trần Văn Minh", "Người xem"]]
    at.text_input(key="users_add_name").input("minh")  # taken: refused with the reason
    at.text_input(key="users_add_password").input("mat-khau-khac-nua")
    next(b for b in at.button if b.label == "Thêm người dùng").click()
    at.run()
    assert [e.value for e in at.error] == ['Đã có người dùng "minh"']
    at.toggle(key="users_require_login").set_value(True)
    at.run()
    with storage.connect(app_admin, read_only=True) as con:
        assert auth.login_required(con, {}) and auth.authenticate(con, "minh", "mat-khau-cua-minh")
        actions = audit_db.load_audit(con)
    assert {"user_add", "set_setting"} <= set(actions[actions["user_name"] == "admin"]["action"])
