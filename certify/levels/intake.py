"""From an assessment file to a bound assessment and its framework, with located errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from certify.catalog import Catalog, Resolved, split_ref
from certify.errors import CertifyError, Problem
from certify.levels.assessment import Assessment, BoundAssessment, BoundCohort, CohortBinder, FrameworkRef, Intake
from certify.levels.compiled import compile_framework
from certify.levels.model import LevelFramework
from certify.sourcefile import read_file, validate_model


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


@dataclass
class FileCohort:
    """The units of one framework read from files: their framework, their files, their bound values."""

    resolved: Resolved
    sources: list[str]
    cohort: BoundCohort


Progress = Callable[[int, int], None]  # (done, total)


def load_units(
    paths: Sequence[Path], catalog: Catalog, framework: str | None = None, progress: Progress | None = None
) -> tuple[list[FileCohort], list[Problem]]:
    """Assessment files read one at a time and bound into one cohort per framework (a chunk of files at a time,
    so that a folder of a hundred thousand is never held parsed); every problem, file after file.

    `framework` (id[@version]) re-evaluates the same values against another version or a province's
    localisation, without editing the files. Each framework is looked up once."""
    seen: dict[tuple[str, str | None], tuple[Resolved, CohortBinder, list[str]]] = {}
    problems: dict[int, list[Problem]] = {}
    at: dict[int, tuple[tuple[str, str | None], int]] = {}  # file → its framework and place among its intakes
    override = split_ref(framework) if framework is not None else None
    for i, path in enumerate(paths):
        try:
            key, intake = _intake(path, override)
            group = seen.get(key)
            if group is None:
                resolved = _framework(catalog, key, intake)
                fw = resolved.framework
                assert isinstance(fw, LevelFramework)
                group = seen[key] = (resolved, CohortBinder(fw), [])
        except CertifyError as exc:
            problems[i] = list(exc.problems)
        else:
            at[i] = (key, group[1].add(intake))
            group[2].append(str(path))
        if progress is not None and ((i + 1) % 200 == 0 or i + 1 == len(paths)):
            progress(i + 1, len(paths))
    cohorts = []
    for key, (resolved, binder, sources) in seen.items():
        bound = binder.finish()
        for i, (k, place) in at.items():
            if k == key and place in bound.refused:
                problems[i] = bound.refused[place]
        cohorts.append(FileCohort(resolved, [sources[p] for p in bound.positions], bound.cohort))
    return cohorts, [p for i in sorted(problems) for p in problems[i]]


def _intake(path: Path, override: tuple[str, str | None] | None) -> tuple[tuple[str, str | None], Intake]:
    """A file read, with the framework its values are for; checked as an assessment now only when the
    framework is not written plainly or another is asked for (else when bound, with the rest of its chunk)."""
    doc = read_file(path)
    ref = doc.data.get("framework") if isinstance(doc.data, dict) else None
    if override is None and isinstance(ref, str):
        return split_ref(ref), Intake(doc.data, doc)
    assessment = validate_model(Assessment, doc.data, doc)
    entered_for = assessment.framework
    if override is not None:
        assessment = assessment.model_copy(update={"framework": FrameworkRef(id=override[0], version=override[1])})
    return (assessment.framework.id, assessment.framework.version), Intake(assessment, doc, entered_for=entered_for)


def _framework(catalog: Catalog, key: tuple[str, str | None], intake: Intake) -> Resolved:
    """The framework of a file, refused at the file's `framework` line (after the file's own problems)."""
    try:
        return level_framework(catalog, *key)
    except CertifyError as exc:
        doc = intake.doc
        assert doc is not None
        if not isinstance(intake.data, Assessment):
            validate_model(Assessment, intake.data, doc)  # a file that is not an assessment is told so first
        raise CertifyError(
            [doc.problem(p.code, p.vi, p.en, p.path, expected=p.expected, found=p.found) for p in exc.problems]
        ) from None


def load_unit(path: Path, catalog: Catalog, framework: str | None = None) -> tuple[Resolved, BoundAssessment]:
    """One assessment file, checked and bound (`load_units` of one file)."""
    cohorts, problems = load_units([path], catalog, framework)
    if problems:
        raise CertifyError(problems)
    return cohorts[0].resolved, cohorts[0].cohort[0]
