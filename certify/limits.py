"""Every limit on input, in one place: sizes, counts, depth, lengths, plausible ranges.

Input is hostile until checked. Each entry point (assessment and framework YAML/JSON, DTI CSV/XLSX, Excel
forms, JSON API bodies, web form posts) refuses what is past these bounds with a bilingual error naming the
file and line or the sheet, row and column, and exits 2 within seconds, before the machine is exhausted.
docs/limits.md has the table; a test checks that it lists every field below with its default.

Each limit can be changed with an environment variable `CERTIFY_<NAME>` (upper case), e.g.
`CERTIFY_EVIDENCE_MIN_YEAR=1995`. The fields move into the project's one Settings class when it lands.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any

ENV_PREFIX = "CERTIFY_"


def _limit(default: Any, what: str, where: str) -> Any:
    return field(default=default, metadata={"what": what, "where": where})


YAML = "assessment, framework (YAML/JSON)"
SHEETS = "Excel forms, framework workbooks, DTI CSV/XLSX"


@dataclass(frozen=True, slots=True)
class Limits:
    # --- YAML/JSON data files: assessments, frameworks (certify.sourcefile) ---------------------------------
    file_max_bytes: int = _limit(5 * 1024 * 1024, "size of one data file (bytes)", YAML)
    yaml_max_nodes: int = _limit(
        100_000, "keys and values in one file, aliases counted as expanded («billion laughs»)", YAML
    )
    yaml_max_aliases: int = _limit(50, "aliases (`*name`) in one file", YAML)
    yaml_max_depth: int = _limit(32, "nesting depth of mappings and lists", YAML)
    yaml_max_keys: int = _limit(5_000, "keys in one mapping", YAML)
    text_max_chars: int = _limit(20_000, "characters in one text value or cell", f"{YAML}, {SHEETS}")
    # --- problems -------------------------------------------------------------------------------------------
    max_problems: int = _limit(
        100, "problems listed for one input; the rest are counted («… và 12.345 lỗi khác»)", "every input"
    )
    # --- spreadsheets and tables ----------------------------------------------------------------------------
    sheet_max_rows: int = _limit(50_000, "rows of one sheet or table (a national cohort has ≈ 10,600 units)", SHEETS)
    sheet_max_columns: int = _limit(1_000, "columns of one sheet or table", SHEETS)
    table_max_bytes: int = _limit(50 * 1024 * 1024, "size of one DTI cohort file (bytes)", "DTI CSV/XLSX")
    # --- values ---------------------------------------------------------------------------------------------
    value_max: float = _limit(
        1e9, "largest count, number, numerator or denominator (unless the indicator sets `max`)", "every value"
    )
    evidence_min_year: int = _limit(2000, "earliest year of an evidence document's date", "evidence dates")
    evidence_years_after: int = _limit(
        1, "years after the assessment year an evidence document may be dated", "evidence dates"
    )
    document_max_chars: int = _limit(120, "evidence document number (số hiệu văn bản)", "assessments, forms")
    file_ref_max_chars: int = _limit(500, "evidence file name or link", "assessments, forms")
    prose_max_chars: int = _limit(
        4_000, "explanation, reason for «not applicable», evidence summary, note", "assessments, forms"
    )
    unit_name_max_chars: int = _limit(200, "unit name", "assessments, forms")


DEFAULT = Limits()


_VARIABLES = {ENV_PREFIX + f.name.upper(): (f.name, f.type == "float") for f in fields(Limits)}
_made: dict[tuple[tuple[str, str], ...], Limits] = {}


def current() -> Limits:
    """The limits in force: defaults, changed by `CERTIFY_<NAME>` environment variables (read on each call, as
    tests change the environment; the same values give the same object without building it again — a batch of
    ten thousand files asks several times per file)."""
    environ = os.environ
    # the names both hold, found in one pass over the environment (asking for each of ours raises and catches a
    # KeyError per name not set: twice the cost, paid twice by every web request)
    raws = tuple(sorted((variable, environ[variable]) for variable in _VARIABLES.keys() & environ.keys()))
    made = _made.get(raws)
    if made is not None:
        return made
    changed: dict[str, Any] = {}
    for variable, raw in raws:
        name, is_float = _VARIABLES[variable]
        if raw:
            changed[name] = float(raw) if is_float else int(raw)
    limits = Limits(**changed) if changed else DEFAULT
    if len(_made) < 64:
        _made[raws] = limits
    return limits


def thousands(n: int) -> tuple[str, str]:
    """`12345` → («12.345», "12,345"): a count in Vietnamese and English digit grouping."""
    en = f"{n:,}"
    return en.replace(",", "."), en
