"""One unit's measured values for one year, checked against the framework it names — for a whole cohort at once.

A value may be written as a plain number (a ratio as a fraction 0–1, or "85%"), as yes/no,
as `{numerator, denominator}` (so that gaps can be told in counts: "+35 hồ sơ"), or as a
mapping with evidence. A criterion left out is *missing* ("thiếu số liệu"), never zero.

Binding is done for a cohort (`bind_cohort`, `CohortBinder`): the values of every unit go straight into arrays
[units × criteria] (value, numerator, denominator, not applicable, given), column by column. The shapes nearly
every file uses (a plain number, yes/no, `{numerator, denominator}`) are checked for a whole column at once;
every other value, and every value a column does not accept, is checked by the one rule for a value
(`certify.levels.rule.Rule`). A unit with any problem is checked again on its own, in the order of its file, so
that its problems (codes, words, file, line, key path) are exactly those of checking it alone. A single unit
is a cohort of one (`bind`). `BoundAssessment` is one unit's view of the arrays, built when asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, field_validator

from certify.bulk import LazySequence, gc_paused
from certify.derived import cached_on
from certify.errors import CertifyError, KeyPath, Problem
from certify.framework_base import SLUG, Tier
from certify.hashing import content_hash
from certify.levels.mapping import CarryReport, carry_over
from certify.levels.model import Criterion, IndicatorType, LevelFramework
from certify.levels.rule import Bad, EvidenceDoc, Measurement, Rule, yes_no
from certify.limits import current
from certify.sourcefile import SourceDoc, parse_text, read_file, validate_model
from certify.suggest import hint

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

__all__ = [
    "Assessment",
    "Bad",
    "BoundAssessment",
    "BoundCohort",
    "CohortBinder",
    "EvidenceDoc",
    "FrameworkRef",
    "Intake",
    "Measurement",
    "Rule",
    "bind",
    "bind_cohort",
    "cohort_of_columns",
    "load_assessment",
    "parse_assessment",
    "yes_no",
]


class FrameworkRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG)
    version: str | None = None


class Assessment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: str = Field(min_length=1, description="official unit code, or a name for units not in the list")
    unit_name: str | None = None
    tier: Tier
    year: int = Field(ge=2000, le=2100)
    framework: FrameworkRef
    target_level: str | None = None
    target_year: int | None = Field(default=None, ge=2000, le=2100, description="year to reach target_level by")
    values: dict[str, Any] = Field(default_factory=dict)

    @field_validator("framework", mode="before")
    @classmethod
    def _ref(cls, value: Any) -> Any:
        if isinstance(value, str):
            ident, _, version = value.partition("@")
            return {"id": ident, "version": version or None}
        return value

    @field_validator("unit", mode="before")
    @classmethod
    def _unit(cls, value: Any) -> Any:
        # Unit codes like 00004 must stay strings; YAML would read `unit: 29242` as a number.
        return str(value) if isinstance(value, int) else value

    @field_validator("values", mode="before")
    @classmethod
    def _values(cls, value: Any) -> Any:
        return {} if value is None else value


def load_assessment(path: Path) -> tuple[Assessment, SourceDoc]:
    doc = read_file(path)
    return validate_model(Assessment, doc.data, doc), doc


def parse_assessment(text: str, name: str) -> tuple[Assessment, SourceDoc]:
    doc = parse_text(text, name)
    return validate_model(Assessment, doc.data, doc), doc


# --- one unit to bind, and what a cohort holds -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Intake:
    """One unit to bind: its `Assessment`, or the parsed data of its file (checked as an assessment here);
    `doc` locates its problems by line, `name` names a unit without a file; `entered_for`: the framework
    version its values were entered for, when not the one it names (carried over through the mapping)."""

    data: Any
    doc: SourceDoc | None = None
    name: str | None = None
    entered_for: FrameworkRef | None = None


class _Meta(NamedTuple):
    """What a unit's file says besides its values, when it needed no model to check it."""

    unit: str
    unit_name: str | None
    year: int
    version: str | None
    target_level: str | None
    target_year: int | None


