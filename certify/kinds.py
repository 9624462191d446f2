"""Registry of framework kinds.

A kind says which pydantic model a framework file of that kind validates against, how a
localisation (`extends:`) merges its lists, and which semantic checks run after the schema.
The built-in kinds (`levels`, `dti`) register here exactly as an extension would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from certify.errors import Problem
from certify.framework_base import FrameworkBase
from certify.provenance import Inherited

if TYPE_CHECKING:
    from certify.cases import CaseRunner
    from certify.sourcefile import SourceDoc

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


_KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    _KINDS[kind.name] = kind


def get_kind(name: str) -> Kind | None:
    _load_builtins()
    return _KINDS.get(name)


def kind_names() -> list[str]:
    _load_builtins()
    return sorted(_KINDS)


def _load_builtins() -> None:
    # Imported lazily: the kind modules import this registry to register themselves.
    import certify.dti.kind
    import certify.levels.kind  # noqa: F401
