"""`certify score`: point-based DTI scoring of a cohort, printed as a ranking."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from certify.cli.common import console, print_json, print_problems
from certify.errors import CertifyError

# The DTI engine (numpy, pydantic, the catalog) is imported when the command runs, not at `certify --help`.
if TYPE_CHECKING:
    from certify.dti.model import DtiFramework
    from certify.dti.results import Results


def _framework(ref: str) -> tuple[DtiFramework, str]:
    from certify.dti.model import DtiFramework
    from certify.dti.score_file import load_dti

    resolved = load_dti(ref)
    assert isinstance(resolved.framework, DtiFramework)
    return resolved.framework, resolved.content_hash


def _points(x: float) -> str:
    from certify.dti.numbers import points_text

    return points_text(x)


def _value(x: float) -> str:
    from certify.dti.numbers import value_text

    return value_text(x)


def write_csv(results: Results) -> None:
    fw = results.fw
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(
        [
            "unit",
            "name",
            "group",
            "rank",
            "points",
            "max_points",
            "value",
            "band",
            *[f"points_{i.code}" for i in fw.indices],
        ]
    )
    for i in results.order():
        out.writerow(
            [
                results.units[i],
                results.names[i] if results.names else "",
                results.groups[i] if results.groups else "",
                int(results.ranks[i]) or "",
                _points(float(results.total[i])),
                _points(float(results.max_total[i])),
                _value(float(results.value[i])),
                results.bands[i] or "",
                *[_points(float(p)) for p in results.index_points[i]],
            ]
        )


def print_table(results: Results) -> None:
    from rich.table import Table

    fw = results.fw
    if fw.banner:
        console.print(f"[bold yellow]⚠ {escape(fw.banner[0])} ({escape(fw.banner[1])})[/]")
    cohort = ", ".join(p for p in (fw.tier.value, results.province, results.year) if p)
    table = Table(
        title=f"Xếp hạng chỉ số DTI — {escape(fw.title)}",
        caption="Chỉ số chính: "
        + "; ".join(f"{i.code} {i.name} ({i.max_points:g})" for i in fw.indices)
        + f"\nNguồn: {fw.source.cite()} — tập đơn vị: {cohort} ({results.n} đơn vị)",
    )
    with_names = bool(results.names and any(results.names))
    with_groups = bool(results.groups and any(results.groups))
    with_bands = fw.bands_known
    # Main-index columns only where they fit; --csv and --json always carry them.
    with_indices = console.width >= 130
    table.add_column("Hạng", justify="right", no_wrap=True)
    table.add_column("Mã đơn vị", no_wrap=True)
    if with_names:
        table.add_column("Tên đơn vị")
    if with_groups:
        table.add_column("Nhóm")
    table.add_column("Điểm", justify="right", no_wrap=True)
    table.add_column("Tối đa", justify="right", no_wrap=True)
    table.add_column("Giá trị DTI", justify="right", no_wrap=True)
    if with_bands:
        table.add_column("Xếp loại")
    shown = [k for k, index in enumerate(fw.indices) if index.max_points > 0] if with_indices else []
    for k in shown:
        table.add_column(fw.indices[k].code, justify="right", no_wrap=True)
    band_names = {b.id: b.name for b in fw.bands}
    for i in results.order():
        row = [str(int(results.ranks[i]) or "—"), escape(results.units[i])]
        if with_names:
            row.append(escape(results.names[i]))
        if with_groups:
            row.append(escape(results.groups[i]))
        row += [_points(float(results.total[i])), _points(float(results.max_total[i])), _value(float(results.value[i]))]
        if with_bands:
            band = results.bands[i]
            row.append(band_names.get(band, "") if band else "")
        row += [_points(float(results.index_points[i, k])) for k in shown]
        table.add_row(*row)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the DTI commands to the main app."""

    @app.command("score")
    def score(
        cohort_file: Annotated[Path, typer.Argument(help="Tệp CSV hoặc XLSX, mỗi dòng một đơn vị (one row per unit)")],
        framework: Annotated[str, typer.Option("--framework", "-f", help="Mã bộ chỉ số DTI, có thể kèm @phiên-bản")],
        as_json: Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")] = False,
        as_csv: Annotated[bool, typer.Option("--csv", help="In bảng xếp hạng dạng CSV (print CSV).")] = False,
        index_level: Annotated[
            bool,
            typer.Option("--index-level", help="Tệp chứa giá trị chỉ số chính 0–1, cột «1» … «9» (main-index values)"),
        ] = False,
    ) -> None:
        """Chấm điểm DTI và xếp hạng một tập đơn vị (score and rank a cohort on a DTI framework)."""
        if as_json and as_csv:
            raise CertifyError.one(
                "conflicting-options", "Chọn một trong --json và --csv", "Choose one of --json and --csv"
            )
        from certify.dti.score_file import score_file

        fw, content_hash = _framework(framework)
        results = score_file(cohort_file, fw, index_level)
        if as_json:
            data = results.to_json()
            data["framework"]["content_hash"] = content_hash
            print_json(data)
        elif as_csv:
            write_csv(results)
        else:
            print_table(results)
            if results.warnings:
                print_problems(results.warnings, console)
