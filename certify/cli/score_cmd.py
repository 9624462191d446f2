"""`certify score`: point-based DTI scoring of a cohort, printed as a ranking."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from certify.cli.common import console, console_err, print_json, print_problems
from certify.errors import CertifyError

# The DTI engine (numpy, pydantic, the catalog) is imported when the command runs, not at `certify --help`.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from certify.dti.model import DtiFramework, MainIndex
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
    """One row per unit, ranked units first; the unit's own entries only, so the output is linear in the cohort.
    Written column by column: each rounded and turned to text at once (the same texts as points_text/value_text one
    by one), every text column through the formula rule (certify.cellsafe); the rows joined at once where no cell
    needs the csv module's quotes."""
    import numpy as np

    from certify.cellsafe import neutralise_column
    from certify.dti.numbers import points_texts, value_texts

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
            "not_ranked_reason",
        ]
    )
    order = results.order()
    ranks = results.ranks[order].tolist()
    names, groups, bands, units = results.names, results.groups, results.bands, results.units
    reasons = results.not_ranked  # results.reason(i) or "" is reasons[i]
    # Ranks, and points and values when all are finite, are plain numbers: the formula rule leaves them as they are.
    figures = (results.total, results.max_total, results.value, results.index_points)
    plain = all(bool(np.isfinite(f).all()) for f in figures)

    def number(column: list[str]) -> list[str]:
        return column if plain else neutralise_column(column)

    n = len(order)
    # Every points column (total, maximum, each main index) turned to text in one step, one after the other.
    points = points_texts(np.vstack([results.total[order], results.max_total[order], results.index_points[order].T]))
    total, max_total, *index_points = (number(points[k * n : (k + 1) * n]) for k in range(2 + len(fw.indices)))
    columns: list[list[str]] = [
        neutralise_column([units[i] for i in order]),
        neutralise_column([names[i] for i in order] if names else [""] * n),
        neutralise_column([groups[i] for i in order] if groups else [""] * n),
        number([str(r) if r else "" for r in ranks]),
        total,
        max_total,
        number(value_texts(results.value[order])),
        neutralise_column([bands[i] or "" for i in order]),
        *index_points,
        neutralise_column([reasons[i] for i in order] if reasons else [""] * n),
    ]
    body = "\n".join(map(",".join, zip(*columns, strict=True)))
    # What the csv module writes, when no cell needs quoting: every comma a separator, no quote, no line break
    if body.count(",") == n * (len(columns) - 1) and body.count("\n") == n - 1 and '"' not in body:
        sys.stdout.write(body + "\n" if n else "")
    else:
        out.writerows(zip(*columns, strict=True))


def print_caveats(fw: DtiFramework, out: Console) -> None:
    """The banner of a non-official framework and the points resting on inferred readings, one line each."""
    from certify.dti.caveats import caveats

    for vi, en in caveats(fw):
        out.print(f"[bold yellow]⚠ {escape(vi)}[/] ({escape(en)})", soft_wrap=True)


ROLE_VI = {"bonus": "điểm cộng", "penalty": "điểm trừ"}


def _index_caption(fw: DtiFramework) -> str:
    def one(i: MainIndex) -> str:
        role = ROLE_VI.get(i.role.value)
        return (
            f"{i.code} {i.name} ({role}, tối đa {i.max_points:g})" if role else f"{i.code} {i.name} ({i.max_points:g})"
        )

    text = "Chỉ số chính: " + "; ".join(one(i) for i in fw.indices)
    if fw.denominator is not None:
        text += f"\nGiá trị DTI = điểm ÷ {fw.denominator:g} (mẫu số của bộ chỉ số; thang điểm {fw.max_points:g})"
    return text


def _table(results: Results, title: str, caption: str | None, rows: list[int], reasons: bool) -> Table:
    from rich.table import Table

    fw = results.fw
    table = Table(title=title, caption=caption)
    with_names = bool(results.names and any(results.names))
    with_groups = bool(results.groups and any(results.groups))
    with_bands = fw.bands_known
    # Main-index columns only where they fit; --csv and --json always carry them.
    with_indices = console.width >= 130 and not reasons
    if not reasons:
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
    if reasons:
        table.add_column("Lý do không xếp hạng")
    band_names = {b.id: b.name for b in fw.bands}
    total, top, value = results.total, results.max_total, results.value
    for i in rows:
        row = [] if reasons else [str(int(results.ranks[i]) or "—")]
        row.append(escape(results.units[i]))
        if with_names:
            row.append(escape(results.names[i]))
        if with_groups:
            row.append(escape(results.groups[i]))
        row += [_points(float(total[i])), _points(float(top[i])), _value(float(value[i]))]
        if with_bands:
            band = results.bands[i]
            row.append(band_names.get(band, "") if band else "")
        row += [_points(float(results.index_points[i, k])) for k in shown]
        if reasons:
            row.append(escape(results.reason(i) or ""))
        table.add_row(*row)
    return table


