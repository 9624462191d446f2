"""Which former units (before 1 July 2025) each current unit was formed from, for comparing like with like.

A stored cycle reads the mapping from the database (`unit_merger`, loaded with the administrative units, where a
province confirms or corrects a link); a folder of files reads the same conversion table from the packages that
ship it (certify.store.unit_sources), each link judged by the same rules (`certify.store.merger_links.judge`):
with no database to confirm them in, a doubtful link stays marked.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from certify.store.cycles import default_map
from certify.store.merger_links import FormerLink, Source, judge
from certify.store.unit_sources import CURRENT, PRE2025, RawMerger

Formers = dict[str, tuple[str, ...]]  # current unit code → former unit codes


def across_merger(previous_year: int, year: int) -> bool:
    """The two years assess units of different maps (the three-tier map until 2024, the current one after)."""
    return default_map(previous_year) != default_map(year)


@cache
def package_links() -> dict[str, list[FormerLink]]:
    """Current commune code → its former communes as the packages link them (whole or in part), judged."""
    from certify.store.unit_sources import read_sources

    data = read_sources()
    units = {(u.map, u.tier, u.code): u for u in data.units}
    mergers = [m for m in data.mergers if m.tier == "commune" and m.old_tier is None]  # not the island districts
    successors = Counter(m.old_code for m in mergers)
    by_new: dict[str, list[FormerLink]] = {}
    grouped: dict[str, list[RawMerger]] = {}
    for m in mergers:
        grouped.setdefault(m.new_code, []).append(m)
    for new_code, ms in grouped.items():
        new = units[(CURRENT, "commune", new_code)]
        olds = [units[(PRE2025, "commune", m.old_code)] for m in ms]
        sources = [
            Source(
                "commune",
                o.province_code,
                units[(PRE2025, "province", o.province_code)].name,
                units[(PRE2025, "district", o.parent_code)].name if o.parent_code else None,
                m.flags,
            )
            for m, o in zip(ms, olds, strict=True)
        ]
        links = [
            FormerLink(
                link_id=0,
                new_id=0,
                new_code=new_code,
                new_name=new.name,
                old_id=0,
                old_code=o.code,
                old_name=o.name,
                old_tier="commune",
                district=src.district,
                province=src.province,
                whole=m.whole,
                share=1.0 if m.whole else None,
                successors=successors[m.old_code],
                status=None,
                status_by=None,
                note=None,
                source=data.sources["mergers"],
                reasons=reasons,
            )
            for m, o, src, reasons in zip(ms, olds, sources, judge(sources), strict=True)
        ]
        by_new[new_code] = sorted(links, key=lambda link: link.old_code)
    return by_new


@cache
def package_formers() -> Formers:
    """Current commune code → the former communes merged into it (whole or in part), from the packages."""
    return {new: tuple(link.old_code for link in links) for new, links in package_links().items()}
