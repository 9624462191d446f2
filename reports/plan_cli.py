"""`certify plan`: a unit's draft plan for a year, or the province's what-if over all its units.

certify plan FILE [--year 2027] [--format docx|xlsx|pdf|md] [-o OUT] [--history FOLDER]
certify plan --cycle N --unit CODE [--year 2027] [--format …]
certify plan --province (--cycle N | --assessments FOLDER [--data-year 2025]) [--steps 5]
             [--raise CQS-02=80% …] [--area «Huyện …»] [--units 29602,29677] [--format pdf|xlsx|json]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from certify.cli.common import ForceFlag, console
from certify.errors import CertifyError
from reports.cli import write_output

# The engines (catalog, levels, planning, storage) are imported inside the commands: `certify --help` and the
# other commands start without them (tests/test_imports.py).
if TYPE_CHECKING:
    from certify.levels.evaluate import Evaluation
    from certify.levels.roadmap import History

UNIT_FORMATS = ("docx", "xlsx", "pdf", "md")
PROVINCE_FORMATS = ("pdf", "xlsx", "json")


def _usage(vi: str, en: str, expected: str) -> CertifyError:
    return CertifyError.one("plan-usage", vi, en, expected=expected)


def _choose(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise CertifyError.one(
            "unknown-format",
            f"Không có định dạng «{fmt}» cho lệnh này",
            f"No format '{fmt}' for this command",
            expected=" | ".join(allowed),
            found=fmt,
        )
    return fmt


def plan_cmd(
    assessment: Annotated[Path | None, typer.Argument(help="Tệp đánh giá của đơn vị (assessment file)")] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Năm kế hoạch (mặc định: năm sau năm số liệu / plan year)")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="docx | xlsx | pdf | md; tỉnh: pdf | xlsx | json")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Tệp ra (output file)")] = None,
    cycle: Annotated[int | None, typer.Option("--cycle", help="Kỳ đánh giá trong cơ sở dữ liệu (stored cycle)")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Mã đơn vị trong kỳ (unit code, with --cycle)")] = None,
    province: Annotated[bool, typer.Option("--province", help="Phân tích cả tỉnh (province what-if)")] = False,
    assessments: Annotated[
        Path | None, typer.Option("--assessments", "-a", help="Thư mục tệp đánh giá, với --province")
    ] = None,
    data_year: Annotated[
        int | None, typer.Option("--data-year", help="Năm số liệu trong thư mục (mặc định: năm mới nhất)")
    ] = None,
    tier: Annotated[str | None, typer.Option("--tier", help="commune | district, khi thư mục có cả hai cấp")] = None,
    history: Annotated[
        Path | None, typer.Option("--history", help="Thư mục đánh giá các năm trước của đơn vị (tốc độ tăng)")
    ] = None,
    steps: Annotated[int, typer.Option("--steps", help="Số bước của kế hoạch tỉnh (1–20)")] = 5,
    raise_: Annotated[
        list[str] | None,
        typer.Option("--raise", help="Kịch bản: MÃ hoặc MÃ=NGƯỠNG, ví dụ CQS-02=80% (lặp lại được)"),
    ] = None,
    area: Annotated[str | None, typer.Option("--area", help="Kịch bản chỉ ở khu vực (huyện cũ) này")] = None,
    units: Annotated[
        str | None, typer.Option("--units", help="Kịch bản chỉ ở các đơn vị này (mã, cách nhau dấu phẩy)")
    ] = None,
    dti: Annotated[
        Path | None, typer.Option("--dti", help="Tệp chấm điểm DTI cấp tiêu chí (CSV/XLSX), với --province")
    ] = None,
    dti_framework: Annotated[str | None, typer.Option("--dti-framework", help="Mã bộ chỉ số DTI")] = None,
    dti_unit: Annotated[
        str | None, typer.Option("--dti-unit", help="Đơn vị cần tăng hạng DTI (mã trong tệp chấm điểm)")
    ] = None,
    force: ForceFlag = False,
) -> None:
    """Kế hoạch chuyển đổi số: dự thảo của một đơn vị cho một năm, hoặc phân tích nâng mức của cả tỉnh."""
    if province:
        if assessment is not None or unit is not None or history is not None:
            raise _usage(
                "Với --province: không kèm tệp đánh giá, --unit, --history",
                "With --province: no assessment file, --unit or --history",
                "--province --cycle N | --province --assessments FOLDER",
            )
        _province(
            cycle,
            assessments,
            data_year,
            tier,
            year,
            _choose(fmt or "pdf", PROVINCE_FORMATS),
            output,
            steps,
            raise_ or [],
            area,
            units,
            (dti, dti_framework, dti_unit),
            force,
        )
        return
    if raise_ or area or units or assessments is not None or dti or dti_framework or dti_unit:
        raise _usage(
            "--raise, --area, --units, --assessments, --dti… chỉ dùng với --province",
            "--raise, --area, --units, --assessments, --dti… only go with --province",
            "--province",
        )
    from certify.catalog import default_catalog
    from certify.formats import get_gap_format
    from certify.levels.evaluate import evaluate
    from certify.levels.gap import gap_report
    from certify.levels.intake import load_unit

    chosen = _choose(fmt or "docx", UNIT_FORMATS)
    past: History | None = None
    if cycle is not None or unit is not None:
        if cycle is None or unit is None or assessment is not None:
            raise _usage(
                "Dùng --cycle SỐ cùng --unit MÃ (không kèm tệp đánh giá)",
                "Use --cycle ID together with --unit CODE (and no assessment file)",
                "--cycle ID --unit CODE",
            )
        ev, past = _stored_unit(cycle, unit)
    elif assessment is not None:
        resolved, bound = load_unit(assessment, default_catalog())
        ev = evaluate(resolved, bound)
        past = _folder_history(history, ev) if history is not None else None
    else:
        raise _usage(
            "Cần tệp đánh giá, hoặc --cycle SỐ --unit MÃ, hoặc --province",
            "Give an assessment file, or --cycle ID --unit CODE, or --province",
            "FILE | --cycle ID --unit CODE | --province",
        )
    report = gap_report(ev, start_year=year, history=past)
    rendered = get_gap_format(f"plan-{chosen}").render(report)
    default = Path(f"ke-hoach-cds-{ev.unit.assessment.unit}-{report.start}.{chosen}")
    write_output(output or default, rendered, force)


def _folder_history(folder: Path, ev: Evaluation) -> History:
    from certify.plan.history import history_of
    from reports.inputs import load_folder

    return history_of(load_folder(folder), ev.unit.assessment.unit, ev.unit.assessment.year)


def _stored_unit(cycle_id: int, code: str) -> tuple[Evaluation, History]:
    from certify.plan.history import stored_history
    from certify.store.cycles import get_cycle
    from certify.store.engine import make_engine, transaction
    from reports.from_store import ALL_STATES, read_cycle

    engine = make_engine(None)
    try:
        with transaction(engine) as session:
            stored = read_cycle(session, cycle_id, states=ALL_STATES, previous=False)
            ev = stored.evaluation(code)
            past = stored_history(session, get_cycle(session, cycle_id), code)
    finally:
        engine.dispose()
    return ev, past


def _province(
    cycle: int | None,
    assessments: Path | None,
    data_year: int | None,
    tier: str | None,
    plan_year: int | None,
    fmt: str,
    output: Path | None,
    steps: int,
    raise_: list[str],
    area: str | None,
    units: str | None,
    dti_args: tuple[Path | None, str | None, str | None],
    force: bool,
) -> None:
    if (cycle is None) == (assessments is None):
        raise _usage(
            "Cần đúng một nguồn: --cycle SỐ hoặc --assessments THƯ_MỤC",
            "Give exactly one source: --cycle ID or --assessments FOLDER",
            "--cycle | --assessments",
        )
    from certify.plan.province import Proposal

    wanted = [u.strip() for u in units.split(",") if u.strip()] if units else None
    proposals = [Proposal.parse(text, area, wanted) for text in raise_]
    if (area or wanted) and not proposals:
        raise _usage(
            "--area, --units chọn nơi áp dụng kịch bản --raise: thêm --raise MÃ[=NGƯỠNG]",
            "--area and --units say where a --raise scenario applies: add --raise CODE[=THRESHOLD]",
            "--raise CODE[=THRESHOLD]",
        )
    from reports.plan_inputs import dti_side, from_folder, from_stored

    dti_file, dti_framework, dti_unit = dti_args
    if (dti_file is None) != (dti_framework is None) or (dti_unit is not None and dti_file is None):
        raise _usage(
            "--dti TỆP cần kèm --dti-framework MÃ (và --dti-unit chỉ đi cùng hai tùy chọn đó)",
            "--dti FILE needs --dti-framework ID (and --dti-unit goes only with both)",
            "--dti FILE --dti-framework ID [--dti-unit CODE]",
        )
    levers = dti_side(dti_file, dti_framework, dti_unit) if dti_file is not None and dti_framework else None
    if cycle is not None:
        from reports.from_store import ALL_STATES, load_cycle

        stored = load_cycle(cycle, states=ALL_STATES, previous=False)
        plan = from_stored(stored, steps, proposals, plan_year, dti=levers)
    else:
        assert assessments is not None
        plan = from_folder(assessments, data_year, tier, steps, proposals, plan_year, dti=levers)
    if fmt == "json":
        text = json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n"
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_output(output, text, force)
        return
    from reports.province_plan import render_province_plan_pdf, render_province_plan_xlsx

    rendered = render_province_plan_pdf(plan) if fmt == "pdf" else render_province_plan_xlsx(plan)
    write_output(output or Path(f"phan-tich-nang-muc-{plan.year}.{fmt}"), rendered, force)
    console.print(
        f"{plan.cohort.size} đơn vị; kế hoạch {len(plan.greedy.steps)} bước đưa "
        f"{sum(len(s.lifted) for s in plan.greedy.steps)} đơn vị lên mức"
    )


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_cmd)
