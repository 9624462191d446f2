"""Every text a page can show has an English translation: template strings, texts the pages build in Python
(`tr(...)`, `flash(request, ...)`), and the label of every identifier (certify.labels)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from api.i18n import LOCALE_DIR, Translator, catalog
from certify.labels import texts

API = Path(__file__).resolve().parents[2] / "api"
PYTHON_KEYWORDS = {"tr": None, "flash": (2,)}  # tr("…") and flash(request, "…", …)


def _strings() -> set[str]:
    options = {"templates/**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}}
    found = {
        msg
        for _, _, msg, *_ in extract_from_dir(str(API), [("templates/**.html", "jinja2")], options)
        if isinstance(msg, str)
    }
    found |= {
        msg
        for _, _, msg, *_ in extract_from_dir(str(API), [("**.py", "python")], keywords=PYTHON_KEYWORDS)
        if isinstance(msg, str)
    }
    return found


def test_every_template_and_page_string_is_translated() -> None:
    found = _strings()
    assert len(found) > 150, "too few strings extracted: is the extraction broken?"
    missing = sorted(found - set(catalog("en")))
    assert missing == [], f"add to {LOCALE_DIR}/en/LC_MESSAGES/messages.po: {missing}"


def test_every_label_has_an_english_text() -> None:
    en = Translator("en")
    missing = sorted(t for t in texts() if en(t) == t)
    assert missing == [], f"add to {LOCALE_DIR}/en/LC_MESSAGES/messages.po: {missing}"
    assert en.label("state", "draft") == "draft" and Translator("vi").label("state", "draft") == "bản nháp"
    assert Translator("vi").label("role", "province_admin") == "quản trị tỉnh"


def test_placeholders_survive_translation() -> None:
    """A message filled in with `.format(unit=…)` must name the same fields in English."""
    import re

    field = re.compile(r"\{(\w+)\}")
    for vi, en in catalog("en").items():
        assert sorted(field.findall(vi)) == sorted(field.findall(en)), (vi, en)


def test_numbers_and_dates_follow_the_language() -> None:
    import datetime as dt

    vi, en = Translator("vi"), Translator("en")
    assert vi.num(1234.5) == "1.234,5" and en.num(1234.5) == "1,234.5"
    assert vi.pct(0.855) == "85,5%"
    assert vi.date(dt.date(2024, 1, 22)) == "22/01/2024"
    assert vi("Đạt") == "Đạt" and en("Đạt") == "Met"
