"""Province-wide reports from a folder of assessment files (the other input is a stored cycle: from_store.py).

Everything downstream takes plain `Evaluation` objects, so both inputs only have to produce those.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from certify.catalog import Catalog, Resolved, default_catalog
from certify.errors import CertifyError
from certify.levels.assessment import BoundAssessment
from certify.levels.evaluate import Evaluation, evaluate_many
from certify.levels.intake import load_unit

SUFFIXES = {".yaml", ".yml", ".json"}
_DISTRICT = re.compile(r"\b(huyện|thị xã|thành phố|quận)\s+([^,()]+)", re.IGNORECASE)
_PROVINCE = re.compile(r"\btỉnh\s+([^,()]+)", re.IGNORECASE)
NO_DISTRICT = "Không thuộc huyện (sau sắp xếp 01/7/2025)"


def assessment_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise CertifyError.one(
            "not-a-folder", f"Không có thư mục «{folder}»", f"No such folder '{folder}'", found=str(folder)
        )
    files = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
    if not files:
        raise CertifyError.one(
            "empty-folder",
            f"Thư mục «{folder}» không có tệp đánh giá (.yaml, .json)",
            f"Folder '{folder}' holds no assessment files (.yaml, .json)",
            found=str(folder),
        )
    return files


def load_folder(folder: Path, catalog: Catalog | None = None) -> list[Evaluation]:
    """Evaluate every assessment in `folder`, one vectorised pass per framework."""
    catalog = catalog or default_catalog()
    groups: dict[str, tuple[Resolved, list[BoundAssessment]]] = {}
    for file in assessment_files(folder):
        resolved, bound = load_unit(file, catalog)
        groups.setdefault(resolved.framework.ref, (resolved, []))[1].append(bound)
    out: list[Evaluation] = []
    for resolved, units in groups.values():
        out += evaluate_many(resolved, units)
    return out


def district_of(ev: Evaluation) -> str:
    """A district unit is its own district; a commune's district is read from its name (no field holds it)."""
    a = ev.unit.assessment
    name = a.unit_name or a.unit
    if a.tier.value == "district":
        return name.split(",")[0].strip()
    m = _DISTRICT.search(name.split(",", 1)[1] if "," in name else "")
    return f"{m.group(1).capitalize()} {m.group(2).strip()}" if m else NO_DISTRICT


def province_of(evaluations: list[Evaluation]) -> str | None:
    """The province most unit names mention, e.g. «Vĩnh Long»; None when no name says."""
    names = Counter(
        m.group(1).strip() for ev in evaluations if (m := _PROVINCE.search(ev.unit.assessment.unit_name or ""))
    )
    return names.most_common(1)[0][0] if names else None
