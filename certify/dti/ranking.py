"""Competition ranking ("1, 2, 2, 4") within ranking groups, and classification bands.

Values are compared as published: rounded HALF-UP to 4 decimals, so two units that show the
same value share a rank even if their unrounded points differ in the fifth decimal
(dti.gov.vn 2022: «15 Thanh Hóa, 15 Yên Bái, 17 Hậu Giang»).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from certify.dti.methods.base import BoolArray, FloatArray, IntArray
from certify.dti.model import Band
from certify.dti.numbers import VALUE_DECIMALS, half_up
from certify.numbers import round_half_up_scaled


def rank_keys(values: FloatArray, places: int = VALUE_DECIMALS) -> IntArray:
    """Integer comparison keys: the value as displayed, times 10^places (`half_up`, for the whole cohort at once:
    `round_half_up_scaled` is exact)."""
    array = np.asarray(values, dtype=np.float64)
    if not np.isfinite(array).all():  # never a score; refused as the one-value rounding refuses it
        return np.array([int(half_up(float(v), places) * 10**places) for v in array], dtype=np.int64)
    return round_half_up_scaled(array, places)


def competition_ranks(values: FloatArray, groups: Sequence[str] = (), ranked: BoolArray | None = None) -> IntArray:
    """Rank 1 = highest; ties share a rank and the next rank is skipped; 0 = not ranked."""
    n = len(values)
    keys = rank_keys(values)
    ranks = np.zeros(n, dtype=np.int64)
    take = np.ones(n, dtype=bool) if ranked is None else ranked
    labels = np.asarray(groups, dtype=str) if len(groups) else np.zeros(n, dtype=str)
    for group in sorted(set(labels[take].tolist())):  # (np.unique would load numpy.ma for this)
        members = np.flatnonzero(take & (labels == group))
        desc = np.sort(-keys[members])
        # rank = 1 + number of members with a strictly higher key
        ranks[members] = np.searchsorted(desc, -keys[members], side="left") + 1
    return ranks


def classify(values: FloatArray, bands: Sequence[Band]) -> list[str | None]:
    """The first band (highest first) whose threshold the displayed value reaches."""
    scale = 10**VALUE_DECIMALS
    thresholds = [(b.id, int(half_up(b.min, VALUE_DECIMALS) * scale)) for b in bands if b.min is not None]
    return [next((band for band, least in thresholds if key >= least), None) for key in rank_keys(values).tolist()]
