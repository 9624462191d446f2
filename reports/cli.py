"""`certify report …`: gap (one unit or a folder), province summary, recognition decision."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from certify.cli.common import ForceFlag, console, ensure_writable
from certify.errors import CertifyError

# The engine and the renderers are imported inside each command: `certify --help` starts without them.

report_app = typer.Typer(
    help="Báo cáo in, ký được: khoảng cách, tổng hợp tỉnh, quyết định công nhận (reports).", no_args_is_help=True
)

FolderOpt = Annotated[
    Path | None, typer.Option("--assessments", "-a", help="Thư mục tệp đánh giá (folder of assessments)")
]
CycleOpt = Annotated[
    int | None, typer.Option("--cycle", help="Kỳ đánh giá trong cơ sở dữ liệu (stored cycle id; CERTIFY_DATABASE_URL)")
]


def _one_source(assessments: Path | None, cycle: int | None) -> None:
    if (assessments is None) == (cycle is None):
        raise CertifyError.one(
            "one-source",
            "Cần đúng một nguồn: --assessments THƯ_MỤC hoặc --cycle SỐ",
            "Give exactly one source: --assessments FOLDER or --cycle ID",
            expected="--assessments | --cycle",
        )


def write_output(output: Path, data: str | bytes, force: bool) -> None:
    ensure_writable(output, force)
    try:
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise CertifyError.one(
            "cannot-write",
            f"Không ghi được tệp «{output}»: {exc.strerror}",
            f"Cannot write '{output}': {exc.strerror}",
            found=str(output),
        ) from None
    console.print(f"Đã ghi / written: {output}")


def _suffix(output: Path, allowed: dict[str, str]) -> str:
    kind = allowed.get(output.suffix.lower())
    if kind is None:
        raise CertifyError.one(
            "unknown-suffix",
            f"Tệp ra phải có đuôi {' hoặc '.join(allowed)}",
            f"The output file must end in {' or '.join(allowed)}",
            expected=" | ".join(allowed),
            found=output.name,
        )
    return kind


def _cycle_year(cycle_year: int, year: int | None) -> None:
    if year is not None and year != cycle_year:
        raise CertifyError.one(
            "wrong-year",
            f"Kỳ đánh giá là năm {cycle_year}, không phải {year}",
            f"The cycle is of {cycle_year}, not {year}",
            expected=str(cycle_year),
            found=str(year),
        )


@report_app.command("gap")
def gap_cmd(
    assessment: Annotated[Path | None, typer.Argument(help="Tệp đánh giá (assessment file)")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="pdf | docx | xlsx | html | md")] = "pdf",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Tệp ra, hoặc thư mục ra với --batch")] = None,
    batch: Annotated[Path | None, typer.Option("--batch", help="Thư mục: báo cáo cho mọi đơn vị (all units)")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Số tiến trình (default: all cores)")] = None,
    cycle: CycleOpt = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Mã đơn vị trong kỳ (unit code, with --cycle)")] = None,
    force: ForceFlag = False,
) -> None:
    """Báo cáo khoảng cách của một đơn vị, hoặc của mọi đơn vị trong thư mục (unit gap report)."""
    from certify.catalog import default_catalog
    from certify.formats import get_gap_format
    from certify.levels.evaluate import evaluate
    from certify.levels.gap import gap_report
    from certify.levels.intake import load_unit

    fmt_obj = get_gap_format(fmt)
    if cycle is not None or unit is not None:
        if cycle is None or unit is None or assessment is not None or batch is not None:
            raise CertifyError.one(
                "cycle-unit",
                "Dùng --cycle SỐ cùng --unit MÃ (không kèm tệp đánh giá, --batch)",
                "Use --cycle ID together with --unit CODE (and no assessment file, no --batch)",
                expected="--cycle ID --unit CODE",
            )
        from reports.from_store import ALL_STATES, load_cycle

        ev = load_cycle(cycle, states=ALL_STATES, previous=False).evaluation(unit)
        write_output(output or Path(f"{unit}{fmt_obj.suffix}"), fmt_obj.render(gap_report(ev)), force)
        return
    if batch is not None:
        _batch(batch, fmt, output or Path("reports-out"), jobs)
        return
    if assessment is None:
        raise CertifyError.one(
            "missing-input", "Cần tệp đánh giá hoặc --batch THƯ_MỤC", "Give an assessment file or --batch FOLDER"
        )
    resolved, bound = load_unit(assessment, default_catalog())
    rendered = fmt_obj.render(gap_report(evaluate(resolved, bound)))
    write_output(output or Path(assessment.stem + fmt_obj.suffix), rendered, force)


def _batch(folder: Path, fmt: str, outdir: Path, jobs: int | None) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from reports.batch import Outcome, run_batch
    from reports.inputs import assessment_files

    total = len(assessment_files(folder))
    failed: list[Outcome] = []
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"Báo cáo {fmt}", total=total)

        def done(o: Outcome) -> None:
            progress.advance(task)
            if o.error:
                failed.append(o)

        run_batch(folder, fmt, outdir, jobs, on_done=done)
    console.print(f"Đã ghi / written: {total - len(failed)} báo cáo vào {outdir}")
    if failed:
        raise CertifyError.one(
            "batch-failed",
            f"{len(failed)} tệp không lập được báo cáo: " + "; ".join(f"{o.source.name}: {o.error}" for o in failed),
            f"{len(failed)} files could not be reported",
            found=str(len(failed)),
        )


@report_app.command("province")
def province_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Tệp .pdf hoặc .xlsx")],
    assessments: FolderOpt = None,
    cycle: CycleOpt = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm tổng hợp (mặc định: năm mới nhất)")] = None,
    dti: Annotated[Path | None, typer.Option("--dti", help="Tệp CSV/XLSX tập đơn vị DTI (DTI cohort file)")] = None,
    dti_framework: Annotated[
        str | None, typer.Option("--dti-framework", help="Mã bộ chỉ số DTI, có thể kèm @phiên-bản")
    ] = None,
    force: ForceFlag = False,
) -> None:
    """Báo cáo tổng hợp tỉnh: phân bố theo mức, theo huyện, tiêu chí chặn, thay đổi, xếp hạng DTI (province summary)."""
    from reports.province import DtiInput, score_dti, summarise

    kind = _suffix(output, {".pdf": "pdf", ".xlsx": "xlsx"})
    _one_source(assessments, cycle)
    if (dti is None) != (dti_framework is None):
        raise CertifyError.one(
            "dti-options",
            "--dti TỆP cần kèm --dti-framework MÃ (và ngược lại)",
            "--dti FILE needs --dti-framework ID (and the other way round)",
            expected="--dti FILE --dti-framework ID",
        )
    ranking: DtiInput | tuple[()] = score_dti(dti, dti_framework) if dti and dti_framework else ()
    if cycle is not None:
        from reports.from_store import load_cycle

        stored = load_cycle(cycle)
        _cycle_year(stored.cycle.year, year)
        if not stored.evaluations:
            raise CertifyError.one(
                "empty-cycle",
                f"Kỳ đánh giá {cycle} chưa có đơn vị nào đã gửi số liệu",
                f"Cycle {cycle} has no submitted unit yet",
                found=str(cycle),
            )
        summary = summarise(
            stored.evaluations + stored.previous,
            stored.cycle.year,
            dti=ranking,
            districts=stored.districts,
            province=stored.province,
            formers=stored.formers if stored.formers is not None else {},
            former_links=stored.former_links,
        )
    else:
        from reports.inputs import load_folder

        assert assessments is not None
        evaluations = load_folder(assessments)
        years = {e.unit.assessment.year for e in evaluations}
        if year is not None and year not in years:
            raise CertifyError.one(
                "no-such-year",
                f"Không có đánh giá năm {year}",
                f"No assessment for {year}",
                expected=", ".join(map(str, sorted(years))),
                found=str(year),
            )
        summary = summarise(evaluations, year, dti=ranking)
    if kind == "pdf":
        from reports.province_pdf import render_province_pdf

        write_output(output, render_province_pdf(summary), force)
    else:
        from reports.province_xlsx import render_province_xlsx

        write_output(output, render_province_xlsx(summary), force)


@report_app.command("decision")
def decision_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Tệp .docx")],
    assessments: FolderOpt = None,
    cycle: CycleOpt = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm công nhận (mặc định: năm mới nhất)")] = None,
    province: Annotated[str | None, typer.Option("--province", help="Tên tỉnh, ví dụ «Vĩnh Long»")] = None,
    force: ForceFlag = False,
) -> None:
    """Dự thảo Quyết định công nhận mức độ chuyển đổi số (recognition decision draft, Word)."""
    from reports.decision import Signed, render_decision
    from reports.inputs import load_folder

    _suffix(output, {".docx": "docx"})
    _one_source(assessments, cycle)
    if cycle is not None:
        from reports.from_store import load_cycle

        stored = load_cycle(cycle, previous=False)
        _cycle_year(stored.cycle.year, year)
        chosen = stored.for_decision()
        if not chosen:
            raise CertifyError.one(
                "nothing-to-recognise",
                f"Kỳ đánh giá {cycle} chưa có đơn vị đã công nhận, hoặc đã thẩm định và đạt một mức",
                f"Cycle {cycle} has no recognised unit, nor an appraised one that meets a level",
                found=str(cycle),
            )
        decision = stored.decision(chosen)
        signed = Signed(decision.number, decision.date, decision.signer) if decision else Signed()
        write_output(
            output,
            render_decision(chosen, province or stored.province, signed=signed, districts=stored.districts),
            force,
        )
        return
    assert assessments is not None
    evaluations = load_folder(assessments)
    year = year or max(e.unit.assessment.year for e in evaluations)
    chosen = [e for e in evaluations if e.unit.assessment.year == year]
    if not chosen:
        raise CertifyError.one(
            "no-such-year", f"Không có đánh giá năm {year}", f"No assessment for {year}", found=str(year)
        )
    write_output(output, render_decision(chosen, province), force)


def register(app: typer.Typer) -> None:
    """Add the report commands to the main app."""
    app.add_typer(report_app, name="report")
