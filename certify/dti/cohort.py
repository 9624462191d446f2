"""The explicit cohort a DTI is computed over (tier + province + year), and reading it from a file.

Every cell is checked before anything is scored; a file with any error gives no result at all,
and every error names file, row and column, so a user fixes the file in one pass. The column
convention is documented in `certify.dti.plan` and in each framework file's header.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from certify.dti.cells import CellError, parse_column, parse_yes_no, plain_columns
from certify.dti.methods import Context, InputKind, InputSpec, Peers
from certify.dti.methods.base import BoolArray, FloatArray
from certify.dti.model import DtiFramework, PeerScope
from certify.dti.plan import APPRAISED_PREFIX, META_COLUMNS, Plan
from certify.dti.table import Table, read_table
from certify.errors import CertifyError, Problem

PER_COLUMN = 10  # a systematic mistake in one column is told 10 times, not 10 000


@dataclass
class Cohort:
    """Raw data of the units compared together, as float columns (NaN = empty cell)."""

    units: list[str]
    columns: dict[str, FloatArray]
    names: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # "" = no group
    appraised: dict[str, FloatArray] = field(default_factory=dict)
    conditions: dict[str, BoolArray] = field(default_factory=dict)
    not_applicable: dict[str, BoolArray] = field(default_factory=dict)  # criterion code → units listing it
    province: str | None = None
    year: str | None = None
    file: str | None = None
    not_ranked: list[str] = field(default_factory=list)  # why each unit is left out of the ranking ("" = ranked)

    @property
    def n(self) -> int:
        return len(self.units)

    def group_of(self, i: int) -> str:
        return self.groups[i] if self.groups else ""

    def peers(self, scope: PeerScope) -> Peers:
        if scope is PeerScope.COHORT or not self.groups:
            return Peers.single(self.n)
        _, codes = np.unique(np.asarray(self.groups, dtype=str), return_inverse=True)
        return Peers(codes.astype(np.int64), int(codes.max()) + 1 if self.n else 1)

    def final_columns(self) -> dict[str, FloatArray]:
        """Appraised values where present, self-assessed ones elsewhere."""
        out = dict(self.columns)
        for col, appraised in self.appraised.items():
            own = self.columns.get(col, np.full(self.n, np.nan))
            out[col] = np.where(np.isnan(appraised), own, appraised)
        return out

    def condition(self, name: str) -> BoolArray:
        got = self.conditions.get(name)
        return got if got is not None else np.zeros(self.n, dtype=bool)


# --- reading --------------------------------------------------------------------------------


def _suggest(column: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(column, list(candidates), n=3, cutoff=0.6)
    return " | ".join(close) if close else None


def _unknown_column(table: Table, column: str, plan: Plan) -> Problem:
    base = column.removeprefix(APPRAISED_PREFIX)
    parts = base.split(".")
    owner = next((".".join(parts[:k]) for k in (3, 2) if ".".join(parts[:k]) in plan.fw.criterion_by_code), None)
    where = table.where(None, column)
    if owner is not None and owner in plan.columns_of:
        return Problem(
            code="unknown-column",
            vi=f"Tiêu chí {owner} không có cột «{column}»",
            en=f"Criterion {owner} has no column '{column}'",
            expected=" | ".join(plan.columns_of[owner]),
            found=column,
            **where,
        )
    if re.match(r"^[0-9]+(\.[0-9]+)+", base):
        code = re.match(r"^[0-9]+(?:\.[0-9]+){1,2}", base)
        shown = code.group(0) if code else base
        return Problem(
            code="unknown-criterion",
            vi=f"Mã tiêu chí «{shown}» không có trong bộ chỉ số {plan.fw.ref}",
            en=f"Criterion code '{shown}' is not in framework {plan.fw.ref}",
            expected=_suggest(base, plan.inputs) or "mã tiêu chí của bộ chỉ số / a criterion code",
            found=column,
            **where,
        )
    known = [*META_COLUMNS, *plan.conditions]
    hint = " (chỉ dùng với/only with --index-level)" if column == "merged_into" else ""
    return Problem(
        code="unknown-column",
        vi=f"Cột không xác định «{column}»{hint}",
        en=f"Unknown column '{column}'{hint}",
        expected=_suggest(column, known) or " | ".join(known),
        found=column,
        **where,
    )


def _cell_problem(table: Table, column: str, err: CellError) -> Problem:
    return Problem(
        code="bad-cell",
        vi=err.vi,
        en=err.en,
        expected=err.expected,
        found=repr(err.found)[:80],
        **table.where(err.index, column),
    )


def unit_ids(table: Table, col: int) -> tuple[list[str], list[Problem]]:
    ids = table.cells(col)
    units = list(ids)
    if "" not in units and len(set(units)) == len(units):  # every unit given once: nothing to say
        return units, []
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for i, unit in enumerate(units):
        if not unit:
            problems.append(
                Problem(
                    code="missing-unit",
                    vi="Thiếu mã đơn vị",
                    en="Missing unit id",
                    expected="mã đơn vị / a unit id",
                    found="(trống/empty)",
                    **table.where(i, "unit"),
                )
            )
        elif unit in first:
            problems.append(
                Problem(
                    code="duplicate-unit",
                    vi=f"Đơn vị «{unit}» xuất hiện hai lần",
                    en=f"Unit '{unit}' appears twice",
                    expected=f"mỗi đơn vị một dòng; đã có ở dòng {table.row_numbers[first[unit]]} / "
                    f"one row per unit, already at row {table.row_numbers[first[unit]]}",
                    found=unit,
                    **table.where(i, "unit"),
                )
            )
        else:
            first[unit] = i
    return units, problems


def missing_unit_column(table: Table) -> Problem:
    return Problem(
        code="missing-unit-column",
        vi="Thiếu cột «unit» (mã đơn vị)",
        en="Missing the 'unit' column (unit id)",
        expected="unit",
        found=", ".join(table.header[:8]),
        **table.where(None, "unit"),
    )


def _constant(table: Table, col: int, name: str, problems: list[Problem]) -> str | None:
    cells = table.cells(col)
    values = {c for c in cells if c}
    if len(values) > 1:
        i = next(k for k, c in enumerate(cells) if c and c != cells[0])
        problems.append(
            Problem(
                code="mixed-cohort",
                vi=f"Một tập đơn vị chỉ thuộc một «{name}»",
                en=f"A cohort has a single '{name}'",
                expected=cells[0] or "(trống)",
                found=cells[i],
                **table.where(i, name),
            )
        )
    return next(iter(values)) if len(values) == 1 else None


def _not_applicable(table: Table, col: int, plan: Plan, problems: list[Problem]) -> dict[str, BoolArray]:
    n = table.n_rows
    out: dict[str, BoolArray] = {}
    for i, cell in enumerate(table.cells(col)):
        for code in filter(None, re.split(r"[;,\s]+", cell)):
            if code not in plan.fw.criterion_by_code:
                problems.append(
                    Problem(
                        code="unknown-criterion",
                        vi=f"Mã tiêu chí «{code}» không có trong bộ chỉ số {plan.fw.ref}",
                        en=f"Criterion code '{code}' is not in framework {plan.fw.ref}",
                        expected=_suggest(code, plan.fw.criterion_by_code) or "mã tiêu chí",
                        found=code,
                        **table.where(i, "not_applicable"),
                    )
                )
                continue
            out.setdefault(code, np.zeros(n, dtype=bool))[i] = True
            for child in plan.fw.children.get(code, []):  # an irrelevant criterion takes its parts along
                out.setdefault(child.code, np.zeros(n, dtype=bool))[i] = True
    return out


def _row_problems(plan: Plan, ctx: Context, table: Table, prefix_rows: Mapping[str, BoolArray]) -> list[Problem]:
    out: list[Problem] = []
    for code in plan.order:
        c = plan.compiled[code]
        for issue in c.method.row_checks(c, ctx):
            if len(issue.rows) > PER_COLUMN:
                more = len(issue.rows) - PER_COLUMN
                out.append(
                    Problem(
                        code="more-problems",
                        vi=f"… và {more} dòng khác: {issue.vi}",
                        en=f"… and {more} more rows: {issue.en}",
                        **table.where(int(issue.rows[PER_COLUMN]), issue.column),
                    )
                )
            for i in issue.rows[:PER_COLUMN]:
                appraised = prefix_rows.get(issue.column.split("+")[0])
                column = (APPRAISED_PREFIX if appraised is not None and appraised[i] else "") + issue.column
                out.append(
                    Problem(
                        code=issue.code,
                        vi=issue.vi,
                        en=issue.en,
                        expected=issue.expected,
                        found=issue.found(int(i)) if issue.found else None,
                        **table.where(int(i), column),
                    )
                )
    return out


MAX_REASON = 300  # characters of a «not ranked» reason: a phrase, not a report


def not_ranked_reasons(table: Table, col: int | None) -> tuple[list[str], list[Problem]]:
    """The `not_ranked` column: why each unit is left out of the ranking ("" = ranked).

    «không»/«0» reads as ranked; «có»/«x» alone is refused: a unit left out needs its reason.
    """
    if col is None:
        return [], []
    out: list[str] = []
    problems: list[Problem] = []
    for i, cell in enumerate(table.cells(col)):
        answer = parse_yes_no(cell) if cell else False
        if answer is True or len(cell) > MAX_REASON:
            problems.append(
                Problem(
                    code="not-ranked-reason",
                    vi="Ghi lý do không xếp hạng (ví dụ «tính chất đặc thù»), tối đa "
                    f"{MAX_REASON} ký tự; để trống nếu đơn vị được xếp hạng",
                    en=f"Write why the unit is not ranked (e.g. 'special functions'), at most {MAX_REASON} "
                    "characters; leave empty if the unit is ranked",
                    expected="lý do / a reason",
                    found=cell[:80],
                    **table.where(i, "not_ranked"),
                )
            )
        out.append("" if answer is False and cell else cell)
    return out, problems


def group_column(table: Table, col: int | None, fw: DtiFramework) -> tuple[list[str], list[Problem]]:
    """Ranking groups ("" = none), checked against the framework's declared groups."""
    if col is None:
        return [], []
    groups = list(table.cells(col))
    allowed = {g.id for g in fw.groups}
    problems = [
        Problem(
            code="unknown-group",
            vi=f"Nhóm xếp hạng «{g}» không có trong bộ chỉ số",
            en=f"Ranking group '{g}' is not declared by the framework",
            expected=" | ".join(sorted(allowed)),
            found=g,
            **table.where(i, "group"),
        )
        for i, g in enumerate(groups)
        if allowed and g and g not in allowed
    ]
    return groups, problems