class BoundCohort(LazySequence["BoundAssessment"]):
    """The checked values of units of one framework: arrays [unit, criterion] in the framework's order
    (column-major when bound by a `CohortBinder`: each criterion's units side by side).

    `value` is in indicator units (yes/no as 1.0/0.0), NaN where missing or not applicable; `numerator` and
    `denominator` NaN where the value was not given as counts; `na` claimed not applicable; `given` the
    criterion is in the unit's values (a key written with no value is given and missing). Evidence, notes and
    reasons are kept apart for the few values that have them. `cohort[u]` is unit u's `BoundAssessment`."""

    def __init__(
        self,
        fw: LevelFramework,
        value: FloatArray,
        numerator: FloatArray,
        denominator: FloatArray,
        na: BoolArray,
        given: BoolArray,
        extras: dict[tuple[int, int], Measurement],
        meta: list[Assessment | _Meta],
        sources: list[str | None],
        carried: dict[int, CarryReport],
    ) -> None:
        self.fw = fw
        self.codes, self.column = cached_on(fw, "cohort_columns", lambda: _columns_of(fw))
        self.value, self.numerator, self.denominator, self.na, self.given = value, numerator, denominator, na, given
        self.extras, self.meta, self.sources, self.carried = extras, meta, sources, carried
        self._input_hashes: list[str] | None = None

    def __len__(self) -> int:
        return len(self.meta)

    def _at(self, u: int) -> BoundAssessment:
        return BoundAssessment(self, u)

    def unit_codes(self) -> list[str]:
        """Every unit's code, in order (no unit's assessment made for it)."""
        return [meta.unit for meta in self.meta]

    def evidenced(self) -> BoolArray:
        """[U] the unit has a document that proves some value."""
        out = np.zeros(len(self.meta), dtype=np.bool_)
        units = [u for (u, _), m in self.extras.items() if m.evidence is not None]
        out[units] = True
        return out

    def input_hashes(self) -> list[str]:
        """Every unit's input hash, in order: the hash `Evaluation.input_hash` gives a unit (its code, tier, year
        and each given value as [value, numerator, denominator, not applicable], in the framework's order), read
        from the arrays in one pass (no assessment or measurement made per unit); kept once computed."""
        if self._input_hashes is None:
            codes, extras, tier = self.codes, self.extras, self.fw.tier.value
            value, numerator, denominator, na = (
                a.tolist() for a in (self.value, self.numerator, self.denominator, self.na)
            )
            units, columns = np.nonzero(self.given)
            ends = np.cumsum(np.bincount(units, minlength=len(self.meta))).tolist()
            given = columns.tolist()
            hashes: list[str] = []
            start = 0
            for u, (meta, end) in enumerate(zip(self.meta, ends, strict=True)):
                vs, ns, ds, nas = value[u], numerator[u], denominator[u], na[u]
                values: dict[str, list[Any]] = {}
                for c in given[start:end]:
                    m = extras.get((u, c)) if extras else None
                    if m is not None:
                        values[codes[c]] = [m.value, m.numerator, m.denominator, m.na]
                    else:
                        v, n, d = vs[c], ns[c], ds[c]
                        values[codes[c]] = [None if v != v else v, None if n != n else n, None if d != d else d, nas[c]]
                start = end
                unit_tier = meta.tier.value if isinstance(meta, Assessment) else tier
                hashes.append(content_hash({"unit": meta.unit, "tier": unit_tier, "year": meta.year, "values": values}))
            self._input_hashes = hashes
        return self._input_hashes

    def measurements(self, u: int) -> Mapping[str, Measurement]:
        """Unit u's checked values by criterion code, in the framework's order (each made when read)."""
        return UnitMeasurements(self, u)

    def measurement(self, u: int, c: int) -> Measurement | None:
        """Unit u's checked value for the criterion in column c (None: not given)."""
        if not self.given[u, c]:
            return None
        m = self.extras.get((u, c)) if self.extras else None
        if m is not None:
            return m
        v, n, d = float(self.value[u, c]), float(self.numerator[u, c]), float(self.denominator[u, c])
        return Measurement(None if v != v else v, None if n != n else n, None if d != d else d, na=bool(self.na[u, c]))

    def assessment(self, u: int) -> Assessment:
        """Unit u's assessment. A unit of a batch read without a model (a plain file) gets one made now from its
        columns, with no `values`: its checked values are `measurements` (its file's entries are not kept, so that
        a hundred thousand units fit in memory). A unit bound alone or with a few others keeps its values."""
        meta = self.meta[u]
        if isinstance(meta, Assessment):
            return meta
        return _model(self.fw, meta, {})


def _columns_of(fw: LevelFramework) -> tuple[tuple[str, ...], dict[str, int]]:
    """The criteria codes in the framework's order, and each one's column."""
    codes = tuple(c.code for c in fw.criteria)
    return codes, {code: c for c, code in enumerate(codes)}


