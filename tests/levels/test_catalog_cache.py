"""Frameworks kept between runs (certify.catalog_cache): the same framework as from its files, never a stale
or damaged one — an edited file, a new parent version, a broken or foreign cache file all read the files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from certify.catalog import Catalog, Resolved, bundled_root
from certify.catalog_cache import DiskCache
from certify.errors import CertifyError
from certify.levels.model import LevelFramework

FIXTURES = Path(__file__).parents[1] / "fixtures" / "frameworks"


@pytest.fixture
def roots(tmp_path: Path) -> Path:
    """A copy of the test frameworks this test may edit."""
    shutil.copytree(FIXTURES, tmp_path / "frameworks")
    return tmp_path / "frameworks"


def catalog(roots: Path, cache: Path) -> Catalog:
    return Catalog([roots, bundled_root("frameworks")], cache)


def from_files(roots: Path, ref: str) -> Resolved:
    return Catalog([roots, bundled_root("frameworks")]).load(ref)


def unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, resolving from the files fails: what loads comes from the cache."""

    def refuse(*args: object) -> None:
        raise AssertionError("read from the files")

    monkeypatch.setattr(Catalog, "_resolve", refuse)


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pickle"))


def test_a_new_run_gets_the_same_framework_warnings_and_hash_without_reading_the_files(
    roots: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = catalog(roots, cache).load("tiny-commune@1.1")  # extends tiny-commune@1.0
    assert len(entries(cache)) == 2  # the framework and its parent
    expected = from_files(roots, "tiny-commune@1.1")
    unreadable(monkeypatch)
    again = catalog(roots, cache).load("tiny-commune@1.1")
    assert again is not first
    assert again.framework == expected.framework and isinstance(again.framework, LevelFramework)
    assert again.content_hash == expected.content_hash
    assert again.warnings == expected.warnings
    assert [d.name for d in again.layers.docs] == [d.name for d in expected.layers.docs]
    assert again.framework.model_dump(mode="json") == expected.framework.model_dump(mode="json")


def test_an_edited_framework_file_is_read_again(roots: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    catalog(roots, cache).load("tiny-commune@1.1")
    path = roots / "tiny-commune" / "1.1.yaml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    # Same length and modification time: only the content tells.
    path.write_text(text.replace("{nang-cao: 0.85}", "{nang-cao: 0.95}"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    fw = catalog(roots, cache).load("tiny-commune@1.1").framework
    assert isinstance(fw, LevelFramework)
    req = fw.criterion_by_code["A-ONLINE"].requirements["nang-cao"]
    assert req.threshold == pytest.approx(0.95)


def test_an_edited_parent_is_read_again(roots: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = catalog(roots, cache).load("tiny-commune@1.1")
    parent = roots / "tiny-commune" / "1.0.yaml"
    parent.write_text(parent.read_text(encoding="utf-8").replace("title:", "title: Đã sửa —", 1), encoding="utf-8")
    after = catalog(roots, cache).load("tiny-commune@1.0")
    assert after.framework.title.startswith("Đã sửa") and not before.framework.title.startswith("Đã sửa")


def test_a_new_version_of_the_parent_changes_what_extends_means(roots: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    child = roots / "tiny-commune" / "1.1.yaml"
    child.write_text(child.read_text(encoding="utf-8").replace("extends: tiny-commune@1.0", "extends: tiny-yenbai"))
    catalog(roots, cache).load("tiny-commune@1.1")
    shutil.copy(roots / "tiny-yenbai" / "1.0.yaml", roots / "tiny-yenbai" / "1.1.yaml")
    text = (roots / "tiny-yenbai" / "1.1.yaml").read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"')
    (roots / "tiny-yenbai" / "1.1.yaml").write_text(text, encoding="utf-8")
    again = catalog(roots, cache).load("tiny-commune@1.1")
    assert again.layers.docs[1].name.endswith("tiny-yenbai/1.1.yaml")


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"",
        lambda b: b[: len(b) // 2],
        lambda b: b"garbage" * 10,
        lambda b: b[:-10] + bytes(x ^ 0xFF for x in b[-10:]),  # the pickled framework altered
        lambda b: b.replace(b'"files"', b'"filez"', 1),  # the header altered
    ],
    ids=["empty", "truncated", "garbage", "payload-altered", "header-altered"],
)
def test_a_damaged_cache_file_is_a_miss_and_is_written_anew(roots: Path, tmp_path: Path, damage: object) -> None:
    cache = tmp_path / "cache"
    catalog(roots, cache).load("tiny-commune@1.0")
    (entry,) = entries(cache)
    assert callable(damage)
    entry.write_bytes(damage(entry.read_bytes()))
    again = catalog(roots, cache).load("tiny-commune@1.0")
    assert again.framework == from_files(roots, "tiny-commune@1.0").framework
    assert (
        DiskCache(cache).get((roots / "tiny-commune" / "1.0.yaml").resolve(), *catalog(roots, cache)._disk_key())
        is not None
    )  # rewritten


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file modes")
def test_a_cache_file_others_could_have_written_is_not_read(
    roots: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    catalog(roots, cache).load("tiny-commune@1.0")
    assert oct(cache.stat().st_mode & 0o777) == oct(0o700)
    (entry,) = entries(cache)
    entry.chmod(0o666)
    path = (roots / "tiny-commune" / "1.0.yaml").resolve()
    assert DiskCache(cache).get(path, *catalog(roots, cache)._disk_key()) is None
    entry.chmod(0o600)
    assert isinstance(DiskCache(cache).get(path, *catalog(roots, cache)._disk_key()), Resolved)


def test_a_framework_with_errors_is_never_kept(roots: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = roots / "tiny-commune" / "1.0.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: levels", "kind: levels\nnot_a_key: 1"))
    for _ in range(2):  # refused each time, with its error
        with pytest.raises(CertifyError) as info:
            catalog(roots, cache).load("tiny-commune@1.0")
        assert "not_a_key" in info.value.problems[0].en
    assert entries(cache) == []


def test_a_cache_folder_that_cannot_be_written_is_no_error(roots: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    resolved = catalog(roots, blocked / "cache").load("tiny-commune@1.1")
    assert resolved.framework == from_files(roots, "tiny-commune@1.1").framework


def test_the_command_line_uses_the_cache_folder_of_the_settings_and_none_when_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from certify.cli.app import app

    sample = bundled_root("samples") / "assessments" / "2024-xa-hoa-ninh.yaml"
    cache = tmp_path / "cache"
    monkeypatch.setenv("CERTIFY_CACHE_DIR", str(cache))
    first = CliRunner().invoke(app, ["evaluate", str(sample)])
    assert first.exit_code == 0 and "Cơ bản" in first.output
    assert len(entries(cache)) == 2  # sample-2361-commune and the mic-2361-commune it extends

    import certify.catalog

    monkeypatch.setattr(certify.catalog, "_default", None)
    second = CliRunner().invoke(app, ["evaluate", str(sample)])
    assert second.output == first.output

    shutil.rmtree(cache)
    monkeypatch.setattr(certify.catalog, "_default", None)
    monkeypatch.setenv("CERTIFY_CACHE_DIR", "")
    third = CliRunner().invoke(app, ["evaluate", str(sample)])
    assert third.output == first.output and not cache.exists()


def test_every_shipped_framework_comes_back_from_the_cache_as_it_was(tmp_path: Path) -> None:
    files = Catalog([bundled_root("frameworks")])
    Catalog([bundled_root("frameworks")], tmp_path).ids()
    for entry in files.entries():
        expected = files.load_path(entry.path)
        Catalog([bundled_root("frameworks")], tmp_path).load_path(entry.path)  # kept
        again = Catalog([bundled_root("frameworks")], tmp_path).load_path(entry.path)  # read back
        # (DTI frameworks hold their compiled plan, which refers back to them: compared through their content)
        assert type(again.framework) is type(expected.framework), entry.path
        assert again.framework.model_dump(mode="json") == expected.framework.model_dump(mode="json")
        assert again.content_hash == expected.content_hash and again.warnings == expected.warnings
    assert len(entries(tmp_path)) == len(files.entries())
