"""A province writes its framework as a file that extends a shipped one: errors land in its own file,
with the way out; thresholds read like the numbers people type; provenance claims nothing unwritten."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from certify.catalog import Catalog, bundled_root
from certify.errors import CertifyError, Problem, errors_only
from certify.levels.model import LevelFramework
from certify.provenance import Evidence
from tests.levels.helpers import run

HEAD = """\
kind: levels
id: tinh-x-commune
version: "1.0"
extends: sample-2361-commune
title: Bộ tiêu chí chuyển đổi số cấp xã tỉnh X
tier: commune
status: localized
source: {issuer: UBND tỉnh X, decision: 12/QĐ-UBND, date: 2025-03-01}
"""


def province(tmp_path: Path, body: str, head: str = HEAD) -> tuple[Catalog, Path]:
    folder = tmp_path / "tinh-x-commune"
    folder.mkdir(exist_ok=True)
    path = folder / "1.0.yaml"
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return Catalog([tmp_path, bundled_root("frameworks")]), path


def check(tmp_path: Path, body: str, head: str = HEAD) -> tuple[list[Problem], list[Problem], Path]:
    catalog, path = province(tmp_path, body, head)
    _, problems = catalog.check_path(path)
    return errors_only(problems), [p for p in problems if p.severity == "warning"], path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_an_unknown_key_is_reported_at_the_provinces_line_with_the_allowed_keys(tmp_path: Path) -> None:
    errors, _, path = check(tmp_path, "criteria:\n  - code: CQS-03\n    mandatroy: false\n")
    (problem,) = errors
    assert problem.file == str(path) and problem.line == line_of(path, "mandatroy")
    assert "did you mean 'mandatory'" in problem.en and "có phải «mandatory»" in problem.vi
    assert problem.expected is not None and "mandatory" in problem.expected and "requirements" in problem.expected


def test_deleting_levels_of_a_prerequisite_is_reported_in_the_province_file_not_the_parent(tmp_path: Path) -> None:
    # What the README's «null deletes» used to give: errors pointing into sample-2361-commune/1.0.yaml.
    errors, _, path = check(
        tmp_path,
        """\
        criteria:
          - code: CQS-09
            requirements: {khoi-dong: null, ket-noi: null}
        """,
    )
    assert errors and all(p.file == str(path) for p in errors), [p.message() for p in errors]
    dependents = {p.path[1] for p in errors if p.code == "prerequisite-not-applicable"}
    assert dependents == {"CQS-03", "CQS-11"}
    assert all(p.line == line_of(path, "requirements: {khoi-dong: null") for p in errors)
    assert all("sample-2361-commune/1.0.yaml:" in p.en for p in errors)  # where the inherited value is
    assert all("requires" in p.en for p in errors)  # the way out


def test_a_criterion_removed_with_remove_true_and_the_pillar_count_overridden(tmp_path: Path) -> None:
    errors, _, path = check(tmp_path, "criteria:\n  - {code: KTS-05, remove: true}\n")
    (problem,) = errors
    assert problem.code == "wrong-count" and problem.file == str(path)
    assert "pillars: [{id: kinh-te-so, count: 4}]" in problem.en
    errors, _, _ = check(
        tmp_path, "pillars:\n  - {id: kinh-te-so, count: 4}\ncriteria:\n  - {code: KTS-05, remove: true}\n"
    )
    assert errors == []


def test_a_mistyped_prerequisite_gets_the_code_meant(tmp_path: Path) -> None:
    errors, _, path = check(tmp_path, "criteria:\n  - code: CQS-05\n    requires: [CQS-4]\n")
    (problem,) = errors
    assert problem.code == "bad-prerequisite" and problem.line == line_of(path, "requires: [CQS-4]")
    assert "did you mean 'CQS-04'" in problem.en


@pytest.mark.parametrize(
    ("text", "value"),
    [('"85%"', 0.85), ('"85,5%"', 0.855), ('"0,85"', 0.85), ("0.85", 0.85)],
)
def test_a_ratio_threshold_reads_like_an_assessment_value(tmp_path: Path, text: str, value: float) -> None:
    catalog, path = province(tmp_path, f"criteria:\n  - code: CQS-02\n    requirements: {{nang-cao: {text}}}\n")
    fw = catalog.load_path(path).framework
    assert isinstance(fw, LevelFramework)
    assert fw.criterion_by_code["CQS-02"].requirements["nang-cao"].threshold == pytest.approx(value)


def test_a_percent_for_a_number_indicator_is_refused_at_the_threshold(tmp_path: Path) -> None:
    # CQS-08 is bandwidth in Mbps: «100%» is not a number of Mbps, and is never silently read as 1.
    errors, _, path = check(tmp_path, 'criteria:\n  - code: CQS-08\n    requirements:\n      co-ban: "100%"\n')
    (problem,) = errors
    assert problem.line == line_of(path, 'co-ban: "100%"')
    assert "percentage is not accepted" in problem.en and problem.found == "'100%'"


def test_a_count_threshold_written_with_a_thousands_dot(tmp_path: Path) -> None:
    catalog, path = province(tmp_path, 'criteria:\n  - code: CQS-17\n    requirements: {toan-dien: "1.000"}\n')
    fw = catalog.load_path(path).framework
    assert isinstance(fw, LevelFramework)
    assert fw.criterion_by_code["CQS-17"].requirements["toan-dien"].threshold == 1000


def test_items_without_status_claim_nothing_and_overrides_keep_the_parents(tmp_path: Path) -> None:
    catalog, path = province(
        tmp_path,
        """\
        pillars:
          - {id: chinh-quyen-so, count: 25}
        criteria:
          - code: CQS-02
            requirements:
              nang-cao: {threshold: 0.85, rationale: Kế hoạch 45/KH-UBND của tỉnh}
          - code: CQS-25
            pillar: chinh-quyen-so
            name: Xã có trang thông tin điện tử
            indicator: {type: boolean}
            requirements: {co-ban: true, nang-cao: true, toan-dien: true}
        """,
    )
    fw = catalog.load_path(path).framework
    assert isinstance(fw, LevelFramework)
    new, changed = fw.criterion_by_code["CQS-25"], fw.criterion_by_code["CQS-02"]
    assert new.status is Evidence.UNSPECIFIED and new.requirements["co-ban"].status is Evidence.UNSPECIFIED
    assert changed.status is Evidence.SECONDARY  # the Ministry's wording, kept from the parent
    assert changed.requirements["nang-cao"].status is Evidence.UNSPECIFIED  # the province's threshold
    assert changed.requirements["co-ban"].status is Evidence.SAMPLE  # inherited from the sample
    assert fw.source.status is Evidence.UNSPECIFIED
    assert not any(c.status is Evidence.VERIFIED for c in fw.criteria)


def test_inheriting_sample_thresholds_keeps_a_banner_that_counts_them(tmp_path: Path) -> None:
    catalog, path = province(tmp_path, "criteria:\n  - code: CQS-02\n    requirements: {nang-cao: 0.85}\n")
    resolved, problems = catalog.check_path(path)
    assert resolved is not None and resolved.framework.status.value == "localized"
    banner = resolved.framework.banner
    assert banner is not None
    assert banner[0] == "Kế thừa 161/162 ngưỡng từ bộ mẫu sample-2361-commune@1.0 — không phải ngưỡng chính thức"
    assert [p.code for p in problems if p.severity == "warning"].count("inherited-thresholds") == 1
    # …and every result computed with it says so.
    resolved = catalog.load_path(path)
    ev = run(resolved, {})
    assert ev.provenance()["banner"] == banner[0]


def test_a_threshold_without_rationale_warns(tmp_path: Path) -> None:
    errors, warnings, path = check(tmp_path, "criteria:\n  - code: CQS-02\n    requirements: {nang-cao: 0.85}\n")
    assert errors == []
    (warning,) = [w for w in warnings if w.code == "no-rationale"]
    assert warning.file == str(path) and "nang-cao" in warning.en


GAP = """\
criteria:
  - code: CQS-09
    requirements: {ket-noi: null}
