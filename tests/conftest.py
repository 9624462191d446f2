"""Shared fixtures: a catalog over the shipped frameworks plus the small test frameworks."""

from __future__ import annotations

from pathlib import Path

import pytest

from certify.catalog import Catalog, Resolved, bundled_root

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _test_frameworks_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI commands and the default catalog also see the test frameworks."""
    import certify.catalog

    monkeypatch.setenv("CERTIFY_FRAMEWORKS", str(FIXTURES / "frameworks"))
    # A bug of ours raises in tests (with its traceback) instead of becoming the one-line message users see.
    monkeypatch.setenv("CERTIFY_DEBUG", "1")
    monkeypatch.setattr(certify.catalog, "_default", None)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog([FIXTURES / "frameworks", bundled_root("frameworks")])


@pytest.fixture(scope="session")
def tiny(catalog: Catalog) -> Resolved:
    return catalog.load("tiny-commune@1.0")
