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
from certify.levels.mapping import CarryReport, carry_over
from certify.levels.model import Criterion, IndicatorType, LevelFramework
from certify.limits import current
from certify.numbers import NumberTextError, TypedNumber, parse_number
from certify.sourcefile import SourceDoc, parse_text, read_file, validate_model
from certify.suggest import hint


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
    carried: CarryReport | None = None  # values entered for an earlier version, through its mapping


_ENTRY_KEYS = {"value", "numerator", "denominator", "not_applicable", "reason", "evidence", "note"}
_EVIDENCE_KEYS = ("document", "date", "summary", "file", "url")


def load_assessment(path: Path) -> tuple[Assessment, SourceDoc]:
    doc = read_file(path)
    return validate_model(Assessment, doc.data, doc), doc


def parse_assessment(text: str, name: str) -> tuple[Assessment, SourceDoc]:
    doc = parse_text(text, name)
    return validate_model(Assessment, doc.data, doc), doc


def bind(
    fw: LevelFramework,
    assessment: Assessment,
    doc: SourceDoc | None = None,
    name: str | None = None,
    entered_for: FrameworkRef | None = None,
) -> BoundAssessment:
    """Check every value against its criterion; raise with all problems at once. Values entered for an
    earlier version (`entered_for`, else the version the assessment names) are carried over through
    `fw`'s mapping first (`certify.levels.mapping`)."""
    assessment, carried = carry_over(fw, assessment, entered_for)
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
    rule = Rule.of(fw, assessment.year)
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
    if problems:
        raise CertifyError(problems)
    return BoundAssessment(assessment, measurements, doc.name if doc else name, carried)


class Bad(Exception):
    """Why one value is refused: the code, the words, what was expected and found, the key inside the entry."""

    def __init__(self, code: str, vi: str, en: str, expected: str | None, found: Any, sub: KeyPath = ()) -> None:
        super().__init__(en)
        self.code, self.vi, self.en, self.expected, self.found, self.sub = code, vi, en, expected, found, sub

    @property
    def shown(self) -> str:
        return self.found if isinstance(self.found, str) and self.found.startswith("«") else repr(self.found)[:80]

    def problem_args(self, code: str) -> tuple[str, str, str]:
        return self.code, f"Tiêu chí {code}: {self.vi}", f"Criterion {code}: {self.en}"


