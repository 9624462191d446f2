"""schemathesis against the generated OpenAPI schema: whatever a client sends, never a server error.

The app runs on the demo database (cycles, submissions in every state, DTI rankings), so the stored
endpoints answer from data rather than 503, once anonymously and once as a province appraiser.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.store_fixtures import login


@pytest.fixture(scope="module")
def api_schema(shared_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", shared_app)


@pytest.fixture(scope="module")
def appraiser_cookies(shared_app: FastAPI) -> dict[str, str]:
    with TestClient(shared_app) as client:
        login(client, "appraiser")
        return {"certify_session": client.cookies["certify_session"]}


schema = schemathesis.pytest.from_fixture("api_schema")
# Schema-valid but unknown framework ids are rightly refused (422), so "positive data acceptance"
# is not asked for; every answer must be documented and shaped as documented.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# schemathesis gives up on a response after 10 s by default; on 2 cores shared with other test runs a first
# request that loads every framework can take longer. A failure here must mean a wrong answer, not a slow one.
TIMEOUT = 600


@schema.parametrize()
@settings(max_examples=40, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS, timeout=TIMEOUT)


@schema.include(path_regex="^/api/(cycles|units|dti|plan)").parametrize()
@settings(max_examples=25, suppress_health_check=list(HealthCheck))
def test_no_server_errors_as_appraiser(case: schemathesis.Case, appraiser_cookies: dict[str, str]) -> None:
    case.call_and_validate(checks=CHECKS, cookies=appraiser_cookies, timeout=TIMEOUT)
