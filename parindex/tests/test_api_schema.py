"""Schemathesis against the OpenAPI schema: generated requests to every operation, as the secretariat,
never get a server error and always answer what the schema says.

Runs in both suites (SQLite and PostgreSQL); a fixed, small number of derandomised examples per
operation keeps it quick and reproducible. (Schemathesis's pytest plugin does not run under pytest 9,
so the operations are driven with Hypothesis directly.)
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from accounts.tokens import create_token

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def api_schema(db, settings, assessment_a):
    from django.core import signals
    from django.db import close_old_connections

    from parindex.wsgi import application

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # The WSGI application is called directly: like Django's test client, keep the test's connection
    # (and its transaction) open across requests instead of closing it at the end of each one.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def operations(schema):
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())
    return found


def test_api_never_fails_and_keeps_to_its_schema(api_schema, secretariat):
    bearer = {"Authorization": f"Bearer {create_token(secretariat, 'schemathesis')[1]}"}
    tried = []
    for operation in operations(api_schema):

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=15,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.headers = {**(case.headers or {}), **bearer}
            case.call_and_validate(checks=CHECKS)

        run()
        tried.append(f"{operation.method.upper()} {operation.path}")
    assert len(tried) >= 10, tried


@pytest.mark.parametrize("method", ["get", "put", "post", "delete"])
def test_an_unknown_api_address_is_a_json_404_whatever_the_method(client, method):
    response = getattr(client, method)(
        "/api/v1/assessments/-1/x/items/y", content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Không có địa chỉ API này (xem /api/v1/docs)."}
