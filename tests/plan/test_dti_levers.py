"""DTI levers: each gain checked by scoring an edited cohort file the way a user scores one (`score_file`)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from certify.catalog import Catalog, bundled_root
from certify.dti.cohort import cohort_from_table
from certify.dti.model import DtiFramework
from certify.dti.plan import plan_for
from certify.dti.score_file import score_file
from certify.dti.table import read_table
from certify.errors import CertifyError
from certify.plan.dti import dti_levers

DEMO = bundled_root("samples") / "dti" / "vinh-long-2554-demo.csv"


@pytest.fixture(scope="module")
def fw(catalog: Catalog) -> DtiFramework:
    found = catalog.load("vinh-long-2554-province").framework
    assert isinstance(found, DtiFramework)
    return found


def edited(tmp: Path, column: str, change: dict[str, str]) -> Path:
    """The demo cohort file with `column` set to `change[unit]` in the units named."""
    with DEMO.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["unit"] in change:
            row[column] = change[row["unit"]]
    out = tmp / "edited.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def cell(value: float) -> str:
    return f"{value:g}"


def test_levers_equal_rescoring_edited_files(fw: DtiFramework, tmp_path: Path) -> None:
    cohort = cohort_from_table(read_table(DEMO), plan_for(fw))
    levers = dti_levers(fw, cohort, unit="vinh-long", top=5)
    base = score_file(DEMO, fw)
    assert levers.unit_rank == int(base.ranks[base.units.index("vinh-long")])
    assert levers.province and levers.for_unit
    final = cohort.final_columns()
    # the best province lever: every unit takes the step
    top = levers.province[0]
    assert top.step.effort == "từ «không» lên «có»"  # on the demo data: a yes/no criterion
    change = {u: "1" for u, v in zip(cohort.units, final[top.step.column], strict=True) if v == 0}
    after = score_file(edited(tmp_path, top.step.column, change), fw)
    assert abs(float(np.mean(after.value) - np.mean(base.value)) - top.mean_value) < 1e-12
    assert top.units == len(change)
    # the best lever for Vĩnh Long: only its cell changes; its value and rank as the edited file says
    best = levers.for_unit[0]
    u = cohort.units.index("vinh-long")
    assert best.step.effort == "từ «không» lên «có»" and final[best.step.column][u] == 0
    after = score_file(edited(tmp_path, best.step.column, {"vinh-long": cell(1.0)}), fw)
    v = after.units.index("vinh-long")
    assert abs(float(after.value[v] - base.value[v]) - best.value) < 1e-12
    assert int(after.ranks[v]) == best.rank_after
    # every lever earns something, best first
    gains = [lv.value for lv in levers.for_unit]
    assert all(g > 0 for g in gains) and gains == sorted(gains, reverse=True)


def test_an_index_level_framework_has_no_levers(catalog: Catalog) -> None:
    fw = catalog.load("vinh-long-2554-commune").framework
    assert isinstance(fw, DtiFramework)
    with pytest.raises(CertifyError, match="chỉ chấm từ giá trị chỉ số chính"):
        dti_levers(fw, None)  # type: ignore[arg-type]


def test_unknown_unit_is_named(fw: DtiFramework) -> None:
    cohort = cohort_from_table(read_table(DEMO), plan_for(fw))
    with pytest.raises(CertifyError, match="Không có đơn vị mã ha-noi"):
        dti_levers(fw, cohort, unit="ha-noi")