class UnitMeasurements(Mapping[str, Measurement]):
    """One unit's checked values by criterion code, read from its cohort's arrays."""

    __slots__ = ("_codes", "cohort", "u")

    def __init__(self, cohort: BoundCohort, u: int) -> None:
        self.cohort, self.u = cohort, u
        self._codes: list[str] | None = None

    def _given(self) -> list[str]:
        if self._codes is None:
            codes = self.cohort.codes
            self._codes = [codes[c] for c in np.flatnonzero(self.cohort.given[self.u]).tolist()]
        return self._codes

    def __getitem__(self, code: str) -> Measurement:
        c = self.cohort.column.get(code)
        m = self.cohort.measurement(self.u, c) if c is not None else None
        if m is None:
            raise KeyError(code)
        return m

    def __iter__(self) -> Iterator[str]:
        return iter(self._given())

    def __len__(self) -> int:
        return len(self._given())

    def __contains__(self, code: object) -> bool:
        c = self.cohort.column.get(code) if isinstance(code, str) else None
        return c is not None and bool(self.cohort.given[self.u, c])

    def __repr__(self) -> str:
        return repr(dict(self))


class BoundAssessment:
    """One unit of a `BoundCohort`: its assessment and its checked values, read from the arrays when asked."""

    __slots__ = ("_assessment", "_measurements", "cohort", "index")

    def __init__(self, cohort: BoundCohort, index: int) -> None:
        self.cohort, self.index = cohort, index
        self._assessment: Assessment | None = None
        self._measurements: Mapping[str, Measurement] | None = None

    @property
    def assessment(self) -> Assessment:
        if self._assessment is None:
            self._assessment = self.cohort.assessment(self.index)
        return self._assessment

    @property
    def measurements(self) -> Mapping[str, Measurement]:
        if self._measurements is None:
            self._measurements = self.cohort.measurements(self.index)
        return self._measurements

    @property
    def source_name(self) -> str | None:
        return self.cohort.sources[self.index]

    @property
    def carried(self) -> CarryReport | None:
        """Values entered for an earlier version, through its mapping."""
        return self.cohort.carried.get(self.index)

    def _key(self) -> tuple[Any, ...]:
        return (self.assessment, self.measurements, self.source_name, self.carried)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BoundAssessment) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"BoundAssessment(unit={self.assessment.unit!r}, measurements={len(self.measurements)})"


# --- binding ---------------------------------------------------------------------------------------------------


@dataclass
class Bound:
    """What binding a cohort gave: the units accepted (`cohort`, in the order given), where each came from
    (`positions[u]`: its place among the intakes) and the problems of each unit refused, by place."""

    cohort: BoundCohort
    positions: list[int]
    refused: dict[int, list[Problem]] = field(default_factory=dict)

    def problems(self) -> list[Problem]:
        """Every problem, unit after unit in the order given."""
        return [p for at in sorted(self.refused) for p in self.refused[at]]


def bind(
    fw: LevelFramework,
    assessment: Assessment,
    doc: SourceDoc | None = None,
    name: str | None = None,
    entered_for: FrameworkRef | None = None,
) -> BoundAssessment:
    """Check every value against its criterion; raise with all problems at once. Values entered for an
    earlier version (`entered_for`, else the version the assessment names) are carried over through
    `fw`'s mapping first (`certify.levels.mapping`). A cohort of one (`bind_cohort`)."""
    bound = bind_cohort(fw, [Intake(assessment, doc, name, entered_for)])
    if bound.refused:
        raise CertifyError(bound.refused[0])
    return bound.cohort[0]


def bind_cohort(fw: LevelFramework, intakes: Iterable[Intake]) -> Bound:
    """Check the units of `intakes` against `fw`, as `bind` checks one; refused units are set apart with
    their problems, the others bound into one cohort."""
    binder = CohortBinder(fw)
    for intake in intakes:
        binder.add(intake)
    return binder.finish()


def cohort_of_columns(
    fw: LevelFramework,
    units: Sequence[str],
    names: Sequence[str | None],
    year: int,
    value: FloatArray,
    given: BoolArray,
    source: str | None = None,
) -> BoundCohort:
    """Units whose plain values were read and checked a column at a time outside any file of assessments (a
    province sheet saved as CSV, `certify.intake.province_csv`): `value` [units × the framework's criteria] in
    indicator units (yes/no as 1.0/0.0), `given` where a value was written. No counts, «not applicable» or
    evidence: a province sheet holds one value per criterion."""
    shape = (len(units), len(fw.criteria))
    assert value.shape == shape and given.shape == shape
    nan = np.full(shape, np.nan)
    meta: list[Assessment | _Meta] = [
        _Meta(unit, name, year, fw.version, None, None) for unit, name in zip(units, names, strict=True)
    ]
    return BoundCohort(
        fw, value, nan, nan.copy(), np.zeros(shape, dtype=np.bool_), given, {}, meta, [source] * len(units), {}
    )


