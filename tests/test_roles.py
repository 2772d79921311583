"""Who may do what, in one place (pci_metrics.trust.roles): every role against every restricted
page and every action, as a table. The page list, the page gate, the pages' own checks and the
sign-in all ask these same rules."""

from __future__ import annotations

import pytest

from pci_metrics.trust import roles
from pci_metrics.ui import navigation

SOMEONE = [*roles.ROLES, None, "superuser"]  # nobody signed in, and an unknown role, are viewers
LEVEL = {"viewer": 0, "analyst": 1, "admin": 2, None: 0, "superuser": 0}

PAGE_TABLE = [  # page, the least role that opens it
    ("overview", "viewer"), ("compare", "viewer"), ("provinces", "viewer"), ("province", "viewer"),
    ("present", "viewer"), ("tasks", "viewer"),
    ("service", "viewer"), ("whatif", "viewer"), ("signin", "viewer"), ("land", "viewer"),
    ("import", "analyst"), ("users", "admin"), ("audit", "admin"),
]
ACTION_TABLE = [  # action, the least role that may do it (the README's permission matrix)
    ("browse", "viewer"), ("present", "viewer"), ("download", "viewer"),
    ("import", "analyst"), ("edit_tasks", "analyst"), ("edit_targets", "analyst"), ("edit_notes", "analyst"),
    ("undo_own_import", "analyst"),
    ("undo_any_import", "admin"), ("manage_users", "admin"), ("view_audit", "admin"), ("view_backups", "admin"),
]


@pytest.mark.parametrize("role", SOMEONE)
@pytest.mark.parametrize("page, least", PAGE_TABLE)
def test_who_may_open_each_page(role, page, least):
    assert roles.may_open(role, page) is (LEVEL[role] >= LEVEL[least])


@pytest.mark.parametrize("role", SOMEONE)
@pytest.mark.parametrize("action, least", ACTION_TABLE)
def test_who_may_do_each_action(role, action, least):
    assert roles.may(role, action) is (LEVEL[role] >= LEVEL[least])


@pytest.mark.parametrize("role, need, allowed", [
    ("viewer", "viewer", True), ("viewer", "analyst", False), ("viewer", "admin", False),
    ("analyst", "viewer", True), ("analyst", "analyst", True), ("analyst", "admin", False),
    ("admin", "viewer", True), ("admin", "analyst", True), ("admin", "admin", True),
    pytest.param(None, "viewer", True, id="nobody-is-a-viewer"),
    pytest.param("superuser", "analyst", False, id="unknown-role-is-a-viewer"),
    pytest.param("", "analyst", False, id="blank-role-is-a-viewer"),
])
def test_each_role_includes_the_ones_before(role, need, allowed):
    assert roles.allows(role, need) is allowed


def test_a_need_that_is_no_role_is_a_mistake_not_a_refusal():
    with pytest.raises(KeyError):
        roles.allows("admin", "superuser")


def test_the_tables_cover_every_rule():
    assert {a for a, _ in ACTION_TABLE} == set(roles.ACTIONS)
    assert {p for p, least in PAGE_TABLE if least != "viewer"} == set(roles.PAGES)


def test_every_restricted_page_is_a_page_of_the_app():
    assert set(roles.PAGES) <= {url for _, _, url, _, _ in navigation.FIXED}


@pytest.mark.parametrize("role, me, owner, allowed", [
    pytest.param("analyst", "lan", "lan", True, id="analyst-own-import"),
    pytest.param("analyst", "lan", "minh", False, id="analyst-someone-elses"),
    pytest.param("admin", "an", "minh", True, id="admin-any-import"),
    pytest.param("viewer", "lan", "lan", False, id="viewer-never"),
    pytest.param(None, "guest", "guest", False, id="nobody-never"),
])
def test_who_may_undo_an_import(role, me, owner, allowed):
    assert roles.can_undo(role, me, owner) is allowed
