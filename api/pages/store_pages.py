"""Pages on the stored cycles: province dashboard, unit page, self-assessment, appraisal, recognition.

Every page checks `api.authz.can` first (403 otherwise, same error shape) and has a JSON twin (`.json`).
Writes carry the submission's version: a change made meanwhile by someone else is a clear conflict.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup

from api.auth import UserDep, guard
from api.authz import Action, can
from api.csrf import require_csrf
from api.dashboard import dti_section, level_section, pick_tier
from api.deps import CatalogDep, get_translator, wants_json
from api.form_values import assessment_data, fields, form_values
from api.graph_svg import bar_chart
from api.problems import NotFoundError
from api.rendering import page
from api.store import StoreDep
from certify.errors import CertifyError
from certify.levels.assessment import Assessment, bind
from certify.levels.gap import gap_report
from certify.levels.model import IndicatorType
from certify.sourcefile import validate_model
from certify.store.accounts import Account
from certify.store.evaluations import bind_values
from certify.store.views import UnitDti, UnitView
from certify.store.workflow import STATE_VI, State

router = APIRouter(include_in_schema=False)

Year = Annotated[int | None, Query(ge=2000, le=2100)]


def _province_view(user: Account | None) -> bool:
    """Appraisers and admins see every submission; others (and anonymous) published results only."""
    return can(user, Action.VIEW) and user is not None and user.unit_code is None


def _visible(user: Account | None, view: UnitView) -> bool:
    return view.state == State.PUBLISHED.value or can(user, Action.VIEW, view.unit_code)


def _load(store: StoreDep, cycle_id: int, code: str) -> UnitView:
    try:
        return store.unit(cycle_id, code)
    except CertifyError as exc:
        if exc.problems and exc.problems[0].code in ("no-submission", "unknown-cycle"):
            raise NotFoundError(exc.problems) from None
        raise


def _unit(store: StoreDep, user: Account | None, cycle_id: int, code: str) -> UnitView:
    view = _load(store, cycle_id, code)
    if not _visible(user, view):
        guard(user, Action.VIEW, code)
    return view


# --- dashboard ------------------------------------------------------------------------------------


def _dashboard_views(store: StoreDep, user: Account | None, year: int, public_only: bool) -> list[UnitView]:
    if user is not None and user.unit_code is not None:  # a unit editor: their own unit and published ones
        return [
            v
            for v in store.submissions(year, public_only=False)
            if v.unit_code == user.unit_code or v.state == State.PUBLISHED.value
        ]
    return store.submissions(year, public_only=public_only)


@router.get("/dashboard")
def dashboard(
    request: Request,
    store: StoreDep,
    user: UserDep,
    year: Year = None,
    tier: Annotated[str | None, Query(pattern="^(commune|district|province)$")] = None,
    district: Annotated[str | None, Query(max_length=200)] = None,
    level: Annotated[str | None, Query(max_length=60)] = None,
) -> Response:
    years = store.years()
    chosen = year if year is not None else (years[0] if years else dt.date.today().year)
    public_only = not _province_view(user)
    views = _dashboard_views(store, user, chosen, public_only)
    dti = store.dti_tables(chosen, public_only=public_only)
    tier, tiers = pick_tier(tier, views, dti)
    views = [v for v in views if v.fw.tier.value == tier]
    before = [v for v in _dashboard_views(store, user, chosen - 1, public_only) if v.fw.tier.value == tier]
    table = next((t for t in reversed(dti) if t.tier == tier), None)
    levels = level_section(views, before)
    data = (
        {"year": chosen, "years": years, "tier": tier, "tiers": tiers, "public_only": public_only}
        | levels
        | {"dti": dti_section(table, views, district=district, level=level)}
    )
    chart = bar_chart([(c["level"], c["units"]) for c in levels["by_level"]]) if views else ""
    return page(request, "dashboard.html", data, user=user, chart=chart)


# --- unit page --------------------------------------------------------------------------------------


def _unit_data(view: UnitView) -> dict[str, Any]:
    data = view.summary() | {
        "state_vi": STATE_VI[State(view.state)],
        "return_reasons": view.return_reasons,
        "decision_number": view.decision_number,
        "problems": view.problems,
    }
    if view.evaluation is not None:
        data["evaluation"] = view.evaluation.to_dict()
        data["gap"] = gap_report(view.evaluation).to_dict()
    return data


def _unit_url(view: UnitView, tail: str = "") -> str:
    return f"/cycles/{view.cycle_id}/units/{view.unit_code}{tail}"


@router.get("/cycles/{cycle_id}/units/{code}")
def stored_unit(request: Request, store: StoreDep, user: UserDep, cycle_id: int, code: str) -> Response:
    view = _unit(store, user, cycle_id, code)
    history = [
        r.__dict__
        for r in store.history(view.unit_map, code)
        if r.state == State.PUBLISHED.value or can(user, Action.VIEW, code)
    ]
    # A rank compares every unit: before publication only the province sees it, not the unit itself.
    dti = store.unit_dti(view.unit_map, code, view.year, public_only=not _province_view(user))
    data = _unit_data(view) | {"history": history, "dti": dti.to_dict() if dti else None}
    links = {
        "edit": can(user, Action.EDIT, code) and view.state in (State.DRAFT.value, State.RETURNED.value),
        "appraise": can(user, Action.APPRAISE, code)
        and view.state in (State.SUBMITTED.value, State.UNDER_APPRAISAL.value),
    }
    return page(
        request,
        "stored_unit.html",
        data,
        user=user,
        fw=view.fw,
        view=view,
        links=links,
        url=_unit_url(view),
        dti_chart=_dti_chart(request, dti),
    )


def _dti_chart(request: Request, dti: UnitDti | None) -> Markup:
    """Points of each main index as a share of its maximum (indices differ in weight: 70 to 200 points)."""
    if dti is None:
        return Markup("")
    tr = get_translator(request)
    bars, texts = [], []
    for index in dti.heading.indices:
        got = dti.row.indices[index.code]
        top = index.max_points
        bars.append((f"{index.code}. {tr.pick(index.name, index.name_en)}", 100 * got["points"] / top if top else 0.0))
        texts.append(f"{tr.num(got['points'], 2)} / {tr.num(top, 2)}")
    return bar_chart(bars, tr("Điểm DTI theo chỉ số chính"), top=100, texts=texts)


# --- self-assessment --------------------------------------------------------------------------------


def _form_of(view: UnitView, values: dict[str, Any]) -> dict[str, str]:
    try:
        return form_values(view.fw, bind_values(view.fw, view.year, view.unit_code, values, view.unit_name))
    except CertifyError:
        return {"unit": view.unit_code, "unit_name": view.unit_name, "year": str(view.year)}


def _values_from_form(view: UnitView, form: dict[str, str]) -> dict[str, Any]:
    """Validated like a YAML file (errors carry the field path), then the values as the form built them."""
    data = assessment_data(view.fw, form) | {
        "unit": view.unit_code,
        "unit_name": view.unit_name,
        "year": str(view.year),
    }
    assessment = validate_model(Assessment, data, None, name="form")
    bound = bind(view.fw, assessment, name="form")
    values: dict[str, Any] = data["values"]
    for code, entry in values.items():  # stored typed, as a YAML file would hold them
        m = bound.measurements.get(code)
        indicator = view.fw.criterion_by_code[code].indicator
        if m is None or m.na or indicator is None:
            continue
        if m.numerator is not None and m.denominator is not None:
            entry |= {"numerator": _num(m.numerator), "denominator": _num(m.denominator)}
        elif m.value is not None and indicator.type is IndicatorType.BOOLEAN:
            entry["value"] = m.value == 1.0
        elif m.value is not None and indicator.type is not IndicatorType.RATIO:
            entry["value"] = _num(m.value)
    return values


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _version(form: dict[str, str]) -> int | None:
    raw = form.get("version", "")
    return int(raw) if raw.isdigit() else None


def _live_result(view: UnitView, catalog: CatalogDep, form: dict[str, str]) -> dict[str, Any]:
    from api.pages.assess_pages import _live

    return _live(view.fw, catalog, form | {"unit": view.unit_code, "year": str(view.year)})


@router.get("/cycles/{cycle_id}/units/{code}/edit")
def edit_page(
    request: Request, store: StoreDep, user: UserDep, catalog: CatalogDep, cycle_id: int, code: str
) -> Response:
    guard(user, Action.EDIT, code)
    view = _load(store, cycle_id, code)
    values = _form_of(view, {k: v for k, v in view.self_values.items()})
    result = _live_result(view, catalog, values)
    data = {
        "unit": code,
        "cycle": cycle_id,
        "state": view.state,
        "version": view.version,
        "values": values,
        "result": result,
    }
    stored = {
        "live": _unit_url(view, "/live"),
        "save": _unit_url(view, "/save"),
        "version": view.version,
        "state": view.state,
        "editable": view.state in (State.DRAFT.value, State.RETURNED.value),
        "return_reasons": view.return_reasons,
        "unit_url": _unit_url(view),
    }
    return page(
        request, "assess.html", data, fw=view.fw, fields=fields(view.fw), values=values, result=result, stored=stored
    )


@router.post("/cycles/{cycle_id}/units/{code}/live", dependencies=[Depends(require_csrf)])
async def stored_live(
    request: Request, store: StoreDep, user: UserDep, catalog: CatalogDep, cycle_id: int, code: str
) -> Response:
    if not (can(user, Action.EDIT, code) or can(user, Action.APPRAISE, code)):
        guard(user, Action.EDIT, code)
    view = _load(store, cycle_id, code)
    result = _live_result(view, catalog, await _form(request))
    return page(request, "_result.html", {"result": result}, result=result, fw=view.fw)


@router.post("/cycles/{cycle_id}/units/{code}/save", dependencies=[Depends(require_csrf)])
async def save(request: Request, store: StoreDep, user: UserDep, cycle_id: int, code: str) -> Response:
    guard(user, Action.EDIT, code)
    form = await _form(request)
    submit = form.get("action") == "submit"
    if submit:
        guard(user, Action.SUBMIT, code)
    assert user is not None
    view = _load(store, cycle_id, code)
    info = store.save_self(cycle_id, code, _values_from_form(view, form), user.username, _version(form), submit=submit)
    if wants_json(request):
        return JSONResponse({"unit": info.unit_code, "state": info.state, "version": info.version})
    return RedirectResponse(_unit_url(view) if submit else _unit_url(view, "/edit?saved=1"), status_code=303)


# --- appraisal --------------------------------------------------------------------------------------


@router.get("/cycles/{cycle_id}/units/{code}/appraise")
def appraise_page(request: Request, store: StoreDep, user: UserDep, cycle_id: int, code: str) -> Response:
    guard(user, Action.APPRAISE, code)
    view = _load(store, cycle_id, code)
    effective = dict(view.self_values) | view.appraised_values
    own = _form_of(view, view.self_values)
    values = _form_of(view, effective)
    data = _unit_data(view) | {
        "self_values": view.self_values,
        "appraised_values": view.appraised_values,
        "comments": view.comments,
    }
    self_level = view.self_evaluation.level if view.self_evaluation else None
    return page(
        request,
        "appraise.html",
        data,
        user=user,
        fw=view.fw,
        view=view,
        fields=fields(view.fw),
        own=own,
        values=values,
        comments=view.comments,
        self_level=self_level,
        url=_unit_url(view),
    )


@router.post("/cycles/{cycle_id}/units/{code}/appraise", dependencies=[Depends(require_csrf)])
async def appraise(request: Request, store: StoreDep, user: UserDep, cycle_id: int, code: str) -> Response:
    form = await _form(request)
    decision = form.get("decision") or "save"
    action = {"return": Action.RETURN, "approve": Action.APPROVE}.get(decision, Action.APPRAISE)
    guard(user, action, code)
    assert user is not None
    view = _load(store, cycle_id, code)
    reasons = (form.get("reasons") or "").strip()
    if decision == "return" and not reasons:
        raise CertifyError.one(
            "reasons-required", "Cần ghi lý do trả lại hồ sơ", "Returning needs reasons", path=("reasons",)
        )
    values = _values_from_form(view, form) if decision != "return" else {}
    comments = {k[2:]: v.strip() for k, v in form.items() if k.startswith("c:") and v.strip()}
    info = store.appraise(
        cycle_id,
        code,
        values,
        comments,
        user.username,
        _version(form),
        decision=decision if decision in ("return", "approve") else None,
        reasons=reasons or None,
    )
    if wants_json(request):
        return JSONResponse({"unit": info.unit_code, "state": info.state, "version": info.version})
    return RedirectResponse(_unit_url(view) if decision != "save" else _unit_url(view, "/appraise"), status_code=303)


# --- recognition ------------------------------------------------------------------------------------


@router.get("/recognition")
def recognition_page(request: Request, store: StoreDep, user: UserDep, year: Year = None) -> Response:
    guard(user, Action.RECOGNISE)
    years = store.years()
    chosen = year if year is not None else (years[0] if years else dt.date.today().year)
    views = [
        v
        for v in store.submissions(chosen, public_only=False)
        if v.state in (State.APPRAISED.value, State.RECOGNISED.value, State.PUBLISHED.value)
    ]
    data = {
        "year": chosen,
        "years": years,
        "units": [v.summary() | {"decision_number": v.decision_number} for v in views],
    }
    return page(request, "recognition.html", data, user=user, today=dt.date.today().isoformat())


@router.post("/recognition", dependencies=[Depends(require_csrf)])
async def recognition(request: Request, store: StoreDep, user: UserDep) -> Response:
    form = await request.form()
    action = form.get("action")
    guard(user, Action.PUBLISH if action == "publish" else Action.RECOGNISE)
    assert user is not None
    picked = [str(v) for v in form.getlist("unit")]
    by_cycle: dict[int, list[str]] = {}
    for item in picked:
        cycle, _, code = item.partition(":")
        if cycle.isdigit() and code:
            by_cycle.setdefault(int(cycle), []).append(code)
    if not by_cycle:
        raise CertifyError.one("nothing-selected", "Chưa chọn đơn vị nào", "No unit selected", path=("unit",))
    done = 0
    for cycle_id, codes in by_cycle.items():
        if action == "publish":
            done += store.publish(cycle_id, codes, user.username)
        else:
            try:
                day = dt.date.fromisoformat(str(form.get("decision_date") or ""))
            except ValueError:
                raise CertifyError.one(
                    "bad-date",
                    "Ngày quyết định không hợp lệ",
                    "Invalid decision date",
                    path=("decision_date",),
                    expected="YYYY-MM-DD",
                ) from None
            done += store.recognise(
                cycle_id,
                codes,
                str(form.get("decision_number") or ""),
                day,
                str(form.get("signer") or ""),
                user.username,
            )
    if wants_json(request):
        return JSONResponse({"done": done, "action": action or "recognise"})
    return RedirectResponse("/recognition", status_code=303)
