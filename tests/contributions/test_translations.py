"""A contribution's and a joint text's language and translation: written only through their
edit services (the same permission as the text, cleaned the same way, audited, in the
revision the approver approves), refused into the text's own language or an unknown one
with the field named; the pages show the reader's language where it exists, else the
original marked with its language; the REST API reads and writes both."""

from __future__ import annotations

import pytest

from rapport.audit.models import AuditEvent
from rapport.contributions import services
from rapport.contributions.choices import JointTextState
from rapport.contributions.models import Contribution, JointText
from rapport.core.errors import InputError, NotFound, Refused

pytestmark = pytest.mark.django_db

ENGLISH = "Staff trained together on cyber incident response."
FRENCH = "Les états-majors se sont entraînés ensemble à la réponse aux incidents cyber."


@pytest.fixture
def open_period(eu_nato):
    from rapport.periods.models import ReportingPeriod

    return ReportingPeriod.objects.get(partnership=eu_nato, state="open")


@pytest.fixture
def commitments(eu_nato):
    from rapport.commitments.models import Commitment

    return list(Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref"))


@pytest.fixture
def orgs(eu_nato):
    return list(eu_nato.organisations.order_by("key"))


@pytest.fixture
def drafter(make_user):
    return make_user(org="eu", role="drafter", clearance=3)


@pytest.fixture
def draft(drafter, commitments, open_period, level, orgs):
    return services.create_contribution(actor=drafter, commitment=commitments[0], period=open_period,
                                        narrative=ENGLISH, classification=level(0, scheme="eu"), releasable_to=orgs)


def edit(actor, c, **kw):
    kw.setdefault("narrative", c.narrative)
    return services.edit_contribution(actor=actor, contribution=c, base_version=c.version,
                                      classification=c.classification, releasable_to=list(c.releasable_to.all()), **kw)


def stored(c) -> tuple:
    return Contribution.objects.filter(pk=c.pk).values_list("version", "language", "translations").get()


def test_a_translation_is_written_with_the_text_revised_and_audited(drafter, draft):
    assert (draft.language, draft.translations) == ("en", {})
    c = edit(drafter, draft, translations={"fr": {"narrative": f"  {FRENCH}\r\n"}})
    assert stored(c) == (2, "en", {"fr": {"narrative": FRENCH}})  # cleaned as the narrative is
    revision = c.revisions.get(version=2)
    assert (revision.language, revision.translations) == ("en", {"fr": {"narrative": FRENCH}})
    entry = AuditEvent.objects.for_object(c).filter(verb="contribution.edited").latest("seq")
    assert entry.before["translations"] == {} and entry.after["translations"] == {"fr": {"narrative": FRENCH}}
    c = edit(drafter, c, narrative=ENGLISH)  # left out: kept
    assert stored(c)[2] == {"fr": {"narrative": FRENCH}}
    c = edit(drafter, c, translations={"fr": {"narrative": "  "}})  # emptied: removed
    assert stored(c)[2] == {}


def test_a_contribution_written_in_french_translated_into_english(drafter, commitments, open_period, level, orgs):
    c = services.create_contribution(actor=drafter, commitment=commitments[1], period=open_period, narrative=FRENCH,
                                     classification=level(0, scheme="eu"), releasable_to=orgs, language="fr",
                                     translations={"en": {"narrative": ENGLISH}})
    assert stored(c) == (1, "fr", {"en": {"narrative": ENGLISH}})


@pytest.mark.parametrize("who", ["other organisation", "reader", "approver", "after submission"])
def test_no_translation_without_the_permission_to_edit_the_text(drafter, draft, make_user, who):
    actor = drafter
    if who == "other organisation":
        actor = make_user(org="nato", role="drafter", clearance=3)
    elif who in ("reader", "approver"):
        actor = make_user(org="eu", role=who, clearance=3)
    else:
        draft = services.submit_contribution(actor=drafter, contribution=draft)
    before, entries = stored(draft), AuditEvent.objects.count()
    with pytest.raises(NotFound if who == "other organisation" else Refused):
        edit(actor, draft, translations={"fr": {"narrative": FRENCH}})
    assert stored(draft) == before and AuditEvent.objects.count() == entries


@pytest.mark.parametrize(("language", "translations", "says"), [
    (None, {"en": {"narrative": "Same language."}}, "another language"),
    ("fr", {"fr": {"narrative": "Même langue."}}, "another language"),
    (None, {"de": {"narrative": "Übersetzung."}}, "not a language"),
    (None, {"fr": {"title": "Titre."}}, "can be translated"),
    (None, {"fr": {"narrative": "Bad\x07text."}}, "control character"),
    (None, {"fr": {"narrative": "x" * 50_001}}, "at most"),
    (None, ["fr", "text"], "as {language: {field: text}}"),
])
def test_bad_translations_are_refused_naming_the_field(drafter, draft, language, translations, says):
    before = stored(draft)
    with pytest.raises(InputError, match=says) as err:
        edit(drafter, draft, language=language, translations=translations)
    assert err.value.field == "translations"
    assert stored(draft) == before


def test_an_unknown_language_is_refused_naming_the_field(drafter, draft):
    with pytest.raises(InputError, match="not a language") as err:
        edit(drafter, draft, language="klingon")
    assert err.value.field == "language" and stored(draft)[1] == "en"


def test_a_kept_translation_into_the_new_language_is_refused(drafter, draft):
    c = edit(drafter, draft, translations={"fr": {"narrative": FRENCH}})
    with pytest.raises(InputError) as err:
        edit(drafter, c, narrative=FRENCH, language="fr")  # the French translation would be into French
    assert err.value.field == "translations" and stored(c)[1] == "en"
    c = edit(drafter, c, narrative=FRENCH, language="fr", translations={"en": {"narrative": ENGLISH}})
    assert stored(c) == (3, "fr", {"en": {"narrative": ENGLISH}})



def test_a_translation_never_outlives_the_text_it_was_written_for(drafter, draft, level, orgs, make_user):
    """Changing the original and leaving its translation as stored is refused, also when the
    translation is given again unchanged (as a form sends it), so that a text re-marked lower
    cannot carry down the translation of a version marked higher."""
    nato_level = level(1, scheme="eu")
    secret = "Staff exercised SECRETEN together."
    c = services.edit_contribution(actor=drafter, contribution=draft, base_version=draft.version, narrative=secret,
                                   classification=nato_level, releasable_to=[orgs[0]],
                                   translations={"fr": {"narrative": "Exercice SECRETFR des états-majors."}})
    before = stored(c)
    for translations in (None, {"fr": {"narrative": "Exercice SECRETFR des états-majors."}}):
        with pytest.raises(InputError) as err:
            services.edit_contribution(actor=drafter, contribution=c, base_version=c.version, narrative=ENGLISH,
                                       classification=level(0, scheme="eu"), releasable_to=orgs,
                                       translations=translations)
        assert err.value.field == "translations" and "French" in str(err.value)
        assert stored(c) == before  # nothing changed
    assert Contribution.objects.get(pk=c.pk).classification == nato_level
    # Changed with it, or emptied, the edit goes through; a marking-only edit keeps the translation.
    c = edit(drafter, c, narrative=ENGLISH, translations={"fr": {"narrative": FRENCH}})
    assert stored(c)[2] == {"fr": {"narrative": FRENCH}}
    c = services.edit_contribution(actor=drafter, contribution=c, base_version=c.version, narrative=ENGLISH,
                                   classification=level(0, scheme="eu"), releasable_to=orgs)
    assert stored(c)[2] == {"fr": {"narrative": FRENCH}}
    c = edit(drafter, c, narrative="Staff trained.", translations={"fr": {"narrative": ""}})
    assert stored(c)[2] == {}


def test_a_joint_text_edited_without_its_translation_is_refused(drafter, joint):
    jt = services.edit_joint_text(actor=drafter, joint_text=joint, base_version=1, text=joint.text,
                                  translations={"fr": {"text": "Écrit ensemble."}})
    with pytest.raises(InputError) as err:
        services.edit_joint_text(actor=drafter, joint_text=jt, base_version=jt.version, text="Written jointly.")
    assert err.value.field == "translations"
    assert JointText.objects.get(pk=jt.pk).text == "Written together."


def test_the_editor_names_a_translation_left_behind(client, drafter, draft):
    c = edit(drafter, draft, translations={"fr": {"narrative": FRENCH}})
    client.force_login(drafter)
    url = f"/contributions/{c.pk}/edit/"
    answer = client.post(url, {"narrative": "Staff trained.", "classification": c.classification_id,
                               "base_version": c.version, "releasable_to": [o.pk for o in c.releasable_to.all()],
                               "language": "en", "translations": FRENCH})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert 'id="id_translations_error"' in page and "did not" in page
    assert stored(c)[0] == c.version


# Joint texts ---------------------------------------------------------------------------------


@pytest.fixture
def joint(drafter, commitments, open_period, level, orgs):
    return services.create_joint_text(actor=drafter, commitment=commitments[2], period=open_period,
                                      text="Written together.", classification=level(0, scheme="eu"),
                                      releasable_to=orgs)


def test_translating_a_joint_text_is_an_edit_that_clears_its_approvals(drafter, joint, make_user):
    approver = make_user(org="nato", role="approver", clearance=3)
    jt = services.approve_joint_text(actor=approver, joint_text=joint)
    assert jt.state == JointTextState.IN_APPROVAL and jt.approvals.count() == 1
    jt = services.edit_joint_text(actor=drafter, joint_text=jt, base_version=jt.version, text=jt.text,
                                  translations={"fr": {"text": "Écrit ensemble."}})
    assert (jt.state, jt.version, jt.approvals.count()) == (JointTextState.DRAFT, 2, 0)
    assert JointText.objects.get(pk=jt.pk).translations == {"fr": {"text": "Écrit ensemble."}}
    entry = AuditEvent.objects.for_object(jt).filter(verb="joint_text.edited").latest("seq")
    assert entry.after["translations"] == {"fr": {"text": "Écrit ensemble."}}


def test_a_joint_text_translation_needs_the_permission_to_edit_it(joint, make_user):
    reader = make_user(org="eu", role="reader", clearance=3)
    with pytest.raises(Refused):
        services.edit_joint_text(actor=reader, joint_text=joint, base_version=1, text=joint.text,
                                 translations={"fr": {"text": "Écrit ensemble."}})
    assert JointText.objects.get(pk=joint.pk).translations == {}


def test_a_joint_text_translation_into_its_own_language_is_refused(drafter, joint):
    with pytest.raises(InputError) as err:
        services.edit_joint_text(actor=drafter, joint_text=joint, base_version=1, text=joint.text,
                                 translations={"en": {"text": "Same."}})
    assert err.value.field == "translations"
    assert JointText.objects.get(pk=joint.pk).version == 1


# Pages -----------------------------------------------------------------------------------------


def _page(client, user, url, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client.get(url).content.decode()


def test_a_french_reader_sees_the_translation_an_english_reader_the_original(client, drafter, draft):
    url = f"/contributions/{draft.pk}/"
    french = _page(client, drafter, url, "fr")
    assert 'lang="en"' in french and "(EN)" in french and ENGLISH in french  # not translated: marked
    c = edit(drafter, draft, translations={"fr": {"narrative": FRENCH}})
    french = _page(client, drafter, url, "fr")
    body = french.split('class="narrative"', 1)[1]
    assert body.index("états-majors") < body.index(ENGLISH)  # the translation first, the original below
    assert "(EN)" not in french and '<details class="other-language">' in french
    english = _page(client, drafter, url, "en")
    body = english.split('class="narrative"', 1)[1]
    assert body.index(ENGLISH) < body.index("états-majors") and "(EN)" not in english
    commitment = _page(client, drafter, f"/commitments/{c.commitment_id}/", "fr")
    assert "états-majors" in commitment


def test_the_editor_writes_the_language_and_the_translation(client, drafter, draft):
    client.force_login(drafter)
    url = f"/contributions/{draft.pk}/edit/"
    form = client.get(url).content.decode()
    assert 'name="language"' in form and 'name="translations"' in form
    data = {"narrative": ENGLISH, "classification": draft.classification_id, "base_version": draft.version,
            "releasable_to": [o.pk for o in draft.releasable_to.all()], "language": "en", "translations": FRENCH}
    assert client.post(url, data).status_code == 302
    assert stored(draft) == (2, "en", {"fr": {"narrative": FRENCH}})
    assert FRENCH in client.get(url).content.decode()  # shown again in the form
    bad = client.post(url, {**data, "base_version": 2, "translations": "x" * 50_001})
    assert bad.status_code == 400 and 'id="id_translations_error"' in bad.content.decode()
    assert stored(draft)[0] == 2
    # A text switched to French takes its translation into English.
    data.update(base_version=2, narrative=FRENCH, language="fr", translations=ENGLISH)
    assert client.post(url, data).status_code == 302
    assert stored(draft) == (3, "fr", {"en": {"narrative": ENGLISH}})


def test_the_joint_text_page_and_editor(client, drafter, joint):
    client.force_login(drafter)
    url = f"/joint-texts/{joint.pk}/edit/"
    assert 'name="translations"' in client.get(url).content.decode()
    answer = client.post(url, {"text": "Written together.", "base_version": 1, "language": "en",
                               "translations": "Écrit ensemble."})
    assert answer.status_code == 302
    assert JointText.objects.get(pk=joint.pk).translations == {"fr": {"text": "Écrit ensemble."}}
    assert "Écrit ensemble." in _page(client, drafter, f"/joint-texts/{joint.pk}/", "fr")


# REST API ----------------------------------------------------------------------------------------


def test_the_api_reads_and_writes_the_language_and_translations(drafter, commitments, open_period):
    from tests.api.clients import token_client

    api = token_client(drafter, scope="write")
    made = api.post("/api/v1/contributions", {"commitment": commitments[3].pk, "period": open_period.ordinal,
                                              "narrative": FRENCH, "classification": "PUBLIC", "language": "fr",
                                              "releasable_to": ["eu", "nato"],
                                              "translations": {"en": {"narrative": ENGLISH}}},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["language"], body["translations"]) == ("fr", {"en": {"narrative": ENGLISH}})
    same = api.patch(f"/api/v1/contributions/{body['id']}", {"translations": {"fr": {"narrative": "x"}}},
                     content_type="application/json", HTTP_IF_MATCH=made["ETag"])
    assert same.status_code == 400 and same.json()["field"] == "translations"
    removed = api.patch(f"/api/v1/contributions/{body['id']}", {"translations": {}},
                        content_type="application/json", HTTP_IF_MATCH=made["ETag"])
    assert removed.status_code == 200 and removed.json()["translations"] == {}
    assert api.get(f"/api/v1/contributions/{body['id']}").json()["language"] == "fr"


def test_the_comparison_shows_what_changed_in_the_translation(client, drafter, draft):
    c = edit(drafter, draft, translations={"fr": {"narrative": FRENCH}})
    c = edit(drafter, c, narrative="Staff trained together.", translations={"fr": {"narrative": "Les états-majors."}})
    client.force_login(drafter)
    page = client.get(f"/contributions/{c.pk}/compare/").content.decode()
    translated = page.split("Translation into French", 1)[1]
    assert '<div class="narrative diff-text" lang="fr">' in translated
    assert "<del>" in translated and "entraînés" in translated  # the words taken out of the translation
    first = client.get(f"/contributions/{c.pk}/compare/?a={c.revisions.get(version=1).pk}"
                       f"&b={c.revisions.get(version=2).pk}").content.decode()
    assert "No translation" in first.split("Translation into French", 1)[1]


def test_the_language_mark_and_the_history_heading_in_french(client, drafter, draft):
    french = _page(client, drafter, f"/contributions/{draft.pk}/", "fr")
    mark = french.split('class="language-mark small"', 1)[1].split("</p>", 1)[0]
    assert '<abbr title="anglais">(EN)</abbr>' in mark  # the mark is French, so outside the English text
    assert french.index('class="language-mark small"') < french.index('<div class="narrative" lang="en">')
    c = edit(drafter, draft, translations={"fr": {"narrative": FRENCH}})
    french = _page(client, drafter, f"/contributions/{c.pk}/", "fr")
    assert "<summary>Le texte en anglais</summary>" in french


def test_a_records_history_tags_its_english_name_on_a_french_page(client, drafter, draft, make_user):
    coordinator = make_user(org="eu", role="coordinator", clearance=3)
    url = f"/audit/contributions.contribution/{draft.pk}/"
    heading = _page(client, coordinator, url, "fr").split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert heading.startswith('Historique de <span lang="en">'), heading
    heading = _page(client, coordinator, url, "en").split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert heading.startswith("History of <span>"), heading
