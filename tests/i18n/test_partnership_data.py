"""The partnership's name in French: given by the default data, read through ``local_name``,
reloaded without change, refused when malformed, and given by the migration to a database loaded
before it."""

from __future__ import annotations

import importlib

import pytest
import yaml
from django.apps import apps
from django.utils import translation

from rapport.core.errors import InputError
from rapport.core.registry import registry
from rapport.partnerships.models import Partnership
from rapport.seed.load import load_dataset
from tests.core import conftest as core

pytestmark = pytest.mark.django_db

DEFAULT = registry["seed_datasets"]["eu_nato"]
FRENCH = "Partenariat stratégique UE–OTAN"
dataset = core.dataset  # a copy of the default dataset to edit


def test_the_partnership_is_named_in_the_active_language(eu_nato):
    assert eu_nato.translations == {"fr": {"name": FRENCH}}
    with translation.override("fr"):
        assert eu_nato.local_name == FRENCH
    with translation.override("en"):
        assert eu_nato.local_name == eu_nato.name == "EU–NATO strategic partnership"
    assert str(eu_nato) == eu_nato.name  # records and audit entries keep the own name


def test_reloading_keeps_the_name_and_changes_nothing(eu_nato):
    assert not load_dataset(DEFAULT).changed
    assert Partnership.objects.get(pk=eu_nato.pk).translations == {"fr": {"name": FRENCH}}


def test_a_changed_french_name_is_one_update(eu_nato, dataset):
    dataset.edit("partnership.yaml", lambda d: d["partnership"]["translations"]["fr"].update(name="Partenariat UE–OTAN"))
    summary = load_dataset(dataset)
    assert summary.updated == {"partnerships.partnership": 1}
    with translation.override("fr"):
        assert Partnership.objects.get(pk=eu_nato.pk).local_name == "Partenariat UE–OTAN"


@pytest.mark.parametrize(("translations", "field"), [
    ({"fr": {"nom": FRENCH}}, "translations.fr"),
    ({"fr": {"name": ""}}, "name"),
    ({"FR": {"name": FRENCH}}, "FR"),
])
def test_a_bad_name_is_refused_and_changes_nothing(eu_nato, dataset, translations, field):
    dataset.edit("partnership.yaml", lambda d: d["partnership"].update(translations=translations))
    with pytest.raises(InputError) as caught:
        load_dataset(dataset)
    assert "partnership.yaml" in str(caught.value) and field in str(caught.value)
    assert Partnership.objects.get(pk=eu_nato.pk).translations == {"fr": {"name": FRENCH}}


def test_the_migration_names_a_partnership_loaded_before_it_and_leaves_a_renamed_one(eu_nato):
    migration = importlib.import_module("rapport.partnerships.migrations.0004_partnership_names")
    Partnership.objects.update(translations={})
    migration.add_french(apps, None)
    assert Partnership.objects.get(pk=eu_nato.pk).translations == {"fr": {"name": FRENCH}}
    Partnership.objects.update(translations={}, name="EU and NATO")  # renamed by its administrators
    migration.add_french(apps, None)
    assert Partnership.objects.get(pk=eu_nato.pk).translations == {}
    # The migration's name is the dataset's.
    seed = yaml.safe_load((DEFAULT / "partnership.yaml").read_text(encoding="utf-8"))["partnership"]
    assert [(seed["key"], seed["name"], seed["translations"]["fr"]["name"])] == migration.PARTNERSHIPS
