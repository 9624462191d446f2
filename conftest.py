"""Runs the YAML case files that live next to each framework (`<id>/cases/*.yaml`) under pytest.

Like OpenFisca's YAML tests: whoever writes a province's framework writes its expected results
beside it, and `pytest` runs them with no Python to write — through the same runner as
`certify frameworks test` (`certify.cases`), so both pass or fail alike. Framework folders named in
CERTIFY_FRAMEWORKS (outside the repository) are collected too when pytest runs without arguments.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from certify.cases import case_files, extra_roots, framework_folders, is_case_file, run_case_file


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if is_case_file(file_path):
        return CaseFile.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.invocation_params.args:
        return  # a chosen test or folder: run what was chosen
    seen = {item.path.resolve() for item in items if isinstance(item, CaseItem)}
    for root in extra_roots():
        for folder in framework_folders(root):
            for case in case_files(folder):
                if case.resolve() not in seen:
                    items.extend(CaseFile.from_parent(session, path=case).collect())


class CaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield CaseItem.from_parent(self, name=self.path.stem)


class CaseFailure(Exception):
    pass


class CaseItem(pytest.Item):
    def runtest(self) -> None:
        result = run_case_file(self.path)
        if not result.ok:
            lines = [p.message() for p in result.problems] + list(result.failures)
            raise CaseFailure(f"{result.description}\n" + "\n".join(lines))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailure):
            return f"{self.path}:\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case: {self.name}"


# `python -m pytest` runs on every core (pytest-xdist) unless `-n 0` or `-p no:xdist` says otherwise.
pytest_plugins = ("tests.parallel",)
