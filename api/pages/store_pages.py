"""Pages on the stored cycles: province dashboard, unit page, self-assessment, appraisal, recognition.

Every page checks `api.authz.can` first (403 otherwise, same error shape) and has a JSON twin (`.json`).
Writes carry the submission's version: a change made meanwhile by someone else is a clear conflict.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup

from api import confirm, form_numbers
from api.auth import UserDep, guard
from api.authz import Action, can
from api.confirm import Confirm
from api.csrf import require_csrf
from api.dashboard import (
    PER_PAGE,
    PER_PAGE_MAX,
    dti_section,
    level_section,
    level_trend,
    pick_tier,
    ranking_page,
    unit_list,
    unit_list_query,
)
from api.deps import CatalogDep, get_lang, get_translator, wants_json
from api.downloads import ranking_file
from api.evidence_store import by_criterion, get_evidence
from api.flash import flash
from api.form_values import assessment_data, fields, form_values
from api.graph_svg import bar_chart, stacked_bars
from api.problems import NotFoundError
from api.rendering import page
from api.store import StoreDep
from certify.errors import CertifyError, Problem
from certify.labels import LEVEL_COLOURS, NO_LEVEL_COLOUR
from certify.levels.assessment import Assessment, bind
from certify.levels.gap import gap_report
from certify.levels.model import IndicatorType, LevelFramework
from certify.sourcefile import validate_model
from certify.store.accounts import Account
from certify.store.editing import changed_values
from certify.store.evaluations import bind_values
from certify.store.recognition import holds_level
from certify.store.submissions import parse_version
from certify.store.views import DtiTable, UnitDti, UnitView
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
    """What the dashboard's note promises: published results only, except for the province (labelled drafts).
    A unit editor follows their own unit on their home page."""
    return store.submissions(year, public_only=public_only)


Sort = Annotated[str, Query(pattern="^(rank|name|district|level|points|value|change)$")]
Order = Annotated[str | None, Query(pattern="^(asc|desc)$")]
PageNo = Annotated[int, Query(alias="page", ge=1, le=100_000)]
PerPage = Annotated[int, Query(ge=1, le=PER_PAGE_MAX)]
Tier = Annotated[str | None, Query(pattern="^(commune|district|province)$")]
District = Annotated[str | None, Query(max_length=200)]
LevelFilter = Annotated[str | None, Query(max_length=60)]
# The unit list's own parameters, read as typed and checked by api.dashboard.unit_list_query: a wrong one leaves the
# page at the list's first page with a message (its JSON twin refuses it), never an error page.
UnitsParam = Annotated[str | None, Query()]


@dataclasses.dataclass(frozen=True)
class DashboardQuery:
    """The dashboard's filters, sort and page: the page, its JSON twin and its CSV/XLSX downloads read the same."""

    year: int | None
    tier: str | None
    district: str | None
    level: str | None
    sort: str
    order: str | None
    page: int
    per: int
    units_sort: str | None = None
    units_order: str | None = None
    units_state: str | None = None
    units_page: str | None = None


def dashboard_query(
    year: Year = None,
    tier: Tier = None,
    district: District = None,
    level: LevelFilter = None,
    sort: Sort = "rank",
    order: Order = None,
    page_no: PageNo = 1,
    per: PerPage = PER_PAGE,
    units_sort: UnitsParam = None,
    units_order: UnitsParam = None,
    units_state: UnitsParam = None,
    units_page: UnitsParam = None,
) -> DashboardQuery:
    return DashboardQuery(
        year, tier, district, level, sort, order, page_no, per, units_sort, units_order, units_state, units_page
    )


DashboardQueryDep = Annotated[DashboardQuery, Depends(dashboard_query)]


@dataclasses.dataclass(frozen=True)
class _Dashboard:
    data: dict[str, Any]
    fw: LevelFramework | None
    fws: dict[str, LevelFramework]
    levels: list[dict[str, Any]]
    problems: list[Problem]  # what was wrong in the unit list's parameters (left out)


