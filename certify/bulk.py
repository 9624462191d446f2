"""Building many small objects at once (a cohort's reports, tables, rows).

Python's cyclic garbage collector runs a full pass over every live object each time enough new containers have
been made; building a nation's reports makes millions of dicts and lists, and those passes then cost several
times the building itself. The objects built here hold no reference cycles, so nothing is lost by holding the
collector back while they are built: reference counting frees them as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
