"""`GET /api/cycles`, `/api/cycles/{id}/assessments[/{unit}]`, `/api/units/{map}/{code}/history`: the stored cycles.

Who sees what is the stored pages' rule (`api.authz.can`): anonymous visitors and public viewers published
results only, a unit editor their own unit too, appraisers and the province admin everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.auth import UserDep, guard
from api.authz import Action, can
from api.pages.store_pages import _unit_data
from api.problems import ERROR_RESPONSES, ErrorsOut, NotFoundError, ProblemOut
from api.routes.dti_api import DtiPrevious
from api.store import Store, StoreDep
from certify.dti.numbers import published
from certify.errors import CertifyError
from certify.store.accounts import Account
from certify.store.cycles import CycleInfo
from certify.store.views import UnitView
from certify.store.workflow import STATE_VI, State

STORE_RESPONSES: dict[int | str, dict[str, Any]] = ERROR_RESPONSES | {
    403: {"model": ErrorsOut, "description": "Không có quyền xem (forbidden: not published, not your unit)"},
    503: {"model": ErrorsOut, "description": "Chưa cấu hình cơ sở dữ liệu (no database configured)"},
}

router = APIRouter(tags=["cycles"], responses=STORE_RESPONSES)

# Bounded so that no input reaches the database as an integer it cannot hold (SQLite and PostgreSQL: 64 bits).
CycleId = Annotated[int, Path(ge=1, le=2**31 - 1, description="số kỳ đánh giá (cycle id)", examples=[2])]
# Official GSO codes are digits; the bound keeps NUL bytes and megabyte strings away from the database.
UnitCode = Annotated[
    str, Path(pattern=r"^[0-9A-Za-z_.-]{1,40}$", description="mã đơn vị (GSO code)", examples=["29584"])
]
UnitMap = Annotated[
    Literal["pre2025", "current"],
    Path(description="bản đồ đơn vị hành chính: trước (pre2025) hoặc từ 01/7/2025 (current)"),
]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="năm (mặc định: mọi năm)")]


class CycleOut(BaseModel):
    id: int
    year: int
    tier: str
    unit_map: str = Field(description="pre2025 | current")
    framework: str = Field(description="id@version, đóng băng khi mở kỳ (frozen when the cycle opened)")
    framework_id: str
    framework_version: str
    kind: Literal["levels", "dti"] = Field(description="levels: xếp mức; dti: chấm điểm, xếp hạng")
    title: str | None
    deadline: dt.date | None = Field(None, description="Hạn nộp hồ sơ (the day units must submit by)")


class AssessmentRow(BaseModel):
    cycle: int
    year: int
    unit: str
    unit_name: str
    state: str
    state_vi: str
    version: int
    framework: str
    level: str | None = Field(description="mức đạt được (null: chưa đạt mức nào hoặc số liệu chưa hợp lệ)")
    level_name: str | None


class AssessmentOut(AssessmentRow):
    unit_map: str
    return_reasons: str | None
    decision_number: str | None
    problems: list[ProblemOut] = Field(description="vì sao chưa đánh giá được (why the values do not evaluate)")
    self_values: dict[str, Any] = Field(description="số liệu đơn vị tự đánh giá (self-assessed values)")
    appraised_values: dict[str, Any] = Field(description="số liệu thẩm định khác với đơn vị (appraised values)")
    comments: dict[str, str] | None = Field(
        description="nhận xét của hội đồng thẩm định; null với người chỉ xem kết quả công bố"
    )
    self_level: str | None = Field(description="mức theo số liệu tự đánh giá (level on the self-assessed values)")
    evaluation: dict[str, Any] | None = Field(description="kết quả đánh giá như `POST /api/evaluate?detail=full`")
    gap: dict[str, Any] | None = Field(description="báo cáo khoảng cách như `POST /api/gap`")


class HistoryRowOut(BaseModel):
    year: int
    cycle: int
    unit: str
    unit_name: str
    unit_map: str
    state: str
    level: str | None = Field(description="mức được chứng nhận (null: chưa chứng nhận)")
    level_name: str | None
    whole: bool = Field(description="false: đơn vị cũ bị chia, chỉ một phần thuộc đơn vị này")
    unconfirmed: bool = Field(
        default=False, description="true: liên kết sáp nhập đáng ngờ chưa được tỉnh xác nhận (certify units check)"
    )


class UnitDtiOut(BaseModel):
    year: int
    cycle: int
    framework: str
    published: bool
    rank: int | None
    of: int = Field(description="số đơn vị được xếp hạng (units ranked)")
    points: float
    max_points: float
    value: float = Field(description="giá trị DTI, 4 chữ số thập phân như công bố")
    previous: DtiPrevious | None


class HistoryOut(BaseModel):
    unit_map: str
    unit: str
    levels: list[HistoryRowOut] = Field(description="mức theo năm, kể cả các đơn vị cũ hợp thành (before 1/7/2025)")
    dti: list[UnitDtiOut] = Field(description="kết quả DTI theo năm")


def _not_found(exc: CertifyError) -> CertifyError:
    """A cycle, unit or submission named in the URL that does not exist: 404, at the path of a malformed one (422)."""
    field = {"unknown-cycle": "cycle_id", "no-submission": "unit_code", "unknown-unit": "unit_code"}
    if not exc.problems or exc.problems[0].code not in field:
        return exc
    return NotFoundError(
        [dataclasses.replace(p, path=p.path or ("path", field.get(p.code, "unit_code"))) for p in exc.problems]
    )


def _visible(user: Account | None, view: UnitView) -> bool:
    return view.state == State.PUBLISHED.value or can(user, Action.VIEW, view.unit_code)


def _cycle(store: Store, cycle_id: int) -> CycleInfo:
    found = next((c for c in store.cycles() if c.id == cycle_id), None)
    if found is None:
        raise NotFoundError.one(
            "unknown-cycle",
            f"Không có kỳ đánh giá số {cycle_id}",
            f"No cycle {cycle_id}",
            path=("path", "cycle_id"),
            found=str(cycle_id),
        )
    return found


def _row(view: UnitView) -> dict[str, Any]:
    return view.summary() | {"state_vi": STATE_VI[State(view.state)]}


@router.get("/cycles", response_model=list[CycleOut], summary="Các kỳ đánh giá (assessment cycles)")
def list_cycles(store: StoreDep, year: Year = None) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "year": c.year,
            "tier": c.tier,
            "unit_map": c.unit_map,
            "framework": f"{c.framework_id}@{c.framework_version}",
            "framework_id": c.framework_id,
            "framework_version": c.framework_version,
            "kind": c.kind,
            "title": c.title,
            "deadline": c.deadline,
        }
        for c in store.cycles(year)
    ]


@router.get(
    "/cycles/{cycle_id}/assessments",
    response_model=list[AssessmentRow],
    summary="Hồ sơ của một kỳ xếp mức mà người gọi được xem (submissions the caller may see)",
)
def list_assessments(store: StoreDep, user: UserDep, cycle_id: CycleId) -> list[dict[str, Any]]:
    cycle = _cycle(store, cycle_id)
    if cycle.kind != "levels":
        raise CertifyError.one(
            "not-levels-cycle",
            f"Kỳ {cycle_id} là kỳ chấm điểm DTI, không có hồ sơ xếp mức; xem /api/dti/rankings",
            f"Cycle {cycle_id} is a DTI cycle with no level assessments; see /api/dti/rankings",
            path=("path", "cycle_id"),
            expected="kind: levels",
            found=f"kind: {cycle.kind}",
        )
    # Only callers who may see some unpublished submission need them read (and evaluated) at all.
    views = store.submissions(cycle.year, public_only=not can(user, Action.VIEW, user.unit_code if user else None))
    return [_row(v) for v in views if v.cycle_id == cycle_id and _visible(user, v)]


@router.get(
    "/cycles/{cycle_id}/assessments/{unit_code}",
    response_model=AssessmentOut,
    summary="Hồ sơ một đơn vị: số liệu, kết quả, khoảng cách (one unit's values, evaluation, gap)",
)
def get_assessment(store: StoreDep, user: UserDep, cycle_id: CycleId, unit_code: UnitCode) -> dict[str, Any]:
    try:
        view = store.unit(cycle_id, unit_code)
    except CertifyError as exc:
        raise _not_found(exc) from None
    if not _visible(user, view):
        guard(user, Action.VIEW, unit_code)
    self_level = view.self_evaluation.level if view.self_evaluation else None
    # The council's comments are working notes: the unit and the province see them, the public the outcome.
    comments = view.comments if can(user, Action.VIEW, unit_code) else None
    return _unit_data(view) | {
        "state_vi": STATE_VI[State(view.state)],
        "unit_map": view.unit_map,
        "self_values": view.self_values,
        "appraised_values": view.appraised_values,
        "comments": comments,
        "self_level": self_level,
    }


class ReasonOut(BaseModel):
    code: Literal["other-province", "other-district", "name-only", "packages-disagree"]
    vi: str
    en: str


class MergerLinkOut(BaseModel):
    new_unit: str = Field(description="mã đơn vị hiện nay (current unit)")
    new_name: str
    old_unit: str = Field(description="mã đơn vị cũ, trước 01/7/2025 (former unit)")
    old_name: str
    old_tier: Literal["commune", "district"] = Field(description="district: huyện đảo của một đặc khu")
    district: str | None
    province: str
    whole: bool = Field(description="false: đơn vị cũ bị chia cho nhiều đơn vị mới")
    share: float | None = Field(description="phần chuyển sang, khi tỉnh đã cho biết (share moved, when known)")
    weight: float = Field(description="trọng số khi tính giá trị năm trước (weight in last year's value)")
    approximate: bool = Field(description="true: chưa rõ phần chuyển sang, trọng số là phần chia đều")
    status: Literal["confirmed", "corrected", "removed"] | None = Field(
        description="lời của tỉnh: đã xác nhận, đã sửa, đã bỏ; null: như nguồn dữ liệu"
    )
    status_by: str | None
    note: str | None
    doubtful: bool = Field(description="true: đáng ngờ và chưa được tỉnh xác nhận hay sửa")
    reasons: list[ReasonOut]
    source: str


@router.get(
    "/units/merger-links",
    response_model=list[MergerLinkOut],
    tags=["units"],
    summary="Liên kết sáp nhập đáng ngờ, kèm lý do (doubtful merger links; certify units check)",
)
def merger_links(
    store: StoreDep,
    user: UserDep,
    province: Annotated[
        str | None, Query(pattern=r"^\d{2}$", description="mã tỉnh hiện nay (current province code)")
    ] = None,
    everything: Annotated[bool, Query(alias="all", description="cả liên kết tỉnh đã xác nhận, đã sửa, đã bỏ")] = False,
) -> list[dict[str, Any]]:
    guard(user, Action.VIEW)  # the province's people: the names of who confirmed are not public
    return [link.to_dict() for link in store.merger_links(province, everything=everything)]


@router.get(
    "/units/{unit_map}/{unit_code}/history",
    response_model=HistoryOut,
    tags=["units"],
    summary="Kết quả của một đơn vị qua các năm, kể cả các đơn vị cũ hợp thành (history across the merger)",
)
def unit_history(store: StoreDep, user: UserDep, unit_map: UnitMap, unit_code: UnitCode) -> dict[str, Any]:
    try:
        rows = store.history(unit_map, unit_code)
    except CertifyError as exc:
        raise _not_found(exc) from None
    # Same rule as the unit page: whoever may see the unit's drafts sees those of the units it was formed from.
    allowed = can(user, Action.VIEW, unit_code)
    levels = [
        {
            "year": r.year,
            "cycle": r.cycle_id,
            "unit": r.unit_code,
            "unit_name": r.unit_name,
            "unit_map": r.unit_map,
            "state": r.state,
            "level": r.level,
            "level_name": r.level_name,
            "whole": r.whole,
            "unconfirmed": r.unconfirmed,
        }
        for r in rows
        if allowed or r.state == State.PUBLISHED.value
    ]
    dti = []
    for year in sorted(store.years()):
        found = store.unit_dti(unit_map, unit_code, year, public_only=not allowed)
        if found is not None:
            row = found.row
            dti.append(
                {
                    "year": found.heading.year,
                    "cycle": found.heading.cycle,
                    "framework": found.heading.framework,
                    "published": found.heading.published,
                    "rank": row.row.rank,
                    "of": found.of,
                    "points": row.row.points,
                    "max_points": row.row.max_points,
                    "value": row.row.value,
                    "previous": row.previous.to_dict() if row.previous else None,
                }
            )
    return {"unit_map": unit_map, "unit": unit_code, "levels": levels, "dti": published(dti)}
