"""Forms for tests: a template for the sample commune framework and sample values to fill it with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from certify.catalog import Resolved, default_catalog
from certify.intake.samples import fill_unit_form
from certify.intake.template import write_unit_form
from certify.levels.model import LevelFramework

ROOT = Path(__file__).resolve().parents[2]
FW = "sample-2361-commune"
SAMPLE = ROOT / "samples" / "assessments" / "2024-xa-cai-nhum.yaml"


def resolved() -> Resolved:
    return default_catalog().load(FW)


def levels(r: Resolved) -> LevelFramework:
    assert isinstance(r.framework, LevelFramework)
    return r.framework


def sample_values() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["values"]
    return data


def filled_form(
    tmp: Path,
    code: str,
    values: dict[str, Any] | None = None,
    name: str = "form.xlsx",
    year: int = 2024,
    unit_map: str = "pre2025",
) -> Path:
    r = resolved()
    template = write_unit_form(r, tmp / f"template-{year}.xlsx", year=year, unit_map=unit_map)
    return fill_unit_form(
        template, tmp / name, levels(r), unit_code=code, values=sample_values() if values is None else values
    )
