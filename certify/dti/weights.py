"""Weights of a DTI framework: from main-index points to the weighted DTI value.

DTI = Σ wᵢ·vᵢ / Σ wᵢ with vᵢ = index points ÷ index maximum; bonus and penalty groups are capped
at their `max_points` and added or taken as they are; a framework's `denominator` replaces the
nominal Σ wᵢ. See certify.dti.aggregate for the whole rule.
"""

from __future__ import annotations

import numpy as np

from certify.dti.methods.base import FloatArray
from certify.dti.model import DtiFramework, IndexRole


def per_point(fw: DtiFramework) -> FloatArray:
    """Weight per point of each scored index (0 for bonus and penalty groups)."""
    top = np.array([i.max_points for i in fw.indices])
    weight = np.array([i.effective_weight for i in fw.indices])
    return np.divide(weight, top, out=np.zeros_like(weight), where=top > 0)  # type: ignore[no-any-return]


def cap_adjustments(fw: DtiFramework, index_points: FloatArray) -> FloatArray:
    """Bonus and penalty groups held to their `max_points` («tối đa»), in place; scored indices untouched."""
    for k, index in enumerate(fw.indices):
        if index.role is not IndexRole.SCORED:
            np.clip(index_points[:, k], 0, index.max_points, out=index_points[:, k])
    return index_points


def denominators(fw: DtiFramework, index_max: FloatArray) -> FloatArray:
    """What each unit's weighted points are divided by: its weighted maximum, or the framework's denominator
    less what the unit's irrelevant criteria took out of its maximum."""
    own = index_max @ per_point(fw)
    if fw.denominator is None:
        return own
    nominal = sum(i.effective_weight for i in fw.indices)
    return fw.denominator - (nominal - own)


def weighted_value(fw: DtiFramework, index_points: FloatArray, index_max: FloatArray) -> FloatArray:
    signs = np.array([i.sign if i.role is not IndexRole.SCORED else 0.0 for i in fw.indices])
    num = index_points @ per_point(fw) + index_points @ signs
    den = denominators(fw, index_max)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)  # type: ignore[no-any-return]
