"""The language of a page: the account's choice, then the switch's cookie, then Accept-Language,
then English; the switch is a form with its CSRF token, saves a signed-in account's choice with
an audit entry, goes back only to an address of this site, and refuses an unknown language."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def lang(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_english_by_default_and_french_when_the_browser_asks(client, eu_nato):
    assert lang(client.get("/")) == "en"
    assert lang(client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")) == "en"
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9,en;q=0.5")
    assert lang(french) == "fr" and french["Content-Language"] == "fr"
    assert "Se connecter" in french.content.decode()


def test_the_switch_sets_the_cookie_and_goes_back(client, eu_nato):
    response = client.post("/language/", {"language": "fr", "next": "/public/reports/"})
    assert response.status_code == 302 and response["Location"] == "/public/reports/"
    assert lang(client.get("/public/reports/")) == "fr"
    assert lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "fr"  # the choice wins over the browser's
    # Only this site: another host is not followed.
    away = client.post("/language/", {"language": "en", "next": "https://example.org/"})
    assert away.status_code == 302 and away["Location"] == "/"


def test_a_signed_in_choice_is_kept_on_the_account_and_audited(make_user):
    from rapport.audit.models import AuditEvent

    user = make_user(org="eu", role="reader", clearance=1)
    client = Client()
    client.force_login(user)
    before = AuditEvent.objects.count()
    client.post("/language/", {"language": "fr", "next": "/dashboard/"})
    user.refresh_from_db()
    assert user.language == "fr"
    entry = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert entry.verb == "user.changed" and entry.before == {"language": ""} and entry.after == {"language": "fr"}
    client.post("/language/", {"language": "fr", "next": "/dashboard/"})  # no change, no entry
    assert AuditEvent.objects.count() == before + 1
    # Another browser, asking for English, without the cookie: the account's French.
    other = Client()
    other.force_login(user)
    assert lang(other.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")) == "fr"


def test_an_unknown_language_is_a_clear_400_and_changes_nothing(make_user):
    from rapport.audit.models import AuditEvent

    user = make_user(org="eu", role="reader", clearance=1)
    client = Client()
    client.force_login(user)
    before = AuditEvent.objects.count()
    response = client.post("/language/", {"language": "xx", "next": "/dashboard/"})
    assert response.status_code == 400
    assert "choose English or French" in response.content.decode()
    user.refresh_from_db()
    assert user.language == "" and AuditEvent.objects.count() == before
    assert "rapport-language" not in response.cookies


def test_the_switch_needs_the_form_token(make_user):
    user = make_user(org="eu", role="reader", clearance=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/language/", {"language": "fr", "next": "/"}).status_code == 403
    user.refresh_from_db()
    assert user.language == ""
    page = client.get("/dashboard/").content.decode()
    assert 'action="/language/"' in page and 'name="csrfmiddlewaretoken"' in page


def test_dates_follow_the_language(make_user):
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    day = datetime.date(2026, 11, 26)
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }} | {{ d|date:"j F Y" }} | {{ d|date:"YEAR_MONTH_FORMAT" }}')
    with translation.override("en"):
        assert template.render(Context({"d": day})) == "26 Nov 2026 | 26 November 2026 | Nov 2026"
    with translation.override("fr"):
        assert template.render(Context({"d": day})) == "26 nov. 2026 | 26 novembre 2026 | nov. 2026"
