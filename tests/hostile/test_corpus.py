"""The bad-input corpus: every hostile file is refused through the real entry point, with a message naming
where (file and line, or sheet, row and column, or the request field) and what, in Vietnamese and English.

CLEAR for every case: exit 2 (4xx for the API), the location, both messages. SILENT-WRONG for none: a case that
is accepted (exit 0), crashes (exit 70, a traceback) or writes to the database fails here. Resource-exhaustion
cases run as whole processes and must stay under 200 MB of peak memory; their time is measured by
bench/hostile_bench.py, never asserted (project rule). The corpus and its index: tests/hostile/harness.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.hostile.harness import KINDS, MEMORY_GOAL_MB, Case, Store, cases, files, make_store, row_counts, run

ALL = cases()
MINIMUM = 250


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return make_store(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def api() -> Iterator[TestClient]:
    from api.app import create_app
    from certify.catalog import Catalog, bundled_root
    from certify.settings import Settings
    from tests.conftest import FIXTURES

    app = create_app(
        Settings(secret_key="test-secret"),
        catalog=Catalog([FIXTURES / "frameworks", bundled_root("frameworks")]),
        store=None,
    )
    with TestClient(app) as client:
        yield client


def test_every_file_is_indexed() -> None:
    for kind in KINDS:
        indexed = sorted(c.name for c in ALL if c.kind == kind)
        assert indexed == files(kind), f"{kind}: every file has one index entry and every entry one file"
    for case in ALL:  # what a person must be told, in both languages (a web page: in the reader's)
        assert case.spec.get("vi") and (case.spec.get("en") or case.spec.get("content_type") == "form"), case.id


def test_the_corpus_has_enough_cases() -> None:
    per_kind = {kind: sum(c.kind == kind for c in ALL) for kind in KINDS}
    assert sum(per_kind.values()) >= MINIMUM, per_kind


def _check_message(case: Case, text: str, problems: list[Any]) -> None:
    for fragment in (*case.where, case.spec["vi"], case.spec["en"]):
        assert fragment in text, f"{fragment!r} not in the output:\n{text}"
    if problems:  # in-process: the very problem carries the code, the place and both messages
        messages = [p.message() for p in problems if p.code == case.spec["code"]]
        assert messages, f"no {case.spec['code']} problem: {[p.code for p in problems]}\n{text}"
        assert any(all(f in m for f in (*case.where, case.spec["vi"], case.spec["en"])) for m in messages), (
            f"no {case.spec['code']} problem says {case.where}, {case.spec['vi']!r}, {case.spec['en']!r}:\n{text}"
        )


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_hostile_input_is_refused_clearly(case: Case, request: pytest.FixtureRequest) -> None:
    if case.kind == "api":
        _api_case(case, request.getfixturevalue("api"))
        return
    db: Store | None = request.getfixturevalue("store") if case.uses_store else None
    before = row_counts(db.url) if db is not None else None
    out = run(case, db)
    assert out.exit == case.spec.get("exit", 2), f"exit {out.exit}:\n{out.text}"
    assert "Traceback" not in out.text and "Internal error" not in out.text, out.text
    _check_message(case, out.text, out.problems)
    if db is not None:
        assert row_counts(db.url) == before, "a refused input must leave the database unchanged"
    if case.exhaust:
        assert out.peak_mb is not None and out.peak_mb < MEMORY_GOAL_MB, f"peak {out.peak_mb:.0f} MB"


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _api_case(case: Case, client: TestClient) -> None:
    body = case.path.read_bytes()
    url = case.spec["post"]
    if case.spec.get("content_type") == "form":
        page = client.get(case.spec.get("page", url))
        token = CSRF.search(page.text)
        assert token, "the form page has no CSRF field"
        body = body.rstrip(b"\n") + b"&csrf_token=" + token.group(1).encode()
        r = client.post(url, content=body, headers={"content-type": "application/x-www-form-urlencoded"})
        text = r.text
    else:
        ctype = case.spec.get("content_type", "application/json")
        r = client.post(url, content=body, headers={"content-type": ctype})
        text = r.text
    assert r.status_code == case.spec.get("status", 422), f"{r.status_code}: {text[:2000]}"
    if "application/json" in r.headers.get("content-type", ""):
        errors = r.json()["errors"]
        found = [
            e
            for e in errors
            if e["code"] == case.spec["code"]
            and (e["path"] or "") == case.spec.get("path", e["path"] or "")
            and case.spec["vi"] in e["message_vi"]
            and case.spec["en"] in e["message_en"]
        ]
        assert found, f"expected {case.spec} among {errors}"
    else:  # a web page, in the reader's language (Vietnamese by default): what the person reads
        import html

        shown = html.unescape(text)
        for fragment in (*case.where, case.spec["vi"], case.spec.get("en", "")):
            assert fragment in shown, f"{fragment!r} not on the page"


def test_a_case_that_is_accepted_fails_here(tmp_path: Path) -> None:
    """The harness can fail: a good assessment «refused» is reported as accepted."""
    good = Path(__file__).resolve().parents[2] / "samples" / "assessments" / "2024-xa-cai-nhum.yaml"
    case = Case("assessment", good.name, {"code": "x", "where": "x", "vi": "x", "en": "x"}, ["evaluate", str(good)])
    out = run(case)
    assert out.exit == 0 and not out.problems
