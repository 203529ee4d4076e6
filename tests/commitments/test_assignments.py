"""Each organisation names its lead unit and responsible staff on a commitment; the names
stay with it; "My commitments" lists what a user is responsible for."""

from __future__ import annotations

import pytest

from rapport.audit.models import AuditEvent
from rapport.commitments import services
from rapport.commitments.models import Commitment, LeadUnit, Responsibility
from rapport.core.errors import InputError, Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(eu_nato):
    return list(Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("pk")[:2])


def test_a_coordinator_names_their_own_organisations_unit_and_staff(make_user, two):
    coordinator = make_user(org="eu", role="coordinator")
    alice, bob = make_user(org="eu", role="drafter", username="alice"), make_user(org="eu", role="drafter", username="bob")
    services.assign(actor=coordinator, commitment=two[0], unit="EEAS Hybrid Fusion Cell", staff=[alice, bob])
    assert LeadUnit.objects.get(commitment=two[0], organisation__key="eu").unit == "EEAS Hybrid Fusion Cell"
    assert set(Responsibility.objects.filter(commitment=two[0]).values_list("user__username", flat=True)) == {"alice", "bob"}
    services.assign(actor=coordinator, commitment=two[0], unit="", staff=[alice])
    assert not LeadUnit.objects.filter(commitment=two[0], organisation__key="eu").exists()  # "not named" again
    assert list(Responsibility.objects.filter(commitment=two[0]).values_list("user__username", flat=True)) == ["alice"]
    entries = AuditEvent.objects.for_object(two[0]).filter(verb="commitment.assigned")
    assert entries.count() == 2
    nato = make_user(org="nato", role="coordinator", clearance=3)
    assert not entries.visible_to(nato).exists()  # the names stay with the organisation
    assert entries.visible_to(make_user(org="eu", role="reader")).count() == 2


def test_wrong_assignments_are_refused_and_change_nothing(make_user, two, level):
    from rapport.partnerships.models import Organisation
    from tests.synthetic import mark

    coordinator = make_user(org="eu", role="coordinator", clearance=3)
    other_org = make_user(org="nato", role="drafter")
    low = make_user(org="eu", role="drafter", clearance=0)
    mark(two[1], level(2, scheme="eu"), list(Organisation.objects.all()))
    units = list(LeadUnit.objects.filter(commitment=two[1]).values_list("organisation_id", "unit"))
    for staff, match in (([other_org], "not active staff"), ([low], "may not read")):
        with pytest.raises(InputError, match=match) as caught:
            services.assign(actor=coordinator, commitment=two[1], unit="Unit", staff=staff)
        assert caught.value.field == "staff"
    with pytest.raises(Refused):
        services.assign(actor=make_user(org="eu", role="drafter"), commitment=two[1], unit="Unit", staff=[])
    assert list(LeadUnit.objects.filter(commitment=two[1]).values_list("organisation_id", "unit")) == units
    assert not Responsibility.objects.filter(commitment=two[1]).exists()


def test_my_commitments_and_the_names_on_the_page(client, make_user, two):
    coordinator = make_user(org="eu", role="coordinator")
    alice = make_user(org="eu", role="drafter", username="alice-eu")
    client.force_login(coordinator)
    client.post(f"/commitments/{two[1].pk}/assign/", {"unit": "Unit A", "staff": "alice-eu"})
    assert Responsibility.objects.filter(commitment=two[1], user=alice).exists()
    refused = client.post(f"/commitments/{two[0].pk}/assign/", {"unit": "", "staff": "nobody-here"}, follow=True)
    assert "no active staff" in refused.content.decode()
    client.force_login(alice)
    mine = client.get("/commitments/?mine=on").content.decode()
    assert two[1].ref in mine and two[0].ref not in mine
    client.force_login(make_user(org="nato", role="drafter"))
    assert two[1].ref not in client.get("/commitments/?mine=on").content.decode()
    page = client.get(f"/commitments/{two[1].pk}/").content.decode()
    assert "alice-eu" not in page and "Unit A" in page  # lead units are shared; staff names are not
