"""`certify national-run`: the national trial run (reports/national.py) with a progress display and stage times."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from certify.cli.common import ForceFlag, console
from certify.errors import CertifyError


def national_run_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục kết quả (output folder)")] = Path("national-run"),
    pdf: Annotated[bool, typer.Option("--pdf", help="Cả bản PDF từng tỉnh (also a PDF per province)")] = False,
    provinces: Annotated[
        str | None,
        typer.Option("--provinces", help="Chỉ các tỉnh này, mã hoặc tên, cách nhau dấu phẩy: 86,12 (default: all 34)"),
    ] = None,
    year: Annotated[int, typer.Option("--year", min=2025, max=2100, help="Năm đánh giá (assessment year)")] = 2025,
    seed: Annotated[int, typer.Option("--seed", help="Hạt giống số liệu mô phỏng (synthetic values seed)")] = 2025,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help="Số tiến trình ghi báo cáo")] = 2,
    force: ForceFlag = False,
) -> None:
    """Chạy thử toàn quốc: 3.321 xã của 34 tỉnh (số liệu mô phỏng) — mức độ, DTI, báo cáo tổng hợp từng tỉnh
    (national trial run: every post-merger commune certified, DTI-scored and summarised per province)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from reports.national import SYNTHETIC, national_run

    if out.exists() and any(out.iterdir()) and not force:
        raise CertifyError.one(
            "output-exists",
            f"Thư mục «{out}» đã có tệp: thêm --force để ghi đè, hoặc chọn thư mục khác",
            f"Folder '{out}' is not empty: add --force to overwrite, or choose another folder",
            expected="--out THƯ-MỤC-MỚI hoặc/or --force",
            found=str(out),
        )
    console.print(f"[bold yellow]⚠ {SYNTHETIC[0]}[/] ({SYNTHETIC[1]})")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def show(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        chosen = [p for p in provinces.split(",") if p.strip()] if provinces else None
        run = national_run(out, year=year, seed=seed, provinces=chosen, pdf=pdf, jobs=jobs, progress=show)
    table = Table(title=f"Chạy thử toàn quốc {year}: {len(run.provinces)} tỉnh, {run.communes:,} xã — thời gian")
    table.add_column("Bước / stage")
    table.add_column("Giây / s", justify="right")
    table.add_column("")
    for stage in run.stages:
        table.add_row(stage.name, f"{stage.seconds:.2f}", stage.detail)
    table.add_row("[bold]Tổng / total[/]", f"[bold]{run.seconds:.2f}[/]", "")
    console.print(table)
    console.print(
        f"Đã ghi / written: {out / 'index.html'} (và/and index.json, một thư mục mỗi tỉnh / one per province)"
    )


def register(app: typer.Typer) -> None:
    app.command("national-run")(national_run_cmd)