_FIELDS = frozenset(Assessment.model_fields)
_REQUIRED = frozenset(name for name, f in Assessment.model_fields.items() if f.is_required())
_PLAIN = frozenset({int, float})


COLUMNS_FROM = 32  # units in a chunk from which values are checked a column at a time (below, one by one)


class _Absent:
    """A criterion the unit's values leave out."""


_ABSENT = _Absent()


_ABSENT_KIND, _NONE, _BOOL, _NUMBER, _DICT, _OTHER = range(6)
_KIND: dict[type, int] = {
    _Absent: _ABSENT_KIND,
    type(None): _NONE,
    bool: _BOOL,
    int: _NUMBER,
    float: _NUMBER,
    dict: _DICT,
}


def _counts(entries: list[dict[Any, Any]]) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Numerators and denominators of `{numerator, denominator}` entries, and which are two plain numbers and
    nothing else (the others, NaN here, go to the rule; so does a number beyond float range, NaN too)."""
    if not entries:
        return np.empty(0), np.empty(0), np.empty(0, dtype=np.bool_)
    sizes = np.fromiter(map(len, entries), dtype=np.intp, count=len(entries))
    nums = list(map(dict.get, entries, repeat("numerator")))  # None when absent: sent to the rule
    dens = list(map(dict.get, entries, repeat("denominator")))
    plain = sizes == 2
    if not (set(map(type, nums)) | set(map(type, dens))) <= _PLAIN:
        plain &= np.fromiter(map(_PLAIN.__contains__, map(type, nums)), dtype=np.bool_, count=len(nums))
        plain &= np.fromiter(map(_PLAIN.__contains__, map(type, dens)), dtype=np.bool_, count=len(dens))
        keep = plain.tolist()
        nums = [x if k else None for x, k in zip(nums, keep, strict=True)]
        dens = [x if k else None for x, k in zip(dens, keep, strict=True)]
    return _plain_floats(nums), _plain_floats(dens), plain


def _plain_floats(raws: list[Any]) -> FloatArray:
    """Plain numbers, yes/no (1.0/0.0) or None as floats; None and a number beyond float range are NaN."""
    try:
        return np.array(raws, dtype=np.float64)
    except OverflowError:
        out = np.empty(len(raws))
        for i, raw in enumerate(raws):
            try:
                out[i] = np.nan if raw is None else float(raw)
            except OverflowError:
                out[i] = np.nan
        return out


class CohortBinder:
    """Units added one at a time (a folder of ten thousand files read one by one), bound a chunk at a time so
    that the parsed files need not all be held: each chunk's values go into arrays and its files are let go."""

    CHUNK = 2048

    def __init__(self, fw: LevelFramework) -> None:
        self.fw = fw
        self.criteria, self.index, self.known, self.levels = cached_on(fw, "binder", lambda: _layout(fw))
        self.pending: list[Intake] = []
        self.parts: list[_Part] = []
        self.added = 0
        self.rules: dict[int, Rule] = {}
        self.limits = current()  # read once for the whole binding

    def add(self, intake: Intake) -> int:
        """Queue one unit; its place among the intakes."""
        self.pending.append(intake)
        self.added += 1
        if len(self.pending) >= self.CHUNK:
            self._flush()
        return self.added - 1

    def finish(self) -> Bound:
        self._flush()
        parts = self.parts
        self.parts = []
        n_crit = len(self.fw.criteria)
        refused: dict[int, list[Problem]] = {}
        positions: list[int] = []
        meta: list[Assessment | _Meta] = []
        sources: list[str | None] = []
        extras: dict[tuple[int, int], Measurement] = {}
        carried: dict[int, CarryReport] = {}
        for part in parts:
            base = len(meta)
            refused.update(part.refused)
            positions += part.positions
            meta += part.meta
            sources += part.sources
            extras.update(part.extras if base == 0 else {(base + u, c): m for (u, c), m in part.extras.items()})
            carried.update({base + u: r for u, r in part.carried.items()})

        def stack(name: str, empty: Any) -> Any:
            """The parts' [units × criteria] one after the other, column-major."""
            arrays = [getattr(p, name) for p in parts]
            if len(arrays) == 1:
                return np.asfortranarray(arrays[0])
            return np.concatenate([a.T for a in arrays], axis=1).T if arrays else np.full((0, n_crit), empty)

        cohort = BoundCohort(
            self.fw,
            stack("value", np.nan),
            stack("numerator", np.nan),
            stack("denominator", np.nan),
            stack("na", False),
            stack("given", False),
            extras,
            meta,
            sources,
            carried,
        )
        return Bound(cohort, positions, refused)

    def rule(self, year: int) -> Rule:
        rule = self.rules.get(year)
        if rule is None:
            rule = self.rules[year] = Rule.of(self.fw, year, self.limits)
        return rule

    # --- one chunk ---------------------------------------------------------------------------------------------

    def _flush(self) -> None:
        if self.pending:
            first = self.added - len(self.pending)
            with gc_paused():  # a chunk makes many small objects and no cycle (certify.bulk)
                self.parts.append(_Chunk(self, self.pending, first).bind())
            self.pending = []


