"""Certifying many units at once — `certify evaluate --batch FOLDER|WORKBOOK|SHEET.csv` and `--cycle N`.

The units come from a folder of assessment files (YAML/JSON, as `certify evaluate FILE` reads them), from a
filled workbook made by `certify template` (a province sheet with one row per unit, or a unit form), from that
province sheet saved as CSV (read a column at a time straight into arrays: the fast way in), or from a
stored cycle (`certify.store.evaluations`, the one path from the database). Every unit is checked first; when
any is refused, every problem is reported (file, line or sheet/row/column) and nothing is written. Then each
framework's units are evaluated together (`evaluate_many`, one pass of the level arrays) and their gap reports
built together (`certify.levels.gap_table.GapTable`), so a province or the whole country takes seconds.

Written: CSV (one row per unit: level, next level, what is missing for it), XLSX (that sheet, plus one row per
criterion to reach for the next level) or JSON (per unit, the full `certify gap --format json` content).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from certify.catalog import Catalog, Resolved
from certify.errors import CertifyError, Problem
from certify.levels.evaluate import CohortEvaluation, Evaluation, evaluate_many
from certify.levels.gap_table import GapTable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


ASSESSMENT_SUFFIXES = (".yaml", ".yml", ".json")
FORMATS = ("csv", "xlsx", "json")
LEVEL_COLUMNS = (
    "source",
    "unit",
    "unit_name",
    "tier",
    "year",
    "framework",
    "level",
    "level_name",
    "next_level",
    "next_level_name",
    "items_to_next",
    "criteria_to_next",
)
GAP_COLUMNS = (
    "source",
    "unit",
    "unit_name",
    "level",
    "level_name",
    "criterion",
    "name",
    "mandatory",
    "current_text",
    "requirement_text",
    "gap_text",
    "blocked_by",
    "quarter_text",
)
Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class Cohort:
    """The units of one framework, each with where it came from, evaluated together."""

    resolved: Resolved
    sources: list[str]
    evaluations: Sequence[Evaluation]

    @cached_property
    def gaps(self) -> GapTable:
        return GapTable.of(self.evaluations)


@dataclass
class Batch:
    cohorts: list[Cohort]

    @property
    def units(self) -> int:
        return sum(len(c.evaluations) for c in self.cohorts)

    def level_columns(self) -> dict[str, list[Any]]:
        """`LEVEL_COLUMNS`, each as one list over every unit: its level, the next one and the criteria still missing
        for it (what its gap report lists at the next level, computed without the rest of the reports)."""
        from certify.levels.gap_table import next_level_items, unit_facts

        out: dict[str, list[Any]] = {c: [] for c in LEVEL_COLUMNS}
        for cohort in self.cohorts:
            evaluations = cohort.evaluations
            n = len(evaluations)
            if not n:
                continue
            cf = evaluations[0].compiled
            fw, codes = cf.fw, cf.codes
            starts, crits = next_level_items(evaluations)
            offsets, crit_of = starts.tolist(), [codes[c] for c in crits.tolist()]
            facts = unit_facts(evaluations)  # what each unit's file says (no assessment made per unit)
            ids: list[str] = [*(i or "" for i in fw.level_ids), "", ""]  # [-1] → none; past the top → none
            names = [fw.level_name(i) for i in fw.level_ids] + ["", fw.level_name(None)]
            index = (
                evaluations.level_index.tolist()
                if isinstance(evaluations, CohortEvaluation)
                else [ev.level_index for ev in evaluations]
            )
            top = len(fw.level_ids)
            following = [min(li + 1, top) for li in index]
            out["source"] += cohort.sources
            out["unit"] += [a.unit for a in facts]
            out["unit_name"] += [a.unit_name or "" for a in facts]
            tier = fw.tier  # a unit kept without its assessment: the framework's
            out["tier"] += [getattr(a, "tier", tier).value for a in facts]
            out["year"] += [a.year for a in facts]
            out["framework"] += [fw.ref] * n
            out["level"] += [ids[li] for li in index]
            out["level_name"] += [names[li] for li in index]
            out["next_level"] += [ids[li] for li in following]
            out["next_level_name"] += [names[li] for li in following]
            spans = list(itertools.pairwise(offsets))
            out["items_to_next"] += [b - a for a, b in spans]
            out["criteria_to_next"] += [" ".join(crit_of[a:b]) for a, b in spans]
        return out

    def level_rows(self) -> Iterator[dict[str, Any]]:
        """`level_columns` one unit at a time."""
        columns = self.level_columns()
        for values in zip(*columns.values(), strict=True):
            yield dict(zip(LEVEL_COLUMNS, values, strict=True))

    def reports(self) -> Iterator[dict[str, Any]]:
        """Per unit, where it came from and its full gap report (`certify gap --format json`)."""
        for cohort in self.cohorts:
            for u, source in enumerate(cohort.sources):
                yield {"source": source, **cohort.gaps.report(u)}

    def gap_rows(self) -> Iterator[dict[str, Any]]:
        """One row per criterion a unit must reach for its next level."""
        for report in self.reports():
            for item in report["items"]:
                yield {
                    "source": report["source"],
                    "unit": report["unit"],
                    "unit_name": report["unit_name"] or "",
                    "level": item["level"],
                    "level_name": report["roadmap"][0]["level_name"] if report["roadmap"] else "",
                    "criterion": item["criterion"],
                    "name": item["name"],
                    "mandatory": item["mandatory"],
                    "current_text": item["current_text"],
                    "requirement_text": item["requirement_text"],
                    "gap_text": item["gap_text"],
                    "blocked_by": " ".join(item["blocked_by"]),
                    "quarter_text": item["quarter_text"],
                }


def _nothing(path: Path) -> CertifyError:
    return CertifyError.one(
        "no-units",
        "Không có đơn vị nào để đánh giá",
        "No unit to certify",
        file=str(path),
        expected="tệp .yaml/.yml/.json, phiếu .xlsx hoặc kỳ đánh giá có số liệu "
        "(assessment files, a filled .xlsx form or a cycle with submissions)",
    )


# --- where the units come from -----------------------------------------------------------------------------


def from_folder(
    folder: Path, catalog: Catalog, framework: str | None = None, progress: Progress | None = None
) -> Batch:
    """Every assessment file of `folder` (not its subfolders), checked like `certify evaluate FILE`; the
    values of each framework's units bound straight into one cohort's arrays."""
    from certify.levels.intake import load_units

    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in ASSESSMENT_SUFFIXES and p.is_file())
    if not files:
        raise _nothing(folder)
    cohorts, problems = load_units(files, catalog, framework, progress)
    if problems:
        raise CertifyError(problems)
    return Batch([Cohort(c.resolved, c.sources, evaluate_many(c.resolved, c.cohort)) for c in cohorts])


def from_workbook(path: Path, catalog: Catalog) -> Batch:
    """A filled form made by `certify template` (a province sheet or a unit form), against the framework
    version its `_meta` sheet names; every cell checked as `certify import` checks it."""
    from certify.intake.province_csv import duplicate_unit
    from certify.intake.reader import Expect, form_meta, read_form, unit_assessment
    from certify.levels.assessment import Intake, bind_cohort
    from certify.levels.intake import level_framework
    from certify.levels.model import LevelFramework
    from certify.settings import get_settings

    settings = get_settings()
    meta, problems = form_meta(path, settings.max_upload_bytes, settings.max_unzipped_bytes)
    if problems:
        raise CertifyError(problems)
    try:
        resolved = level_framework(catalog, str(meta.get("framework_id")), str(meta.get("framework_version")))
    except CertifyError as exc:
        raise CertifyError([Problem(p.code, p.vi, p.en, file=str(path), sheet="_meta") for p in exc.problems]) from None
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    year = meta.get("year")
    exp = Expect(
        fw,
        resolved.content_hash,
        int(year) if isinstance(year, int | float) else None,
        settings.max_upload_bytes,
        settings.max_unzipped_bytes,
    )
    parsed = read_form(path, exp)
    seen: dict[str, int] = {}
    for u in parsed.units:  # a unit on two rows of a province sheet: refused, as in a CSV of the sheet
        if u.row is not None and seen.setdefault(u.code, u.row) != u.row:
            parsed.problems.append(duplicate_unit(str(path), u.sheet, u.row, u.code, seen[u.code]))
    if parsed.problems:
        raise CertifyError(parsed.problems)
    if not parsed.units:
        raise _nothing(path)
    bound = bind_cohort(fw, [Intake(unit_assessment(u, exp), name=u.file) for u in parsed.units])
    if bound.refused:
        raise CertifyError(bound.problems())
    sources = [f"{path}:{u.sheet}!{u.row}" if u.row else str(path) for u in parsed.units]
    return Batch([Cohort(resolved, [sources[p] for p in bound.positions], evaluate_many(resolved, bound.cohort))])


def from_csv(path: Path, catalog: Catalog, framework: str | None) -> Batch:
    """The province sheet of `certify template` saved as CSV (`certify.intake.province_csv`), against the
    framework named on the command line (a CSV has no `_meta` sheet to name it): read a column at a time
    straight into the cohort's arrays, every cell checked as the workbook path checks it."""
    from certify.catalog import split_ref
    from certify.intake.province_csv import read_province_csv
    from certify.levels.intake import level_framework
    from certify.levels.model import LevelFramework

    if framework is None:
        raise CertifyError.one(
            "csv-needs-framework",
            "Tệp CSV không ghi bộ tiêu chí: thêm --framework MÃ@PHIÊN_BẢN (như khi tạo phiếu bằng certify template)",
            "A CSV file does not name its framework: add --framework ID@VERSION (as given to certify template)",
            file=str(path),
            expected="--framework sample-2361-commune@1.0",
            found="(không có/none)",
        )
    resolved = level_framework(catalog, *split_ref(framework))
    fw = resolved.framework
    assert isinstance(fw, LevelFramework)
    sheet = read_province_csv(path, fw)
    if not sheet.rows:
        raise _nothing(path)
    sources = [f"{path}:{row}" for row in sheet.rows]
    return Batch([Cohort(resolved, sources, evaluate_many(resolved, sheet.cohort))])


