"""The states of a unit's submission in a cycle and the only transitions allowed between them."""

from __future__ import annotations

from enum import StrEnum

from certify.errors import CertifyError


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    UNDER_APPRAISAL = "under_appraisal"
    APPRAISED = "appraised"
    RECOGNISED = "recognised"
    PUBLISHED = "published"
    DELETED = "deleted"  # deletion is a state: rows are never removed


STATE_VI: dict[State, str] = {
    State.DRAFT: "bản nháp",
    State.SUBMITTED: "đã gửi",
    State.RETURNED: "trả lại",
    State.UNDER_APPRAISAL: "đang thẩm định",
    State.APPRAISED: "đã thẩm định",
    State.RECOGNISED: "đã công nhận",
    State.PUBLISHED: "đã công bố",
    State.DELETED: "đã xóa",
}

TRANSITIONS: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.SUBMITTED, State.DELETED}),
    State.SUBMITTED: frozenset({State.RETURNED, State.UNDER_APPRAISAL}),
    State.RETURNED: frozenset({State.SUBMITTED, State.DELETED}),
    State.UNDER_APPRAISAL: frozenset({State.APPRAISED, State.RETURNED}),
    State.APPRAISED: frozenset({State.RECOGNISED, State.UNDER_APPRAISAL}),
    State.RECOGNISED: frozenset({State.PUBLISHED}),
    State.PUBLISHED: frozenset(),
    State.DELETED: frozenset(),
}

SELF_EDITABLE = frozenset({State.DRAFT, State.RETURNED})  # the unit may change its own figures
APPRAISAL_EDITABLE = frozenset({State.UNDER_APPRAISAL})  # the council may change appraised figures


def label(state: State) -> str:
    return f"{STATE_VI[state]} ({state.value})"


def check_transition(current: str, target: str, unit: str = "") -> State:
    """Return the target state, or raise a bilingual error naming both states and the allowed ones."""
    try:
        src, dst = State(current), State(target)
    except ValueError:
        raise CertifyError.one(
            "unknown-state",
            f"Trạng thái không hợp lệ: {target}",
            f"Unknown state: {target}",
            expected=" | ".join(s.value for s in State),
            found=target,
        ) from None
    if dst not in TRANSITIONS[src]:
        allowed = ", ".join(label(s) for s in sorted(TRANSITIONS[src])) or "không có (none)"
        who = f"{unit}: " if unit else ""
        raise CertifyError.one(
            "illegal-transition",
            f"{who}Không thể chuyển từ «{STATE_VI[src]}» sang «{STATE_VI[dst]}»",
            f"{who}Cannot move from '{src.value}' to '{dst.value}'",
            expected=allowed,
            found=label(dst),
        )
    return dst
