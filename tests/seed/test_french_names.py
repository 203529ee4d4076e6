"""The default data's French names: which records have them, that each cites the French text it
follows, that pages and reports show them in French and the English names in English, that a
reload changes nothing, and that the migration gives them to a database loaded before it."""

from __future__ import annotations

import html
import importlib

import pytest
import yaml
from django.apps import apps
from django.utils import translation

from rapport.core.errors import InputError
from rapport.core.registry import registry
from rapport.partnerships.models import Area, Mandate, Organisation, translated
from rapport.reports.build import render_edition
from rapport.seed.load import load_dataset
from tests.core.conftest import index_of
from tests.reports.readback import text
from tests.synthetic import reader_for

pytestmark = pytest.mark.django_db

DEFAULT = registry["seed_datasets"]["eu_nato"]
FRENCH_TEXT = ("/cps/fr/", "selectedLocale=fr")  # NATO's pages in French
# Mandates whose French text is cited; the others stay in English only (docs/default-data.md).
FRENCH_MANDATES = {"warsaw-2016", "nac-decision-2016-12-06", "brussels-2018", "joint-declaration-2023"}


def flat(s: str) -> str:
    return " ".join(html.unescape(s).split())


def test_organisations_and_councils_have_their_french_names(eu_nato):
    eu, nato = Organisation.objects.get(key="eu"), Organisation.objects.get(key="nato")
    with translation.override("fr"):
        assert (eu.local_name, eu.local_council) == ("Union européenne", "Conseil de l'Union européenne")
        assert (nato.local_name, nato.local_council) == ("Organisation du Traité de l'Atlantique Nord",
                                                         "Conseil de l'Atlantique Nord")
        assert translated(nato, "short_name") == "OTAN"
    with translation.override("en"):
        assert (nato.local_name, nato.local_council) == ("North Atlantic Treaty Organization", "North Atlantic Council")
    # Markings and releasability keep the short names.
    assert (eu.short_name, nato.short_name) == ("EU", "NATO")


def test_every_area_has_a_french_name_and_cites_the_french_text_it_follows(eu_nato):
    areas = list(Area.objects.filter(partnership__key="eu-nato"))
    assert len(areas) == 18
    for area in areas:
        french = area.translations["fr"]["name"]
        assert french and french != area.name
        # "Dialogue politique" renders the reports' heading: no French text of them is at hand.
        if area.key != "political_dialogue":
            assert any(part in s for s in area.sources for part in FRENCH_TEXT), area.key
    names = {a.key: translated(a, "name", "fr") for a in areas}
    assert names["military_mobility"] == "Mobilité militaire"
    assert names["hybrid"] == "Lutte contre les menaces hybrides"
    assert names["cyber"] == "Cybersécurité et cyberdéfense"


def test_only_the_mandates_with_a_cited_french_text_have_a_french_title(eu_nato):
    for m in Mandate.objects.filter(partnership__key="eu-nato"):
        if m.key in FRENCH_MANDATES:
            assert m.translations["fr"]["title"].startswith(("Déclaration commune", "Approbation")), m.key
            assert any(part in s for s in m.sources for part in FRENCH_TEXT), m.key
        else:
            assert m.translations == {}, m.key
            assert translated(m, "title", "fr") == m.title


def test_translated_falls_back_to_the_record_own_name(eu_nato):
    area = Area.objects.get(partnership__key="eu-nato", key="space")
    assert translated(area, "name", "fr") == "Espace"
    assert translated(area, "name", "fr-ca") == "Espace"
    assert translated(area, "name", "en") == translated(area, "name", "de") == "Space"
    area.translations = {"fr": {"name": "  "}, "de": "not a mapping"}
    assert translated(area, "name", "fr") == translated(area, "name", "de") == "Space"


def test_reloading_keeps_the_names_and_changes_nothing(eu_nato):
    before = {a.pk: a.translations for a in Area.objects.all()}
    assert not load_dataset(DEFAULT).changed
    assert {a.pk: a.translations for a in Area.objects.all()} == before


