"""Point-based DTI frameworks (Chỉ số đánh giá chuyển đổi số), as data.

A framework has main indices (chỉ số chính) with maximum points and aggregation weights,
and criteria (tiêu chí) and sub-criteria with the decision's own codes: `1.3` belongs to main
index `1`; `5.12.3` is a sub-criterion of `5.12`, whose points are the sum of its parts. Each
criterion names a scoring method and its parameters; the parameters are typed by the method
(see `certify.dti.methods`) and checked after the schema, so an extension method brings its
own parameter model. A framework without criteria is index-level only: it scores units from
published main-index values.

Two-tier era additions (provinces scoring their new communes since 1/7/2025): a main index may be
a bonus (điểm cộng, điểm thưởng) or a penalty (điểm trừ) group, added to or taken from the total
up to its `max_points` and never part of the unit's maximum; a framework may divide by a
`denominator` other than its nominal maximum (the 2024 national round: 940); units may be left
out of the ranking with a stated reason (still scored, shown apart).
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from certify.dti.plan import Plan, compile_plan
from certify.framework_base import SLUG, AddedLater, FrameworkBase, Name
from certify.provenance import PARTIAL_DTI_BANNER_EN, PARTIAL_DTI_BANNER_VI, Evidence, FrameworkStatus, Source

CRITERION_CODE = r"^[0-9]+(?:\.[0-9]+){1,2}$"
INDEX_CODE = r"^[0-9]+$"
# Unit conditions are also cohort-file column names, hence snake_case.
CONDITION = r"^[a-z][a-z0-9_]*$"


# Empty defaults made by Python functions, not by `list` and `dict`: pydantic reads a factory's signature, and a
# builtin's is parsed by Python's tokenizer (≈ 20 ms once per process, for every command that loads a DTI framework).
def _empty_list() -> list[Any]:
    return []


def _empty_dict() -> dict[str, Any]:
    return {}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class PeerScope(StrEnum):
    """Which units a cohort-relative score (min–max, best unit, peer maximum) compares with."""

    GROUP = "group"  # units of the same ranking group within the cohort
    COHORT = "cohort"  # every unit of the cohort file


class NotApplicable(StrEnum):
    """What an irrelevant criterion (không liên quan đến chức năng, nhiệm vụ) is worth."""

    FULL_POINTS = "full_points"  # VL 2554 §VII.4: «được tính điểm tối đa»
    EXCLUDE = "exclude"  # removed from the unit's maximum; results also given as a percentage


class Appraisal(StrEnum):
    """Which of self-assessed and appraised (thẩm định) points is final where both exist."""

    APPRAISED = "appraised"
    SELF = "self"


class IndexRole(StrEnum):
    """How a main index enters the total."""

    SCORED = "scored"  # part of the unit's maximum (every index of QĐ 922)
    BONUS = "bonus"  # điểm cộng / điểm thưởng: added, at most `max_points`, outside the maximum
    PENALTY = "penalty"  # điểm trừ: subtracted, at most `max_points`, outside the maximum


class Pillar(_Strict):
    id: str = Field(pattern=SLUG)
    name: Name
    name_en: str | None = None


class MainIndex(_Strict, AddedLater):
    added_later: ClassVar[frozenset[str]] = frozenset({"role"})

    code: str = Field(pattern=INDEX_CODE)
    name: Name
    name_en: str | None = None
    max_points: float = Field(ge=0, description="points of the index; for a bonus or penalty group, its cap")
    weight: float | None = Field(default=None, ge=0, description="aggregation weight; default max_points")
    role: IndexRole = IndexRole.SCORED
    pillar: str | None = None
    criteria_count: int | None = Field(default=None, ge=0, description="number of criteria the source declares")
    status: Evidence = Evidence.VERIFIED
    note: str | None = None

    @property
    def effective_weight(self) -> float:
        if self.role is not IndexRole.SCORED:
            return 0.0  # added or taken as points, outside the weighted mean
        return self.max_points if self.weight is None else self.weight

    @property
    def sign(self) -> float:
        """+1 for points that add to the total, −1 for a penalty."""
        return -1.0 if self.role is IndexRole.PENALTY else 1.0


class Criterion(_Strict):
    code: str = Field(pattern=CRITERION_CODE)
    name: Name
    name_en: str | None = None
    max_points: float = Field(ge=0)
    method: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    params: dict[str, Any] = Field(default_factory=_empty_dict)
    pillar: str | None = Field(default=None, description="overrides the main index's pillar")
    lead_agency: str | None = None
    support_agency: str | None = None
    formula_text: str | None = Field(default=None, description="«Cách xác định và tính điểm», literal")
    status: Evidence = Evidence.VERIFIED
    source: Source | None = None
    note: str | None = None

    @property
    def index_code(self) -> str:
        return self.code.split(".")[0]

    @property
    def parent_code(self) -> str | None:
        parts = self.code.split(".")
        return ".".join(parts[:2]) if len(parts) == 3 else None


class PeerMaximum(_Strict):
    """A unit with `condition` gets, on `criteria`, the highest points reached by its peers."""

    condition: str = Field(pattern=CONDITION)
    name: Name
    criteria: list[str] = Field(min_length=1)
    status: Evidence = Evidence.VERIFIED
    source: Source | None = None
    note: str | None = None


class NotRanked(_Strict):
    """Units with `condition` are scored but left out of the ranking, for `reason` (shown with them)."""

    condition: str = Field(pattern=CONDITION)
    reason: str = Field(min_length=1, description="shown beside each unit left out, e.g. «tính chất đặc thù»")
    reason_en: str | None = None
    status: Evidence = Evidence.VERIFIED
    source: Source | None = None
    note: str | None = None


def _not_ranked_item(value: Any) -> Any:
    """`- no_online_services` (a bare condition) reads as a rule whose reason names the condition."""
    if isinstance(value, str):
        return {
            "condition": value,
            "reason": f"đơn vị thuộc diện «{value}»",
            "reason_en": f"the unit is marked '{value}'",
        }
    return value


class Rules(_Strict):
    peer_scope: PeerScope = PeerScope.GROUP
    not_applicable: NotApplicable = NotApplicable.FULL_POINTS
    appraisal: Appraisal = Appraisal.APPRAISED
    peer_maximum: list[PeerMaximum] = Field(default_factory=_empty_list)
    not_ranked_when: list[Annotated[NotRanked, BeforeValidator(_not_ranked_item)]] = Field(
        default_factory=_empty_list, description="conditions whose units are scored but not ranked, with the reason"
    )
    status: Evidence = Evidence.INFERRED
    note: str | None = None


class Band(_Strict):
    """A classification (xếp loại) reached from `min` (a 0–1 value) upward; `min: null` = unknown."""

    id: str = Field(pattern=SLUG)
    name: Name
    name_en: str | None = None
    min: float | None = Field(default=None, ge=0, le=1)
    status: Evidence = Evidence.VERIFIED


class RankingGroup(_Strict):
    id: str
    name: Name


class DtiFramework(FrameworkBase):
    added_later: ClassVar[frozenset[str]] = FrameworkBase.added_later | {"denominator"}

    kind: Literal["dti"]
    max_points: float = Field(gt=0, description="thang điểm: the declared total of the scored indices")
    denominator: float | None = Field(
        default=None,
        gt=0,
        description="what the total is divided by, when not the nominal maximum (the 2024 national round: 940)",
    )
    pillars: list[Pillar] = Field(default_factory=_empty_list)
    indices: list[MainIndex] = Field(min_length=1)
    criteria: list[Criterion] = Field(default_factory=_empty_list)
    rules: Rules = Rules()
    bands: list[Band] = Field(default_factory=_empty_list)
    groups: list[RankingGroup] = Field(default_factory=_empty_list)

    @cached_property
    def index_by_code(self) -> dict[str, MainIndex]:
        return {i.code: i for i in self.indices}

    @cached_property
    def criterion_by_code(self) -> dict[str, Criterion]:
        return {c.code: c for c in self.criteria}

    @cached_property
    def top_level(self) -> list[Criterion]:
        """Criteria counted in their main index (sub-criteria count through their parent)."""
        return [c for c in self.criteria if c.parent_code is None]

    @cached_property
    def children(self) -> dict[str, list[Criterion]]:
        out: dict[str, list[Criterion]] = defaultdict(list)
        for c in self.criteria:
            if c.parent_code is not None:
                out[c.parent_code].append(c)
        return dict(out)

    @cached_property
    def scored_indices(self) -> list[MainIndex]:
        return [i for i in self.indices if i.role is IndexRole.SCORED]

    @property
    def adjustments(self) -> bool:
        """Whether the framework has bonus or penalty groups."""
        return len(self.scored_indices) < len(self.indices)

    @property
    def index_level_only(self) -> bool:
        return not self.criteria

    @property
    def banner(self) -> tuple[str, str] | None:
        # A partial DTI is still usable for scoring (from index values); "not usable for recognition" is wrong here.
        if self.status is FrameworkStatus.PARTIAL:
            return PARTIAL_DTI_BANNER_VI, PARTIAL_DTI_BANNER_EN
        return super().banner

    def pillar_of(self, criterion: Criterion) -> str | None:
        if criterion.pillar is not None:
            return criterion.pillar
        index = self.index_by_code.get(criterion.index_code)
        return index.pillar if index else None

    @cached_property
    def plan(self) -> Plan:
        """Compiled for scoring (methods looked up, parameters typed); see `certify.dti.plan`."""
        return compile_plan(self)

    @property
    def bands_known(self) -> bool:
        return bool(self.bands) and all(b.min is not None for b in self.bands)
