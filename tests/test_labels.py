"""One colour per level, readable: white text on every badge at WCAG 2.1 AA, bars visible on a white page;
one text per identifier."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from certify.labels import (
    LEVEL_COLOURS,
    NO_LEVEL_COLOUR,
    contrast,
    label,
    level_colour,
    level_css,
    level_slot,
    slot,
    slugs,
)

FIVE = ["khoi-dong", "ket-noi", "co-ban", "nang-cao", "toan-dien"]


def test_badge_text_meets_wcag_aa() -> None:
    for colour in (*LEVEL_COLOURS, NO_LEVEL_COLOUR):
        assert contrast(colour.background, colour.text) >= 4.5, colour
        assert contrast(colour.background, "#ffffff") >= 3.0, colour  # a bar or swatch on a white page
        assert contrast(colour.background, "#f6f7f9") >= 3.0, colour  # … and on the page background


def test_contrast_formula_on_known_pairs() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#ef6c00", "#ffffff"), 2) == 3.08  # the old «Kết nối» orange the issue measured


def test_five_levels_five_distinct_colours_in_order() -> None:
    colours = [level_colour(FIVE, lv) for lv in FIVE]
    assert colours == list(LEVEL_COLOURS) and len(set(colours)) == 5
    assert level_colour(FIVE, None) == NO_LEVEL_COLOUR == level_colour(FIVE, "unknown")


@given(st.integers(min_value=1, max_value=12))
def test_any_number_of_levels_spreads_over_the_scale(levels: int) -> None:
    slots = [slot(i, levels) for i in range(levels)]
    assert slots == sorted(slots)  # a higher level never wears a lower level's colour
    assert slots[-1] == len(LEVEL_COLOURS) - 1  # the top level is always the top colour
    if levels >= 2:
        assert slots[0] == 0


def test_css_has_a_class_for_every_slot() -> None:
    css = level_css()
    for i, colour in enumerate(LEVEL_COLOURS):
        assert f".lv-{i} {{ background: {colour.background}; color: {colour.text};" in css
    assert f".lv-none {{ background: {NO_LEVEL_COLOUR.background};" in css
    assert level_slot(FIVE, "ket-noi") == 1


def test_every_identifier_has_words() -> None:
    assert label("state", "draft") == "bản nháp" and label("role", "province_admin") == "quản trị tỉnh"
    assert label("tier", "commune") == "cấp xã" and label("status", "sample") == "mẫu, không chính thức"
    assert label("rule", "all") != "all" and label("verdict", "not_met") == "Chưa đạt"
    assert {"draft", "published", "unit_editor", "commune", "partial", "sample"} <= slugs()
