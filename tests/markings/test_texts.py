"""A level's marking texts per language: the banner and portion text the scheme gives in the
active language, the level's own name and abbreviation where it gives none."""

from __future__ import annotations

import pytest
from django.utils import translation

from rapport.markings.models import LEVEL_MARKINGS, ClassificationLevel, marking_language

pytestmark = pytest.mark.django_db


def _level(scheme: str, rank: int) -> ClassificationLevel:
    return ClassificationLevel.objects.prefetch_related(LEVEL_MARKINGS).get(scheme__key=scheme, rank=rank)


@pytest.mark.parametrize(("scheme", "rank", "english", "french"), [
    ("nato", 1, "NATO UNCLASSIFIED", "NATO SANS CLASSIFICATION"),
    ("nato", 2, "NATO RESTRICTED", "NATO DIFFUSION RESTREINTE"),
    ("nato", 3, "NATO CONFIDENTIAL", "NATO CONFIDENTIEL"),
    ("nato", 5, "COSMIC TOP SECRET", "COSMIC TRÈS SECRET"),
    ("eu", 2, "RESTREINT UE/EU RESTRICTED", "RESTREINT UE/EU RESTRICTED"),
    ("eu", 0, "PUBLIC", "PUBLIC"),
])
def test_the_banner_follows_the_active_language(eu_nato, scheme, rank, english, french):
    level = _level(scheme, rank)
    with translation.override("fr"):
        assert level.banner() == french
    with translation.override("fr-be"):
        assert level.banner() == french
    with translation.override("en-gb"):
        assert level.banner() == english
    assert (level.banner("fr"), level.banner("en")) == (french, english)


def test_a_language_the_scheme_does_not_give_falls_back_to_the_name(eu_nato):
    level = _level("nato", 2)
    with translation.override("de"):
        assert (level.banner(), level.portion()) == ("NATO RESTRICTED", "NR")
    assert _level("nato", 0).portion("fr") == "PUBLIC"


def test_the_texts_of_many_levels_are_read_in_one_query(eu_nato, django_assert_num_queries):
    with django_assert_num_queries(2):
        levels = list(ClassificationLevel.objects.prefetch_related(LEVEL_MARKINGS))
        assert len({lv.banner("fr") for lv in levels}) > 5


def test_the_language_code_is_its_base():
    assert [marking_language(c) for c in ("fr", "fr-CA", "en_GB", "EN")] == ["fr", "fr", "en", "en"]
    with translation.override(None):
        assert marking_language() in ("en", "fr")  # the installation's default


def test_the_page_banner_names_the_level_in_the_active_language(eu_nato):
    from rapport.web.marking import PageMarking

    marking = PageMarking()
    marking.note_rank(2, ["EU", "NATO"])
    with translation.override("fr"):
        assert set(marking.level_names()) == {"NATO DIFFUSION RESTREINTE", "RESTREINT UE/EU RESTRICTED"}
    marking = PageMarking()
    marking.note_rank(2, ["EU", "NATO"])
    with translation.override("en"):
        assert set(marking.level_names()) == {"NATO RESTRICTED", "RESTREINT UE/EU RESTRICTED"}
