"""The report in the reader's language: a part with an approved translation reads in it, and
one without reads in its original, tagged with its language (HTML ``lang``, DOCX ``w:lang``);
the English report is as written. A translation written after approval is a new version: it
needs the approvals again before it enters the report."""

from __future__ import annotations

import io
import zipfile

import pytest

from rapport.reports import parts
from rapport.reports.build import render_edition
from rapport.reports.choices import PartState, ReportState
from rapport.reports.models import Report

pytestmark = pytest.mark.django_db

TRANSLATED_EN = "Staff held joint tabletop exercises on hybrid threats."
TRANSLATED_FR = "Les états-majors ont tenu des exercices conjoints sur table consacrés aux menaces hybrides."
UNTRANSLATED = "Liaison officers were exchanged between the two staffs."


@pytest.fixture
def report(eu_nato):
    return (Report.objects.filter(period__partnership=eu_nato).exclude(state=ReportState.PUBLISHED)
            .select_related("period").order_by("-period__ordinal").first())


@pytest.fixture
def people(make_user):
    return {name: make_user(org=org, role=role, clearance=3) for name, org, role in (
        ("eu-co", "eu", "coordinator"), ("eu-ap", "eu", "approver"), ("nato-ap", "nato", "approver"))}


def approved(report, people, level, text, **kw):
    h = parts.create_highlight(actor=people["eu-co"], report=report, text=text, classification=level(0, scheme="eu"),
                               releasable_to=list(report.period.partnership.organisations.all()), **kw)
    for approver in ("eu-ap", "nato-ap"):
        h = parts.approve_part(actor=people[approver], part=h)
    assert h.state == PartState.APPROVED
    return h


def rendered(report, people, fmt, language) -> str:
    content = render_edition(report.period, "public", fmt, actor=people["eu-co"], language=language).content
    if fmt == "docx":
        return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    return content.decode()


def test_the_french_report_reads_the_translation_and_tags_the_untranslated(report, people, level):
    approved(report, people, level, TRANSLATED_EN, translations={"fr": {"text": TRANSLATED_FR}})
    approved(report, people, level, UNTRANSLATED)
    french = rendered(report, people, "html", "fr")
    assert TRANSLATED_FR.replace("’", "&#x27;") in french or TRANSLATED_FR in french
    assert TRANSLATED_EN not in french
    assert f'<span lang="en">{UNTRANSLATED}</span>' in french  # the original, tagged with its language
    english = rendered(report, people, "html", "en")
    assert TRANSLATED_EN in english and UNTRANSLATED in english and "états-majors" not in english
    docx = rendered(report, people, "docx", "fr")
    assert "états-majors ont tenu" in docx
    untranslated_run = docx[:docx.index("Liaison officers")].rsplit("<w:r>", 1)[1]
    assert '<w:lang w:val="en"/>' in untranslated_run


def test_a_text_written_in_french_is_tagged_in_the_english_report(report, people, level):
    approved(report, people, level, TRANSLATED_FR, language="fr")
    english = rendered(report, people, "html", "en")
    assert '<span lang="fr">Les états-majors' in english
    assert "<span lang=" not in rendered(report, people, "html", "fr").split("Les états-majors")[0][-30:]


def test_a_translation_added_after_approval_waits_for_the_approvals_again(report, people, level):
    h = approved(report, people, level, TRANSLATED_EN)
    with pytest.raises(Exception, match="frozen"):  # an approved part is returned before it changes
        parts.edit_part(actor=people["eu-co"], part=h, base_version=h.version, text=h.text,
                        classification=h.classification, releasable_to=list(h.releasable_to.all()),
                        translations={"fr": {"text": TRANSLATED_FR}})
    h = parts.return_part(actor=people["nato-ap"], part=h, message="Add the French.")
    h = parts.edit_part(actor=people["eu-co"], part=h, base_version=h.version, text=h.text,
                        classification=h.classification, releasable_to=list(h.releasable_to.all()),
                        translations={"fr": {"text": TRANSLATED_FR}})
    assert h.state == PartState.DRAFT and "états-majors" not in rendered(report, people, "html", "fr")
    for approver in ("eu-ap", "nato-ap"):
        parts.approve_part(actor=people[approver], part=h)
    assert "états-majors" in rendered(report, people, "html", "fr")


