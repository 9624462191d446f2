"""Who may do what: one function, `can(user, action, unit_code)`, read by every stored page and the tests.

Rules (the workflow state is checked separately, by the store):
- unit editors: their own unit only — view it, edit its self-assessment and submit it (draft/returned);
- province appraisers: view any unit, appraise, return, approve;
- province admin: view any unit, open cycles, recognise, publish, manage users;
- public viewers and anonymous visitors: published results only.
"""

from __future__ import annotations

from enum import StrEnum

from certify.errors import CertifyError
from certify.store.accounts import Account, Role


class Action(StrEnum):
    VIEW_PUBLISHED = "view_published"
    VIEW = "view"  # a submission in any state, and the province dashboard with unpublished figures
    EDIT = "edit"  # save the self-assessment as a draft
    SUBMIT = "submit"
    APPRAISE = "appraise"  # change appraised values
    RETURN = "return"
    APPROVE = "approve"
    OPEN_CYCLE = "open_cycle"
    RECOGNISE = "recognise"
    PUBLISH = "publish"
    MANAGE_USERS = "manage_users"


UNIT_ACTIONS = frozenset({Action.VIEW, Action.EDIT, Action.SUBMIT})
APPRAISER_ACTIONS = frozenset({Action.VIEW, Action.APPRAISE, Action.RETURN, Action.APPROVE})
ADMIN_ACTIONS = frozenset({Action.VIEW, Action.OPEN_CYCLE, Action.RECOGNISE, Action.PUBLISH, Action.MANAGE_USERS})


class Forbidden(CertifyError):
    """Answered with 403, same error shape."""


def can(user: Account | None, action: str, unit_code: str | None = None) -> bool:
    try:
        act = Action(action)
    except ValueError:
        return False
    if act is Action.VIEW_PUBLISHED:
        return True
    if user is None or user.role is Role.PUBLIC_VIEWER:
        return False
    if user.role is Role.UNIT_EDITOR:
        return act in UNIT_ACTIONS and unit_code is not None and unit_code == user.unit_code
    if user.role is Role.PROVINCE_APPRAISER:
        return act in APPRAISER_ACTIONS
    return act in ADMIN_ACTIONS


def require(user: Account | None, action: str, unit_code: str | None = None) -> None:
    if not can(user, action, unit_code):
        who = user.username if user else "anonymous"
        raise Forbidden.one(
            "forbidden",
            "Bạn không có quyền thực hiện thao tác này" + ("" if user else " (hãy đăng nhập)"),
            "You are not allowed to do this" + ("" if user else " (log in first)"),
            path=("action",),
            expected=action,
            found=f"{who}{' @ ' + unit_code if unit_code else ''}",
        )
