"""The one error shape used everywhere: CLI, files, API.

A `Problem` says where (file, key path, line, or sheet/row/column), what was expected and
what was found, in Vietnamese first and English second. Anything that rejects user input
raises `CertifyError` carrying every problem found, so a user fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
KeyPath = tuple[str | int, ...]


def format_path(path: KeyPath) -> str:
    """`("criteria", 3, "code")` → `criteria[3].code`: the form users see in messages."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def column_letter(column: int) -> str:
    """1 → A, 27 → AA: a column as the spreadsheet names it, for a problem's `column` (openpyxl's own function
    would import openpyxl, ≈ 0.1 s, on paths that read no workbook)."""
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass(frozen=True)
class Problem:
    code: str
    vi: str
    en: str
    file: str | None = None
    path: KeyPath = ()
    line: int | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    expected: str | None = None
    found: str | None = None
    severity: Severity = "error"

    def where(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"dòng/row {self.row}")
        if self.column:
            parts.append(f"cột/column {self.column}")
        if self.path:
            parts.append(format_path(self.path))
        return ", ".join(parts)

    def message(self) -> str:
        text = f"{self.vi} ({self.en})"
        detail = []
        if self.expected is not None:
            detail.append(f"cần/expected: {self.expected}")
        if self.found is not None:
            detail.append(f"có/found: {self.found}")
        if detail:
            text += " — " + "; ".join(detail)
        where = self.where()
        return f"{where}: {text}" if where else text

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "path": format_path(self.path) or None,
            "line": self.line,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "expected": self.expected,
            "found": self.found,
            "message_vi": self.vi,
            "message_en": self.en,
            "message": self.message(),
        }


@dataclass
class CertifyError(Exception):
    """Input was rejected. Carries every problem found, not only the first."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = capped(self.problems)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(p.message() for p in self.problems)

    @classmethod
    def one(cls, code: str, vi: str, en: str, **where: Any) -> CertifyError:
        return cls([Problem(code=code, vi=vi, en=en, **where)])


NOT_SHOWN = "problems-not-shown"


def capped(problems: list[Problem], limit: int | None = None) -> list[Problem]:
    """The first `limit` problems (certify.limits: max_problems), then one line counting the rest:
    a systematic mistake in a 100,000-row file is told in a screenful, not in 100,000 lines.
    Idempotent: capping again keeps the count of what an earlier cap left out."""
    from certify.limits import current, thousands

    limit = current().max_problems if limit is None else limit
    if len(problems) <= limit:
        return problems
    hidden = 0
    kept: list[Problem] = []
    for p in problems:
        if p.code == NOT_SHOWN:
            hidden += int(p.en.split()[2].replace(",", ""))  # "… and 12,345 more problems"
        elif len(kept) < limit:
            kept.append(p)
        else:
            hidden += 1
    if not hidden:
        return kept
    vi, en = thousands(hidden)
    first = kept[0] if kept else problems[0]
    kept.append(
        Problem(
            code=NOT_SHOWN,
            vi=f"… và {vi} lỗi khác",
            en=f"… and {en} more problems",
            file=first.file,
            sheet=first.sheet,
        )
    )
    return kept


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def raise_if_errors(problems: Sequence[Problem]) -> None:
    errors = errors_only(problems)
    if errors:
        raise CertifyError(list(errors))


def csv_refusal(exc: Exception, file: str, row: int) -> CertifyError:
    """A `csv.Error` of a strict reader at `row` (a quote left open would swallow every later row into one cell)."""
    if "end of data" in str(exc):
        return CertifyError.one(
            "unclosed-quote",
            'Dấu nháy kép (") mở ở dòng này không được đóng: mọi dòng sau sẽ bị gộp vào một ô',
            'A double quote (") opened on this row is never closed: every later row would merge into one cell',
            file=file,
            row=row,
        )
    return CertifyError.one("bad-csv", f"Tệp CSV lỗi: {exc}", f"Malformed CSV: {exc}", file=file, row=row)


def extra_cells(file: str, sheet: str | None, row: int, width: int, found: int) -> Problem:
    """A row of a table holding more cells than its header (DTI tables, the province sheet as CSV)."""
    return Problem(
        code="extra-cells",
        vi="Dòng có nhiều ô hơn dòng tiêu đề: một ô chứa dấu phân cách (như 85,5 trong tệp phân cách bằng dấu phẩy)"
        " bị tách làm hai — đặt ô đó trong ngoặc kép",
        en="The row has more cells than the header: a cell holding the separator (such as 85,5 in a comma-separated"
        " file) splits in two — put it in quotes",
        file=file,
        sheet=sheet,
        row=row,
        expected=f"{width} cột/columns",
        found=f"{found}",
    )
