"""Shared fixtures: the shipped DTI frameworks, loaded through the catalog like any user's."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from certify.catalog import Catalog
from certify.dti.cohort import cohort_from_records
from certify.dti.model import DtiFramework
from certify.dti.results import Results
from certify.dti.scoring import score_cohort

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"

Score = Callable[[Sequence[Mapping[str, Any]]], Results]


def load(ref: str, roots: list[Path] | None = None) -> DtiFramework:
    fw = Catalog(roots or [FRAMEWORKS]).load(ref).framework
    assert isinstance(fw, DtiFramework)
    return fw


@pytest.fixture(scope="session")
def vl() -> DtiFramework:
    return load("vinh-long-2554-province")


@pytest.fixture(scope="session")
def national() -> DtiFramework:
    return load("national-922-province")


@pytest.fixture
def score(vl: DtiFramework) -> Score:
    """Score records (one dict per unit) on the Vĩnh Long framework."""

    def run(records: Sequence[Mapping[str, Any]]) -> Results:
        return score_cohort(vl, cohort_from_records(records, vl.plan))

    return run


def points(results: Results, unit: str, code: str) -> float:
    assert results.detail is not None
    return float(results.detail.points[code][results.units.index(unit)])


def explain(results: Results, unit: str, code: str) -> str:
    assert results.detail is not None
    return results.detail.explain(results.units.index(unit), code)
