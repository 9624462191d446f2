"""A DTI framework compiled for scoring: each criterion's method with typed parameters, the
order to score them in (sub-criteria before their parent), and every cohort-file column.

Cohort-file columns (documented for users in the framework file headers):
- `unit` (required), `name`, `group` (ranking group), `province`, `year` (constant per file);
- `not_applicable`: criterion codes irrelevant to the unit, separated by `;` or spaces;
- `not_ranked`: why the unit is scored but left out of the ranking («tính chất đặc thù»), empty otherwise;
- one yes/no column per unit condition used by a rule (e.g. `no_subordinates`);
- per criterion, `<code>` (its value given directly: yes/no, an option id, a count, a ratio)
  and `<code>.<name>` (a variable of the decision's formula such as `6.12.b`, or a named part);
- `appraised:<column>` for the appraised (thẩm định) value of any criterion column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from certify.dti.methods import Compiled, InputSpec, get_method, method_names
from certify.errors import CertifyError, KeyPath, Problem, Severity

if TYPE_CHECKING:  # the model compiles its plan (DtiFramework.plan): at run time the import goes one way
    from certify.dti.model import DtiFramework

APPRAISED_PREFIX = "appraised:"
META_COLUMNS = ("unit", "name", "group", "province", "year", "not_applicable", "not_ranked")


@dataclass(frozen=True)
class Issue:
    """A problem in a framework, by key path; the catalog turns it into a located Problem."""

    path: KeyPath
    code: str
    vi: str
    en: str
    expected: str | None = None
    found: str | None = None
    severity: Severity = "error"


@dataclass(frozen=True)
class Plan:
    fw: DtiFramework
    compiled: dict[str, Compiled]
    order: tuple[str, ...]  # every criterion, children before their parent
    inputs: dict[str, tuple[str, InputSpec]]  # column → (criterion code, spec)
    issues: tuple[Issue, ...] = field(default=())

    @cached_property
    def conditions(self) -> tuple[str, ...]:
        rules = self.fw.rules
        names = [r.condition for r in rules.peer_maximum] + [r.condition for r in rules.not_ranked_when]
        return tuple(dict.fromkeys(names))

    @cached_property
    def cohort_dependent(self) -> frozenset[str]:
        return frozenset(code for code, c in self.compiled.items() if c.method.depends_on_cohort(c))

    @cached_property
    def columns_of(self) -> dict[str, list[str]]:
        """Criterion code → its input columns (for messages)."""
        out: dict[str, list[str]] = {}
        for column, (code, _) in self.inputs.items():
            out.setdefault(code, []).append(column)
        return out


def _compile_one(fw: DtiFramework, k: int, issues: list[Issue]) -> Compiled | None:
    crit = fw.criteria[k]
    where: KeyPath = ("criteria", crit.code)
    method = get_method(crit.method)
    if method is None:
        issues.append(
            Issue(
                (*where, "method"),
                "unknown-method",
                f"Tiêu chí {crit.code}: không có phương pháp chấm điểm «{crit.method}»",
                f"Criterion {crit.code}: unknown scoring method '{crit.method}'",
                expected=" | ".join(method_names()),
                found=crit.method,
            )
        )
        return None
    try:
        params = method.parse(crit.params)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
            msg = err["msg"].removeprefix("Value error, ")
            vi, en = msg.split(" | ", 1) if " | " in msg else ("Tham số không hợp lệ", msg)
            issues.append(
                Issue(
                    (*where, "params", *loc),
                    f"params:{err['type']}",
                    f"Tiêu chí {crit.code} ({crit.method}): {vi}",
                    f"Criterion {crit.code} ({crit.method}): {en}",
                    found=None if err["type"] == "missing" else repr(err.get("input"))[:80],
                )
            )
        return None
    found = method.check(crit.code, crit.max_points, params)
    for path, vi, en in found:
        issues.append(
            Issue(
                (*where, "params", *path), "bad-params", f"Tiêu chí {crit.code}: {vi}", f"Criterion {crit.code}: {en}"
            )
        )
    return None if found else method.compile(crit.code, crit.max_points, params)


def compile_plan(fw: DtiFramework) -> Plan:
    """Compile every criterion; problems are kept in `Plan.issues` (checked by `certify.dti.checks`)."""
    issues: list[Issue] = []
    compiled: dict[str, Compiled] = {}
    for k, crit in enumerate(fw.criteria):
        one = _compile_one(fw, k, issues)
        if one is not None:
            compiled[crit.code] = one
    children_first = [c.code for c in fw.criteria if c.parent_code is not None]
    order = tuple(children_first + [c.code for c in fw.criteria if c.parent_code is None])
    inputs: dict[str, tuple[str, InputSpec]] = {}
    reserved = set(META_COLUMNS) | {c.code for c in fw.criteria if c.parent_code is not None}
    for code, c in compiled.items():
        for spec in c.method.inputs(c):
            other = inputs.get(spec.column)
            clash = other[0] if other else (spec.column if spec.column in reserved and spec.column != code else None)
            if clash is not None:
                issues.append(
                    Issue(
                        ("criteria", code, "params"),
                        "column-clash",
                        f"Tiêu chí {code}: cột dữ liệu «{spec.column}» trùng với {clash}",
                        f"Criterion {code}: input column '{spec.column}' clashes with {clash}",
                    )
                )
                continue
            inputs[spec.column] = (code, spec)
    return Plan(fw, compiled, order, inputs, tuple(issues))


def plan_for(fw: DtiFramework) -> Plan:
    """The framework's plan; a framework with errors cannot be scored."""
    plan: Plan = fw.plan
    errors = [i for i in plan.issues if i.severity == "error"]
    if errors:
        raise CertifyError(
            [Problem(code=i.code, vi=i.vi, en=i.en, path=i.path, expected=i.expected, found=i.found) for i in errors]
        )
    return plan


def describe_inputs(plan: Plan) -> dict[str, Any]:
    """Column → what it holds, for documentation and `frameworks show`."""
    return {
        col: {"criterion": code, "kind": spec.kind.value, "options": list(spec.options) or None}
        for col, (code, spec) in plan.inputs.items()
    }
