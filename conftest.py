"""Collects the YAML test cases that live next to each framework (`frameworks/<id>/cases/*.yaml`).

Like OpenFisca's YAML tests: whoever writes a province's framework writes its expected results
beside it, and `pytest` runs them with no Python to write.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from certify.catalog import default_catalog
from certify.levels.assessment import Assessment, bind
from certify.levels.evaluate import Verdict, evaluate
from certify.sourcefile import read_file, validate_model


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent.name == "cases" and "frameworks" in file_path.parts:
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield CaseItem.from_parent(self, name=self.path.stem)


class CaseFailure(Exception):
    pass


class CaseItem(pytest.Item):
    def runtest(self) -> None:
        doc = read_file(self.path)
        case: dict[str, Any] = doc.data
        assessment = validate_model(Assessment, case["assessment"], doc)
        framework = default_catalog().load(assessment.framework.id, assessment.framework.version)
        ev = evaluate(framework, bind(framework.framework, assessment, doc))
        expect = case["expect"]
        problems = []
        if ev.level != expect["level"]:
            problems.append(f"level: expected {expect['level']}, got {ev.level}")
        blocking = ev.blocking(ev.next_level) if ev.next_level else []
        if "blocking" in expect and {r.code for r in blocking} != set(expect["blocking"]):
            problems.append(f"blocking: expected {sorted(expect['blocking'])}, got {sorted(r.code for r in blocking)}")
        missing = {r.code for r in blocking if r.verdict is Verdict.MISSING}
        if "missing" in expect and missing != set(expect["missing"]):
            problems.append(f"missing: expected {sorted(expect['missing'])}, got {sorted(missing)}")
        if problems:
            raise CaseFailure(f"{case.get('description', '')}\n" + "\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailure):
            return f"{self.path}:\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case: {self.name}"
