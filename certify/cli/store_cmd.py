"""Assessment-cycle commands: database, units, cycles, Excel template / import / export, workflow.

Thin wrappers: each opens a transaction and calls one service of certify.store or certify.intake.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from certify.cli.common import (
    EXIT_INVALID,
    ForceFlag,
    YesFlag,
    actor,
    confirm_change,
    console,
    console_err,
    database,
    ensure_writable,
    print_json,
    print_problems,
)
from certify.errors import CertifyError

db_app = typer.Typer(help="Cơ sở dữ liệu (database).", no_args_is_help=True)
units_app = typer.Typer(help="Đơn vị hành chính (administrative units).", no_args_is_help=True)
cycle_app = typer.Typer(help="Kỳ đánh giá (assessment cycles).", no_args_is_help=True)

CycleOpt = Annotated[int, typer.Option("--cycle", help="Số kỳ đánh giá (cycle id)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="In JSON (print JSON).")]


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Tạo/cập nhật lược đồ cơ sở dữ liệu (create or migrate the schema)."""
    from certify.store.engine import make_engine
    from certify.store.migrate import upgrade

    rev = upgrade(make_engine())
    console.print(f"Cơ sở dữ liệu ở phiên bản / database at revision {rev}")


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Tệp sao lưu ghi ra, ví dụ certify-2025-06-30.certify-backup")],
    force: ForceFlag = False,
) -> None:
    """Sao lưu toàn bộ cơ sở dữ liệu ra một tệp (back up every table to one file; SQLite or PostgreSQL)."""
    from certify.store.backup import backup
    from certify.store.engine import make_engine

    ensure_writable(file, force)
    info = backup(make_engine(), file)
    rows = sum(info.counts.values())
    console.print(
        f"Đã sao lưu {rows} dòng của {len(info.counts)} bảng vào {file} (lược đồ {info.revision}) — "
        f"backed up {rows} rows of {len(info.counts)} tables"
    )
    console.print(
        "Tệp kiểm chứng nằm ngoài cơ sở dữ liệu: sao lưu cả thư mục CERTIFY_EVIDENCE_DIR "
        "(evidence files live outside the database: back up that folder too)"
    )


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="Tệp do «certify db backup» tạo ra")],
    yes: YesFlag = False,
) -> None:
    """Khôi phục cơ sở dữ liệu từ tệp sao lưu: thay TOÀN BỘ dữ liệu hiện có (replace every row by the backup's)."""
    from certify.store.backup import current_counts, read_info, restore
    from certify.store.migrate import ready_engine

    info = read_info(file)  # a file that is not a backup is refused before any question
    engine = ready_engine()
    with database() as s:
        now = current_counts(s)
    changes = [
        f"Tệp {file}: sao lưu lúc {info.created} ({info.dialect}, lược đồ {info.revision}) — taken {info.created}",
        "Bảng: hiện có → sau khi khôi phục (table: now → after restore)",
    ]
    changes += [f"  {name}: {now.get(name, 0)} → {n}" for name, n in info.counts.items() if now.get(name, 0) or n]
    confirm_change(
        changes,
        "Thay toàn bộ dữ liệu hiện có bằng tệp sao lưu",
        "Replace all current data with the backup",
        yes,
    )
    restore(engine, file, expected=info)
    console.print(f"Đã khôi phục {sum(info.counts.values())} dòng từ {file} (restored)")


@units_app.command("load")
def units_load(as_json: JsonOpt = False) -> None:
    """Nạp danh mục đơn vị hành chính trước và sau 01/7/2025 (load both maps; idempotent)."""
    from certify.store.units import load_units

    with database(write=True) as s:
        report = load_units(s)
    if as_json:
        print_json(report.__dict__)
        return
    for key, n in report.total.items():
        console.print(f"{key}: {n} (mới/new {report.inserted[key]})")
    console.print(f"sáp nhập/mergers: {report.mergers_total} (mới/new {report.mergers_inserted})")
    for line in report.unmatched:
        console_err.print(f"[yellow]không khớp/unmatched[/] {line}")