def _dashboard(store: StoreDep, user: Account | None, q: DashboardQuery) -> _Dashboard:
    """What the dashboard shows — and its downloads hold — for these filters, sort and page."""
    years = store.years()
    public_only = not _province_view(user)
    by_year = {y: _dashboard_views(store, user, y, public_only) for y in years}
    dti_by_year: dict[int, list[DtiTable]] = {}  # a year's rankings read once, whether to list the year or show it

    def dti_tables(year: int) -> list[DtiTable]:
        if year not in dti_by_year:
            dti_by_year[year] = store.dti_tables(year, public_only=public_only)
        return dti_by_year[year]

    if public_only:  # the public sees the years that have published results, the latest by default
        years = [y for y in years if by_year[y] or dti_tables(y)]
    chosen = q.year if q.year is not None else (years[0] if years else dt.date.today().year)
    views = by_year.get(chosen) or _dashboard_views(store, user, chosen, public_only)
    dti = dti_tables(chosen)
    tier, tiers = pick_tier(q.tier, views, dti)
    views = [v for v in views if v.fw.tier.value == tier]
    before = [v for v in by_year.get(chosen - 1, []) if v.fw.tier.value == tier]
    table = next((t for t in reversed(dti) if t.tier == tier), None)
    levels = level_section(views, before)
    shown_years = [y for y in years if y <= chosen]
    by_tier = {y: [v for v in by_year.get(y, []) if v.fw.tier.value == tier] for y in shown_years}
    # Levels are named by this year's framework, or by the latest year's that had units of the tier.
    named = views or before or next((by_tier[y] for y in reversed(shown_years) if by_tier[y]), [])
    fw = named[0].fw if named else None
    section = dti_section(table, views, district=q.district, level=q.level)
    ranking = ranking_page(section, fw.level_ids if fw else [], sort=q.sort, order=q.order, page=q.page, per=q.per)
    trend = level_trend(by_tier)
    units_q, problems = unit_list_query(q.units_sort, q.units_order, q.units_state, q.units_page)
    data = (
        {"year": chosen, "years": years, "tier": tier, "tiers": tiers, "public_only": public_only}
        | levels
        | unit_list(views, units_q)
        | {"dti": ranking, "trend": trend}
    )
    fws = {v.fw.ref: v.fw for y in shown_years for v in by_year.get(y, [])} | {v.fw.ref: v.fw for v in views}
    return _Dashboard(data, fw, fws, levels["by_level"], problems)


@router.get("/dashboard")
def dashboard(request: Request, store: StoreDep, user: UserDep, q: DashboardQueryDep) -> Response:
    d = _dashboard(store, user, q)
    if d.problems and wants_json(request):  # the twin refuses what the page corrects (and says so)
        raise CertifyError(d.problems)
    tr = get_translator(request)
    fw = d.fw
    chart = (
        bar_chart(
            [(tr.level(fw, c["level"]), c["units"]) for c in d.levels],
            tr("Số đơn vị theo mức"),
            colours=[_colour(c["slot"]) for c in d.levels],
        )
        if fw is not None
        else ""
    )
    return page(
        request,
        "dashboard.html",
        d.data,
        user=user,
        chart=chart,
        trend_chart=_trend_chart(tr, d.data["trend"], fw),
        fw=fw,
        fws=d.fws,
        query=_query(request),
        units_problems=d.problems,
        kept=_kept(request),
    )


def _colour(slot: int | None) -> str:
    return (NO_LEVEL_COLOUR if slot is None else LEVEL_COLOURS[slot]).background


def _trend_chart(tr: Any, trend: dict[str, Any], fw: LevelFramework | None) -> Markup:
    """Units per level in each year, the same colour for a level in every year (certify.labels)."""
    if fw is None or len(trend["years"]) < 1:
        return Markup("")
    series = [(tr.level(fw, lv["level"]), _colour(lv["slot"])) for lv in trend["levels"]]
    rows = [(str(y["year"]), [c["units"] for c in y["by_level"]]) for y in trend["years"]]
    return stacked_bars(rows, series, tr("Số đơn vị theo mức qua các năm"))


def _query(request: Request) -> Callable[..., str]:
    """The page's own query with some parameters changed (None removes one): links that keep the filters."""

    def change(**changes: Any) -> str:
        params = {k: v for k, v in request.query_params.items() if k not in changes}
        params |= {k: str(v) for k, v in changes.items() if v is not None}
        return urlencode(params)

    return change


def _kept(request: Request) -> Callable[..., list[tuple[str, str]]]:
    """The page's own query less some parameters, as the hidden fields of a filter form that keeps the rest."""

    def kept(*dropped: str) -> list[tuple[str, str]]:
        return [(k, v) for k, v in request.query_params.items() if k not in dropped]

    return kept


def _download_format(fmt: Annotated[str, Path(pattern="^(csv|xlsx)$")]) -> str:
    """A dependency only so that a wrong format is still reported before the query's errors."""
    return fmt


