"""Personal access tokens made and revoked in the browser (/accounts/tokens/), and the API's
interactive documentation page (/api/v1/docs) served from the project's own static files."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rapport.api.models import AccessToken
from rapport.api.tokens import create_token
from rapport.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def drafter(make_user):
    return make_user(org="eu", role="drafter", clearance=3)


def test_a_token_made_on_the_page_is_shown_once_and_signs_in(drafter):
    client = _client(drafter)
    answer = client.post("/accounts/tokens/", {"name": "registry sync", "scope": "write", "days": "30"})
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    secret = re.search(r'value="(rpt_[^"]+)"', answer.content.decode()).group(1)
    token = AccessToken.objects.get(user=drafter)
    assert (token.name, token.scope) == ("registry sync", "write") and secret not in token.digest
    assert AuditEvent.objects.filter(verb="token.created", object_pk=str(token.pk)).exists()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me").json()["token_scope"] == "write"
    listing = client.get("/accounts/tokens/").content.decode()
    assert token.prefix in listing and "registry sync" in listing and secret not in listing


@pytest.mark.parametrize("form, field", [
    ({"name": "", "scope": "read", "days": "30"}, "name"),
    ({"name": "x", "scope": "admin", "days": "30"}, "scope"),
    ({"name": "x", "scope": "read", "days": "9999"}, "days"),
    ({"name": "x", "scope": "read", "days": "soon"}, "days"),
])
def test_a_bad_form_names_the_field_and_makes_nothing(drafter, form, field):
    answer = _client(drafter).post("/accounts/tokens/", form)
    html = answer.content.decode()
    error = re.search(r'id="token-error"[^>]*>([^<]+)<', html)
    assert answer.status_code == 400 and error, html
    if field == "scope":
        assert "scope" in error.group(1)
    else:
        assert re.search(rf'id="token-{field}"[^>]*aria-invalid="true"', html)
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize("name", ["a\x00b", "a\x01b"])
def test_a_control_character_is_refused_before_the_form(drafter, name):
    answer = _client(drafter).post("/accounts/tokens/", {"name": name, "scope": "read", "days": "30"})
    assert answer.status_code == 400 and not AccessToken.objects.exists()


def test_revoking_ones_own_token_stops_it_and_anothers_is_404(drafter, make_user):
    other = make_user(org="nato", role="drafter", clearance=3)
    mine, my_secret = create_token(user=drafter, name="mine")
    theirs, their_secret = create_token(user=other, name="MXTHEIRS")
    client = _client(drafter)
    denied = client.post(f"/accounts/tokens/{theirs.prefix}/revoke/")
    assert denied.status_code == 404 and b"MXTHEIRS" not in denied.content
    assert client.post("/accounts/tokens/nosuch/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {their_secret}").get("/api/v1/me").status_code == 200
    assert client.post(f"/accounts/tokens/{mine.prefix}/revoke/").status_code == 302
    assert Client(HTTP_AUTHORIZATION=f"Bearer {my_secret}").get("/api/v1/me").status_code == 401
    assert "MXTHEIRS" not in client.get("/accounts/tokens/").content.decode()


def test_the_tokens_page_needs_a_signed_in_user():
    answer = Client().get("/accounts/tokens/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_documentation_page_loads_swagger_from_own_static_files(drafter):
    for client in (Client(), _client(drafter)):
        answer = client.get("/api/v1/docs")
        html = answer.content.decode()
        assert answer.status_code == 200
        scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
        assert scripts and all(s.startswith("/static/") for s in scripts)
        assert not re.search(r"<script(?![^>]*(src=|application/json))", html)  # no inline script
        assert '"url": "/api/v1/openapi.json"' in html
        for path in scripts + re.findall(r'<link[^>]*href="(/static/[^"]+)"', html):
            assert client.get(path).status_code == 200, path