def from_cycle(session: Session, cycle_id: int, catalog: Catalog | None = None) -> Batch:
    """The submissions of a stored cycle, on their effective values (appraised over self-assessed)."""
    from certify.store.cycles import get_cycle
    from certify.store.evaluations import evaluate_cycle

    cycle = get_cycle(session, cycle_id)
    cohort = evaluate_cycle(session, cycle, catalog)
    cohort.raise_problems()
    done = [u for u in cohort.units if u.evaluation is not None]
    if not done:
        raise _nothing(Path(f"cycle {cycle_id}"))
    evaluations = [u.evaluation for u in done if u.evaluation is not None]
    return Batch([Cohort(cohort.resolved, [f"cycle {cycle_id}"] * len(done), evaluations)])


# --- what is written ---------------------------------------------------------------------------------------


def format_for(output: Path | None, fmt: str | None) -> str:
    """The format asked for, else the output file's suffix, else CSV."""
    chosen = fmt or (output.suffix.lower().lstrip(".") if output is not None else "") or "csv"
    if chosen not in FORMATS:
        raise CertifyError.one(
            "unknown-format",
            f"Không có định dạng «{chosen}» cho --batch",
            f"No format '{chosen}' for --batch",
            expected=" | ".join(FORMATS),
            found=chosen,
        )
    if chosen == "xlsx" and output is None:
        raise CertifyError.one(
            "binary-needs-output",
            "Định dạng xlsx là tệp nhị phân: cần --output TỆP",
            "The xlsx format is a binary file: add --output FILE",
            expected="--output levels.xlsx",
        )
    return chosen


