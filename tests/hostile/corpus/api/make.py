"""Writes the API cases beside this script: `python tests/hostile/corpus/api/make.py`.

Each `.json` file is the body of one request to the JSON API, each `.form` file the fields of one web form post
(URL-encoded; the test adds the CSRF token). Where each goes and what it must answer: index.yaml here.
Deterministic: the same files on every run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))

from tests.hostile.corpus._make import show, write_cases  # noqa: E402

COMMUNE = "sample-2361-commune"
BASE: dict[str, Any] = {"unit": "1", "tier": "commune", "year": 2024, "framework": COMMUNE, "values": {"CQS-04": True}}


def body(**changes: Any) -> dict[str, Any]:
    return BASE | changes


def values(**vals: Any) -> dict[str, Any]:
    return BASE | {"values": {k.replace("_", "-"): v for k, v in vals.items()}}


def ev(**fields: Any) -> dict[str, Any]:
    return values(CQS_17={"value": 12, "evidence": fields})


JSON: dict[str, Any] = {
    # the cases tests/api/test_api.py held (POST /api/evaluate)
    "unknown-criterion.json": values(XYZ_99=1),
    "ratio-above-one.json": values(CQS_01=1.5),
    "percent-above-100.json": values(CQS_01="120%"),
    "numerator-above-denominator.json": values(CQS_01={"numerator": 9, "denominator": 5}),
    "wrong-tier.json": body(tier="district"),
    "tier-not-in-list.json": body(tier="planet"),
    "unknown-framework.json": body(framework="khong-co"),
    "partial-framework.json": body(framework="mic-2361-commune"),
    "levels-with-dti-framework.json": body(framework="vinh-long-2554-province", tier="province"),
    "missing-field.json": {k: v for k, v in BASE.items() if k != "year"},
    "unknown-field.json": body(colour="red"),
    "year-out-of-range.json": body(year=1900),
    "boolean-as-text.json": values(CQS_04="maybe"),
    "values-not-a-mapping.json": body(values=[1, 2]),
    # more
    "count-1e300.json": values(CQS_17=1e300),
    "count-huge-integer.json": '{"unit": "1", "tier": "commune", "year": 2024, "framework": "sample-2361-commune", '
    '"values": {"CQS-17": ' + "9" * 400 + "}}",
    "count-nan.json": '{"unit": "1", "tier": "commune", "year": 2024, "framework": "sample-2361-commune", '
    '"values": {"CQS-17": NaN}}',
    "count-infinity.json": '{"unit": "1", "tier": "commune", "year": 2024, "framework": "sample-2361-commune", '
    '"values": {"CQS-17": Infinity}}',
    "count-negative.json": values(CQS_17=-3),
    "count-fraction.json": values(CQS_17=2.5),
    "count-date-text.json": values(CQS_17="2024-05-01"),
    "count-number-too-long.json": values(CQS_17="1" * 45),
    "count-list.json": values(CQS_17=[1, 2]),
    "ratio-text-85-5-without-percent.json": values(CQS_01="85,5"),
    "na-with-value.json": values(CQS_17={"value": 12, "not_applicable": True, "reason": "không có trang tin"}),
    "na-without-reason.json": values(CQS_17={"not_applicable": True}),
    "value-and-counts-disagree.json": values(CQS_02={"value": 0.9, "numerator": 5, "denominator": 10}),
    "numerator-without-denominator.json": values(CQS_02={"numerator": 5}),
    "evidence-date-2024-02-30.json": ev(document="1/BC", date="2024-02-30"),
    "evidence-date-1900.json": ev(document="1/BC", date="1900-01-01"),
    "evidence-date-2099.json": ev(document="1/BC", date="2099-12-31"),
    "evidence-document-100kb.json": ev(document="Q" * 100_000),
    "evidence-document-number.json": ev(document=15),
    "unit-name-too-long.json": body(unit_name="Xã " + "Thử " * 60),
    "unit-empty.json": body(unit=""),
    "year-text.json": body(year="năm 2024"),
    "target-year-2300.json": body(target_level="co-ban", target_year=2300),
    "values-6000-unknown.json": body(values={f"X-{i}": 1 for i in range(6_000)}),
    "malformed.json": '{"unit": ',
    "deep-nesting-20000.json": "[" * 20_000 + "]" * 20_000,
    "not-utf8.json": b'{"unit": "X\xe3 Th\xf6", "tier": "commune"}',
    "body-over-1mb.json": '{"unit": "1", "pad": "' + " " * 1_000_100 + '"}',
    "top-level-list.json": [BASE],
    # POST /api/dti/score
    "dti-unknown-criterion.json": {"framework": "vinh-long-2554-province", "rows": [{"unit": "a", "6.99": 1}]},
    "dti-negative.json": {"framework": "vinh-long-2554-province", "rows": [{"unit": "a", "6.21": -2}]},
    "dti-duplicate-unit.json": {"framework": "vinh-long-2554-province", "rows": [{"unit": "a"}, {"unit": "a"}]},
    "dti-unknown-framework.json": {"framework": "khong-co", "rows": [{"unit": "a"}]},
    "dti-rows-not-a-list.json": {"framework": "vinh-long-2554-province", "rows": {"unit": "a"}},
    # POST /api/reports/gap?format=exe
    "gap-report-unknown-format.json": BASE,
}

FORMS: dict[str, dict[str, str]] = {
    # POST /assess/sample-2361-commune/download: the web form of one assessment
    "web-percent-above-100.form": {"unit": "29746", "year": "2024", "v:CQS-01": "120"},
    "web-count-text.form": {"unit": "29746", "year": "2024", "v:CQS-17": "khoảng 100"},
    "web-count-ambiguous-thousands.form": {"unit": "29746", "year": "2024", "v:CQS-17": "1.234,5"},
    "web-na-without-reason.form": {"unit": "29746", "year": "2024", "na:CQS-17": "1"},
    "web-na-with-value.form": {"unit": "29746", "year": "2024", "na:CQS-17": "1", "r:CQS-17": "x", "v:CQS-17": "12"},
    "web-numerator-above-denominator.form": {"unit": "29746", "year": "2024", "n:CQS-02": "9", "d:CQS-02": "5"},
    "web-year-text.form": {"unit": "29746", "year": "năm nay", "v:CQS-17": "12"},
    "web-document-too-long.form": {"unit": "29746", "year": "2024", "v:CQS-17": "12", "e:CQS-17": "1" * 121},
}


def make(out: Path = HERE) -> list[Path]:
    bodies = {n: c if isinstance(c, str | bytes) else json.dumps(c, ensure_ascii=False) + "\n" for n, c in JSON.items()}
    return write_cases(out, bodies | {name: urlencode(fields) + "\n" for name, fields in FORMS.items()})


if __name__ == "__main__":
    show(make())
