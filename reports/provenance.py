"""The one line every report carries: which framework, version, content hash and status it was computed with."""

from __future__ import annotations

from typing import Any


def provenance_line(framework: dict[str, Any], input_hash: str | None = None) -> str:
    """From `Evaluation.provenance()["framework"]`."""
    text = (
        f"Bộ tiêu chí {framework['id']} phiên bản {framework['version']}, trạng thái {framework['status']}, "
        f"mã băm {framework['content_hash']}"
    )
    return text + (f"; dữ liệu vào {input_hash}" if input_hash else "")
