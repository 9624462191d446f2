"""One colour per level for every chart and report of reports/ (the web app's badges wear the same).

The same scale as the web app's level palette (webux is moving it into certify.labels; this module then only
delegates there): first level → rust, last → indigo, darker as a unit climbs; no level held → grey. A
framework with other than five levels spreads over the same scale.
"""

from __future__ import annotations

from collections.abc import Sequence

LEVEL_COLOURS = ("#9a3412", "#8a5a00", "#2e7d32", "#0b57a4", "#4527a0")  # Khởi động … Toàn diện
NO_LEVEL = "#5f6368"


def level_colour(level_ids: Sequence[str], level: str | None) -> str:
    """The colour of `level` among `level_ids` (in order); grey for no level (None) or an unknown id."""
    if level is None or level not in level_ids:
        return NO_LEVEL
    top = len(LEVEL_COLOURS) - 1
    n = len(level_ids)
    position = list(level_ids).index(level)
    return LEVEL_COLOURS[top if n <= 1 else min(top, round(position * top / (n - 1)))]


def level_colours(level_ids: Sequence[str]) -> list[str]:
    """«No level» first, then one colour per level: the order of every count by level in the reports."""
    return [NO_LEVEL, *(level_colour(level_ids, lv) for lv in level_ids)]
