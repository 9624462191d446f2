"""What a person reads for each identifier, and the one colour of each level — shared by the web app and reports.

Identifiers (`toan-dien`, `draft`, `province_admin`, `sample`, …) are for files and programs; a page or a report
shows the text below instead. Texts are Vietnamese here; the English twin of each lives in the web app's Babel
catalogue (api/locale/en/LC_MESSAGES/messages.po, checked by tests/api/test_labels.py).

Level colours: one colour per level position (first level … last level, and «not at any level yet»), used for
badges, charts and reports alike. Every colour carries white text at WCAG 2.1 AA contrast (≥ 4.5:1) and stands
out from a white page (≥ 3:1 for bars and marks).
"""

from __future__ import annotations

from dataclasses import dataclass

from certify.framework_base import TIER_VI, Tier
from certify.levels.evaluate import NA_NOTE_VI, VERDICT_VI
from certify.levels.model import IndicatorType, LevelRule
from certify.provenance import Evidence, FrameworkStatus
from certify.store.accounts import ROLE_VI
from certify.store.unit_sources import CURRENT, PRE2025
from certify.store.workflow import STATE_VI

# --- texts ---------------------------------------------------------------------------------------------------

STATUS_VI = {  # how official a framework is
    FrameworkStatus.OFFICIAL.value: "chính thức",
    FrameworkStatus.LOCALIZED.value: "tỉnh ban hành",
    FrameworkStatus.SAMPLE.value: "mẫu, không chính thức",
    FrameworkStatus.PARTIAL.value: "chưa đầy đủ",
}

EVIDENCE_VI = {  # how sure one fact (a criterion, a threshold) is
    Evidence.VERIFIED.value: "đã đối chiếu văn bản",
    Evidence.SECONDARY.value: "nguồn thứ cấp",
    Evidence.INFERRED.value: "suy luận",
    Evidence.MISSING.value: "chưa có nguồn",
    Evidence.SAMPLE.value: "giá trị mẫu",
}

KIND_VI = {"levels": "mức độ chuyển đổi số", "dti": "chỉ số DTI"}

RULE_VI = {
    LevelRule.ALL.value: "đạt mức khi đạt 100% tiêu chí của mức",
    LevelRule.MANDATORY_PLUS_SHARE.value: "đạt mức khi đạt mọi tiêu chí bắt buộc và một tỷ lệ các tiêu chí còn lại",
}

INDICATOR_VI = {
    IndicatorType.RATIO.value: "tỷ lệ",
    IndicatorType.BOOLEAN.value: "có/không",
    IndicatorType.COUNT.value: "số lượng",
    IndicatorType.NUMBER.value: "số",
}

UNIT_MAP_VI = {
    PRE2025: "trước 01/7/2025 (có cấp huyện)",
    CURRENT: "từ 01/7/2025 (chính quyền hai cấp)",
}

DECISION_VI = {"save": "lưu", "return": "trả lại hồ sơ", "approve": "thông qua"}

LABELS: dict[str, dict[str, str]] = {
    "state": {s.value: text for s, text in STATE_VI.items()},
    "role": {r.value: text for r, text in ROLE_VI.items()},
    "tier": {t.value: text for t, text in TIER_VI.items()},
    "status": STATUS_VI,
    "evidence": EVIDENCE_VI,
    "kind": KIND_VI,
    "rule": RULE_VI,
    "verdict": {v.value: text for v, text in VERDICT_VI.items()},
    "indicator": INDICATOR_VI,
    "decision": DECISION_VI,
    "unit_map": UNIT_MAP_VI,
}

NO_LEVEL_VI = "Chưa đạt mức nào"


def label(group: str, value: str) -> str:
    """The Vietnamese text of an identifier (`label("state", "draft")` → «bản nháp»).

    An identifier nobody gave a text to comes back unchanged, and tests/api/test_labels.py fails on it."""
    return LABELS.get(group, {}).get(str(value), str(value))


def texts() -> set[str]:
    """Every text this module hands out, for the translation catalogue's completeness test."""
    return {t for group in LABELS.values() for t in group.values()} | {NO_LEVEL_VI, *NA_NOTE_VI.values()}


def slugs() -> set[str]:
    """Every identifier that has a text: none of them may reach a page or a report as it is."""
    return {value for group in LABELS.values() for value in group} | {t.value for t in Tier}


# --- colours -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelColour:
    background: str  # `#rrggbb`: badge fill, bar, legend swatch
    text: str  # text drawn on the background


WHITE = "#ffffff"
# First level … last level, from warm to cool and darker as a unit climbs.
LEVEL_COLOURS = (
    LevelColour("#9a3412", WHITE),  # Khởi động — rust
    LevelColour("#8a5a00", WHITE),  # Kết nối — amber
    LevelColour("#2e7d32", WHITE),  # Cơ bản — green
    LevelColour("#0b57a4", WHITE),  # Nâng cao — blue
    LevelColour("#4527a0", WHITE),  # Toàn diện — indigo
)
NO_LEVEL_COLOUR = LevelColour("#5f6368", WHITE)  # not at any level yet — grey


def slot(position: int | None, levels: int = len(LEVEL_COLOURS)) -> int | None:
    """Which colour (index into LEVEL_COLOURS) the level at `position` (0 = first) of `levels` levels wears;
    None: no level held. A framework with other than five levels spreads over the same scale (first → rust,
    last → indigo)."""
    if position is None:
        return None
    top = len(LEVEL_COLOURS) - 1
    if levels <= 1:
        return top
    return min(top, round(position * top / (levels - 1)))


def level_slot(level_ids: list[str] | tuple[str, ...], level: str | None) -> int | None:
    """The colour slot of `level` (an id among `level_ids`, in order); None for no level or an unknown id."""
    if level is None or level not in level_ids:
        return None
    return slot(list(level_ids).index(level), len(level_ids))


def level_colour(level_ids: list[str] | tuple[str, ...], level: str | None) -> LevelColour:
    """The colour of `level` among `level_ids` (in order), or of «no level» for None."""
    found = level_slot(level_ids, level)
    return NO_LEVEL_COLOUR if found is None else LEVEL_COLOURS[found]


def _channel(c: int) -> float:
    x = c / 255
    return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of `#rrggbb`."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 … 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def level_css() -> str:
    """The badge and swatch classes of the web app (`lv-0` … `lv-4`, `lv-none`), from the colours above."""
    rules = [
        f".lv-{i} {{ background: {c.background}; color: {c.text}; border-color: {c.background}; }}"
        for i, c in enumerate(LEVEL_COLOURS)
    ]
    n = NO_LEVEL_COLOUR
    rules.append(f".lv-none {{ background: {n.background}; color: {n.text}; border-color: {n.background}; }}")
    return "\n".join(rules) + "\n"
