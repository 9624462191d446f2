"""Display rounding and Vietnamese number formats, and the one rule for reading numbers people type.

Python's `round` rounds half to even (0.125 → 0.12); official tables round half up
(0.125 → 0.13), so every displayed figure goes through `round_half_up` first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from certify.csv_grid import PAD, tail_words

# Babel formats figures for display; reading numbers (a batch of ten thousand units) never needs it.
if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

LOCALE = "vi_VN"


# Snap to 9 decimals first to drop binary noise from arithmetic (0.7574999999999999 is 0.7575);
# the snap is far below any displayed digit.
_NOISE = Decimal("1e-9")


def round_half_up(value: float, digits: int) -> Decimal:
    if value == 0:  # 0.0 and -0.0 are one cache key, and round to «0.00» and «-0.00»
        return _round_half_up(value, digits)
    return _round_half_up_kept(value, digits)


def _round_half_up(value: float, digits: int) -> Decimal:
    # repr() is the shortest text that round-trips, so 2.675 stays 2.675 instead of 2.67499…
    snapped = Decimal(repr(float(value))).quantize(_NOISE, ROUND_HALF_EVEN)
    return snapped.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


# Pages show the same stored figures on every request (a ranking's values and points): each rounded once.
_round_half_up_kept = lru_cache(maxsize=1 << 16)(_round_half_up)


# Parsing a locale and a pattern costs far more than applying them; pages format thousands of numbers.
@cache
def _locale(name: str) -> Locale:
    from babel import Locale

    return Locale.parse(name)


@cache
def _pattern(digits: int, fixed: bool) -> NumberPattern:
    from babel.numbers import parse_pattern

    return parse_pattern(f"#,##0.{('0' if fixed else '#') * digits}" if digits else "#,##0")


# Reports repeat the same few figures (targets, shares, counts) hundreds of times, and Babel's `apply` is the
# cost of a page: keep the text of each rounded value.
@lru_cache(maxsize=1 << 16)
def _apply(rounded: Decimal, digits: int, fixed: bool, locale: str) -> str:
    return str(_pattern(digits, fixed).apply(rounded, _locale(locale)))


def _text(value: float, digits: int, fixed: bool, locale: str) -> str:
    rounded = round_half_up(value, digits)
    # -0.00 equals 0.00 as a cache key, and "-0" is never what a table should print.
    return _apply(rounded.copy_abs() if rounded.is_zero() else rounded, digits, fixed, locale)


def fmt_number(value: float, digits: int = 2, locale: str = LOCALE) -> str:
    """`1234.5` → `1.234,5` (vi): at most `digits` decimals, trailing zeros dropped."""
    return _text(value, digits, False, locale)


def fmt_fixed(value: float, digits: int, locale: str = LOCALE) -> str:
    """Exactly `digits` decimals, as published DTI values (0,7164)."""
    return _text(value, digits, True, locale)


def fmt_percent(ratio: float, digits: int = 1, locale: str = LOCALE) -> str:
    """`0.855` → `85,5%`."""
    return fmt_number(ratio * 100, digits, locale) + "%"


# A cohort's tables format hundreds of thousands of values: round them all at once and format each distinct
# rounded value once. Exactly `round_half_up` (tested on random and tie values): the float rounding decides
# wherever it cannot differ from the decimal one; values within reach of a tie (or too large) go through
# `round_half_up` itself.
_TIE_SLACK = 1e-6
_FLOAT_EXACT = 1e12


def round_half_up_scaled(values: npt.NDArray[np.float64], digits: int) -> npt.NDArray[np.int64]:
    """`round_half_up(v, digits) * 10**digits` for every finite value, as whole numbers."""
    scaled = np.abs(values) * 10.0**digits
    whole = np.floor(scaled)
    out = np.where(scaled - whole >= 0.5, whole + 1, whole)
    frac = scaled - whole
    # Near a tie, `round_half_up` decides after snapping to 9 decimals: at `digits` decimals that snap moves the
    # scaled value by up to 10**(digits - 9), so everything that close to a half goes through it.
    slack = max(_TIE_SLACK, 2 * 10.0 ** (digits - 9))
    unsure = np.flatnonzero((np.abs(frac - 0.5) < slack + scaled * 1e-15) | (scaled >= _FLOAT_EXACT))
    for i in unsure.tolist():
        out[i] = float(abs(round_half_up(float(values[i]), digits)).scaleb(digits))
    signed: npt.NDArray[np.int64] = (np.sign(values) * out).astype(np.int64)
    return signed


def fmt_numbers_distinct(
    values: npt.NDArray[np.float64], digits: int = 2, locale: str = LOCALE
) -> tuple[list[str], npt.NDArray[np.intp]]:
    """The texts `fmt_number(v, digits)` takes over `values`, each formatted once, and per value the index of its
    text: a cohort's columns keep the index, not a string per row. Texts are in the order of their rounded
    values, so the index also compares as the rounded value does."""
    if not len(values):
        return [], np.zeros(0, dtype=np.intp)
    scaled = round_half_up_scaled(values, digits)
    lo, hi = int(scaled.min()), int(scaled.max())
    if hi - lo <= 4 * len(scaled) + 1024:  # a table of every whole number in the range is cheaper than sorting
        present = np.zeros(hi - lo + 1, dtype=np.bool_)
        present[scaled - lo] = True
        distinct = np.flatnonzero(present) + lo
        where = (np.cumsum(present) - 1)[scaled - lo]
    else:
        distinct, where = np.unique(scaled, return_inverse=True)
    texts = [_apply(Decimal(int(k)).scaleb(-digits), digits, False, locale) for k in distinct.tolist()]
    return texts, where.ravel().astype(np.intp)


def fmt_numbers(values: npt.NDArray[np.float64], digits: int = 2, locale: str = LOCALE) -> list[str]:
    """`[fmt_number(v, digits) for v in values]`, formatting each distinct rounded value once."""
    texts, where = fmt_numbers_distinct(values, digits, locale)
    return [texts[i] for i in where.tolist()]


def fmt_percents(ratios: npt.NDArray[np.float64], digits: int = 1, locale: str = LOCALE) -> list[str]:
    """`[fmt_percent(r, digits) for r in ratios]`, as `fmt_numbers`."""
    return [t + "%" for t in fmt_numbers(ratios * 100, digits, locale)]


# ---------------------------------------------------------------------------------------------------------------
# Reading numbers typed by people: one rule for the web forms, Excel text cells, YAML strings and CSV cells.
#
# Vietnamese writes «1.234,5» (dot for thousands, comma for decimals); software and YAML write «1234.5».
# The rule (docs/numbers.md has the table):
#   * a comma is the decimal separator: «85,5», «0,855»; at most one;
#   * dots or spaces (also no-break and thin spaces) group thousands, in groups of exactly three digits:
#     «1.234», «1 234», «1.234.567», «1.234,5»;
#   * a single dot that cannot be a thousands separator is a decimal point: «85.5», «0.855», «1234.5»;
#   * «1.234» (1 to 3 digits, a dot, exactly 3 digits, no comma) reads as 1234 where only whole numbers
#     are allowed; elsewhere it is refused as ambiguous (1234 or 1,234?) rather than guessed;
#   * a trailing «%» is allowed where the caller allows it, and says the number is a percentage;
#   * anything else (letters, exponents «1e5», «nan», two commas, «1,234.5») is refused, never dropped.
# ---------------------------------------------------------------------------------------------------------------

NUMBER_FORMS = "85,5 · 85,5% · 0,855 · 1.234 · 1 234 · 1.234,5"
MAX_NUMBER_TEXT = 40  # characters: more than any figure a form asks for
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_MINUS = ("-", "\u2212")
_NUMBER_CHARS = frozenset("0123456789.,  -\u2212")


@dataclass(frozen=True, slots=True)
class TypedNumber:
    """A number read from text: its value as written, and whether it was written as a percentage."""

    value: float
    percent: bool = False

    @property
    def fraction(self) -> float:
        """The value as a fraction of one: «85,5%» → 0.855; a number written without % is returned as is."""
        return self.value / 100 if self.percent else self.value


class NumberTextError(ValueError):
    """Why a text is not a number, in Vietnamese and English, with what was expected."""

    def __init__(self, code: str, vi: str, en: str, text: str, expected: str = NUMBER_FORMS) -> None:
        super().__init__(en)
        self.code, self.vi, self.en, self.text, self.expected = code, vi, en, text, expected


def _digits(part: str) -> bool:
    return part.isascii() and part.isdigit()


def _grouped(text: str, sep: str) -> bool:
    """`1.234.567` with `sep` '.': a first group of 1–3 digits, then groups of exactly 3."""
    groups = text.split(sep)
    return (
        len(groups) > 1
        and _digits(groups[0])
        and 1 <= len(groups[0]) <= 3
        and all(len(g) == 3 and _digits(g) for g in groups[1:])
    )


def parse_number(text: str, *, whole: bool = False, percent: bool = False) -> TypedNumber:
    """Read a number typed by a person (see the rule above). `whole`: only whole numbers make sense here,
    so «1.234» is 1234; `percent`: a trailing «%» is allowed. Raises `NumberTextError`, never guesses."""
    raw = text
    body = text.translate(_SPACES).strip()
    if not body:
        raise NumberTextError("empty-number", "Ô trống", "Empty", raw)
    if len(body) > MAX_NUMBER_TEXT:
        raise NumberTextError("number-too-long", "Số quá dài", "Number too long", raw[:MAX_NUMBER_TEXT] + "…")
    is_percent = body.endswith("%")
    if is_percent:
        if not percent:
            raise NumberTextError(
                "percent-not-allowed", "Ô này không nhận dấu %", "A percentage is not accepted here", raw, "1234"
            )
        body = body[:-1].rstrip()
    if not set(body) <= _NUMBER_CHARS:  # letters, units, other scripts: not a number, whatever the grouping
        raise NumberTextError("not-a-number", "Không phải là số", "Not a number", raw)
    sign = 1.0
    if body.startswith(_MINUS):
        sign, body = -1.0, body[1:].lstrip()
    if " " in body:
        head, _, tail = body.partition(",")
        if not _grouped(head, " "):
            raise NumberTextError(
                "bad-grouping",
                "Khoảng trắng chỉ dùng để tách nhóm ba chữ số",
                "Spaces may only separate groups of three digits",
                raw,
            )
        body = head.replace(" ", "") + ("," + tail if tail or "," in body else "")
    commas, dots = body.count(","), body.count(".")
    if commas > 1:
        raise NumberTextError(
            "two-commas",
            "Có hơn một dấu phẩy: dấu phẩy là dấu thập phân",
            "More than one comma: the comma is the decimal separator",
            raw,
        )
    if commas == 1:
        head, tail = body.split(",")
        if "." in tail:
            raise NumberTextError(
                "english-number",
                "Số viết kiểu tiếng Anh (1,234.5): ghi 1.234,5 hoặc 1234,5",
                "An English-style number (1,234.5): write 1.234,5 or 1234,5",
                raw,
            )
        if dots and not _grouped(head, "."):
            raise NumberTextError(
                "bad-grouping",
                "Dấu chấm trước dấu phẩy phải tách nhóm ba chữ số (1.234,5)",
                "Dots before the decimal comma must separate groups of three digits (1.234,5)",
                raw,
            )
        int_part, frac_part, decimal = head.replace(".", ""), tail, True
    elif dots > 1:
        if not _grouped(body, "."):
            raise NumberTextError(
                "bad-grouping",
                "Dấu chấm chỉ dùng để tách nhóm ba chữ số",
                "Dots may only separate groups of three digits",
                raw,
            )
        int_part, frac_part, decimal = body.replace(".", ""), "", False
    elif dots == 1:
        head, tail = body.split(".")
        if _grouped(body, ".") and head != "0":
            if not whole:
                raise NumberTextError(
                    "ambiguous-number",
                    f"«{raw.strip()}» có thể là {head}{tail} hoặc {head},{tail}: ghi {head}{tail} hoặc {head},{tail}",
                    f"'{raw.strip()}' may mean {head}{tail} or {head}.{tail}: write {head}{tail} or {head},{tail}",
                    raw,
                )
            int_part, frac_part, decimal = head + tail, "", False
        else:
            int_part, frac_part, decimal = head, tail, True
    else:
        int_part, frac_part, decimal = body, "", False
    if not _digits(int_part) or (frac_part and not _digits(frac_part)) or (decimal and not frac_part):
        # digits on both sides of a decimal separator: «,5» and «5,» are more often slips than numbers
        raise NumberTextError("not-a-number", "Không phải là số", "Not a number", raw)
    value = sign * float(f"{int_part}.{frac_part or '0'}")
    return TypedNumber(value, is_percent)


# Many cells at once (a province sheet or a DTI table saved as CSV: ten thousand rows, dozens of columns). A cell
# written plainly — digits with at most one decimal comma or point, the point not one that could group thousands
# («0.855», «85,5», «1234.5»; not «1.234», «.5» or «5.»), a trailing «%» where the caller allows it — is read at
# once, straight from the bytes of a file or of a column, to exactly what `parse_number` reads; any other cell is
# left to `parse_number`, one by one, which says what is wrong. tests/test_plain_numbers.py holds the two equal.
#
# A cell of at most 16 bytes is read from the 8 or 16 bytes that end where it ends, as one or two 64-bit words
# (bytes before the cell read as «0»): its digits make one whole number, exact in 64 bits, and the cell's value is
# that number divided by the power of ten of its decimals. With at most 15 digits both are exact in float64, so
# the one correctly rounded division gives exactly `float(cell)`; a whole number of 16 digits converts to float64
# correctly rounded, as `float` reads it. A longer plain cell (up to `MAX_NUMBER_TEXT`) is read by `float` itself.
_U64 = np.dtype("<u8")
_EACH_BYTE = np.uint64(0x0101010101010101)
_LOW_NIBBLES = np.uint64(0x0F0F0F0F0F0F0F0F)  # «0»…«9» → 0…9
_POSITIONS = np.uint64(0x0706050403020100)
_LATER_WORDS = {k: 8 * np.arange(k - 1, -1, -1, dtype=np.uint64) for k in (1, 2, 3, 4)}
_CHUNK = 1 << 15  # cells read in one step: the step's arrays stay in the processor's cache
_MOST_DECIMALS = 19  # 10**19 is held in 64 bits, and 10**k as a float64 exactly up to k = 22
_POWERS = 10.0 ** np.arange(_MOST_DECIMALS + 1)  # exact
_WHOLE_POWERS = 10 ** np.arange(_MOST_DECIMALS + 1, dtype=np.uint64)
_LONG_PLAIN = re.compile(rb"[0-9]+(?:[.,][0-9]+)?")
_POINT, _COMMA, _PERCENT, _NL = (ord(c) for c in ".,%\n")

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def _eight_digits(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Eight digits (0…9, one per byte, the first the most significant) as one whole number (SWAR)."""
    words = ((words & _LOW_NIBBLES) * np.uint64(10 * 256 + 1)) >> np.uint64(8)
    words = ((words & np.uint64(0x00FF00FF00FF00FF)) * np.uint64(100 * 65536 + 1)) >> np.uint64(16)
    return ((words & np.uint64(0x0000FFFF0000FFFF)) * np.uint64(10000 * 2**32 + 1)) >> np.uint64(32)


