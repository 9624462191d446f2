"""Home page: each role's own first page after login (api.homes); for the public, the frameworks and samples."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api import frameworks, homes
from api.auth import UserDep
from api.deps import CatalogDep, SamplesDep
from api.rendering import page
from api.routes.samples_api import row
from api.store import Store
from certify.store.accounts import Account, Role
from certify.store.views import UnitView

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(
    request: Request,
    catalog: CatalogDep,
    samples: SamplesDep,
    user: UserDep,
    sort: Annotated[str, Query(pattern="^(date|district|level|unit|state)$")] = "date",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
) -> Response:
    store: Store | None = request.app.state.store
    if user is not None and store is not None and user.role is not Role.PUBLIC_VIEWER:
        return _role_home(request, store, user, sort, order == "desc")
    every = samples.all()
    data = {"frameworks": frameworks.listing(catalog), "samples": [row(s) for s in every]}
    return page(request, "home.html", data, fws={s.name: s.evaluation.fw for s in every})


def _fws(views: list[UnitView]) -> dict[str, object]:
    return {v.fw.ref: v.fw for v in views}


def _role_home(request: Request, store: Store, user: Account, sort: str, descending: bool) -> Response:
    years = store.years()
    if user.role is Role.UNIT_EDITOR:
        mine = [v for y in years for v in store.submissions(y, public_only=False) if v.unit_code == user.unit_code]
        data: dict[str, Any] = {"role": user.role.value, "unit": homes.editor_home(mine)}
        return page(request, "home_editor.html", data, user=user, fws=_fws(mine))
    year = years[0] if years else None
    views = store.submissions(year, public_only=False) if year else []
    if user.role is Role.PROVINCE_APPRAISER:
        waiting = store.queue(homes.QUEUE)
        data = {"role": user.role.value, "year": year, "queue": homes.queue(waiting, views, sort, descending)}
        return page(request, "home_appraiser.html", data, user=user, fws=_fws(waiting + views))
    before = store.submissions(year - 1, public_only=False) if year else []
    dti = store.dti_tables(year, public_only=False) if year else []
    data = {"role": user.role.value, "year": year, "cycles": [r.cycle.id for r in store.cycle_rows()]}
    data |= homes.admin_home(views, before, dti) | {"plan_cycles": sorted({v.cycle_id for v in views})}
    return page(request, "home_admin.html", data, user=user, fws=_fws(views + before))
