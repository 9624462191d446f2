"""The JSON Schema of each kind: generated from the models, published in docs/schemas/, named by the shipped
files, valid for every shipped framework and refusing the bad-framework corpus as far as a schema can see."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from certify.catalog import bundled_root
from certify.schema import schema_text
from tests.hostile.harness import Case, cases
from tests.test_cli import run

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "schemas"
CORPUS = [c for c in cases(("framework",)) if c.name.endswith(".yaml")]
SHIPPED = sorted(bundled_root("frameworks").glob("*/*.yaml"))
# What a JSON Schema cannot express: relations between items (a cycle, a count, a weaker threshold than the
# level below, a code or parent that does not exist, a key written twice in the YAML text). `certify frameworks
# validate` refuses these (tests/hostile/test_corpus.py); every other corpus file the schema refuses too, but
# past the reader's limits (size, depth, aliases: certify.limits), which no schema states.
SEMANTIC = {
    "applicability-gap",
    "prerequisite-cycle",
    "duplicate-code",
    "duplicate-key",
    "prerequisite-not-applicable",
    "bad-threshold",
    "incomplete",
    "unknown-level",
    "unknown-framework",
    "unknown-pillar",
    "bad-prerequisite",
    "weakening-threshold",
    "wrong-count",
    "target-years-decrease",
}

# A DTI criterion's scoring method and its parameters belong to a plugin (certify.plugins), not to the schema.
PLUGINS = ("params:", "unknown-method")
READER_LIMITS = {
    "too-deep",
    "too-many-nodes",
    "too-many-aliases",
    "too-many-keys",
    "text-too-long",
    "file-too-large",
    "recursive-alias",
    "unsupported-tag",
    "several-documents",
    "bad-encoding",
    "bad-date",
    "bad-value",
    "complex-key",
}


def validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")))


def as_json(path: Path) -> Any:
    """What an editor sees: YAML 1.2 reads a date as text."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize("kind", ["levels", "dti"])
def test_the_published_schema_is_the_generated_one(kind: str, capsys: object) -> None:
    assert (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind), (
        f"regenerate: certify frameworks schema {kind} -o docs/schemas/{kind}.schema.json"
    )
    code, out = run("frameworks", "schema", kind, capsys=capsys)
    assert code == 0 and json.loads(out)["$defs"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_framework_names_and_passes_its_schema(path: Path) -> None:
    data = as_json(path)
    kind = data["kind"]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../docs/schemas/{kind}.schema.json"
    errors = [e.message for e in validator(kind).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.name)
def test_the_schema_refuses_the_bad_framework_corpus(case: Case) -> None:
    code = case.spec["code"]
    if code in SEMANTIC or code in READER_LIMITS or case.exhaust or code.startswith(PLUGINS):
        pytest.skip(f"{code}: beyond a JSON Schema; refused by certify frameworks validate")
    try:
        data = as_json(case.path)
    except (yaml.YAMLError, ValueError):
        return  # not YAML at all: no schema is consulted
    kind = data.get("kind", "levels") if isinstance(data, dict) else "levels"
    refused = list(validator(kind if kind in ("levels", "dti") else "levels").iter_errors(data))
    assert refused, f"{case.name} ({code}) passes the schema"


def test_the_schema_sees_a_mistyped_key_and_a_bad_threshold_text() -> None:
    v = validator("levels")
    base = {"extends": "sample-2361-commune", "id": "x", "version": "1.0", "title": "X", "status": "localized"}
    base["source"] = {"title": "X"}
    ok = base | {"criteria": [{"code": "CQS-02", "requirements": {"nang-cao": "85%", "co-ban": None}}]}
    assert list(v.iter_errors(ok)) == []
    assert list(v.iter_errors(base | {"criteria": [{"code": "CQS-02", "mandatroy": False}]}))
    assert list(v.iter_errors(base | {"criteria": [{"code": "CQS-02", "requirements": {"nang-cao": "nhiều"}}]}))
    assert list(v.iter_errors(base | {"criteria": [{"code": "CQS-02", "remove": True}]})) == []