def test_a_changed_french_name_is_one_update(eu_nato, dataset):
    def edit(data):
        data["areas"][index_of(data["areas"], key="space")]["translations"]["fr"]["name"] = "Espace extra-atmosphérique"
    dataset.edit("areas.yaml", edit)
    summary = load_dataset(dataset)
    assert summary.updated == {"partnerships.area": 1}
    assert translated(Area.objects.get(key="space"), "name", "fr") == "Espace extra-atmosphérique"


@pytest.mark.parametrize(("translations", "field"), [
    ({"fr": {"nom": "Espace"}}, "translations.fr"),
    ({"FR": {"name": "Espace"}}, "FR"),
    ({"fr": {"name": ""}}, "name"),
])
def test_a_bad_translation_is_refused_and_changes_nothing(eu_nato, dataset, translations, field):
    def edit(data):
        data["areas"][index_of(data["areas"], key="space")]["translations"] = translations
    dataset.edit("areas.yaml", edit)
    before = Area.objects.get(key="space").translations
    with pytest.raises(InputError) as caught:
        load_dataset(dataset)
    assert "areas.yaml" in str(caught.value) and field in str(caught.value)
    assert Area.objects.get(key="space").translations == before


def test_the_migration_names_a_database_loaded_before_it_and_leaves_renamed_records(eu_nato):
    migration = importlib.import_module("rapport.partnerships.migrations.0003_french_names")
    Area.objects.update(translations={})
    Mandate.objects.update(translations={})
    Organisation.objects.update(translations={})
    Area.objects.filter(key="space").update(name="Outer space")  # renamed by its administrators
    migration.add_french(apps, None)
    assert translated(Area.objects.get(key="space"), "name", "fr") == "Outer space"
    assert translated(Area.objects.get(key="cyber"), "name", "fr") == "Cybersécurité et cyberdéfense"
    assert translated(Organisation.objects.get(key="nato"), "council", "fr") == "Conseil de l'Atlantique Nord"
    assert set(Mandate.objects.exclude(translations={}).values_list("key", flat=True)) == FRENCH_MANDATES
    # The migration's names are the dataset's.
    seed = yaml.safe_load((DEFAULT / "areas.yaml").read_text(encoding="utf-8"))["areas"]
    assert {a["key"]: a["translations"]["fr"]["name"] for a in seed} == {k: f for k, _n, f in migration.AREAS}


def test_the_french_report_names_areas_and_councils_in_french(eu_nato):
    period = eu_nato.periods.get(ordinal=8)
    fr = flat(text("html", render_edition(period, "public", "html", actor=reader_for(period, "public"),
                                          language="fr").content))
    en = flat(text("html", render_edition(period, "public", "html", actor=reader_for(period, "public"),
                                          language="en").content))
    assert "Mobilité militaire" in fr and "Military mobility" not in fr
    assert "Military mobility" in en and "Mobilité militaire" not in en
    assert "par le Conseil de l'Union européenne et le Conseil de l'Atlantique Nord" in fr
    assert "by the Council of the European Union and the North Atlantic Council" in en


def test_the_french_pages_name_areas_in_french(eu_nato, client):
    client.cookies["rapport-language"] = "fr"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Lutte contre les menaces hybrides" in page and "Countering hybrid threats" not in page
    client.cookies["rapport-language"] = "en"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Countering hybrid threats" in page and "Lutte contre les menaces hybrides" not in page


def test_the_commitment_list_filters_by_area_and_mandate_in_french(make_user, client, eu_nato):
    user = make_user(org="eu", role="drafter", clearance=2)
    user.language = "fr"
    user.save(update_fields=["language"])
    client.force_login(user)
    page = html.unescape(client.get("/commitments/").content.decode())
    area = Area.objects.get(key="military_mobility")
    warsaw = Mandate.objects.get(key="warsaw-2016")
    assert f'<option value="{area.pk}">Mobilité militaire</option>' in page
    assert f'<option value="{warsaw.pk}">Déclaration commune du président du Conseil européen' in page
    assert ">Military mobility<" not in page