def test_a_part_translation_needs_the_writers_permission(report, people, level, make_user):
    from rapport.core.errors import InputError, Refused

    h = parts.create_highlight(actor=people["eu-co"], report=report, text=TRANSLATED_EN,
                               classification=level(0, scheme="eu"),
                               releasable_to=list(report.period.partnership.organisations.all()))
    drafter = make_user(org="eu", role="drafter", clearance=3)
    with pytest.raises(Refused):
        parts.edit_part(actor=drafter, part=h, base_version=1, text=h.text, classification=h.classification,
                        releasable_to=list(h.releasable_to.all()), translations={"fr": {"text": TRANSLATED_FR}})
    with pytest.raises(InputError) as err:
        parts.edit_part(actor=people["eu-co"], part=h, base_version=1, text=h.text, classification=h.classification,
                        releasable_to=list(h.releasable_to.all()), translations={"en": {"text": "Same."}})
    assert err.value.field == "translations"
    h.refresh_from_db()
    assert (h.version, h.translations) == (1, {})


def test_a_contributions_translation_in_the_french_report(eu_nato, report, people, level):
    """An approved contribution as the data loader writes it (the period's deadline has passed)."""
    from django.utils import timezone

    from rapport.commitments.models import Commitment
    from rapport.contributions.models import Contribution
    from rapport.partnerships.models import Organisation

    nato = Organisation.objects.get(key="nato")
    commitment = (Commitment.objects.filter(partnership=eu_nato, classification__rank=0)
                  .exclude(contributions__period=report.period, contributions__organisation=nato)
                  .order_by("order", "ref").first())
    c = Contribution.objects.create(organisation=nato, commitment=commitment, period=report.period,
                                    narrative=UNTRANSLATED, state="approved", classification=level(0),
                                    approved_at=timezone.now(), translations={"fr": {"narrative": TRANSLATED_FR}})
    c.releasable_to.set(eu_nato.organisations.all())
    french, english = rendered(report, people, "html", "fr"), rendered(report, people, "html", "en")
    assert "états-majors ont tenu" in french and UNTRANSLATED not in french
    assert UNTRANSLATED in english and "états-majors" not in english
    # The commitment's title has no French form: its heading says it is English.
    heading = f'<span lang="en">{commitment.ref} {commitment.title}</span></h'
    assert heading in french and heading not in english and f"{commitment.ref} {commitment.title}</h" in english
    # The organisation that speaks is named as French typography writes it.
    assert "NATO\u00a0: Les états-majors" in french and f"NATO: {UNTRANSLATED}" in english


def test_the_report_page_in_the_readers_language(client, report, people, level):
    approved(report, people, level, TRANSLATED_EN, translations={"fr": {"text": TRANSLATED_FR}})
    approved(report, people, level, UNTRANSLATED)
    reader = people["eu-ap"]
    client.force_login(reader)
    for language in ("fr", "en"):
        reader.language = language
        reader.save(update_fields=["language"])
        page = client.get(f"/reports/{report.period.ordinal}/").content.decode()
        if language == "fr":
            assert "Les états-majors ont tenu" in page and TRANSLATED_EN not in page
            assert f'<span lang="en">{UNTRANSLATED} <span class="language-mark">(EN)</span></span>' in page
        else:
            assert TRANSLATED_EN in page and UNTRANSLATED in page and "états-majors" not in page
            assert 'class="language-mark"' not in page


def test_the_part_editor_writes_and_keeps_the_translation(client, report, people, level, eu_nato):
    coordinator = people["eu-co"]
    client.force_login(coordinator)
    every = [o.pk for o in eu_nato.organisations.all()]
    new = client.post(f"/reports/{report.period.ordinal}/parts/outlook/new/", {
        "outlook-text": TRANSLATED_EN, "outlook-classification": level(0, scheme="eu").pk,
        "outlook-releasable_to": every, "outlook-language": "en", "outlook-translations": TRANSLATED_FR})
    assert new.status_code == 302
    part = report.outlook.get(text=TRANSLATED_EN)
    assert (part.language, part.translations) == ("en", {"fr": {"text": TRANSLATED_FR}})
    url = f"/reports/{report.period.ordinal}/parts/outlook/{part.pk}/edit/"
    form = client.get(url).content.decode()
    assert TRANSLATED_FR.split(" ")[1] in form and 'value="en" selected' in form
    edited = client.post(url, {"text": TRANSLATED_EN + " Again.", "classification": level(0, scheme="eu").pk,
                               "releasable_to": every, "base_version": 1, "language": "en",
                               "translations": TRANSLATED_FR + " Encore."})
    assert edited.status_code == 302
    part.refresh_from_db()
    assert (part.version, part.translations) == (2, {"fr": {"text": TRANSLATED_FR + " Encore."}})


def test_a_drafts_file_title_says_draft_in_the_editions_language(report, people):
    french, english = rendered(report, people, "html", "fr"), rendered(report, people, "html", "en")
    assert "<title" in french and ">PROJET — " in french.split("</title>", 1)[0]
    assert ">DRAFT — " in english.split("</title>", 1)[0]
