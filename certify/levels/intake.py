"""From an assessment file to a bound assessment and its framework, with located errors."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from certify.catalog import Catalog, Resolved, split_ref
from certify.errors import CertifyError
from certify.levels.assessment import BoundAssessment, FrameworkRef, bind, load_assessment
from certify.levels.compiled import compile_framework
from certify.levels.model import LevelFramework


def level_framework(catalog: Catalog, ident: str, version: str | None) -> Resolved:
    """The framework an assessment names; refused at the path `framework` if unknown, partial or not levels."""
    try:
        resolved = catalog.load(ident, version)
        if isinstance(resolved.framework, LevelFramework):
            compile_framework(resolved)  # a partial framework is refused here, naming what is missing
    except CertifyError as exc:
        raise CertifyError([replace(p, path=("framework",)) for p in exc.problems]) from None
    if not isinstance(resolved.framework, LevelFramework):
        raise CertifyError.one(
            "wrong-kind",
            "Bộ tiêu chí này là bộ chấm điểm DTI, không phải theo mức độ",
            "This framework is a DTI point scale, not a level framework",
            path=("framework",),
            expected="kind: levels",
            found=resolved.framework.kind,
        )
    return resolved


def load_unit(
    path: Path,
    catalog: Catalog,
    framework: str | None = None,
    seen: dict[tuple[str, str | None], Resolved] | None = None,
) -> tuple[Resolved, BoundAssessment]:
    """`framework` (id[@version]) re-evaluates the same values against another version or a
    province's localisation, without editing the file. `seen`: frameworks already found for earlier
    files of a batch (filled here), so that ten thousand files look their framework up once."""
    assessment, doc = load_assessment(path)
    entered_for = assessment.framework
    if framework is not None:
        ident, version = split_ref(framework)
        assessment = assessment.model_copy(update={"framework": FrameworkRef(id=ident, version=version)})
    key = (assessment.framework.id, assessment.framework.version)
    try:
        resolved = seen.get(key) if seen is not None else None
        if resolved is None:
            resolved = level_framework(catalog, *key)
            if seen is not None:
                seen[key] = resolved
    except CertifyError as exc:
        raise CertifyError(
            [doc.problem(p.code, p.vi, p.en, p.path, expected=p.expected, found=p.found) for p in exc.problems]
        ) from None
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    return resolved, bind(fw, assessment, doc, entered_for=entered_for)
