"""The province's planning page: where next year's effort moves the most units up a level.

`/plan/province/{cycle}` shows, for a stored cycle, the units per level now and after the k-step plan, the
plan with the units each step lifts, what blocks each level and each criterion's effect (tables sortable by
a static script, no inline script), and a scenario form («CQS-02 at 80 % in huyện X»), a GET form: the
result is a link that can be shared. JSON twin: `/plan/province/{cycle}.json`, the same as
`POST /api/plan/simulate`. Appraisers and the province admin only (the figures are not all published).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from markupsafe import Markup

from api.auth import UserDep, guard
from api.authz import Action
from api.deps import get_translator
from api.problems import NotFoundError
from api.rendering import page
from api.store import StoreDep
from certify.errors import CertifyError, Problem
from certify.plan.province import MAX_STEPS, Proposal
from reports.charts.palette import level_colours
from reports.charts.plan import levels_before_after_svg, steps_svg
from reports.gap import SORT_JS
from reports.plan_inputs import from_stored

router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Query(max_length=200)]


@router.get("/plan/static/table-sort.js")
def table_sort_js() -> FileResponse:
    """The one table-sorting script (reports/static/table-sort.js), served as a file: pages carry no inline script."""
    return FileResponse(SORT_JS, media_type="text/javascript; charset=utf-8")


def _proposal(criterion: str | None, threshold: str | None, area: str | None) -> tuple[list[Proposal], list[Problem]]:
    if not criterion:
        return [], []
    text = criterion.strip() + (f"={threshold.strip()}" if threshold and threshold.strip() else "")
    try:
        return [Proposal.parse(text, area or None)], []
    except CertifyError as exc:
        return [], [p for p in exc.problems]


@router.get("/plan/province/{cycle_id}")
def province_page(
    request: Request,
    store: StoreDep,
    user: UserDep,
    cycle_id: int,
    steps: Annotated[int, Query(ge=1, le=MAX_STEPS)] = 5,
    criterion: Text = None,
    threshold: Text = None,
    area: Text = None,
) -> Response:
    guard(user, Action.VIEW)
    try:
        stored = store.planning_cycle(cycle_id)
    except CertifyError as exc:
        if exc.problems and exc.problems[0].code == "unknown-cycle":
            raise NotFoundError(exc.problems) from None
        raise
    proposals, errors = _proposal(criterion, threshold, area)
    try:
        plan = from_stored(stored, steps, proposals)
    except CertifyError as exc:  # a criterion or an area the cycle does not have: said above the form
        errors += exc.problems
        plan = from_stored(stored, steps)
    data: dict[str, Any] = plan.to_dict() | {
        "cycle": cycle_id,
        "form": {"steps": steps, "criterion": criterion or "", "threshold": threshold or "", "area": area or ""},
        "errors": [{"message": p.message(), "field": _field(p)} for p in errors],
    }
    fw = plan.cohort.compiled.fw
    tr = get_translator(request)
    names = [tr.level(fw, None), *(tr.level(fw, lv) for lv in fw.level_ids)]  # as data["levels"], in the language
    before, after = data["before"], data["after_plan"]
    chart = levels_before_after_svg(
        names,
        fw.level_ids,
        [(tr("Hiện nay"), before), (tr("Sau {steps} bước").format(steps=steps), after)],
        tr("Số đơn vị theo mức"),
    )
    steps_chart = steps_svg(
        [
            tr("Bước {step}: {criterion}").format(step=s["step"], criterion=s["criterion"])
            for s in data["greedy"]["steps"]
        ],
        [s["lifted"] for s in data["greedy"]["steps"]],
        tr("Số đơn vị lên mức ở mỗi bước"),
    )
    return page(
        request,
        "plan_province.html",
        data,
        colours=level_colours(fw.level_ids),
        level_names=names,
        level_text=dict(zip(data["levels"], names, strict=True)),  # a level's name in the data → in the language
        fw=fw,
        criteria=[(c.code, c.name or c.code) for c in fw.criteria],
        areas=sorted({g for g in plan.cohort.groups if g}),
        chart=Markup(chart or ""),
        steps_chart=Markup(steps_chart or ""),
    )


def _field(p: Problem) -> str:
    if p.code in ("unknown-criterion",):
        return "criterion"
    if p.code in ("unknown-area",):
        return "area"
    return "threshold"