@units_app.command("history")
def units_history(
    code: str, unit_map: Annotated[str, typer.Option("--map")] = "current", as_json: JsonOpt = False
) -> None:
    """Đơn vị cũ hợp thành và kết quả các kỳ trước (former units and their results)."""
    from certify.store.history import unit_history
    from certify.store.merger_links import UNCONFIRMED_VI
    from certify.store.units import get_unit, predecessors

    with database() as s:
        rows = unit_history(s, unit_map, code)
        formers = [(u.code, u.name, u.tier, whole) for u, whole in predecessors(s, get_unit(s, unit_map, code))]
    if as_json:
        print_json([r.__dict__ for r in rows])
        return
    if formers:
        console.print(
            "Đơn vị cũ / former units: "
            + escape("; ".join(f"{c} {n}" + ("" if whole else " (một phần / part)") for c, n, _, whole in formers))
        )
    from rich.table import Table

    table = Table(title=f"Lịch sử / history {code}")
    for col in ("Năm", "Mã", "Đơn vị", "Bản đồ", "Trạng thái", "Mức"):
        table.add_column(col)
    for r in rows:
        name = r.unit_name + ("" if r.whole else " (một phần)") + (f" ⚠ {UNCONFIRMED_VI}" if r.unconfirmed else "")
        table.add_row(str(r.year), r.unit_code, escape(name), r.unit_map, r.state, r.level_name or "—")
    console.print(table)


class ListFormat(StrEnum):
    table = "table"
    json = "json"


@units_app.command("check")
def units_check(
    province: Annotated[
        str | None, typer.Option("--province", help="Mã tỉnh hiện nay (current province code), vd. 86")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Cả liên kết đã xác nhận, đã sửa (also confirmed and corrected links)")
    ] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="table | json")] = ListFormat.table,
) -> None:
    """Liên kết sáp nhập đáng ngờ chưa được tỉnh xác nhận, kèm lý do (doubtful merger links, with reasons)."""
    from certify.store.merger_links import doubtful_links

    with database() as s:
        links = doubtful_links(s, province=province, everything=everything)
    if fmt is ListFormat.json:
        print_json([link.to_dict() for link in links])
        return
    title = f"Liên kết đáng ngờ / doubtful merger links: {sum(1 for link in links if link.doubtful)}"
    from rich.table import Table

    table = Table(title=title)
    for col in ("Đơn vị mới / new", "Đơn vị cũ / former", "Huyện, tỉnh cũ", "Phần / share", "Lý do / reason"):
        table.add_column(col)
    for link in links:
        share = "toàn bộ" if link.whole else (f"{link.share:g}" if link.share is not None else "chưa rõ / unknown")
        reasons = "; ".join(r.vi for r in link.reasons) or "—"
        if link.status:
            reasons += f" [{link.status} — {link.status_by}]"
        table.add_row(
            escape(f"{link.new_code} {link.new_name}"),
            escape(f"{link.old_code} {link.old_name}"),
            escape(", ".join(x for x in (link.district, link.province) if x and x != link.old_name)),
            share,
            escape(reasons),
        )
    console.print(table)
    console.print(
        "Xác nhận / confirm: certify units confirm CŨ MỚI [--share 0.4]; sửa / correct: "
        "certify units relink CŨ --from MỚI --to MỚI_ĐÚNG"
    )


