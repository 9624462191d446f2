"""The authoring guide is executed: a province's frameworks written only from docs/frameworks.md.

This test reads nothing but the guide. Every fenced block whose info string says `file=<id>/<file>` is written
into a temporary frameworks folder outside the repository; every framework there must validate, every case
file must pass through `certify frameworks test`, and every ```text output-of=<file>``` block must be what
validating that (refused) file prints. A DTI example uses the same markers and is run the same way.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from certify.cases import catalog_for, run_folder
from certify.errors import errors_only

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "frameworks.md"
FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    lang: str
    attrs: dict[str, str]
    body: str


def blocks() -> list[Block]:
    out = []
    for m in FENCE.finditer(GUIDE.read_text(encoding="utf-8")):
        lang, *rest = m.group("info").split() or [""]
        attrs = dict(part.split("=", 1) for part in rest if "=" in part)
        out.append(Block(lang, attrs, m.group("body")))
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("guide") / "so-khcn"
    names = [b.attrs["file"] for b in blocks() if "file" in b.attrs]
    assert len(names) == len(set(names)), "two examples write the same file"
    for block in blocks():
        if "file" in block.attrs:
            path = root / block.attrs["file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.body, encoding="utf-8")
    yield root
    shutil.rmtree(root)


def refused(root: Path) -> set[str]:
    return {b.attrs["output-of"] for b in blocks() if "output-of" in b.attrs}


def framework_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*.yaml"))


def test_the_guide_has_examples_of_every_key_it_teaches() -> None:
    text = "\n".join(b.body for b in blocks() if "file" in b.attrs)
    for key in (
        "extends:",
        "remove: true",
        "mandatory: false",
        "level_subsets: true",
        "mandatory_plus_share",
        "optional_min_share",
        "not_applicable:",
        "count:",
        ": null",
        "rationale:",
        "expect:",
        '"80%"',
        # DTI (section 8): bonus/penalty groups, units not ranked, a denominator, editions, case files
        "role: bonus",
        "role: penalty",
        "not_ranked_when:",
        "denominator:",
        "supersedes:",
        "applies_from:",
        "cohort:",
        "index_level: true",
        "merged_into:",
    ):
        assert key in text, key
    kinds = {m.group(1) for m in re.finditer(r"^kind: (\w+)", text, re.MULTILINE)}
    assert {"levels", "dti"} <= kinds


def test_every_framework_of_the_guide_validates(written: Path) -> None:
    catalog = catalog_for(written)
    files = framework_files(written)
    assert len(files) >= 5
    for path in files:
        rel = str(path.relative_to(written))
        resolved, problems = catalog.check_path(path)
        errors = errors_only(problems)
        if rel in refused(written):
            assert errors, f"{rel} is shown refused in the guide but validates"
        else:
            assert resolved is not None and not errors, [p.message() for p in errors]


def test_every_case_of_the_guide_passes(written: Path) -> None:
    results = run_folder(written)
    assert len(results) >= 5
    failed = {str(r.path.relative_to(written)): [*r.failures, *(p.message() for p in r.problems)] for r in results}
    assert all(not v for v in failed.values()), failed


def test_the_errors_shown_in_the_guide_are_what_validate_prints(written: Path) -> None:
    catalog = catalog_for(written)
    shown = [b for b in blocks() if "output-of" in b.attrs]
    assert shown
    for block in shown:
        _, problems = catalog.check_path(written / block.attrs["output-of"])
        printed = "\n".join(p.message().replace(f"{written}/", "") for p in problems)
        for line in filter(None, (ln.strip() for ln in block.body.splitlines())):
            assert line in printed, f"{line!r} not in:\n{printed}"