def _windows(buf: bytes, ends: IntArray, lens: IntArray, k: int) -> tuple[FloatArray, BoolArray]:
    """Cells of 1 to 8k bytes (k ≤ 4): their values and whether each is plain (NaN where it is not)."""
    words = tail_words(buf, ends, lens, k, fill=ord("0"))
    raw = words.view(np.uint8)
    comma = raw == _COMMA
    shifted = raw - np.uint8(_POINT)  # (n, 8k): «.» → 0, «/» → 1, «0»…«9» → 2…11
    odd = (((shifted > 11) & ~comma) | (shifted == 1)).view(_U64).any(axis=1)
    separator = (shifted == 0) | comma
    seps = separator.view(_U64)
    n_seps = ((seps * _EACH_BYTE) >> np.uint64(56)).sum(axis=1)
    has_sep = n_seps == 1
    # bytes after the separator: for one at byte q of a word, 7 - q (the top byte of the word times 0x0706…00), and
    # 8 for every word after its word
    in_word = (seps * _POSITIONS) >> np.uint64(56)
    after = np.where(has_sep, (in_word + (seps != 0) * _LATER_WORDS[k]).sum(axis=1), 0).astype(np.intp)
    before = lens - after - has_sep
    plain = ~odd & (n_seps <= 1) & ~(has_sep & ((before == 0) | (after == 0)))
    digits = words & ~(seps * np.uint64(255)) & _LOW_NIBBLES  # the separator read as a 0
    whole = _eight_digits(digits[:, 0])
    near = whole.astype(np.float64)  # the same number in floating point: whether 64 bits held it
    for j in range(1, k):
        eight = _eight_digits(digits[:, j])
        whole = whole * np.uint64(10**8) + eight
        near = near * 1e8 + eight
    after_held = np.minimum(after, _MOST_DECIMALS)
    low = whole % _WHOLE_POWERS[after_held]  # the separator, read as a 0, put the digits before it one place too high
    whole = np.where(has_sep, (whole - low) // np.uint64(10) + low, whole)
    has_dot = has_sep & ~comma.view(_U64).any(axis=1)
    plain &= ~(has_dot & (before <= 3) & (after == 3) & ~((before == 1) & (whole < 1000)))  # «1.234», not «0.123»
    # exact: a whole number held in 64 bits, converted once; or one of at most 2**53 (exact in float64) divided by
    # an exact power of ten, once. Either is rounded once, correctly, as `float` reads the cell.
    exact = (near < 1e19) & (after <= _MOST_DECIMALS) & ((after == 0) | (whole <= 2**53))
    values: FloatArray = np.where(plain & exact, whole / _POWERS[after_held], np.nan)
    rest = plain & ~exact
    if rest.any():  # more digits than float64 holds exactly: read by the C library, as `float` reads them
        text = np.where(comma, np.uint8(_POINT), raw)[rest]  # «0» before the cell, as `float` reads «007»
        values[rest] = np.ascontiguousarray(text).view(f"S{8 * k}").ravel().astype(np.float64)
    return values, plain


def plain_cells(
    buf: bytes, starts: IntArray, ends: IntArray, *, percent: bool = False
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """The cells `buf[starts[i]:ends[i]]` read at once: each cell's value as written (NaN where empty or not
    plain), whether it is plain (an empty cell is; see above), and whether it ends in «%» (allowed where `percent`:
    the value is then the number before it, as `parse_number(…).value`). `buf` holds at least 32 bytes before the
    first cell (`certify.csv_grid.PAD`)."""
    n = len(ends)
    lens = ends - starts
    shown_percent = np.zeros(n, np.bool_)
    if percent and n:
        shown_percent = (lens > 0) & (np.frombuffer(buf, np.uint8)[ends - 1] == _PERCENT)
        ends = ends - shown_percent
        lens = lens - shown_percent
    values = np.empty(n)
    plain = np.empty(n, np.bool_)
    for at in range(0, n, _CHUNK):  # every cell by its last 8 bytes; the longer ones again below
        part = slice(at, at + _CHUNK)
        values[part], plain[part] = _windows(buf, ends[part], lens[part], 1)
    for k, low, high in ((2, 8, 16), (4, 16, 32)):  # the longer ones again, by their last 16 or 32 bytes
        take_all = np.flatnonzero((lens > low) & (lens <= high))
        for at in range(0, len(take_all), _CHUNK):
            take = take_all[at : at + _CHUNK]
            values[take], plain[take] = _windows(buf, ends[take], lens[take], k)
    for i in np.flatnonzero(lens > 32).tolist():
        cell = buf[starts[i] : ends[i]]
        plain[i] = len(cell) + shown_percent[i] <= MAX_NUMBER_TEXT and _LONG_PLAIN.fullmatch(cell) is not None
        values[i] = float(cell.replace(b",", b".")) if plain[i] else np.nan
    empty = lens == 0
    plain[empty & shown_percent] = False  # «%» alone
    values[empty | ~plain] = np.nan
    shown_percent &= plain
    return values, plain, shown_percent


def plain_numbers(
    cells: Sequence[str], *, percent: bool = False, joined: str | None = None
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """`plain_cells` for a column of text cells («85,5» · «0.855» · «1234», with a trailing «%» where `percent`):
    per cell its value (what `parse_number(cell).value` gives; NaN where empty or not plain), whether it was empty
    or written plainly, and whether as a percentage. `joined`: the cells joined by line breaks, where the caller has
    it already. Every other text (with a space, a sign, a letter, grouped thousands) is for `parse_number`."""
    n = len(cells)
    if joined is None:
        joined = "\n".join(cells)
    buf = bytes(PAD) + joined.encode() + b"\n"
    ends = np.flatnonzero(np.frombuffer(buf, np.uint8) == _NL)
    if len(ends) != n:  # a cell holding a line break: every cell is for `parse_number`
        none = np.zeros(n, np.bool_)
        return np.full(n, np.nan), none, none
    starts = np.concatenate(([PAD], ends[:-1] + 1))
    return plain_cells(buf, starts, ends, percent=percent)
