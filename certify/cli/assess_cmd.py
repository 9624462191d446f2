"""`certify evaluate`, `certify gap`, `certify demo`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from certify.cli.common import ForceFlag, console, console_err, database, ensure_writable, print_json
from certify.errors import CertifyError

# The levels engine (numpy, pydantic, the catalog) is imported inside each command: `certify --help` and the
# other commands start without it.
if TYPE_CHECKING:
    from certify.catalog import Resolved
    from certify.levels.assessment import BoundAssessment
    from certify.levels.evaluate import Evaluation

AssessmentArg = Annotated[Path, typer.Argument(help="Tệp đánh giá YAML/JSON (assessment file)", show_default=False)]
FrameworkOpt = Annotated[
    str | None,
    typer.Option(
        "--framework",
        help="Đánh giá lại theo bộ tiêu chí/phiên bản khác, vd. sample-2361-commune@1.1 "
        "(re-evaluate against another framework version)",
    ),
]
EvaluateFrameworkOpt = Annotated[
    str | None,
    typer.Option(
        "--framework",
        help="Đánh giá lại theo bộ tiêu chí/phiên bản khác, vd. sample-2361-commune@1.1; bộ tiêu chí của một trang "
        "tổng hợp .csv (re-evaluate against another framework version; the framework of a province sheet .csv)",
    ),
]


def evaluate_cmd(
    assessment: Annotated[
        Path | None,
        typer.Argument(help="Tệp đánh giá YAML/JSON (assessment file)", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")] = False,
    framework: EvaluateFrameworkOpt = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            help="Đánh giá cả thư mục tệp đánh giá, một phiếu .xlsx đã điền hoặc trang tổng hợp lưu thành .csv "
            "(kèm --framework) (certify a folder of assessment files, a filled .xlsx form, or the province sheet "
            "saved as .csv, with --framework)",
            show_default=False,
        ),
    ] = None,
    cycle: Annotated[
        int | None, typer.Option("--cycle", help="Đánh giá một kỳ đã lưu (certify a stored cycle)", show_default=False)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Ghi mức độ và khoảng cách ra tệp (write to a file)")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="csv | xlsx | json (mặc định: theo đuôi tệp / by suffix)")
    ] = None,
    force: ForceFlag = False,
) -> None:
    """Xác định mức độ chuyển đổi số đạt được (certify one unit, or many with --batch / --cycle)."""
    if batch is not None or cycle is not None:
        if assessment is not None or as_json or (batch is not None and cycle is not None):
            raise CertifyError.one(
                "batch-usage",
                "Dùng một trong: TỆP, --batch THƯ_MỤC|PHIẾU.xlsx|TRANG.csv, --cycle SỐ (kèm --output, --format)",
                "Use one of: FILE, --batch FOLDER|FORM.xlsx|SHEET.csv, --cycle ID (with --output, --format)",
            )
        _evaluate_batch(batch, cycle, framework, output, fmt, force)
        return
    if assessment is None:
        raise CertifyError.one(
            "missing-input",
            "Cần tệp đánh giá, --batch THƯ_MỤC|PHIẾU.xlsx|TRANG.csv hoặc --cycle SỐ",
            "Give an assessment file, --batch FOLDER|FORM.xlsx|SHEET.csv or --cycle ID",
        )
    from certify.catalog import default_catalog
    from certify.cli.render_text import evaluation_view
    from certify.levels.evaluate import evaluate
    from certify.levels.intake import load_unit

    resolved, bound = load_unit(assessment, default_catalog(), framework)
    ev = evaluate(resolved, bound)
    if as_json:
        print_json(ev.to_dict())
        return
    for r in evaluation_view(ev):
        console.print(r)


def _evaluate_batch(
    source: Path | None, cycle: int | None, framework: str | None, output: Path | None, fmt: str | None, force: bool
) -> None:
    """`certify evaluate --batch …` / `--cycle N`: every unit checked, then certified and its gaps built together."""
    import sys

    from certify import batch as B
    from certify.catalog import default_catalog

    chosen = B.format_for(output, fmt)
    if output is not None:
        ensure_writable(output, force)
    catalog = default_catalog()
    if cycle is not None:
        with database() as session:
            result = B.from_cycle(session, cycle, catalog)
    else:
        assert source is not None
        if source.is_dir():
            result = B.from_folder(source, catalog, framework, progress=_progress())
        elif source.suffix.lower() == ".xlsx":
            result = B.from_workbook(source, catalog)
        elif source.suffix.lower() == ".csv":
            result = B.from_csv(source, catalog, framework)
        else:
            raise CertifyError.one(
                "bad-batch-source",
                "--batch cần một thư mục tệp đánh giá, một phiếu .xlsx hoặc trang tổng hợp .csv",
                "--batch takes a folder of assessment files, a filled .xlsx form or a province sheet .csv",
                file=str(source),
                expected="THƯ_MỤC/FOLDER | PHIẾU/FORM.xlsx | TRANG/SHEET.csv",
                found=source.name if source.exists() else "không có/missing",
            )
    if chosen == "xlsx":
        assert output is not None
        B.write_xlsx(result, output)
    else:
        text = B.to_csv(result) if chosen == "csv" else B.to_json(result)
        if output is None:
            sys.stdout.write(text)
            return
        output.write_text(text, encoding="utf-8")
    console_err.print(f"Đã đánh giá {result.units:,} đơn vị / certified {result.units:,} units → {output}")


def _progress() -> Callable[[int, int], None] | None:
    """A progress line on the terminal while files are read (nothing when stderr is not a terminal)."""
    if not console_err.is_terminal:
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else "\r"
        console_err.print(f"Đọc tệp / reading files: {done:,}/{total:,}", end=end, highlight=False)

    return show


def gap_cmd(
    assessment: AssessmentArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text | json | html | md | …")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Ghi ra tệp (write to a file)")] = None,
    force: ForceFlag = False,
    framework: FrameworkOpt = None,
) -> None:
    """Báo cáo khoảng cách đến mức tiếp theo và lộ trình (gap report and roadmap)."""
    from certify.catalog import default_catalog
    from certify.cli.render_text import gap_view
    from certify.formats import get_gap_format
    from certify.levels.evaluate import evaluate
    from certify.levels.gap import gap_report
    from certify.levels.intake import load_unit

    fmt_obj = get_gap_format(fmt)
    if output is None and fmt_obj.binary:
        raise CertifyError.one(
            "binary-needs-output",
            f"Định dạng {fmt} là tệp nhị phân: cần --output TỆP",
            f"The {fmt} format is a binary file: add --output FILE",
            expected=f"--output gap{fmt_obj.suffix}",
        )
    resolved, bound = load_unit(assessment, default_catalog(), framework)
    report = gap_report(evaluate(resolved, bound))
    if output is None and fmt == "text":
        for r in gap_view(report):
            console.print(r)
        return
    if output is not None:
        ensure_writable(output, force)
    rendered = fmt_obj.render(report)
    if output is None:
        typer.echo(rendered if isinstance(rendered, str) else rendered.decode("utf-8"), nl=False)
        return
    if isinstance(rendered, bytes):
        output.write_bytes(rendered)
    else:
        output.write_text(rendered, encoding="utf-8")
    console.print(f"Đã ghi / written: {output}")


def demo_cmd(
    folder: Annotated[Path | None, typer.Argument(help="Thư mục tệp đánh giá (mặc định: dữ liệu mẫu)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")] = False,
) -> None:
    """Đánh giá các đơn vị mẫu kèm theo và in bảng mức độ (evaluate the bundled sample units)."""
    from rich.table import Table

    from certify.catalog import default_catalog
    from certify.framework_base import TIER_VI
    from certify.levels.evaluate import evaluate_many
    from certify.levels.gap import gap_report
    from certify.levels.intake import load_unit
    from certify.paths import bundled_root

    folder = folder or bundled_root("samples") / "assessments"
    files = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml", ".json"})
    catalog = default_catalog()
    groups: dict[str, tuple[Resolved, list[BoundAssessment]]] = {}
    for file in files:
        resolved, bound = load_unit(file, catalog)
        groups.setdefault(resolved.framework.ref, (resolved, []))[1].append(bound)
    evaluations: list[Evaluation] = []
    for resolved, units in groups.values():
        evaluations += evaluate_many(resolved, units)
    evaluations.sort(key=lambda e: (e.unit.assessment.tier, -e.level_index, e.unit.assessment.unit))
    if as_json:
        print_json([e.to_dict() | {"gap": gap_report(e).to_dict()["items"]} for e in evaluations])
        return
    banners = defaultdict(list)
    for ev in evaluations:
        if ev.fw.banner:
            banners[ev.fw.banner[0]].append(ev.fw.ref)
    for text, refs in banners.items():
        console.print(f"[bold yellow]⚠ {text}[/] ({', '.join(sorted(set(refs)))})")
    table = Table(title=f"Mức độ chuyển đổi số — {len(evaluations)} đơn vị mẫu (sample units)")
    for col in ("Đơn vị", "Mã", "Cấp", "Năm", "Mức đạt được", "Mức tiếp theo", "Còn thiếu", "Thiếu số liệu"):
        table.add_column(col)
    for ev in evaluations:
        a = ev.unit.assessment
        blocking = ev.blocking(ev.next_level) if ev.next_level else []
        missing = [r.code for r in blocking if r.verdict.value == "missing"]
        short_name = (a.unit_name or a.unit).split(",")[0]  # "Xã Tân Hòa, huyện …, tỉnh …" → "Xã Tân Hòa"
        table.add_row(
            short_name,
            a.unit,
            TIER_VI[a.tier],
            str(a.year),
            ev.fw.level_name(ev.level),
            ev.fw.level_name(ev.next_level) if ev.next_level else "—",
            str(len(blocking)),
            ", ".join(missing),
        )
    console.print(table)
    console.print("Chi tiết một đơn vị / details: certify evaluate FILE; khoảng cách / gaps: certify gap FILE")


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_cmd)
    app.command("gap")(gap_cmd)
    app.command("demo")(demo_cmd)
