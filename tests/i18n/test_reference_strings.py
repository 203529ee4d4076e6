"""Wording that lives outside the templates, in French for a French reader: durations (with the
singular: never "1 seconds"), roles, the console's and the markings' refusals, periods' titles,
and the header and pages of a French account (their English words gone)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from rapport.access.durations import duration
from rapport.access.passwords import PasswordHistoryValidator
from rapport.access.roles import Role
from rapport.core.errors import InputError
from rapport.markings.spif import read_spif
from rapport.periods.models import ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("seconds", "english", "french"), [
    (1, "1 second", "1 seconde"),
    (2, "2 seconds", "2 secondes"),
    (0, "0 seconds", "0 seconde"),
    (61, "1 minute and 1 second", "1 minute et 1 seconde"),
    (3600 + 120 + 5, "1 hour, 2 minutes and 5 seconds", "1 heure, 2 minutes et 5 secondes"),
])
def test_durations_in_both_languages(seconds, english, french):
    with translation.override("en"):
        assert duration(seconds) == english
    with translation.override("fr"):
        assert duration(seconds) == french


def test_roles_are_named_in_the_reader_language():
    with translation.override("fr"):
        assert [str(label) for label in Role.labels] == ["Rédacteur", "Coordinateur", "Approbateur", "Lecteur",
                                                         "Administrateur"]
    with translation.override("en"):
        assert str(Role.DRAFTER.label) == "Drafter"


def test_a_password_refusal_has_its_plural(make_user):
    user = make_user(org="eu", role="drafter", clearance=1)
    user.set_password("an old and long passphrase")
    user.save()
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        PasswordHistoryValidator(remembered=1).validate("an old and long passphrase", user)
    assert "nombre de mots de passe conservés\u00a0: 1" in caught.value.messages[0]
    with translation.override("en"):
        assert PasswordHistoryValidator(remembered=1).get_help_text() == "Your password cannot be your last password."


def test_a_spif_refusal_is_french_for_a_french_operator():
    with translation.override("fr"), pytest.raises(InputError) as caught:
        read_spif(b"<SPIF/>", source="x.xml")
    assert "l’élément racine doit être SPIF" in str(caught.value) and "ligne 1" in str(caught.value)


def test_a_period_title_in_both_languages_and_its_record_name_in_english(eu_nato):
    period = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=8)
    with translation.override("fr"):
        assert period.title.startswith("huitième période de rapport (")
        assert str(period).startswith("eighth reporting period (")  # records keep English
    with translation.override("en"):
        assert period.title.startswith("eighth reporting period (")


ENGLISH = re.compile(r"\b(Drafter|Reader|Approver|Coordinator|reporting period|Delegation of|Public edition)\b")


def test_a_french_account_reads_its_pages_without_these_english_words(make_user, client, eu_nato):
    user = make_user(org="nato", role="drafter", clearance=2)
    user.language = "fr"
    user.save(update_fields=["language"])
    client.force_login(user)
    for path in ("/dashboard/", "/periods/8/", "/reports/8/", "/public/reports/", "/public/reports/8/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, path
        text = re.sub(r"<[^>]+>", " ", unescape(response.content.decode()))
        assert not ENGLISH.findall(text), (path, ENGLISH.findall(text))
    page = unescape(client.get("/periods/8/").content.decode())
    assert "Huitième période de rapport" in page and "Rédacteur" in page
    assert "Édition publique en français" in unescape(client.get("/public/reports/").content.decode())
    delegate = make_user(delegation="FR", role="reader", clearance=1)
    with translation.override("fr"):
        assert delegate.affiliation() == "Délégation\u00a0: France"
