"""Case files: a framework's expected results, written beside it (`<id>/cases/*.yaml`) and run anywhere.

Like OpenFisca's YAML tests: whoever writes a province's framework writes what it must give for a few
units, with no Python. `certify frameworks test [ID|PATH]` and the pytest plugin (the root conftest.py)
both run them through `run_case_file`, so a case passes or fails the same way everywhere. Each kind
runs its own cases (`Kind.run_case`); the runner gets the case's data and its located file.

A case file has `description:` (what the case shows) and the keys of its kind; for `levels`:
`assessment:` (an assessment, as in a unit's file) and `expect:` (see `certify.levels.cases`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from certify.catalog import Catalog, Entry, Resolved, default_roots
from certify.errors import CertifyError, Problem
from certify.kinds import get_kind
from certify.sourcefile import SourceDoc, read_file
from certify.suggest import hint

CASES = "cases"
# (the case's data, its file with lines, a catalog that sees the case's own folder first, the framework the
# case belongs to) → the expectations that did not hold, one sentence each. Raises CertifyError if the case
# file itself is wrong (a bad key, an assessment that does not validate when none was expected to fail).
CaseRunner = Callable[[dict[str, Any], SourceDoc, Catalog, Resolved], list[str]]


@dataclass(frozen=True)
class CaseResult:
    path: Path
    framework: str | None
    description: str
    failures: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.failures and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": str(self.path),
            "framework": self.framework,
            "description": self.description,
            "ok": self.ok,
            "failures": list(self.failures),
            "errors": [p.to_dict() for p in self.problems],
        }


def catalog_for(folder: Path) -> Catalog:
    """A catalog that sees `folder`'s root first (so its frameworks win), then the usual roots."""
    root = folder.resolve()
    roots = [root, *(r for r in default_roots() if r.resolve() != root)]
    return Catalog(roots)


def is_case_file(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml") and path.parent.name == CASES and any(path.parent.parent.glob("*.yaml"))


def case_files(folder: Path) -> list[Path]:
    """The case files of one framework folder (`<id>/cases/*.yaml`)."""
    cases = folder / CASES
    return sorted(p for p in cases.glob("*.y*ml") if p.is_file()) if cases.is_dir() else []


def framework_folders(path: Path) -> list[Path]:
    """`path` is a framework folder (holds `<version>.yaml`) or a root of such folders."""
    if any(path.glob("*.yaml")):
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and any(p.glob("*.yaml")))


def run_case_file(path: Path, catalog: Catalog | None = None) -> CaseResult:
    """Run one case file against the framework of the folder it sits in."""
    folder = path.resolve().parent.parent
    catalog = catalog or catalog_for(folder.parent)
    description = ""
    try:
        doc = read_file(path)
        data = doc.data
        if not isinstance(data, dict):
            raise CertifyError([doc.problem("not-a-mapping", "Tệp phải là bảng khóa–giá trị", "Not a mapping")])
        description = str(data.get("description") or "")
        resolved = catalog.load(folder.name)
        kind = get_kind(resolved.framework.kind)
        if kind is None or kind.run_case is None:
            raise CertifyError.one(
                "no-case-runner",
                f"Chưa có cách chạy tệp kiểm thử cho loại «{resolved.framework.kind}»",
                f"No case runner for kind '{resolved.framework.kind}'",
                file=str(path),
            )
        failures = kind.run_case(data, doc, catalog, resolved)
    except CertifyError as exc:
        return CaseResult(path, folder.name, description, problems=tuple(exc.problems))
    return CaseResult(path, resolved.framework.ref, description, tuple(failures))


def run_folder(path: Path) -> list[CaseResult]:
    """Every case of a framework folder or of a root of framework folders."""
    folders = framework_folders(path)
    if not folders:
        return []
    catalog = catalog_for(folders[0].parent)
    return [run_case_file(case, catalog) for folder in folders for case in case_files(folder)]


def run_target(target: str | None, catalog: Catalog) -> list[CaseResult]:
    """`certify frameworks test [ID|PATH]`: a folder anywhere, a framework id, or every framework."""
    if target is None:
        return [r for root in catalog.roots if root.is_dir() for r in run_folder(root)]
    path = Path(target)
    if path.exists():
        if path.is_file():
            return [run_case_file(path)]
        return run_folder(path)
    entry: Entry = catalog.find(target)
    return run_folder(entry.path.parent)


def expect_keys(expect: Any, allowed: Sequence[str], doc: SourceDoc, where: str = "expect") -> dict[str, Any]:
    """The `expect:` mapping of a case (with `where=""`: the case's own keys), refusing keys no runner
    reads, with the key meant."""
    if not isinstance(expect, dict):
        raise CertifyError(
            [doc.problem("bad-expect", "«expect» phải là bảng khóa–giá trị", "'expect' must be a mapping", (where,))]
        )
    problems = []
    for key in expect:
        if key not in allowed:
            vi_hint, en_hint = hint(str(key), allowed)
            problems.append(
                doc.problem(
                    "unknown-expectation",
                    f"Không có kỳ vọng «{key}»{vi_hint}",
                    f"Unknown expectation '{key}'{en_hint}",
                    (where, key) if where else (key,),
                    expected=", ".join(allowed),
                    found=str(key),
                )
            )
    if problems:
        raise CertifyError(problems)
    return expect


def extra_roots() -> Iterator[Path]:
    """Framework roots named in CERTIFY_FRAMEWORKS (for the pytest plugin)."""
    for part in os.environ.get("CERTIFY_FRAMEWORKS", "").split(os.pathsep):
        if part and Path(part).is_dir():
            yield Path(part)