"""


def test_a_gap_in_levels_is_refused_with_the_way_out(tmp_path: Path) -> None:
    errors, _, path = check(tmp_path, GAP)
    gap = [p for p in errors if p.code == "applicability-gap"]
    assert gap and gap[0].file == str(path) and "level_subsets: true" in gap[0].en


def test_per_level_subsets_when_the_file_says_so(tmp_path: Path) -> None:
    body = """\
    rules: {level_subsets: true}
    criteria:
      - code: CQS-09
        requirements: {ket-noi: null}
      - code: CQS-03
        requires: null
      - code: CQS-11
        requires: [CQS-10]
      - code: CQS-05
        requirements: {nang-cao: null, toan-dien: null}
    """
    errors, _, _ = check(tmp_path, body)
    assert errors == [], [p.message() for p in errors]
    catalog, path = province(tmp_path, body)
    resolved = catalog.load_path(path)
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    assert list(fw.criterion_by_code["CQS-09"].requirements) == ["khoi-dong", "co-ban", "nang-cao", "toan-dien"]
    ev = run(resolved, {"CQS-09": False, "CQS-05": False})
    assert "CQS-09" not in {r.code for r in ev.results("ket-noi")}
    assert "CQS-05" not in {r.code for r in ev.results("toan-dien")}


def test_an_unknown_parent_gets_the_framework_meant(tmp_path: Path) -> None:
    catalog, path = province(tmp_path, "", HEAD.replace("extends: sample-2361-commune", "extends: sample-2361-comune"))
    with pytest.raises(CertifyError) as exc:
        catalog.load_path(path)
    assert "did you mean 'sample-2361-commune'" in exc.value.problems[0].en
