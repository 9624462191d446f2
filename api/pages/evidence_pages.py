"""Evidence files per criterion of a stored unit: list, upload, download, delete (with confirmation).

Who: whoever may see the unit's unpublished file (its editors, the province) lists and downloads; the unit's
editors upload and delete while the submission is theirs to edit (draft, returned). Every upload and deletion
is in the audit trail (certify.store.evidence).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from api import confirm
from api.auth import UserDep, guard
from api.authz import Action, can
from api.confirm import Confirm
from api.csrf import require_csrf
from api.deps import get_translator, wants_json
from api.evidence_store import EvidenceDep, by_criterion, file_json
from api.flash import flash
from api.pages.store_pages import _load, _unit_url
from api.rendering import page
from api.store import StoreDep
from certify.errors import CertifyError, Problem
from certify.store.accounts import Account
from certify.store.evidence import ACCEPTED_EN, ACCEPTED_VI, EvidenceInfo
from certify.store.views import UnitView
from certify.store.workflow import State

router = APIRouter(include_in_schema=False)


def _editable(user: Account | None, view: UnitView) -> bool:
    return can(user, Action.EDIT, view.unit_code) and view.state in (State.DRAFT.value, State.RETURNED.value)


def _page(
    request: Request,
    view: UnitView,
    user: Account | None,
    files: list[EvidenceInfo],
    form: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    data = {
        "unit": view.unit_code,
        "unit_name": view.unit_name,
        "year": view.year,
        "files": [file_json(view, f) for f in files],
    }
    return page(
        request,
        "evidence.html",
        data,
        status,
        user=user,
        view=view,
        fw=view.fw,
        files=by_criterion(view, files),
        editable=_editable(user, view),
        url=_unit_url(view),
        form=form or {},
        problems=problems or [],
        max_mb=request.app.state.settings.max_evidence_bytes // (1024 * 1024),
        accepted=get_translator(request).pick(ACCEPTED_VI, ACCEPTED_EN),
    )


@router.get("/cycles/{cycle_id}/units/{code}/evidence")
def evidence_page(
    request: Request, store: StoreDep, files: EvidenceDep, user: UserDep, cycle_id: int, code: str
) -> Response:
    guard(user, Action.VIEW, code)  # evidence is the unit's working file: never public
    view = _load(store, cycle_id, code)
    return _page(request, view, user, files.listing(cycle_id, code))


def _day(form: Any, name: str, problems: list[Problem]) -> dt.date | None:
    raw = str(form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        problems.append(Problem("bad-date", "Ngày không hợp lệ", "Invalid date", path=(name,), found=raw[:20]))
        return None


@router.post("/cycles/{cycle_id}/units/{code}/evidence", dependencies=[Depends(require_csrf)])
async def upload(
    request: Request, store: StoreDep, files: EvidenceDep, user: UserDep, cycle_id: int, code: str
) -> Response:
    guard(user, Action.EDIT, code)
    assert user is not None
    view = _load(store, cycle_id, code)
    form = await request.form()
    kept = {k: v for k, v in form.items() if isinstance(v, str)}
    problems: list[Problem] = []
    if not _editable(user, view):
        problems.append(
            Problem(
                "not-editable",
                "Hồ sơ đã nộp: không thêm được tệp kiểm chứng",
                "The submission is no longer editable: no file can be added",
                path=("file",),
            )
        )
    criterion = kept.get("criterion", "")
    if criterion not in view.fw.criterion_by_code:
        problems.append(
            Problem(
                "unknown-criterion", "Chọn một tiêu chí", "Choose a criterion", path=("criterion",), found=criterion
            )
        )
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems.append(Problem("no-file", "Chọn tệp để tải lên", "Choose a file to upload", path=("file",)))
    issued, effective = _day(form, "document_date", problems), _day(form, "effective_date", problems)
    info = None
    if not problems and isinstance(upload, UploadFile):
        data = await upload.read(files.max_bytes + 1)
        try:
            info = files.add(
                cycle_id,
                code,
                criterion,
                upload.filename or "",
                data,
                user.username,
                number=kept.get("document_number"),
                issued=issued,
                effective=effective,
            )
        except CertifyError as exc:
            problems = exc.problems
    if problems or info is None:
        if wants_json(request):
            raise CertifyError(problems)
        return _page(request, view, user, files.listing(cycle_id, code), kept, problems, 422)
    if wants_json(request):
        return JSONResponse(file_json(view, info), status_code=201)
    flash(
        request,
        "Đã tải lên tệp {file} cho tiêu chí {criterion} của {unit}.",
        file=info.filename,
        criterion=info.criterion,
        unit=view.unit_name,
    )
    return RedirectResponse(_unit_url(view, f"/evidence#ev-{info.criterion}"), status_code=303)


@router.get("/cycles/{cycle_id}/units/{code}/evidence/{file_id}/download")
def download(
    request: Request, store: StoreDep, files: EvidenceDep, user: UserDep, cycle_id: int, code: str, file_id: int
) -> Response:
    guard(user, Action.VIEW, code)
    info, path = files.get(cycle_id, code, file_id)
    return FileResponse(
        path,
        media_type=info.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(info.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def _delete_confirm(request: Request, view: UnitView, info: EvidenceInfo) -> Confirm:
    tr = get_translator(request)
    return Confirm(
        title=tr("Xóa tệp kiểm chứng"),
        question=tr("Xóa tệp «{file}» khỏi tiêu chí {criterion} của {unit}?").format(
            file=info.filename, criterion=info.criterion, unit=view.unit_name
        ),
        consequence=tr("Tệp không còn trong hồ sơ; nhật ký vẫn ghi lại việc tải lên và việc xóa."),
        action=_unit_url(view, f"/evidence/{info.id}/delete"),
        button=tr("Xác nhận xóa tệp"),
        cancel=_unit_url(view, "/evidence"),
        danger=True,
    )


@router.get("/cycles/{cycle_id}/units/{code}/evidence/{file_id}/delete")
def delete_page(
    request: Request, store: StoreDep, files: EvidenceDep, user: UserDep, cycle_id: int, code: str, file_id: int
) -> Response:
    guard(user, Action.EDIT, code)
    view = _load(store, cycle_id, code)
    info, _ = files.get(cycle_id, code, file_id)
    return confirm.show(request, _delete_confirm(request, view, info), user)


@router.post("/cycles/{cycle_id}/units/{code}/evidence/{file_id}/delete", dependencies=[Depends(require_csrf)])
async def delete(
    request: Request, store: StoreDep, files: EvidenceDep, user: UserDep, cycle_id: int, code: str, file_id: int
) -> Response:
    guard(user, Action.EDIT, code)
    assert user is not None
    view = _load(store, cycle_id, code)
    info, _ = files.get(cycle_id, code, file_id)
    form = await request.form()
    if form.get("confirm") != "yes":
        return confirm.show(request, _delete_confirm(request, view, info), user)
    if not _editable(user, view):
        raise CertifyError.one(
            "not-editable",
            "Hồ sơ đã nộp: không xóa được tệp kiểm chứng",
            "The submission is no longer editable: files cannot be deleted",
            path=("file",),
        )
    files.delete(cycle_id, code, file_id, user.username)
    if wants_json(request):
        return JSONResponse({"deleted": file_id})
    flash(request, "Đã xóa tệp {file} khỏi tiêu chí {criterion}.", file=info.filename, criterion=info.criterion)
    return RedirectResponse(_unit_url(view, f"/evidence#ev-{info.criterion}"), status_code=303)