@dataclass
class _Part:
    positions: list[int]
    refused: dict[int, list[Problem]]
    value: FloatArray
    numerator: FloatArray
    denominator: FloatArray
    na: BoolArray
    given: BoolArray
    extras: dict[tuple[int, int], Measurement]
    meta: list[Assessment | _Meta]
    sources: list[str | None]
    carried: dict[int, CarryReport]


class _Chunk:
    """Binding one chunk of units: models or plain columns for what the files say besides values, then the
    values column by column, then each unit with a problem checked on its own."""

    def __init__(self, binder: CohortBinder, items: list[Intake], first: int) -> None:
        self.b = binder
        self.items = items
        self.first = first
        n, n_crit = len(items), len(binder.fw.criteria)
        # criterion after criterion in memory (column-major): a column is written at once, and evaluation reads
        # the units of a criterion side by side (certify.levels.evaluate)
        self.value = np.full((n, n_crit), np.nan, order="F")
        self.numerator = np.full((n, n_crit), np.nan, order="F")
        self.denominator = np.full((n, n_crit), np.nan, order="F")
        self.na = np.zeros((n, n_crit), dtype=np.bool_, order="F")
        self.given = np.zeros((n, n_crit), dtype=np.bool_, order="F")
        self.extras: dict[tuple[int, int], Measurement] = {}
        self.meta: list[Assessment | _Meta | None] = [None] * n
        self.values: list[dict[str, Any]] = [{}] * n
        self.years = [0] * n
        self.flagged = [False] * n
        self.refused: dict[int, list[Problem]] = {}
        self.carried: dict[int, CarryReport] = {}
        self.limits = binder.limits

    def bind(self) -> _Part:
        for k, intake in enumerate(self.items):
            self._unit(k, intake)
        if len(self.items) < COLUMNS_FROM:
            self._one_by_one()
        else:
            self._columns()
        for k, flagged in enumerate(self.flagged):
            if flagged and k not in self.refused:
                self._alone(k)
        rows = [k for k in range(len(self.items)) if k not in self.refused]
        meta = [self.meta[k] for k in rows]
        at = {k: u for u, k in enumerate(rows)}
        items = self.items
        kept: slice | list[int] = rows if self.refused else slice(None)  # every unit: the arrays as they are
        return _Part(
            positions=[self.first + k for k in rows],
            refused={self.first + k: p for k, p in self.refused.items()},
            value=self.value[kept],
            numerator=self.numerator[kept],
            denominator=self.denominator[kept],
            na=self.na[kept],
            given=self.given[kept],
            extras=self.extras if not self.refused else {(at[k], c): m for (k, c), m in self.extras.items() if k in at},
            meta=[m for m in meta if m is not None],
            sources=[_source(items[k]) for k in rows],
            carried={at[k]: r for k, r in self.carried.items() if k in at},
        )

    def _one_by_one(self) -> None:
        """A few units (one, for `certify evaluate FILE`): each value checked by the rule as it comes."""
        index, criteria = self.b.index, self.b.fw.criteria
        for k, values in enumerate(self.values):
            if k in self.refused or self.flagged[k]:
                continue
            rule = self.b.rule(self.years[k])
            columns: list[int] = []
            kept: list[Measurement] = []
            for code, raw in values.items():
                c = index[code]
                try:
                    kept.append(rule.measure(criteria[c], raw))
                except Bad:
                    self.flagged[k] = True
                    break
                columns.append(c)
            self._put_row(k, columns, kept)

    def _put_row(self, k: int, columns: list[int], kept: list[Measurement], keep_all: bool = True) -> None:
        """Unit k's measurements `kept` (of the criteria in `columns`, each once) into the arrays at once, and kept
        whole as well: all of them (`keep_all`), or those holding more than the arrays (a reason, evidence, a note)."""
        nan = np.nan
        self.given[k, columns] = True
        self.na[k, columns] = [m.na for m in kept]
        self.value[k, columns] = [nan if m.value is None or m.na else m.value for m in kept]
        self.numerator[k, columns] = [nan if m.numerator is None else m.numerator for m in kept]
        self.denominator[k, columns] = [nan if m.denominator is None else m.denominator for m in kept]
        self.extras.update(
            {
                (k, c): m
                for c, m in zip(columns, kept, strict=True)
                if keep_all or m.reason is not None or m.evidence is not None or m.note is not None
            }
        )

    def _columns(self) -> None:
        """Many units: the values gathered into columns, one per criterion, each checked at once."""
        criteria = self.b.criteria
        codes = [sys.intern(c.code) for c in criteria]  # the keys of parsed files are interned (certify.sourcefile)
        getter = itemgetter(*codes) if len(codes) > 1 else (lambda v: (v[codes[0]],))
        table: list[tuple[Any, ...]] = []
        for values in self.values:
            try:
                table.append(getter(values))  # every criterion given: read at once
            except KeyError:
                table.append(tuple(map(values.get, codes, repeat(_ABSENT))))
        if not table:
            return
        rule = self.b.rule(max(self.years) or 2000)  # what columns check is the same whatever the year
        n, m = len(table), len(criteria)
        # every value of the chunk, unit after unit: each file's objects are read where they lie, together
        flat = list(chain.from_iterable(table))
        kinds_flat = np.fromiter(map(_KIND.get, map(type, flat), repeat(_OTHER)), dtype=np.int8, count=n * m)
        kind = [c.indicator.type if c.indicator is not None else None for c in criteria]
        boolean = np.array([k is IndicatorType.BOOLEAN for k in kind])
        ratio = np.array([k is IndicatorType.RATIO for k in kind])
        whole = np.array([k is IndicatorType.COUNT for k in kind])
        most = np.array(
            [
                1.0 if k is IndicatorType.RATIO else rule.limit(c) if k else 0.0
                for c, k in zip(criteria, kind, strict=True)
            ]
        )
        # plain numbers and yes/no (true/false as 1.0/0.0)
        scalar = (kinds_flat == _BOOL) | (kinds_flat == _NUMBER)
        x_flat = np.full(n * m, np.nan)
        x_flat[scalar] = _plain_floats(list(compress(flat, scalar.tolist())))  # beyond float range: NaN, to the rule
        # {numerator, denominator} in ratio columns, nothing else, both plain numbers
        in_ratio = (kinds_flat == _DICT) & np.tile(ratio, n)
        num, den, plain = _counts(list(compress(flat, in_ratio.tolist())))
        num_flat, den_flat = np.full(n * m, np.nan), np.full(n * m, np.nan)
        num_flat[in_ratio], den_flat[in_ratio] = num, den
        in_ratio[in_ratio] = plain
        kinds, x, counted = kinds_flat.reshape(n, m), x_flat.reshape(n, m), in_ratio.reshape(n, m)
        numerator, denominator = num_flat.reshape(n, m), den_flat.reshape(n, m)
        with np.errstate(invalid="ignore", divide="ignore"):
            # accepted at once when the rule would take them as they are
            numbers = (kinds == _NUMBER) & ~boolean & np.isfinite(x) & (x >= 0) & (x <= most)
            numbers &= ~whole | (x == np.floor(x))
            yes_no_ok = (kinds == _BOOL) & boolean
            counts = counted & np.isfinite(numerator) & np.isfinite(denominator) & (numerator >= 0)
            counts &= (denominator > 0) & (numerator <= denominator) & (denominator <= rule.value_max)
            counts &= (numerator == np.floor(numerator)) & (denominator == np.floor(denominator))
            share = numerator / denominator
        given = numbers | yes_no_ok | counts | (kinds == _NONE)  # a key written with no value: missing
        columns = [self.b.index[c.code] for c in criteria]
        self.value[:, columns] = np.where(counts, share, np.where(numbers | yes_no_ok, x, np.nan))
        self.numerator[:, columns] = np.where(counts, numerator, np.nan)
        self.denominator[:, columns] = np.where(counts, denominator, np.nan)
        self.given[:, columns] = given
        # every other value, and every value the columns do not accept, checked by the rule
        rest = (kinds != _ABSENT_KIND) & ~given
        for j in np.flatnonzero(rest.any(axis=0)).tolist():
            rows = np.flatnonzero(rest[:, j]).tolist()
            self._each(criteria[j], columns[j], [table[k][j] for k in rows], rows)

    # --- what the file says besides its values --------------------------------------------------------------

    def _unit(self, k: int, intake: Intake) -> None:
        b = self.b
        fw = b.fw
        data = intake.data
        assessment: Assessment | None = data if isinstance(data, Assessment) else None
        plain = None if assessment is not None else _plain_meta(data, fw, b.known)
        if assessment is None and plain is None:
            try:
                assessment = validate_model(Assessment, data, intake.doc, intake.name)
            except CertifyError as exc:
                self.refused[k] = list(exc.problems)
                return
        if fw.mappings:
            if assessment is None:
                assert plain is not None
                assessment = _model(fw, *plain)
                plain = None
            assessment, report = carry_over(fw, assessment, intake.entered_for)
            if report is not None:
                self.carried[k] = report
        lim = self.limits
        if assessment is not None:
            a = assessment
            self.meta[k] = a
            self.values[k] = a.values
            self.years[k] = a.year
            if (
                a.framework.id != fw.id
                or a.tier != fw.tier
                or (a.target_level is not None and a.target_level not in b.levels)
                or (a.target_year is not None and a.target_year < a.year)
                or (a.unit_name is not None and len(a.unit_name) > lim.unit_name_max_chars)
                or not a.values.keys() <= b.known
            ):
                self.flagged[k] = True
            return
        assert plain is not None
        meta, values = plain
        # a few units (`certify evaluate FILE`, a web form) keep their assessment whole, values and all; a batch
        # keeps what its files say besides their values (their checked values are in the arrays)
        self.meta[k] = _model(fw, meta, values) if len(self.items) < COLUMNS_FROM else meta
        self.values[k] = values
        self.years[k] = meta.year
        if (
            (meta.target_level is not None and meta.target_level not in b.levels)
            or (meta.target_year is not None and meta.target_year < meta.year)
            or (meta.unit_name is not None and len(meta.unit_name) > lim.unit_name_max_chars)
        ):
            self.flagged[k] = True

    # --- values the columns do not accept, one by one ------------------------------------------------------

    def _each(self, crit: Criterion, c: int, raws: list[Any], rows: list[int]) -> None:
        """Values (`raws`, of the units `rows`) checked one by one by the rule; a unit with a value refused is
        checked again on its own."""
        for k, raw in zip(rows, raws, strict=True):
            if self.flagged[k] or k in self.refused:
                continue
            try:
                m = self.b.rule(self.years[k]).measure(crit, raw)
            except Bad:
                self.flagged[k] = True
                continue
            self._put_row(k, [c], [m], keep_all=False)

    # --- a unit with a problem, checked on its own ---------------------------------------------------------

    def _alone(self, k: int) -> None:
        intake = self.items[k]
        meta = self.meta[k]
        assert meta is not None
        fw = self.b.fw
        a = meta if isinstance(meta, Assessment) else _model(fw, meta, self.values[k])
        problems, measurements = check_unit(fw, a, intake.doc, intake.name, self.b.rule(a.year))
        if problems:
            self.refused[k] = problems
            return
        self.given[k] = False
        self.na[k] = False
        self.value[k] = self.numerator[k] = self.denominator[k] = np.nan
        for key in [key for key in self.extras if key[0] == k]:
            del self.extras[key]
        index = self.b.index
        self._put_row(k, [index[code] for code in measurements], list(measurements.values()), keep_all=False)