def reject(problems: list[Problem]) -> None:
    """Raise every problem at once (CertifyError lists the first ones and counts the rest); nothing if none."""
    if problems:
        raise CertifyError(problems)


@dataclass
class _Header:
    """Where each column of a cohort file goes: meta columns and unit conditions, criterion inputs."""

    meta: dict[str, int] = field(default_factory=dict)
    inputs: dict[int, tuple[str, InputSpec, bool]] = field(default_factory=dict)  # position → (column, spec, appraised)
    problems: list[Problem] = field(default_factory=list)


def header_problem(table: Table, k: int, seen: set[str]) -> Problem | None:
    """An empty or repeated header cell; None when the column has a name of its own."""
    column = table.header[k]
    if not column:
        return Problem(
            code="empty-header",
            vi="Cột không có tên",
            en="A column has no header",
            expected="tên cột / a column name",
            found="(trống/empty)",
            **table.where(None, f"#{k + 1}"),
        )
    if column in seen:
        return Problem(
            code="duplicate-column",
            vi=f"Cột «{column}» xuất hiện hai lần",
            en=f"Column '{column}' appears twice",
            found=column,
            **table.where(None, column),
        )
    seen.add(column)
    return None


def _read_header(table: Table, plan: Plan) -> _Header:
    out = _Header()
    seen: set[str] = set()
    for k, column in enumerate(table.header):
        problem = header_problem(table, k, seen)
        if problem is not None:
            out.problems.append(problem)
            continue
        base = column.removeprefix(APPRAISED_PREFIX)
        if column in META_COLUMNS or column in plan.conditions:
            out.meta[column] = k
        elif base in plan.inputs:
            out.inputs[k] = (base, plan.inputs[base][1], column != base)
        else:
            out.problems.append(_unknown_column(table, column, plan))
    return out


