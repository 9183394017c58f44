"""The API against its own OpenAPI description, fuzzed by schemathesis in-process.

Schemathesis loads /api/v1/openapi.json from the Django WSGI application (at
import: that page needs no database) and, for every operation, runs its
phases: the coverage phase (boundary and malformed ids, every method the API
does not offer) and fuzzing (random valid and invalid ids). Its checks add
requests without the token and with a made-up one. Every answer must not be
a server error and must be what the description says it is: status code,
content type, headers and body.

Random ids are almost never real, so a second test sends the ids of a
partnership and a closed round through the same checks, so that successful
answers, the result document above all, are checked against the description.

The WSGI application runs in the test's thread and so sees the test's
transaction (`transactional_db` is not needed), once Django is stopped from
closing the connection after each request, as its own test client does.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from joinedup.api import services as api
from joinedup.results.models import Download
from joinedup.site.wsgi import application

from .test_api import closed  # noqa: F401  (a fixture)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.negative_data_rejection,
    schemathesis.checks.ignored_auth,
    schemathesis.checks.unsupported_method,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(db: Any, world, closed, settings) -> Any:  # noqa: F811
    """Alice's token, with Northshire's closed round in the database; no rate limit in the way.

    Django's request signals are disconnected from `close_old_connections`
    meanwhile, so that each request does not close the test's connection.
    """
    settings.RATE_LIMIT_API = 1_000_000
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield api.create_token(world.alice, "Fuzzing")[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_breaks_the_api_or_its_description(case, token) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@pytest.mark.parametrize(
    "path",
    [
        "/partnerships",
        "/partnerships/{partnership_id}",
        "/partnerships/{partnership_id}/rounds",
        "/partnerships/{partnership_id}/rounds/{round_id}/result",
        "/openapi.json",
    ],
)
def test_every_successful_answer_is_as_described(world, closed, token, path) -> None:  # noqa: F811
    real = {"partnership_id": world.partnership.pk, "round_id": closed.pk}
    case = schema[path]["GET"].Case(
        path_parameters={name: value for name, value in real.items() if f"{{{name}}}" in path}
    )
    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
    assert response.status_code == 200
    if path.endswith("/result"):
        assert response.json() == closed.result
        assert Download.objects.get().via == "api"
