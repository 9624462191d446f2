"""Registers the five-level certification framework kind."""

from certify.kinds import Kind, register_kind
from certify.levels.checks import check
from certify.levels.describe import describe
from certify.levels.model import LevelFramework

register_kind(
    Kind(
        name="levels",
        model=LevelFramework,
        check=check,
        describe=describe,
        merge_keys={"criteria": "code", "levels": "id", "pillars": "id"},
    )
)
