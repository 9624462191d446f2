"""Province-admin pages: accounts (`/admin/users`) and assessment cycles (`/admin/cycles`).

Disabling an account and resetting a password cannot be undone by the person affected, so both go through a
confirmation page: its form carries `confirm=yes`, and a POST without it is refused (400) rather than acted on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api.auth import UserDep, guard
from api.authz import Action
from api.csrf import require_csrf
from api.deps import CatalogDep, wants_json
from api.flash import flash
from api.frameworks import listing
from api.handlers import respond
from api.problems import NotFoundError
from api.rendering import page
from api.sql_store import CycleExists
from api.store import Store, StoreDep
from certify.catalog import Catalog
from certify.errors import CertifyError, Problem
from certify.store.accounts import Account, Role
from certify.store.cycles import parse_deadline

router = APIRouter(include_in_schema=False)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _actor(user: Account | None, action: Action) -> str:
    guard(user, action)
    assert user is not None  # guard refuses anonymous visitors
    return user.username


# --- accounts (province admin) -------------------------------------------------------------------------


def _account_json(a: Account) -> dict[str, Any]:
    return {"username": a.username, "role": a.role.value, "unit": a.unit_code, "active": a.active}


def _find(store: Store, username: str) -> Account:
    for account in store.users():
        if account.username == username:
            return account
    raise NotFoundError.one(
        "unknown-user", f"Không có tài khoản «{username}»", f"No user '{username}'", path=("username",), found=username
    )


CONFIRM_NEEDED = (
    "Thao tác này cần xác nhận: mở trang xác nhận rồi bấm nút xác nhận",
    "This action needs confirmation: open the confirmation page and confirm",
)


def _confirmed(request: Request, form: dict[str, str], url: str) -> Response | None:
    """None when the form confirms the action; otherwise the 400 answer that says how to confirm."""
    if form.get("confirm") == "yes":
        return None
    problem = Problem(
        "confirm-required",
        CONFIRM_NEEDED[0],
        CONFIRM_NEEDED[1],
        path=("confirm",),
        expected="yes",
        found=form.get("confirm") or None,
    )
    response = respond(request, [problem], 400)
    response.headers["Link"] = f'<{url}>; rel="confirm"'  # where the confirmation page is
    return response


def _users_data(store: Store) -> dict[str, Any]:
    return {"users": [_account_json(a) for a in store.users()], "roles": [r.value for r in Role]}


@router.get("/admin/users")
def users_page(request: Request, store: StoreDep, user: UserDep) -> Response:
    guard(user, Action.MANAGE_USERS)
    return page(request, "users.html", _users_data(store), user=user, form={}, problems=[])


@router.post("/admin/users", dependencies=[Depends(require_csrf)])
async def add_user(request: Request, store: StoreDep, user: UserDep) -> Response:
    actor = _actor(user, Action.MANAGE_USERS)
    form = await _form(request)
    try:
        account = store.add_user(
            form.get("username", "").strip(),
            form.get("role", ""),
            form.get("password", ""),
            form.get("unit", "").strip() or None,
            actor,
        )
    except CertifyError as exc:
        if wants_json(request):
            raise
        # The form again with what was typed (never the password) and each message at its field.
        kept = {k: v for k, v in form.items() if k != "password"}
        data = _users_data(store) | {"errors": [p.to_dict() for p in exc.problems]}
        return page(request, "users.html", data, 422, user=user, form=kept, problems=exc.problems)
    if wants_json(request):
        return JSONResponse(_account_json(account))
    flash(request, "Đã tạo tài khoản {username}.", username=account.username)
    return RedirectResponse("/admin/users", status_code=303)


# The confirmation pages: what will happen, to whom, and one button that POSTs with confirm=yes.
_CONFIRMABLE = {"disable", "reset-password"}


@router.get("/admin/users/{username}/{action}")
def confirm_page(request: Request, store: StoreDep, user: UserDep, username: str, action: str) -> Response:
    guard(user, Action.MANAGE_USERS)
    if action not in _CONFIRMABLE:
        raise NotFoundError.one(
            "not-found",
            "Không tìm thấy trang",
            "Not found",
            path=("action",),
            found=action,
            expected=" | ".join(sorted(_CONFIRMABLE)),
        )
    account = _find(store, username)
    data = {
        "user": _account_json(account),
        "action": action,
        "confirm": "yes",
        "post": f"/admin/users/{username}/{action}",
    }
    return page(request, "user_action.html", data, user=user)


@router.post("/admin/users/{username}/disable", dependencies=[Depends(require_csrf)])
async def disable(request: Request, store: StoreDep, user: UserDep, username: str) -> Response:
    actor = _actor(user, Action.MANAGE_USERS)
    refused = _confirmed(request, await _form(request), f"/admin/users/{username}/disable")
    if refused is not None:
        return refused
    account = store.set_user_active(username, False, actor)
    if wants_json(request):
        return JSONResponse(_account_json(account))
    flash(request, "Đã khóa tài khoản {username}: người dùng không đăng nhập được nữa.", username=username)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{username}/enable", dependencies=[Depends(require_csrf)])
async def enable(request: Request, store: StoreDep, user: UserDep, username: str) -> Response:
    # Enabling takes nothing away from anyone: no confirmation step.
    actor = _actor(user, Action.MANAGE_USERS)
    account = store.set_user_active(username, True, actor)
    if wants_json(request):
        return JSONResponse(_account_json(account))
    flash(request, "Đã mở khóa tài khoản {username}.", username=username)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{username}/reset-password", dependencies=[Depends(require_csrf)])
async def reset_password(request: Request, store: StoreDep, user: UserDep, username: str) -> Response:
    actor = _actor(user, Action.MANAGE_USERS)
    refused = _confirmed(request, await _form(request), f"/admin/users/{username}/reset-password")
    if refused is not None:
        return refused
    password = store.reset_password(username, actor)
    account = _find(store, username)
    # Shown once, in this answer only: nothing keeps it, and no cache or back button should bring it back.
    data = {"user": _account_json(account), "action": "reset-done", "password": password}
    response = page(request, "user_action.html", data, user=user)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- cycles (province admin) ---------------------------------------------------------------------------

# Cycles assess units against five levels or DTI points; other kinds (if any appear) have no cycle workflow.
CYCLE_KINDS = ("levels", "dti")


def _frameworks(catalog: Catalog) -> list[dict[str, Any]]:
    keep = ("id", "version", "kind", "tier", "status", "title", "title_en", "banner", "banner_en")
    return [
        {k: row[k] for k in keep} | {"ref": f"{row['id']}@{row['version']}"}
        for row in listing(catalog)
        if row["kind"] in CYCLE_KINDS
    ]


def _cycles_data(store: Store, catalog: Catalog) -> dict[str, Any]:
    frameworks = _frameworks(catalog)
    by_ref = {f["ref"]: f for f in frameworks}
    cycles = []
    for cycle_row in store.cycle_rows():
        info, count = cycle_row.cycle, cycle_row.units
        row = dataclasses.asdict(info)
        fw = by_ref.get(f"{info.framework_id}@{info.framework_version}", {})
        row |= {
            "framework": f"{info.framework_id}@{info.framework_version}",
            "submissions": count,
            "status": fw.get("status"),
            "framework_title": fw.get("title") or info.framework_id,
            "framework_title_en": fw.get("title_en"),
            "banner": fw.get("banner"),
            "banner_en": fw.get("banner_en"),
        }
        row["deadline"] = info.deadline.isoformat() if info.deadline else None
        row.pop("framework_hash", None)  # long and of no use on this page; the cycle's own page shows it
        cycles.append(row)
    return {"cycles": cycles, "frameworks": frameworks}


@router.get("/admin/cycles")
def cycles_page(request: Request, store: StoreDep, user: UserDep, catalog: CatalogDep) -> Response:
    guard(user, Action.OPEN_CYCLE)
    return page(request, "cycles.html", _cycles_data(store, catalog), user=user, form={}, problems=[])


def _bad(code: str, vi: str, en: str, field: str, **where: Any) -> Problem:
    return Problem(code, vi, en, path=(field,), **where)


TITLE_MAX = 300  # the column's length

# Errors of `open_cycle` that name no field, and the field of the form they are about.
_FIELD_OF = {"no-districts": "year"}


def _with_field(problems: list[Problem]) -> list[Problem]:
    return [p if p.path else dataclasses.replace(p, path=(_FIELD_OF.get(p.code, "framework"),)) for p in problems]


@router.post("/admin/cycles", dependencies=[Depends(require_csrf)])
async def open_cycle(request: Request, store: StoreDep, user: UserDep, catalog: CatalogDep) -> Response:
    actor = _actor(user, Action.OPEN_CYCLE)
    form = await _form(request)
    raw_year, ref, title = form.get("year", "").strip(), form.get("framework", "").strip(), form.get("title", "")
    refs = [f["ref"] for f in _frameworks(catalog)]
    problems: list[Problem] = []
    year = int(raw_year) if raw_year.isdigit() else 0
    if not 2000 <= year <= 2100:
        problems.append(
            _bad(
                "bad-year",
                "Năm không hợp lệ",
                "Invalid year",
                "year",
                expected="2000–2100",
                found=raw_year[:20] or None,
            )
        )
    if ref not in refs:
        problems.append(
            _bad(
                "unknown-framework",
                "Chọn một bộ tiêu chí trong danh sách",
                "Choose a framework from the list",
                "framework",
                expected=" | ".join(refs),
                found=ref[:100] or None,
            )
        )
    raw_deadline = form.get("deadline", "").strip()
    deadline = None
    if raw_deadline:
        try:
            deadline = parse_deadline(raw_deadline, year or dt.date.today().year)
        except CertifyError as exc:
            problems += exc.problems
    title = title.strip()
    if len(title) > TITLE_MAX:
        problems.append(
            _bad(
                "title-too-long",
                f"Tên kỳ đánh giá dài quá {TITLE_MAX} ký tự",
                f"The title is longer than {TITLE_MAX} characters",
                "title",
                expected=f"<= {TITLE_MAX}",
                found=str(len(title)),
            )
        )
    status = 422
    if not problems:
        try:
            info = store.open_cycle(year, ref, actor, title or None, deadline)
        except CycleExists as exc:
            problems, status = exc.problems, 409
        except CertifyError as exc:
            problems = _with_field(exc.problems)
    if problems:
        if wants_json(request):
            return respond(request, problems, status)
        # The form again, with what was typed and what is wrong, so nothing has to be entered twice.
        data = _cycles_data(store, catalog) | {"errors": [p.to_dict() for p in problems]}
        return page(request, "cycles.html", data, status, user=user, form=form, problems=problems)
    row = dataclasses.asdict(info) | {"deadline": info.deadline.isoformat() if info.deadline else None}
    if wants_json(request):
        return JSONResponse(row, status_code=201)
    flash(request, "Đã mở kỳ đánh giá số {id} (năm {year}).", id=info.id, year=info.year)
    return RedirectResponse(f"/admin/cycles#cycle-{info.id}", status_code=303)
