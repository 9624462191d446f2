"""The five-level certification framework kind (`kind: levels`), declared in the `certify.kinds` entry points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from certify.kinds import Kind
from certify.levels.cases import run_level_case
from certify.levels.checks import check
from certify.levels.describe import describe
from certify.levels.model import LevelFramework
from certify.provenance import FrameworkStatus, Inherited
from certify.sourcefile import SourceDoc

NOT_OFFICIAL = (FrameworkStatus.SAMPLE, FrameworkStatus.PARTIAL)


def _writes(doc: SourceDoc, code: str, level: str) -> bool:
    criteria = doc.data.get("criteria") if isinstance(doc.data, dict) else None
    for item in criteria if isinstance(criteria, list) else ():
        if isinstance(item, dict) and str(item.get("code")) == code:
            reqs = item.get("requirements")
            return isinstance(reqs, dict) and reqs.get(level) is not None
    return False


def inherited_thresholds(docs: Sequence[SourceDoc], fw: LevelFramework) -> Inherited | None:
    """How many known thresholds an official or localised framework takes from a sample/partial parent."""
    if fw.status in NOT_OFFICIAL or len(docs) < 2:
        return None
    total = 0
    count = 0
    parent: SourceDoc | None = None
    for crit in fw.criteria:
        for level, req in crit.requirements.items():
            if not req.known:
                continue
            total += 1
            writer = next((d for d in docs if _writes(d, crit.code, level)), None)
            if writer is not None and writer is not docs[0] and _status(writer) in NOT_OFFICIAL:
                count += 1
                if parent is None or docs.index(writer) < docs.index(parent):
                    parent = writer
    if not count or parent is None:
        return None
    data: dict[str, Any] = parent.data
    return Inherited(count, total, f"{data.get('id')}@{data.get('version')}", FrameworkStatus(str(_status(parent))))


def _status(doc: SourceDoc) -> str | None:
    return doc.data.get("status") if isinstance(doc.data, dict) else None


KIND = Kind(
    name="levels",
    model=LevelFramework,
    check=check,
    describe=describe,
    merge_keys={"criteria": "code", "levels": "id", "pillars": "id"},
    inherited=inherited_thresholds,
    run_case=run_level_case,
)
