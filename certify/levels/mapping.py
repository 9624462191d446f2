"""From one version of a level framework to the next: what last year's values become.

Like CISO Assistant's mapping sets. A version declares, under `mappings:`, how the criteria of an earlier
version (`from: vi-du-xa@1.0`) became its own: renamed, split, merged or removed. An assessment entered for
the earlier version then evaluates against the new one: values are carried over through the mapping, with a
report of what was mapped and what must be entered anew; a value for a removed criterion is a warning, not a
rejection. Criteria with the same code in both versions carry over unchanged unless the mapping says otherwise.

```yaml
mappings:
  - from: vi-du-xa@1.0
    criteria:
      - {from: CQS-03, to: CQS-03A}                 # renamed: the value carries over
      - {from: CQS-04, to: null}                    # removed: a value for it is a warning
      - {from: XHS-01, to: [XHS-01A, XHS-01B]}      # split: each part entered anew (combine: copy to carry)
      - {from: [CQS-05, CQS-06], to: CQS-07, combine: sum}   # merged: counts or numerator/denominator added
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from certify.errors import Problem
from certify.provenance import Evidence

if TYPE_CHECKING:
    from certify.levels.assessment import Assessment, FrameworkRef
    from certify.levels.model import LevelFramework


class Combine(StrEnum):
    COPY = "copy"  # the value as it was (default for a rename)
    SUM = "sum"  # counts added; ratios given as numerator/denominator added part by part
    ALL = "all"  # yes only if every old one was yes
    ANY = "any"  # yes if one was
    MIN = "min"
    MAX = "max"
    NONE = "none"  # not carried: entered anew (default for a split or a merge)


class Relation(StrEnum):
    RENAMED = "renamed"
    KEPT = "kept"
    SPLIT = "split"
    MERGED = "merged"
    REMOVED = "removed"


def _codes(value: Any) -> Any:
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


class CriterionMap(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: list[str] = Field(alias="from", min_length=1, description="the earlier version's code(s)")
    to: list[str] = Field(default_factory=list, description="this version's code(s); none: removed")
    combine: Combine | None = Field(default=None, description="how the old value(s) become the new one")
    note: str | None = None

    _codes_from = field_validator("from_", mode="before")(_codes)
    _codes_to = field_validator("to", mode="before")(_codes)

    @property
    def relation(self) -> Relation:
        if not self.to:
            return Relation.REMOVED
        if len(self.from_) > 1:
            return Relation.MERGED
        if len(self.to) > 1:
            return Relation.SPLIT
        return Relation.KEPT if self.to == self.from_ else Relation.RENAMED

    @property
    def how(self) -> Combine:
        if self.combine is not None:
            return self.combine
        return Combine.COPY if self.relation in (Relation.RENAMED, Relation.KEPT) else Combine.NONE


class VersionMapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str = Field(alias="from", pattern=r"^[a-z0-9][a-z0-9.-]*@\d+(?:\.\d+)*$", description="id@version")
    criteria: list[CriterionMap] = Field(default_factory=list)
    status: Evidence = Evidence.UNSPECIFIED
    note: str | None = None

    @property
    def source_id(self) -> str:
        return self.from_.partition("@")[0]

    @property
    def source_version(self) -> str:
        return self.from_.partition("@")[2]


@dataclass
class CarryReport:
    """What happened to each of last year's values."""

    source: str  # id@version the values were entered for
    target: str
    kept: list[str] = field(default_factory=list)  # same code, carried
    mapped: list[str] = field(default_factory=list)  # new codes that received a value through the mapping
    removed: list[str] = field(default_factory=list)  # old codes whose value was dropped
    enter: list[str] = field(default_factory=list)  # new codes without a value: to be entered
    lines: list[tuple[str, str]] = field(default_factory=list)  # (vi, en), one per mapping applied
    warnings: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "kept": self.kept,
            "mapped": self.mapped,
            "removed": self.removed,
            "enter": self.enter,
            "lines_vi": [vi for vi, _ in self.lines],
            "lines_en": [en for _, en in self.lines],
        }


def mapping_for(fw: LevelFramework, source: FrameworkRef) -> VersionMapping | None:
    """The mapping of `fw` from the version `source` names (the latest one if no version is named)."""
    if source.id == fw.id and source.version in (None, fw.version):
        return None
    for m in fw.mappings:
        if m.source_id == source.id and source.version in (None, m.source_version):
            return m
    return None


