"""Framework summaries for the API and the browser: the CLI's `frameworks show` data."""

from __future__ import annotations

from typing import Any

from api.problems import NotFoundError
from certify.catalog import Catalog, Resolved
from certify.errors import CertifyError
from certify.provenance import FrameworkStatus, banner_for
from certify.summary import header
from certify.summary import summary as framework_summary


def find(catalog: Catalog, ident: str, version: str | None = None) -> Resolved:
    try:
        return catalog.load(ident, version)
    except CertifyError as exc:
        if exc.problems and exc.problems[0].code in {"unknown-framework", "unknown-version"}:
            raise NotFoundError(exc.problems) from None
        raise


def listing(catalog: Catalog) -> list[dict[str, Any]]:
    return [_row(catalog.load_path(e.path)) for e in catalog.entries()]


def _row(resolved: Resolved) -> dict[str, Any]:
    return with_banner(header(resolved)) | {"title_en": resolved.framework.title_en}


def summary(resolved: Resolved) -> dict[str, Any]:
    return with_banner(framework_summary(resolved))


def with_banner(row: dict[str, Any]) -> dict[str, Any]:
    both = banner_for(FrameworkStatus(row["status"]))
    return row | {"banner": both[0] if both else None, "banner_en": both[1] if both else None}
