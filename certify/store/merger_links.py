"""Links from the former units (before 1/7/2025) to the current ones: checked, weighted, confirmed by the province.

The links come from the packages' conversion table (`certify.store.unit_sources`, table `unit_merger`). Some are
doubtful — a former commune in another former district or province than most of the new unit's former communes
(the name clash that linked Xã Hòa Lộc of Huyện Tam Bình to the new Xã Tân Thành Bình of Mỏ Cày Bắc), a new
commune found by its name without diacritics only, a new commune the two packages give different codes to. A
province confirms a link, or corrects it (`confirm`, `relink`: stored on the row, every change audited); until
then every view that puts last year onto this year's units marks it.

A split former commune (`whole` False) counts in each successor by the share that moved there when it is known
(`share`), otherwise by an equal part among its successors, and the value is marked approximate.

`links_of` is the one place that says which former units make a current unit and how much each counts: last
year's DTI value (`certify.store.dti_results.previous_year`) and the province summary's last-year levels
(`reports.from_store`) both read it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from certify.errors import CertifyError
from certify.limits import current
from certify.store import audit
from certify.store.models import AdminUnit, UnitMerger
from certify.store.unit_sources import CURRENT, NAME_ONLY, PACKAGES_DISAGREE, PRE2025

CONFIRMED = "confirmed"
CORRECTED = "corrected"
REMOVED = "removed"
# What a page, a sheet or a summary says beside last year's value (English twins in the web app's catalogue).
UNCONFIRMED_VI = "liên kết chưa xác nhận"
APPROXIMATE_VI = "ước lượng (xã cũ bị chia tách)"

OTHER_PROVINCE = "other-province"
OTHER_DISTRICT = "other-district"
REASON_ORDER = (OTHER_PROVINCE, OTHER_DISTRICT, NAME_ONLY, PACKAGES_DISAGREE)


@dataclass(frozen=True)
class Reason:
    code: str
    vi: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "vi": self.vi, "en": self.en}


def _flag_reason(code: str) -> Reason:
    if code == NAME_ONLY:
        return Reason(
            code,
            "xã mới chỉ khớp giữa hai gói dữ liệu theo tên không dấu",
            "the new commune matched between the two packages by its name without diacritics only",
        )
    return Reason(
        code,
        "hai gói dữ liệu cho xã mới hai mã khác nhau (mã của gói vietnamadminunits là của một xã khác)",
        "the two packages give the new commune different codes (vietnamadminunits' code is another commune's)",
    )


@dataclass(frozen=True)
class FormerLink:
    """One former unit of a current unit, with how much of it counts there and why the link may be wrong."""

    link_id: int
    new_id: int
    new_code: str
    new_name: str
    old_id: int
    old_code: str
    old_name: str
    old_tier: str
    district: str | None  # the former unit's district (pre-2025 map), None for a district itself
    province: str  # the former unit's province name
    whole: bool
    share: float | None  # the share of a split former unit that moved here, when known
    successors: int  # how many current units the former one went to
    status: str | None
    status_by: str | None
    note: str | None
    source: str
    reasons: tuple[Reason, ...]

    @property
    def doubtful(self) -> bool:
        """Doubtful and not yet confirmed or corrected by the province."""
        return bool(self.reasons) and self.status not in (CONFIRMED, CORRECTED)

    @property
    def approximate(self) -> bool:
        """A split former unit whose share here is not known: counted by an equal part among its successors."""
        return not self.whole and self.share is None

    @property
    def weight(self) -> float:
        if self.share is not None:
            return self.share
        return 1.0 if self.whole else 1.0 / max(self.successors, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "new_unit": self.new_code,
            "new_name": self.new_name,
            "old_unit": self.old_code,
            "old_name": self.old_name,
            "old_tier": self.old_tier,
            "district": self.district,
            "province": self.province,
            "whole": self.whole,
            "share": self.share,
            "weight": self.weight,
            "approximate": self.approximate,
            "status": self.status,
            "status_by": self.status_by,
            "note": self.note,
            "doubtful": self.doubtful,
            "reasons": [r.to_dict() for r in self.reasons],
            "source": self.source,
        }


class _Link(NamedTuple):
    """One stored link as `links_of` reads it (its columns and those of its two units)."""

    id: int
    whole: bool
    share: float | None
    status: str | None
    status_by: str | None
    note: str | None
    source: str
    flags: str | None
    new_id: int
    new_code: str
    new_name: str
    new_map: str
    old_id: int
    old_code: str
    old_name: str
    old_tier: str
    old_province: str
    old_map: str


def _flags(m: UnitMerger | _Link) -> tuple[str, ...]:
    return tuple(f for f in (m.flags or "").split(",") if f)


def _active() -> Any:
    return or_(UnitMerger.status.is_(None), UnitMerger.status != REMOVED)


def _bulk(counts: Counter[str]) -> str | None:
    """The value most of the former units share; None when two tie (no bulk to differ from)."""
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


@dataclass(frozen=True)
class Source:
    """What the doubt rules read of one former unit of a new unit."""

    tier: str
    province_code: str
    province: str
    district: str | None
    flags: tuple[str, ...] = ()


def judge(sources: Sequence[Source]) -> list[tuple[Reason, ...]]:
    """Why each former unit of one new unit may be linked wrongly (empty: no doubt), in the order given.

    A former commune in another former province, or else another former district, than most of the new unit's
    former communes (when most share one); the doubts the sources left open (`flags`)."""
    communes = [x for x in sources if x.tier == "commune"]
    bulk_province = _bulk(Counter(x.province_code for x in communes))
    district_counts = Counter(x.district or "" for x in communes)
    bulk_district = _bulk(district_counts)
    bulk_province_name = next((x.province for x in communes if x.province_code == bulk_province), None)
    out = []
    for x in sources:
        reasons: list[Reason] = []
        if x.tier == "commune":
            if bulk_province is not None and x.province_code != bulk_province:
                reasons.append(
                    Reason(
                        OTHER_PROVINCE,
                        f"đơn vị cũ thuộc {x.province}, khác tỉnh của phần lớn các xã cũ hợp thành "
                        f"({bulk_province_name})",
                        f"the former unit was in {x.province}, not in {bulk_province_name} like most of the "
                        "new unit's former communes",
                    )
                )
            elif bulk_district is not None and (x.district or "") != bulk_district:
                reasons.append(
                    Reason(
                        OTHER_DISTRICT,
                        f"đơn vị cũ thuộc {x.district}, khác huyện của phần lớn các xã cũ hợp thành "
                        f"({bulk_district}: {district_counts[bulk_district]}/{len(communes)})",
                        f"the former unit was in {x.district}, not in {bulk_district} like most of the new "
                        f"unit's former communes ({district_counts[bulk_district]}/{len(communes)})",
                    )
                )
        reasons += [_flag_reason(f) for f in x.flags]
        out.append(tuple(sorted(reasons, key=lambda r: REASON_ORDER.index(r.code))))
    return out


def links_of(
    session: Session,
    new_ids: Iterable[int] | None = None,
    *,
    province: str | None = None,
    with_removed: bool = False,
) -> dict[int, list[FormerLink]]:
    """Current unit id → its former units (by code), each with its weight, status and doubts.

    `new_ids` None: every current unit (of `province`, a current province code, when given)."""
    new, old, parent, prov = aliased(AdminUnit), aliased(AdminUnit), aliased(AdminUnit), aliased(AdminUnit)
    counted = select(UnitMerger.old_unit_id, func.count().label("n")).where(_active())
    chosen: list[int] | None = None
    if new_ids is not None:
        # The links of these units first, by their index: joined as one query, the database would walk every
        # former unit of the country (and count every unit's successors) to find the few asked for.
        found = session.execute(
            select(UnitMerger.id, UnitMerger.old_unit_id).where(UnitMerger.new_unit_id.in_(list(new_ids)))
        ).all()
        chosen = [merger_id for merger_id, _ in found]
        counted = counted.where(UnitMerger.old_unit_id.in_(sorted({old_id for _, old_id in found})))
    successors = counted.group_by(UnitMerger.old_unit_id).subquery()
    # Columns, not mapped objects: a ranking asks for the links of every unit it shows, on every page view.
    q = (
        select(
            UnitMerger.id,
            UnitMerger.whole,
            UnitMerger.share,
            UnitMerger.status,
            UnitMerger.status_by,
            UnitMerger.note,
            UnitMerger.source,
            UnitMerger.flags,
            new.id,
            new.code,
            new.name,
            new.map,
            old.id,
            old.code,
            old.name,
            old.tier,
            old.province_code,
            old.map,
            parent.name,
            parent.tier,
            prov.name,
            successors.c.n,
        )
        .join(new, UnitMerger.new_unit_id == new.id)
        .join(old, UnitMerger.old_unit_id == old.id)
        .outerjoin(parent, old.parent_id == parent.id)
        .outerjoin(prov, (prov.map == PRE2025) & (prov.tier == "province") & (prov.code == old.province_code))
        .outerjoin(successors, successors.c.old_unit_id == old.id)
    )
    if chosen is not None:
        # In the order the one-query plan gave (former unit code, then new unit), now stated. The maps are checked
        # below, not here: on `map` the database would again start from every former unit.
        q = q.where(UnitMerger.id.in_(chosen)).order_by(old.code, UnitMerger.new_unit_id)
    else:
        q = q.where(new.map == CURRENT, old.map == PRE2025)
    if province is not None:
        q = q.where(new.province_code == province)
    if not with_removed:
        q = q.where(_active())
    rows: dict[int, list[tuple[_Link, str | None, str, int]]] = defaultdict(list)
    for r in session.execute(q):
        link = _Link._make(r[:18])
        if link.new_map != CURRENT or link.old_map != PRE2025:
            continue
        parent_name: str | None = r[18]
        parent_tier: str | None = r[19]
        prov_name: str | None = r[20]
        count: int | None = r[21]
        district = parent_name if parent_tier == "district" else link.old_name if link.old_tier == "district" else None
        rows[link.new_id].append((link, district, prov_name or link.old_province, int(count or 1)))
    out: dict[int, list[FormerLink]] = {}
    for new_id, items in rows.items():
        active = [it for it in items if it[0].status != REMOVED]
        judged = dict(
            zip(
                (it[0].id for it in active),
                judge([Source(m.old_tier, m.old_province, p, d, _flags(m)) for m, d, p, _ in active]),
                strict=True,
            )
        )
        links = []
        for m, district, prov_name, count in items:
            reasons = judged.get(m.id, tuple(_flag_reason(f) for f in _flags(m)))
            links.append(
                FormerLink(
                    m.id,
                    m.new_id,
                    m.new_code,
                    m.new_name,
                    m.old_id,
                    m.old_code,
                    m.old_name,
                    m.old_tier,
                    district,
                    prov_name,
                    m.whole,
                    m.share,
                    count,
                    m.status,
                    m.status_by,
                    m.note,
                    m.source,
                    reasons,
                )
            )
        out[new_id] = sorted(links, key=lambda link: link.old_code)
    return out


def doubtful_links(session: Session, *, province: str | None = None, everything: bool = False) -> list[FormerLink]:
    """The links a province should look at (`everything`: also those it confirmed or corrected, and removed)."""
    found = [
        link
        for links in links_of(session, province=province, with_removed=everything).values()
        for link in links
        if link.doubtful or (everything and (link.reasons or link.status))
    ]
    return sorted(found, key=lambda link: (link.new_code, link.old_code))


@dataclass(frozen=True)
class Basis:
    """How last year's figures of some former units were put onto one current unit, for the mark a view shows."""

    unconfirmed: tuple[str, ...]  # codes of former units whose doubtful link no province confirmed
    approximate: tuple[str, ...]  # codes of split former units whose share here is not known

    @property
    def marks(self) -> list[str]:
        out = []
        if self.unconfirmed:
            out.append(f"{UNCONFIRMED_VI}: {', '.join(self.unconfirmed)}")
        if self.approximate:
            out.append(f"{APPROXIMATE_VI}: {', '.join(self.approximate)}")
        return out

    @classmethod
    def of(cls, links: Iterable[FormerLink]) -> Basis:
        links = list(links)
        return cls(
            tuple(link.old_code for link in links if link.doubtful),
            tuple(link.old_code for link in links if link.approximate),
        )


