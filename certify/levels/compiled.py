"""A level framework turned into arrays, so a whole province (or nation) evaluates at once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from certify.catalog import Resolved
from certify.derived import cached_on
from certify.errors import CertifyError
from certify.levels.graph import plan_order
from certify.levels.model import LevelFramework, LevelRule, NotApplicablePolicy

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int8]
IndexArray = npt.NDArray[np.intp]

NA_CODE = {NotApplicablePolicy.EXCLUDE: 0, NotApplicablePolicy.DEEM_MET: 1, NotApplicablePolicy.NOT_ALLOWED: 2}


@dataclass(frozen=True)
class Compiled:
    resolved: Resolved
    codes: tuple[str, ...]
    applies: BoolArray  # [level, criterion]
    thresholds: FloatArray  # [level, criterion], sign-adjusted so that "met" is always value >= threshold
    sign: FloatArray  # [criterion]: +1 higher is better, -1 lower is better
    mandatory: BoolArray  # [criterion]
    na_policy: IntArray  # [criterion], see NA_CODE

    @property
    def fw(self) -> LevelFramework:
        fw = self.resolved.framework
        assert isinstance(fw, LevelFramework)
        return fw

    @cached_property
    def index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}

    @cached_property
    def applicable(self) -> tuple[IndexArray, ...]:
        """Per level, the indices of the criteria that apply there."""
        return tuple(np.flatnonzero(row) for row in self.applies)

    @cached_property
    def codes_array(self) -> npt.NDArray[np.str_]:
        return np.array(self.codes)

    @cached_property
    def applicable_codes(self) -> tuple[list[str], ...]:
        """Per level, the codes of the criteria that apply there (in `applicable`'s order)."""
        return tuple(self.codes_array[idx].tolist() for idx in self.applicable)

    @cached_property
    def order(self) -> dict[str, int]:
        return plan_order(self.fw)

    @property
    def rule(self) -> LevelRule:
        return self.fw.rules.level_rule


def compile_framework(resolved: Resolved) -> Compiled:
    return cached_on(resolved, "compiled", lambda: _compile(resolved))


def _compile(resolved: Resolved) -> Compiled:
    fw = resolved.framework
    if not isinstance(fw, LevelFramework):
        raise CertifyError.one(
            "wrong-kind",
            f"«{fw.id}» không phải bộ tiêu chí theo mức độ",
            f"'{fw.id}' is not a level framework",
            expected="kind: levels",
            found=fw.kind,
        )
    if not fw.thresholds_complete:
        raise CertifyError.one(
            "incomplete-framework",
            f"Bộ tiêu chí {fw.ref} ({fw.status.value}) chưa có đủ tiêu chí và ngưỡng theo mức độ nên không thể "
            f"đánh giá; hãy dùng bộ tiêu chí của tỉnh hoặc bộ mẫu kế thừa nó (extends: {fw.id})",
            f"Framework {fw.ref} ({fw.status.value}) lacks criteria or per-level thresholds, so no unit can be "
            f"certified against it; use a provincial set or a sample that extends it (extends: {fw.id})",
            found=fw.ref,
        )
    n_levels, n_crit = len(fw.levels), len(fw.criteria)
    applies = np.zeros((n_levels, n_crit), dtype=np.bool_)
    thresholds = np.full((n_levels, n_crit), np.inf)
    sign = np.ones(n_crit)
    for c, crit in enumerate(fw.criteria):
        assert crit.indicator is not None
        sign[c] = -1.0 if crit.indicator.direction == "lower" else 1.0
        for li, level in enumerate(fw.level_ids):
            req = crit.requirements.get(level)
            if req is not None and req.threshold is not None:
                applies[li, c] = True
                thresholds[li, c] = sign[c] * float(req.threshold)
    return Compiled(
        resolved=resolved,
        codes=tuple(c.code for c in fw.criteria),
        applies=applies,
        thresholds=thresholds,
        sign=sign,
        mandatory=np.array([c.mandatory for c in fw.criteria], dtype=np.bool_),
        na_policy=np.array([NA_CODE[fw.na_policy(c)] for c in fw.criteria], dtype=np.int8),
    )
