"""Self-assessment form for any complete level framework; level and gap update live (HTMX), stateless.

Saving to a unit's cycle (draft, submit) comes with the storage; for now "save" downloads YAML
that `certify evaluate` and this form both read.
"""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import form_numbers
from api.csrf import require_csrf
from api.deps import CatalogDep, SamplesDep, get_lang
from api.form_errors import field_key
from api.form_values import assessment_data, fields, form_values, saved_yaml_data
from api.problems import NotFoundError
from api.rendering import page
from certify.errors import CertifyError
from certify.levels.assessment import Assessment, bind
from certify.levels.evaluate import evaluate
from certify.levels.gap import gap_report
from certify.levels.intake import level_framework
from certify.levels.model import LevelFramework
from certify.sourcefile import validate_model

router = APIRouter(include_in_schema=False)

Version = Annotated[str | None, Query(pattern=r"^\d+(\.\d+)*$")]


def _framework(catalog: CatalogDep, framework_id: str, version: Version = None) -> LevelFramework:
    try:
        resolved = level_framework(catalog, framework_id, version)
    except CertifyError as exc:
        if exc.problems and exc.problems[0].code in {"unknown-framework", "unknown-version"}:
            raise NotFoundError(exc.problems) from None
        raise
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    return fw


FrameworkDep = Annotated[LevelFramework, Depends(_framework)]


@router.get("/assess/{framework_id}")
def form_page(
    request: Request,
    fw: FrameworkDep,
    catalog: CatalogDep,
    samples: SamplesDep,
    start: Annotated[str | None, Query(alias="from", max_length=100)] = None,
) -> Response:
    values: dict[str, str] = {"year": "2025"}
    if start:
        sample = samples.get(start)
        if sample.evaluation.fw.ref != fw.ref:
            raise NotFoundError.one(
                "sample-framework",
                "Đơn vị mẫu dùng bộ tiêu chí khác",
                "The sample unit uses another framework",
                path=("from",),
                expected=fw.ref,
                found=sample.evaluation.fw.ref,
            )
        values = form_numbers.localised(form_values(fw, sample.evaluation.unit), get_lang(request))
    result = _live(fw, catalog, values)
    data = {"framework": fw.ref, "values": values, "result": result}
    return page(request, "assess.html", data, fw=fw, fields=fields(fw), values=values, result=result)


def _live(fw: LevelFramework, catalog: CatalogDep, form: dict[str, Any]) -> dict[str, Any]:
    """Level, per-level verdicts and gaps of what the form holds, or the problems that stop it.

    `errors` (stop the evaluation) and `warnings` are `Problem.to_dict()`s; `bad` names the criteria to mark."""
    warnings = [p.to_dict() for p in form_numbers.hints(fw, form)]
    try:
        data = assessment_data(fw, form)
        assessment = validate_model(Assessment, data, None, name="form")
        resolved = level_framework(catalog, fw.id, fw.version)
        ev = evaluate(resolved, bind(fw, assessment, name="form"))
    except CertifyError as exc:
        problems = [p.to_dict() for p in exc.problems]
        return {"ok": False, "errors": problems, "warnings": warnings, "bad": _bad_fields(exc.problems)}
    result = {"ok": True, "evaluation": ev.to_dict(), "gap": gap_report(ev).to_dict(), "warnings": warnings}
    return result | {"errors": [], "bad": []}


def _bad_fields(problems: list[Any]) -> list[str]:
    return sorted({key for p in problems if (key := field_key(p.path)) is not None})


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/assess/{framework_id}/live", dependencies=[Depends(require_csrf)])
async def live(request: Request, fw: FrameworkDep, catalog: CatalogDep) -> Response:
    result = _live(fw, catalog, await _form(request))
    # Problems in the form are shown in place with status 200: HTMX only swaps successful answers.
    return page(request, "_result.html", {"result": result}, result=result, fw=fw)


@router.post("/assess/{framework_id}/download", dependencies=[Depends(require_csrf)])
async def download(request: Request, fw: FrameworkDep, catalog: CatalogDep) -> Response:
    form = await _form(request)
    result = _live(fw, catalog, form)
    if not result["ok"]:
        # The form again, everything typed kept, each problem at its field and in the summary above.
        data = {"framework": fw.ref, "values": form, "result": result}
        return page(request, "assess.html", data, 422, fw=fw, fields=fields(fw), values=form, result=result)
    assessment = validate_model(Assessment, assessment_data(fw, form), None, name="form")
    bound = bind(fw, assessment, name="form")
    text = yaml.safe_dump(saved_yaml_data(fw, assessment, bound), allow_unicode=True, sort_keys=False)
    name = f"{assessment.year}-{assessment.unit}.yaml".replace("/", "-")
    return Response(
        text, media_type="application/x-yaml", headers={"content-disposition": f'attachment; filename="{name}"'}
    )