def print_table(results: Results) -> None:
    fw = results.fw
    print_caveats(fw, console)
    cohort = ", ".join(p for p in (fw.tier.value, results.province, results.year) if p)
    order = results.order()
    ranked = [i for i in order if results.reason(i) is None]
    apart = [i for i in order if results.reason(i) is not None]
    caption = _index_caption(fw) + f"\nNguồn: {fw.source.cite()} — tập đơn vị: {cohort} ({results.n} đơn vị)"
    console.print(_table(results, f"Xếp hạng chỉ số DTI — {escape(fw.title)}", caption, ranked, reasons=False))
    if apart:
        title = f"Không xếp hạng (chấm điểm, không xếp hạng — not ranked): {len(apart)} đơn vị"
        console.print(_table(results, title, None, apart, reasons=True))


def register(app: typer.Typer) -> None:
    """Add the DTI commands to the main app."""

    from certify.plugins import names

    # The help lists the methods installed now (built-in and extensions, by entry point: nothing imported).
    help_text = (
        "Chấm điểm DTI và xếp hạng một tập đơn vị (score and rank a cohort on a DTI framework).\n\n"
        f"Phương pháp chấm điểm / scoring methods: {', '.join(names('certify.scoring_methods'))}. "
        "`certify score --methods` in công thức, tham số và ví dụ tính của từng phương pháp "
        "(formula, parameters and a worked number of each)."
    )

    @app.command("score", help=help_text)
    def score(
        cohort_file: Annotated[
            Path | None, typer.Argument(help="Tệp CSV hoặc XLSX, mỗi dòng một đơn vị (one row per unit)")
        ] = None,
        framework: Annotated[
            str | None, typer.Option("--framework", "-f", help="Mã bộ chỉ số DTI, có thể kèm @phiên-bản")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")] = False,
        as_csv: Annotated[bool, typer.Option("--csv", help="In bảng xếp hạng dạng CSV (print CSV).")] = False,
        index_level: Annotated[
            bool,
            typer.Option("--index-level", help="Tệp chứa giá trị chỉ số chính 0–1, cột «1» … «9» (main-index values)"),
        ] = False,
        methods: Annotated[
            bool,
            typer.Option(
                "--methods",
                help="In mọi phương pháp chấm điểm, tham số và ví dụ tính (list every scoring method, "
                "its parameters and a worked number)",
            ),
        ] = False,
    ) -> None:
        if methods:
            print_methods(as_json)
            return
        if as_json and as_csv:
            raise CertifyError.one(
                "conflicting-options", "Chọn một trong --json và --csv", "Choose one of --json and --csv"
            )
        if cohort_file is None or framework is None:
            raise CertifyError.one(
                "missing-input",
                "Cần tệp tập đơn vị và --framework MÃ (hoặc --methods để xem các phương pháp chấm điểm)",
                "Give the cohort file and --framework ID (or --methods to list the scoring methods)",
                expected="certify score TỆP --framework MÃ",
            )
        from certify.bulk import gc_paused

        # The engine's modules, the framework and a cohort's arrays and texts: many objects, no garbage cycles.
        with gc_paused():
            from certify.dti.score_file import score_file

            fw, content_hash = _framework(framework)
            results = score_file(cohort_file, fw, index_level)
            if as_json:
                data = results.to_json()
                data["framework"]["content_hash"] = content_hash
                print_json(data)
            elif as_csv:
                print_caveats(fw, console_err)  # beside the CSV, not in it: the file stays one table
                write_csv(results)
            else:
                print_table(results)
                if results.warnings:
                    print_problems(results.warnings, console)


def print_methods(as_json: bool) -> None:
    """Every registered scoring method: formula, parameters and a worked number, scored now."""
    from dataclasses import asdict

    from rich.markdown import Markdown

    from certify.dti.method_docs import method_docs, to_markdown

    docs = method_docs()
    if as_json:
        print_json([asdict(d) for d in docs])
    else:
        console.print(Markdown(to_markdown(docs)))
