"""The level colours of `certify.labels` (one palette for the web app's badges, the charts and the reports), as
the hex strings the charts and print templates take."""

from __future__ import annotations

from collections.abc import Sequence

from certify.labels import level_colour as _level_colour


def level_colour(level_ids: Sequence[str], level: str | None) -> str:
    """The colour of `level` among `level_ids` (in order); grey for no level (None) or an unknown id."""
    return _level_colour(tuple(level_ids), level).background


def level_colours(level_ids: Sequence[str]) -> list[str]:
    """«No level» first, then one colour per level: the order of every count by level in the reports."""
    return [level_colour(level_ids, None), *(level_colour(level_ids, lv) for lv in level_ids)]