NO_DOUBT = Basis((), ())


# --- a province's word on a link ----------------------------------------------------------------------------------


def _units(session: Session, old_code: str, new_code: str, old_tier: str) -> tuple[AdminUnit, AdminUnit]:
    from certify.store.units import get_unit

    return get_unit(session, PRE2025, old_code, old_tier), get_unit(session, CURRENT, new_code, "commune")


def _link(session: Session, old: AdminUnit, new: AdminUnit) -> UnitMerger | None:
    return session.scalars(
        select(UnitMerger).where(UnitMerger.old_unit_id == old.id, UnitMerger.new_unit_id == new.id).with_for_update()
    ).first()


def _check_share(share: float | None, where: str) -> None:
    if share is not None and not (0 < share <= 1):
        raise CertifyError.one(
            "bad-share",
            f"Tỷ lệ chuyển sang đơn vị mới phải lớn hơn 0 và không quá 1 ({where})",
            f"The share moved into the new unit must be above 0 and at most 1 ({where})",
            expected="0 < share ≤ 1",
            found=str(share),
        )


def _check_note(note: str | None) -> None:
    most = current().prose_max_chars  # a note is prose, as everywhere (docs/limits.md)
    if note is not None and len(note) > most:
        raise CertifyError.one(
            "text-too-long",
            f"Ghi chú (--note) dài {len(note)} ký tự, tối đa {most}",
            f"The note (--note) is {len(note)} characters long, at most {most}",
            expected=f"≤ {most}",
            found=str(len(note)),
        )


