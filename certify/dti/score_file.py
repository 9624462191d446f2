"""Scoring a cohort file as the framework asks: criterion-level columns, or main-index values (`--index-level`)."""

from __future__ import annotations

from pathlib import Path

from certify.catalog import Catalog, Resolved, default_catalog
from certify.dti.aggregate import score_index_level
from certify.dti.cohort import cohort_from_table
from certify.dti.index_input import index_cohort_from_table
from certify.dti.model import DtiFramework
from certify.dti.plan import plan_for
from certify.dti.results import Results
from certify.dti.scoring import score_cohort
from certify.dti.table import Table, read_table
from certify.errors import CertifyError


def score_table(table: Table, fw: DtiFramework, index_level: bool | None = None) -> Results:
    """`index_level=None`: main-index input exactly when the framework has no criteria."""
    if fw.index_level_only if index_level is None else index_level:
        return score_index_level(fw, index_cohort_from_table(table, fw))
    return score_cohort(fw, cohort_from_table(table, plan_for(fw)))


def score_file(path: Path, fw: DtiFramework, index_level: bool | None = None) -> Results:
    return score_table(read_table(path), fw, index_level)


def load_dti(ref: str, catalog: Catalog | None = None) -> Resolved:
    """The catalog entry `ref`, refused unless it is a point-based DTI framework."""
    resolved = (catalog or default_catalog()).load(ref)
    fw = resolved.framework
    if not isinstance(fw, DtiFramework):
        raise CertifyError.one(
            "not-dti",
            f"«{fw.ref}» không phải bộ chỉ số DTI chấm điểm (kind: {fw.kind})",
            f"'{fw.ref}' is not a point-based DTI framework (kind: {fw.kind})",
            expected="kind: dti",
            found=f"kind: {fw.kind}",
        )
    return resolved
