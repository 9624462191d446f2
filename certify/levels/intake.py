"""From an assessment file to a bound assessment and its framework, with located errors."""

from __future__ import annotations

from pathlib import Path

from certify.catalog import Catalog, Resolved
from certify.errors import CertifyError
from certify.levels.assessment import BoundAssessment, bind, load_assessment
from certify.levels.compiled import compile_framework
from certify.levels.model import LevelFramework


def load_unit(path: Path, catalog: Catalog) -> tuple[Resolved, BoundAssessment]:
    assessment, doc = load_assessment(path)
    try:
        resolved = catalog.load(assessment.framework.id, assessment.framework.version)
        if isinstance(resolved.framework, LevelFramework):
            compile_framework(resolved)  # a partial framework is refused here, naming the field
    except CertifyError as exc:
        raise CertifyError([doc.problem(p.code, p.vi, p.en, ("framework",), expected=p.expected, found=p.found)
                            for p in exc.problems]) from None
    if not isinstance(resolved.framework, LevelFramework):
        raise CertifyError([doc.problem("wrong-kind", "Bộ tiêu chí này là bộ chấm điểm DTI, không phải theo mức độ",
                                        "This framework is a DTI point scale, not a level framework",
                                        ("framework",), expected="kind: levels", found=resolved.framework.kind)])
    return resolved, bind(resolved.framework, assessment, doc)