def _state(m: UnitMerger) -> dict[str, Any]:
    return {"status": m.status, "share": m.share, "whole": m.whole, "note": m.note}


def _set(m: UnitMerger, actor: str, status: str, note: str | None, share: float | None) -> None:
    m.status, m.status_by, m.status_at = status, actor, dt.datetime.now(dt.UTC)
    if note is not None:
        m.note = note
    if share is not None:
        m.share = share
        m.whole = share == 1


def confirm(
    session: Session,
    old_code: str,
    new_code: str,
    *,
    actor: str,
    share: float | None = None,
    note: str | None = None,
    old_tier: str = "commune",
) -> UnitMerger:
    """The province says the link is right (and, for a split commune, which share moved here)."""
    _check_share(share, f"{old_code} → {new_code}")
    _check_note(note)
    old, new = _units(session, old_code, new_code, old_tier)
    m = _link(session, old, new)
    if m is None or m.status == REMOVED:
        raise CertifyError.one(
            "no-link",
            f"Không có liên kết {old.name} ({old_code}) → {new.name} ({new_code}) để xác nhận "
            "(dùng certify units relink để tạo)",
            f"No link {old.name} ({old_code}) → {new.name} ({new_code}) to confirm (use certify units relink)",
            found=f"{old_code} → {new_code}",
        )
    if m.status in (CONFIRMED, CORRECTED) and m.share is not None and share is not None and m.share != share:
        # Someone confirmed it meanwhile with another share: told, never overwritten silently.
        raise CertifyError.one(
            "link-already-confirmed",
            f"Liên kết {old_code} → {new_code} đã được {m.status_by} xác nhận với phần {m.share:g}; "
            "xem lại rồi sửa bằng certify units relink nếu cần",
            f"The link {old_code} → {new_code} was already confirmed by {m.status_by} with share {m.share:g}; "
            "check it, then correct it with certify units relink if needed",
            expected=f"{m.share:g}",
            found=f"{share:g}",
        )
    before = _state(m)
    _set(m, actor, CONFIRMED if m.status != CORRECTED else CORRECTED, note, share)
    audit.record(session, actor, "confirm", "unit_merger", m.id, field="link", old=before, new=_state(m))
    return m


