"""A record is found through its translation as through its original, on both databases:
the index holds both, and follows a translation that changes or goes."""

from __future__ import annotations

import pytest

from rapport.contributions import services
from rapport.search.service import search

pytestmark = pytest.mark.django_db

ENGLISH = "Staff trained together on the protection of command networks."
FRENCH = "Les états-majors se sont formés ensemble à la cyberdéfense des réseaux de commandement."


@pytest.fixture
def drafter(make_user):
    return make_user(org="eu", role="drafter", clearance=3)


@pytest.fixture
def contribution(eu_nato, drafter, level):
    from rapport.commitments.models import Commitment
    from rapport.periods.models import ReportingPeriod

    period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()
    return services.create_contribution(actor=drafter, commitment=commitment, period=period, narrative=ENGLISH,
                                        classification=level(0, scheme="eu"),
                                        releasable_to=list(eu_nato.organisations.all()),
                                        translations={"fr": {"narrative": FRENCH}})


def found(user, query) -> set[int]:
    return {h.obj.pk for h in search(user, query, kinds=["contribution"])}


def test_a_french_query_finds_a_contribution_through_its_french_translation(contribution, drafter, make_user):
    for query in ("cyberdéfense réseaux", "cyber defense", "état-major formé"):
        assert contribution.pk in found(drafter, query), query
    assert contribution.pk in found(drafter, "command networks")  # and through its original
    # A draft stays home: the other organisation's staff find nothing, in either language.
    other = make_user(org="nato", role="drafter", clearance=3)
    assert contribution.pk not in found(other, "cyberdéfense") | found(other, "command networks")


def test_the_index_follows_the_translation(contribution, drafter):
    c = services.edit_contribution(actor=drafter, contribution=contribution, base_version=1, narrative=ENGLISH,
                                   classification=contribution.classification,
                                   releasable_to=list(contribution.releasable_to.all()),
                                   translations={"fr": {"narrative": "Renforcement des capacités logistiques."}})
    assert contribution.pk not in found(drafter, "cyberdéfense")
    assert contribution.pk in found(drafter, "capacités logistiques")
    services.edit_contribution(actor=drafter, contribution=c, base_version=2, narrative=ENGLISH,
                               classification=c.classification, releasable_to=list(c.releasable_to.all()),
                               translations={})
    assert contribution.pk not in found(drafter, "logistiques")
    assert contribution.pk in found(drafter, "command networks")


def test_a_meeting_is_found_through_its_french_title_and_summary(eu_nato, drafter):
    from rapport.evidence.models import Meeting

    meeting = Meeting.objects.filter(partnership=eu_nato, classification__rank=0).order_by("date").first()
    assert meeting.pk not in {h.obj.pk for h in search(drafter, "quinquagénaire", kinds=["meeting"])}
    Meeting.objects.filter(pk=meeting.pk).update(translations={"fr": {"title": "Réunion quinquagénaire",
                                                                      "summary": "Échanges sur la cyberdéfense."}})
    for query in ("quinquagénaire", "cyberdéfense"):
        assert meeting.pk in {h.obj.pk for h in search(drafter, query, kinds=["meeting"])}, query
