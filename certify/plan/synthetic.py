"""Synthetic cohorts on a level framework: for benchmarks and property tests, never for a real unit.

Each unit is drawn around one level: it meets that level's thresholds on every criterion except a few, which
fall short (or go missing); the rest of its values lie anywhere between the level's and the next one's.
"""

from __future__ import annotations

import numpy as np

from certify.levels.compiled import BoolArray, Compiled, FloatArray
from certify.levels.model import IndicatorType


def synthetic_values(
    cf: Compiled, n: int, seed: int = 0, short: float = 2.0, missing: float = 0.01
) -> tuple[FloatArray, BoolArray]:
    """`n` units' values [n, C] and not-applicable claims; on average `short` criteria below the unit's level."""
    rng = np.random.default_rng(seed)
    n_levels, n_crit = cf.thresholds.shape
    finite = np.where(np.isfinite(cf.thresholds), cf.thresholds, np.nan)  # signed, [L, C]
    floor = np.nanmin(finite, axis=0)
    floor = np.where(np.isnan(floor), 0.0, floor)
    # the threshold of each level a criterion must meet, carried down from the first level it applies at
    need = np.where(np.isnan(finite), np.nan, finite)
    need = np.fmax.accumulate(np.nan_to_num(need, nan=-np.inf), axis=0)
    need = np.where(np.isfinite(need), need, floor[None, :] - 1.0)
    level = rng.integers(-1, n_levels, n)
    low = np.where(level[:, None] >= 0, need[np.maximum(level, 0)], floor[None, :] - 1.0)
    high = np.where(level[:, None] + 1 < n_levels, need[np.minimum(level + 1, n_levels - 1)], low)
    signed = low + rng.random((n, n_crit)) * np.maximum(high - low, 0.0)
    below = rng.random((n, n_crit)) < short / n_crit
    signed = np.where(below, low - np.abs(low) * rng.uniform(0.05, 0.3, (n, n_crit)) - 0.01, signed)
    values = signed * cf.sign[None, :]
    kinds = [c.indicator.type if c.indicator else IndicatorType.NUMBER for c in cf.fw.criteria]
    for c, kind in enumerate(kinds):
        col = values[:, c]
        if kind is IndicatorType.BOOLEAN:
            values[:, c] = (col >= 0.5).astype(float)
        elif kind is IndicatorType.RATIO:
            values[:, c] = np.clip(col, 0.0, 1.0)
        elif kind is IndicatorType.COUNT:
            values[:, c] = np.maximum(np.ceil(col), 0.0)
        else:
            values[:, c] = np.maximum(col, 0.0)
    values[rng.random((n, n_crit)) < missing] = np.nan
    return values, np.zeros((n, n_crit), dtype=np.bool_)
