"""Certification: the highest level whose criteria are all met, and why not the next.

The core works on arrays (units × levels × criteria) so a nation-scale cohort evaluates in
one pass; `Evaluation` reads one unit's slice back as verdicts a person can check.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import cached_property
from typing import Any

import numpy as np

from certify.bulk import LazySequence
from certify.catalog import Resolved
from certify.hashing import content_hash
from certify.levels.assessment import BoundAssessment, BoundCohort, Measurement
from certify.levels.compiled import BoolArray, Compiled, FloatArray, IndexArray, IntArray, compile_framework
from certify.levels.display import show_measurement, show_requirement
from certify.levels.model import Criterion, LevelFramework, LevelRule
from certify.numbers import fmt_percent

SHARE_EPS = 1e-9


class Status(IntEnum):
    MET = 0
    NOT_MET = 1
    MISSING = 2
    NA_EXCLUDED = 3
    NA_DEEMED_MET = 4
    NA_NOT_ALLOWED = 5


# As plain ints for comparing status arrays: reading a member off the enum class costs a lookup each time.
_MET, _NA_EXCLUDED, _NA_DEEMED_MET = int(Status.MET), int(Status.NA_EXCLUDED), int(Status.NA_DEEMED_MET)


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


VERDICT_OF = {
    Status.MET: Verdict.MET,
    Status.NOT_MET: Verdict.NOT_MET,
    Status.MISSING: Verdict.MISSING,
    Status.NA_EXCLUDED: Verdict.NOT_APPLICABLE,
    Status.NA_DEEMED_MET: Verdict.NOT_APPLICABLE,
    Status.NA_NOT_ALLOWED: Verdict.NOT_MET,
}
VERDICT_VI = {
    Verdict.MET: "Đạt",
    Verdict.NOT_MET: "Chưa đạt",
    Verdict.MISSING: "Thiếu số liệu",
    Verdict.NOT_APPLICABLE: "Không áp dụng",
}
NA_NOTE_VI = {
    Status.NA_EXCLUDED: "không tính vào mức độ (theo quy định của bộ tiêu chí)",
    Status.NA_DEEMED_MET: "được tính là đạt (theo quy định của bộ tiêu chí)",
    Status.NA_NOT_ALLOWED: "bộ tiêu chí không cho phép «không áp dụng»: tính là chưa đạt",
}
BLOCKING = (Status.NOT_MET, Status.MISSING, Status.NA_NOT_ALLOWED)
# Lookup table status code → blocks the level (faster than np.isin on every unit).
BLOCKS = np.array([Status(i) in BLOCKING for i in range(len(Status))], dtype=np.bool_)
VERDICT_NAMES = np.array([VERDICT_OF[Status(i)].value for i in range(len(Status))])


@dataclass(frozen=True)
class Matrix:
    """Result of evaluating U units: status [U, L, C], holds [U, L], level index [U] (-1: none)."""

    status: IntArray
    holds: BoolArray
    level_index: IndexArray


BLOCK = 2048  # units evaluated together: a block's [levels × criteria × units] stays in the processor's cache


def evaluate_arrays(cf: Compiled, values: FloatArray, na: BoolArray) -> Matrix:
    """`values` [U, C] in indicator units, NaN where missing; `na` [U, C] claimed not applicable.

    What a criterion is when not met depends on the unit only (missing, not met, or its «not applicable»
    under the framework's policy), so it is worked out per criterion and unit; every verdict at every level is
    then one comparison of the units' values with the framework's threshold matrix and one product (MET is 0).
    A block of units is laid out criterion by criterion ([L, C, units]), so that each comparison runs along the
    units with one threshold (long, vectorised loops; [U, L, C] would loop over 38 criteria at a time). The
    verdicts are kept in that layout: `status` is [U, L, C] as every reader indexes it, a view of [L, C, U]
    (and `holds` [U, L] a view of [L, U])."""
    n_units = values.shape[0]
    n_levels, n_crit = cf.applies.shape
    verdicts = np.empty((n_levels, n_crit, n_units), dtype=np.int8)
    held = np.empty((n_levels, n_units), dtype=np.bool_)  # [L, U] as well: each level's row along the units
    na_status = (Status.NA_EXCLUDED + cf.na_policy).astype(np.int8)[:, None]  # policy order matches Status order
    na_blocks = BLOCKS[na_status].view(np.uint8)  # [C, 1] a claimed «not applicable» blocks (not allowed)
    share = cf.rule is LevelRule.MANDATORY_PLUS_SHARE
    thresholds = cf.thresholds[:, :, None]  # [L, C, 1]
    applies = cf.applies.view(np.uint8)[:, :, None]
    sign = cf.sign[:, None]
    for lo in range(0, n_units, BLOCK):
        hi = min(lo + BLOCK, n_units)
        width = hi - lo
        signed = np.empty((n_crit, width))
        np.multiply(values[lo:hi].T, sign, out=signed)  # [C, units]
        claimed = np.ascontiguousarray(na[lo:hi].T)
        missing = np.isnan(signed)
        # [C, units]: the status when not met — missing, not met, or «not applicable» under the policy
        otherwise = missing.view(np.int8) + np.int8(Status.NOT_MET)  # MISSING is NOT_MET + 1
        np.copyto(otherwise, na_status, where=claimed)
        missing |= claimed
        np.copyto(signed, -np.inf, where=missing)  # never met (thresholds are finite or +inf)
        not_met = np.less(signed[None, :, :], thresholds)  # [L, C, units]
        np.multiply(not_met, otherwise[None, :, :], out=verdicts[:, :, lo:hi])
        if share:
            held[:, lo:hi] = _share_holds(cf, ~not_met.transpose(2, 0, 1), otherwise.T).T
        else:
            # a criterion blocks a level where it applies, is not met, and is neither excluded nor deemed met
            # bitwise on bytes: and-ing, or-ing booleans with a broadcast operand is not vectorised
            blocks = np.logical_not(claimed).view(np.uint8)
            np.bitwise_or(blocks, na_blocks, out=blocks)
            flags = not_met.view(np.uint8)
            np.bitwise_and(flags, blocks[None, :, :], out=flags)
            np.bitwise_and(flags, applies, out=flags)
            np.logical_or.reduce(not_met, axis=1, out=held[:, lo:hi])
            np.logical_not(held[:, lo:hi], out=held[:, lo:hi])
    level_index: IndexArray
    if cf.fw.rules.consecutive:
        for li in range(1, n_levels):  # a level held only above every level below it
            np.logical_and(held[li], held[li - 1], out=held[li])
        level_index = held.sum(axis=0) - 1
    else:
        any_held = held.any(axis=0)
        level_index = np.where(any_held, n_levels - 1 - np.argmax(held[::-1], axis=0), -1)
    return Matrix(status=verdicts.transpose(2, 0, 1), holds=held.T, level_index=level_index)


def _share_holds(cf: Compiled, met: BoolArray, otherwise: IntArray) -> BoolArray:
    """[U, L] under «all mandatory + a share of the optional criteria»."""
    applies = cf.applies[None, :, :]
    ok = met | (otherwise == Status.NA_DEEMED_MET)[:, None, :]
    counts = applies & (otherwise != Status.NA_EXCLUDED)[:, None, :]
    mandatory = cf.mandatory[None, None, :]
    holds: BoolArray = np.all(ok | ~counts | ~mandatory, axis=2)
    optional = counts & ~mandatory
    n_opt = optional.sum(axis=2)
    n_ok = (optional & ok).sum(axis=2)
    holds &= n_ok >= cf.fw.rules.optional_min_share * n_opt - SHARE_EPS
    return holds


def to_arrays(cf: Compiled, units: Sequence[BoundAssessment]) -> tuple[FloatArray, BoolArray]:
    """`values` [U, C] (NaN where missing or not applicable) and `na` [U, C] of `units`, taken from their
    cohort's arrays (rows picked at once when the units are views of cohorts bound to this framework)."""
    if isinstance(units, BoundCohort) and units.codes == cf.codes:
        return units.value, units.na
    cohorts = {id(u.cohort): u.cohort for u in units}
    if len(cohorts) == 1:
        cohort = next(iter(cohorts.values()))
        if cohort.codes == cf.codes:
            rows = np.fromiter((u.index for u in units), dtype=np.intp, count=len(units))
            return cohort.value[rows], cohort.na[rows]
    values = np.full((len(units), len(cf.codes)), np.nan)
    na = np.zeros((len(units), len(cf.codes)), dtype=np.bool_)
    index = cf.index
    for u, unit in enumerate(units):
        for code, m in unit.measurements.items():
            c = index[code]
            if m.na:
                na[u, c] = True
            elif m.value is not None:
                values[u, c] = m.value
    return values, na


def cohort_arrays(
    cf: Compiled, evaluations: Sequence[Evaluation]
) -> tuple[FloatArray, BoolArray, FloatArray, FloatArray, BoolArray] | None:
    """values (NaN where missing or not applicable), na, numerator and denominator (NaN where not given as
    counts) [U, C] of `evaluations`, and [U] whether a document proves some value of the unit, read straight
    from their cohort's arrays when they are units of one cohort bound to this framework (None otherwise:
    read their measurements)."""
    units = evaluations.units if isinstance(evaluations, CohortEvaluation) else [ev.unit for ev in evaluations]
    if isinstance(units, BoundCohort):
        cohort, rows = units, None
    else:
        cohorts = {id(u.cohort): u.cohort for u in units}
        if len(cohorts) != 1:
            return None
        cohort = next(iter(cohorts.values()))
        rows = np.fromiter((u.index for u in units), dtype=np.intp, count=len(units))
    if cohort.codes != cf.codes:
        return None
    evidenced = cohort.evidenced()
    if rows is None:
        return cohort.value, cohort.na, cohort.numerator, cohort.denominator, evidenced
    return cohort.value[rows], cohort.na[rows], cohort.numerator[rows], cohort.denominator[rows], evidenced[rows]


@dataclass(frozen=True)
class CriterionResult:
    code: str
    level: str
    status: Status
    measurement: Measurement | None
    threshold: float | bool | None

    @property
    def verdict(self) -> Verdict:
        return VERDICT_OF[self.status]

    @property
    def blocking(self) -> bool:
        return self.status in BLOCKING


@dataclass(frozen=True, slots=True)
class LevelTally:
    """The one way every output counts a level's criteria (CLI, web, PDF, XLSX, JSON).

    `counted` are the criteria that apply at the level, less those not applicable and excluded by the
    framework's policy; `met` are those met, a not-applicable criterion deemed met included; `na` are the
    criteria declared not applicable (excluded or deemed met), shown beside the count: «32/32 (1 không áp dụng)».

    Under the rule «all mandatory + a share of the others» (`mandatory_plus_share`, Yên Bái) the optional
    («mở rộng») criteria are counted apart too: «30/38; mở rộng 5/13, cần ≥ 4», and a level not reached for
    want of them says how many more: «cần thêm 2 trong 8 tiêu chí mở rộng».
    """

    id: str
    name: str
    held: bool
    met: int
    counted: int
    missing: int
    na: int
    share_rule: bool = False
    optional_met: int = 0
    optional_counted: int = 0
    optional_needed: int = 0  # the least number of optional criteria the level needs met

    @property
    def optional_short(self) -> int:
        """How many more optional criteria must be met for the share."""
        return max(0, self.optional_needed - self.optional_met)

    @property
    def optional_open(self) -> int:
        """Optional criteria that count and are not met: those to choose from."""
        return self.optional_counted - self.optional_met

    def text_vi(self) -> str:
        text = f"{self.met}/{self.counted}" + (f" ({self.na} không áp dụng)" if self.na else "")
        if self.share_rule:
            text += f"; mở rộng {self.optional_met}/{self.optional_counted}, cần ≥ {self.optional_needed}"
            if self.optional_short:
                text += f": cần thêm {self.optional_short} trong {self.optional_open} tiêu chí mở rộng"
        return text

    def text_en(self) -> str:
        text = f"{self.met}/{self.counted}" + (f" ({self.na} not applicable)" if self.na else "")
        if self.share_rule:
            text += f"; optional {self.optional_met}/{self.optional_counted}, ≥ {self.optional_needed} needed"
            if self.optional_short:
                text += f": {self.optional_short} more of the {self.optional_open} open optional criteria"
        return text


@dataclass(frozen=True)
class Evaluation:
    """One unit's certification, read from the cohort arrays on demand."""

    compiled: Compiled
    unit: BoundAssessment
    status: IntArray  # [L, C]
    holds: BoolArray  # [L]
    level_index: int

    @property
    def fw(self) -> LevelFramework:
        return self.compiled.fw

    @property
    def level(self) -> str | None:
        return self.fw.level_ids[self.level_index] if self.level_index >= 0 else None

    @property
    def next_level(self) -> str | None:
        nxt = self.level_index + 1
        return self.fw.level_ids[nxt] if nxt < len(self.fw.levels) else None

    @cached_property
    def input_hash(self) -> str:
        # Evidence and notes do not change a result, so they are not part of the input hash.
        cohort = self.unit.cohort
        if len(cohort) > 1:  # a unit of a cohort: every unit's hash read from the arrays at once
            return cohort.input_hashes()[self.unit.index]
        a = self.unit.assessment
        u, codes = self.unit.index, cohort.codes
        values: dict[str, list[Any]] = {}
        for c in np.flatnonzero(cohort.given[u]).tolist():  # the unit's given values, in the framework's order
            m = cohort.measurement(u, c)
            assert m is not None
            values[codes[c]] = [m.value, m.numerator, m.denominator, m.na]
        return content_hash({"unit": a.unit, "tier": a.tier.value, "year": a.year, "values": values})

    def results(self, level: str) -> list[CriterionResult]:
        """Verdicts of the criteria that apply at `level`, in the framework's order."""
        li = self.fw.level_ids.index(level)
        out = []
        for c, code in enumerate(self.compiled.codes):
            if self.compiled.applies[li, c]:
                crit = self.fw.criteria[c]
                out.append(
                    CriterionResult(
                        code,
                        level,
                        Status(int(self.status[li, c])),
                        self.unit.measurements.get(code),
                        crit.requirements[level].threshold,
                    )
                )
        return out

    @cached_property
    def _counts(self) -> tuple[BoolArray, BoolArray, BoolArray]:
        """[L, C]: criteria that count (apply, not excluded), those met, those not applicable."""
        status = self.status
        applies = self.compiled.applies
        na = applies & ((status == _NA_EXCLUDED) | (status == _NA_DEEMED_MET))
        counted = applies & (status != _NA_EXCLUDED)
        met = counted & ((status == _MET) | (status == _NA_DEEMED_MET))
        return counted, met, na

    def tallies(self) -> list[LevelTally]:
        """Per level, read from the status matrix at once (no result objects)."""
        return list(self._tallies)

    @cached_property
    def _tallies(self) -> tuple[LevelTally, ...]:
        counted, met_mask, na = self._counts
        met = met_mask.sum(axis=1).tolist()
        missing = (counted & (self.status == Status.MISSING)).sum(axis=1).tolist()
        n_counted, n_na, held = counted.sum(axis=1).tolist(), na.sum(axis=1).tolist(), self.holds.tolist()
        share = self.compiled.rule is LevelRule.MANDATORY_PLUS_SHARE
        optional = ~self.compiled.mandatory[None, :]
        opt_counted = (counted & optional).sum(axis=1).tolist()
        opt_met = (met_mask & optional).sum(axis=1).tolist()
        min_share = self.fw.rules.optional_min_share
        return tuple(
            LevelTally(
                lv.id,
                lv.name,
                bool(held[i]),
                met[i],
                n_counted[i],
                missing[i],
                n_na[i],
                share,
                opt_met[i] if share else 0,
                opt_counted[i] if share else 0,
                math.ceil(min_share * opt_counted[i] - SHARE_EPS) if share else 0,
            )
            for i, lv in enumerate(self.fw.levels)
        )

    def _blocking_mask(self, li: int) -> BoolArray:
        """[C] what keeps the unit from level `li`. Under the share rule, optional criteria block only
        while the level's share of them is not reached: on a level held, none is listed."""
        mask: BoolArray = self.compiled.applies[li] & BLOCKS[self.status[li]]
        if self.compiled.rule is LevelRule.MANDATORY_PLUS_SHARE:
            tally = self._tallies[li]
            if not tally.optional_short:
                mask = mask & self.compiled.mandatory
        return mask

    def blocking(self, level: str) -> list[CriterionResult]:
        """The criteria that keep the unit from `level`, found without visiting the others (once per level: the
        answer and its gap report both ask for the next level's)."""
        found = self._blocking.get(level)
        if found is None:
            found = self._blocking[level] = self._find_blocking(level)
        return list(found)

    @cached_property
    def _blocking(self) -> dict[str, list[CriterionResult]]:
        return {}

    def _find_blocking(self, level: str) -> list[CriterionResult]:
        li = self.fw.level_ids.index(level)
        row = self.status[li]
        mask = self._blocking_mask(li)
        out = []
        for c in np.flatnonzero(mask):
            crit = self.fw.criteria[c]
            out.append(
                CriterionResult(
                    crit.code,
                    level,
                    Status(int(row[c])),
                    self.unit.measurements.get(crit.code),
                    crit.requirements[level].threshold,
                )
            )
        return out

    def provenance(self) -> dict[str, Any]:
        fw = self.fw
        return {
            "framework": {
                "id": fw.id,
                "version": fw.version,
                "status": fw.status.value,
                "content_hash": self.compiled.resolved.content_hash,
                "source": fw.source.cite(),
            },
            "input_hash": self.input_hash,
            "banner": fw.banner[0] if fw.banner else None,
        }

    def to_dict(self, detail: bool = True) -> dict[str, Any]:
        """Everything, or with `detail=False` each level's verdicts by code only (no value texts:
        formatting every value at every level dominates the cost of a web answer)."""
        fw = self.fw
        cf = self.compiled
        a = self.unit.assessment
        levels = []
        for li, (lv, tally) in enumerate(zip(fw.levels, self.tallies(), strict=True)):
            idx = cf.applicable[li]
            statuses = self.status[li][idx]
            blocking_idx = np.flatnonzero(self._blocking_mask(li))
            entry: dict[str, Any] = {
                "id": lv.id,
                "name": lv.name,
                "held": tally.held,
                "criteria_count": tally.counted,
                "met_count": tally.met,
                "na_count": tally.na,
                "missing_count": tally.missing,
                "count_text": tally.text_vi(),
                "count_text_en": tally.text_en(),
                "blocking": cf.codes_array[blocking_idx].tolist(),
            }
            if tally.share_rule:
                entry["optional"] = {
                    "met": tally.optional_met,
                    "counted": tally.optional_counted,
                    "needed": tally.optional_needed,
                    "short": tally.optional_short,
                    "open": tally.optional_open,
                }
            if detail:
                entry["criteria"] = [self.result_dict(r) for r in self.results(lv.id)]
            else:
                entry["verdicts"] = dict(zip(cf.applicable_codes[li], VERDICT_NAMES[statuses].tolist(), strict=True))
            levels.append(entry)
        return {
            "unit": a.unit,
            "unit_name": a.unit_name,
            "tier": a.tier.value,
            "year": a.year,
            "level": self.level,
            "level_name": fw.level_name(self.level),
            "next_level": self.next_level,
            "why_not_next": [self.result_dict(r) for r in self.blocking(self.next_level)] if self.next_level else [],
            "target_level": a.target_level,
            "rules": fw.rules.model_dump(mode="json"),
            "rule_text": rule_text(fw)[0],
            "rule_text_en": rule_text(fw)[1],
            **({"carried_over": self.unit.carried.to_dict()} if self.unit.carried else {}),
            **self.provenance(),
            "levels": levels,
        }

    def result_dict(self, r: CriterionResult) -> dict[str, Any]:
        crit = self.fw.criterion_by_code[r.code]
        m = r.measurement
        out: dict[str, Any] = {
            "code": r.code,
            "name": crit.name,
            "pillar": crit.pillar,
            "mandatory": crit.mandatory,
            "verdict": r.verdict.value,
            "verdict_vi": VERDICT_VI[r.verdict],
            "value": None if m is None or m.na else m.value,
            "value_text": show_measurement(crit, m),
            "requirement": r.threshold,
            "requirement_text": show_requirement(crit, r.threshold),
        }
        if r.status in NA_NOTE_VI:
            out["not_applicable"] = {"reason": m.reason if m else None, "policy": NA_NOTE_VI[r.status]}
        if m is not None and m.evidence is not None:
            out["evidence"] = m.evidence.model_dump(mode="json", exclude_none=True)
        return out


def rule_text(fw: LevelFramework) -> tuple[str, str]:
    """The level rule in one sentence (vi, en), as every output states it."""
    if fw.rules.level_rule is LevelRule.MANDATORY_PLUS_SHARE:
        share = fmt_percent(fw.rules.optional_min_share, 0)
        n = sum(not c.mandatory for c in fw.criteria)
        return (
            f"Đạt một mức khi đạt mọi tiêu chí bắt buộc của mức và ít nhất {share} số tiêu chí mở rộng "
            f"({n} tiêu chí mở rộng, đánh dấu «mở rộng») áp dụng ở mức đó",
            f"A level is reached when all its mandatory criteria and at least {share} of its optional criteria "
            f"({n}, marked 'optional') are met",
        )
    return (
        "Đạt một mức khi đạt 100% tiêu chí của mức đó",
        "A level is reached when all of its criteria are met",
    )


def distance(crit: Criterion, r: CriterionResult) -> float:
    """How far a criterion is from its requirement, 0–1 of the way for a measured value (a missing value
    or a refused «not applicable» is farther than any measured one): the roadmap takes the nearest optional
    criteria first."""
    if r.status in (Status.MET, Status.NA_DEEMED_MET, Status.NA_EXCLUDED):
        return 0.0
    m = r.measurement
    if r.status is Status.MISSING or m is None or m.value is None:
        return 2.0
    if r.status is Status.NA_NOT_ALLOWED:
        return 3.0
    target = 1.0 if r.threshold is True else float(r.threshold or 0)
    lower = crit.indicator is not None and crit.indicator.direction == "lower"
    span = abs(m.value) if lower else abs(target)
    if span == 0:
        return 1.0
    return min(1.0, max(0.0, (m.value - target) / span if lower else (target - m.value) / span))


class CohortEvaluation(LazySequence["Evaluation"]):
    """The evaluation of a cohort: the status arrays of every unit at once; `[u]` is unit u's `Evaluation`,
    made when asked for (nothing per unit is built to evaluate)."""

    def __init__(self, compiled: Compiled, units: Sequence[BoundAssessment], matrix: Matrix) -> None:
        self.compiled, self.units, self.matrix = compiled, units, matrix

    def __len__(self) -> int:
        return len(self.units)

    def _at(self, u: int) -> Evaluation:
        m = self.matrix
        return Evaluation(self.compiled, self.units[u], m.status[u], m.holds[u], int(m.level_index[u]))

    def __iter__(self) -> Iterator[Evaluation]:
        m = self.matrix
        cf = self.compiled
        for unit, status, holds, li in zip(self.units, m.status, m.holds, m.level_index.tolist(), strict=True):
            yield Evaluation(cf, unit, status, holds, li)

    @property
    def level_index(self) -> IndexArray:
        return self.matrix.level_index


def evaluate_many(resolved: Resolved, units: Sequence[BoundAssessment]) -> CohortEvaluation:
    """Every verdict of every unit at every level, in one pass of the arrays (a `BoundCohort` is read as it is)."""
    cf = compile_framework(resolved)
    values, na = to_arrays(cf, units)
    return CohortEvaluation(cf, units, evaluate_arrays(cf, values, na))


def next_level_blockers(evaluations: Sequence[Evaluation]) -> dict[str, int]:
    """Per criterion, how many units it keeps from their next level, counted on the stacked status arrays.

    The same items a gap report lists for the next level (`certify.levels.gap`): every blocking criterion,
    or under `mandatory_plus_share` the unmet mandatory ones plus the nearest unmet optional ones (`distance`,
    ties in plan order) that reach the share. Units of several frameworks are counted framework by framework.
    Most frequent first; ties in the order a reader going through the units' gap reports one by one would meet them.
    """
    groups: dict[int, list[tuple[int, Evaluation]]] = {}
    for position, ev in enumerate(evaluations):
        groups.setdefault(id(ev.compiled), []).append((position, ev))
    counts: dict[str, int] = {}
    first: dict[str, tuple[int, int]] = {}  # code → (first unit blocked, plan order)
    for group in groups.values():
        cf = group[0][1].compiled
        nxt = np.array([ev.level_index + 1 for _, ev in group])
        keep = nxt < len(cf.fw.levels)
        if not keep.any():
            continue
        positions = np.array([p for p, _ in group])[keep]
        rows = np.stack([ev.status[li] for (_, ev), li, k in zip(group, nxt, keep, strict=True) if k])  # [U, C]
        applies = cf.applies[nxt[keep]]  # [U, C]
        blocking = applies & BLOCKS[rows]
        if cf.rule is LevelRule.MANDATORY_PLUS_SHARE:
            values, _ = to_arrays(cf, [ev.unit for (_, ev), k in zip(group, keep, strict=True) if k])
            far = distances(cf, rows, values, nxt[keep])
            blocking = _share_blockers(cf, rows, applies, blocking, far)
        for c in np.flatnonzero(blocking.any(axis=0)):
            code = cf.codes[c]
            counts[code] = counts.get(code, 0) + int(blocking[:, c].sum())
            seen = (int(positions[np.argmax(blocking[:, c])]), cf.order[code])
            first[code] = min(first.get(code, seen), seen)
    return {code: counts[code] for code in sorted(counts, key=lambda code: (-counts[code], first[code]))}


def distances(cf: Compiled, rows: IntArray, values: FloatArray, levels: IndexArray) -> FloatArray:
    """[U, C] `distance` on arrays: how far each criterion is from its requirement at each unit's level."""
    thresholds = cf.thresholds[levels]  # sign-adjusted: met is signed value ≥ threshold
    signed = values * cf.sign[None, :]
    lower = cf.sign[None, :] < 0
    with np.errstate(invalid="ignore", divide="ignore"):
        span = np.where(lower, np.abs(values), np.abs(thresholds))
        far = np.where(span > 0, (thresholds - signed) / span, 1.0)
    far = np.clip(np.nan_to_num(far, nan=1.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
    far = np.where(rows == Status.MISSING, 2.0, far)
    far = np.where(rows == Status.NA_NOT_ALLOWED, 3.0, far)
    ok = (rows == Status.MET) | (rows == Status.NA_DEEMED_MET) | (rows == Status.NA_EXCLUDED)
    out: FloatArray = np.where(ok, 0.0, far)
    return out


def _share_blockers(
    cf: Compiled, rows: IntArray, applies: BoolArray, blocking: BoolArray, far: FloatArray
) -> BoolArray:
    """Unmet mandatory criteria, plus the nearest unmet optional ones (then plan order) to reach the share."""
    optional = applies & ~cf.mandatory[None, :] & (rows != Status.NA_EXCLUDED)
    ok = (rows == Status.MET) | (rows == Status.NA_DEEMED_MET)
    share = cf.fw.rules.optional_min_share
    needed = np.maximum(0, np.ceil(share * optional.sum(axis=1) - 1e-9) - (optional & ok).sum(axis=1))
    plan = np.broadcast_to(np.array([cf.order[code] for code in cf.codes]), far.shape)
    by_nearness = np.lexsort((plan, far), axis=-1)  # [U, C]: nearest first, ties in plan order
    unmet_optional = blocking & ~cf.mandatory[None, :]
    rank = np.empty_like(unmet_optional, dtype=np.int64)
    np.put_along_axis(rank, by_nearness, np.cumsum(np.take_along_axis(unmet_optional, by_nearness, 1), axis=1), 1)
    kept: BoolArray = (blocking & cf.mandatory[None, :]) | (unmet_optional & (rank <= needed[:, None]))
    return kept


def evaluate(resolved: Resolved, unit: BoundAssessment) -> Evaluation:
    return evaluate_many(resolved, [unit])[0]
