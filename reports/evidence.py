"""Evidence documents (tài liệu kiểm chứng) as one line of text."""

from __future__ import annotations

import datetime as dt
from typing import Any


def evidence_text(evidence: dict[str, Any] | None) -> str:
    """`15/KH-UBND ngày 02/02/2024: Kế hoạch …` from the dumped EvidenceDoc."""
    if not evidence:
        return ""
    head = evidence.get("document") or ""
    if evidence.get("date"):
        date = dt.date.fromisoformat(str(evidence["date"]))
        head = f"{head} ngày {date:%d/%m/%Y}".strip()
    parts = [p for p in (head, evidence.get("summary"), evidence.get("url") or evidence.get("file")) if p]
    return ": ".join(parts[:2]) + (f" ({parts[2]})" if len(parts) > 2 else "")
