"""Schemathesis against the live schema, in-process (the WSGI application through every
middleware): each operation with generated input, as a read-scoped and a write-scoped token
— no server error, no answer that breaks the schema, bad input a clear 4xx. The number of
cases per operation and token is ``RAPPORT_FUZZ_EXAMPLES`` (120 by default: about 2,600 cases
on each database); the run's count is printed at its end."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from rapport.wsgi import application

from .conftest import FUZZ

EXAMPLES = int(os.environ.get("RAPPORT_FUZZ_EXAMPLES", "120"))
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI application closes the database connection at the end of each request; in a
    test that would end the test's transaction (PostgreSQL). Django's own test client keeps it
    open the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(make_user):
    from rapport.api.tokens import create_token

    drafter = make_user(org="eu", role="drafter", clearance=3)
    approver = make_user(org="nato", role="approver", clearance=3)
    return {"read": create_token(user=approver, name="fuzz read")[1],
            "write": create_token(user=drafter, name="fuzz write", scope="write")[1]}


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["read", "write"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(case, scope, tokens, eu_nato):
    # Schema-valid input may still be refused for what it means (a period the partnership does not
    # have, a level outside the writer's scheme): a clear 4xx, so "positive data acceptance" is off.
    excluded = [schemathesis.checks.positive_data_acceptance]
    if _header_negated(case):
        # The case's invalid header never reaches the server: the token below replaces it (as
        # schemathesis itself allows for a body the caller replaces), so the request may be valid.
        excluded.append(schemathesis.checks.negative_data_rejection)
    response = case.call_and_validate(headers={"Authorization": f"Bearer {tokens[scope]}"},
                                      excluded_checks=excluded)
    assert response.status_code < 500
    FUZZ["cases"] += 1
    FUZZ[f"status {response.status_code}"] += 1


def _header_negated(case) -> bool:
    meta = case.meta
    return bool(meta and meta.generation.mode.is_negative and any(
        location == ParameterLocation.HEADER and component.mode.is_negative
        for location, component in meta.components.items()))
