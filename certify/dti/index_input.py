"""Reading main-index values (0–1) per unit: published DTI results, or former units to merge.

Columns: `unit` (required), `name`, `group`, `merged_into`, `not_ranked` (why the unit is left out
of the ranking), and one column per main index headed by its code in the decision (`1` … `9`).
Every scored index that carries weight must be given for every unit; a bonus or penalty group
may be left empty (none). A value is a fraction (0.7163) or a percentage (71.63%).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from certify.dti.aggregate import IndexCohort
from certify.dti.cells import parse_column
from certify.dti.cohort import group_column, header_problem, missing_unit_column, not_ranked_reasons, reject, unit_ids
from certify.dti.methods import InputKind
from certify.dti.methods.base import FloatArray
from certify.dti.model import DtiFramework, IndexRole
from certify.dti.table import Table, read_table
from certify.errors import CertifyError, Problem

META = ("unit", "name", "group", "merged_into", "not_ranked")


def _header_problems(table: Table, codes: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for k, column in enumerate(table.header):
        problem = header_problem(table, k, seen)
        if problem is not None:
            problems.append(problem)
            continue
        if column in META or column in codes:
            continue
        hint = (
            (
                " — cột tiêu chí cần dữ liệu cấp tiêu chí, bỏ --index-level / criterion columns need criterion-level "
                "input, without --index-level"
            )
            if re.match(r"^[0-9]+\.[0-9]", column)
            else ""
        )
        problems.append(
            Problem(
                code="unknown-column",
                vi=f"Cột không xác định «{column}»{hint}",
                en=f"Unknown column '{column}'{hint}",
                expected=" | ".join([*META, *codes]),
                found=column,
                **table.where(None, column),
            )
        )
    return problems


def _required(fw: DtiFramework) -> list[str]:
    """Index columns every unit must fill: scored indices that carry weight and points."""
    return [i.code for i in fw.indices if i.role is IndexRole.SCORED and i.effective_weight > 0 and i.max_points > 0]


def _values(table: Table, fw: DtiFramework, problems: list[Problem]) -> FloatArray:
    """Units × main indices; a missing required index column or value is a problem, an optional one is 0."""
    required = _required(fw)
    values = np.zeros((table.n_rows, len(fw.indices)))
    for k, index in enumerate(fw.indices):
        code = index.code
        cells = table.column(code)
        if cells is None:
            if code in required:
                problems.append(
                    Problem(
                        code="missing-index-column",
                        vi=f"Thiếu cột chỉ số chính «{code}»",
                        en=f"Missing the main-index column '{code}'",
                        expected=code,
                        **table.where(None, code),
                    )
                )
            continue
        parsed, errors = parse_column(cells, InputKind.FRACTION)
        unreadable = {e.index for e in errors}
        problems += [
            Problem(code="bad-cell", vi=e.vi, en=e.en, expected=e.expected, found=e.found, **table.where(e.index, code))
            for e in errors
        ]
        if code in required:
            problems += [
                Problem(
                    code="missing-value",
                    vi=f"Thiếu giá trị chỉ số {code}",
                    en=f"Missing value of index {code}",
                    expected="0–1",
                    found="(trống/empty)",
                    **table.where(int(i), code),
                )
                for i in np.flatnonzero(np.isnan(parsed))
                if int(i) not in unreadable
            ]  # an unreadable cell is reported once
        values[:, k] = np.nan_to_num(parsed)
    return values


def _merged_into(table: Table, units: list[str], problems: list[Problem]) -> list[str]:
    merged_into = list(table.column("merged_into") or [])
    former = {u for u, m in zip(units, merged_into, strict=False) if m}
    targets = set(merged_into) - {""}
    for i, unit in enumerate(units):
        if unit in targets and unit not in former:
            problems.append(
                Problem(
                    code="merged-unit-listed",
                    vi=f"Đơn vị «{unit}» vừa có dòng riêng vừa là đơn vị sau sáp nhập",
                    en=f"Unit '{unit}' has its own row and is also a merged unit",
                    found=unit,
                    **table.where(i, "unit"),
                )
            )
    return merged_into


def index_cohort_from_table(table: Table, fw: DtiFramework) -> IndexCohort:
    problems = _header_problems(table, [i.code for i in fw.indices])
    position = table.position
    if "unit" not in position:
        raise CertifyError([*problems, missing_unit_column(table)])
    units, unit_problems = unit_ids(table, position["unit"])
    problems += unit_problems
    values = _values(table, fw, problems)
    merged_into = _merged_into(table, units, problems)
    groups, group_problems = group_column(table, position.get("group"), fw)
    reasons, reason_problems = not_ranked_reasons(table, position.get("not_ranked"))
    problems += group_problems + reason_problems
    reject(problems)
    return IndexCohort(
        units,
        values,
        names=list(table.column("name") or []),
        groups=groups,
        merged_into=merged_into,
        file=table.file,
        not_ranked=reasons,
    )


def read_index_cohort(path: Path, fw: DtiFramework) -> IndexCohort:
    return index_cohort_from_table(read_table(path), fw)
