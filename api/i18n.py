"""Vietnamese first, English on request: a small gettext layer over Babel's catalog tools.

Source strings are the Vietnamese text; `api/locale/en/LC_MESSAGES/messages.po` maps them to
English. The .po file is read with Babel at start-up (no compiled .mo to keep in step), and
`pybabel extract -F api/babel.cfg` regenerates the template of strings (see tests/api/test_i18n.py).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.messages.pofile import read_po

from certify.framework_base import TIER_VI, Tier
from certify.labels import NO_LEVEL_VI, label, level_slot
from certify.numbers import fmt_fixed, fmt_number, fmt_percent

LANGS = ("vi", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
BABEL_LOCALE = {"vi": "vi_VN", "en": "en_GB"}  # en_GB: day/month order, as Vietnamese readers expect
LANG_COOKIE = "lang"


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang == "vi":
        return {}
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        po = read_po(fh, locale=lang)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


def gettext(lang: str, message: str) -> str:
    return catalog(lang).get(message, message)


def pick_lang(query: str | None, cookie: str | None, default: str) -> str:
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate
    return default


class Translator:
    """What templates receive as `t`: strings, numbers and dates in the page's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = BABEL_LOCALE[lang]

    def __call__(self, message: str) -> str:
        return gettext(self.lang, message)

    def num(self, value: float, digits: int = 2) -> str:
        return fmt_number(value, digits, self.locale)

    def fixed(self, value: float, digits: int) -> str:
        """Exactly `digits` decimals: DTI values are published as 0,7163."""
        return fmt_fixed(value, digits, self.locale)

    def signed(self, value: float, digits: int) -> str:
        """A change, always with its sign: +0,0412 / −0,0100 (zero shows as 0,0000)."""
        text = fmt_fixed(abs(value), digits, self.locale)
        rounded_zero = text.strip("0,.") == ""
        return text if rounded_zero else ("+" if value > 0 else "−") + text

    def tier(self, tier: str) -> str:
        return self(TIER_VI[Tier(tier)])

    def label(self, group: str, value: str | None) -> str:
        """The text of an identifier (state, role, tier, status, kind, rule, verdict…) in the page's language."""
        return "—" if value is None else self(label(group, value))

    def level(self, fw: Any, level: str | None) -> str:
        """A level's name from its framework (`name`/`name_en`), or «not at any level yet»."""
        if not level:
            return self(NO_LEVEL_VI)
        found = fw.level_by_id.get(level)
        return self.pick(found.name, found.name_en) if found is not None else level

    def level_class(self, fw: Any, level: str | None) -> str:
        """The CSS class of the level's one colour (`lv-0` … `lv-4`, `lv-none`): see certify.labels."""
        found = level_slot(fw.level_ids, level)
        return "lv-none" if found is None else f"lv-{found}"

    def pct(self, ratio: float, digits: int = 1) -> str:
        return fmt_percent(ratio, digits, self.locale)

    def date(self, value: date | str) -> str:
        """A day as the language writes it; an ISO text (a JSON twin's) is read first."""
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return format_date(value, format="short" if self.lang == "en" else "dd/MM/yyyy", locale=self.locale)

    def errors(self, problems: Any) -> Any:
        """Problems as a page shows them (api.form_errors): summary and per-field messages, no internal codes."""
        from api.form_errors import shown

        return shown(problems or [], self)

    def pick(self, vi: Any, en: Any) -> Any:
        """Data files carry Vietnamese text and sometimes an English twin (`name_en`)."""
        return en if self.lang == "en" and en else vi
