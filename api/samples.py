"""The bundled sample units (`samples/assessments/*.yaml`), evaluated once and kept in memory."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from api.problems import NotFoundError
from certify.catalog import Catalog, Resolved
from certify.errors import CertifyError
from certify.levels.evaluate import Evaluation, evaluate
from certify.levels.intake import load_unit


@dataclass(frozen=True)
class Sample:
    name: str  # file stem, used in URLs: 2024-xa-my-loc
    path: Path
    resolved: Resolved
    evaluation: Evaluation


class Samples:
    def __init__(self, folder: Path, catalog: Catalog) -> None:
        self.folder = folder
        self.catalog = catalog
        self._items: dict[str, Sample] | None = None
        self._lock = threading.Lock()

    def _load(self) -> dict[str, Sample]:
        with self._lock:
            if self._items is None:
                items = {}
                files = sorted(self.folder.glob("*.y*ml")) if self.folder.is_dir() else []
                for path in files:
                    resolved, bound = load_unit(path, self.catalog)
                    items[path.stem] = Sample(path.stem, path, resolved, evaluate(resolved, bound))
                self._items = items
            return self._items

    def all(self) -> list[Sample]:
        return sorted(
            self._load().values(), key=lambda s: (s.evaluation.unit.assessment.tier, -s.evaluation.level_index, s.name)
        )

    def get(self, name: str) -> Sample:
        found = self._load().get(name)
        if found is None:
            raise NotFoundError(
                [
                    *CertifyError.one(
                        "unknown-sample",
                        f"Không có đơn vị mẫu «{name}»",
                        f"No sample unit '{name}'",
                        path=("name",),
                        expected=", ".join(sorted(self._load()))[:300],
                        found=name,
                    ).problems
                ]
            )
        return found
