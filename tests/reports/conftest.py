"""Reports are rendered once per session from the bundled samples; tests open the produced bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from certify.catalog import Catalog, bundled_root
from certify.levels.assessment import bind
from certify.levels.evaluate import Evaluation, evaluate
from certify.levels.gap import GapReport, gap_report
from certify.levels.intake import load_unit
from certify.levels.model import LevelFramework

SAMPLES = bundled_root("samples") / "assessments"
BANNER = "Bộ tiêu chí mẫu — không phải ngưỡng chính thức"


@pytest.fixture(scope="session")
def report_catalog() -> Catalog:
    return Catalog([bundled_root("frameworks")])


def load(name: str, catalog: Catalog) -> Evaluation:
    resolved, bound = load_unit(SAMPLES / name, catalog)
    return evaluate(resolved, bound)


@pytest.fixture(scope="session")
def tan_my(report_catalog: Catalog) -> GapReport:
    """Xã Tân Mỹ, huyện Trà Ôn: certified Cơ bản, 26 criteria short of Nâng cao, evidence on two criteria."""
    return gap_report(load("2024-xa-tan-my.yaml", report_catalog))


@pytest.fixture(scope="session")
def tan_my_top(report_catalog: Catalog) -> GapReport:
    """Tân Mỹ without its own target level: the roadmap runs to Toàn diện, due 2030 in the sample set."""
    resolved, unit = load_unit(SAMPLES / "2024-xa-tan-my.yaml", report_catalog)
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    unit = bind(fw, unit.assessment.model_copy(update={"target_level": None}), name=unit.source_name)
    return gap_report(evaluate(resolved, unit))


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES
