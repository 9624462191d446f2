"""Framework editions: which decision applies to an assessment year.

A decision replaced by a later one stays a framework of its own (its past results must stay reproducible):
QĐ 922/QĐ-BTTTT scored the 2022 and 2023 rounds, QĐ 405/QĐ-BKHCN the 2024 round. The later file says
`supersedes: national-922-province` and `applies_from: 2024`; the earlier one `applies_from: 2022`. The
frameworks linked by `supersedes` form a family, and a cycle of year Y uses the member with the latest
`applies_from` not after Y, whichever member the user named. A framework outside any family, or a family
whose members do not say from when they apply, is used as named.
"""

from __future__ import annotations

from dataclasses import dataclass

from certify.catalog import Catalog, Entry, Resolved, split_ref
from certify.errors import CertifyError
from certify.framework_base import version_key


@dataclass(frozen=True)
class Edition:
    """The framework a cycle of `year` uses, and why when it is not the one named."""

    resolved: Resolved
    year: int
    named: str
    vi: str | None = None  # set when another edition than the named one was chosen
    en: str | None = None


def _mentions(entry: Entry, word: str) -> bool:
    try:
        return word in entry.path.read_text(encoding="utf-8")
    except OSError:
        return False


def _family(catalog: Catalog, first: Resolved) -> list[Resolved]:
    """Every framework linked to `first` by `supersedes`, either way (files that never say it are not read)."""
    members = {first.framework.ref: first}
    candidates = [catalog.load_path(e.path) for e in catalog.entries() if _mentions(e, "supersedes")]
    linked = True
    while linked:
        linked = False
        ids = {r.framework.id for r in members.values()}
        refs = set(members)
        for r in [*candidates, *members.values()]:
            fw = r.framework
            target = fw.supersedes
            if target is None:
                continue
            target_id, target_version = split_ref(target)
            points_in = target_id in ids and (target_version is None or f"{target_id}@{target_version}" in refs)
            if points_in and fw.ref not in members:
                members[fw.ref] = r
                linked = True
            elif fw.ref in members and target_id not in ids:
                older = catalog.load(target)
                members[older.framework.ref] = older
                linked = True
    return list(members.values())


def edition_for_year(catalog: Catalog, ref: str, year: int) -> Edition:
    """The edition of `ref`'s family that applies to `year`."""
    named = catalog.load(ref)
    family = _family(catalog, named)
    dated = [r for r in family if r.framework.applies_from is not None]
    if not dated:
        return Edition(named, year, ref)
    applicable = [r for r in dated if (r.framework.applies_from or 0) <= year]
    if not applicable:
        first = min(dated, key=lambda r: r.framework.applies_from or 0)
        raise CertifyError.one(
            "no-edition-for-year",
            f"Không có ấn bản nào của {ref} áp dụng cho năm {year}: ấn bản sớm nhất là {first.framework.ref} "
            f"(từ năm {first.framework.applies_from})",
            f"No edition of {ref} applies to {year}: the earliest is {first.framework.ref} "
            f"(from {first.framework.applies_from})",
            expected=f"năm ≥ {first.framework.applies_from} / year ≥ {first.framework.applies_from}",
            found=str(year),
        )
    chosen = max(
        applicable, key=lambda r: (r.framework.applies_from or 0, r.framework.id, version_key(r.framework.version))
    )
    if chosen.framework.ref == named.framework.ref:
        return Edition(chosen, year, ref)
    fw = chosen.framework
    return Edition(
        chosen,
        year,
        ref,
        vi=f"Năm {year} dùng ấn bản {fw.ref} (áp dụng từ năm {fw.applies_from}) thay cho {named.framework.ref}",
        en=f"Year {year} uses the edition {fw.ref} (applies from {fw.applies_from}) instead of {named.framework.ref}",
    )
