"""The evidence records (coordination formats, meetings, exercises, partner activities) say the
language they are written in and may hold a translation of their name (or title) and
description: loaded and checked with the dataset, answered by the API, shown on French pages."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from rapport.api.tokens import create_token
from rapport.audit.models import AuditEvent
from rapport.core.errors import InputError
from rapport.core.registry import registry
from rapport.evidence.models import CoordinationFormat, Exercise, Meeting, PartnerActivity
from rapport.seed.load import load_dataset
from tests.core.conftest import index_of

pytestmark = pytest.mark.django_db

DEFAULT = registry["seed_datasets"]["eu_nato"]
KEY = "task_force_ci_announced"
FRENCH = {"title": "Annonce du groupe de travail sur la résilience des infrastructures critiques",
          "summary": "Le lendemain de la troisième déclaration commune, l'UE et l'OTAN ont annoncé un groupe de travail."}


def translate_meeting(dataset, **fields):
    def edit(data):
        data["meetings"][index_of(data["meetings"], key=KEY)].update(fields)
    dataset.edit("evidence.yaml", edit)


def api(user) -> Client:
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {create_token(user=user, name='test')[1]}"
    return client


def test_the_default_evidence_is_english_without_translations(eu_nato):
    for model in (CoordinationFormat, Meeting, Exercise, PartnerActivity):
        rows = model.objects.filter(partnership=eu_nato)
        assert rows.exists(), model
        assert set(rows.values_list("language", flat=True)) == {"en"}, model
        assert not rows.exclude(translations={}).exists(), model


def test_a_translation_is_loaded_once_and_audited(eu_nato, dataset):
    translate_meeting(dataset, translations={"fr": FRENCH})
    audited = AuditEvent.objects.count()
    summary = load_dataset(dataset)
    assert summary.updated == {"evidence.meeting": 1}
    assert AuditEvent.objects.count() == audited + 1
    meeting = Meeting.objects.get(key=KEY)
    assert (meeting.language, meeting.translations) == ("en", {"fr": FRENCH})
    assert not load_dataset(dataset).changed  # loading it again changes nothing


def test_a_record_written_in_french_says_so(eu_nato, dataset):
    def edit(data):
        i = index_of(data["exercises"], key=data["exercises"][0]["key"])
        data["exercises"][i].update(language="fr", translations={"en": {"name": "An English name"}})
    dataset.edit("evidence.yaml", edit)
    load_dataset(dataset)
    exercise = Exercise.objects.filter(partnership=eu_nato).exclude(language="en").get()
    assert exercise.language == "fr" and exercise.translations == {"en": {"name": "An English name"}}


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"language": "de"}, "language", "not a language"),
    ({"translations": {"de": {"title": "Ankündigung"}}}, "translations", "not a language"),
    ({"translations": {"en": {"title": "Announced"}}}, "translations", "another language"),
    ({"translations": {"fr": {"titre": "Annonce"}}}, "translations", "can be translated"),
    ({"translations": {"fr": {"title": "Annonce\x07"}}}, "translations", "control character"),
    ({"translations": {"fr": {"title": "A" * 201}}}, "translations", "at most 200"),
])
def test_a_bad_language_or_translation_is_refused_and_changes_nothing(eu_nato, dataset, fields, field, words):
    translate_meeting(dataset, **fields)
    before = Meeting.objects.values("language", "translations").get(key=KEY)
    with pytest.raises(InputError) as caught:
        load_dataset(dataset)
    assert "evidence.yaml" in str(caught.value) and KEY in str(caught.value)
    assert caught.value.field == field and words in caught.value.detail
    assert Meeting.objects.values("language", "translations").get(key=KEY) == before


def test_an_empty_translation_is_no_translation(eu_nato, dataset):
    translate_meeting(dataset, translations={"fr": {"title": "  ", "summary": ""}})
    load_dataset(dataset)
    assert Meeting.objects.get(key=KEY).translations == {}


def test_the_api_answers_the_language_and_translations(eu_nato, dataset, make_user):
    translate_meeting(dataset, translations={"fr": FRENCH})
    load_dataset(dataset)
    client = api(make_user(org="eu", role="reader", clearance=0))
    meeting = Meeting.objects.get(key=KEY)
    one = client.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert (one["language"], one["translations"]) == ("en", {"fr": FRENCH})
    for path in ("exercises", "formats", "partner-activities"):
        items = client.get(f"/api/v1/{path}", {"limit": 5}).json()["items"]
        assert items and all(i["language"] == "en" and i["translations"] == {} for i in items), path
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("MeetingOut", "ExerciseOut", "FormatOut", "ActivityOut"):
        assert schema[name]["properties"]["language"]["type"] == "string", name
        assert schema[name]["properties"]["translations"]["type"] == "object", name
        assert {"language", "translations"} <= set(schema[name]["required"]), name


def test_a_french_page_shows_the_translation_and_an_english_one_the_original(eu_nato, dataset, make_user, client):
    translate_meeting(dataset, translations={"fr": FRENCH})
    load_dataset(dataset)
    meeting = Meeting.objects.get(key=KEY)
    user = make_user(org="eu", role="reader", clearance=0)
    client.force_login(user)
    user.language = "fr"
    user.save(update_fields=["language"])
    page = html.unescape(client.get(f"/meetings/{meeting.pk}/").content.decode())
    assert f"<h1>{FRENCH['title']}</h1>" in page and meeting.title not in page
    user.language = "en"
    user.save(update_fields=["language"])
    page = html.unescape(client.get(f"/meetings/{meeting.pk}/").content.decode())
    assert f"<h1>{meeting.title}</h1>" in page and FRENCH["title"] not in page


def test_an_untranslated_record_is_tagged_english_on_a_french_page(eu_nato, make_user, client):
    meeting = Meeting.objects.get(key=KEY)
    user = make_user(org="eu", role="reader", clearance=0)
    user.language = "fr"
    user.save(update_fields=["language"])
    client.force_login(user)
    page = html.unescape(client.get(f"/meetings/{meeting.pk}/").content.decode())
    assert f'<h1 lang="en">{meeting.title}</h1>' in page
