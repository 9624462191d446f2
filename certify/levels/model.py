"""Five-level (or any ordered-level) certification frameworks, as data.

A criterion applies from some level upward; at each level where it applies it has a
requirement: a threshold on its indicator (≥ for `higher`, ≤ for `lower`, `true` for yes/no).
A `null` threshold means the level applies but the threshold is not known (partial framework).
Thresholds are numbers as YAML writes them or as people type them («80%», «0,8», «1.000»), read by
the one number rule (`certify.numbers.parse_number`) according to the criterion's indicator.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from certify.framework_base import SLUG, Direction, FrameworkBase, Name
from certify.levels.mapping import VersionMapping
from certify.numbers import NumberTextError, parse_number
from certify.provenance import Evidence, Source


class IndicatorType(StrEnum):
    RATIO = "ratio"  # a share in [0, 1], entered as a fraction or as numerator/denominator
    BOOLEAN = "boolean"  # yes / no
    COUNT = "count"  # a whole number ≥ 0
    NUMBER = "number"  # a real number ≥ 0 (bandwidth, days, …)


class NotApplicablePolicy(StrEnum):
    EXCLUDE = "exclude"  # removed from the level's criteria
    DEEM_MET = "deem_met"  # counted as met
    NOT_ALLOWED = "not_allowed"  # a claim of "not applicable" counts as not met


class LevelRule(StrEnum):
    ALL = "all"  # QĐ 2361: 100% of the level's criteria
    MANDATORY_PLUS_SHARE = "mandatory_plus_share"  # Yên Bái: all mandatory + k% of the others


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _LaterFields(_Strict):
    """Fields added after frameworks were first frozen in cycles are left out of the dump while at their
    default, so that every framework's content hash (and every cycle frozen on it) stays as it was."""

    LATER: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _without_later_defaults(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for name in self.LATER:
                if name in data and getattr(self, name) == type(self).model_fields[name].default:
                    del data[name]
        return data


class TargetYear(_Strict):
    """The year by which the framework expects units to reach a level (e.g. Nâng cao by 2025), with its basis."""

    SHORTHAND: ClassVar[str] = "year"  # `target_year: 2025` (see `_shorthand`)

    year: int = Field(ge=2000, le=2100)
    rationale: str | None = None
    status: Evidence = Evidence.INFERRED
    source: Source | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        # `target_year: 2025` is short for `target_year: {year: 2025}`
        return {"year": data} if isinstance(data, int) and not isinstance(data, bool) else data


class Level(_Strict):
    id: str = Field(pattern=SLUG)
    name: Name
    name_en: str | None = None
    description: str | None = None
    status: Evidence = Evidence.UNSPECIFIED
    # A target year guides plans and never a certification, so it stays out of the dump and thus out of the
    # content hash: setting or changing one does not invalidate the cycles frozen on the framework.
    target_year: TargetYear | None = Field(default=None, exclude=True)


class Pillar(_Strict):
    id: str = Field(pattern=SLUG)
    name: Name
    name_en: str | None = None
    count: int | None = Field(default=None, ge=0, description="number of criteria the framework declares")


class Indicator(_LaterFields):
    LATER: ClassVar[tuple[str, ...]] = ("max",)

    type: IndicatorType
    direction: Direction = "higher"
    unit: str | None = Field(default=None, description="display unit of a count/number, e.g. 'lượt', 'Mbps'")
    numerator: str | None = None
    denominator: str | None = None
    count_unit: str | None = Field(default=None, description="what the numerator counts, e.g. 'hồ sơ'")
    max: float | None = Field(
        default=None, gt=0, description="largest value possible (count, number); default: certify.limits value_max"
    )
    data_source: str | None = None


class BadThreshold:
    """A threshold text that is not a number of the criterion's kind; refused at the threshold's own place."""

    def __init__(self, text: str, vi: str, en: str) -> None:
        self.text, self.vi, self.en = text, vi, en

    def __repr__(self) -> str:
        return repr(self.text)


YES = {"có", "co", "yes", "true", "đạt", "x"}


def read_threshold(value: Any, kind: str | None) -> Any:
    """A threshold written as text («80%», «0,8», «1.000», «có») → the number or yes the criterion needs."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if kind == IndicatorType.BOOLEAN:
        if text.lower() in YES:
            return True
        return BadThreshold(value, "ngưỡng có/không phải là «có» (true)", "a yes/no threshold must be 'có' (true)")
    try:
        typed = parse_number(text, whole=kind == IndicatorType.COUNT, percent=kind in (IndicatorType.RATIO, None))
    except NumberTextError as exc:
        return BadThreshold(value, f"{exc.vi} (cách viết: {exc.expected})", f"{exc.en} (forms: {exc.expected})")
    return typed.fraction


class Requirement(_Strict):
    # `co-ban: 0.5` stands for `co-ban: {threshold: 0.5}` (see `_shorthand`); the catalog reads it so too.
    SHORTHAND: ClassVar[str] = "threshold"
    TEXT_NUMBERS: ClassVar[tuple[str, ...]] = ("threshold",)  # typed numbers accepted (JSON Schema says so)

    threshold: float | bool | None = None
    rationale: str | None = None
    status: Evidence = Evidence.UNSPECIFIED
    source: Source | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if data is None or isinstance(data, bool | int | float | str | BadThreshold):
            return {"threshold": data}
        return data

    @field_validator("threshold", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        value = read_threshold(value, None) if isinstance(value, str) else value
        if isinstance(value, BadThreshold):
            raise ValueError(f"{value.vi} | {value.en}")
        return value

    @property
    def known(self) -> bool:
        return self.threshold is not None


class Criterion(_Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
    pillar: str
    name: Name | None = None
    name_en: str | None = None
    description: str | None = None
    indicator: Indicator | None = None
    requirements: dict[str, Requirement] = Field(default_factory=dict)
    requires: list[str] = Field(default_factory=list, description="prerequisite criterion codes")
    mandatory: bool = True
    not_applicable: NotApplicablePolicy | None = None
    agency: str | None = Field(default=None, description="responsible agency (cơ quan chủ trì)")
    legal_basis: list[str] = Field(default_factory=list)
    source: Source | None = None
    status: Evidence = Evidence.UNSPECIFIED
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _typed_thresholds(cls, data: Any) -> Any:
        """Threshold texts are read as numbers of the indicator's kind: «80%» is 0.8 for a ratio only."""
        if not isinstance(data, dict) or not isinstance(data.get("requirements"), dict):
            return data
        indicator = data.get("indicator")
        kind = indicator.get("type") if isinstance(indicator, dict) else None
        out: dict[Any, Any] = {}
        for level, req in data["requirements"].items():
            if isinstance(req, dict) and "threshold" in req:
                out[level] = {**req, "threshold": read_threshold(req["threshold"], kind)}
            else:
                out[level] = read_threshold(req, kind)
        return {**data, "requirements": out}

    @field_validator("requires")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("Tiêu chí tiên quyết bị lặp | Prerequisite listed twice")
        return value

    @property
    def known(self) -> bool:
        return self.name is not None and self.indicator is not None


class Rules(_LaterFields):
    LATER: ClassVar[tuple[str, ...]] = ("not_applicable_reason", "level_subsets")

    level_rule: LevelRule = LevelRule.ALL
    optional_min_share: float = Field(default=0.0, ge=0, le=1)
    consecutive: bool = True
    not_applicable: NotApplicablePolicy = NotApplicablePolicy.EXCLUDE
    not_applicable_reason: bool = Field(
        default=True, description="a claim of «not applicable» must say why (reason); false: the reason is optional"
    )
    level_subsets: bool = Field(
        default=False,
        description="each level lists its own criteria: a criterion may skip levels or stop before the top one",
    )
    status: Evidence = Evidence.INFERRED
    note: str | None = None


class LevelFramework(FrameworkBase):
    kind: Literal["levels"]
    levels: list[Level] = Field(min_length=1)
    pillars: list[Pillar] = Field(min_length=1)
    rules: Rules = Rules()
    criteria: list[Criterion] = Field(default_factory=list)
    mappings: list[VersionMapping] = Field(
        default_factory=list, description="how earlier versions' criteria became this version's (newest first)"
    )

    @cached_property
    def level_ids(self) -> list[str]:
        return [lv.id for lv in self.levels]

    @cached_property
    def level_by_id(self) -> dict[str, Level]:
        return {lv.id: lv for lv in self.levels}

    @cached_property
    def criterion_by_code(self) -> dict[str, Criterion]:
        return {c.code: c for c in self.criteria}

    @cached_property
    def pillar_by_id(self) -> dict[str, Pillar]:
        return {p.id: p for p in self.pillars}

    def na_policy(self, criterion: Criterion) -> NotApplicablePolicy:
        return criterion.not_applicable or self.rules.not_applicable

    def level_name(self, level_id: str | None) -> str:
        if level_id is None:
            return "Chưa đạt mức nào"
        return self.level_by_id[level_id].name

    @property
    def thresholds_complete(self) -> bool:
        return all(c.known and c.requirements and all(r.known for r in c.requirements.values()) for c in self.criteria)
