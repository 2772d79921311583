"""Who may do what: the roles, their order, and the least role each page and each action needs.

Three roles, each including the one before: a *viewer* browses, presents and downloads; an
*analyst* also imports, edits tasks, targets and notes and undoes their own imports; an *admin*
also manages users, undoes any import and reads the audit log. Nobody signed in, and any role
this module does not know, counts as a viewer. The sign-in, the page list, the page gate and the
pages' own checks all ask here.

>>> allows("admin", "analyst"), allows("viewer", "analyst"), allows(None, "viewer")
(True, False, True)
>>> may("analyst", "import"), may_open("analyst", "users")
(True, False)
"""

from __future__ import annotations

ROLES = ("viewer", "analyst", "admin")
LEAST = ROLES[0]
_RANK = {role: i for i, role in enumerate(ROLES)}

# The least role each page needs, by its url_path (any other page: viewer). Pages above the
# user's role are hidden from the page list and refused when their URL is opened directly.
PAGES: dict[str, str] = {"import": "analyst", "audit": "admin", "users": "admin"}

# The least role each action needs (the permission matrix of the README).
ACTIONS: dict[str, str] = {
    "browse": "viewer", "present": "viewer", "download": "viewer",
    "import": "analyst", "edit_tasks": "analyst", "edit_targets": "analyst", "edit_notes": "analyst",
    "undo_own_import": "analyst",
    "undo_any_import": "admin", "manage_users": "admin", "view_audit": "admin", "view_backups": "admin",
}


def known(role: object) -> str:
    """The role itself when it is one of :data:`ROLES`, else viewer.

    >>> known("admin"), known(None), known("superuser")
    ('admin', 'viewer', 'viewer')
    """
    return role if isinstance(role, str) and role in _RANK else LEAST


def allows(role: object, need: str) -> bool:
    """True when ``role`` includes the role ``need`` (a role of :data:`ROLES`; anything else is an error).

    >>> allows("analyst", "analyst"), allows("x", "analyst")
    (True, False)
    """
    return _RANK[known(role)] >= _RANK[need]


def page_needs(page: str | None) -> str:
    """The least role a page needs (``None`` is the start page).

    >>> page_needs("audit"), page_needs("overview"), page_needs(None)
    ('admin', 'viewer', 'viewer')
    """
    return PAGES.get(page or "", LEAST)


def may_open(role: object, page: str | None) -> bool:
    """True when a role may open a page."""
    return allows(role, page_needs(page))


def may(role: object, action: str) -> bool:
    """True when a role may do an action of :data:`ACTIONS`.

    >>> may("viewer", "download"), may("viewer", "import"), may("admin", "view_audit")
    (True, False, True)
    """
    return allows(role, ACTIONS[action])


def can_undo(role: object, user_name: str, batch_user: str) -> bool:
    """An analyst undoes their own imports; an admin any import.

    >>> can_undo("analyst", "lan", "lan"), can_undo("analyst", "lan", "minh"), can_undo("admin", "a", "minh")
    (True, False, True)
    """
    return may(role, "undo_any_import") or (may(role, "undo_own_import") and user_name == batch_user)


# ---------------------------------------------------------------------------
# Units reporting their own tasks
# ---------------------------------------------------------------------------
# A user may belong to units, with one unit role in each: a *reporter* (người báo cáo) files the
# reports of the tasks the unit leads or supports; a *follower* (đầu mối theo dõi) is the unit's named
# officer who follows up, and files and submits too. Members of the focal office (the unit marked
# is_focal: Phòng Kinh tế – Hạ tầng và Đô thị) review every unit's submitted reports. Admins manage
# memberships. Analysts and admins read every report; a viewer reads accepted reports only.
UNIT_ROLES = ("reporter", "follower")
REPORT_STATES = ("draft", "submitted", "accepted", "returned")
# What may be done to a unit's report of one task and period: read it, file it (create or change a
# draft, or correct a returned report), submit it, review it (accept or return), manage memberships.
REPORT_ACTIONS = ("read", "file", "submit", "review", "manage_members")
EDITABLE_STATES = (None, "draft", "returned")  # None: no report yet


def may_on_report(role: object, memberships: dict[str, str], action: str, unit_key: str | None,
                  state: str | None, focal_units: frozenset[str] | set[str] = frozenset()) -> bool:
    """The permission matrix of unit reports (README): may a user with a global ``role`` and unit
    ``memberships`` (unit_key -> unit role) do ``action`` on ``unit_key``'s report in ``state``?

    >>> may_on_report("viewer", {"vh_xh": "reporter"}, "file", "vh_xh", None)
    True
    >>> may_on_report("viewer", {"vh_xh": "reporter"}, "file", "vh_xh", "submitted")  # locked once submitted
    False
    >>> may_on_report("viewer", {"vh_xh": "reporter"}, "read", "tt_snc", "draft")  # another unit's draft
    False
    >>> may_on_report("viewer", {"kt_ht_dt": "follower"}, "review", "vh_xh", "submitted", {"kt_ht_dt"})
    True
    >>> may_on_report("viewer", {}, "read", "vh_xh", "accepted"), may_on_report("viewer", {}, "read", "vh_xh", "submitted")
    (True, False)
    """
    if action not in REPORT_ACTIONS:
        raise KeyError(action)
    if state is not None and state not in REPORT_STATES:
        return False
    member = unit_key is not None and memberships.get(unit_key) in UNIT_ROLES
    focal = any(memberships.get(u) in UNIT_ROLES for u in focal_units)
    if action == "manage_members":
        return allows(role, "admin")
    if action == "read":
        return (state == "accepted" or allows(role, "analyst") or member
                or (focal and state in ("submitted", "returned")))
    if action in ("file", "submit"):
        return member and state in EDITABLE_STATES and (action == "file" or state is not None)
    return focal and state == "submitted"  # review
