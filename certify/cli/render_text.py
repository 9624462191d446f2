"""Terminal rendering (rich) of evaluations and gap reports, Vietnamese first."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from certify.formats import GapFormat
from certify.levels.evaluate import Evaluation, Verdict, rule_text
from certify.levels.model import LevelFramework, LevelRule

if TYPE_CHECKING:  # `certify evaluate` shows no gap report: the gap module is loaded by what builds one
    from rich.console import RenderableType  # rich is imported where text is drawn, not when formats are listed
    from rich.table import Table

    from certify.levels.gap import GapReport, Step

OPTIONAL_VI = "mở rộng"


def code_cell(fw: LevelFramework, code: str) -> str:
    """A criterion's code, marked when it is optional under the share rule."""
    if fw.rules.level_rule is LevelRule.MANDATORY_PLUS_SHARE and not fw.criterion_by_code[code].mandatory:
        return f"{code} ({OPTIONAL_VI})"
    return code


def rule_line(fw: LevelFramework) -> list[RenderableType]:
    from rich.text import Text

    if fw.rules.level_rule is not LevelRule.MANDATORY_PLUS_SHARE:
        return []
    vi, en = rule_text(fw)
    return [Text(f"Quy tắc: {vi} (rule: {en}).", style="italic")]


VERDICT_STYLE = {
    Verdict.MET: "green",
    Verdict.NOT_MET: "red",
    Verdict.MISSING: "magenta",
    Verdict.NOT_APPLICABLE: "dim",
}


def banner(ev: Evaluation) -> list[RenderableType]:
    from rich.text import Text

    fw = ev.fw
    out: list[RenderableType] = []
    if fw.banner:
        out.append(Text(f"⚠ {fw.banner[0]} ({fw.banner[1]})", style="bold yellow"))
    a = ev.unit.assessment
    out.append(
        Text.assemble((f"{a.unit_name or a.unit}", "bold"), f" ({a.unit}) — năm {a.year} — ", f"{fw.title} [{fw.ref}]")
    )
    return out + carried_view(ev)


def carried_view(ev: Evaluation) -> list[RenderableType]:
    """What became of values entered for an earlier version (its mapping to this one)."""
    from rich.text import Text

    c = ev.unit.carried
    if c is None:
        return []
    out: list[RenderableType] = [
        Text(
            f"Số liệu nhập theo {c.source}, đánh giá theo {c.target}: giữ {len(c.kept)}, chuyển qua ánh xạ "
            f"{len(c.mapped)}, bỏ {len(c.removed)}, cần nhập mới {len(c.enter)} "
            f"(values entered for {c.source}, evaluated against {c.target})",
            style="bold cyan",
        )
    ]
    out += [Text(f"  • {vi}") for vi, _ in c.lines]
    out += [Text(f"  ⚠ {w.vi}", style="yellow") for w in c.warnings]
    if c.enter:
        out.append(Text("  Cần nhập mới / to enter: " + ", ".join(c.enter)))
    return out


def evaluation_view(ev: Evaluation) -> list[RenderableType]:
    from rich.table import Table
    from rich.text import Text

    fw = ev.fw
    out = banner(ev)
    out.append(
        Text.assemble(
            "Mức độ đạt được / certified level: ", (fw.level_name(ev.level), "bold green" if ev.level else "bold red")
        )
    )
    table = Table(title="Các mức độ / levels")
    for col in ("Mức", "Đạt", "Tiêu chí đạt", "Chưa đạt / thiếu số liệu"):
        table.add_column(col)
    for tally in ev.tallies():
        blocking = [r.code for r in ev.blocking(tally.id)]
        table.add_row(tally.name, "✓" if tally.held else "✗", tally.text_vi(), ", ".join(blocking))
    out.append(table)
    out += rule_line(fw)
    if ev.next_level:
        out.append(
            criteria_table(
                ev,
                ev.next_level,
                f"Vì sao chưa đạt mức {fw.level_name(ev.next_level)} (why not the next level)",
                only_blocking=True,
            )
        )
    out.append(
        Text(
            f"Bộ tiêu chí {fw.ref}, mã băm {ev.compiled.resolved.content_hash[:19]}…; "
            f"dữ liệu vào {ev.input_hash[:19]}…",
            style="dim",
        )
    )
    return out


def criteria_table(ev: Evaluation, level: str, title: str, only_blocking: bool = False) -> Table:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title)
    for col in ("Mã", "Tiêu chí", "Giá trị", "Yêu cầu", "Kết quả"):
        table.add_column(col)
    for r in ev.results(level):
        if only_blocking and not r.blocking:
            continue
        d = ev.result_dict(r)
        verdict = Text(d["verdict_vi"], style=VERDICT_STYLE[r.verdict])
        table.add_row(
            code_cell(ev.fw, r.code), escape(d["name"] or ""), d["value_text"], d["requirement_text"], verdict
        )
    return table


def step_table(fw: LevelFramework, step: Step, title: str) -> Table:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title)
    for col in ("TT", "Mã", "Tiêu chí", "Hiện tại", "Mục tiêu", "Khoảng cách", "Cơ quan chủ trì", "Ghi chú"):
        table.add_column(col)
    for i, item in enumerate(step.items, 1):
        note = "nguyên nhân gốc" if item.root_cause else "phụ thuộc " + ", ".join(item.blocked_by)
        table.add_row(
            str(i),
            code_cell(fw, item.code),
            escape(item.name),
            item.current_text,
            item.requirement_text,
            item.gap_text,
            escape(item.agency or ""),
            note,
        )
    return table


def gap_view(report: GapReport) -> list[RenderableType]:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    ev = report.evaluation
    fw = ev.fw
    out = banner(ev)
    out.append(Text(f"Mức hiện tại: {fw.level_name(ev.level)}", style="bold"))
    if report.next_level is None:
        out.append(Text("Đã đạt mức cao nhất (top level reached).", style="green"))
        return out
    nxt = report.next_level
    out += rule_line(fw)
    out.append(step_table(fw, nxt, f"Để đạt mức {nxt.level_name} (năm {nxt.year}): {len(nxt.items)} tiêu chí"))
    if report.target is not None and report.target.level != nxt.level:
        out.append(step_table(fw, report.target, f"Mục tiêu của đơn vị: mức {report.target.level_name}"))
    road = Table(title=f"Lộ trình đến mức {report.roadmap[-1].level_name} / roadmap")
    for col in ("Năm", "Quý", "Mức", "Tiêu chí", "Yêu cầu", "Khoảng cách"):
        road.add_column(col)
    for year in report.by_year():
        for i in year["items"]:
            flags = "".join(f"\n⚠ {f}" for f in i["flags"])
            road.add_row(
                str(year["year"]),
                i["quarter_text"].split("/")[0],
                i["level_name"],
                escape(f"{code_cell(fw, i['criterion'])} {i['name']}{flags}"),
                i["requirement_text"],
                i["gap_text"],
            )
    out.append(road)
    return out


def to_text(renderables: Iterable[RenderableType], width: int = 140) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    for r in renderables:
        console.print(r)
    return buffer.getvalue()


TEXT = GapFormat(
    "text", ".txt", "Văn bản thuần (plain text)", lambda report: to_text(gap_view(report)), "text/plain; charset=utf-8"
)
