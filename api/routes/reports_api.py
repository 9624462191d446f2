"""`POST /api/reports/gap?format=…`: one assessment's gap report, rendered by a registered format."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import CatalogDep
from api.evaluation import certify_one
from api.problems import BODY_ERROR_RESPONSES, ERROR_RESPONSES
from api.routes.evaluate_api import AssessmentBody
from certify.errors import CertifyError
from certify.formats import BINARY, gap_formats, get_gap_format
from certify.levels.gap import gap_report

router = APIRouter(tags=["reports"], responses=ERROR_RESPONSES | BODY_ERROR_RESPONSES)

Format = Annotated[
    str,
    Query(
        alias="format",
        max_length=40,
        description=(
            "định dạng đã đăng ký (`certify.gap_formats`), e.g. html, md, pdf; định dạng khác: 422 kèm danh sách "
            "(registered format; any other answers 422 listing them)"
        ),
    ),
]


def _slug(text: str) -> str:
    """ASCII for the download name: «Xã Hòa Ninh» → xa-hoa-ninh (đ has no decomposition, so it is mapped)."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_only = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")[:60] or "don-vi"


DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Báo cáo khoảng cách, tải về với tên tệp (`Content-Disposition`)",
        # Each installed format serves its own media type (certify.formats.GapFormat.media_type).
        "content": {
            m.partition(";")[0]: {"schema": {"type": "string"}}
            for m in sorted({f.media_type for f in gap_formats().values()} | {BINARY})
        },
    }
}


@router.post(
    "/reports/gap",
    response_class=Response,
    responses=DOC,
    summary="Báo cáo khoảng cách, định dạng tùy chọn (gap report as md, html, pdf, docx, xlsx, json)",
)
def gap_report_file(assessment: AssessmentBody, catalog: CatalogDep, name: Format = "html") -> Response:
    try:
        fmt = get_gap_format(name)
    except CertifyError as exc:
        # The registry's own problem already lists every registered format as `expected`; the path reads as
        # FastAPI's own for a bad query parameter.
        raise CertifyError([dataclasses.replace(p, path=("query", "format")) for p in exc.problems]) from None
    rendered = fmt.render(gap_report(certify_one(catalog, assessment)))
    filename = f"khoang-cach-{_slug(assessment.unit)}-{assessment.year}{fmt.suffix}"
    return Response(
        rendered.encode() if isinstance(rendered, str) else rendered,
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