def _layout(fw: LevelFramework) -> tuple[list[Criterion], dict[str, int], frozenset[str], frozenset[str]]:
    """The measurable criteria, each code's column, their codes, the level ids."""
    criteria = [c for c in fw.criteria if c.indicator is not None]
    index = {c.code: i for i, c in enumerate(fw.criteria)}
    return criteria, index, frozenset(c.code for c in criteria), frozenset(fw.level_by_id)


def _source(intake: Intake) -> str | None:
    return intake.doc.name if intake.doc is not None else intake.name


def _plain_meta(data: Any, fw: LevelFramework, known: frozenset[str]) -> tuple[_Meta, dict[str, Any]] | None:
    """What a file says besides its values, when it is plainly what `Assessment` accepts as it is and names
    `fw` and its tier (anything else is checked by the model, which names every problem)."""
    if type(data) is not dict or not _REQUIRED <= data.keys() <= _FIELDS:
        return None
    unit = data["unit"]
    if type(unit) is int:
        unit = str(unit)
    elif type(unit) is not str or not unit:
        return None
    name = data.get("unit_name")
    year = data["year"]
    ref = data["framework"]
    target = data.get("target_level")
    target_year = data.get("target_year")
    values = data.get("values")
    if values is None:
        values = {}
    if (
        (name is not None and type(name) is not str)
        or data["tier"] != fw.tier.value
        or type(data["tier"]) is not str
        or type(year) is not int
        or not 2000 <= year <= 2100
        or type(ref) is not str
        or (target is not None and type(target) is not str)
        or (target_year is not None and (type(target_year) is not int or not 2000 <= target_year <= 2100))
        or type(values) is not dict
        or not values.keys() <= known
    ):
        return None
    ident, _, version = ref.partition("@")
    if ident != fw.id:
        return None
    return _Meta(unit, name, year, version or None, target, target_year), values


