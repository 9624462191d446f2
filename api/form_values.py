"""The self-assessment form ↔ an assessment: one widget per indicator type, and back.

Field names: `v:CODE` value (a percentage for ratios), `n:CODE`/`d:CODE` numerator and denominator
of a ratio, `na:CODE` not applicable, `e:CODE` evidence document number. Values go to the core as
written (strings), so the core's checks and messages apply unchanged, with paths `values.CODE`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from certify.levels.assessment import Assessment, BoundAssessment
from certify.levels.model import Criterion, IndicatorType, LevelFramework
from certify.numbers import round_half_up


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
    """The assessment as the core reads it from a file, built from the submitted form."""
    values: dict[str, Any] = {}
    for f in fields(fw):
        code = f.code
        evidence = _text(form, f"e:{code}")
        entry: dict[str, Any] = {}
        if _text(form, f"na:{code}"):
            entry = {"not_applicable": True}
        elif f.widget == "ratio" and _text(form, f"n:{code}") and _text(form, f"d:{code}"):
            entry = {"numerator": _text(form, f"n:{code}"), "denominator": _text(form, f"d:{code}")}
        else:
            raw = _text(form, f"v:{code}")
            if not raw:
                continue  # left empty: missing data, never zero
            if f.widget == "ratio":
                entry = {"value": raw.removesuffix("%").strip() + "%"}
            elif f.widget == "boolean":
                entry = {"value": raw}
            else:
                entry = {"value": raw.replace(",", ".") if f.widget == "number" else raw}
        if evidence:
            entry["evidence"] = {"document": evidence}
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
            entry = {"not_applicable": True}
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
