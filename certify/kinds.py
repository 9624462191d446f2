"""Framework kinds.

A kind says which pydantic model a framework file of that kind validates against, how a
localisation (`extends:`) merges its lists, and which semantic checks run after the schema.
Kinds are plugins of the `certify.kinds` entry-point group (certify.plugins): the built-in
`levels` and `dti` are declared in pyproject.toml exactly as an extension's kind would be.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from certify import plugins
from certify.errors import Problem
from certify.framework_base import FrameworkBase
from certify.provenance import Inherited

if TYPE_CHECKING:
    from certify.cases import CaseRunner
    from certify.sourcefile import SourceDoc

GROUP = "certify.kinds"

# Semantic checks receive the validated model and a function that turns a key path into a
# located Problem (file and line of the layer that defined it).
Locate = Callable[..., Problem]
Check = Callable[[Any, Locate], list[Problem]]
# A JSON-able summary shown by `certify frameworks show` (counts per pillar/index, rules, …).
Describe = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[FrameworkBase]
    check: Check
    describe: Describe
    # list fields merged item by item in a localisation, with the key that identifies an item
    merge_keys: dict[str, str] = field(default_factory=dict)
    # How many of the framework's thresholds (or points) come unchanged from a sample/partial parent:
    # given the layers' files (child first) and the validated framework.
    inherited: Callable[[Sequence[SourceDoc], Any], Inherited | None] | None = None
    # Runs one case file (`<id>/cases/*.yaml`) of a framework of this kind; see `certify.cases`.
    run_case: CaseRunner | None = None


def _named(name: str) -> Callable[[Any], Kind]:
    def use(obj: Any) -> Kind:
        kind = plugins.expect(Kind)(obj)
        if kind.name != name:
            raise ValueError(f"the entry point is named '{name}' but the kind calls itself '{kind.name}'")
        return kind

    return use


def get_kind(name: str) -> Kind | None:
    return plugins.load(GROUP, name, _named(name))


def kind_names() -> list[str]:
    return plugins.names(GROUP)


def kinds() -> dict[str, Kind]:
    return {name: kind for name in kind_names() if (kind := get_kind(name)) is not None}
