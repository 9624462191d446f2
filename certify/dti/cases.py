"""Case files of DTI frameworks (`<id>/cases/*.yaml`): a cohort and the scores it must get.

Like the level cases (`certify.cases` runs both: `certify frameworks test`, pytest), written by whoever writes
the framework, with values computed by hand from the decision, so a change in the framework or in the
scoring that moves a published figure fails a test:

    description: Hai tỉnh hợp nhất lấy trung bình chỉ số chính; hạng chung ở 4 chữ số thập phân
    index_level: true              # rows hold main-index values (default: as the framework has criteria or not)
    cohort:                        # the rows of a cohort file, one mapping per unit, same columns
      - {unit: "A", "1": 0.8, "2": 0.6, …}
    expect:
      A: {points: 563, value: 0.5989, rank: 1}
      X: {rank: null, not_ranked_reason: tính chất đặc thù}

`value` is compared at the 4 published decimals, `points` at 4; `rank: null` means «not ranked»; a unit
named in `expect` must be in the results, and every key given is checked. `framework: id@version` scores the
cohort with another version than the folder's.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from certify.cases import expect_keys
from certify.catalog import Catalog, Resolved
from certify.dti.cohort import table_from_records
from certify.dti.model import DtiFramework
from certify.dti.numbers import POINT_DECIMALS, VALUE_DECIMALS, fmt, half_up
from certify.dti.results import Results
from certify.dti.score_file import score_table
from certify.errors import CertifyError
from certify.sourcefile import SourceDoc, validate_model

UNSET: Any = object()


class ExpectedUnit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    points: float | None = None
    max_points: float | None = None
    value: float | None = None
    rank: int | None = Field(default=UNSET, description="null: not ranked")
    band: str | None = None
    not_ranked_reason: str | None = None
    indices: dict[str, float] = Field(default_factory=dict, description="main-index points")


CASE_KEYS = ("description", "framework", "index_level", "cohort", "expect", "order")


class DtiCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    framework: str | None = Field(default=None, description="id[@version]; default: the folder's framework")
    index_level: bool | None = None
    cohort: list[dict[str, Any]] = Field(min_length=1)
    expect: dict[str, ExpectedUnit] = Field(min_length=1)
    order: list[str] | None = Field(default=None, description="units in the order the ranking lists them")


def _same(got: float, expected: float, places: int) -> bool:
    return half_up(got, places) == half_up(expected, places)


def _unit_problems(results: Results, unit: str, want: ExpectedUnit) -> list[str]:
    if unit not in results.units:
        return [f"{unit}: not in the results ({', '.join(results.units[:10])}…)"]
    i = results.units.index(unit)
    out: list[str] = []
    checks: list[tuple[str, float | None, float, int]] = [
        ("points", want.points, float(results.total[i]), POINT_DECIMALS + 2),
        ("max_points", want.max_points, float(results.max_total[i]), POINT_DECIMALS + 2),
        ("value", want.value, float(results.value[i]), VALUE_DECIMALS),
    ]
    codes = [index.code for index in results.fw.indices]
    for code, points in want.indices.items():
        if code not in codes:
            out.append(f"{unit}.indices.{code}: no main index {code} ({', '.join(codes)})")
            continue
        checks.append(
            (f"indices.{code}", points, float(results.index_points[i, codes.index(code)]), POINT_DECIMALS + 2)
        )
    for name, expected, got, places in checks:
        if expected is not None and not _same(got, expected, places):
            out.append(f"{unit}.{name}: expected {fmt(expected, places)}, got {fmt(got, places)}")
    rank = int(results.ranks[i]) or None
    if want.rank is not UNSET and rank != want.rank:
        out.append(f"{unit}.rank: expected {want.rank}, got {rank}")
    if want.band is not None and results.bands[i] != want.band:
        out.append(f"{unit}.band: expected {want.band}, got {results.bands[i]}")
    if want.not_ranked_reason is not None and results.reason(i) != want.not_ranked_reason:
        out.append(f"{unit}.not_ranked_reason: expected {want.not_ranked_reason!r}, got {results.reason(i)!r}")
    return out


def run_dti_case(data: dict[str, Any], doc: SourceDoc, catalog: Catalog, resolved: Resolved) -> list[str]:
    """Score the case's cohort and compare; the expectations that did not hold, one line each."""
    expect_keys({k: None for k in data}, CASE_KEYS, doc, "")  # a mistyped key: the allowed ones, did-you-mean
    case = validate_model(DtiCase, data, doc)
    fw = catalog.load(case.framework).framework if case.framework else resolved.framework
    if not isinstance(fw, DtiFramework):
        raise CertifyError.one(
            "not-dti",
            f"Tệp kiểm thử DTI cần bộ chỉ số DTI, «{fw.ref}» là kind: {fw.kind}",
            f"A DTI case needs a DTI framework; '{fw.ref}' is kind: {fw.kind}",
            file=doc.name,
        )
    results = score_table(table_from_records(case.cohort, name=doc.name), fw, case.index_level)
    problems = [p for unit, want in case.expect.items() for p in _unit_problems(results, unit, want)]
    if case.order is not None:
        got = [results.units[i] for i in results.order()]
        if got != case.order:
            problems.append(f"order: expected {case.order}, got {got}")
    return problems
