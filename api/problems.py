"""The API's one error shape: `{"errors": [Problem.to_dict(), ...]}`, from any handled error.

Core errors already are `Problem`s; request validation errors (FastAPI/pydantic) and HTTP errors
(404, 405, …) are turned into `Problem`s here so a client parses a single shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from certify.errors import CertifyError, Problem
from certify.sourcefile import problems_from_errors

# Where FastAPI found the bad input. The body prefix is dropped so that an assessment's paths
# read exactly as the core's (`values.CQS-01`, `tier`); the others are kept as context.
_BODY = "body"


class NotFoundError(CertifyError):
    """Something named in the URL does not exist: answered with 404, same shape."""


def problems_from_request(errors: Sequence[Any]) -> list[Problem]:
    cleaned = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if loc[:1] == (_BODY,):
            loc = loc[1:]
        if err.get("type") == "json_invalid":  # loc holds the character position, not a field
            ctx = err.get("ctx") or {}
            err = {**err, "input": f"{ctx.get('error', '')} @ {loc[-1] if loc else '?'}", "ctx": {"format": "JSON"}}
            loc = ()
        cleaned.append({**err, "loc": loc})
    return problems_from_errors(cleaned)


HTTP_PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("bad-request", "Yêu cầu không hợp lệ", "Bad request"),
    403: ("forbidden", "Không có quyền thực hiện", "Forbidden"),
    404: ("not-found", "Không tìm thấy trang hoặc tài nguyên", "Not found"),
    405: ("method-not-allowed", "Phương thức không được hỗ trợ", "Method not allowed"),
    413: ("too-large", "Dữ liệu gửi lên quá lớn", "Request body too large"),
    415: ("unsupported-media-type", "Kiểu dữ liệu không được hỗ trợ", "Unsupported media type"),
}


# FastAPI says only this when a JSON body fails to parse for a reason other than syntax (a nesting deeper than
# Python's recursion limit, bytes that are not UTF-8): said plainly, with what to do.
UNREADABLE_BODY = "There was an error parsing the body"


def http_problem(status: int, detail: str | None = None) -> Problem:
    if status == 400 and detail == UNREADABLE_BODY:
        return Problem(
            code="unreadable-body",
            vi="Không đọc được nội dung gửi lên: JSON lồng quá sâu hoặc không phải UTF-8",
            en="The request body cannot be read: JSON nested too deeply, or not UTF-8",
            expected="JSON UTF-8",
        )
    if status == 400 and detail and detail.startswith(("Too many fields", "Too many files", "Field exceeded")):
        return Problem(
            code="form-too-large",
            vi="Biểu mẫu gửi lên quá lớn (quá nhiều trường hoặc một trường quá dài)",
            en="The form sent is too large (too many fields, or a field too long)",
            found=detail,
        )
    code, vi, en = HTTP_PROBLEMS.get(status, ("http-error", "Lỗi yêu cầu", "Request error"))
    shown = detail if detail and detail.lower() not in (en.lower(), vi.lower()) else None
    return Problem(code=code, vi=vi, en=en, found=shown)


def internal_problem() -> Problem:
    return Problem(
        code="internal",
        vi="Lỗi hệ thống, vui lòng báo cho quản trị viên",
        en="Internal error, please tell the administrator",
    )


def body(problems: Sequence[Problem]) -> dict[str, Any]:
    return {"errors": [p.to_dict() for p in problems]}


# --- OpenAPI documentation of the error shape -------------------------------------------


class ProblemOut(BaseModel):
    code: str
    severity: str
    file: str | None = None
    path: str | None = None
    line: int | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    expected: str | None = None
    found: str | None = None
    message_vi: str
    message_en: str
    message: str


class ErrorsOut(BaseModel):
    errors: list[ProblemOut]


BODY_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorsOut, "description": "Thân yêu cầu không đọc được, ví dụ không phải UTF-8 (unreadable body)"},
    413: {"model": ErrorsOut, "description": "Thân yêu cầu quá lớn (body too large)"},
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorsOut, "description": "Không tìm thấy (not found)"},
    422: {"model": ErrorsOut, "description": "Dữ liệu không hợp lệ, kèm đường dẫn trường (invalid input)"},
}
