"""The language of a report file on the pages and through the API: a reader gets the edition
they may have in the language they ask for; a language the reports are not written in is a 400
that names it, and nothing is rendered or recorded; asking in French changes nothing in who
may have which edition (the same answers as the existing downloads, tests/access)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.audit.models import AuditEvent
from rapport.reports.models import DownloadTally, Report
from tests.api.clients import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def report9(eu_nato):
    return Report.objects.select_related("period").get(period__partnership=eu_nato, period__ordinal=9)


@pytest.fixture
def published(eu_nato):
    return Report.objects.filter(period__partnership=eu_nato, state="published").order_by("-period__ordinal").first()


def _downloads():
    return AuditEvent.objects.filter(verb="report.downloaded")


def _page(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_page_downloads_in_french_and_records_it(make_user, report9):
    eu = make_user(org="eu", role="coordinator", clearance=3)
    url = reverse("report-download", args=[9])
    got = _page(eu).get(url, {"edition": "eu:C-UE", "format": "html", "language": "fr"})
    assert got.status_code == 200
    assert b'<html lang="fr">' in got.content and "-fr.html" in got["Content-Disposition"]
    assert _downloads().filter(actor=eu).latest("seq").after["language"] == "fr"
    english = _page(eu).get(url, {"edition": "eu:C-UE", "format": "html"})
    assert b'<html lang="en-GB">' in english.content
    preview = _page(eu).get(reverse("report-preview", args=[9]), {"edition": "public", "language": "fr"})
    assert preview.status_code == 200 and b'<html lang="fr">' in preview.content


def test_the_report_page_offers_the_language(make_user, report9):
    page = _page(make_user(org="eu", role="coordinator", clearance=3)).get(reverse("report-detail", args=[9]))
    assert b'<select id="language" name="language">' in page.content and b'value="fr"' in page.content


@pytest.mark.parametrize("language", ["de", "english", "fr-FR-x"])
def test_an_unknown_language_on_the_page_is_a_400_and_nothing_is_recorded(make_user, report9, published, language):
    eu = make_user(org="eu", role="coordinator", clearance=3)
    before = _downloads().count()
    for client, url, query in (
        (_page(eu), reverse("report-download", args=[9]), {"edition": "public", "format": "md"}),
        (_page(eu), reverse("report-preview", args=[9]), {"edition": "public"}),
        (_page(), reverse("public-report-download", args=[published.period.ordinal, "md"]), {}),
    ):
        answer = client.get(url, {**query, "language": language})
        assert answer.status_code == 400, url
        assert b"no report language" in answer.content
    assert _downloads().count() == before and not DownloadTally.objects.exists()


def test_the_public_download_in_french_is_counted_by_language(published):
    url = reverse("public-report-download", args=[published.period.ordinal, "md"])
    assert _page().get(url, {"language": "fr"}).status_code == 200
    assert _page().get(url).status_code == 200
    assert sorted(DownloadTally.objects.filter(report=published).values_list("language", flat=True)) == ["en", "fr"]


@pytest.mark.parametrize(("edition", "status"), [("nato", 404), ("eu:S-UE", 404), ("eu:C-UE", 200)])
def test_french_changes_nothing_in_who_may_have_an_edition(make_user, report9, edition, status):
    """The same answers as the existing downloads: an edition the reader may not have is the
    same 404 in either language, and a bad language does not reveal it either."""
    eu = make_user(org="eu", role="coordinator", clearance=3)
    url = reverse("report-download", args=[9])
    for language in ("en", "fr"):
        assert _page(eu).get(url, {"edition": edition, "format": "md", "language": language}).status_code == status
    if status == 404:
        assert _page(eu).get(url, {"edition": edition, "format": "md", "language": "de"}).status_code == 404
    outsider = make_user(org="nato", role="reader", clearance=1)
    assert _page(outsider).get(url, {"edition": "eu:C-UE", "format": "md", "language": "fr"}).status_code == 404


def test_the_api_downloads_in_french(make_user, report9):
    client = token_client(make_user(org="eu", role="coordinator", clearance=3), scope="read")
    got = client.get(f"/api/v1/reports/{report9.pk}/download", {"edition": "public", "format": "html", "language": "fr"})
    assert got.status_code == 200 and b'<html lang="fr">' in got.content
    assert _downloads().latest("seq").after["language"] == "fr"


@pytest.mark.parametrize(("edition", "language", "status"), [
    # A bad language is a 400 before the edition is looked at, as a bad format is: it says nothing of it.
    ("public", "de", 400), ("public", "", 400), ("nato", "fr", 404), ("nato", "de", 400)])
def test_the_api_refuses_an_unknown_language_and_hides_what_the_caller_may_not_have(make_user, report9, edition,
                                                                                    language, status):
    client = token_client(make_user(org="eu", role="coordinator", clearance=3), scope="read")
    before = _downloads().count()
    answer = client.get(f"/api/v1/reports/{report9.pk}/download",
                        {"edition": edition, "format": "md", "language": language})
    assert answer.status_code == status and answer["Content-Type"] == "application/problem+json"
    if status == 400:
        assert "language" in answer.json()["detail"]
    assert _downloads().count() == before
