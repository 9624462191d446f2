"""The self-assessment form ↔ an assessment: one widget per indicator type, and back.

Field names: `v:CODE` value (a percentage for ratios), `n:CODE`/`d:CODE` numerator and denominator
of a ratio, `na:CODE` not applicable, `r:CODE` the reason it does not apply, `e:CODE` evidence document
number. Values go to the core as typed (strings), so the core's one rule reads every number
(`certify.numbers.parse_number`: «85,5» is 85.5) and its checks and messages apply unchanged, with paths
`values.CODE`; `check_form` turns those problems back into one message per form field, keeping what was typed.
Nothing typed is dropped: a value beside «not applicable», or a percentage beside counts, goes to the core,
which says whether they contradict each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from certify.errors import CertifyError, KeyPath, Problem
from certify.levels.assessment import Assessment, BoundAssessment, bind
from certify.levels.model import Criterion, IndicatorType, LevelFramework
from certify.numbers import round_half_up
from certify.sourcefile import validate_model


@dataclass(frozen=True)
class Field:
    criterion: Criterion
    widget: str  # ratio | boolean | count | number

    @property
    def code(self) -> str:
        return self.criterion.code


def fields(fw: LevelFramework) -> list[Field]:
    return [Field(c, c.indicator.type.value) for c in fw.criteria if c.indicator is not None]


def _text(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def assessment_data(fw: LevelFramework, form: Mapping[str, Any]) -> dict[str, Any]:
    """The assessment as the core reads it from a file, built from the submitted form (text as typed)."""
    values: dict[str, Any] = {}
    for f in fields(fw):
        code = f.code
        entry: dict[str, Any] = {}
        if _text(form, f"na:{code}"):
            entry["not_applicable"] = True
        if reason := _text(form, f"r:{code}"):
            entry["reason"] = reason
        if f.widget == "ratio":
            for key, name in (("n", "numerator"), ("d", "denominator")):
                if typed := _text(form, f"{key}:{code}"):
                    entry[name] = typed
        if raw := _text(form, f"v:{code}"):
            # the form asks for a percentage: «85,5» and «85,5%» both mean 85,5 %
            entry["value"] = raw if f.widget != "ratio" or raw.endswith("%") else raw + "%"
        if evidence := _text(form, f"e:{code}"):
            entry["evidence"] = {"document": evidence}
        if not entry.keys() - {"reason", "evidence"}:
            if entry:  # a reason or a document without a value: kept, and the core says what is missing
                entry["value"] = None
            else:
                continue  # left empty: missing data, never zero
        values[code] = entry
    target = _text(form, "target_level")
    return {
        "unit": _text(form, "unit") or "chua-dat-ten",
        "unit_name": _text(form, "unit_name") or None,
        "tier": fw.tier.value,
        "year": _text(form, "year") or "2025",
        "framework": fw.ref,
        "target_level": target or None,
        "values": values,
    }


# The form field that holds each key of an assessment entry.
FIELD_OF_KEY = {
    "value": "v",
    "numerator": "n",
    "denominator": "d",
    "not_applicable": "na",
    "reason": "r",
    "evidence": "e",
}
TOP_FIELDS = ("unit", "unit_name", "year", "target_level")


def field_of(path: KeyPath) -> str | None:
    """`values.CQS-01.numerator` → `n:CQS-01`; `year` → `year`; None when no field holds it."""
    if len(path) >= 2 and path[0] == "values":
        key = str(path[2]) if len(path) > 2 else "value"
        return f"{FIELD_OF_KEY.get(key, 'v')}:{path[1]}"
    if path and path[0] in TOP_FIELDS:
        return str(path[0])
    return None


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one form field, in both languages, with the text the person typed (kept as is)."""

    field: str
    code: str
    vi: str
    en: str
    typed: str
    expected: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "code": self.code,
            "message_vi": self.vi,
            "message_en": self.en,
            "typed": self.typed,
            "expected": self.expected,
        }


