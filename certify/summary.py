"""What `certify frameworks list|show`, the API and the framework pages say about a framework."""

from __future__ import annotations

from typing import Any

from certify.catalog import Resolved
from certify.kinds import get_kind


def header(resolved: Resolved) -> dict[str, Any]:
    """Identity, provenance and banner of a framework version (one row of a listing)."""
    fw = resolved.framework
    banner = fw.banner
    return {
        "id": fw.id,
        "version": fw.version,
        "kind": fw.kind,
        "title": fw.title,
        "tier": fw.tier.value,
        "status": fw.status.value,
        "extends": fw.extends,
        "source": fw.source.model_dump(mode="json", exclude_none=True),
        "content_hash": resolved.content_hash,
        "banner": banner[0] if banner else None,
    }


def summary(resolved: Resolved) -> dict[str, Any]:
    """The header and the kind's own description (counts per pillar or index, levels, rules)."""
    kind = get_kind(resolved.framework.kind)
    assert kind is not None  # the catalog only resolves frameworks of a known kind
    return header(resolved) | kind.describe(resolved.framework)
