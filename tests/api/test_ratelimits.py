"""Rate limits on the API per token and per signed-in user: past the limit a 429 problem with
Retry-After, and nothing is done; reads and writes are counted apart; one caller's limit
is not another's."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from rapport.api.tokens import create_token
from rapport.contributions.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    caches["ratelimits"].clear()
    yield
    caches["ratelimits"].clear()


def _bearer(secret):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@override_settings(RAPPORT_API_RATE_LIMITS={"read": 3, "write": 1})
def test_a_token_past_its_read_limit_gets_429_and_another_token_does_not(make_user):
    user = make_user(org="eu", role="drafter", clearance=3)
    _, first = create_token(user=user, name="one")
    _, second = create_token(user=user, name="two")
    client = _bearer(first)
    assert [client.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    over = client.get("/api/v1/me")
    assert over.status_code == 429 and over["Content-Type"] == "application/problem+json"
    assert 1 <= int(over["Retry-After"]) <= 60 and "3 read requests" in over.json()["detail"]
    assert _bearer(second).get("/api/v1/me").status_code == 200


@override_settings(RAPPORT_API_RATE_LIMITS={"read": 100, "write": 1})
def test_writes_are_counted_apart_and_a_refused_write_changes_nothing(make_user, eu_nato):
    from rapport.periods.choices import PeriodState

    user = make_user(org="eu", role="drafter", clearance=3)
    _, secret = create_token(user=user, name="w", scope="write")
    period = eu_nato.periods.get(state=PeriodState.OPEN)
    commitments = list(eu_nato.commitments.filter(classification__rank=0).order_by("order")[:2])
    client = _bearer(secret)
    body = {"commitment": commitments[0].pk, "period": period.ordinal, "narrative": "First.", "classification": "PUBLIC"}
    first = client.post("/api/v1/contributions", body, content_type="application/json")
    assert first.status_code in (200, 201), first.content
    body["commitment"] = commitments[1].pk
    second = client.post("/api/v1/contributions", body, content_type="application/json")
    assert second.status_code == 429
    assert Contribution.objects.filter(author=user).count() == 1
    assert client.get("/api/v1/me").status_code == 200  # reads have their own count


@override_settings(RAPPORT_API_RATE_LIMITS={"read": 2, "write": 1})
def test_the_browser_session_is_limited_per_user(make_user):
    client = Client()
    client.force_login(make_user(org="nato", role="reader", clearance=3))
    assert [client.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 429]