def to_csv(batch: Batch) -> str:
    from certify.cellsafe import neutralise, neutralise_column

    safe: list[list[Any]] = []
    for col in batch.level_columns().values():
        kinds = set(map(type, col))
        if kinds <= {str}:  # a column of texts searched at once for a cell a spreadsheet would run (certify.cellsafe)
            safe.append(neutralise_column(col))
        else:  # whole numbers (a year, a count) are never run
            safe.append(col if kinds <= {int} else [neutralise(v) for v in col])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LEVEL_COLUMNS)
    writer.writerows(zip(*safe, strict=True))
    return buffer.getvalue()


def to_json(batch: Batch) -> str:
    return json.dumps(list(batch.reports()), ensure_ascii=False, indent=1, default=str) + "\n"


def write_xlsx(batch: Batch, path: Path) -> None:
    """Two sheets: «Mức độ» (one row per unit) and «Khoảng cách» (one row per criterion to reach next)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from certify.cellsafe import formula_like, set_cell

    wb = Workbook(write_only=True)  # rows streamed to the file: a whole country's gaps fit in memory
    for title, columns, rows in (
        ("Mức độ", LEVEL_COLUMNS, batch.level_rows()),
        ("Khoảng cách", GAP_COLUMNS, batch.gap_rows()),
    ):
        ws = wb.create_sheet(title)
        ws.append(list(columns))
        for row in rows:
            cells: list[Any] = []
            for c in columns:
                value = row[c]
                if formula_like(value):  # typed text kept exact, stored as text (certify.cellsafe)
                    cell = WriteOnlyCell(ws)
                    set_cell(cell, value)
                    value = cell
                cells.append(value)
            ws.append(cells)
    wb.save(path)
