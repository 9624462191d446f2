"""`certify dti …`: DTI scores kept per cycle — score a cohort file into a DTI cycle, publish, show the ranking."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from certify.cli.common import YesFlag, actor, confirm_change, console, database, print_json, print_problems

if TYPE_CHECKING:
    from rich.table import Table

dti_app = typer.Typer(help="Điểm DTI lưu theo kỳ (DTI scores stored per cycle).", no_args_is_help=True)
CycleOpt = Annotated[int, typer.Option("--cycle", help="Số kỳ chấm điểm DTI (DTI cycle id)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")]


@dti_app.command("import")
def dti_import(
    cohort_file: Annotated[Path, typer.Argument(help="Tệp CSV/XLSX, mỗi dòng một đơn vị (cột unit = mã)")],
    cycle: CycleOpt,
    replace: Annotated[
        bool, typer.Option("--replace", help="Thay toàn bộ kết quả đã có của kỳ (replace the cycle's results)")
    ] = False,
    allow_shrink: Annotated[
        bool,
        typer.Option(
            "--allow-shrink",
            help="Cho phép tệp mới thiếu đơn vị đã có kết quả; kết quả của chúng bị xóa "
            "(let the new file leave out units already scored: their results are removed)",
        ),
    ] = False,
    yes: YesFlag = False,
    as_json: JsonOpt = False,
) -> None:
    """Chấm điểm cả tập đơn vị và lưu vào kỳ DTI (score the cohort and store it in the DTI cycle).

    --replace shows what is replaced and asks first; a file that leaves out units already scored is refused
    unless --allow-shrink, and then the units that disappear are listed before the question.
    """
    from certify.store.dti_results import import_dti, preview_dti

    expected: frozenset[str] | None = None
    if replace:
        with database() as s:
            plan = preview_dti(s, cycle, cohort_file)
        if plan.stored:
            if plan.dropped and not allow_shrink:  # the store refuses it too: say so before asking anything
                raise plan.refusal()
            changes = [
                f"Kỳ {cycle}: thay {plan.stored} kết quả đã lưu bằng {plan.units} đơn vị của tệp "
                f"(mới {plan.added}, mất {len(plan.dropped)}) — replace {plan.stored} stored results with the "
                f"file's {plan.units} units ({plan.added} new, {len(plan.dropped)} removed)"
            ]
            if plan.dropped:
                changes.append(f"Các đơn vị sẽ mất kết quả ({len(plan.dropped)}) — units whose results disappear:")
                changes += [f"  - {code} {name}" for code, name in plan.dropped]
            confirm_change(
                changes, f"Thay kết quả DTI của kỳ {cycle}", f"Replace the DTI results of cycle {cycle}", yes
            )
            expected = frozenset(code for code, _ in plan.dropped)
    with database(write=True) as s:
        done = import_dti(
            s,
            cycle,
            cohort_file,
            actor=actor(),
            replace=replace,
            allow_shrink=allow_shrink,
            expected_dropped=expected,
        )
    if as_json:
        print_json(done.__dict__ | {"warnings": [w.to_dict() for w in done.warnings]})
        return
    print_problems(done.warnings)
    replaced = f", thay {done.replaced} kết quả cũ (replaced {done.replaced})" if done.replaced else ""
    console.print(
        f"Đã lưu điểm DTI của {done.units} đơn vị vào kỳ {done.cycle_id}{replaced} (stored {done.units} units)"
    )


@dti_app.command("publish")
def dti_publish(cycle: CycleOpt, yes: YesFlag = False) -> None:
    """Công bố bảng xếp hạng DTI của kỳ (publish the cycle's DTI ranking); sau đó không chấm lại được."""
    from sqlalchemy import func, select

    from certify.store.dti_results import publish_dti
    from certify.store.models import DtiResult

    with database() as s:
        n = s.scalar(select(func.count()).select_from(DtiResult).where(DtiResult.cycle_id == cycle)) or 0
    confirm_change(
        [
            f"Kỳ {cycle}: công bố bảng xếp hạng {n} đơn vị; sau khi công bố không chấm lại được "
            f"(publish the ranking of {n} units; published results cannot be re-scored)"
        ],
        f"Công bố kỳ {cycle}",
        f"Publish cycle {cycle}",
        yes,
    )
    with database(write=True) as s:
        at = publish_dti(s, cycle, actor=actor())
    console.print(f"Đã công bố kỳ {cycle} lúc {at:%d/%m/%Y %H:%M} UTC (published)")


@dti_app.command("show")
def dti_show(cycle: CycleOpt, as_json: JsonOpt = False) -> None:
    """In bảng xếp hạng DTI đã lưu, so với năm trước (print the stored ranking against last year)."""
    from certify.cli.score_cmd import print_caveats
    from certify.dti.numbers import published
    from certify.store.cycles import frozen_dti, get_cycle
    from certify.store.dti_results import ranking

    with database() as s:
        rows = ranking(s, cycle)
        fw = frozen_dti(get_cycle(s, cycle))[1]
    if as_json:
        print_json(published(rows))
        return
    print_caveats(fw, console)
    ranked = [r for r in rows if not r["detail"].get("not_ranked_reason")]
    apart = [r for r in rows if r["detail"].get("not_ranked_reason")]
    console.print(_ranking_table(f"Xếp hạng DTI — kỳ {cycle}", ranked, reasons=False))
    if apart:
        title = f"Không xếp hạng (chấm điểm, không xếp hạng — not ranked): {len(apart)} đơn vị"
        console.print(_ranking_table(title, apart, reasons=True))


def _ranking_table(title: str, rows: list[dict[str, Any]], *, reasons: bool) -> Table:
    """The ranking against last year; units left out of it: their points, value and reason only."""
    from rich.table import Table

    from certify.dti.numbers import points_text, value_text

    table = Table(title=title)
    columns = (
        ["Mã", "Đơn vị", "Điểm", "Giá trị", "Lý do không xếp hạng"]
        if reasons
        else ["Hạng", "Mã", "Đơn vị", "Huyện (cũ)", "Điểm", "Giá trị", "Năm trước", "Thay đổi"]
    )
    for column in columns:
        right = column in ("Hạng", "Điểm", "Giá trị", "Thay đổi")
        table.add_column(column, justify="right" if right else "left", overflow="fold")
    for r in rows:
        p = r["previous"]
        points, value = points_text(r["points"]), value_text(r["value"])
        if reasons:
            table.add_row(r["unit"], escape(r["name"]), points, value, escape(r["detail"]["not_ranked_reason"]))
            continue
        table.add_row(
            str(r["rank"] or "—"),
            r["unit"],
            escape(r["name"]),
            escape(", ".join(r["districts"])),
            points,
            value,
            (value_text(p["value"]) + "".join(f"\n⚠ {escape(m)}" for m in p["marks"])) if p else "—",
            f"{value_text(r['change']):>8}" if p else "—",
        )
    return table


def register(app: typer.Typer) -> None:
    app.add_typer(dti_app, name="dti")
