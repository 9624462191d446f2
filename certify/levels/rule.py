"""The one rule that checks a value written for a criterion: a plain number (a ratio as a fraction 0–1, or
"85%"), yes/no, `{numerator, denominator}`, «not applicable» with its reason, evidence and notes.

`Rule.measure` is the reference for one value: the cohort binder (`certify.levels.assessment`) checks the
common shapes of a whole column at once with numpy and sends every other value, and every value its columns
do not accept, here, so that what is refused and why is said in one place.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from certify.errors import KeyPath
from certify.levels.model import Criterion, IndicatorType, LevelFramework
from certify.limits import Limits, current
from certify.numbers import NumberTextError, TypedNumber, parse_number


class EvidenceDoc(BaseModel):
    """Tài liệu kiểm chứng: the document that proves a value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str | None = Field(default=None, description="số hiệu văn bản, e.g. 15/BC-UBND")
    date: dt.date | None = None
    summary: str | None = None
    file: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    """A checked value. `value` is numeric (yes/no as 1.0/0.0); None with `na` False = missing."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    na: bool = False
    reason: str | None = None
    evidence: EvidenceDoc | None = None
    note: str | None = None


_EXACT = 2**53  # whole numbers up to here are floats exactly
_ENTRY_KEYS = frozenset({"value", "numerator", "denominator", "not_applicable", "reason", "evidence", "note"})
_EVIDENCE_KEYS = ("document", "date", "summary", "file", "url")


class Bad(Exception):
    """Why one value is refused: the code, the words, what was expected and found, the key inside the entry."""

    def __init__(self, code: str, vi: str, en: str, expected: str | None, found: Any, sub: KeyPath = ()) -> None:
        super().__init__(en)
        self.code, self.vi, self.en, self.expected, self.found, self.sub = code, vi, en, expected, found, sub

    @property
    def shown(self) -> str:
        return self.found if isinstance(self.found, str) and self.found.startswith("«") else repr(self.found)[:80]

    def problem_args(self, code: str) -> tuple[str, str, str]:
        return self.code, f"Tiêu chí {code}: {self.vi}", f"Criterion {code}: {self.en}"


@dataclass(frozen=True)
class Rule:
    """The one rule that checks a value against its criterion (the reference the cohort binder's columns agree with)."""

    year: int
    value_max: float
    lengths: dict[str, int]  # text key → most characters
    earliest: dt.date
    latest: dt.date
    reason_required: bool

    @classmethod
    def of(cls, fw: LevelFramework, year: int, lim: Limits | None = None) -> Rule:
        """`lim`: the limits in force (default: read now)."""
        lim = lim if lim is not None else current()
        prose = lim.prose_max_chars
        return cls(
            year=year,
            value_max=lim.value_max,
            lengths={
                "document": lim.document_max_chars,
                "file": lim.file_ref_max_chars,
                "url": lim.file_ref_max_chars,
                "summary": prose,
                "reason": prose,
                "note": prose,
            },
            earliest=dt.date(lim.evidence_min_year, 1, 1),
            latest=dt.date(year + lim.evidence_years_after, 12, 31),
            reason_required=fw.rules.not_applicable_reason,
        )

    def limit(self, crit: Criterion) -> float:
        assert crit.indicator is not None
        own = crit.indicator.max
        return float(own) if own is not None else self.value_max

    def measure(self, crit: Criterion, raw: Any) -> Measurement:
        assert crit.indicator is not None
        kind = crit.indicator.type
        if not isinstance(raw, dict):
            return Measurement(self.scalar(crit, raw, ()))
        if len(raw) == 2 and kind is IndicatorType.RATIO:  # the usual ratio: two whole counts, nothing else
            num, den = raw.get("numerator"), raw.get("denominator")
            if type(num) is int and type(den) is int and 0 <= num <= den and 0 < den <= min(self.value_max, _EXACT):
                n, d = float(num), float(den)
                return Measurement(n / d, n, d)  # what the checks below give it (tests/levels/test_rule_counts.py)
        unknown = [] if raw.keys() <= _ENTRY_KEYS else sorted(str(k) for k in raw if k not in _ENTRY_KEYS)
        if unknown:
            raise Bad(
                "unknown-key",
                "khóa không hợp lệ",
                "unknown key",
                ", ".join(sorted(_ENTRY_KEYS)),
                unknown[0],
                (unknown[0],),
            )
        evidence = self.evidence(raw["evidence"]) if raw.get("evidence") is not None else None
        note = self.text(raw, "note") if "note" in raw else None
        reason = self.text(raw, "reason") if "reason" in raw else None
        na = raw.get("not_applicable")
        if na is not None and not isinstance(na, bool):
            raise Bad(
                "wrong-type",
                "«not_applicable» phải là true/false",
                "'not_applicable' must be true or false",
                "true | false",
                na,
                ("not_applicable",),
            )
        if na:
            given = [k for k in ("value", "numerator", "denominator") if raw.get(k) is not None]
            if given:
                raise Bad(
                    "na-with-value",
                    f"vừa ghi «không áp dụng» (not_applicable) vừa ghi {given[0]}: hãy bỏ một trong hai",
                    f"both 'not applicable' (not_applicable) and {given[0]} are given: remove one",
                    "not_applicable hoặc/or " + given[0],
                    raw[given[0]],
                    (given[0],),
                )
            if self.reason_required and not reason:
                raise Bad(
                    "na-without-reason",
                    "ghi «không áp dụng» thì phải nêu lý do (reason)",
                    "'not applicable' needs a reason (reason)",
                    "reason: …",
                    "(không có lý do/no reason)",
                    ("not_applicable",),
                )
            return Measurement(None, na=True, reason=reason, evidence=evidence, note=note)
        if "numerator" in raw or "denominator" in raw:
            if kind is not IndicatorType.RATIO:
                raise Bad(
                    "wrong-type",
                    "tử số/mẫu số chỉ dùng cho chỉ tiêu tỷ lệ",
                    "numerator/denominator only apply to ratio indicators",
                    kind.value,
                    raw,
                )
            for key, other in (("numerator", "denominator"), ("denominator", "numerator")):
                if raw.get(key) is None:
                    raise Bad(
                        f"missing-{key}",
                        f"có {_VI[other]} nhưng thiếu {_VI[key]}",
                        f"{other} given without {key}",
                        f"{key}: số nguyên/whole number",
                        "«(trống/empty)»",
                        (key,),
                    )
            num = self.number(raw["numerator"], ("numerator",), whole=True, most=self.value_max)
            den = self.number(raw["denominator"], ("denominator",), whole=True, most=self.value_max)
            if den == 0:
                raise Bad(
                    "zero-denominator",
                    "mẫu số bằng 0",
                    "denominator is zero",
                    "> 0",
                    raw["denominator"],
                    ("denominator",),
                )
            if num > den:
                raise Bad(
                    "ratio-above-one",
                    "tử số lớn hơn mẫu số",
                    "numerator is larger than the denominator",
                    f"≤ {den:g}",
                    num,
                    ("numerator",),
                )
            if raw.get("value") is not None:
                self.agrees(crit, raw["value"], num, den)
            return Measurement(num / den, num, den, evidence=evidence, note=note, reason=reason)
        if "value" not in raw:
            raise Bad(
                "no-value",
                "thiếu giá trị (value, hoặc numerator/denominator, hoặc not_applicable)",
                "no value (value, or numerator/denominator, or not_applicable)",
                "value",
                raw,
            )
        return Measurement(self.scalar(crit, raw["value"], ("value",)), evidence=evidence, note=note, reason=reason)

    def agrees(self, crit: Criterion, raw: Any, num: float, den: float) -> None:
        """A value written beside its counts must be their ratio, as rounded where it was written."""
        value = self.scalar(crit, raw, ("value",))
        assert value is not None
        percent, decimals = _written(raw)
        scale = 100.0 if percent else 1.0
        tolerance = 0.5 * 10.0**-decimals / scale + 1e-9
        if abs(value - num / den) > tolerance:
            raise Bad(
                "value-counts-disagree",
                f"giá trị (value) khác tỷ lệ tử số/mẫu số ({num:g}/{den:g} = {num / den:.4g}): "
                "hãy sửa một trong hai, hoặc chỉ ghi tử số và mẫu số",
                f"the value differs from numerator/denominator ({num:g}/{den:g} = {num / den:.4g}): "
                "correct one of them, or give the counts only",
                f"≈ {num / den:.4g}",
                raw,
                ("value",),
            )

    def scalar(self, crit: Criterion, raw: Any, sub: KeyPath) -> float | None:
        assert crit.indicator is not None
        kind = crit.indicator.type
        if raw is None:
            return None
        if kind is IndicatorType.BOOLEAN:
            return 1.0 if yes_no(raw, sub) else 0.0
        if kind is IndicatorType.RATIO:
            typed = self.typed(raw, sub, whole=False, percent=True) if isinstance(raw, str) else None
            value = typed.fraction if typed is not None else self.number(raw, sub, whole=False, most=math.inf)
            if value > 1 and typed is not None and typed.percent:
                raise Bad(
                    "percent-above-100",
                    "tỷ lệ phần trăm phải từ 0% đến 100%",
                    "a percentage must be between 0% and 100%",
                    "0% … 100%",
                    raw,
                    sub,
                )
            if value > 1:
                raise Bad(
                    "ratio-above-one",
                    "tỷ lệ phải từ 0 đến 1 (hoặc ghi «85%»)",
                    "a ratio must be between 0 and 1 (or written '85%')",
                    "0 … 1 (0% … 100%)",
                    raw,
                    sub,
                )
            return value
        return self.number(raw, sub, whole=kind is IndicatorType.COUNT, most=self.limit(crit))

    def typed(self, raw: str, sub: KeyPath, *, whole: bool, percent: bool) -> TypedNumber:
        try:
            typed = parse_number(raw, whole=whole, percent=percent)
        except NumberTextError as exc:
            raise Bad(exc.code, exc.vi.lower()[:1] + exc.vi[1:], exc.en, exc.expected, raw, sub) from None
        if typed.value < 0:
            raise Bad("negative", "không được âm", "must not be negative", "≥ 0", raw, sub)
        return typed

    def number(self, raw: Any, sub: KeyPath, *, whole: bool, most: float) -> float:
        if isinstance(raw, str):
            value = self.typed(raw, sub, whole=whole, percent=False).value
        elif isinstance(raw, bool) or not isinstance(raw, int | float):
            raise Bad("wrong-type", "phải là số", "must be a number", "số/number", raw, sub)
        else:
            try:
                value = float(raw)
            except OverflowError:  # a JSON integer beyond float range
                raise Bad("too-large", "số quá lớn", "number too large", f"≤ {most:g}", raw, sub) from None
            if not math.isfinite(value):
                raise Bad("wrong-type", "phải là số hữu hạn", "must be a finite number", "số/number", raw, sub)
            if value < 0:
                raise Bad("negative", "không được âm", "must not be negative", "≥ 0", raw, sub)
        if whole and value != int(value):
            raise Bad("not-whole", "phải là số nguyên", "must be a whole number", "0, 1, 2, …", raw, sub)
        if value > most:
            raise Bad(
                "too-large",
                f"số lớn hơn mức có thể có ({most:g})",
                f"number beyond what is possible ({most:g})",
                f"≤ {most:g}",
                raw,
                sub,
            )
        return value

    def text(self, raw: dict[str, Any], key: str, sub: KeyPath = ()) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            # YAML reads `1.10` as 1.1, `010` as 8, `yes` as true: a text must come as written, so in quotes.
            raise Bad(
                "not-text",
                f'«{key}» phải là chữ: hãy đặt trong dấu nháy, vd. «{key}: "15/BC-UBND"»',
                f"'{key}' must be a text: put it in quotes, e.g. '{key}: \"15/BC-UBND\"'",
                "chữ/text",
                value,
                (*sub, key),
            )
        most = self.lengths[key]
        if len(value) > most:
            raise Bad(
                "text-too-long",
                f"«{key}» quá dài ({len(value)} ký tự)",
                f"'{key}' is too long ({len(value)} characters)",
                f"≤ {most} ký tự/characters",
                f"«{value[:40]}…»",
                (*sub, key),
            )
        return value.strip() or None

    def evidence(self, raw: Any) -> EvidenceDoc:
        sub: KeyPath = ("evidence",)
        if not isinstance(raw, dict):
            raise Bad(
                "bad-evidence",
                "tài liệu kiểm chứng phải là bảng khóa–giá trị",
                "evidence must be a mapping",
                ", ".join(_EVIDENCE_KEYS),
                raw,
                sub,
            )
        unknown = sorted(str(k) for k in raw if k not in _EVIDENCE_KEYS)
        if unknown:
            raise Bad(
                "bad-evidence",
                "khóa không hợp lệ trong tài liệu kiểm chứng",
                "unknown key in the evidence",
                ", ".join(_EVIDENCE_KEYS),
                unknown[0],
                (*sub, unknown[0]),
            )
        texts = {k: self.text(raw, k, sub) for k in _EVIDENCE_KEYS if k != "date"}
        day = raw.get("date")
        if day is not None:
            day = self.day(day, (*sub, "date"))
        return EvidenceDoc(date=day, **texts)

    def day(self, raw: Any, sub: KeyPath) -> dt.date:
        if isinstance(raw, dt.datetime):
            raw = raw.date()
        if isinstance(raw, str):
            try:
                raw = dt.date.fromisoformat(raw.strip())
            except ValueError:
                raise Bad("bad-date", "ngày không hợp lệ", "invalid date", "YYYY-MM-DD", raw, sub) from None
        if not isinstance(raw, dt.date):
            raise Bad("bad-date", "ngày không hợp lệ", "invalid date", "YYYY-MM-DD", raw, sub)
        if not self.earliest <= raw <= self.latest:
            raise Bad(
                "implausible-date",
                f"ngày văn bản nằm ngoài khoảng hợp lý cho năm đánh giá {self.year}",
                f"the document date is outside the plausible window for assessment year {self.year}",
                f"{self.earliest.isoformat()} … {self.latest.isoformat()}",
                raw.isoformat(),
                sub,
            )
        return raw


_VI = {"numerator": "tử số", "denominator": "mẫu số"}
YES = frozenset({"có", "co", "yes", "đạt", "x", "1"})
NO = frozenset({"không", "khong", "no", "chưa", "chua", "0"})


def yes_no(raw: Any, sub: KeyPath = ()) -> bool:
    """A yes/no answer: true/false, «có»/«không» (and the forms in YES/NO), 1/0."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise Bad("wrong-type", "phải là có/không", "must be yes/no", "true | false | có | không", raw, sub)


def _written(raw: Any) -> tuple[bool, int]:
    """Whether a value was written as a percentage, and how many decimals it was written with."""
    if isinstance(raw, str):
        body = raw.strip()
        percent = body.endswith("%")
        digits = body.rstrip("%").strip().replace(".", ",")
        decimals = len(digits.rsplit(",", 1)[1]) if "," in digits else 0
        return percent, decimals
    text = repr(float(raw))
    if "e" in text:
        return False, 12
    return False, len(text.split(".")[1].rstrip("0")) if "." in text else 0
