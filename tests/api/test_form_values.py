"""The web form read by the core's one rule: every field typed is read or refused by name, never dropped."""

from __future__ import annotations

import pytest

from api.form_values import check_form, field_of
from certify.catalog import Catalog, bundled_root
from certify.levels.model import LevelFramework


@pytest.fixture(scope="module")
def fw() -> LevelFramework:
    got = Catalog([bundled_root("frameworks")]).load("sample-2361-commune").framework
    assert isinstance(got, LevelFramework)
    return got


BASE = {"unit": "29746", "year": "2024"}


@pytest.mark.parametrize(
    ("field", "typed", "code", "value"),
    [
        ("v:CQS-01", "85,5", "CQS-01", 0.855),  # a percentage with a decimal comma, never 855
        ("v:CQS-01", "85,5%", "CQS-01", 0.855),
        ("v:CQS-01", "72", "CQS-01", 0.72),
        ("v:CQS-08", "85,5", "CQS-08", 85.5),  # Mbps
        ("v:CQS-08", "1.234,5", "CQS-08", 1234.5),
        ("v:CQS-17", "1.234", "CQS-17", 1234),  # a count: the dot groups thousands
        ("v:CQS-17", "1 234", "CQS-17", 1234),
    ],
)
def test_numbers_typed_the_vietnamese_way_are_read(
    fw: LevelFramework, field: str, typed: str, code: str, value: float
) -> None:
    check = check_form(fw, BASE | {field: typed})
    assert check.ok, check.problems
    assert check.bound is not None
    assert check.bound.measurements[code].value == pytest.approx(value)


@pytest.mark.parametrize(
    ("form", "field", "code", "words"),
    [
        ({"v:CQS-17": "abc"}, "v:CQS-17", "not-a-number", "không phải là số"),
        ({"v:CQS-17": "85%"}, "v:CQS-17", "percent-not-allowed", "không nhận dấu %"),
        ({"v:CQS-17": "85,5"}, "v:CQS-17", "not-whole", "số nguyên"),
        ({"v:CQS-08": "1.234"}, "v:CQS-08", "ambiguous-number", "1234 hoặc 1,234"),
        ({"v:CQS-08": "1e300"}, "v:CQS-08", "not-a-number", "không phải là số"),
        ({"v:CQS-17": "1000000000000"}, "v:CQS-17", "too-large", "lớn hơn mức có thể có"),
        ({"v:CQS-01": "150"}, "v:CQS-01", "percent-above-100", "từ 0% đến 100%"),
        ({"v:CQS-01": "80", "n:CQS-01": "52", "d:CQS-01": "95"}, "v:CQS-01", "value-counts-disagree", "52/95"),
        ({"n:CQS-01": "52"}, "d:CQS-01", "missing-denominator", "thiếu mẫu số"),
        ({"d:CQS-01": "95"}, "n:CQS-01", "missing-numerator", "thiếu tử số"),
        ({"n:CQS-01": "96", "d:CQS-01": "95"}, "n:CQS-01", "ratio-above-one", "tử số lớn hơn mẫu số"),
        ({"v:CQS-04": "có", "na:CQS-04": "1", "r:CQS-04": "x"}, "v:CQS-04", "na-with-value", "không áp dụng"),
        ({"na:CQS-24": "1"}, "na:CQS-24", "na-without-reason", "lý do"),
        ({"v:CQS-04": "maybe"}, "v:CQS-04", "wrong-type", "có/không"),
        ({"year": "abc"}, "year", "schema:int_parsing", "số nguyên"),
        ({"e:CQS-04": "x" * 200, "v:CQS-04": "có"}, "e:CQS-04", "text-too-long", "quá dài"),
    ],
)
def test_each_wrong_field_gets_its_own_message_and_keeps_what_was_typed(
    fw: LevelFramework, form: dict[str, str], field: str, code: str, words: str
) -> None:
    check = check_form(fw, BASE | form)
    assert not check.ok
    error = check.errors[field]
    assert error.code == code, check.errors
    assert words in error.vi, error.vi
    assert error.en and error.en != error.vi
    assert error.typed == (BASE | form).get(field, "")


def test_percentage_that_agrees_with_its_counts_is_accepted(fw: LevelFramework) -> None:
    # 52/95 = 54,74 %: «54,7» is the same figure rounded where it was typed
    check = check_form(fw, BASE | {"v:CQS-01": "54,7", "n:CQS-01": "52", "d:CQS-01": "95"})
    assert check.ok, check.errors
    assert check.bound is not None
    m = check.bound.measurements["CQS-01"]
    assert (m.numerator, m.denominator) == (52, 95)


def test_not_applicable_with_its_reason_round_trips(fw: LevelFramework) -> None:
    from api.form_values import form_values

    check = check_form(fw, BASE | {"na:CQS-24": "1", "r:CQS-24": "Xã không có đối tượng"})
    assert check.ok and check.bound is not None
    back = form_values(fw, check.bound)
    assert back["na:CQS-24"] == "1" and back["r:CQS-24"] == "Xã không có đối tượng"


def test_evidence_without_a_value_is_kept(fw: LevelFramework) -> None:
    check = check_form(fw, BASE | {"e:CQS-04": "19/QĐ-UBND"})
    assert check.ok and check.bound is not None
    m = check.bound.measurements["CQS-04"]
    assert m.value is None and m.evidence is not None and m.evidence.document == "19/QĐ-UBND"


def test_paths_map_to_fields() -> None:
    assert field_of(("values", "CQS-01", "numerator")) == "n:CQS-01"
    assert field_of(("values", "CQS-01")) == "v:CQS-01"
    assert field_of(("values", "CQS-01", "evidence", "date")) == "e:CQS-01"
    assert field_of(("year",)) == "year"
    assert field_of(("framework",)) is None
