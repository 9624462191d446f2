"""`certify evaluate`, `certify gap`, `certify demo`."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from certify.cli.common import ForceFlag, console, ensure_writable, print_json
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


def evaluate_cmd(
    assessment: AssessmentArg,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")] = False,
    framework: FrameworkOpt = None,
) -> None:
    """Xác định mức độ chuyển đổi số đạt được (certify one unit)."""
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
