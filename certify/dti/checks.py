"""Semantic validation of a DTI framework, after its schema.

Points must add up at every level, and a broken sum is reported where it is declared: the
criteria of main index 5 against `indices[5].max_points`, the sub-criteria 5.12.x against
`criteria[5.12].max_points`, the main indices against the framework's `max_points`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from certify.dti.model import DtiFramework, IndexRole
from certify.dti.numbers import EPS, fmt
from certify.dti.plan import Issue
from certify.errors import Problem
from certify.kinds import Locate
from certify.provenance import FrameworkStatus


def check(fw: DtiFramework, locate: Locate) -> list[Problem]:
    issues = [
        *_duplicates(fw),
        *_references(fw),
        *_roles(fw),
        *_sums(fw),
        *_coverage(fw),
        *_bands(fw),
        *_not_ranked(fw),
        *fw.plan.issues,
    ]
    return [locate(i.code, i.vi, i.en, i.path, expected=i.expected, found=i.found, severity=i.severity) for i in issues]


def _duplicates(fw: DtiFramework) -> Iterable[Issue]:
    for field, keys in (
        ("indices", [i.code for i in fw.indices]),
        ("criteria", [c.code for c in fw.criteria]),
        ("pillars", [p.id for p in fw.pillars]),
        ("bands", [b.id for b in fw.bands]),
        ("groups", [g.id for g in fw.groups]),
    ):
        for key, n in Counter(keys).items():
            if n > 1:
                yield Issue(
                    (field, key),
                    "duplicate-code",
                    f"Mã «{key}» bị lặp {n} lần trong {field}",
                    f"Code '{key}' appears {n} times in {field}",
                )


def _references(fw: DtiFramework) -> Iterable[Issue]:
    pillars = {p.id for p in fw.pillars}
    for index in fw.indices:
        if index.pillar is not None and index.pillar not in pillars:
            yield Issue(
                ("indices", index.code, "pillar"),
                "unknown-pillar",
                f"Chỉ số {index.code}: trụ cột không tồn tại",
                f"Index {index.code}: unknown pillar",
                expected=" | ".join(sorted(pillars)),
                found=index.pillar,
            )
    for crit in fw.criteria:
        where: tuple[Any, ...] = ("criteria", crit.code)
        if crit.index_code not in fw.index_by_code:
            yield Issue(
                (*where, "code"),
                "unknown-index",
                f"Tiêu chí {crit.code} thuộc chỉ số chính {crit.index_code}, không có trong «indices»",
                f"Criterion {crit.code} belongs to main index {crit.index_code}, which is not declared",
                expected=" | ".join(fw.index_by_code),
                found=crit.index_code,
            )
        if crit.pillar is not None and crit.pillar not in pillars:
            yield Issue(
                (*where, "pillar"),
                "unknown-pillar",
                f"Tiêu chí {crit.code}: trụ cột không tồn tại",
                f"Criterion {crit.code}: unknown pillar",
                expected=" | ".join(sorted(pillars)),
                found=crit.pillar,
            )
        parent = fw.criterion_by_code.get(crit.parent_code) if crit.parent_code else None
        if crit.parent_code and parent is None:
            yield Issue(
                (*where, "code"),
                "unknown-parent",
                f"Tiêu chí thành phần {crit.code}: không có tiêu chí cha {crit.parent_code}",
                f"Sub-criterion {crit.code}: parent criterion {crit.parent_code} is missing",
            )
    for code, kids in fw.children.items():
        parent = fw.criterion_by_code.get(code)
        if parent is None:
            continue
        declared = parent.params.get("parts") if parent.method == "sum_of_parts" else None
        actual = [k.code for k in kids]
        if parent.method != "sum_of_parts":
            yield Issue(
                ("criteria", code, "method"),
                "parent-method",
                f"Tiêu chí {code} có tiêu chí thành phần nên phải tính bằng «sum_of_parts»",
                f"Criterion {code} has sub-criteria, so its method must be 'sum_of_parts'",
                expected="sum_of_parts",
                found=parent.method,
            )
        elif isinstance(declared, list) and [str(d) for d in declared] != actual:
            yield Issue(
                ("criteria", code, "params", "parts"),
                "parts-mismatch",
                f"Tiêu chí {code}: danh sách «parts» khác các tiêu chí thành phần khai báo",
                f"Criterion {code}: 'parts' differs from the declared sub-criteria",
                expected=", ".join(actual),
                found=", ".join(map(str, declared)),
            )
    for crit in fw.criteria:
        if crit.method == "sum_of_parts" and crit.code not in fw.children:
            yield Issue(
                ("criteria", crit.code, "method"),
                "no-parts",
                f"Tiêu chí {crit.code} tính bằng tổng tiêu chí thành phần nhưng không có tiêu chí thành phần",
                f"Criterion {crit.code} sums its sub-criteria but has none",
            )
    for k, rule in enumerate(fw.rules.peer_maximum):
        for code in rule.criteria:
            if code not in fw.criterion_by_code:
                yield Issue(
                    ("rules", "peer_maximum", k, "criteria"),
                    "unknown-criterion",
                    f"Quy tắc «{rule.condition}»: không có tiêu chí {code}",
                    f"Rule '{rule.condition}': no criterion {code}",
                    found=code,
                )


def _sum_issue(
    path: tuple[Any, ...],
    what_vi: str,
    what_en: str,
    declared: float,
    parts: list[tuple[str, float]],
) -> Issue:
    total = sum(v for _, v in parts)
    listed = " + ".join(f"{fmt(v)} ({k})" for k, v in parts)
    return Issue(
        path,
        "points-do-not-add-up",
        f"{what_vi}: tổng điểm thành phần {fmt(total)} khác điểm tối đa khai báo {fmt(declared)}",
        f"{what_en}: the parts add up to {fmt(total)}, not the declared {fmt(declared)}",
        expected=fmt(declared),
        found=f"{listed} = {fmt(total)}",
    )


def _roles(fw: DtiFramework) -> Iterable[Issue]:
    """Bonus and penalty groups are points added or taken, never weighted; at least one index is scored."""
    for index in fw.indices:
        if index.role is not IndexRole.SCORED and index.weight is not None:
            yield Issue(
                ("indices", index.code, "weight"),
                "weight-on-adjustment",
                f"Chỉ số {index.code} là nhóm điểm {'cộng' if index.role is IndexRole.BONUS else 'trừ'}: "
                "không có trọng số (cộng/trừ thẳng vào tổng điểm, tối đa max_points)",
                f"Index {index.code} is a {index.role.value} group: it has no weight (its points are added or "
                "taken as they are, at most max_points)",
                found=fmt(index.weight),
            )
    if not fw.scored_indices:
        yield Issue(
            ("indices",),
            "no-scored-index",
            "Bộ chỉ số cần ít nhất một chỉ số chính được chấm điểm (role: scored)",
            "A framework needs at least one scored main index (role: scored)",
        )


def _sums(fw: DtiFramework) -> Iterable[Issue]:
    for index in fw.scored_indices:
        top = [c for c in fw.top_level if c.index_code == index.code]
        if top and abs(sum(c.max_points for c in top) - index.max_points) > EPS:
            yield _sum_issue(
                ("indices", index.code, "max_points"),
                f"Chỉ số {index.code} «{index.name}»",
                f"Main index {index.code}",
                index.max_points,
                [(c.code, c.max_points) for c in top],
            )
    for code, kids in fw.children.items():
        parent = fw.criterion_by_code.get(code)
        if parent is not None and abs(sum(k.max_points for k in kids) - parent.max_points) > EPS:
            yield _sum_issue(
                ("criteria", code, "max_points"),
                f"Tiêu chí {code}",
                f"Criterion {code}",
                parent.max_points,
                [(k.code, k.max_points) for k in kids],
            )
    scored = fw.scored_indices
    if abs(sum(i.max_points for i in scored) - fw.max_points) > EPS:
        yield _sum_issue(
            ("max_points",), "Bộ chỉ số", "Framework", fw.max_points, [(i.code, i.max_points) for i in scored]
        )
    if sum(i.effective_weight for i in fw.indices) <= 0:
        yield Issue(
            ("indices",), "no-weight", "Tổng trọng số các chỉ số chính bằng 0", "The main-index weights add up to 0"
        )


def _coverage(fw: DtiFramework) -> Iterable[Issue]:
    """Counts declared by the source, and indices left without criteria."""
    partial = fw.status is FrameworkStatus.PARTIAL
    for index in fw.indices:
        n = sum(1 for c in fw.top_level if c.index_code == index.code)
        if index.criteria_count is not None and fw.criteria and n != index.criteria_count:
            yield Issue(
                ("indices", index.code, "criteria_count"),
                "wrong-count",
                f"Chỉ số {index.code} khai báo {index.criteria_count} tiêu chí nhưng có {n}",
                f"Index {index.code} declares {index.criteria_count} criteria but has {n}",
                expected=str(index.criteria_count),
                found=str(n),
            )
    if fw.index_level_only:
        yield Issue(
            ("indices",),
            "index-level-only",
            "Bộ chỉ số chưa có tiêu chí: chỉ chấm được từ giá trị các chỉ số chính (--index-level)",
            "The framework has no criteria: it scores units from main-index values only (--index-level)",
            severity="warning" if partial else "error",
        )
        return
    empty = [i.code for i in fw.indices if i.max_points > 0 and not any(c.index_code == i.code for c in fw.top_level)]
    if empty:
        yield Issue(
            ("indices",),
            "index-without-criteria",
            f"Các chỉ số chính chưa có tiêu chí: {', '.join(empty)}",
            f"Main indices without criteria: {', '.join(empty)}",
            severity="warning" if partial else "error",
        )


def _bands(fw: DtiFramework) -> Iterable[Issue]:
    if not fw.bands:
        return
    if not fw.bands_known:
        unknown = ", ".join(b.id for b in fw.bands if b.min is None)
        yield Issue(
            ("bands",),
            "band-thresholds-unknown",
            f"Chưa có ngưỡng xếp loại ({unknown}): kết quả không được xếp loại",
            f"Band thresholds unknown ({unknown}): results are not classified",
            severity="warning",
        )
        return
    previous = 2.0
    for band in fw.bands:
        assert band.min is not None
        if band.min >= previous:
            yield Issue(
                ("bands", band.id, "min"),
                "bands-order",
                "Các loại phải xếp từ cao xuống thấp, ngưỡng giảm dần",
                "Bands must go from highest to lowest, with decreasing thresholds",
                found=fmt(band.min),
            )
        previous = band.min


def _not_ranked(fw: DtiFramework) -> Iterable[Issue]:
    conditions = [r.condition for r in fw.rules.not_ranked_when]
    for k, rule in enumerate(fw.rules.not_ranked_when):
        if conditions.index(rule.condition) != k:
            yield Issue(
                ("rules", "not_ranked_when", k, "condition"),
                "duplicate-code",
                f"Điều kiện «{rule.condition}» bị lặp trong not_ranked_when",
                f"Condition '{rule.condition}' appears twice in not_ranked_when",
                found=rule.condition,
            )
