"""One unit's measured values for one year, checked against the framework it names.

A value may be written as a plain number (a ratio as a fraction 0–1, or "85%"), as yes/no,
as `{numerator, denominator}` (so that gaps can be told in counts: "+35 hồ sơ"), or as a
mapping with evidence. A criterion left out is *missing* ("thiếu số liệu"), never zero.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from certify.errors import CertifyError, KeyPath, Problem
from certify.framework_base import SLUG, Tier
from certify.levels.model import Criterion, IndicatorType, LevelFramework
from certify.sourcefile import SourceDoc, parse_text, read_file, validate_model


class EvidenceDoc(BaseModel):
    """Tài liệu kiểm chứng: the document that proves a value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str | None = Field(default=None, description="số hiệu văn bản, e.g. 15/BC-UBND")
    date: dt.date | None = None
    summary: str | None = None
    file: str | None = None
    url: str | None = None


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


@dataclass(frozen=True, slots=True)
class Measurement:
    """A checked value. `value` is numeric (yes/no as 1.0/0.0); None with `na` False = missing."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    na: bool = False
    reason: str | None = None
    evidence: EvidenceDoc | None = None
    note: str | None = None


@dataclass(frozen=True)
class BoundAssessment:
    assessment: Assessment
    measurements: dict[str, Measurement]
    source_name: str | None = None


_ENTRY_KEYS = {"value", "numerator", "denominator", "not_applicable", "reason", "evidence", "note"}


def load_assessment(path: Path) -> tuple[Assessment, SourceDoc]:
    doc = read_file(path)
    return validate_model(Assessment, doc.data, doc), doc


def parse_assessment(text: str, name: str) -> tuple[Assessment, SourceDoc]:
    doc = parse_text(text, name)
    return validate_model(Assessment, doc.data, doc), doc


def bind(
    fw: LevelFramework, assessment: Assessment, doc: SourceDoc | None = None, name: str | None = None
) -> BoundAssessment:
    """Check every value against its criterion; raise with all problems at once."""
    problems: list[Problem] = []

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
    measurements: dict[str, Measurement] = {}
    for code, raw in assessment.values.items():
        path: KeyPath = ("values", str(code))
        crit = fw.criterion_by_code.get(str(code))
        if crit is None:
            report(
                "unknown-criterion",
                f"Không có tiêu chí «{code}» trong bộ tiêu chí {fw.id}",
                f"No criterion '{code}' in framework {fw.id}",
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
            measurements[crit.code] = _measure(crit, raw)
        except _Bad as bad:
            report(
                bad.code,
                f"Tiêu chí {code}: {bad.vi}",
                f"Criterion {code}: {bad.en}",
                (*path, *bad.sub),
                expected=bad.expected,
                found=repr(bad.found)[:80],
            )
    if problems:
        raise CertifyError(problems)
    return BoundAssessment(assessment, measurements, doc.name if doc else name)


class _Bad(Exception):
    def __init__(self, code: str, vi: str, en: str, expected: str, found: Any, sub: KeyPath = ()) -> None:
        super().__init__(en)
        self.code, self.vi, self.en, self.expected, self.found, self.sub = code, vi, en, expected, found, sub


def _measure(crit: Criterion, raw: Any) -> Measurement:
    assert crit.indicator is not None
    kind = crit.indicator.type
    if isinstance(raw, dict):
        unknown = set(raw) - _ENTRY_KEYS
        if unknown:
            raise _Bad(
                "unknown-key",
                "khóa không hợp lệ",
                "unknown key",
                ", ".join(sorted(_ENTRY_KEYS)),
                sorted(unknown)[0],
                (sorted(unknown)[0],),
            )
        evidence = None
        if raw.get("evidence") is not None:
            try:
                evidence = EvidenceDoc.model_validate(raw["evidence"])
            except Exception:
                raise _Bad(
                    "bad-evidence",
                    "tài liệu kiểm chứng không hợp lệ",
                    "invalid evidence",
                    "document, date (YYYY-MM-DD), summary, file, url",
                    raw["evidence"],
                    ("evidence",),
                ) from None
        note = raw.get("note")
        if raw.get("not_applicable") is True:
            return Measurement(None, na=True, reason=raw.get("reason"), evidence=evidence, note=note)
        if "numerator" in raw or "denominator" in raw:
            if kind is not IndicatorType.RATIO:
                raise _Bad(
                    "wrong-type",
                    "tử số/mẫu số chỉ dùng cho chỉ tiêu tỷ lệ",
                    "numerator/denominator only apply to ratio indicators",
                    kind.value,
                    raw,
                )
            num = _number(raw.get("numerator"), ("numerator",), whole=True)
            den = _number(raw.get("denominator"), ("denominator",), whole=True)
            if den == 0:
                raise _Bad("zero-denominator", "mẫu số bằng 0", "denominator is zero", "> 0", den, ("denominator",))
            if num > den:
                raise _Bad(
                    "ratio-above-one",
                    "tử số lớn hơn mẫu số",
                    "numerator is larger than the denominator",
                    f"≤ {den:g}",
                    num,
                    ("numerator",),
                )
            return Measurement(num / den, num, den, evidence=evidence, note=note)
        if "value" not in raw:
            raise _Bad(
                "no-value",
                "thiếu giá trị (value, hoặc numerator/denominator, hoặc not_applicable)",
                "no value (value, or numerator/denominator, or not_applicable)",
                "value",
                raw,
            )
        return Measurement(_scalar(kind, raw["value"], ("value",)), evidence=evidence, note=note)
    return Measurement(_scalar(kind, raw, ()))


def _scalar(kind: IndicatorType, raw: Any, sub: KeyPath) -> float | None:
    if raw is None:
        return None
    if kind is IndicatorType.BOOLEAN:
        if isinstance(raw, bool):
            return 1.0 if raw else 0.0
        text = str(raw).strip().lower()
        if text in {"có", "co", "yes", "đạt", "x"}:
            return 1.0
        if text in {"không", "khong", "no", "chưa", "chua"}:
            return 0.0
        raise _Bad("wrong-type", "phải là có/không", "must be yes/no", "true | false | có | không", raw, sub)
    if kind is IndicatorType.RATIO and isinstance(raw, str) and raw.strip().endswith("%"):
        value = _number(raw.strip()[:-1].replace(",", "."), sub) / 100
    else:
        value = _number(raw, sub, whole=kind is IndicatorType.COUNT)
    if kind is IndicatorType.RATIO and value > 1:
        raise _Bad(
            "ratio-above-one",
            "tỷ lệ phải từ 0 đến 1 (hoặc ghi «85%»)",
            "a ratio must be between 0 and 1 (or written '85%')",
            "0 … 1",
            raw,
            sub,
        )
    return value


def _number(raw: Any, sub: KeyPath, whole: bool = False) -> float:
    if isinstance(raw, bool) or raw is None:
        raise _Bad("wrong-type", "phải là số", "must be a number", "số/number", raw, sub)
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):  # OverflowError: a JSON integer beyond float range
        raise _Bad("wrong-type", "phải là số", "must be a number", "số/number", raw, sub) from None
    if not math.isfinite(value):
        raise _Bad("wrong-type", "phải là số hữu hạn", "must be a finite number", "số/number", raw, sub)
    if value < 0:
        raise _Bad("negative", "không được âm", "must not be negative", "≥ 0", raw, sub)
    if whole and value != int(value):
        raise _Bad("not-whole", "phải là số nguyên", "must be a whole number", "0, 1, 2, …", raw, sub)
    return value
