"""`POST /api/plan/simulate`: the province what-if on a stored cycle — what blocks each level, each criterion's
effect, the greedy k-step plan with the units each step lifts, and the simulation of the proposed changes.

The figures include units not yet recognised (drafts too): appraisers and the province admin only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.auth import UserDep, guard
from api.authz import Action
from api.problems import BODY_ERROR_RESPONSES, ERROR_RESPONSES, ErrorsOut, NotFoundError
from api.store import StoreDep
from certify.errors import CertifyError
from certify.plan.province import MAX_STEPS, Proposal
from reports.plan_inputs import from_stored

router = APIRouter(
    tags=["plan"],
    responses=ERROR_RESPONSES
    | BODY_ERROR_RESPONSES
    | {
        403: {"model": ErrorsOut, "description": "Chỉ cán bộ thẩm định, quản trị tỉnh (province roles only)"},
        503: {"model": ErrorsOut, "description": "Chưa cấu hình cơ sở dữ liệu (no database configured)"},
    },
)

Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")]


class ChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion: Code = Field(description="mã tiêu chí, ví dụ CQS-02", examples=["CQS-02"])
    threshold: float | None = Field(
        default=None,
        ge=0,
        le=1e12,
        description="ngưỡng (tỷ lệ viết 0,8); null: ngưỡng mức tiếp theo của từng đơn vị (next-level threshold)",
    )
    area: str | None = Field(
        default=None, max_length=200, description="chỉ ở khu vực (huyện cũ) này (only units of this area)"
    )
    units: list[Code] | None = Field(
        default=None, max_length=5000, description="chỉ ở các đơn vị này (only these unit codes)"
    )


class SimulateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cycle: int = Field(ge=1, le=2**31 - 1, description="số kỳ đánh giá (cycle id)", examples=[2])
    steps: int = Field(default=5, ge=1, le=MAX_STEPS, description="số bước của kế hoạch (greedy steps)")
    changes: list[ChangeIn] = Field(default_factory=list, max_length=50, description="kịch bản (proposed changes)")


@router.post(
    "/plan/simulate",
    summary="Phân tích nâng mức của tỉnh: kế hoạch k bước và kịch bản (province what-if on a stored cycle)",
)
def simulate(body: SimulateIn, store: StoreDep, user: UserDep) -> dict[str, Any]:
    guard(user, Action.VIEW)
    try:
        stored = store.planning_cycle(body.cycle)
    except CertifyError as exc:
        if exc.problems and exc.problems[0].code == "unknown-cycle":
            raise NotFoundError(exc.problems) from None
        raise
    proposals = [
        Proposal(c.criterion, c.threshold, c.area, tuple(c.units) if c.units is not None else None)
        for c in body.changes
    ]
    return from_stored(stored, body.steps, proposals).to_dict()
