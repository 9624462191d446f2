"""schemathesis against the generated OpenAPI schema: whatever a client sends, never a server error."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.settings import Settings
from certify.catalog import Catalog, bundled_root

app = create_app(Settings(secret_key="fuzz"), catalog=Catalog([bundled_root("frameworks")]))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    # Schema-valid but unknown framework ids are rightly refused (422), so "positive data acceptance"
    # is not asked for; every answer must be documented and shaped as documented.
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance])
