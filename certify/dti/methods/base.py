"""What a scoring method is, and the registry that finds one by name.

A method turns the raw data of a whole cohort into points for one criterion, vectorised:
every input column is a float array over the cohort's units (NaN = cell left empty, yes/no as
1/0, an option as its position in the option list). A method also says which columns it reads,
which relations between them every row must satisfy (numerator ≤ denominator), and how to
explain one unit's points in words (the trace shown to the unit).

Methods are plugins of the entry-point group `certify.scoring_methods` (certify.plugins): the
entry's name is the method's name and its value a `ScoringMethod` subclass, imported the first
time the method is looked up. The built-in methods are declared in pyproject.toml exactly as an
installed package declares its own (docs/EXTENDING.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from certify import plugins
from certify.errors import KeyPath

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

ENTRY_POINT_GROUP = "certify.scoring_methods"


class Params(BaseModel):
    """Base of every method's parameter model: strict, so a misspelt key is reported."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class NoParams(Params):
    pass


P = TypeVar("P", bound=Params)


class InputKind(StrEnum):
    NUMBER = "number"  # a quantity ≥ 0: a count, an amount in tỷ đồng, …
    FRACTION = "fraction"  # a share in [0, 1]; `60%` is accepted
    YESNO = "yesno"  # có/không, yes/no, 1/0, x/empty-is-missing
    OPTION = "option"  # one of `options` (ids), stored as its position


@dataclass(frozen=True)
class InputSpec:
    column: str
    kind: InputKind
    options: tuple[str, ...] = ()
    describe: str = ""


@dataclass(frozen=True)
class RowIssue:
    """Rows (positions in the cohort) that break a relation between a criterion's columns."""

    rows: IntArray
    column: str
    code: str
    vi: str
    en: str
    expected: str | None = None
    found: Callable[[int], str] | None = None


@dataclass
class Peers:
    """Who is compared with whom for cohort-relative scores: a group number per unit."""

    groups: IntArray
    n_groups: int

    @classmethod
    def single(cls, n: int) -> Peers:
        return cls(np.zeros(n, dtype=np.int64), 1)

    def _reduce(self, values: FloatArray, valid: BoolArray, ufunc: np.ufunc, init: float) -> FloatArray:
        acc = np.full(self.n_groups, init)
        if self.n_groups == 1:
            if valid.any():
                acc[0] = ufunc.reduce(values[valid])
        else:
            ufunc.at(acc, self.groups[valid], values[valid])
        acc[acc == init] = np.nan  # a group where no unit has a value
        return acc[self.groups]

    def group_max(self, values: FloatArray, valid: BoolArray) -> FloatArray:
        """Each unit's group maximum of `values` over the `valid` units (NaN if none)."""
        return self._reduce(values, valid, np.maximum, -np.inf)

    def group_min(self, values: FloatArray, valid: BoolArray) -> FloatArray:
        return self._reduce(values, valid, np.minimum, np.inf)


@dataclass
class Context:
    """Everything a method may read while scoring a cohort."""

    columns: Mapping[str, FloatArray]
    n: int
    peers: Peers
    points: dict[str, FloatArray] = field(default_factory=dict)  # criteria scored so far

    def column(self, name: str) -> FloatArray:
        """A column of the cohort; all-empty if the file does not have it."""
        col = self.columns.get(name)
        return col if col is not None else np.full(self.n, np.nan)


@dataclass
class Scored:
    points: FloatArray  # NaN where the unit has no data for the criterion
    not_applicable: BoolArray | None = None  # the data say the criterion does not arise (0 of 0)
    detail: dict[str, FloatArray] = field(default_factory=dict)  # numbers the explanation quotes


@dataclass(frozen=True)
class Compiled:
    """A criterion ready to score: its method, typed parameters and nested pieces."""

    code: str
    max_points: float
    method: ScoringMethod[Any]
    params: Any
    children: tuple[str, ...] = ()  # sum_of_parts: codes of the parts
    nested: tuple[Compiled, ...] = ()  # best_alternative: the alternatives


@dataclass(frozen=True)
class Row:
    """One unit's view of a scored criterion, for its explanation."""

    i: int
    ctx: Context
    scored: Scored

    def value(self, column: str) -> float | None:
        v = float(self.ctx.column(column)[self.i])
        return None if np.isnan(v) else v

    def detail(self, name: str) -> float:
        return float(self.scored.detail[name][self.i])

    @property
    def points(self) -> float:
        return float(self.scored.points[self.i])

    def points_of(self, code: str) -> float:
        return float(self.ctx.points[code][self.i])


# Problems found in a method's parameters: (path inside `params`, vi, en).
ParamIssue = tuple[KeyPath, str, str]


@dataclass(frozen=True)
class MethodExample:
    """A worked number for the method's documentation, computed by scoring it (so the text cannot drift).

    `rows` are cohort-file cells of the criterion, keyed by column after `<code>.` ("" is the column `<code>`
    itself, "a" is `<code>.a`): the first row is the unit shown, the others its peers. `parts` are
    sub-criteria (for `sum_of_parts`), criterion mappings whose `code` is the part after `<code>.`.
    """

    max_points: float
    params: Mapping[str, Any]
    rows: tuple[Mapping[str, Any], ...]
    source: str = ""
    parts: tuple[Mapping[str, Any], ...] = ()


class ScoringMethod(Generic[P]):
    name: ClassVar[str] = ""
    params_model: ClassVar[type[Params]] = NoParams
    cohort_dependent: ClassVar[bool] = False
    formula: ClassVar[str] = ""  # one line, shown by `frameworks show`
    example: ClassVar[MethodExample | None] = None  # scored for `certify score --methods` and the guide

    def parse(self, raw: Mapping[str, Any]) -> P:
        """Typed parameters; raises pydantic's ValidationError (located by the caller)."""
        return self.params_model.model_validate(raw)  # type: ignore[return-value]

    def check(self, code: str, max_points: float, params: P) -> list[ParamIssue]:
        """Semantic problems of valid-typed parameters (weights not adding up, …)."""
        return []

    def compile(self, code: str, max_points: float, params: P) -> Compiled:
        return Compiled(code, max_points, self, params)

    def depends_on_cohort(self, c: Compiled) -> bool:
        """Whether a unit's points depend on the other units of its cohort."""
        return self.cohort_dependent

    def inputs(self, c: Compiled) -> list[InputSpec]:
        return []

    def row_checks(self, c: Compiled, ctx: Context) -> Iterator[RowIssue]:
        return iter(())

    def score(self, c: Compiled, ctx: Context) -> Scored:
        raise NotImplementedError

    def explain(self, c: Compiled, row: Row) -> str:
        raise NotImplementedError


def _method(name: str) -> Callable[[Any], ScoringMethod[Any]]:
    def use(obj: Any) -> ScoringMethod[Any]:
        if not (isinstance(obj, type) and issubclass(obj, ScoringMethod)):
            raise TypeError(f"expected a ScoringMethod subclass, found {obj!r}")
        obj.name = name
        return obj()

    return use


def get_method(name: str) -> ScoringMethod[Any] | None:
    """The method of that name (its class is imported the first time), or None when none is installed."""
    method = plugins.load(ENTRY_POINT_GROUP, name, _method(name))
    broken = plugins.broken(ENTRY_POINT_GROUP, name) if method is None else None
    if broken:
        raise plugins.broken_error(ENTRY_POINT_GROUP, name, broken)
    return method


def method_names() -> list[str]:
    return plugins.names(ENTRY_POINT_GROUP)