def _model(fw: LevelFramework, meta: _Meta, values: dict[str, Any]) -> Assessment:
    """The assessment `_plain_meta` read, as the model would have made it."""
    return Assessment.model_construct(
        unit=meta.unit,
        unit_name=meta.unit_name,
        tier=fw.tier,
        year=meta.year,
        framework=FrameworkRef.model_construct(id=fw.id, version=meta.version),
        target_level=meta.target_level,
        target_year=meta.target_year,
        values=dict(values),
    )


def check_unit(
    fw: LevelFramework, assessment: Assessment, doc: SourceDoc | None, name: str | None, rule: Rule
) -> tuple[list[Problem], dict[str, Measurement]]:
    """One unit checked on its own, value after value in the order of its file: every problem, located."""
    problems: list[Problem] = []
    lim = current()

    def report(code: str, vi: str, en: str, path: KeyPath, **extra: Any) -> None:
        if doc is not None:
            problems.append(doc.problem(code, vi, en, path, **extra))
        else:
            problems.append(Problem(code=code, vi=vi, en=en, file=name, path=path, **extra))

    if assessment.framework.id != fw.id:
        report(
            "wrong-framework",
            "Tệp đánh giá ghi bộ tiêu chí khác",
            "The assessment names another framework",
            ("framework",),
            expected=fw.id,
            found=assessment.framework.id,
        )
    if assessment.tier != fw.tier:
        report(
            "wrong-tier",
            "Cấp đơn vị không khớp với bộ tiêu chí",
            "The unit's tier does not match the framework",
            ("tier",),
            expected=fw.tier.value,
            found=assessment.tier.value,
        )
    if assessment.target_level is not None and assessment.target_level not in fw.level_by_id:
        report(
            "unknown-level",
            "Mức mục tiêu không tồn tại",
            "Unknown target level",
            ("target_level",),
            expected=" | ".join(fw.level_ids),
            found=assessment.target_level,
        )
    if assessment.target_year is not None and assessment.target_year < assessment.year:
        report(
            "bad-target-year",
            "Năm mục tiêu sớm hơn năm đánh giá",
            "The target year is before the assessment year",
            ("target_year",),
            expected=f"≥ {assessment.year}",
            found=str(assessment.target_year),
        )
    if assessment.unit_name is not None and len(assessment.unit_name) > lim.unit_name_max_chars:
        report(
            "text-too-long",
            "Tên đơn vị quá dài",
            "The unit name is too long",
            ("unit_name",),
            expected=f"≤ {lim.unit_name_max_chars} ký tự/characters",
            found=f"{len(assessment.unit_name)} ký tự/characters",
        )
    measurements: dict[str, Measurement] = {}
    for code, raw in assessment.values.items():
        path: KeyPath = ("values", str(code))
        crit = fw.criterion_by_code.get(str(code))
        if crit is None:
            vi_hint, en_hint = hint(str(code), fw.criterion_by_code)
            report(
                "unknown-criterion",
                f"Không có tiêu chí «{code}» trong bộ tiêu chí {fw.id}{vi_hint}",
                f"No criterion '{code}' in framework {fw.id}{en_hint}",
                path,
                found=str(code),
            )
            continue
        if crit.indicator is None:
            report(
                "no-indicator",
                f"Tiêu chí {code} chưa có chỉ tiêu đo lường trong bộ tiêu chí này",
                f"Criterion {code} has no measurable indicator in this framework",
                path,
            )
            continue
        try:
            measurements[crit.code] = rule.measure(crit, raw)
        except Bad as bad:
            report(*bad.problem_args(code), (*path, *bad.sub), expected=bad.expected, found=bad.shown)
    return problems, measurements