def field_errors(form: Mapping[str, Any], problems: Sequence[Problem]) -> dict[str, FieldError]:
    """One message per field (the first problem found there); problems no field holds are left to the caller."""
    out: dict[str, FieldError] = {}
    for p in problems:
        name = field_of(p.path)
        if name is None or name in out:
            continue
        typed = form.get(name)
        out[name] = FieldError(name, p.code, p.vi, p.en, typed if isinstance(typed, str) else "", p.expected)
    return out


@dataclass
class FormCheck:
    """A submitted form read by the core: the assessment when every field is right, else the errors by field."""

    data: dict[str, Any]
    assessment: Assessment | None = None
    bound: BoundAssessment | None = None
    problems: list[Problem] = field(default_factory=list)
    errors: dict[str, FieldError] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.bound is not None


def check_form(fw: LevelFramework, form: Mapping[str, Any], name: str = "form") -> FormCheck:
    """Read a form as the core reads a file; never raises for what a person typed."""
    check = FormCheck(assessment_data(fw, form))
    try:
        check.assessment = validate_model(Assessment, check.data, None, name=name)
        check.bound = bind(fw, check.assessment, name=name)
    except CertifyError as exc:
        check.problems = exc.problems
        check.errors = field_errors(form, exc.problems)
    return check


def _plain(value: float) -> str:
    text = str(round_half_up(value, 4))
    return text.rstrip("0").rstrip(".") if "." in text else text


def form_values(fw: LevelFramework, bound: BoundAssessment) -> dict[str, str]:
    """The form fields, as the form itself sends them, that show an existing assessment for editing."""
    a = bound.assessment
    out = {"unit": a.unit, "unit_name": a.unit_name or "", "year": str(a.year), "target_level": a.target_level or ""}
    for code, m in bound.measurements.items():
        if m.evidence and m.evidence.document:
            out[f"e:{code}"] = m.evidence.document
        if m.na:
            out[f"na:{code}"] = "1"
            if m.reason:
                out[f"r:{code}"] = m.reason
        elif m.numerator is not None and m.denominator is not None:
            out[f"n:{code}"], out[f"d:{code}"] = _plain(m.numerator), _plain(m.denominator)
        elif m.value is not None:
            kind = fw.criterion_by_code[code].indicator
            if kind is not None and kind.type is IndicatorType.RATIO:
                out[f"v:{code}"] = _plain(m.value * 100)  # the form asks for a percentage
            elif kind is not None and kind.type is IndicatorType.BOOLEAN:
                out[f"v:{code}"] = "có" if m.value == 1.0 else "không"
            else:
                out[f"v:{code}"] = _plain(m.value)
    return out


def saved_yaml_data(fw: LevelFramework, assessment: Assessment, bound: BoundAssessment) -> dict[str, Any]:
    """Typed values for the downloaded file, so it reads like the bundled sample files."""
    values: dict[str, Any] = {}
    for code, m in bound.measurements.items():
        kind = fw.criterion_by_code[code].indicator
        entry: dict[str, Any]
        if m.na:
            entry = {"not_applicable": True} | ({"reason": m.reason} if m.reason else {})
        elif m.numerator is not None and m.denominator is not None:
            entry = {"numerator": int(m.numerator), "denominator": int(m.denominator)}
        elif kind is not None and kind.type is IndicatorType.BOOLEAN:
            entry = {"value": m.value == 1.0}
        elif kind is not None and kind.type is IndicatorType.COUNT and m.value is not None:
            entry = {"value": int(m.value)}
        else:
            entry = {"value": m.value}
        if m.evidence is not None:
            entry["evidence"] = m.evidence.model_dump(mode="json", exclude_none=True)
        values[code] = entry["value"] if set(entry) == {"value"} else entry
    return {
        "unit": assessment.unit,
        "unit_name": assessment.unit_name,
        "tier": assessment.tier.value,
        "year": assessment.year,
        "framework": fw.ref,
        "target_level": assessment.target_level,
        "values": values,
    }
