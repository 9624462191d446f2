"""Semantic validation of a level framework, after its schema.

Every problem names the criterion code and what is wrong. A `partial` framework (official
structure, thresholds not available) is valid but gets warnings saying exactly what is missing;
any other status must be complete enough to certify a unit.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from certify.errors import Problem
from certify.kinds import Locate
from certify.levels.graph import find_cycle
from certify.levels.model import Criterion, IndicatorType, LevelFramework, LevelRule, Requirement
from certify.limits import current
from certify.provenance import FrameworkStatus
from certify.suggest import hint


def check(fw: LevelFramework, locate: Locate) -> list[Problem]:
    problems: list[Problem] = []
    problems += _duplicates(fw, locate)
    problems += _references(fw, locate)
    cycle = find_cycle(fw)
    if cycle:
        chain = " → ".join(cycle)
        problems.append(
            locate(
                "prerequisite-cycle",
                f"Vòng lặp tiêu chí tiên quyết: {chain}",
                f"Prerequisite cycle: {chain}",
                ("criteria", cycle[0], "requires"),
            )
        )
    for crit in fw.criteria:
        problems += _criterion(fw, crit, locate)
    problems += _counts(fw, locate)
    problems += _completeness(fw, locate)
    problems += _target_years(fw, locate)
    problems += _rationales(fw, locate)
    problems += _mappings(fw, locate)
    if fw.rules.level_rule is LevelRule.MANDATORY_PLUS_SHARE and not any(not c.mandatory for c in fw.criteria):
        problems.append(
            locate(
                "no-optional-criteria",
                "Quy tắc «bắt buộc + tỷ lệ» nhưng không có tiêu chí mở rộng (mandatory: false)",
                "Rule 'mandatory_plus_share' but no optional criterion (mandatory: false)",
                ("rules", "level_rule"),
                severity="warning",
            )
        )
    return problems


def _duplicates(fw: LevelFramework, locate: Locate) -> list[Problem]:
    out = []
    for field, items in (
        ("criteria", [c.code for c in fw.criteria]),
        ("levels", fw.level_ids),
        ("pillars", [p.id for p in fw.pillars]),
    ):
        for key, n in Counter(items).items():
            if n > 1:
                out.append(
                    locate(
                        "duplicate-code",
                        f"Mã «{key}» bị lặp {n} lần trong {field}",
                        f"Code '{key}' appears {n} times in {field}",
                        (field, key),
                    )
                )
    return out


def _references(fw: LevelFramework, locate: Locate) -> list[Problem]:
    out = []
    levels = set(fw.level_ids)
    for crit in fw.criteria:
        if crit.pillar not in fw.pillar_by_id:
            vi_hint, en_hint = hint(crit.pillar, fw.pillar_by_id)
            out.append(
                locate(
                    "unknown-pillar",
                    f"Tiêu chí {crit.code}: trụ cột «{crit.pillar}» không tồn tại{vi_hint}",
                    f"Criterion {crit.code}: unknown pillar '{crit.pillar}'{en_hint}",
                    ("criteria", crit.code, "pillar"),
                    expected=" | ".join(fw.pillar_by_id),
                    found=crit.pillar,
                )
            )
        for lv in crit.requirements:
            if lv not in levels:
                vi_hint, en_hint = hint(lv, fw.level_ids)
                out.append(
                    locate(
                        "unknown-level",
                        f"Tiêu chí {crit.code}: mức độ «{lv}» không tồn tại{vi_hint}",
                        f"Criterion {crit.code}: unknown level '{lv}'{en_hint}",
                        ("criteria", crit.code, "requirements", lv),
                        expected=" | ".join(fw.level_ids),
                        found=lv,
                    )
                )
        for pre in crit.requires:
            if pre == crit.code or pre not in fw.criterion_by_code:
                what = "chính nó" if pre == crit.code else "tiêu chí không tồn tại"
                vi_hint, en_hint = ("", "") if pre == crit.code else hint(pre, fw.criterion_by_code)
                out.append(
                    locate(
                        "bad-prerequisite",
                        f"Tiêu chí {crit.code} yêu cầu trước {pre}: {what}{vi_hint}",
                        f"Criterion {crit.code} requires {pre}, which is "
                        + ("itself" if pre == crit.code else "not a criterion")
                        + en_hint,
                        ("criteria", crit.code, "requires"),
                        found=pre,
                    )
                )
    return out


def _criterion(fw: LevelFramework, crit: Criterion, locate: Locate) -> list[Problem]:
    out: list[Problem] = []
    where: tuple[Any, ...] = ("criteria", crit.code)
    applicable = [i for i, lv in enumerate(fw.level_ids) if lv in crit.requirements]
    if not applicable:
        return out  # a slot of a partial framework; reported by _completeness
    if not fw.rules.level_subsets and applicable != list(range(applicable[0], len(fw.levels))):
        out.append(
            locate(
                "applicability-gap",
                f"Tiêu chí {crit.code} phải áp dụng liên tục từ một mức đến mức cao nhất ({fw.level_ids[-1]}); "
                "nếu quyết định của tỉnh quy định riêng danh sách tiêu chí của từng mức, ghi "
                "«rules: {level_subsets: true}»",
                f"Criterion {crit.code} must apply from some level up to the top level "
                f"({fw.level_ids[-1]}) without gaps; if your decision lists each level's own criteria, "
                "write 'rules: {level_subsets: true}'",
                (*where, "requirements"),
                expected=", ".join(fw.level_ids[applicable[0] :]),
                found=", ".join(fw.level_ids[i] for i in applicable),
            )
        )
    ind = crit.indicator
    previous: tuple[str, Requirement] | None = None
    for lv in fw.level_ids:
        req = crit.requirements.get(lv)
        if req is None:
            continue
        if ind is not None and req.known:
            bad = _threshold_type_problem(ind.type, req.threshold)
            if bad:
                out.append(
                    locate(
                        "bad-threshold",
                        f"Tiêu chí {crit.code}, mức {lv}: {bad[0]}",
                        f"Criterion {crit.code}, level {lv}: {bad[1]}",
                        (*where, "requirements", lv, "threshold"),
                        found=repr(req.threshold),
                    )
                )
            elif previous is not None and previous[1].known and _weaker(ind, req, previous[1]):
                out.append(
                    locate(
                        "weakening-threshold",
                        f"Tiêu chí {crit.code}: yêu cầu ở mức {lv} ({req.threshold}) thấp hơn ở mức "
                        f"{previous[0]} ({previous[1].threshold})",
                        f"Criterion {crit.code}: the requirement at {lv} ({req.threshold}) is weaker "
                        f"than at {previous[0]} ({previous[1].threshold})",
                        (*where, "requirements", lv, "threshold"),
                    )
                )
        previous = (lv, req)
    if ind is not None and ind.type is IndicatorType.BOOLEAN and ind.direction == "lower":
        out.append(
            locate(
                "bad-direction",
                f"Tiêu chí {crit.code}: chỉ tiêu có/không không có chiều «lower»",
                f"Criterion {crit.code}: a yes/no indicator has no 'lower' direction",
                (*where, "indicator", "direction"),
            )
        )
    for pre in crit.requires:
        pre_crit = fw.criterion_by_code.get(pre)
        if pre_crit is None or not pre_crit.requirements:
            continue
        missing = [lv for lv in crit.requirements if lv not in pre_crit.requirements]
        if missing:
            out.append(
                locate(
                    "prerequisite-not-applicable",
                    f"Tiêu chí {crit.code} yêu cầu trước {pre}, nhưng {pre} không áp dụng ở mức "
                    + ", ".join(missing)
                    + f": cho {pre} áp dụng ở các mức đó hoặc bỏ {pre} khỏi «requires» của {crit.code}",
                    f"Criterion {crit.code} requires {pre}, which does not apply at "
                    + ", ".join(missing)
                    + f": make {pre} apply there or drop it from {crit.code}'s 'requires'",
                    (*where, "requires"),
                    also=[("criteria", pre, "requirements", missing[0])],
                )
            )
    return out


def _threshold_type_problem(kind: IndicatorType, value: float | bool | None) -> tuple[str, str] | None:
    if kind is IndicatorType.BOOLEAN:
        if value is not True:
            return "ngưỡng của chỉ tiêu có/không phải là true", "a yes/no threshold must be true"
        return None
    if isinstance(value, bool):
        return "ngưỡng phải là số", "the threshold must be a number"
    assert value is not None
    if not math.isfinite(value):
        return "ngưỡng phải là số hữu hạn", "the threshold must be a finite number"
    most = current().value_max
    if value > most:
        return f"ngưỡng lớn hơn mức có thể có ({most:g})", f"the threshold is beyond what is possible ({most:g})"
    if kind is IndicatorType.RATIO and not 0 <= value <= 1:
        return "ngưỡng tỷ lệ phải từ 0 đến 1", "a ratio threshold must be between 0 and 1"
    if value < 0:
        return "ngưỡng không được âm", "the threshold must not be negative"
    if kind is IndicatorType.COUNT and value != int(value):
        return "ngưỡng đếm phải là số nguyên", "a count threshold must be a whole number"
    return None


def _weaker(ind: Any, req: Requirement, below: Requirement) -> bool:
    if ind.type is IndicatorType.BOOLEAN:
        return False
    value, lower = float(req.threshold or 0), float(below.threshold or 0)
    return value < lower if ind.direction == "higher" else value > lower


def _counts(fw: LevelFramework, locate: Locate) -> list[Problem]:
    out = []
    actual = Counter(c.pillar for c in fw.criteria)
    for pillar in fw.pillars:
        if pillar.count is not None and actual[pillar.id] != pillar.count:
            out.append(
                locate(
                    "wrong-count",
                    f"Trụ cột «{pillar.name}» khai báo {pillar.count} tiêu chí nhưng có {actual[pillar.id]}; nếu đúng "
                    f"là {actual[pillar.id]}, ghi «pillars: [{{id: {pillar.id}, count: {actual[pillar.id]}}}]»",
                    f"Pillar '{pillar.id}' declares {pillar.count} criteria but has {actual[pillar.id]}; if "
                    f"{actual[pillar.id]} is right, write 'pillars: [{{id: {pillar.id}, count: {actual[pillar.id]}}}]'",
                    ("pillars", pillar.id, "count"),
                    expected=str(pillar.count),
                    found=str(actual[pillar.id]),
                )
            )
    return out


def _mappings(fw: LevelFramework, locate: Locate) -> list[Problem]:
    """A mapping's targets are this version's criteria; it maps from another version."""
    out = []
    for i, mapping in enumerate(fw.mappings):
        if mapping.from_ == fw.ref:
            out.append(
                locate(
                    "mapping-to-itself",
                    f"Ánh xạ từ chính phiên bản này ({fw.ref})",
                    f"A mapping from this very version ({fw.ref})",
                    ("mappings", i, "from"),
                )
            )
        for j, entry in enumerate(mapping.criteria):
            for code in entry.to:
                if code not in fw.criterion_by_code:
                    vi_hint, en_hint = hint(code, fw.criterion_by_code)
                    out.append(
                        locate(
                            "unknown-mapping-target",
                            f"Ánh xạ từ {mapping.from_}: {code} không phải tiêu chí của {fw.ref}{vi_hint}",
                            f"Mapping from {mapping.from_}: {code} is not a criterion of {fw.ref}{en_hint}",
                            ("mappings", i, "criteria", j, "to"),
                            found=code,
                        )
                    )
    return out


def _rationales(fw: LevelFramework, locate: Locate) -> list[Problem]:
    """A threshold without a reason cannot be checked by the people it is applied to."""
    out = []
    for crit in fw.criteria:
        bare = [lv for lv in fw.level_ids if lv in crit.requirements and _unreasoned(crit.requirements[lv])]
        if bare:
            out.append(
                locate(
                    "no-rationale",
                    f"Tiêu chí {crit.code}: ngưỡng ở mức {', '.join(bare)} chưa có lý do (rationale)",
                    f"Criterion {crit.code}: the threshold at {', '.join(bare)} has no rationale",
                    ("criteria", crit.code, "requirements", bare[0]),
                    severity="warning",
                )
            )
    return out


def _unreasoned(req: Requirement) -> bool:
    return req.known and not req.rationale and req.source is None


def _completeness(fw: LevelFramework, locate: Locate) -> list[Problem]:
    unnamed = [c.code for c in fw.criteria if c.name is None]
    no_indicator = [c.code for c in fw.criteria if c.indicator is None]
    no_levels = [c.code for c in fw.criteria if not c.requirements]
    unknown_thresholds = [
        c.code for c in fw.criteria if c.requirements and not all(r.known for r in c.requirements.values())
    ]
    partial = fw.status is FrameworkStatus.PARTIAL
    severity = "warning" if partial else "error"
    out = []
    for codes, vi, en in (
        (unnamed, "chưa có tên (không có nguồn)", "have no name (no source available)"),
        (no_indicator, "chưa có chỉ tiêu đo lường", "have no measurable indicator"),
        (
            no_levels,
            "chưa có yêu cầu theo mức độ (thiếu phụ lục ngưỡng)",
            "have no per-level requirement (threshold annex missing)",
        ),
        (unknown_thresholds, "có ngưỡng chưa biết (null)", "have unknown (null) thresholds"),
    ):
        if codes:
            listed = ", ".join(codes)
            out.append(
                locate(
                    "incomplete",
                    f"{len(codes)}/{len(fw.criteria)} tiêu chí {vi}: {listed}",
                    f"{len(codes)} of {len(fw.criteria)} criteria {en}: {listed}",
                    ("criteria",),
                    severity=severity,
                )
            )
    return out


def _target_years(fw: LevelFramework, locate: Locate) -> list[Problem]:
    """A higher level cannot be due before a lower one (Toàn diện 2025 after Nâng cao 2030 is a contradiction)."""
    out = []
    latest: tuple[str, int] | None = None
    for lv in fw.levels:
        if lv.target_year is None:
            continue
        if latest is not None and lv.target_year.year < latest[1]:
            out.append(
                locate(
                    "target-years-decrease",
                    f"Năm mục tiêu của mức {lv.name} ({lv.target_year.year}) sớm hơn của mức {latest[0]} ({latest[1]})",
                    f"Level {lv.id} is due in {lv.target_year.year}, before level {latest[0]} ({latest[1]})",
                    ("levels", lv.id, "target_year"),
                    expected=f"≥ {latest[1]}",
                    found=str(lv.target_year.year),
                )
            )
        latest = (lv.name, lv.target_year.year)
    return out
