"""Confirmation before anything that cannot be undone by the person doing it: submit, approve, return, recognise,
publish (accounts: api.pages.admin_pages). The page names the unit and the consequence; its form carries
`confirm=yes`, and a POST without it shows this page again instead of acting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import Response

from api.rendering import html
from certify.errors import Problem
from certify.store.accounts import Account


@dataclass(frozen=True)
class Confirm:
    title: str  # «Nộp hồ sơ»
    question: str  # «Nộp hồ sơ tự đánh giá của Xã Long Hồ, năm 2025?»
    consequence: str  # what follows, in plain words
    action: str  # where the form posts
    button: str  # «Xác nhận nộp hồ sơ»
    cancel: str  # where «Hủy» goes
    hidden: Sequence[tuple[str, str]] = ()
    items: Sequence[str] = ()  # the units concerned, when several
    danger: bool = False
    banner: tuple[str, str | None] | None = None  # a sample/partial framework's warning
    acknowledge: str | None = None  # a box to tick before the action is allowed
    extra: dict[str, str] = field(default_factory=dict)


def confirmed(form: dict[str, str]) -> bool:
    return form.get("confirm") == "yes"


def show(
    request: Request, confirm: Confirm, user: Account | None, problems: Sequence[Problem] = (), status: int = 200
) -> Response:
    return html(request, "confirm.html", status, user=user, confirm=confirm, problems=list(problems))
