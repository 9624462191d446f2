"""Every broken framework is refused with a message naming file, place and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from certify.catalog import Catalog
from certify.errors import errors_only

CORPUS = sorted((Path(__file__).parent / "bad_frameworks").glob("*.yaml"))


def expectation(path: Path) -> tuple[str, list[str]]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    code, *fragments = first.removeprefix("# expect:").split()
    return code, fragments


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_broken_framework_rejected_precisely(path: Path, catalog: Catalog) -> None:
    code, fragments = expectation(path)
    _, problems = catalog.check_path(path)
    errors = errors_only(problems)
    assert errors, f"{path.name} was accepted"
    matching = [p for p in errors if p.code.startswith(code)]
    assert matching, f"expected a {code} problem, got {[p.code for p in errors]}"
    problem = matching[0]
    message = problem.message()
    assert problem.file is not None and Path(problem.file).name == path.name, message
    assert problem.line is not None, message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert problem.vi and problem.en and problem.vi != problem.en


def test_corpus_covers_the_required_error_kinds() -> None:
    kinds = {expectation(p)[0] for p in CORPUS}
    required = {
        "prerequisite-cycle",
        "weakening-threshold",
        "wrong-count",
        "unknown-level",
        "duplicate-code",
        "bad-syntax",
    }
    assert required <= kinds


def test_error_in_parent_is_reported_in_the_child_when_the_child_causes_it(catalog: Catalog) -> None:
    # The weakening threshold is written in the child: the line must point into the child file.
    path = Path(__file__).parent / "bad_frameworks" / "weakening-threshold.yaml"
    _, problems = catalog.check_path(path)
    problem = next(p for p in problems if p.code == "weakening-threshold")
    line = path.read_text(encoding="utf-8").splitlines()[problem.line - 1 if problem.line else 0]
    assert "nang-cao" in line or "A-ONLINE" in line or "requirements" in line