@router.get("/dashboard/ranking.{fmt}")
def ranking_download(
    request: Request,
    store: StoreDep,
    user: UserDep,
    fmt: Annotated[str, Depends(_download_format)],
    q: DashboardQueryDep,
) -> Response:
    """The DTI ranking exactly as the dashboard shows it with the same query: filters, sort and page."""
    d = _dashboard(store, user, q)
    ranking = d.data["dti"]
    if ranking is None:
        raise NotFoundError(
            [
                Problem(
                    "no-ranking",
                    "Chưa có kết quả DTI cho năm và cấp này",
                    "No DTI results for this year and tier",
                    path=("year",),
                    found=str(d.data["year"]),
                )
            ]
        )
    tr = get_translator(request)
    return ranking_file(ranking, d.data, fmt, tr, lambda lv: tr.level(d.fw, lv) if d.fw else (lv or ""))


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


def _evidence(request: Request, user: Account | None, view: UnitView) -> dict[str, list[dict[str, Any]]]:
    """The unit's evidence files by criterion, for those allowed to see its working file (never the public)."""
    if not can(user, Action.VIEW, view.unit_code):
        return {}
    return by_criterion(view, get_evidence(request).listing(view.cycle_id, view.unit_code))


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
    files = _evidence(request, user, view)
    data = _unit_data(view) | {"history": history, "dti": dti.to_dict() if dti else None, "evidence_files": files}
    links = {
        "evidence": can(user, Action.VIEW, code),
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
    """Validated like a YAML file (errors carry the field path), then the values as the form built them.

    The core reads every number with the one rule: a text that is not a number is an error at its field, never
    a missing value."""
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


def _version(form: Mapping[str, Any], field: str = "version") -> int:
    """The version the form was loaded with: required (422 when missing or malformed, never a silent overwrite)."""
    try:
        return parse_version(form.get(field))
    except CertifyError as exc:
        raise CertifyError([dataclasses.replace(p, path=(field,)) for p in exc.problems]) from None


def _live_result(view: UnitView, catalog: CatalogDep, form: dict[str, str]) -> dict[str, Any]:
    from api.pages.assess_pages import _live

    return _live(view.fw, catalog, form | {"unit": view.unit_code, "year": str(view.year)})


def _editable(view: UnitView) -> bool:
    return view.state in (State.DRAFT.value, State.RETURNED.value)


def _edit_response(
    request: Request, view: UnitView, values: dict[str, str], result: dict[str, Any], status: int = 200
) -> Response:
    data = {
        "unit": view.unit_code,
        "cycle": view.cycle_id,
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
        "editable": _editable(view),
        "return_reasons": view.return_reasons,
        "unit_url": _unit_url(view),
        "unit_name": view.unit_name,
        "year": view.year,
        "evidence": by_criterion(view, get_evidence(request).listing(view.cycle_id, view.unit_code)),
    }
    return page(
        request,
        "assess.html",
        data,
        status,
        fw=view.fw,
        fields=fields(view.fw),
        values=values,
        result=result,
        stored=stored,
    )


@router.get("/cycles/{cycle_id}/units/{code}/edit")
def edit_page(
    request: Request, store: StoreDep, user: UserDep, catalog: CatalogDep, cycle_id: int, code: str
) -> Response:
    guard(user, Action.EDIT, code)
    view = _load(store, cycle_id, code)
    values = form_numbers.localised(_form_of(view, dict(view.self_values)), get_lang(request))
    return _edit_response(request, view, values, _live_result(view, catalog, values))


@router.post("/cycles/{cycle_id}/units/{code}/live", dependencies=[Depends(require_csrf)])
async def stored_live(
    request: Request, store: StoreDep, user: UserDep, catalog: CatalogDep, cycle_id: int, code: str
) -> Response:
    if not (can(user, Action.EDIT, code) or can(user, Action.APPRAISE, code)):
        guard(user, Action.EDIT, code)
    view = _load(store, cycle_id, code)
    form = await _form(request)
    result = _live_result(view, catalog, form)
    # The appraisal page also gets each criterion's verdict and whether its value now differs from the unit's
    # (a comment is then required), swapped in place beside its row (htmx out-of-band).
    appraising = bool(request.query_params.get("appraise"))
    oob = verdicts(result.get("evaluation")) if appraising else None
    notes = _change_notes(view, form) if appraising else None
    return page(
        request, "_result.html", {"result": result}, result=result, fw=view.fw, oob_verdicts=oob, oob_changes=notes
    )


@router.post("/cycles/{cycle_id}/units/{code}/save", dependencies=[Depends(require_csrf)])
async def save(
    request: Request, store: StoreDep, user: UserDep, catalog: CatalogDep, cycle_id: int, code: str
) -> Response:
    guard(user, Action.EDIT, code)
    form = await _form(request)
    submit = form.get("action") == "submit"
    if submit:
        guard(user, Action.SUBMIT, code)
    assert user is not None
    view = _load(store, cycle_id, code)
    json = wants_json(request)
    try:
        values = _values_from_form(view, form)
        # A program submits at once; a person confirms on the next page, after the draft is saved.
        info = store.save_self(cycle_id, code, values, user.username, _version(form), submit=submit and json)
    except CertifyError as exc:
        if json:
            raise
        # The form again with everything typed kept and each problem at its field.
        result = _live_result(view, catalog, form)
        if result["ok"]:
            result = result | {"errors": [p.to_dict() for p in exc.problems]}
        status = 409 if exc.problems and exc.problems[0].code == "conflict" else 422
        return _edit_response(request, view, form, result, status)
    if json:
        return JSONResponse({"unit": info.unit_code, "state": info.state, "version": info.version})
    if submit:
        return RedirectResponse(_unit_url(view, "/submit"), status_code=303)
    flash(request, "Đã lưu bản nháp của {unit}. Hồ sơ chưa nộp.", unit=view.unit_name)
    return RedirectResponse(_unit_url(view, "/edit"), status_code=303)


def _submit_confirm(request: Request, view: UnitView) -> Confirm:
    tr = get_translator(request)
    ev = view.evaluation
    level = tr.level(view.fw, ev.level if ev else None)
    return Confirm(
        title=tr("Nộp hồ sơ tự đánh giá"),
        question=tr("Nộp hồ sơ tự đánh giá của {unit}, năm {year}, với mức tự đánh giá «{level}»?").format(
            unit=view.unit_name, year=view.year, level=level
        ),
        consequence=tr(
            "Sau khi nộp, đơn vị không sửa được số liệu nữa; tỉnh thẩm định hồ sơ và có thể trả lại để bổ sung."
        ),
        action=_unit_url(view, "/submit"),
        button=tr("Xác nhận nộp hồ sơ"),
        cancel=_unit_url(view, "/edit"),
        hidden=(("version", str(view.version)),),
        banner=view.fw.banner,
    )


@router.get("/cycles/{cycle_id}/units/{code}/submit")
def submit_page(request: Request, store: StoreDep, user: UserDep, cycle_id: int, code: str) -> Response:
    guard(user, Action.SUBMIT, code)
    view = _load(store, cycle_id, code)
    if not _editable(view):
        return _not_now(request, view)
    return confirm.show(request, _submit_confirm(request, view), user)


@router.post("/cycles/{cycle_id}/units/{code}/submit", dependencies=[Depends(require_csrf)])
async def submit(request: Request, store: StoreDep, user: UserDep, cycle_id: int, code: str) -> Response:
    guard(user, Action.SUBMIT, code)
    assert user is not None
    form = await _form(request)
    view = _load(store, cycle_id, code)
    if not confirm.confirmed(form):
        return confirm.show(request, _submit_confirm(request, view), user)
    # The stored figures as they are, moved to «submitted»: the version says nobody changed them meanwhile.
    info = store.save_self(cycle_id, code, dict(view.self_values), user.username, _version(form), submit=True)
    if wants_json(request):
        return JSONResponse({"unit": info.unit_code, "state": info.state, "version": info.version})
    flash(
        request,
        "Đã nộp hồ sơ của {unit}, năm {year}. Tỉnh sẽ thẩm định; trong thời gian đó số liệu không sửa được.",
        unit=view.unit_name,
        year=view.year,
    )
    return RedirectResponse(_unit_url(view), status_code=303)


def _not_now(request: Request, view: UnitView) -> Response:
    """An action offered in a state where it cannot succeed any more (another tab, the back button)."""
    flash(
        request,
        "Hồ sơ của {unit} đang ở trạng thái «{state}»: thao tác này không còn thực hiện được.",
        unit=view.unit_name,
        state=get_translator(request).label("state", view.state),
    )
    return RedirectResponse(_unit_url(view), status_code=303)


# --- appraisal --------------------------------------------------------------------------------------

APPRAISABLE = (State.SUBMITTED.value, State.UNDER_APPRAISAL.value)


def verdicts(evaluation: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Each criterion's verdict against its threshold at the level that matters: the next level when the
    criterion belongs to it, otherwise the highest level that has it."""
    if not evaluation:
        return {}
    out: dict[str, dict[str, Any]] = {}
    nxt = evaluation["next_level"]
    for lv in evaluation["levels"]:  # lowest first: a higher level's threshold replaces a lower one's
        for c in lv.get("criteria", []):
            held = out.get(c["code"])
            # once at the next level, a criterion stays there; with every level held (no next), the highest wins
            if held is None or nxt is None or held["level"] != nxt:
                out[c["code"]] = {
                    "level": lv["id"],
                    "verdict": c["verdict"],
                    "requirement_text": c["requirement_text"],
                    "value_text": c["value_text"],
                }
    return out


def _change_notes(view: UnitView, form: Mapping[str, str]) -> dict[str, str] | None:
    """Per criterion: `needs` (value changed, no comment yet), `commented` (changed, with a comment) or ``
    (the unit's own figure) — by the store's rule (`certify.store.editing.changed_values`); None while the values do
    not read (the live result names the problems)."""
    try:
        values = _values_from_form(view, dict(form))
        changed = changed_values(view.fw, view.year, view.unit_code, values, dict(view.self_values))
    except CertifyError:
        return None
    commented = {k[2:] for k, v in form.items() if k.startswith("c:") and v.strip()}
    return {
        c.code: ("commented" if c.code in commented else "needs") if c.code in changed else "" for c in view.fw.criteria
    }


def _appraise_response(
    request: Request,
    view: UnitView,
    user: Account | None,
    catalog: CatalogDep,
    values: dict[str, str],
    comments: dict[str, str],
    problems: list[Problem] | None = None,
    status: int = 200,
    reasons: str = "",
) -> Response:
    own = form_numbers.localised(_form_of(view, view.self_values), get_lang(request))
    result = _live_result(view, catalog, values)
    data = _unit_data(view) | {
        "self_values": view.self_values,
        "appraised_values": view.appraised_values,
        "comments": view.comments,
    }
    if problems:
        data["errors"] = [p.to_dict() for p in problems]
    self_level = view.self_evaluation.level if view.self_evaluation else None
    evidence = _evidence(request, user, view)
    data["evidence_files"] = evidence
    return page(
        request,
        "appraise.html",
        data,
        status,
        user=user,
        fw=view.fw,
        view=view,
        fields=fields(view.fw),
        own=own,
        values=values,
        comments=comments,
        self_level=self_level,
        result=result,
        verdicts=verdicts(result.get("evaluation")),
        url=_unit_url(view),
        open=view.state in APPRAISABLE,
        evidence=evidence,
        problems=problems or [],
        reasons=reasons,
        changes=_change_notes(view, values | {f"c:{k}": v for k, v in comments.items()}) or {},
    )


@router.get("/cycles/{cycle_id}/units/{code}/appraise")
def appraise_page(
    request: Request, store: StoreDep, user: UserDep, catalog: CatalogDep, cycle_id: int, code: str
) -> Response:
    guard(user, Action.APPRAISE, code)
    view = _load(store, cycle_id, code)
    values = form_numbers.localised(_form_of(view, dict(view.self_values) | view.appraised_values), get_lang(request))
    return _appraise_response(request, view, user, catalog, values, dict(view.comments))


def _decision_confirm(request: Request, view: UnitView, decision: str, level: str | None, reasons: str) -> Confirm:
    tr = get_translator(request)
    if decision == "return":
        return Confirm(
            title=tr("Trả lại hồ sơ"),
            question=tr("Trả lại hồ sơ của {unit}, năm {year}, để đơn vị bổ sung?").format(
                unit=view.unit_name, year=view.year
            ),
            consequence=tr("Đơn vị nhận lại hồ sơ kèm lý do dưới đây, sửa số liệu rồi nộp lại.") + " — " + reasons,
            action=_unit_url(view, "/decide"),
            button=tr("Xác nhận trả lại hồ sơ"),
            cancel=_unit_url(view, "/appraise"),
            hidden=(("decision", "return"), ("reasons", reasons), ("version", str(view.version))),
            danger=True,
            banner=view.fw.banner,
        )
    return Confirm(
        title=tr("Thông qua kết quả thẩm định"),
        question=tr("Thông qua hồ sơ của {unit}, năm {year}, ở mức «{level}» sau thẩm định?").format(
            unit=view.unit_name, year=view.year, level=tr.level(view.fw, level)
        ),
        consequence=tr(
            "Kết quả thẩm định được chốt và chờ tỉnh ra quyết định công nhận; giá trị thẩm định không sửa được nữa."
        ),
        action=_unit_url(view, "/decide"),
        button=tr("Xác nhận thông qua"),
        cancel=_unit_url(view, "/appraise"),
        hidden=(("decision", "approve"), ("version", str(view.version))),
        banner=view.fw.banner,
    )


@router.post("/cycles/{cycle_id}/units/{code}/appraise", dependencies=[Depends(require_csrf)])
async def appraise(
    request: Request, store: StoreDep, user: UserDep, catalog: CatalogDep, cycle_id: int, code: str
) -> Response:
    form = await _form(request)
    decision = form.get("decision") or "save"
    action = {"return": Action.RETURN, "approve": Action.APPROVE}.get(decision, Action.APPRAISE)
    guard(user, action, code)
    assert user is not None
    view = _load(store, cycle_id, code)
    json = wants_json(request)
    reasons = (form.get("reasons") or "").strip()
    comments = {k[2:]: v.strip() for k, v in form.items() if k.startswith("c:") and v.strip()}
    try:
        if decision == "return" and not reasons:
            raise CertifyError.one(
                "reasons-required",
                "Cần ghi lý do trả lại hồ sơ để đơn vị biết phải bổ sung gì",
                "Returning needs reasons, so that the unit knows what to complete",
                path=("reasons",),
            )
        values = _values_from_form(view, form) if decision != "return" else {}
        # A program decides at once; a person saves the values, then confirms the decision on the next page.
        info = store.appraise(
            cycle_id,
            code,
            values,
            comments,
            user.username,
            _version(form),
            decision=decision if json and decision in ("return", "approve") else None,
            reasons=reasons or None,
        )
    except CertifyError as exc:
        if json:
            raise
        status = 409 if exc.problems and exc.problems[0].code == "conflict" else 422
        kept = {k: v for k, v in form.items() if k[:2] in ("v:", "n:", "d:", "na", "e:", "r:")}
        return _appraise_response(request, view, user, catalog, kept, comments, exc.problems, status, reasons)
    if json:
        return JSONResponse({"unit": info.unit_code, "state": info.state, "version": info.version})
    if decision in ("return", "approve"):
        view = _load(store, cycle_id, code)  # the saved values and the new version
        level = view.evaluation.level if view.evaluation else None
        return confirm.show(request, _decision_confirm(request, view, decision, level, reasons), user)
    flash(request, "Đã lưu kết quả thẩm định của {unit}. Hồ sơ chưa được thông qua.", unit=view.unit_name)
    return RedirectResponse(_unit_url(view, "/appraise"), status_code=303)


@router.post("/cycles/{cycle_id}/units/{code}/decide", dependencies=[Depends(require_csrf)])
async def decide(request: Request, store: StoreDep, user: UserDep, cycle_id: int, code: str) -> Response:
    """The confirmed decision: return the submission (with reasons) or approve the appraised values."""
    form = await _form(request)
    decision = "return" if form.get("decision") == "return" else "approve"
    guard(user, Action.RETURN if decision == "return" else Action.APPROVE, code)
    assert user is not None
    view = _load(store, cycle_id, code)
    reasons = (form.get("reasons") or "").strip()
    level = view.evaluation.level if view.evaluation else None
    if not confirm.confirmed(form):
        return confirm.show(request, _decision_confirm(request, view, decision, level, reasons), user)
    if view.state not in APPRAISABLE:
        return _not_now(request, view)
    info = store.appraise(
        cycle_id, code, {}, {}, user.username, _version(form), decision=decision, reasons=reasons or None
    )
    if wants_json(request):
        return JSONResponse({"unit": info.unit_code, "state": info.state, "version": info.version})
    if decision == "return":
        flash(request, "Đã trả lại hồ sơ của {unit} để đơn vị bổ sung.", unit=view.unit_name)
    else:
        flash(
            request,
            "Đã thông qua hồ sơ của {unit} ở mức «{level}». Hồ sơ chờ quyết định công nhận.",
            unit=view.unit_name,
            level=get_translator(request).level(view.fw, level),
        )
    return RedirectResponse(_unit_url(view), status_code=303)


# --- recognition ------------------------------------------------------------------------------------


PUBLISHABLE = (State.RECOGNISED.value,)


def _recognition_rows(views: list[UnitView]) -> list[dict[str, Any]]:
    rows = []
    for v in views:
        level = v.evaluation.level if v.evaluation else None
        rows.append(
            v.summary()
            | {
                "decision_number": v.decision_number,
                "key": f"{v.cycle_id}:{v.unit_code}",
                # one rule (certify.store.recognition): a unit is recognised only at a level it holds
                "recognisable": holds_level(v.state, level),
                "publishable": v.state in PUBLISHABLE,
                "banner": list(v.fw.banner) if v.fw.banner else None,
            }
        )
    return rows


def _recognition_views(store: StoreDep, year: int) -> list[UnitView]:
    keep = (State.APPRAISED.value, State.RECOGNISED.value, State.PUBLISHED.value)
    return [v for v in store.submissions(year, public_only=False) if v.state in keep]


@router.get("/recognition")
def recognition_page(request: Request, store: StoreDep, user: UserDep, year: Year = None) -> Response:
    guard(user, Action.RECOGNISE)
    years = store.years()
    chosen = year if year is not None else (years[0] if years else dt.date.today().year)
    return _recognition_response(request, store, user, chosen, years, {}, [])


def _recognition_response(
    request: Request,
    store: StoreDep,
    user: Account | None,
    year: int,
    years: list[int],
    form: dict[str, Any],
    problems: list[Problem],
    status: int = 200,
) -> Response:
    views = _recognition_views(store, year)
    data = {"year": year, "years": years, "units": _recognition_rows(views)}
    fws = {v.fw.ref: v.fw for v in views}
    return page(
        request,
        "recognition.html",
        data,
        status,
        user=user,
        fws=fws,
        today=dt.date.today().isoformat(),
        form=form,
        problems=problems,
    )


def _picked(form: Any) -> tuple[dict[int, dict[str, int]], list[Problem]]:
    """The units ticked, by cycle, each with the version the page showed (`version:CYCLE:CODE`, required)."""
    by_cycle: dict[int, dict[str, int]] = {}
    problems: list[Problem] = []
    for item in [str(v) for v in form.getlist("unit")]:
        cycle, _, code = item.partition(":")
        if cycle.isdigit() and code:
            try:
                by_cycle.setdefault(int(cycle), {})[code] = _version(form, f"version:{item}")
            except CertifyError as exc:
                problems += exc.problems
    return by_cycle, problems


def _decision_problems(form: Any) -> tuple[dt.date | None, list[Problem]]:
    problems = []
    day = None
    try:
        day = dt.date.fromisoformat(str(form.get("decision_date") or ""))
    except ValueError:
        problems.append(
            Problem(
                "bad-date",
                "Ngày quyết định không hợp lệ: chọn một ngày",
                "Invalid decision date: pick a day",
                path=("decision_date",),
                found=str(form.get("decision_date") or "")[:20] or None,
            )
        )
    for name, vi, en in (
        ("decision_number", "Cần ghi số quyết định công nhận", "The decision number is required"),
        ("signer", "Cần ghi người ký quyết định", "The signer is required"),
    ):
        if not str(form.get(name) or "").strip():
            problems.append(Problem("required", vi, en, path=(name,)))
    return day, problems


@router.post("/recognition", dependencies=[Depends(require_csrf)])
async def recognition(request: Request, store: StoreDep, user: UserDep) -> Response:
    form = await request.form()
    action = "publish" if form.get("action") == "publish" else "recognise"
    guard(user, Action.PUBLISH if action == "publish" else Action.RECOGNISE)
    assert user is not None
    json = wants_json(request)
    by_cycle, problems = _picked(form)
    if not by_cycle and not problems:
        problems.append(
            Problem("nothing-selected", "Chưa chọn đơn vị nào", "No unit selected", path=(f"unit-{action}",))
        )
    day = None
    if action == "recognise":
        day, more = _decision_problems(form)
        problems += more
    year = next(iter(by_cycle), None) and _year_of(store, by_cycle)
    if problems:
        if json:
            raise CertifyError(problems)
        years = store.years()
        chosen = year or (years[0] if years else dt.date.today().year)
        kept = {k: str(v) for k, v in form.items() if k != "unit"} | {"unit": [str(v) for v in form.getlist("unit")]}
        return _recognition_response(request, store, user, chosen, years, kept, problems, 422)
    views = {(v.cycle_id, v.unit_code): v for c in by_cycle for v in [store.unit(c, code) for code in by_cycle[c]]}
    kept = {k: str(v) for k, v in form.items() if k not in ("unit", "confirm", "acknowledge")} | {
        "unit": [str(v) for v in form.getlist("unit")]
    }
    if not json:
        # A person is told before any confirmation: a unit at no level (another tab, an old page) is named at the
        # list, by the store's one rule (certify.store.recognition.holds_level); the API gets the store's refusal.
        refused = [v for v in views.values() if action == "recognise" and not holds_level(v.state, v.level)]
        if refused:
            names = ", ".join(v.unit_name for v in refused)
            problem = Problem(
                "no-level-held",
                f"Không công nhận được {names}: đơn vị chưa đạt mức nào, hoặc hồ sơ không còn chờ công nhận",
                f"{names} cannot be recognised: the unit meets no level, or no longer awaits recognition",
                path=(f"unit-{action}",),
            )
            kept["unit"] = [u for u in kept["unit"] if u not in {f"{v.cycle_id}:{v.unit_code}" for v in refused}]
            return _recognition_response(
                request, store, user, year or refused[0].year, store.years(), kept, [problem], 422
            )
    if not json and form.get("confirm") != "yes":
        return confirm.show(request, _recognition_confirm(request, action, form, list(views.values())), user)
    banners = [v for v in views.values() if v.fw.banner]
    if not json and action == "recognise" and banners and form.get("acknowledge") != "yes":
        problem = Problem(
            "acknowledge-required",
            "Đánh dấu ô xác nhận: kết quả tính theo bộ tiêu chí không chính thức",
            "Tick the box: these results come from a framework that is not official",
            path=("acknowledge",),
        )
        return confirm.show(
            request, _recognition_confirm(request, action, form, list(views.values())), user, [problem], 422
        )
    done = 0
    try:
        for cycle_id, codes in by_cycle.items():
            if action == "publish":
                done += store.publish(cycle_id, codes, user.username)
            else:
                assert day is not None
                done += store.recognise(
                    cycle_id,
                    codes,
                    str(form.get("decision_number") or "").strip(),
                    day,
                    str(form.get("signer") or "").strip(),
                    user.username,
                )
    except CertifyError as exc:
        if json:
            raise
        # Changed meanwhile, or refused by the store: the page again, with what was typed and why.
        status = 409 if exc.problems and exc.problems[0].code == "conflict" else 422
        problems = [p if p.path else dataclasses.replace(p, path=(f"unit-{action}",)) for p in exc.problems]
        return _recognition_response(
            request, store, user, year or dt.date.today().year, store.years(), kept, problems, status
        )
    if json:
        return JSONResponse({"done": done, "action": action})
    names = ", ".join(v.unit_name for v in views.values())
    if action == "publish":
        flash(request, "Đã công bố kết quả của {count} đơn vị: {units}.", count=done, units=names)
    else:
        flash(
            request,
            "Đã ghi quyết định công nhận {number} cho {count} đơn vị: {units}.",
            number=str(form.get("decision_number") or ""),
            count=done,
            units=names,
        )
    return RedirectResponse(f"/recognition?year={year}" if year else "/recognition", status_code=303)


def _year_of(store: StoreDep, by_cycle: Mapping[int, object]) -> int | None:
    for cycle in store.cycles():
        if cycle.id in by_cycle:
            return int(cycle.year)
    return None


def _recognition_confirm(request: Request, action: str, form: Any, views: list[UnitView]) -> Confirm:
    tr = get_translator(request)
    items = [
        f"{v.unit_name} ({v.year}) — {tr('mức')} «{tr.level(v.fw, v.evaluation.level if v.evaluation else None)}»"
        for v in views
    ]
    hidden = [("action", action)] + [("unit", f"{v.cycle_id}:{v.unit_code}") for v in views]
    hidden += [
        (f"version:{v.cycle_id}:{v.unit_code}", str(form.get(f"version:{v.cycle_id}:{v.unit_code}"))) for v in views
    ]
    banner = next((v.fw.banner for v in views if v.fw.banner), None)
    if action == "publish":
        return Confirm(
            title=tr("Công bố kết quả"),
            question=tr("Công bố kết quả của {count} đơn vị sau?").format(count=len(views)),
            consequence=tr(
                "Sau khi công bố, mọi người xem được kết quả trên trang kết quả toàn tỉnh; không hủy công bố được."
            ),
            action="/recognition",
            button=tr("Xác nhận công bố"),
            cancel="/recognition",
            hidden=hidden,
            items=items,
            banner=banner,
        )
    hidden += [(k, str(form.get(k) or "")) for k in ("decision_number", "decision_date", "signer")]
    try:
        day = tr.date(dt.date.fromisoformat(str(form.get("decision_date"))))
    except ValueError:
        day = str(form.get("decision_date"))
    return Confirm(
        title=tr("Ghi quyết định công nhận"),
        question=tr(
            "Ghi quyết định công nhận số {number}, ngày {day}, người ký {signer}, cho {count} đơn vị sau?"
        ).format(
            number=form.get("decision_number"),
            day=day,
            signer=form.get("signer"),
            count=len(views),
        ),
        consequence=tr(
            "Quyết định được ghi vào hồ sơ của từng đơn vị và không sửa được trên trang này; "
            "bước tiếp theo là công bố kết quả."
        ),
        action="/recognition",
        button=tr("Xác nhận ghi quyết định"),
        cancel="/recognition",
        hidden=hidden,
        items=items,
        banner=banner,
        acknowledge=tr(
            "Tôi hiểu kết quả này tính theo bộ tiêu chí mẫu hoặc chưa đầy đủ, không phải ngưỡng chính thức, "
            "và vẫn ghi quyết định."
        )
        if banner
        else None,
    )
