"""`certify frameworks list|show|validate|diff|test|schema|export|import`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from certify.cli.common import EXIT_INVALID, ForceFlag, console, ensure_writable, print_json, print_problems
from certify.errors import CertifyError

# The catalog (pydantic, numpy, YAML) is imported inside each command, so `certify --help` starts without it.
if TYPE_CHECKING:
    from certify.catalog import Resolved

app = typer.Typer(help="Bộ tiêu chí (frameworks): liệt kê, xem, kiểm tra, so sánh.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")]


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="frameworks")


@app.command("list")
def list_(as_json: JsonFlag = False) -> None:
    """Liệt kê các bộ tiêu chí có sẵn (list available frameworks)."""
    from certify.catalog import default_catalog
    from certify.summary import header

    catalog = default_catalog()
    rows = [header(r) | {"path": str(e.path)} for e, r in ((e, catalog.load_path(e.path)) for e in catalog.entries())]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table(title="Bộ tiêu chí / Frameworks")
    table.add_column("Mã / id", no_wrap=True)  # the id is what users type: never cut it
    for col in ("Phiên bản", "Loại", "Cấp", "Trạng thái", "Tên"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["version"], r["kind"], r["tier"], r["status"], r["title"])
    console.print(table)


@app.command()
def show(
    ref: Annotated[str, typer.Argument(help="Mã bộ tiêu chí, có thể kèm @phiên-bản")], as_json: JsonFlag = False
) -> None:
    """Xem cấu trúc một bộ tiêu chí (show a framework's structure)."""
    from certify.catalog import default_catalog
    from certify.summary import summary as framework_summary

    resolved = default_catalog().load(ref)
    summary = framework_summary(resolved)
    if as_json:
        print_json(summary)
        return
    if summary["banner"]:
        console.print(f"[bold yellow]⚠ {summary['banner']}[/]")
    console.print(f"[bold]{summary['title']}[/] ({summary['id']}@{summary['version']}, {summary['status']})")
    console.print(f"Nguồn / source: {resolved.framework.source.cite()}")
    counts = summary["counts"]
    from rich.table import Table

    table = Table(title=f"Tổng số / total: {counts['total']}")
    table.add_column("Nhóm / group")
    table.add_column("Số lượng / count", justify="right")
    table.add_column("Khai báo / declared", justify="right")
    names = {g["id"]: g["name"] for g in summary["groups"]}
    for gid, n in counts["by_group"].items():
        declared = counts["declared"].get(gid)
        table.add_row(names.get(gid, gid), str(n), "" if declared is None else str(declared))
    console.print(table)
    for line in summary.get("notes", []):
        console.print(line)
    if resolved.warnings:
        print_problems(list(resolved.warnings), console)


@app.command()
def validate(file: Annotated[Path, typer.Argument(help="Tệp YAML bộ tiêu chí")]) -> None:
    """Kiểm tra một tệp bộ tiêu chí (validate a framework file)."""
    from certify.catalog import default_catalog
    from certify.errors import errors_only

    resolved, problems = default_catalog().check_path(file)
    print_problems(problems, console)
    if errors_only(problems) or resolved is None:
        console.print(f"[bold red]✗ Không hợp lệ / invalid:[/] {len(errors_only(problems))} lỗi/errors")
        raise typer.Exit(EXIT_INVALID)
    fw = resolved.framework
    console.print(
        f"[green]✓ Hợp lệ / valid:[/] {fw.id}@{fw.version} ({fw.status.value}), {len(problems)} cảnh báo/warnings"
    )


def _load_any(ref: str) -> Resolved:
    from certify.catalog import default_catalog

    path = Path(ref)
    catalog = default_catalog()
    return catalog.load_path(path) if path.suffix in {".yaml", ".yml"} and path.exists() else catalog.load(ref)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Bản cũ: mã@phiên-bản hoặc tệp")],
    new: Annotated[str, typer.Argument(help="Bản mới: mã@phiên-bản hoặc tệp")],
    as_json: JsonFlag = False,
) -> None:
    """Những gì phiên bản mới thay đổi (what a new version changes)."""
    from certify.diff import diff_frameworks

    changes = diff_frameworks(_load_any(old), _load_any(new))
    if as_json:
        print_json([c.to_dict() for c in changes])
        return
    if not changes:
        console.print("Không có thay đổi (no changes).")
        return
    from rich.table import Table

    table = Table(title=f"{old} → {new}: {len(changes)} thay đổi / changes")
    table.add_column("Loại")
    table.add_column("Vị trí", overflow="fold")
    table.add_column("Cũ")
    table.add_column("Mới")
    label = {"added": "thêm", "removed": "bỏ", "changed": "sửa"}
    for c in changes:
        table.add_row(label[c.kind], c.path, _short(c.old), _short(c.new))
    console.print(table)


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


