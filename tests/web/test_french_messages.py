"""The services' refusals and validation errors reach the page in the reader's language:
French for a French reader (Accept-Language), English by default; the API stays English."""

from __future__ import annotations

import json
from html import unescape

import pytest

from rapport.contributions.models import Contribution

LOCALE = "django.middleware.locale.LocaleMiddleware"


@pytest.fixture
def locale_middleware(settings):
    """The language of each request (settings.MIDDLEWARE has it; the fixture makes sure)."""
    if LOCALE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1, LOCALE)
        settings.MIDDLEWARE = middleware


def _new_url(commitment, period) -> str:
    return f"/commitments/{commitment.pk}/periods/{period.ordinal}/contribution/"


def _post_blank_narrative(client, commitment, period, level, language):
    # A narrative of a zero-width space passes the form (it is not blank to Django) and the
    # service refuses it: "write the progress narrative".
    data = {"narrative": "\u200b", "classification": level("PUBLIC").pk, "releasable_to": []}
    return client.post(_new_url(commitment, period), data, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.django_db
def test_a_service_error_on_the_contribution_form_is_french_for_a_french_reader(
        locale_middleware, make_user, signed_in, commitments, open_period, level, db_state):
    client = signed_in(make_user(org="eu", role="drafter", clearance=2))
    before = db_state()
    response = _post_blank_narrative(client, commitments[0], open_period, level, "fr-FR,fr;q=0.9,en;q=0.5")
    assert response.status_code == 400
    assert response.context["form"].errors["narrative"] == ["saisissez le récit des progrès accomplis"]
    assert "saisissez le récit des progrès accomplis" in unescape(response.content.decode())
    assert db_state() == before

    response = _post_blank_narrative(client, commitments[0], open_period, level, "en-GB,en;q=0.9")
    assert response.context["form"].errors["narrative"] == ["write the progress narrative"]
    assert not Contribution.objects.filter(commitment=commitments[0], period=open_period).exists()


@pytest.mark.django_db
def test_a_stale_edit_is_explained_in_french(locale_middleware, make_user, signed_in, write, commitments, level):
    from rapport.contributions import services

    author = make_user(org="eu", role="drafter", clearance=2)
    colleague = make_user(org="eu", role="drafter", clearance=2, username="colleague")
    draft = write(author, commitments[0], "Staffs met twice in the period.", marking="PUBLIC")
    services.edit_contribution(actor=colleague, contribution=draft, base_version=1, narrative="Staffs met thrice.",
                               classification=draft.classification, releasable_to=list(draft.releasable_to.all()))
    client = signed_in(author)
    data = {"narrative": "Staffs met four times.", "classification": draft.classification_id, "base_version": 1,
            "releasable_to": [o.pk for o in draft.releasable_to.all()]}
    response = client.post(f"/contributions/{draft.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="fr")
    html = unescape(response.content.decode())
    assert "Cette contribution a été modifiée par colleague (elle en est à la version 2)" in html
    assert "Votre texte n’a pas été enregistré" in html
    assert "was changed by" not in html


@pytest.mark.django_db
def test_the_api_answers_in_english_whatever_the_reader_asks(locale_middleware, make_user, write, commitments,
                                                              client):
    author = make_user(org="eu", role="drafter", clearance=2)
    draft = write(author, commitments[0], "Staffs met twice in the period.", marking="PUBLIC")
    client.force_login(author)
    response = client.patch(f"/api/v1/contributions/{draft.pk}", json.dumps({"narrative": "\u200b"}),
                            content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_MATCH="*")
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == "write the progress narrative"