@dataclass(frozen=True)
class Relink:
    """What a correction will change, to show before it is made: the link removed and the link made or kept."""

    old: AdminUnit
    wrong: AdminUnit
    link: UnitMerger  # old → wrong, to be marked removed
    right: AdminUnit | None
    right_link: UnitMerger | None  # old → right when there is one already (marked corrected), else made

    @property
    def current_units(self) -> list[AdminUnit]:
        """The current units whose former units (and so last year's values) change."""
        return [self.wrong] if self.right is None else [self.wrong, self.right]


def preview_relink(
    session: Session,
    old_code: str,
    from_code: str,
    to_code: str | None,
    *,
    share: float | None = None,
    note: str | None = None,
    old_tier: str = "commune",
) -> Relink:
    """The correction `relink` would make, checked as `relink` checks it: what is wrong is told before any question."""
    _check_share(share, f"{old_code} → {to_code}")
    _check_note(note)
    old, wrong = _units(session, old_code, from_code, old_tier)
    m = _link(session, old, wrong)
    if m is not None and m.status == REMOVED:
        raise CertifyError.one(
            "link-already-removed",
            f"Liên kết {old_code} → {from_code} đã được {m.status_by} bỏ; không có gì để sửa",
            f"The link {old_code} → {from_code} was already removed by {m.status_by}; nothing to correct",
            found=f"{old_code} → {from_code}",
        )
    if m is None:
        raise CertifyError.one(
            "no-link",
            f"Không có liên kết {old.name} ({old_code}) → {wrong.name} ({from_code}) để sửa",
            f"No link {old.name} ({old_code}) → {wrong.name} ({from_code}) to correct",
            found=f"{old_code} → {from_code}",
        )
    if to_code is None:
        return Relink(old, wrong, m, None, None)
    _, right = _units(session, old_code, to_code, old_tier)
    return Relink(old, wrong, m, right, _link(session, old, right))


