"""Every string the templates mark for translation has an English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from api.i18n import LOCALE_DIR, Translator, catalog

API = Path(__file__).resolve().parents[2] / "api"


def test_every_template_string_is_translated() -> None:
    method_map = [("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}}
    found = {msg for _, _, msg, *_ in extract_from_dir(str(API), method_map, options) if isinstance(msg, str)}
    assert found, "no strings extracted"
    missing = sorted(found - set(catalog("en")))
    assert missing == [], f"add to {LOCALE_DIR}/en/LC_MESSAGES/messages.po: {missing}"


def test_numbers_and_dates_follow_the_language() -> None:
    import datetime as dt

    vi, en = Translator("vi"), Translator("en")
    assert vi.num(1234.5) == "1.234,5" and en.num(1234.5) == "1,234.5"
    assert vi.pct(0.855) == "85,5%"
    assert vi.date(dt.date(2024, 1, 22)) == "22/01/2024"
    assert vi("Đạt") == "Đạt" and en("Đạt") == "Met"
