"""Forms in French: a marking select names each level as its scheme writes it in French (NATO
DIFFUSION RESTREINTE, not NATO RESTRICTED), on the contribution form and on the comment form;
options that name English-only data (assessment labels, evidence without a French name) say
their language with ``lang="en"``, and evidence with a French name is offered by it. In English
the forms read as before. 'rapport account add' names the role and the clearance in French
under a French locale."""

from __future__ import annotations

import lxml.html
import pytest

from rapport.evidence.models import Exercise, Meeting
from rapport.partnerships.models import AssessmentValue

from ..i18n.test_cli_french import french_locale, rapport  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _drafter(make_user, language):
    user = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    user.language = language
    user.save(update_fields=["language"])
    return user


def _options(doc, name) -> list:
    (select,) = doc.xpath(f"//select[@name='{name}']")
    return select.xpath("option")


def _page(client, url) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


@pytest.fixture
def contribution(make_user, write, commitments):
    author = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    return author, write(author, commitments[0], "Staff talks were held.", marking="NATO RESTRICTED", to=["nato"])


def test_the_contribution_form_offers_levels_and_options_in_french(contribution, signed_in):
    author, c = contribution
    author.language = "fr"
    author.save(update_fields=["language"])
    client = signed_in(author)
    url = f"/contributions/{c.pk}/edit/"
    # Evidence without a French name, and evidence with one.
    english = Meeting.objects.visible_to(author).filter(partnership=c.commitment.partnership).order_by("-date").first()
    Meeting.objects.filter(pk=english.pk).update(translations={}, language="en")
    french = Exercise.objects.visible_to(author).filter(partnership=c.commitment.partnership).first()
    Exercise.objects.filter(pk=french.pk).update(translations={"fr": {"name": "Exercice de gestion de crise"}},
                                                 language="en")

    doc = _page(client, url)
    assert doc.get("lang") == "fr"
    levels = [o.text_content().strip() for o in _options(doc, "classification")]
    assert "NATO DIFFUSION RESTREINTE" in levels and "NATO SANS CLASSIFICATION" in levels, levels
    assert not {"NATO RESTRICTED", "NATO UNCLASSIFIED"} & set(levels), levels
    assert all(o.get("lang") is None for o in _options(doc, "classification"))

    assessments = {o.text_content().strip(): o.get("lang") for o in _options(doc, "assessment") if o.get("value")}
    labels = set(AssessmentValue.objects.filter(scheme=c.commitment.partnership.assessment_scheme)
                 .values_list("label", flat=True))
    assert set(assessments) == labels and set(assessments.values()) == {"en"}, assessments
    assert [o.get("lang") for o in _options(doc, "assessment") if not o.get("value")] == [None]

    meeting = next(o for o in _options(doc, "meetings") if o.get("value") == str(english.pk))
    assert meeting.get("lang") == "en" and english.title in meeting.text_content()
    exercise = next(o for o in _options(doc, "exercises") if o.get("value") == str(french.pk))
    assert exercise.get("lang") is None and "Exercice de gestion de crise" in exercise.text_content()
    assert french.name not in exercise.text_content()
    for name in ("formats", "activities"):
        for option in _options(doc, name):
            assert option.get("lang") in (None, "en")


def test_the_comment_form_offers_levels_in_french(contribution, signed_in):
    author, c = contribution
    author.language = "fr"
    author.save(update_fields=["language"])
    doc = _page(signed_in(author), f"/contributions/{c.pk}/")
    levels = [o.text_content().strip() for o in _options(doc, "classification")]
    assert levels and levels[0] == "NATO DIFFUSION RESTREINTE", levels
    assert "NATO RESTRICTED" not in levels


def test_in_english_the_forms_read_as_before(contribution, signed_in):
    author, c = contribution
    client = signed_in(author)
    doc = _page(client, f"/contributions/{c.pk}/edit/")
    levels = [o.text_content().strip() for o in _options(doc, "classification")]
    assert levels == ["Choose a marking", "PUBLIC", "NATO UNCLASSIFIED", "NATO RESTRICTED"], levels
    for name in ("classification", "assessment", "meetings", "exercises", "formats", "activities"):
        assert all(o.get("lang") is None for o in _options(doc, name)), name
    doc = _page(client, f"/contributions/{c.pk}/")
    assert [o.text_content().strip() for o in _options(doc, "classification")][0] == "NATO RESTRICTED"


def test_account_add_names_the_role_and_the_clearance_in_french(eu_nato, french_locale, capsys):  # noqa: F811
    rapport("account", "add", "amelie", "--organisation", "nato", "--role", "drafter", "--clearance", "NR")
    out = capsys.readouterr().out
    assert "(NATO, rédacteur, NATO DIFFUSION RESTREINTE)" in out, out
    assert "drafter" not in out and "NATO RESTRICTED" not in out

    french_locale.setenv("LANG", "en_GB.UTF-8")
    rapport("account", "add", "albert", "--organisation", "nato", "--role", "drafter", "--clearance", "NR")
    assert "Created albert (NATO, drafter, NATO RESTRICTED)." in capsys.readouterr().out
