"""The province what-if's inputs: a folder of assessment files or a stored cycle → one `ProvincePlan`.

Shared by `certify plan --province`, the web page and `POST /api/plan/simulate`, so the three answer alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from certify.errors import CertifyError
from certify.plan.dti import DtiLevers
from certify.plan.province import Proposal, ProvincePlan, province_plan
from reports.from_store import REPORTED, StoredCycle


def from_folder(
    folder: Path,
    data_year: int | None,
    tier: str | None,
    steps: int,
    proposals: Sequence[Proposal],
    plan_year: int | None,
    dti: DtiLevers | None = None,
) -> ProvincePlan:
    from reports.inputs import district_of, load_folder, province_of

    evaluations = load_folder(folder)
    years = sorted({e.unit.assessment.year for e in evaluations})
    year = data_year or years[-1]
    chosen = [e for e in evaluations if e.unit.assessment.year == year]
    if not chosen:
        raise CertifyError.one(
            "no-such-year",
            f"Không có đánh giá năm {year}",
            f"No assessment for {year}",
            expected=", ".join(map(str, years)),
            found=str(year),
        )
    tiers = sorted({e.unit.assessment.tier.value for e in chosen})
    if tier is not None:
        chosen = [e for e in chosen if e.unit.assessment.tier.value == tier]
    elif len(tiers) > 1:
        raise CertifyError.one(
            "mixed-tiers",
            f"Thư mục có đánh giá năm {year} của nhiều cấp: chọn một cấp với --tier",
            f"The folder holds {year} assessments of several tiers: choose one with --tier",
            expected=" | ".join(tiers),
        )
    if not chosen:
        raise CertifyError.one(
            "no-such-tier",
            f"Không có đánh giá cấp «{tier}» năm {year}",
            f"No {tier} assessment for {year}",
            expected=" | ".join(tiers),
            found=str(tier),
        )
    return province_plan(
        chosen,
        groups=[district_of(e) for e in chosen],
        steps=steps,
        proposals=proposals,
        province=province_of(chosen),
        plan_year=plan_year,
        dti=dti,
    )


def from_stored(
    stored: StoredCycle,
    steps: int = 5,
    proposals: Sequence[Proposal] = (),
    plan_year: int | None = None,
    dti: DtiLevers | None = None,
) -> ProvincePlan:
    """Every unit of the cycle with figures (drafts included, and said so in the report's note)."""
    cycle = stored.cycle.id
    if not stored.evaluations:
        raise CertifyError.one(
            "empty-cycle",
            f"Kỳ đánh giá {cycle} chưa có đơn vị nào có số liệu",
            f"Cycle {cycle} has no unit with figures yet",
            found=str(cycle),
        )
    drafts = sum(1 for u in stored.units.values() if u.state not in REPORTED)
    note = f"gồm {drafts} đơn vị chưa gửi số liệu (bản nháp)" if drafts else None
    return province_plan(
        stored.evaluations,
        groups=[stored.units[e.unit.assessment.unit].district for e in stored.evaluations],
        steps=steps,
        proposals=proposals,
        province=stored.province,
        plan_year=plan_year,
        note=note,
        dti=dti,
    )


def dti_side(cohort_file: Path, framework: str, unit: str | None = None) -> DtiLevers:
    """The DTI levers from a criterion-level cohort file (CSV/XLSX) scored on `framework`."""
    from certify.dti.cohort import cohort_from_table
    from certify.dti.model import DtiFramework
    from certify.dti.plan import plan_for
    from certify.dti.score_file import load_dti
    from certify.dti.table import read_table
    from certify.plan.dti import dti_levers

    fw = load_dti(framework).framework
    assert isinstance(fw, DtiFramework)
    return dti_levers(fw, cohort_from_table(read_table(cohort_file), plan_for(fw)), unit)
