"""Building many small objects at once (a cohort's reports, tables, rows).

Python's cyclic garbage collector runs a full pass over every live object each time enough new containers have
been made; building a nation's reports makes millions of dicts and lists, and those passes then cost several
times the building itself. The objects built here hold no reference cycles, so nothing is lost by holding the
collector back while they are built: reference counting frees them as usual.
"""

from __future__ import annotations

import gc
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar, overload

T = TypeVar("T")


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (as it was before, after it)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class LazySequence(Sequence[T]):
    """A cohort's units as a sequence whose items are made only when asked for (`_at(u)`, u in 0..len-1)."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def _at(self, u: int) -> T: ...

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        n = len(self)
        if isinstance(index, slice):
            return [self._at(u) for u in range(n)[index]]
        if not -n <= index < n:
            raise IndexError(index)
        return self._at(index % n)

    def __iter__(self) -> Iterator[T]:
        return (self._at(u) for u in range(len(self)))
