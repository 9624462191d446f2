"""Derived data cached per resolved framework (compiled arrays, plan order, …).

Resolved frameworks are immutable and cached by the catalog, so anything derived from one
can be computed once. Keyed by object identity, with the framework kept alive alongside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_CACHE: dict[tuple[int, str], tuple[Any, Any]] = {}


def cached_on(owner: Any, name: str, make: Callable[[], T]) -> T:
    key = (id(owner), name)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is owner:
        value: T = hit[1]
        return value
    value = make()
    _CACHE[key] = (owner, value)
    return value