@app.command("test")
def test_(
    target: Annotated[
        str | None,
        typer.Argument(help="Mã bộ tiêu chí, thư mục bộ tiêu chí hoặc tệp kiểm thử; bỏ trống: tất cả"),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Chạy các tệp kiểm thử (cases/*.yaml) của bộ tiêu chí, ở bất kỳ thư mục nào
    (run a framework folder's case files, wherever it lives)."""
    from certify.cases import run_target
    from certify.catalog import default_catalog

    results = run_target(target, default_catalog())
    if as_json:
        print_json([r.to_dict() for r in results])
    else:
        for r in results:
            mark = "[green]✓[/]" if r.ok else "[bold red]✗[/]"
            console.print(f"{mark} {escape(str(r.path))} — {escape(r.description)}", soft_wrap=True)
            for line in r.failures:
                console.print(f"    [red]{escape(line)}[/]", soft_wrap=True)
            if r.problems:
                print_problems(list(r.problems), console)
        passed = sum(r.ok for r in results)
        colour = "green" if passed == len(results) and results else "bold red"
        console.print(f"[{colour}]{passed}/{len(results)} tệp kiểm thử đạt / cases passed[/]")
    if not results:
        raise CertifyError.one(
            "no-cases",
            "Không có tệp kiểm thử nào (cases/*.yaml)",
            "No case files found (cases/*.yaml)",
            found=target or "(tất cả/all)",
        )
    if any(r.problems for r in results):
        raise typer.Exit(EXIT_INVALID)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="Loại bộ tiêu chí: levels | dti")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Ghi ra tệp (write to a file)")] = None,
) -> None:
    """JSON Schema của một loại bộ tiêu chí, để trình soạn thảo gợi ý khóa và báo lỗi
    (the JSON Schema of a kind, for editors: `# yaml-language-server: $schema=…`)."""
    from certify.schema import schema_text

    text = schema_text(kind)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"Đã ghi / written: {output}")


@app.command("export")
def export_(
    ref: Annotated[str, typer.Argument(help="Mã bộ tiêu chí, có thể kèm @phiên-bản")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp .xlsx")],
    force: ForceFlag = False,
) -> None:
    """Ghi bộ tiêu chí ra bảng tính Excel để sửa (export a framework as an editable workbook)."""
    from certify.framework_xlsx import export_workbook

    ensure_writable(output, force)
    resolved = _load_any(ref)
    output.write_bytes(export_workbook(resolved))
    console.print(f"Đã ghi / written: {output} ({resolved.framework.ref}, {resolved.content_hash[:19]}…)")


@app.command("import")
def import_(
    workbook: Annotated[Path, typer.Argument(help="Bảng tính .xlsx (từ certify frameworks export)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp YAML: <mã>/<phiên-bản>.yaml")],
    force: ForceFlag = False,
) -> None:
    """Chuyển bảng tính thành tệp bộ tiêu chí YAML, kiểm tra trước khi ghi
    (turn a workbook back into a framework file, checked before anything is written)."""
    from certify.catalog import default_catalog
    from certify.framework_xlsx import import_workbook

    ensure_writable(output, force)
    text, resolved, problems = import_workbook(workbook, default_catalog())
    print_problems([p for p in problems if p.severity != "error"], console)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    fw = resolved.framework
    console.print(f"[green]✓ Đã ghi / written:[/] {output} ({fw.ref}, {resolved.content_hash[:19]}…)")
