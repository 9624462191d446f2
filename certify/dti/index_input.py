"""Reading main-index values (0–1) per unit: published DTI results, or former units to merge.

Columns: `unit` (required), `name`, `group`, `merged_into`, and one column per main index headed
by its code in the decision (`1` … `9`). Every index that carries weight must be given for
every unit; a value is a fraction (0.7163) or a percentage (71.63%).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from certify.dti.aggregate import IndexCohort
from certify.dti.cells import parse_column
from certify.dti.cohort import MAX_PROBLEMS, unit_ids
from certify.dti.methods import InputKind
from certify.dti.model import DtiFramework
from certify.dti.table import Table, read_table
from certify.errors import CertifyError, Problem

META = ("unit", "name", "group", "merged_into")


def index_cohort_from_table(table: Table, fw: DtiFramework) -> IndexCohort:
    problems: list[Problem] = []
    position = {column: k for k, column in enumerate(table.header)}
    codes = [i.code for i in fw.indices]
    for column in table.header:
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
    if "unit" not in position:
        problems.append(
            Problem(
                code="missing-unit-column",
                vi="Thiếu cột «unit» (mã đơn vị)",
                en="Missing the 'unit' column (unit id)",
                expected="unit",
                **table.where(None, "unit"),
            )
        )
        raise CertifyError(problems)
    required = [i.code for i in fw.indices if i.effective_weight > 0 and i.max_points > 0]
    for code in required:
        if code not in position:
            problems.append(
                Problem(
                    code="missing-index-column",
                    vi=f"Thiếu cột chỉ số chính «{code}»",
                    en=f"Missing the main-index column '{code}'",
                    expected=code,
                    **table.where(None, code),
                )
            )
    units, unit_problems = unit_ids(table, position["unit"])
    problems += unit_problems
    values = np.zeros((len(table.rows), len(codes)))
    for k, code in enumerate(codes):
        if code not in position:
            continue
        cells = [row[position[code]] for row in table.rows]
        parsed, errors = parse_column(cells, InputKind.FRACTION)
        unreadable = {e.index for e in errors}
        problems += [
            Problem(code="bad-cell", vi=e.vi, en=e.en, expected=e.expected, found=e.found, **table.where(e.index, code))
            for e in errors
        ]
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
            if code in required and int(i) not in unreadable
        ]  # an unreadable cell is reported once
        values[:, k] = np.nan_to_num(parsed)
    merged_into = [row[position["merged_into"]] for row in table.rows] if "merged_into" in position else []
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
    if problems:
        raise CertifyError(problems[:MAX_PROBLEMS])
    return IndexCohort(
        units,
        values,
        names=[row[position["name"]] for row in table.rows] if "name" in position else [],
        groups=[row[position["group"]] for row in table.rows] if "group" in position else [],
        merged_into=merged_into,
        file=table.file,
    )


def read_index_cohort(path: Path, fw: DtiFramework) -> IndexCohort:
    return index_cohort_from_table(read_table(path), fw)
