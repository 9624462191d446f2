"""Which former units (before 1 July 2025) each current unit was formed from, for comparing like with like.

A stored cycle reads the mapping from the database (`unit_merger`, loaded with the administrative units); a
folder of files reads the same conversion table from the packages that ship it (certify.store.unit_sources).
"""

from __future__ import annotations

from functools import cache

from certify.store.cycles import default_map

Formers = dict[str, tuple[str, ...]]  # current unit code → former unit codes


def across_merger(previous_year: int, year: int) -> bool:
    """The two years assess units of different maps (the three-tier map until 2024, the current one after)."""
    return default_map(previous_year) != default_map(year)


@cache
def package_formers() -> Formers:
    """Current commune code → the former communes merged into it (whole or in part), from the packages."""
    from certify.store.unit_sources import read_sources

    out: dict[str, list[str]] = {}
    for m in read_sources().mergers:
        if m.tier == "commune" and m.old_tier is None:  # a special zone's island district is no commune
            out.setdefault(m.new_code, []).append(m.old_code)
    return {new: tuple(sorted(old)) for new, old in out.items()}
