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
