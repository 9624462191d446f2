"""Regenerate the synthetic commune DTI cohorts of the demo province (Vĩnh Long), 2024 and 2025.

    python samples/dti/make_commune_demo.py

2024: the 102 communes of the pre-1/7/2025 map; 2025: the 124 communes of the current map, scored near
the mean of the communes they were formed from (so the year-on-year view has something to follow).
The numbers are invented, seeded for reproducibility: they illustrate the file layout, nothing else.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from certify.store.engine import make_engine, transaction
from certify.store.migrate import upgrade
from certify.store.units import load_units, predecessors, units_of_province

HERE = Path(__file__).parent
PROVINCE = "86"
INDICES = [str(k) for k in range(1, 9)]


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def main() -> None:
    rnd = random.Random(2554)
    engine = make_engine("sqlite://")
    upgrade(engine)
    with transaction(engine) as s:
        load_units(s)
        before: dict[str, list[float]] = {}
        with (HERE / "vinh-long-2024-communes.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["unit", "name", *INDICES])
            for unit in units_of_province(s, "pre2025", PROVINCE, "commune"):
                base = rnd.uniform(0.35, 0.85)
                values = [_clip(base + rnd.gauss(0, 0.08)) for _ in INDICES]
                before[unit.code] = values
                out.writerow([unit.code, unit.name, *(f"{v:.4f}" for v in values)])
        with (HERE / "vinh-long-2025-communes.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["unit", "name", *INDICES])
            for unit in units_of_province(s, "current", PROVINCE, "commune"):
                former = [before[u.code] for u, _ in predecessors(s, unit) if u.code in before]
                if former:
                    base_values = [sum(col) / len(col) for col in zip(*former, strict=True)]
                else:  # formed from communes of Bến Tre or Trà Vinh, not scored by Vĩnh Long in 2024
                    b = rnd.uniform(0.35, 0.85)
                    base_values = [b for _ in INDICES]
                step = rnd.uniform(-0.03, 0.09)
                values = [_clip(v + step + rnd.gauss(0, 0.03)) for v in base_values]
                out.writerow([unit.code, unit.name, *(f"{v:.4f}" for v in values)])


if __name__ == "__main__":
    main()
