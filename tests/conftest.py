"""Shared fixtures: a catalog over the shipped frameworks plus the small test frameworks."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from certify.catalog import Catalog, Resolved, bundled_root

# No test may fail for being slow: two shared cores run several suites at once. Every hypothesis test runs
# without a deadline (set here once, never per test); a test that needs fewer examples says so itself.
settings.register_profile("certify", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("certify")

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow kinds of test, so a quick local run can leave them out (`-m "not browser and not postgres"`)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgresql" in callspec.params.values():
            item.add_marker(pytest.mark.postgres)
        if any("chromium" in str(m.kwargs.get("reason", "")).lower() for m in item.iter_markers("skipif")):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _framework_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("framework-cache")


@pytest.fixture(autouse=True)
def _test_frameworks_visible(monkeypatch: pytest.MonkeyPatch, _framework_cache: Path) -> None:
    """CLI commands and the default catalog also see the test frameworks; they keep checked frameworks in a
    cache folder of the test run, not the user's."""
    import certify.catalog

    monkeypatch.setenv("CERTIFY_FRAMEWORKS", str(FIXTURES / "frameworks"))
    monkeypatch.setenv("CERTIFY_CACHE_DIR", str(_framework_cache))
    # A bug of ours raises in tests (with its traceback) instead of becoming the one-line message users see.
    monkeypatch.setenv("CERTIFY_DEBUG", "1")
    monkeypatch.setattr(certify.catalog, "_default", None)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog([FIXTURES / "frameworks", bundled_root("frameworks")])


@pytest.fixture(scope="session")
def tiny(catalog: Catalog) -> Resolved:
    return catalog.load("tiny-commune@1.0")


InstallPlugin = Callable[..., Path]


@pytest.fixture
def install_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InstallPlugin]:
    """Install a throw-away package for one test: its modules and its entry points, found by
    `importlib.metadata` exactly as a pip-installed package's (a `*.dist-info` folder on sys.path)."""
    from certify import plugins

    site = tmp_path / "site-packages"
    added: list[str] = []

    def install(package: str, entry_points: dict[str, dict[str, str]], modules: dict[str, str] | None = None) -> Path:
        for module, source in (modules or {}).items():
            target = site / (module.replace(".", "/") + ".py")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source, encoding="utf-8")
            added.append(module)
        info = site / f"{package.replace('-', '_')}-0.1.dist-info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(
            "".join(
                f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in entries.items()) + "\n"
                for group, entries in entry_points.items()
            ),
            encoding="utf-8",
        )
        monkeypatch.syspath_prepend(str(site))
        plugins.refresh()
        return site

    yield install
    for module in added:
        sys.modules.pop(module, None)
    plugins.refresh()


# The one Chromium of a run, shared by every browser test (tests/api/live_server.py).
from tests.api.live_server import chromium  # noqa: E402, F401
