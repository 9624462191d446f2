"""Scoring a cohort on a criterion-level DTI framework.

Each criterion is scored for the whole cohort at once (numpy), sub-criteria before their parent.
Then the framework's special rules apply, in this order: an irrelevant criterion (listed by the
unit, or 0 of 0 in its data) gets full points or leaves the unit's maximum; a unit with a
peer-maximum condition gets its peers' highest points; no criterion ever scores above its
maximum. Self-assessed and appraised data are both scored; the appraised points are final
where present (framework setting `rules.appraisal`) and the differences are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from certify.dti.aggregate import ranked_mask
from certify.dti.cohort import Cohort
from certify.dti.methods import Context, Peers, Row, Scored
from certify.dti.methods.base import FloatArray, IntArray
from certify.dti.model import Appraisal, DtiFramework, IndexRole, NotApplicable
from certify.dti.numbers import EPS, fmt
from certify.dti.plan import Plan, plan_for
from certify.dti.ranking import classify, competition_ranks
from certify.dti.results import CriterionDetail, Results, Status
from certify.dti.weights import cap_adjustments, weighted_value
from certify.errors import Problem


@dataclass
class _Run:
    """One pass over the criteria with one set of input columns."""

    ctx: Context
    scored: dict[str, Scored]
    points: dict[str, FloatArray]
    unit_max: dict[str, FloatArray]
    status: dict[str, IntArray]


# Statuses as plain numbers for the arrays (an IntEnum member is looked up through its class on every use).
_SCORED, _NO_DATA, _NOT_APPLICABLE = int(Status.SCORED), int(Status.NO_DATA), int(Status.NOT_APPLICABLE)
_DOES_NOT_ARISE, _NO_PEER, _PEER_MAXIMUM = int(Status.DOES_NOT_ARISE), int(Status.NO_PEER), int(Status.PEER_MAXIMUM)


def _score_pass(plan: Plan, cohort: Cohort, columns: dict[str, FloatArray], peers: Peers) -> _Run:
    fw = plan.fw
    n = cohort.n
    ctx = Context(columns, n, peers)
    run = _Run(ctx, {}, ctx.points, {}, {})
    full = fw.rules.not_applicable is NotApplicable.FULL_POINTS
    rules_of: dict[str, list[str]] = {}
    for rule in fw.rules.peer_maximum:
        for code in rule.criteria:
            rules_of.setdefault(code, []).append(rule.condition)
    for code in plan.order:
        c = plan.compiled[code]
        scored = c.method.score(c, ctx)
        run.scored[code] = scored
        no_data = np.isnan(scored.points)
        points = np.clip(np.where(no_data, 0.0, scored.points), 0, c.max_points)  # no data: 0; ±inf: a bound
        status = np.where(no_data, _NO_DATA, _SCORED).astype(np.int64)
        if scored.not_applicable is not None:
            status[scored.not_applicable] = _DOES_NOT_ARISE
        listed = cohort.not_applicable.get(code)
        if listed is not None:
            status[listed] = _NOT_APPLICABLE
        if c.children:  # a sum of parts none of which has data has no data either
            nothing = np.logical_and.reduce([run.status[k] == _NO_DATA for k in c.children])
            status[nothing & (status == _SCORED)] = _NO_DATA
        na = status >= _NOT_APPLICABLE
        peer_rule = False
        for condition in rules_of.get(code, []):
            flagged = cohort.condition(condition) & ~na
            if flagged.any():
                eligible = ~cohort.condition(condition) & ~na & ~no_data
                best = peers.group_max(points, eligible)
                has_peer = ~np.isnan(best)
                points = np.where(flagged & has_peer, best, points)
                status[flagged & has_peer] = _PEER_MAXIMUM
                status[flagged & ~has_peer] = _NO_PEER
                peer_rule = True
        if peer_rule:  # a unit given its peers' maximum counts as scored
            na = (status >= _NOT_APPLICABLE) & (status != _PEER_MAXIMUM)
        if c.children:
            unit_max = np.where(na, 0.0, np.sum([run.unit_max[k] for k in c.children], axis=0))
        else:
            unit_max = np.full(n, c.max_points)
        if full:
            points = np.where(na, c.max_points, points)
            if c.children:
                unit_max = np.where(na, c.max_points, unit_max)
        else:
            points = np.where(na, 0.0, points)
            unit_max = np.where(na, 0.0, unit_max)
        run.points[code] = points
        run.unit_max[code] = unit_max
        run.status[code] = status
    return run


def _explainer(plan: Plan, run: _Run, self_run: _Run | None) -> CriterionDetail:
    fw = plan.fw
    full = fw.rules.not_applicable is NotApplicable.FULL_POINTS
    conditions = {code: rule for rule in fw.rules.peer_maximum for code in rule.criteria}

    def explain(i: int, code: str) -> str:
        c = plan.compiled[code]
        status = Status(int(run.status[code][i]))
        points = float(run.points[code][i])
        na_tail = f"điểm tối đa {fmt(c.max_points)}" if full else "loại khỏi điểm tối đa của đơn vị"
        if status is Status.NO_DATA:
            text = "không có số liệu → 0"
        elif status is Status.NOT_APPLICABLE:
            text = f"không liên quan đến đơn vị → {na_tail}"
        elif status is Status.DOES_NOT_ARISE:
            text = f"0 của 0: không phát sinh → như không liên quan, {na_tail}"
        elif status is Status.NO_PEER:
            text = f"{conditions[code].name}, không có đơn vị cùng nhóm để so sánh → {na_tail}"
        elif status is Status.PEER_MAXIMUM:
            text = f"{conditions[code].name} → điểm cao nhất trong nhóm: {fmt(points)}"
        else:
            raw = float(run.scored[code].points[i])
            text = c.method.explain(c, Row(i, run.ctx, run.scored[code]))
            if raw > c.max_points + EPS:
                text += f" > tối đa {fmt(c.max_points)} → {fmt(points)}"
        if self_run is not None:
            own = float(self_run.points[code][i])
            if abs(own - points) > 1e-9:
                text += f" (tự chấm {fmt(own)}, thẩm định {fmt(points)})"
        return text

    return CriterionDetail(
        codes=[c.code for c in fw.criteria],
        points=run.points,
        unit_max=run.unit_max,
        status=run.status,
        cohort_dependent=plan.cohort_dependent,
        explain=explain,
        self_points=self_run.points if self_run is not None else None,
    )


def _index_matrix(fw: DtiFramework, values: dict[str, FloatArray], n: int) -> FloatArray:
    out = np.zeros((n, len(fw.indices)))
    column = {index.code: k for k, index in enumerate(fw.indices)}
    for crit in fw.top_level:
        out[:, column[crit.index_code]] += values[crit.code]
    return out


def _index_max(fw: DtiFramework, unit_max: dict[str, FloatArray], n: int) -> FloatArray:
    """Each unit's maximum per main index; a bonus or penalty group's is its cap."""
    out = _index_matrix(fw, unit_max, n)
    for k, index in enumerate(fw.indices):
        if index.role is not IndexRole.SCORED:
            out[:, k] = index.max_points
    return out


def not_ranked_reasons(fw: DtiFramework, cohort: Cohort) -> list[str]:
    """Why each unit is left out of the ranking ("" = ranked): the framework's rules, then the file's reason."""
    if not fw.rules.not_ranked_when and not any(cohort.not_ranked):
        return []
    reasons: list[list[str]] = [[r] if r else [] for r in cohort.not_ranked] or [[] for _ in range(cohort.n)]
    for rule in fw.rules.not_ranked_when:
        for i in np.flatnonzero(cohort.condition(rule.condition)):
            reasons[int(i)].insert(0, rule.reason)
    return ["; ".join(r) for r in reasons]


def score_cohort(fw: DtiFramework, cohort: Cohort) -> Results:
    plan = plan_for(fw)
    peers = cohort.peers(fw.rules.peer_scope)
    final = _score_pass(plan, cohort, cohort.final_columns(), peers)
    self_run = _score_pass(plan, cohort, cohort.columns, peers) if cohort.appraised else None
    if self_run is not None and fw.rules.appraisal is Appraisal.SELF:
        final, self_run = self_run, final
    uncapped = _index_matrix(fw, final.points, cohort.n)
    index_points = cap_adjustments(fw, uncapped.copy())
    index_max = _index_max(fw, final.unit_max, cohort.n)
    value = weighted_value(fw, index_points, index_max)
    reasons = not_ranked_reasons(fw, cohort)
    warnings = _warnings(plan, cohort, final)
    return Results(
        fw=fw,
        units=cohort.units,
        names=cohort.names,
        groups=cohort.groups,
        index_points=index_points,
        index_max=index_max,
        value=value,
        ranks=competition_ranks(value, cohort.groups, ranked_mask(reasons, cohort.n)),
        bands=classify(value, fw.bands) if fw.bands_known else [None] * cohort.n,
        province=cohort.province,
        year=cohort.year,
        file=cohort.file,
        detail=_explainer(plan, final, self_run),
        warnings=warnings,
        not_ranked=reasons,
        uncapped=uncapped if fw.adjustments else None,
    )


def _warnings(plan: Plan, cohort: Cohort, run: _Run) -> list[Problem]:
    out: list[Problem] = []
    missing = [
        code for code in plan.order if not plan.compiled[code].children and (run.status[code] == Status.NO_DATA).all()
    ]
    if missing:
        listed = ", ".join(missing[:12]) + (f", … (+{len(missing) - 12})" if len(missing) > 12 else "")
        out.append(
            Problem(
                code="no-data",
                severity="warning",
                file=cohort.file,
                vi=f"{len(missing)} tiêu chí không có số liệu cho đơn vị nào (0 điểm): {listed}",
                en=f"{len(missing)} criteria have no data for any unit (0 points): {listed}",
            )
        )
    relative = sorted(plan.cohort_dependent, key=plan.order.index)
    if relative and cohort.n == 1:
        out.append(
            Problem(
                code="cohort-of-one",
                severity="warning",
                file=cohort.file,
                vi="Chấm một đơn vị riêng lẻ: điểm các tiêu chí "
                + ", ".join(relative)
                + " phụ thuộc vào các đơn vị so sánh (min–max, đơn vị cao nhất)",
                en="A single unit scored alone: the points of criteria "
                + ", ".join(relative)
                + " depend on the units it is compared with (min–max, best unit)",
            )
        )
    return out