ShareOpt = Annotated[
    float | None,
    typer.Option("--share", help="Phần của đơn vị cũ chuyển sang đơn vị mới, 0–1 (share moved, when known)"),
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Căn cứ, vd. số nghị quyết (the basis)")]
DistrictOpt = Annotated[
    bool, typer.Option("--district", help="Đơn vị cũ là huyện (đặc khu ← huyện đảo) / the former unit is a district")
]


@units_app.command("confirm")
def units_confirm(
    old: Annotated[str, typer.Argument(help="Mã đơn vị cũ (former code)")],
    new: Annotated[str, typer.Argument(help="Mã đơn vị mới (current code)")],
    share: ShareOpt = None,
    note: NoteOpt = None,
    district: DistrictOpt = False,
) -> None:
    """Tỉnh xác nhận một liên kết sáp nhập (the province confirms a merger link; audited)."""
    from certify.store.merger_links import confirm

    with database(write=True) as s:
        m = confirm(s, old, new, actor=actor(), share=share, note=note, old_tier="district" if district else "commune")
        share_text = "toàn bộ / whole" if m.whole else (f"{m.share:g}" if m.share is not None else "chưa rõ / unknown")
    console.print(f"Đã xác nhận / confirmed: {old} → {new} (phần / share: {share_text})")


@units_app.command("relink")
def units_relink(
    old: Annotated[str, typer.Argument(help="Mã đơn vị cũ (former code)")],
    wrong: Annotated[str, typer.Option("--from", help="Đơn vị mới bị liên kết sai (the wrong current unit)")],
    right: Annotated[
        str | None, typer.Option("--to", help="Đơn vị mới đúng; bỏ trống: không sang đơn vị nào khác (the right one)")
    ] = None,
    share: ShareOpt = None,
    note: NoteOpt = None,
    district: DistrictOpt = False,
    yes: YesFlag = False,
) -> None:
    """Tỉnh sửa một liên kết sáp nhập: liên kết sai được giữ lại, đánh dấu đã bỏ (corrected; kept, audited).

    What changes (the link removed, the link made, the current units whose last year changes) is shown and
    confirmed first (--yes for scripts)."""
    from certify.store.merger_links import preview_relink, relink

    tier = "district" if district else "commune"
    with database() as s:
        plan = preview_relink(s, old, wrong, right, share=share, note=note, old_tier=tier)
        was, bad, good = plan.old, plan.wrong, plan.right
        changes = [
            f"Bỏ liên kết / remove the link: {was.code} {was.name} → {bad.code} {bad.name} "
            "(giữ lại, đánh dấu đã bỏ / kept, marked removed)"
        ]
        if good is not None:
            kept = plan.right_link is not None
            changes.append(
                f"Liên kết / link: {was.code} {was.name} → {good.code} {good.name} "
                + ("(đã có, đánh dấu đã sửa / already there, marked corrected)" if kept else "(mới / new)")
            )
        units = plan.current_units
        changes.append(
            f"Số liệu năm trước của {len(units)} đơn vị hiện nay tính lại / last year's figures of {len(units)} "
            f"current units change: {', '.join(f'{u.code} {u.name}' for u in units)}"
        )
    confirm_change(changes, f"Sửa liên kết {old} → {wrong}", f"Correct the link {old} → {wrong}", yes)
    with database(write=True) as s:
        relink(s, old, wrong, right, actor=actor(), share=share, note=note, old_tier=tier)
    console.print(f"Đã bỏ / removed: {old} → {wrong}")
    if right is not None:
        console.print(f"Đã liên kết / linked: {old} → {right}")


@cycle_app.command("open")
def cycle_open(
    year: Annotated[int, typer.Option("--year")],
    framework: Annotated[str, typer.Option("--framework")],
    tier: Annotated[str | None, typer.Option("--tier")] = None,
    unit_map: Annotated[str | None, typer.Option("--map", help="pre2025 | current")] = None,
    from_cycle: Annotated[
        int | None,
        typer.Option(
            "--from-cycle",
            help="Lấy số liệu của kỳ này làm bản nháp để các đơn vị xác nhận "
            "(last year's values as drafts to confirm, through the new version's mapping)",
        ),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option("--deadline", help="Hạn nộp hồ sơ, YYYY-MM-DD (the day units must submit by)"),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Mở kỳ đánh giá, cố định phiên bản bộ tiêu chí (open a cycle, freezing the framework version)."""
    from certify.store.cycles import carry_from, open_cycle, parse_deadline

    due = parse_deadline(deadline, year) if deadline is not None else None
    with database(write=True) as s:
        info = open_cycle(s, year=year, framework=framework, tier=tier, unit_map=unit_map, deadline=due, actor=actor())
        carried = carry_from(s, from_cycle, info.id, actor()) if from_cycle is not None else []
    if as_json:
        print_json(info.__dict__ | ({"carried": [c.to_dict() for c in carried]} if from_cycle is not None else {}))
        return
    console.print(
        f"Kỳ đánh giá / cycle {info.id}: {info.year} {info.tier} {info.framework_id}@"
        f"{info.framework_version} ({info.framework_hash[:19]}…)"
        + (f", hạn nộp / deadline {info.deadline.isoformat()}" if info.deadline else "")
    )
    if from_cycle is not None:
        reports = [c.report for c in carried if c.report is not None]
        console.print(
            f"{len(carried)} đơn vị có bản nháp từ kỳ {from_cycle}, cần xác nhận "
            f"({len(carried)} units have a draft from cycle {from_cycle} to confirm)"
            + (
                f"; qua ánh xạ: chuyển {sum(len(r.mapped) for r in reports)} số liệu, bỏ "
                f"{sum(len(r.removed) for r in reports)} (tiêu chí không còn)"
                if reports
                else ""
            )
        )


@cycle_app.command("list")
def cycle_list(as_json: JsonOpt = False) -> None:
    from certify.store.cycles import list_cycles

    with database() as s:
        cycles = list_cycles(s)
    if as_json:
        print_json([c.__dict__ for c in cycles])
        return
    for c in cycles:
        console.print(f"{c.id}: {c.year} {c.tier} {c.unit_map} {c.framework_id}@{c.framework_version}")


@cycle_app.command("show")
def cycle_show(cycle: Annotated[int, typer.Argument()], as_json: JsonOpt = False) -> None:
    """Các đơn vị của kỳ: trạng thái, phiên bản, mức (units of a cycle: state, version, level)."""
    from certify.store.cycles import get_cycle
    from certify.store.evaluations import evaluate_cycle
    from certify.store.recognition import current_certification
    from certify.store.workflow import STATE_VI, State

    with database() as s:
        cohort = evaluate_cycle(s, get_cycle(s, cycle), exclude=(State.DELETED.value,))
        rows: list[dict[str, Any]] = []
        for u in sorted(cohort.units, key=lambda u: u.unit_code):
            sub, cert = u.submission, current_certification(s, u.submission.id)
            rows.append(
                {
                    "unit": sub.unit.code,
                    "name": sub.unit.name,
                    "state": sub.state,
                    "state_vi": STATE_VI[State(sub.state)],
                    "version": sub.version,
                    "level": u.level,
                    "level_name": cohort.fw.level_name(u.level) if u.evaluation else None,
                    "certified_level": cert.level if cert else None,
                    "problems": [p.to_dict() for p in u.problems],
                }
            )
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"Kỳ / cycle {cycle}")
    for col in ("Mã@phiên bản", "Đơn vị", "Trạng thái", "Mức (hiện tại)"):
        table.add_column(col)
    for r in rows:
        level = r["level_name"] or "số liệu chưa hợp lệ (values do not bind)"
        table.add_row(f"{r['unit']}@{r['version']}", escape(r["name"]), r["state_vi"], level)
    console.print(table)


@cycle_app.command("certify")
def cycle_certify(cycle: Annotated[int, typer.Argument()], as_json: JsonOpt = False) -> None:
    """Xác định mức cho các đơn vị đã thẩm định (certify the appraised units)."""
    from certify.store.certification import certify_cycle

    with database(write=True) as s:
        out = certify_cycle(s, cycle, actor())
    if as_json:
        print_json([c.__dict__ for c in out])
        return
    for c in out:
        console.print(f"{c.unit_code}: {c.level_name}")


def template_cmd(
    framework: Annotated[str, typer.Option("--framework", help="Mã bộ tiêu chí (framework id[@version])")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Tệp .xlsx ghi ra")],
    tier: Annotated[str | None, typer.Option("--tier")] = None,
    units: Annotated[str | None, typer.Option("--units", help="Mã tỉnh: một trang, mỗi đơn vị một dòng")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Mã đơn vị điền sẵn (prefilled unit code)")] = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    unit_map: Annotated[str, typer.Option("--map", help="pre2025 | current")] = "current",
) -> None:
    """Tạo phiếu Excel cho đơn vị điền (write the Excel form units fill in)."""
    from certify.catalog import default_catalog
    from certify.intake.template import write_province_sheet, write_unit_form
    from certify.store.units import find_unit, units_of_province

    resolved = default_catalog().load(framework)
    fw_tier = resolved.framework.tier.value
    if tier is not None and tier != fw_tier:
        raise CertifyError.one(
            "wrong-tier",
            "Cấp đơn vị không khớp với bộ tiêu chí",
            "The tier does not match the framework",
            expected=fw_tier,
            found=tier,
        )
    if units is not None:
        with database() as s:
            rows = [(u.code, u.name) for u in units_of_province(s, unit_map, units.zfill(2), fw_tier)]
        if not rows:
            raise CertifyError.one(
                "no-units",
                f"Không có đơn vị {fw_tier} nào của tỉnh mã {units} ({unit_map}); đã chạy «certify units load»?",
                f"No {fw_tier} units in province {units} ({unit_map}); did you run 'certify units load'?",
                found=units,
            )
        write_province_sheet(resolved, output, rows, year=year, unit_map=unit_map)
        console.print(f"Đã ghi / written: {output} ({len(rows)} đơn vị/units)")
        return
    name = None
    if unit is not None:
        with database() as s:
            found = find_unit(s, unit_map, unit, fw_tier)
            name = found.name if found else None
    write_unit_form(resolved, output, unit_code=unit, unit_name=name, year=year, unit_map=unit_map)
    console.print(f"Đã ghi / written: {output}")


MAX_LISTED = 20  # units listed one by one before a question; the rest counted


def _agreed_overwrites(files: list[Path], cycle: int | None, partial: bool) -> tuple[int, dict[str, int]]:
    """The cycle, and the drafts whose values the forms overwrite (unit → version) once shown and agreed to; a
    script without --yes is refused (certify.cli.common.confirm_change)."""
    from certify.intake.importer import infer_cycle, preview_overwrites

    with database() as s:
        cycle_id = cycle if cycle is not None else infer_cycle(s, files)
        over = preview_overwrites(s, cycle_id, files, partial=partial)
    if over:
        values = sum(o.values for o in over)
        shown = [f"  - {o.unit} {o.name}: {o.values} giá trị / values" for o in over[:MAX_LISTED]]
        if len(over) > MAX_LISTED:
            shown.append(f"  … và {len(over) - MAX_LISTED} đơn vị khác (and {len(over) - MAX_LISTED} more)")
        confirm_change(
            [
                f"Kỳ {cycle_id}: ghi đè {values} giá trị đã có của {len(over)} đơn vị (bản nháp) — overwrite "
                f"{values} stored values of {len(over)} units (drafts):",
                *shown,
            ],
            f"Ghi đè số liệu của {len(over)} đơn vị",
            f"Overwrite the values of {len(over)} units",
            yes=False,
        )
    return cycle_id, {o.unit: o.version for o in over}


def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Các tệp .xlsx đã điền (filled forms)")],
    cycle: Annotated[int | None, typer.Option("--cycle", help="Số kỳ đánh giá (cycle id)")] = None,
    partial: Annotated[bool, typer.Option("--partial", help="Ghi các đơn vị hợp lệ, báo các đơn vị lỗi")] = False,
    yes: YesFlag = False,
    as_json: JsonOpt = False,
) -> None:
    """Nhập phiếu đã điền: kiểm tra tất cả trước, lỗi ở đâu thì không ghi gì (import filled forms).

    Forms that would overwrite values a draft already holds: the units and how many values are shown and
    confirmed first (--yes for scripts)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from certify.intake.importer import import_files, infer_cycle

    confirmed: dict[str, int] | None = None  # --yes: whatever the forms overwrite (said after the import)
    if not yes:
        cycle, confirmed = _agreed_overwrites(files, cycle, partial)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console_err,
        disable=len(files) < 5 or as_json,
    ) as bar:
        read = bar.add_task("Kiểm tra / checking", total=len(files))
        write = bar.add_task("Ghi / writing", total=None, visible=False)

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "read":
                bar.update(read, completed=done)
            else:
                bar.update(write, completed=done, total=total, visible=True)

        with database(write=True) as s:
            cycle_id = cycle if cycle is not None else infer_cycle(s, files)
            result = import_files(s, cycle_id, files, actor(), partial=partial, progress=progress, confirmed=confirmed)
            if result.problems and not partial:
                s.rollback()  # nothing was written; end the transaction cleanly
    if as_json:
        print_json(result.to_dict())
    if result.problems:
        if not as_json:
            print_problems(result.problems)
        if not partial or not result.units_written:
            console_err.print(
                f"Không ghi gì: {len(result.problems)} lỗi (nothing written: {len(result.problems)} problems)"
            )
            raise typer.Exit(EXIT_INVALID)
        console_err.print(
            f"Đã ghi {result.units_written} đơn vị, bỏ qua {len(result.rejected_units)} "
            f"(written {result.units_written}, skipped {len(result.rejected_units)})"
        )
        raise typer.Exit(EXIT_INVALID)
    if not as_json:
        console.print(
            f"Đã nhập {result.units_written} đơn vị vào kỳ {result.cycle_id} (imported {result.units_written} units)"
        )
        if result.overwritten:
            n, v = len(result.overwritten), sum(o.values for o in result.overwritten)
            console.print(f"Đã ghi đè {v} giá trị của {n} đơn vị (overwrote {v} values of {n} units)")


def export_cmd(
    cycle: CycleOpt,
    output: Annotated[Path, typer.Option("--output", "-o")],
    force: ForceFlag = False,
) -> None:
    """Xuất kết quả kỳ đánh giá ra Excel (export results as XLSX); không ghi đè tệp đã có nếu thiếu --force."""
    from certify.intake.export import export_cycle

    ensure_writable(output, force)
    with database() as s:
        export_cycle(s, cycle, output)
    console.print(f"Đã ghi / written: {output}")


VersionOpt = Annotated[
    str | None,
    typer.Option(
        "--version",
        help="Phiên bản hồ sơ bạn đã xem (xem «certify cycle show»); hoặc ghi MÃ@PHIÊN_BẢN "
        "(the submission version you saw: see 'certify cycle show'; or write CODE@VERSION)",
    ),
]


def unit_versions(units: list[str], version: str | None) -> dict[str, int]:
    """`29602@4 29836@2`, or one code with `--version 4`: each unit with the version the user saw (required)."""
    from certify.store.submissions import parse_version

    out: dict[str, int] = {}
    for item in units:
        code, at, raw = item.partition("@")
        if not at and version is None:
            raise CertifyError.one(
                "version-required",
                f"{code}: thiếu phiên bản hồ sơ; ghi {code}@PHIÊN_BẢN hoặc --version (xem «certify cycle show»)",
                f"{code}: the submission's version is missing; write {code}@VERSION or --version "
                "(see 'certify cycle show')",
                expected=f"{code}@3",
                found=item,
            )
        if not at and len(units) > 1:
            raise CertifyError.one(
                "version-required",
                "Nhiều đơn vị: ghi phiên bản cho từng đơn vị dạng MÃ@PHIÊN_BẢN",
                "Several units: give each one's version as CODE@VERSION",
                expected=f"{code}@3",
                found=item,
            )
        out[code] = parse_version(raw if at else version)
    return out


def move_cmd(
    cycle: CycleOpt,
    unit: Annotated[str, typer.Argument(help="Mã đơn vị, hoặc MÃ@PHIÊN_BẢN (unit code, or CODE@VERSION)")],
    state: Annotated[
        str, typer.Argument(help="submitted | returned | under_appraisal | appraised | published | deleted")
    ],
    reason: Annotated[str | None, typer.Option("--reason", help="Lý do trả lại")] = None,
    version: VersionOpt = None,
    yes: YesFlag = False,
) -> None:
    """Chuyển trạng thái hồ sơ của một đơn vị (move a unit's submission to another state).

    Deleting and publishing cannot be undone: what changes is shown and confirmed first (--yes for scripts)."""
    from certify.store.submissions import find_submission, transition
    from certify.store.workflow import STATE_VI, State, check_transition

    ((code, seen),) = unit_versions([unit], version).items()
    if state in (State.DELETED.value, State.PUBLISHED.value):
        with database() as s:
            sub = find_submission(s, cycle, code)
            check_transition(sub.state, state, code)  # an impossible move is told before any question
            name, now = sub.unit.name, STATE_VI[State(sub.state)]
        target = STATE_VI[State(state)]
        confirm_change(
            [f"Kỳ {cycle}, {code} {name}: «{now}» → «{target}», không hoàn tác được ({state}: cannot be undone)"],
            f"Chuyển hồ sơ {code} sang «{target}»",
            f"Move {code} to '{state}'",
            yes,
        )
    with database(write=True) as s:
        sub = find_submission(s, cycle, code, for_update=True)
        info = transition(s, sub, state, actor(), reasons=reason, expected_version=seen)
    console.print(f"{info.unit_code}: {info.state} (phiên bản/version {info.version})")


def recognise_cmd(
    cycle: CycleOpt,
    units: Annotated[list[str], typer.Argument(help="MÃ@PHIÊN_BẢN của từng đơn vị (CODE@VERSION of each unit)")],
    decision: Annotated[str, typer.Option("--decision", help="Số quyết định")],
    date: Annotated[str, typer.Option("--date", help="Ngày quyết định YYYY-MM-DD")],
    signer: Annotated[str, typer.Option("--signer", help="Người ký")],
    version: VersionOpt = None,
    yes: YesFlag = False,
) -> None:
    """Ghi quyết định công nhận, ở mức đơn vị đạt (record the recognition decision at the level each unit holds).

    The units and the level each is recognised at are shown and confirmed first (--yes for scripts); a unit
    that meets no level is refused."""
    from certify.store.editing import recognise_units
    from certify.store.recognition import recognisable
    from certify.store.submissions import find_submission

    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise CertifyError.one(
            "bad-date", "Ngày không hợp lệ", "Invalid date", expected="YYYY-MM-DD", found=date
        ) from None
    versions = unit_versions(units, version)
    shown = []
    with database() as s:
        for code in versions:
            sub = find_submission(s, cycle, code)
            shown.append(f"  - {code} {sub.unit.name}: {recognisable(s, sub).level_name}")
    confirm_change(
        [
            f"Kỳ {cycle}: quyết định {decision} ngày {day:%d/%m/%Y}, người ký {signer}: công nhận {len(versions)} "
            f"đơn vị (recognise {len(versions)} units):",
            *shown,
        ],
        f"Ghi quyết định công nhận {decision}",
        f"Record recognition decision {decision}",
        yes,
    )
    with database(write=True) as s:
        recognise_units(s, cycle, versions, decision_number=decision, decision_date=day, signer=signer, actor=actor())
    console.print(f"Đã công nhận / recognised: {', '.join(versions)}")


def register(app: typer.Typer) -> None:
    """Add the storage commands to the main app."""
    app.add_typer(db_app, name="db")
    app.add_typer(units_app, name="units")
    app.add_typer(cycle_app, name="cycle")
    app.command("template")(template_cmd)
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
    app.command("move")(move_cmd)
    app.command("recognise")(recognise_cmd)
    app.add_typer(user_app, name="user")


user_app = typer.Typer(help="Tài khoản đăng nhập (local accounts).", no_args_is_help=True)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập (username)")],
    role: Annotated[
        str, typer.Option("--role", help="unit_editor | province_appraiser | province_admin | public_viewer")
    ],
    unit: Annotated[str | None, typer.Option("--unit", help="Mã đơn vị của cán bộ đơn vị")] = None,
    full_name: Annotated[str | None, typer.Option("--name", help="Họ tên (full name)")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Đọc mật khẩu từ stdin (read the password)")
    ] = False,
) -> None:
    """Tạo tài khoản, mật khẩu băm argon2 (create an account; the password is hashed with argon2)."""
    import sys

    from certify.store.accounts import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Mật khẩu / password", hide_input=True, confirmation_prompt=True)
    with database(write=True) as s:
        account = add_user(s, username, role, password, unit_code=unit, full_name=full_name, actor=actor())
    where = f" ({account.unit_code})" if account.unit_code else ""
    console.print(f"Đã tạo / created: {account.username} — {account.role.value}{where}")


@user_app.command("list")
def user_list(as_json: JsonOpt = False) -> None:
    """Danh sách tài khoản (list accounts)."""
    from certify.store.accounts import list_users

    with database() as s:
        users = list_users(s)
    if as_json:
        print_json(
            [{"username": u.username, "role": u.role.value, "unit": u.unit_code, "active": u.active} for u in users]
        )
        return
    for u in users:
        state = "" if u.active else " — đã khóa (disabled)"
        console.print(f"{u.username}: {u.role.value}{' ' + u.unit_code if u.unit_code else ''}{state}")
