"""Numbers in the self-assessment and appraisal forms, as a Vietnamese user reads and types them.

Reading is the core's (api.form_values hands the text as typed; `certify.numbers.parse_number` reads «85,5»,
«85,5%», «1.234», «1 234»; a text that is not a number, a percentage above 100 or counts that disagree with the
percentage beside them are problems at their field). This module only shows stored numbers the way they are
typed here (`85.5` → `85,5`) and hints when a percentage field holds what looks like a fraction («0,855»).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from certify.errors import Problem
from certify.levels.model import IndicatorType, LevelFramework
from certify.numbers import NumberTextError, fmt_number, parse_number


def localised(values: Mapping[str, str], lang: str) -> dict[str, str]:
    """Stored numbers shown as a Vietnamese user types them (`85.5` → `85,5`); other fields unchanged."""
    out = dict(values)
    if lang != "vi":
        return out
    for key, text in values.items():
        if key[:2] in ("v:", "n:", "d:") and "." in text and text.replace(".", "", 1).isdigit():
            out[key] = text.replace(".", ",")
    return out


def hints(fw: LevelFramework, form: Mapping[str, Any]) -> list[Problem]:
    """Warnings (never errors): «0,855» in a percentage field is read as 0,855 %; say so, in case 85,5 % was meant."""
    out: list[Problem] = []
    for crit in fw.criteria:
        if crit.indicator is None or crit.indicator.type is not IndicatorType.RATIO:
            continue
        raw = form.get(f"v:{crit.code}")
        if not isinstance(raw, str) or not raw.strip() or raw.strip().endswith("%"):
            continue
        try:
            number = parse_number(raw, percent=True)
        except NumberTextError:
            continue  # the core reports it
        if 0 < number.value < 1:
            meant = fmt_number(number.value * 100, 2)
            out.append(
                Problem(
                    "fraction-in-percent-field",
                    f"{crit.code}: ô này ghi phần trăm — {raw.strip()} nghĩa là {raw.strip()} %; "
                    f"nếu ý là {meant} % hãy ghi {meant}",
                    f"{crit.code}: this field takes a percentage — {raw.strip()} means {raw.strip()} %; "
                    f"for {meant} % write {meant}",
                    path=("values", crit.code, "value"),
                    severity="warning",
                )
            )
    return out
