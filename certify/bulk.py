"""Building many small objects at once (a cohort's reports, tables, rows).

Python's cyclic garbage collector runs a full pass over every live object each time enough new containers have
been made; building a nation's reports makes millions of dicts and lists, and those passes then cost several
times the building itself. The objects built here hold no reference cycles, so nothing is lost by holding the
collector back while they are built: reference counting frees them as usual.
"""

from __future__ import annotations

import gc
import sys
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


# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def keep_freed_memory() -> None:
    """For a command that ends (certify.cli.app.main): reuse the memory it frees (Linux, glibc). A cohort's columns are
    arrays of a few hundred kB to a few MB, made and dropped by the hundred: by default glibc maps each large one
    afresh and hands freed memory back at once, so every new array is new pages for the kernel to fault in
    (certify score on 10,600 units: ≈ 12,000 page faults, ≈ 20 ms). After this call the freed memory is kept for the
    next arrays (handed back only past 256 MB) until the process ends; not for a server, whose memory would stay near
    its peak. Elsewhere, or without glibc's mallopt, nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, 64 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    except (OSError, AttributeError):  # no C library to ask, or one without mallopt (musl)
        pass


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
