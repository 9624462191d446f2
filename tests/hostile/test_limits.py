"""The limits are one table (docs/limits.md) and one class (certify.limits); problems past the cap are counted."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from certify.errors import CertifyError, Problem, capped
from certify.limits import DEFAULT, Limits, current

DOC = Path(__file__).resolve().parents[2] / "docs" / "limits.md"


def _shown(value: float) -> set[str]:
    if isinstance(value, float):
        return {f"{value:.0e}".replace("e+0", "e")}
    return {f"{value:,}", str(value)}


@pytest.mark.parametrize("name", [f.name for f in fields(Limits)])
def test_every_limit_is_in_the_one_table_with_its_default(name: str) -> None:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if f"`CERTIFY_{name.upper()}`" in line]
    assert len(rows) == 1, f"docs/limits.md needs one row for CERTIFY_{name.upper()}"
    default = rows[0].split("|")[2].strip()
    assert default in _shown(getattr(DEFAULT, name)), rows[0]


def test_limits_of_the_store_and_the_web_are_in_the_table() -> None:
    from certify.settings import Settings

    text = DOC.read_text(encoding="utf-8")
    store = web = Settings(secret_key="x")  # the one settings object of the store and the web app
    for env, value in (
        ("CERTIFY_MAX_UPLOAD_BYTES", store.max_upload_bytes),
        ("CERTIFY_MAX_UNZIPPED_BYTES", store.max_unzipped_bytes),
        ("CERTIFY_MAX_BODY_BYTES", web.max_body_bytes),
    ):
        row = next(line for line in text.splitlines() if f"`{env}`" in line)
        assert row.split("|")[2].strip() == f"{value:,}", row


def test_a_limit_is_changed_by_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTIFY_EVIDENCE_MIN_YEAR", "1995")
    monkeypatch.setenv("CERTIFY_VALUE_MAX", "5e3")
    lim = current()
    assert lim.evidence_min_year == 1995 and lim.value_max == 5000.0
    monkeypatch.delenv("CERTIFY_EVIDENCE_MIN_YEAR")
    monkeypatch.delenv("CERTIFY_VALUE_MAX")
    assert current() is DEFAULT


def _problems(n: int) -> list[Problem]:
    return [Problem(code="x", vi=f"lỗi {i}", en=f"problem {i}", file="f.csv", row=i + 2) for i in range(n)]


def test_problems_past_the_cap_are_counted_once_however_often_they_are_capped() -> None:
    shown = CertifyError(_problems(12_345 + 100)).problems
    assert len(shown) == 101
    assert shown[-1].vi == "… và 12.345 lỗi khác" and shown[-1].en == "… and 12,345 more problems"
    again = CertifyError(shown + _problems(3)).problems  # re-raised with more: the count adds up
    assert len(again) == 101 and again[-1].en == "… and 12,348 more problems"
    assert capped(_problems(5), 10) == _problems(5)
