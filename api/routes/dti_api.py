"""`GET /api/dti/rankings` (stored, per cycle) and `POST /api/dti/score` (stateless: a cohort sent as JSON rows)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    field_validator,
    model_serializer,
)

from api.auth import UserDep
from api.authz import Action, can
from api.deps import CatalogDep
from api.problems import BODY_ERROR_RESPONSES, ERROR_RESPONSES, ErrorsOut, ProblemOut
from api.store import StoreDep
from certify.catalog import Catalog
from certify.dti.cohort import table_from_records
from certify.dti.model import DtiFramework
from certify.dti.numbers import published
from certify.dti.score_file import load_dti, score_table
from certify.errors import CertifyError, Problem
from certify.store.views import DtiTable

router = APIRouter(tags=["dti"], responses=ERROR_RESPONSES)

# A province scores at most a few thousand communes; past this a request is a mistake or an attack, and
# every row is validated and scored in the request (the whole cohort at once: ranks compare all units).
MAX_ROWS = 20_000


# --- stored rankings ----------------------------------------------------------------------------------


class DtiPrevious(BaseModel):
    year: int
    value: float = Field(
        description="giá trị năm trước; đơn vị hợp nhất: trung bình các đơn vị cũ, theo phần chuyển sang (weighted)"
    )
    rank: int | None = Field(description="hạng năm trước (null khi đơn vị đã hợp nhất: xếp hạng giữa đơn vị khác)")
    units: list[str] = Field(description="mã các đơn vị năm trước (former units)")
    unconfirmed: list[str] = Field(
        default_factory=list,
        description="đơn vị cũ có liên kết đáng ngờ chưa được tỉnh xác nhận (doubtful links not yet confirmed)",
    )
    approximate: list[str] = Field(
        default_factory=list,
        description="xã cũ bị chia tách, chưa rõ phần chuyển sang: giá trị là ước lượng (split, share not known)",
    )
    marks: list[str] = Field(default_factory=list, description="lưu ý hiển thị cạnh giá trị năm trước")


class DtiIndexScore(BaseModel):
    points: float
    max_points: float = Field(description="điểm tối đa; nhóm điểm cộng/trừ: mức trần")
    value: float | None
    role: Literal["bonus", "penalty"] | None = Field(
        default=None, description="bonus: điểm cộng; penalty: điểm trừ (ngoài điểm tối đa); vắng: chỉ số chấm điểm"
    )
    uncapped: float | None = Field(default=None, description="điểm cộng/trừ trước khi áp mức trần")

    @model_serializer(mode="wrap")
    def _only_for_bonus_and_penalty(self, handler: SerializerFunctionWrapHandler) -> Any:
        # role and uncapped exist only for bonus and penalty groups: a scored index keeps the three figures.
        data = handler(self)
        for key in ("role", "uncapped"):
            if isinstance(data, dict) and data.get(key) is None:
                data.pop(key, None)
        return data


class DtiRankRow(BaseModel):
    unit: str
    name: str
    group: str | None
    rank: int | None = Field(description="hạng, đồng hạng khi bằng nhau ở 4 chữ số thập phân (1, 2, 2, 4)")
    not_ranked_reason: str | None = Field(
        default=None, description="lý do không xếp hạng (vẫn chấm điểm), e.g. «tính chất đặc thù»"
    )
    band: str | None
    points: float
    max_points: float
    value: float = Field(description="giá trị DTI, 4 chữ số thập phân như công bố")
    districts: list[str] = Field(description="huyện (cũ) của đơn vị hoặc của các xã hợp thành")
    previous: DtiPrevious | None
    change: float | None = Field(description="thay đổi so với năm trước")
    indices: dict[str, DtiIndexScore] = Field(description="điểm theo chỉ số chính (points per main index)")


class DtiIndexOut(BaseModel):
    code: str
    name: str
    name_en: str | None
    max_points: float


class DtiTableOut(BaseModel):
    cycle: int
    year: int
    tier: str
    framework: str
    title: str
    status: str
    banner: list[str] | None = Field(description="cảnh báo của bộ chỉ số (vi, en), e.g. chưa đầy đủ")
    published: bool
    max_points: float
    caveats: list[list[str]] = Field(
        default_factory=list, description="(vi, en): cảnh báo của bộ chỉ số, điểm dựa trên cách đọc suy luận"
    )
    indices: list[DtiIndexOut]
    rows: list[DtiRankRow] = Field(description="đơn vị được xếp hạng")
    not_ranked: list[DtiRankRow] = Field(
        default_factory=list, description="đơn vị chấm điểm nhưng không xếp hạng, kèm lý do (shown apart)"
    )


class DtiRankingsOut(BaseModel):
    year: int | None = Field(description="năm (mặc định: năm gần nhất có kỳ đánh giá)")
    published_only: bool = Field(description="true: chỉ bảng xếp hạng đã công bố (người dùng không thuộc tỉnh)")
    tables: list[DtiTableOut]


Year = Annotated[int | None, Query(ge=2000, le=2100, description="năm (mặc định: năm gần nhất)")]
TierQuery = Annotated[Literal["commune", "district", "province"] | None, Query(description="cấp đơn vị")]


def _ranking_row(r: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = published(dict(r))  # values 4 decimals, points 2, as published (certify.dti.numbers)
    return row


@router.get(
    "/dti/rankings",
    response_model=DtiRankingsOut,
    responses={503: {"model": ErrorsOut, "description": "Chưa cấu hình cơ sở dữ liệu (no database)"}},
    summary="Bảng xếp hạng DTI đã lưu theo kỳ (stored DTI rankings)",
)
def rankings(store: StoreDep, user: UserDep, year: Year = None, tier: TierQuery = None) -> dict[str, Any]:
    if year is None:
        years = store.years()
        year = years[0] if years else None
    # A ranking compares every unit with the others: before publication only the province may see it, not
    # a unit editor (whose own unit's rank is on its unit page).
    published_only = not (user is not None and user.unit_code is None and can(user, Action.VIEW))
    tables = store.dti_tables(year, public_only=published_only) if year is not None else []
    return {
        "year": year,
        "published_only": published_only,
        "tables": [_apart(t) for t in tables if tier is None or t.tier == tier],
    }


def _apart(table: DtiTable) -> dict[str, Any]:
    """Ranked units in `rows`; those left out of the ranking (with their reason) in `not_ranked`."""
    rows = [_ranking_row(r.record(detail=False)) for r in table.rows]
    return table.to_dict() | {
        "rows": [r for r in rows if not r.get("not_ranked_reason")],
        "not_ranked": [r for r in rows if r.get("not_ranked_reason")],
    }


# --- stateless scoring ---------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    # One check instead of a union of four types: a bad cell gets one error at `rows[i].column`, not four.
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError(
        "Mỗi ô là một giá trị: số, chữ, có/không (true/false) hoặc null | "
        "A cell holds one value: a number, text, true/false or null"
    )


Cell = Annotated[
    Any,
    PlainValidator(_cell),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"}]}),
]

EXAMPLE = {
    "framework": "vinh-long-2554-commune",
    "index_level": True,
    "rows": [
        {
            "unit": "28756",
            "name": "Phường Phú Khương",
            "1": 0.4359,
            "2": 0.4921,
            "3": 0.5106,
            "4": 0.4691,
            "5": 0.4823,
            "6": 0.4742,
            "7": 0.4642,
            "8": 0.4842,
        },
        {
            "unit": "28777",
            "name": "Phường An Hội",
            "1": 0.5896,
            "2": 0.6390,
            "3": 0.6419,
            "4": 0.5761,
            "5": 0.6336,
            "6": 0.6347,
            "7": 0.5846,
            "8": 0.6480,
        },
    ],
}


class DtiScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    framework: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,80}(@[0-9]{1,6}(\.[0-9]{1,6}){0,3})?$",
        description="bộ chỉ số DTI, id hoặc id@version (e.g. vinh-long-2554-province)",
    )
    index_level: bool | None = Field(
        default=None, description="true: mỗi dòng cho giá trị chỉ số chính (1, 2, …); null: theo bộ chỉ số"
    )
    rows: list[dict[str, Cell]] = Field(
        json_schema_extra={"maxItems": MAX_ROWS},
        description="mỗi đơn vị một dòng: `unit`, `name`, và các biến của quyết định (`6.12.a`, …), "
        "như các cột của tệp CSV (see `certify score --help`)",
    )

    @field_validator("rows")
    @classmethod
    def _at_most(cls, rows: list[dict[str, Cell]]) -> list[dict[str, Cell]]:
        if len(rows) > MAX_ROWS:
            raise ValueError(
                f"Tối đa {MAX_ROWS} dòng mỗi lần chấm (có {len(rows)}); hãy dùng `certify score` "
                f"với tệp | At most {MAX_ROWS} rows per request (got {len(rows)}); use "
                "`certify score` with a file"
            )
        return rows


class DtiCaveat(BaseModel):
    vi: str
    en: str


class DtiFrameworkOut(BaseModel):
    id: str
    version: str
    status: str
    source: str | None
    banner: str | None
    caveats: list[DtiCaveat] = Field(description="cảnh báo: bộ chỉ số mẫu/chưa đầy đủ; điểm dựa trên suy luận")


class DtiCohortOut(BaseModel):
    tier: str
    province: str | None
    year: str | None
    file: str | None
    units: int
    groups: list[str]


class DtiUnitScore(BaseModel):
    unit: str
    name: str | None
    group: str | None
    rank: int | None
    not_ranked_reason: str | None = Field(default=None, description="lý do không xếp hạng (vẫn chấm điểm)")
    band: str | None
    points: float
    max_points: float
    denominator: float | None = Field(default=None, description="mẫu số khi bộ chỉ số chia cho số khác điểm tối đa")
    value: float = Field(description="4 chữ số thập phân (HALF-UP)")
    percent: float | None = None
    indices: dict[str, DtiIndexScore]
    pillars: dict[str, dict[str, float]]
    merged_from: list[str] | None = None
    criteria: list[dict[str, Any]] | None = Field(default=None, description="điểm từng tiêu chí, kèm cách tính")
    differences: list[dict[str, Any]] | None = None


class DtiScoreOut(BaseModel):
    framework: DtiFrameworkOut
    cohort: DtiCohortOut
    warnings: list[ProblemOut]
    units: list[DtiUnitScore] = Field(description="đơn vị được xếp hạng")
    not_ranked: list[DtiUnitScore] = Field(description="đơn vị chấm điểm nhưng không xếp hạng, kèm lý do")


ScoreBody = Annotated[
    DtiScoreIn, Body(openapi_examples={"xa": {"summary": "Hai phường, giá trị chỉ số chính", "value": EXAMPLE}})
]
ROWS = "rows"


def _in_body(problems: Sequence[Problem], records: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """The core locates a cell by file row and column; a client sent a list: say `rows[3].6.12.a` instead."""
    first_with: dict[str, int] = {}
    for k, rec in enumerate(records):
        for key in rec:
            first_with.setdefault(key, k)
    out = []
    for p in problems:
        path: tuple[str | int, ...] = (ROWS,)
        if p.row is not None and p.row >= 2:  # table_from_records numbers data rows from 2, after the header
            path = (ROWS, p.row - 2) + ((p.column,) if p.column else ())
        elif p.column is not None and records:  # a whole column (unknown, missing): the first row that has it
            path = (ROWS, first_with.get(p.column, 0), p.column)
        column = None if path[-1] == p.column else p.column  # said once: the message repeats every location
        out.append(dataclasses.replace(p, path=path, file=None, sheet=None, row=None, column=column))
    return out


def _framework(catalog: Catalog, ref: str) -> DtiFramework:
    try:
        fw = load_dti(ref, catalog).framework
    except CertifyError as exc:
        raise CertifyError([dataclasses.replace(p, path=p.path or ("framework",)) for p in exc.problems]) from None
    assert isinstance(fw, DtiFramework)  # load_dti refuses any other kind
    return fw


@router.post(
    "/dti/score",
    response_class=JSONResponse,
    responses=BODY_ERROR_RESPONSES
    | {200: {"model": DtiScoreOut, "description": "Điểm, hạng theo `certify score --json`"}},
    summary="Chấm điểm DTI một tập đơn vị (stateless DTI scoring of a cohort)",
)
def score(body: ScoreBody, catalog: CatalogDep) -> JSONResponse:
    fw = _framework(catalog, body.framework)
    try:
        results = score_table(table_from_records(body.rows, name=ROWS), fw, body.index_level)
    except CertifyError as exc:
        problems = _in_body(exc.problems, body.rows)
        # Criterion-level input to a framework that has main indices only: the switch is at fault, not a row.
        problems = [
            dataclasses.replace(p, path=("index_level",)) if p.code == "index-level-only" else p for p in problems
        ]
        raise CertifyError(problems) from None
    # A plain dict built by the core: JSONResponse spares validating and re-encoding thousands of rows.
    return JSONResponse(results.to_json())
