"""What each role sees first after logging in (no I/O here: the pages pass the store's views in).

- the unit editor: their unit's current cycle, its state, live level, what blocks the next level, what to do next;
- the appraiser: the queue of submitted units, with counts per state;
- the province administrator: headline figures (units per state and per level against last year), the cycles,
  and what awaits them (appraised units to recognise, recognised units and DTI rankings to publish).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from certify.levels.gap import gap_report
from certify.store.views import DtiTable, UnitView
from certify.store.workflow import State

EDITABLE = (State.DRAFT.value, State.RETURNED.value)
QUEUE = (State.SUBMITTED.value, State.UNDER_APPRAISAL.value)
STATE_ORDER = [s.value for s in State if s is not State.DELETED]
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")  # the day a submission arrived, as the province counts it
QUEUE_SORTS = ("date", "district", "level", "unit", "state")


def editor_home(views: Sequence[UnitView], today: dt.date | None = None) -> dict[str, Any] | None:
    """The editor's unit in its latest cycle (`views`: that unit's submissions, newest year first), with the
    cycle's deadline and the days left to it when the province set one."""
    if not views:
        return None
    v = views[0]
    blockers: list[dict[str, Any]] = []
    next_level = None
    if v.evaluation is not None:
        report = gap_report(v.evaluation)
        next_level = v.evaluation.next_level
        if report.next_level:
            blockers = [i.to_dict() for i in report.next_level.items]
    return v.summary() | {
        "editable": v.state in EDITABLE,
        "return_reasons": v.return_reasons if v.state == State.RETURNED.value else None,
        "next_level": next_level,
        "blockers": blockers,
        "earlier": [w.summary() for w in views[1:]],
        "deadline": v.deadline.isoformat() if v.deadline else None,
        "days_left": (v.deadline - (today or dt.date.today())).days if v.deadline else None,
    }


def queue(
    views: Sequence[UnitView], counted: Sequence[UnitView], sort: str = "date", descending: bool = False
) -> dict[str, Any]:
    """Units waiting for the appraiser (among `views`), sortable by the day they were submitted (oldest first),
    district, self-assessed level (highest first) or state, either way round; the waiting units per level and per
    district, and the units of `counted` (this year's) per state."""
    waiting = [v for v in views if v.state in QUEUE]
    sort = sort if sort in QUEUE_SORTS else "date"

    def own_level(v: UnitView) -> str | None:
        return v.self_evaluation.level if v.self_evaluation else None

    def rank(v: UnitView) -> int:
        ids = v.fw.level_ids
        own = own_level(v)
        return ids.index(own) + 1 if own in ids else 0

    def key(v: UnitView) -> tuple[Any, ...]:
        if sort == "level":
            return (-rank(v), v.unit_name)
        if sort == "state":
            return (STATE_ORDER.index(v.state), v.unit_name)
        if sort == "district":
            return (", ".join(v.districts) or "\uffff", v.unit_name)
        if sort == "date":
            when = v.submitted_at.timestamp() if v.submitted_at else float("inf")
            return (when, v.unit_name)
        return (v.unit_name,)

    ordered = sorted(waiting, key=key, reverse=descending)
    rows = [
        v.summary()
        | {
            "self_level": own_level(v),
            "submitted_at": v.submitted_at.isoformat() if v.submitted_at else None,
            "submitted_on": v.submitted_at.astimezone(VIETNAM).date().isoformat() if v.submitted_at else None,
            "districts": list(v.districts),
        }
        for v in ordered
    ]
    counts = Counter(v.state for v in counted)
    by_level = Counter(own_level(v) for v in waiting)
    by_district = Counter(d for v in waiting for d in (v.districts or ("",)))
    fws = {v.fw.ref: v.fw for v in waiting}
    ids: list[str | None] = [None]
    for fw in fws.values():
        ids += [lv for lv in fw.level_ids if lv not in ids]
    return {
        "sort": sort,
        "descending": descending,
        "units": rows,
        "by_level": [{"level": lv, "units": by_level[lv]} for lv in reversed(ids) if by_level[lv]],
        "by_district": [{"district": d, "units": n} for d, n in sorted(by_district.items())],
        "counts": [{"state": s, "units": counts[s]} for s in STATE_ORDER if counts[s]],
        "total": len(counted),
    }


def admin_home(views: Sequence[UnitView], before: Sequence[UnitView], dti: Sequence[DtiTable]) -> dict[str, Any]:
    """Headline cards for the province: states and levels this year against last year, and what awaits."""
    states = Counter(v.state for v in views)
    levels = Counter(v.level for v in views)
    last = Counter(v.level for v in before)
    fws = {v.fw.ref: v.fw for v in [*views, *before]}
    ids: list[str | None] = [None]
    for fw in fws.values():
        ids += [lv for lv in fw.level_ids if lv not in ids]
    return {
        "by_state": [{"state": s, "units": states[s]} for s in STATE_ORDER if states[s]],
        "by_level": [{"level": lv, "units": levels[lv], "previous": last[lv]} for lv in ids],
        "to_recognise": [v.summary() for v in views if v.state == State.APPRAISED.value],
        "to_publish": [v.summary() for v in views if v.state == State.RECOGNISED.value],
        "rankings_to_publish": [t.heading.heading_dict() for t in dti if not t.heading.published],
        "units": len(views),
        "previous_units": len(before),
    }
