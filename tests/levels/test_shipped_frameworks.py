"""The frameworks we ship: structure as published, provenance visible, samples complete."""

from __future__ import annotations

import pytest

from certify.catalog import Catalog, bundled_root
from certify.errors import errors_only
from certify.kinds import get_kind
from certify.levels.model import LevelFramework
from certify.provenance import FrameworkStatus

SHIPPED = Catalog([bundled_root("frameworks")])


@pytest.mark.parametrize("entry", SHIPPED.entries(), ids=lambda e: f"{e.id}@{e.version}")
def test_every_shipped_framework_validates(entry: object) -> None:
    resolved, problems = SHIPPED.check_path(entry.path)  # type: ignore[attr-defined]
    assert resolved is not None and errors_only(problems) == [], [p.message() for p in problems]


@pytest.mark.parametrize(
    ("ref", "total", "groups"),
    [
        ("mic-2361-district", 33, {"chung": 1, "chinh-quyen-so": 22, "kinh-te-so": 6, "xa-hoi-so": 4}),
        ("mic-2361-commune", 38, {"chinh-quyen-so": 24, "kinh-te-so": 5, "xa-hoi-so": 9}),
        ("sample-2361-district", 33, {"chung": 1, "chinh-quyen-so": 22, "kinh-te-so": 6, "xa-hoi-so": 4}),
        ("sample-2361-commune", 38, {"chinh-quyen-so": 24, "kinh-te-so": 5, "xa-hoi-so": 9}),
    ],
)
def test_structure_matches_the_ministry_framework(ref: str, total: int, groups: dict[str, int]) -> None:
    resolved = SHIPPED.load(ref)
    kind = get_kind(resolved.framework.kind)
    assert kind is not None
    counts = kind.describe(resolved.framework)["counts"]
    assert counts["total"] == total
    assert counts["by_group"] == groups == counts["declared"]
    assert [lv.id for lv in resolved.framework.levels] == ["khoi-dong", "ket-noi", "co-ban", "nang-cao", "toan-dien"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("tier", ["commune", "district"])
def test_ministry_framework_is_partial_and_says_what_is_missing(tier: str) -> None:
    resolved, problems = SHIPPED.check_path(SHIPPED.find(f"mic-2361-{tier}").path)
    assert resolved is not None
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    assert fw.status is FrameworkStatus.PARTIAL and fw.source.decision == "2361/QĐ-BTTTT"
    assert not fw.thresholds_complete
    warnings = [p for p in problems if p.severity == "warning"]
    assert any("thiếu phụ lục ngưỡng" in p.vi for p in warnings)
    known = [c for c in fw.criteria if c.name]
    assert len(known) == {"commune": 7, "district": 6}[tier]  # the criteria known by name, per the reference
    assert all(c.source is not None and c.status.value == "secondary" for c in known)


@pytest.mark.parametrize("tier", ["commune", "district"])
def test_sample_is_complete_labelled_and_reasoned(tier: str) -> None:
    fw = SHIPPED.load(f"sample-2361-{tier}").framework
    assert isinstance(fw, LevelFramework)
    assert fw.status is FrameworkStatus.SAMPLE and fw.extends == f"mic-2361-{tier}"
    assert fw.banner is not None and fw.banner[0] == "Bộ tiêu chí mẫu — không phải ngưỡng chính thức"
    assert fw.thresholds_complete
    for crit in fw.criteria:
        assert crit.name and crit.indicator and crit.agency, crit.code
        assert all(r.rationale for r in crit.requirements.values()), f"{crit.code}: a threshold without rationale"
    # Every level has criteria of its own, and prerequisites order the plan.
    assert all(any(lv in c.requirements for c in fw.criteria) for lv in fw.level_ids)
    assert sum(len(c.requires) for c in fw.criteria) >= 5


def test_sample_keeps_the_ministry_wording_of_known_criteria() -> None:
    mic = SHIPPED.load("mic-2361-commune").framework
    sample = SHIPPED.load("sample-2361-commune").framework
    assert isinstance(mic, LevelFramework) and isinstance(sample, LevelFramework)
    for crit in mic.criteria:
        if crit.name:
            assert sample.criterion_by_code[crit.code].name == crit.name


def test_catalog_sees_a_new_or_edited_framework_without_restart(tmp_path: object) -> None:
    import shutil
    import time
    from pathlib import Path

    root = Path(str(tmp_path))
    catalog = Catalog([root, bundled_root("frameworks")])
    assert "tiny-x" not in catalog.ids()
    folder = root / "tiny-x"
    folder.mkdir()
    source = Path(__file__).parents[1] / "fixtures" / "frameworks" / "tiny-commune" / "1.0.yaml"
    shutil.copy(source, folder / "1.0.yaml")
    text = (folder / "1.0.yaml").read_text(encoding="utf-8").replace("id: tiny-commune", "id: tiny-x")
    (folder / "1.0.yaml").write_text(text, encoding="utf-8")
    assert "tiny-x" in catalog.ids()
    first = catalog.load("tiny-x")
    assert catalog.load("tiny-x") is first  # cached while unchanged
    time.sleep(0.01)
    (folder / "1.0.yaml").write_text(text.replace("Bộ tiêu chí thử nghiệm", "Bộ tiêu chí đã sửa"), encoding="utf-8")
    assert catalog.load("tiny-x").framework.title == "Bộ tiêu chí đã sửa cấp xã"
