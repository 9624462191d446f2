"""The shipped DTI frameworks load and add up; a broken sum is reported where it is declared."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from certify.catalog import Catalog
from certify.dti.model import DtiFramework
from certify.errors import CertifyError
from certify.kinds import get_kind
from certify.provenance import Evidence, FrameworkStatus
from tests.dti.conftest import FRAMEWORKS

# Reference check sums for QĐ 2554 Phụ lục I: (criteria, Σ max) per main index.
CHECK_SUMS = {
    "1": (10, 100),
    "2": (11, 100),
    "3": (7, 100),
    "4": (13, 100),
    "5": (12, 100),
    "6": (22, 200),
    "7": (12, 150),
    "8": (8, 150),
    "9": (3, 0),
}
METHODS = {
    "binary": 23,
    "ratio": 27,
    "ratio_cap": 6,
    "ratio_cap_jump": 12,
    "tiers": 9,
    "all_or_nothing": 1,
    "count_capped": 2,
    "sum_of_parts": 1,
    "partial_credits": 8,
    "categorical": 6,
    "relative_to_best": 1,
    "min_max": 8,
}


def test_vinh_long_is_complete_and_sums_to_1000(vl: DtiFramework) -> None:
    assert vl.status is FrameworkStatus.OFFICIAL
    assert len(vl.criteria) == 104 and len(vl.top_level) == 98
    assert sum(i.max_points for i in vl.indices) == vl.max_points == 1000
    for index in vl.indices:
        top = [c for c in vl.top_level if c.index_code == index.code]
        assert (len(top), sum(c.max_points for c in top)) == CHECK_SUMS[index.code]
        assert index.max_points == CHECK_SUMS[index.code][1]
    parts = [c.max_points for c in vl.children["5.12"]]
    assert parts == [5, 2, 2, 2, 2, 2] and sum(parts) == vl.criterion_by_code["5.12"].max_points == 15
    assert Counter(c.method for c in vl.criteria) == METHODS


def test_vinh_long_says_where_the_source_is_unclear(vl: DtiFramework) -> None:
    inferred = {c.code for c in vl.criteria if c.status is Evidence.INFERRED}
    # Min-Max: formula missing; 4.9: the cap at max points is ours (the text has no upper bound)
    assert inferred == {"4.5", "4.6", "4.11", "5.1", "5.9", "5.10", "8.6", "8.7", "4.9"}
    assert "no explicit clamp" in (vl.criterion_by_code["4.9"].note or "") or "không giới hạn" in (
        vl.criterion_by_code["4.9"].note or ""
    )
    assert all("gián đoạn" in (vl.criterion_by_code[c].note or "") for c in ("4.12", "4.13", "7.1", "7.5", "7.12"))
    assert vl.source.decision == "2554/QĐ-UBND" and vl.source.url


def test_vinh_long_no_warnings_and_shows(vl: DtiFramework) -> None:
    resolved = Catalog([FRAMEWORKS]).load("vinh-long-2554-province")
    assert resolved.warnings == ()
    kind = get_kind("dti")
    assert kind is not None
    summary = kind.describe(vl)
    assert summary["counts"]["total"] == 98
    assert summary["counts"]["by_group"] == {k: v[0] for k, v in CHECK_SUMS.items()}
    assert summary["counts"]["declared"] == summary["counts"]["by_group"]
    assert [g["id"] for g in summary["groups"]] == list(CHECK_SUMS)


def test_national_922_is_partial_and_index_level(national: DtiFramework) -> None:
    assert national.status is FrameworkStatus.PARTIAL
    assert national.index_level_only
    assert [i.max_points for i in national.indices] == [100, 100, 100, 100, 100, 200, 150, 150, 0]
    warnings = Catalog([FRAMEWORKS]).load("national-922-province").warnings
    assert [w.code for w in warnings] == ["index-level-only"]


def _localised(tmp_path: Path, body: str) -> list:  # type: ignore[type-arg]
    folder = tmp_path / "vl-test"
    folder.mkdir()
    (folder / "1.0.yaml").write_text(
        "kind: dti\nid: vl-test\nversion: '1.0'\nextends: vinh-long-2554-province\ntitle: Test\nstatus: sample\n"
        "source: {title: test, status: sample}\n" + body,
        encoding="utf-8",
    )
    _, problems = Catalog([tmp_path, FRAMEWORKS]).check_path(folder / "1.0.yaml")
    return [p for p in problems if p.severity == "error"]


def test_broken_index_sum_is_reported_at_the_index(tmp_path: Path) -> None:
    errors = _localised(tmp_path, "criteria:\n  - code: '1.3'\n    max_points: 12\n")
    codes = {(p.code, p.path) for p in errors}
    assert ("points-do-not-add-up", ("indices", "1", "max_points")) in codes
    bad = next(p for p in errors if p.path == ("indices", "1", "max_points"))
    assert bad.expected == "100" and "12 (1.3)" in (bad.found or "") and bad.found.endswith("= 102")
    # Caused by the localisation's change: reported in its own file, naming the parent's line.
    assert bad.file and bad.file.endswith("vl-test/1.0.yaml") and bad.line
    assert "vinh-long-2554-province/1.0.yaml:" in bad.en


def test_broken_sub_criteria_sum_is_reported_at_the_parent(tmp_path: Path) -> None:
    errors = _localised(tmp_path, "criteria:\n  - code: '5.12.3'\n    max_points: 3\n")
    paths = {p.path for p in errors}
    assert ("criteria", "5.12", "max_points") in paths
    assert ("indices", "5", "max_points") not in paths  # 5.12 still declares 15: the index adds up


def test_broken_total_is_reported_at_the_framework(tmp_path: Path) -> None:
    errors = _localised(tmp_path, "max_points: 900\n")
    assert [p.path for p in errors] == [("max_points",)]


def test_bad_method_parameters_are_located(tmp_path: Path) -> None:
    # a localisation merges parts by id: hop-nhat 2/5 + chuc-nang 3/5 + ipv6 1/5 = 1.2
    errors = _localised(
        tmp_path,
        "criteria:\n  - code: '6.3'\n    params: {parts: [{id: hop-nhat, weight: 2/5}]}\n"
        "  - code: '2.3'\n    method: coin_flip\n",
    )
    by_path = {p.path: p for p in errors}
    assert "2/5 + 3/5 + 1/5 = 1.2" in by_path[("criteria", "6.3", "params", "parts")].vi
    assert by_path[("criteria", "2.3", "method")].code == "unknown-method"
    assert all(p.line for p in errors)


def test_loading_a_broken_framework_raises(tmp_path: Path) -> None:
    folder = tmp_path / "vl-test"
    _localised(tmp_path, "criteria:\n  - code: '1.3'\n    params: {cap: 2}\n")
    with pytest.raises(CertifyError) as exc:
        Catalog([tmp_path, FRAMEWORKS]).load_path(folder / "1.0.yaml")
    assert any(p.path[:2] == ("criteria", "1.3") for p in exc.value.problems)


def test_a_localisation_can_add_bands(tmp_path: Path) -> None:
    errors = _localised(tmp_path, "bands:\n  - {id: tot, name: Tốt, min: 0.8}\n  - {id: kha, name: Khá, min: 0.9}\n")
    assert [p.code for p in errors] == ["bands-order"]