@dataclass(frozen=True)
class Rule:
    """The one rule that checks a value against its criterion (used by `bind` and by the cohort arrays)."""

    year: int
    value_max: float
    lengths: dict[str, int]  # text key → most characters
    earliest: dt.date
    latest: dt.date
    reason_required: bool

    @classmethod
    def of(cls, fw: LevelFramework, year: int) -> Rule:
        lim = current()
        prose = lim.prose_max_chars
        return cls(
            year=year,
            value_max=lim.value_max,
            lengths={
                "document": lim.document_max_chars,
                "file": lim.file_ref_max_chars,
                "url": lim.file_ref_max_chars,
                "summary": prose,
                "reason": prose,
                "note": prose,
            },
            earliest=dt.date(lim.evidence_min_year, 1, 1),
            latest=dt.date(year + lim.evidence_years_after, 12, 31),
            reason_required=fw.rules.not_applicable_reason,
        )

    def limit(self, crit: Criterion) -> float:
        assert crit.indicator is not None
        own = crit.indicator.max
        return float(own) if own is not None else self.value_max

    def measure(self, crit: Criterion, raw: Any) -> Measurement:
        assert crit.indicator is not None
        kind = crit.indicator.type
        if not isinstance(raw, dict):
            return Measurement(self.scalar(crit, raw, ()))
        unknown = sorted(str(k) for k in raw if k not in _ENTRY_KEYS)
        if unknown:
            raise Bad(
                "unknown-key",
                "khóa không hợp lệ",
                "unknown key",
                ", ".join(sorted(_ENTRY_KEYS)),
                unknown[0],
                (unknown[0],),
            )
        evidence = self.evidence(raw["evidence"]) if raw.get("evidence") is not None else None
        note = self.text(raw, "note")
        reason = self.text(raw, "reason")
        na = raw.get("not_applicable")
        if na is not None and not isinstance(na, bool):
            raise Bad(
                "wrong-type",
                "«not_applicable» phải là true/false",
                "'not_applicable' must be true or false",
                "true | false",
                na,
                ("not_applicable",),
            )
        given = [k for k in ("value", "numerator", "denominator") if raw.get(k) is not None]
        if na:
            if given:
                raise Bad(
                    "na-with-value",
                    f"vừa ghi «không áp dụng» (not_applicable) vừa ghi {given[0]}: hãy bỏ một trong hai",
                    f"both 'not applicable' (not_applicable) and {given[0]} are given: remove one",
                    "not_applicable hoặc/or " + given[0],
                    raw[given[0]],
                    (given[0],),
                )
            if self.reason_required and not reason:
                raise Bad(
                    "na-without-reason",
                    "ghi «không áp dụng» thì phải nêu lý do (reason)",
                    "'not applicable' needs a reason (reason)",
                    "reason: …",
                    "(không có lý do/no reason)",
                    ("not_applicable",),
                )
            return Measurement(None, na=True, reason=reason, evidence=evidence, note=note)
        if "numerator" in raw or "denominator" in raw:
            if kind is not IndicatorType.RATIO:
                raise Bad(
                    "wrong-type",
                    "tử số/mẫu số chỉ dùng cho chỉ tiêu tỷ lệ",
                    "numerator/denominator only apply to ratio indicators",
                    kind.value,
                    raw,
                )
            for key, other in (("numerator", "denominator"), ("denominator", "numerator")):
                if raw.get(key) is None:
                    raise Bad(
                        f"missing-{key}",
                        f"có {_VI[other]} nhưng thiếu {_VI[key]}",
                        f"{other} given without {key}",
                        f"{key}: số nguyên/whole number",
                        "«(trống/empty)»",
                        (key,),
                    )
            num = self.number(raw["numerator"], ("numerator",), whole=True, most=self.value_max)
            den = self.number(raw["denominator"], ("denominator",), whole=True, most=self.value_max)
            if den == 0:
                raise Bad("zero-denominator", "mẫu số bằng 0", "denominator is zero", "> 0", den, ("denominator",))
            if num > den:
                raise Bad(
                    "ratio-above-one",
                    "tử số lớn hơn mẫu số",
                    "numerator is larger than the denominator",
                    f"≤ {den:g}",
                    num,
                    ("numerator",),
                )
            if raw.get("value") is not None:
                self.agrees(crit, raw["value"], num, den)
            return Measurement(num / den, num, den, evidence=evidence, note=note, reason=reason)
        if "value" not in raw:
            raise Bad(
                "no-value",
                "thiếu giá trị (value, hoặc numerator/denominator, hoặc not_applicable)",
                "no value (value, or numerator/denominator, or not_applicable)",
                "value",
                raw,
            )
        return Measurement(self.scalar(crit, raw["value"], ("value",)), evidence=evidence, note=note, reason=reason)

    def agrees(self, crit: Criterion, raw: Any, num: float, den: float) -> None:
        """A value written beside its counts must be their ratio, as rounded where it was written."""
        value = self.scalar(crit, raw, ("value",))
        assert value is not None
        percent, decimals = _written(raw)
        scale = 100.0 if percent else 1.0
        tolerance = 0.5 * 10.0**-decimals / scale + 1e-9
        if abs(value - num / den) > tolerance:
            raise Bad(
                "value-counts-disagree",
                f"giá trị (value) khác tỷ lệ tử số/mẫu số ({num:g}/{den:g} = {num / den:.4g}): "
                "hãy sửa một trong hai, hoặc chỉ ghi tử số và mẫu số",
                f"the value differs from numerator/denominator ({num:g}/{den:g} = {num / den:.4g}): "
                "correct one of them, or give the counts only",
                f"≈ {num / den:.4g}",
                raw,
                ("value",),
            )

    def scalar(self, crit: Criterion, raw: Any, sub: KeyPath) -> float | None:
        assert crit.indicator is not None
        kind = crit.indicator.type
        if raw is None:
            return None
        if kind is IndicatorType.BOOLEAN:
            return 1.0 if yes_no(raw, sub) else 0.0
        if kind is IndicatorType.RATIO:
            typed = self.typed(raw, sub, whole=False, percent=True) if isinstance(raw, str) else None
            value = typed.fraction if typed is not None else self.number(raw, sub, whole=False, most=math.inf)
            if value > 1 and typed is not None and typed.percent:
                raise Bad(
                    "percent-above-100",
                    "tỷ lệ phần trăm phải từ 0% đến 100%",
                    "a percentage must be between 0% and 100%",
                    "0% … 100%",
                    raw,
                    sub,
                )
            if value > 1:
                raise Bad(
                    "ratio-above-one",
                    "tỷ lệ phải từ 0 đến 1 (hoặc ghi «85%»)",
                    "a ratio must be between 0 and 1 (or written '85%')",
                    "0 … 1 (0% … 100%)",
                    raw,
                    sub,
                )
            return value
        return self.number(raw, sub, whole=kind is IndicatorType.COUNT, most=self.limit(crit))

    def typed(self, raw: str, sub: KeyPath, *, whole: bool, percent: bool) -> TypedNumber:
        try:
            typed = parse_number(raw, whole=whole, percent=percent)
        except NumberTextError as exc:
            raise Bad(exc.code, exc.vi.lower()[:1] + exc.vi[1:], exc.en, exc.expected, raw, sub) from None
        if typed.value < 0:
            raise Bad("negative", "không được âm", "must not be negative", "≥ 0", raw, sub)
        return typed

    def number(self, raw: Any, sub: KeyPath, *, whole: bool, most: float) -> float:
        if isinstance(raw, str):
            value = self.typed(raw, sub, whole=whole, percent=False).value
        elif isinstance(raw, bool) or not isinstance(raw, int | float):
            raise Bad("wrong-type", "phải là số", "must be a number", "số/number", raw, sub)
        else:
            try:
                value = float(raw)
            except OverflowError:  # a JSON integer beyond float range
                raise Bad("too-large", "số quá lớn", "number too large", f"≤ {most:g}", raw, sub) from None
            if not math.isfinite(value):
                raise Bad("wrong-type", "phải là số hữu hạn", "must be a finite number", "số/number", raw, sub)
            if value < 0:
                raise Bad("negative", "không được âm", "must not be negative", "≥ 0", raw, sub)
        if whole and value != int(value):
            raise Bad("not-whole", "phải là số nguyên", "must be a whole number", "0, 1, 2, …", raw, sub)
        if value > most:
            raise Bad(
                "too-large",
                f"số lớn hơn mức có thể có ({most:g})",
                f"number beyond what is possible ({most:g})",
                f"≤ {most:g}",
                raw,
                sub,
            )
        return value

    def text(self, raw: dict[str, Any], key: str, sub: KeyPath = ()) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            # YAML reads `1.10` as 1.1, `010` as 8, `yes` as true: a text must come as written, so in quotes.
            raise Bad(
                "not-text",
                f'«{key}» phải là chữ: hãy đặt trong dấu nháy, vd. «{key}: "15/BC-UBND"»',
                f"'{key}' must be a text: put it in quotes, e.g. '{key}: \"15/BC-UBND\"'",
                "chữ/text",
                value,
                (*sub, key),
            )
        most = self.lengths[key]
        if len(value) > most:
            raise Bad(
                "text-too-long",
                f"«{key}» quá dài ({len(value)} ký tự)",
                f"'{key}' is too long ({len(value)} characters)",
                f"≤ {most} ký tự/characters",
                f"«{value[:40]}…»",
                (*sub, key),
            )
        return value.strip() or None

    def evidence(self, raw: Any) -> EvidenceDoc:
        sub: KeyPath = ("evidence",)
        if not isinstance(raw, dict):
            raise Bad(
                "bad-evidence",
                "tài liệu kiểm chứng phải là bảng khóa–giá trị",
                "evidence must be a mapping",
                ", ".join(_EVIDENCE_KEYS),
                raw,
                sub,
            )
        unknown = sorted(str(k) for k in raw if k not in _EVIDENCE_KEYS)
        if unknown:
            raise Bad(
                "bad-evidence",
                "khóa không hợp lệ trong tài liệu kiểm chứng",
                "unknown key in the evidence",
                ", ".join(_EVIDENCE_KEYS),
                unknown[0],
                (*sub, unknown[0]),
            )
        texts = {k: self.text(raw, k, sub) for k in _EVIDENCE_KEYS if k != "date"}
        day = raw.get("date")
        if day is not None:
            day = self.day(day, (*sub, "date"))
        return EvidenceDoc(date=day, **texts)

    def day(self, raw: Any, sub: KeyPath) -> dt.date:
        if isinstance(raw, dt.datetime):
            raw = raw.date()
        if isinstance(raw, str):
            try:
                raw = dt.date.fromisoformat(raw.strip())
            except ValueError:
                raise Bad("bad-date", "ngày không hợp lệ", "invalid date", "YYYY-MM-DD", raw, sub) from None
        if not isinstance(raw, dt.date):
            raise Bad("bad-date", "ngày không hợp lệ", "invalid date", "YYYY-MM-DD", raw, sub)
        if not self.earliest <= raw <= self.latest:
            raise Bad(
                "implausible-date",
                f"ngày văn bản nằm ngoài khoảng hợp lý cho năm đánh giá {self.year}",
                f"the document date is outside the plausible window for assessment year {self.year}",
                f"{self.earliest.isoformat()} … {self.latest.isoformat()}",
                raw.isoformat(),
                sub,
            )
        return raw


_VI = {"numerator": "tử số", "denominator": "mẫu số"}
YES = frozenset({"có", "co", "yes", "đạt", "x", "1"})
NO = frozenset({"không", "khong", "no", "chưa", "chua", "0"})


def yes_no(raw: Any, sub: KeyPath = ()) -> bool:
    """A yes/no answer: true/false, «có»/«không» (and the forms in YES/NO), 1/0."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise Bad("wrong-type", "phải là có/không", "must be yes/no", "true | false | có | không", raw, sub)


def _written(raw: Any) -> tuple[bool, int]:
    """Whether a value was written as a percentage, and how many decimals it was written with."""
    if isinstance(raw, str):
        body = raw.strip()
        percent = body.endswith("%")
        digits = body.rstrip("%").strip().replace(".", ",")
        decimals = len(digits.rsplit(",", 1)[1]) if "," in digits else 0
        return percent, decimals
    text = repr(float(raw))
    if "e" in text:
        return False, 12
    return False, len(text.split(".")[1].rstrip("0")) if "." in text else 0