def carry_over(
    fw: LevelFramework, assessment: Assessment, entered_for: FrameworkRef | None = None
) -> tuple[Assessment, CarryReport | None]:
    """`assessment`'s values as `fw` reads them, when they were entered for an earlier version."""
    from certify.levels.assessment import FrameworkRef

    source = entered_for or assessment.framework
    mapping = mapping_for(fw, source)
    if mapping is None:
        if source.version is None and source.id == fw.id and fw.mappings:
            # An unversioned file with last year's codes: apply the latest mapping to the codes this version lacks.
            unknown = [c for c in assessment.values if str(c) not in fw.criterion_by_code]
            latest = fw.mappings[0]
            if unknown and any(c in m.from_ for m in latest.criteria for c in unknown):
                mapping = latest
        if mapping is None:
            return assessment, None
    old = {str(k): v for k, v in assessment.values.items()}
    report = CarryReport(mapping.from_, fw.ref)
    new: dict[str, Any] = {}
    consumed: set[str] = set()
    for entry in mapping.criteria:
        consumed.update(entry.from_)
        present = [c for c in entry.from_ if c in old]
        if entry.relation is Relation.REMOVED:
            for code in present:
                report.removed.append(code)
                report.warnings.append(_removed_warning(code, fw, mapping))
            continue
        value = _combine(entry.how, [old[c] for c in present]) if len(present) == len(entry.from_) else None
        for target in entry.to:
            if value is not None:
                new[target] = value
                (report.kept if entry.relation is Relation.KEPT else report.mapped).append(target)
        if present:
            report.lines.append(_line(entry, value is not None))
    for code, value in old.items():
        if code in consumed:
            continue
        if code in fw.criterion_by_code:
            new.setdefault(code, value)
            report.kept.append(code)
        else:
            report.removed.append(code)
            report.warnings.append(_removed_warning(code, fw, mapping))
    report.enter = [c.code for c in fw.criteria if c.code not in new]
    carried = assessment.model_copy(update={"values": new, "framework": FrameworkRef(id=fw.id, version=fw.version)})
    return carried, report


def _removed_warning(code: str, fw: LevelFramework, mapping: VersionMapping) -> Problem:
    return Problem(
        code="removed-criterion",
        vi=f"Tiêu chí {code} của {mapping.from_} không còn trong {fw.ref}: số liệu của nó không được dùng",
        en=f"Criterion {code} of {mapping.from_} is not in {fw.ref}: its value is not used",
        path=("values", code),
        severity="warning",
    )


def _line(entry: CriterionMap, carried: bool) -> tuple[str, str]:
    src, dst = ", ".join(entry.from_), ", ".join(entry.to)
    verb_vi = {
        Relation.RENAMED: "đổi mã thành",
        Relation.KEPT: "giữ mã",
        Relation.SPLIT: "tách thành",
        Relation.MERGED: "gộp thành",
        Relation.REMOVED: "bỏ",
    }[entry.relation]
    if carried:
        return f"{src} {verb_vi} {dst}: chuyển số liệu", f"{src} {entry.relation.value} → {dst}: value carried over"
    return (
        f"{src} {verb_vi} {dst}: cần nhập số liệu mới",
        f"{src} {entry.relation.value} → {dst}: to be entered anew",
    )


def _parts(value: Any) -> tuple[float, float] | None:
    if isinstance(value, dict) and "numerator" in value and "denominator" in value:
        try:
            return float(value["numerator"]), float(value["denominator"])
        except (TypeError, ValueError):
            return None
    return None


def _scalar(value: Any) -> Any:
    return value.get("value") if isinstance(value, dict) else value


def _combine(how: Combine, values: list[Any]) -> Any:
    """The new value from the old ones, or None when it cannot be carried (then it is entered anew)."""
    if not values or how is Combine.NONE:
        return None
    if how is Combine.COPY:
        return values[0] if len(values) == 1 else None
    if how is Combine.SUM:
        parts = [_parts(v) for v in values]
        if all(p is not None for p in parts):
            return {"numerator": sum(p[0] for p in parts if p), "denominator": sum(p[1] for p in parts if p)}
        nums = [_scalar(v) for v in values]
        if all(isinstance(n, int | float) and not isinstance(n, bool) for n in nums):
            return sum(nums)
        return None
    scalars = [_scalar(v) for v in values]
    if how in (Combine.ALL, Combine.ANY):
        if not all(isinstance(s, bool) for s in scalars):
            return None
        return all(scalars) if how is Combine.ALL else any(scalars)
    if all(isinstance(s, int | float) and not isinstance(s, bool) for s in scalars):
        return min(scalars) if how is Combine.MIN else max(scalars)
    return None