def relink(
    session: Session,
    old_code: str,
    from_code: str,
    to_code: str | None,
    *,
    actor: str,
    share: float | None = None,
    note: str | None = None,
    old_tier: str = "commune",
) -> tuple[UnitMerger, UnitMerger | None]:
    """The province corrects a link: the former unit did not go to `from_code` (the row is kept, marked removed)
    but to `to_code` (a link made or, when the sources had it too, confirmed); `to_code` None: nowhere else."""
    plan = preview_relink(session, old_code, from_code, to_code, share=share, note=note, old_tier=old_tier)
    old, m, right, made = plan.old, plan.link, plan.right, plan.right_link
    before = _state(m)
    _set(m, actor, REMOVED, note, None)
    audit.record(session, actor, "relink", "unit_merger", m.id, field="link", old=before, new=_state(m))
    if right is None:
        return m, None
    if made is None:
        made = UnitMerger(
            old_unit_id=old.id,
            new_unit_id=right.id,
            whole=share == 1 if share is not None else m.whole,
            share=share if share is not None else (1.0 if m.whole else None),
            source=f"tỉnh / province: {actor}"[:120],
        )
        session.add(made)
        session.flush()
        before_made: dict[str, Any] | None = None
    else:
        before_made = _state(made)
    _set(made, actor, CORRECTED, note, share)
    audit.record(session, actor, "relink", "unit_merger", made.id, field="link", old=before_made, new=_state(made))
    return m, made