def _read_inputs(
    table: Table, header: _Header, problems: list[Problem]
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Every criterion column parsed: self-assessed and appraised values."""
    columns: dict[str, FloatArray] = {}
    appraised: dict[str, FloatArray] = {}
    labelled = {k for k, (_, spec, _) in header.inputs.items() if spec.kind in (InputKind.YESNO, InputKind.OPTION)}
    plain = plain_columns(table.grid, [k for k in header.inputs if k not in labelled])  # from the file's bytes
    for k, (base, spec, is_appraised) in header.inputs.items():
        cells = table.cells(k)
        if k in labelled:
            values, errors = parse_column(cells, spec.kind, spec.options, distinct=table.distinct(k))
        elif k in plain:
            values, errors = parse_column(cells, spec.kind, plain=plain[k])
        else:
            values, errors = parse_column(cells, spec.kind, joined=table.column_text(k))
        problems += [_cell_problem(table, table.header[k], e) for e in errors[:PER_COLUMN]]
        if len(errors) > PER_COLUMN:
            more = len(errors) - PER_COLUMN
            problems.append(
                Problem(
                    code="more-problems",
                    vi=f"… và {more} ô sai khác trong cột này",
                    en=f"… and {more} more bad cells in this column",
                    **table.where(errors[PER_COLUMN].index, table.header[k]),
                )
            )
        (appraised if is_appraised else columns)[base] = values
    return columns, appraised


def _read_conditions(table: Table, header: _Header, plan: Plan, problems: list[Problem]) -> dict[str, BoolArray]:
    """Yes/no unit conditions used by the framework's rules; an absent column is «no» for every unit."""
    conditions: dict[str, BoolArray] = {}
    for name in plan.conditions:
        if name not in header.meta:
            continue
        flags = np.zeros(table.n_rows, dtype=bool)
        for i, cell in enumerate(table.cells(header.meta[name])):
            got = parse_yes_no(cell) if cell else False
            if got is None:
                problems.append(
                    Problem(
                        code="bad-cell",
                        vi="Phải là có/không",
                        en="Must be yes/no",
                        expected="có/không, yes/no, 1/0",
                        found=cell,
                        **table.where(i, name),
                    )
                )
            flags[i] = bool(got)
        conditions[name] = flags
    return conditions


def _relation_problems(
    plan: Plan, table: Table, units: list[str], columns: dict[str, FloatArray], appraised: dict[str, FloatArray]
) -> list[Problem]:
    """Relations between columns (numerator ≤ denominator …), on the data as submitted and as appraised."""
    n = len(units)
    problems = _row_problems(plan, Context(columns, n, Peers.single(n)), table, {})
    if appraised:
        cohort = Cohort(units, columns, appraised=appraised)
        marks = {col: ~np.isnan(v) for col, v in appraised.items()}
        found = _row_problems(plan, Context(cohort.final_columns(), n, Peers.single(n)), table, marks)
        problems += [p for p in found if p.column and p.column.startswith(APPRAISED_PREFIX)]
    return problems


def _index_level_only(fw: DtiFramework, table: Table) -> CertifyError:
    return CertifyError(
        [
            Problem(
                code="index-level-only",
                vi=f"Bộ chỉ số {fw.ref} chỉ có chỉ số chính: dùng --index-level",
                en=f"Framework {fw.ref} has main indices only: use --index-level",
                file=table.file,
            )
        ]
    )


def cohort_from_table(table: Table, plan: Plan) -> Cohort:
    """Validate every cell and build the cohort; any problem rejects the whole file."""
    fw = plan.fw
    if fw.index_level_only:
        raise _index_level_only(fw, table)
    header = _read_header(table, plan)
    problems = header.problems
    meta = header.meta
    if "unit" not in meta:
        raise CertifyError([*problems, missing_unit_column(table)])
    units, unit_problems = unit_ids(table, meta["unit"])
    problems += unit_problems
    columns, appraised = _read_inputs(table, header, problems)
    conditions = _read_conditions(table, header, plan, problems)
    groups, group_problems = group_column(table, meta.get("group"), fw)
    reasons, reason_problems = not_ranked_reasons(table, meta.get("not_ranked"))
    problems += group_problems + reason_problems
    province = _constant(table, meta["province"], "province", problems) if "province" in meta else None
    year = _constant(table, meta["year"], "year", problems) if "year" in meta else None
    na = _not_applicable(table, meta["not_applicable"], plan, problems) if "not_applicable" in meta else {}
    if not problems:
        problems += _relation_problems(plan, table, units, columns, appraised)
    if not units and not problems:
        problems.append(
            Problem(
                code="no-units", vi="Tệp không có đơn vị nào", en="The file has no unit", **table.where(None, "unit")
            )
        )
    reject(problems)
    names = list(table.cells(meta["name"])) if "name" in meta else []
    return Cohort(units, columns, names, groups, appraised, conditions, na, province, year, table.file, reasons)


def read_cohort(path: Path, plan: Plan) -> Cohort:
    return cohort_from_table(read_table(path), plan)


def table_from_records(records: Sequence[Mapping[str, Any]], name: str = "<dữ liệu/records>") -> Table:
    """A table built from dicts (an API payload, a test): validated exactly like a file."""
    header: dict[str, None] = {}
    for rec in records:
        header.update(dict.fromkeys(rec))
    cols = list(header)

    def text(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "1" if v else "0"
        return repr(v) if isinstance(v, float) else str(v).strip()

    columns = [[text(rec.get(c)) for rec in records] for c in cols]
    return Table(name, None, cols, columns, list(range(2, len(records) + 2)))


def cohort_from_records(records: Sequence[Mapping[str, Any]], plan: Plan, name: str = "<dữ liệu/records>") -> Cohort:
    return cohort_from_table(table_from_records(records, name), plan)
