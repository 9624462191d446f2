"""The same cohort certified by LibreOffice Calc, headless: the spreadsheet a province would otherwise build.

One workbook: the sheet «Đơn vị» has a row per unit (code, framework, the values of its criteria as numbers,
yes/no as 1/0, blank where missing), one formula per level saying whether the unit holds it (every criterion
that applies there met: `SUMPRODUCT` of the met cells against the level's thresholds on the sheet «Ngưỡng»,
lower-is-better criteria sign-adjusted, blank cells never met) and the level reached (levels in order, the
100 % rule). The workbook is written without cached results, so Calc computes every formula on load; the
whole process `soffice --headless --convert-to csv` is timed, and its levels are compared with this tool's.
`calc_reads_csv` times Calc opening a CSV and saving it again (the same bytes a CSV path reads, nothing computed).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from certify.catalog import default_catalog
from certify.levels.model import LevelFramework
from certify.sourcefile import read_file

FIRST_VALUE_COLUMN = 3  # A unit, B framework, then the values


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _cell(raw: Any) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, dict):
        return float(raw["numerator"]) / float(raw["denominator"])
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    return float(raw)


def write_workbook(files: dict[str, list[Path]], path: Path) -> int:
    """The cohort and its formulas; returns the number of units."""
    catalog = default_catalog()
    wb = Workbook()
    units = wb.active
    assert units is not None
    units.title = "Đơn vị"
    limits = wb.create_sheet("Ngưỡng")
    frameworks = {ref: catalog.load(ref).framework for ref in files}
    width = max(len(fw.criteria) for fw in frameworks.values())  # type: ignore[attr-defined]
    last = get_column_letter(FIRST_VALUE_COLUMN + width - 1)
    first = get_column_letter(FIRST_VALUE_COLUMN)
    n_levels = max(len(fw.levels) for fw in frameworks.values())  # type: ignore[attr-defined]
    units.append(
        ["unit", "framework"]
        + [f"v{i + 1}" for i in range(width)]
        + [f"held {i + 1}" for i in range(n_levels)]
        + ["level"]
    )
    # «Ngưỡng»: per framework a block — sign row, then per level a signed-threshold row and an applies row
    blocks: dict[str, tuple[int, list[tuple[int, int]], list[str]]] = {}
    row = 1
    for ref, fw in frameworks.items():
        assert isinstance(fw, LevelFramework)
        sign_row = row
        signs = [-1.0 if c.indicator and c.indicator.direction == "lower" else 1.0 for c in fw.criteria]
        limits.append([ref, "sign", *signs])
        row += 1
        level_rows = []
        for lv in fw.level_ids:
            thresholds, applies = [], []
            for crit, sign in zip(fw.criteria, signs, strict=True):
                req = crit.requirements.get(lv)
                if req is None or req.threshold is None:
                    thresholds.append(0.0)
                    applies.append(0)
                else:
                    value = 1.0 if req.threshold is True else float(req.threshold)
                    thresholds.append(sign * value)
                    applies.append(1)
            limits.append([lv, "threshold", *thresholds])
            limits.append([lv, sum(applies), *applies])
            level_rows.append((row, row + 1))
            row += 2
        blocks[ref] = (sign_row, level_rows, fw.level_ids)
    count = 0
    for ref, paths in files.items():
        fw = frameworks[ref]
        assert isinstance(fw, LevelFramework)
        sign_row, level_rows, ids = blocks[ref]
        for p in paths:
            data = read_file(p).data
            count += 1
            r = count + 1
            values = [_cell(data["values"].get(c.code)) for c in fw.criteria]
            values += [None] * (width - len(values))
            rng = f"${first}{r}:${last}{r}"
            held = []
            for t_row, a_row in level_rows:
                s = f"Ngưỡng!${first}${sign_row}:${last}${sign_row}"
                t = f"Ngưỡng!${first}${t_row}:${last}${t_row}"
                a = f"Ngưỡng!${first}${a_row}:${last}${a_row}"
                held.append(f"=SUMPRODUCT(ISNUMBER({rng})*({rng}*{s}>={t})*{a})=Ngưỡng!$B${a_row}")
            held += [None] * (n_levels - len(held))
            # the highest consecutive level held: the level before the first one not held
            chain = '"' + ids[-1] + '"'
            for k in range(len(ids) - 1, -1, -1):
                col = get_column_letter(FIRST_VALUE_COLUMN + width + k)
                below = f'"{ids[k - 1]}"' if k else '""'
                chain = f"IF({col}{r},{chain},{below})"
            units.append([str(data["unit"]), ref, *values, *held, f"={chain}"])
    wb.save(path)
    return count


Measured = Callable[[Sequence[str], int], tuple[float, float, float, str]]  # wall, CPU, peak RSS, output


def _command(office: str, profile: Path, out: Path, *options: str) -> list[str]:
    return [
        office,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        *options,
        "--convert-to",
        "csv",
        "--outdir",
        str(out),
    ]


def calc_levels(
    office: str,
    files: dict[str, list[Path]],
    folder: Path,
    repeat: int,
    measured: Measured,
    ours: dict[str, str],
) -> tuple[float, float, float, bool]:
    """Median wall and CPU seconds and peak RSS of Calc recalculating the cohort, and whether its levels are ours."""
    folder.mkdir(parents=True, exist_ok=True)
    book = folder / "cohort.xlsx"
    write_workbook(files, book)
    out = folder / "out"
    cmd = [*_command(office, folder / "profile", out), str(book)]
    measured(cmd, 1)  # the first start creates the user profile: not timed
    wall, cpu, rss, _ = measured(cmd, repeat)
    with (out / "cohort.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    got = {r[0]: r[-1] for r in rows[1:]}
    agree = bool(ours) and all(got.get(unit) == level for unit, level in ours.items())
    return wall, cpu, rss, agree


def calc_reads_csv(
    office: str, sheet: Path, folder: Path, repeat: int, measured: Measured
) -> tuple[float, float, float]:
    """Median wall and CPU seconds and peak RSS of Calc opening `sheet` (a UTF-8 CSV, commas) and saving it as CSV:
    the same bytes read, nothing computed."""
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [*_command(office, folder / "profile", folder / "out", "--infilter=CSV:44,34,76,1"), str(sheet)]
    measured(cmd, 1)  # the first start creates the user profile: not timed
    wall, cpu, rss, _ = measured(cmd, repeat)
    if not (folder / "out" / sheet.name).is_file():
        raise SystemExit(f"LibreOffice wrote no {sheet.name}")
    return wall, cpu, rss
