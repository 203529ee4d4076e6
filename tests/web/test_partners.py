"""The Partners page of an organisation's instance, on the real stack: an instance identity, a
peer pinned through the federation's services, packages exported and imported for real.

Who sees it is the policy's rule (``federation.view_partners``): the staff of this instance's
organisation who run the cycle; anyone else gets the 404 of a missing page. What waits to go
is listed only where the reader may read it."""

from __future__ import annotations

import pytest

from rapport.federation import keys
from rapport.federation.exporting import export_package, pending
from rapport.federation.models import Package

from .federation_setup import eu_instance, receive_from_nato

pytestmark = pytest.mark.django_db


@pytest.fixture
def instance(eu_nato, settings, tmp_path):
    return eu_instance(settings, tmp_path)


def _records(instance):
    """What the next package would hold, but the digest of the register of commitments (the first
    package carries it whatever else goes)."""
    return [(r, obj) for r, obj in pending(instance["peer"], instance["eu"]) if obj["kind"] != "register"]


def _get(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode()


# Who sees it ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "approver", "administrator"])
def test_the_staff_who_run_the_cycle_see_it(instance, make_user, signed_in, role):
    client = signed_in(make_user(org="eu", role=role, clearance=2))
    status, body = _get(client, "/partners/")
    assert status == 200
    assert 'href="/partners/"' in body  # in the navigation
    assert _get(client, "/partners/nato/")[0] == 200


@pytest.mark.parametrize("role", ["drafter", "reader"])
def test_anyone_else_gets_the_404_of_a_missing_page(instance, make_user, signed_in, client, role):
    user = make_user(org="eu", role=role, clearance=3)
    denied = signed_in(user)
    status, body = _get(denied, "/partners/")
    assert status == 404 and instance["peer"].fingerprint not in body
    assert _get(denied, "/partners/nato/") == _get(denied, "/partners/no-such-peer/")
    assert _get(denied, "/partners/nato/")[0] == 404
    assert 'href="/partners/"' not in _get(denied, "/dashboard/")[1]  # not in the navigation either


def test_another_organisations_staff_and_the_peers_account_see_nothing(instance, make_user, client):
    from rapport.access.models import User

    nato = make_user(org="nato", role="coordinator", clearance=3)
    for account in (nato, User.objects.get(pk=instance["peer"].actor_id)):
        client.force_login(account)
        assert client.get("/partners/").status_code == 404
        assert client.get("/partners/nato/").status_code == 404
    client.logout()
    assert client.get("/partners/").status_code == 302  # signed out: to the sign-in page


def test_a_coordinator_sees_a_missing_peer_as_missing(instance, make_user, signed_in):
    client = signed_in(make_user(org="eu", role="coordinator", clearance=2))
    assert client.get("/partners/eu/").status_code == 404  # the instance is not its own peer
    assert client.get("/partners/un/").status_code == 404


# What it shows ---------------------------------------------------------------------------------------


def test_the_instance_its_peers_and_the_packages_each_way(instance, make_user, signed_in, write, commitments):
    eu = make_user(org="eu", role="drafter", clearance=3)
    nato = make_user(org="nato", role="drafter", clearance=3)
    client = signed_in(make_user(org="eu", role="coordinator", clearance=2))

    status, body = _get(client, "/partners/")
    assert status == 200
    assert keys.fingerprint(keys.own_public_key()) in body and instance["peer"].fingerprint in body
    assert "NATO RESTRICTED" in body and "none yet" in body
    assert "not compared yet" in body  # no package from NATO has said what its register is
    for agrees, said in ((True, "the same as here"), (False, "differs: load the partnership")):
        type(instance["peer"]).objects.filter(pk=instance["peer"].pk).update(register_agrees=agrees)
        assert said in _get(client, "/partners/")[1]
    type(instance["peer"]).objects.filter(pk=instance["peer"].pk).update(register_agrees=None)

    shared = write(eu, commitments[0], "EU text for both.", marking="RESTREINT UE/EU RESTRICTED",
                   to=["eu", "nato"], submit=True)
    write(eu, commitments[1], "EU draft, stays home.", to=["eu", "nato"])
    assert [c.pk for c, _o in _records(instance)] == [shared.pk]
    body = _get(client, "/partners/")[1]
    assert "1 record" in body
    detail = _get(client, "/partners/nato/")[1]
    assert f'href="/contributions/{shared.pk}/"' in detail and "EU draft" not in detail

    _data, sent = export_package(instance["peer"])
    copy = write(nato, commitments[2], "NATO text for both.", marking="NATO RESTRICTED", to=["eu", "nato"],
                 submit=True)
    outcome = receive_from_nato(instance, [copy])
    assert outcome.created == 1
    received = Package.objects.get(peer=instance["peer"], direction="received")

    body = _get(client, "/partners/")[1]
    assert "0 records" in body and "no. 1" in body
    detail = _get(client, "/partners/nato/")[1]
    assert "Nothing you may read is waiting." in detail
    for made in (sent, received):
        assert made.sha256 in detail and f"{made.sha256[:12]}…" in detail
    assert ">sent<" in detail and ">imported<" in detail
    assert "RESTRICTED" in detail.split('id="marking-banner-top"')[1].split("</div>")[0]  # the counts' marking


def test_package_lists_are_paged(instance, make_user, signed_in):
    client = signed_in(make_user(org="eu", role="coordinator", clearance=2))
    made = [export_package(instance["peer"])[1] for _ in range(23)]  # nothing new still makes a package
    first = _get(client, "/partners/nato/")[1]
    assert made[-1].sha256 in first and made[2].sha256 not in first and "Page 1 of 2" in first
    second = _get(client, "/partners/nato/?sent=2")[1]
    assert made[2].sha256 in second and made[-1].sha256 not in second
    assert _get(client, "/partners/nato/?sent=zzz")[0] == 200  # a bad page number is the first page


def test_only_readable_waiting_records_are_listed_and_counted(instance, make_user, signed_in, write, commitments):
    """A coordinator cleared below the link reads neither the restricted records waiting to go
    nor how many go: they are neither listed nor counted, and the pager does not count them."""
    eu = make_user(org="eu", role="drafter", clearance=3)
    hidden = [write(eu, c, f"Restricted record {i} for both.", marking="RESTREINT UE/EU RESTRICTED",
                    to=["eu", "nato"], submit=True) for i, c in enumerate(commitments[:21])]
    public = write(eu, commitments[21], "A public record for both.", to=["eu", "nato"], submit=True)
    assert len(_records(instance)) == 22

    low = signed_in(make_user(org="eu", role="coordinator", clearance=1))
    detail = _get(low, "/partners/nato/")[1]
    assert f'href="/contributions/{public.pk}/"' in detail
    assert not any(f"/contributions/{c.pk}/" in detail for c in hidden)
    assert "Page 1 of" not in detail
    overview = _get(low, "/partners/")[1]
    assert "22 records" not in overview and "21 records" not in overview and "1 record" not in overview

    high = signed_in(make_user(org="eu", role="coordinator", clearance=2))
    assert "22 records" in _get(high, "/partners/")[1]
    detail = _get(high, "/partners/nato/")[1]
    assert "Page 1 of 2" in detail and f"/contributions/{hidden[0].pk}/" in detail


def test_user_text_is_inert(instance, make_user, signed_in, write, commitments):
    eu = make_user(org="eu", role="drafter", clearance=3)
    write(eu, commitments[0], "x", to=["eu", "nato"], submit=True)
    commitments[0].title = '<script>alert("t")</script>'
    commitments[0].save()
    detail = _get(signed_in(make_user(org="eu", role="coordinator", clearance=2)), "/partners/nato/")[1]
    assert '<script>alert("t")' not in detail and "&lt;script&gt;" in detail


# A shared server ------------------------------------------------------------------------------------


def test_a_shared_server_says_it_has_no_peers_and_how_to_set_up_federation(eu_nato, make_user, signed_in, client):
    coordinator = signed_in(make_user(org="nato", role="coordinator", clearance=2))
    status, body = _get(coordinator, "/partners/")
    assert status == 200 and "shared server" in body and "rapport init --organisation" in body
    assert "rapport peer add" in body
    assert _get(coordinator, "/partners/nato/")[0] == 404
    assert _get(coordinator, "/partners/eu/")[0] == 404
    reader = make_user(org="nato", role="reader", clearance=3)
    client.force_login(reader)
    assert client.get("/partners/").status_code == 404
    assert 'href="/partners/"' not in client.get("/dashboard/").content.decode()


def test_the_rule_against_its_plain_statement_for_every_kind_of_account(instance, make_user):
    """Every role of each organisation at each clearance, a delegation, an inactive account and the
    peer's instance account, asked of this instance's organisation and of the peer's."""
    from rapport.access.models import User
    from rapport.access.policy import can
    from rapport.access.roles import Role
    from rapport.federation.rules import PartnersAction

    accounts = [(make_user(org=org, role=role, clearance=rank), org, role, True)
                for org in ("eu", "nato") for role in Role.values for rank in range(4)]
    inactive = make_user(org="eu", role="coordinator", clearance=3)
    inactive.is_active = False
    inactive.save()
    accounts += [(inactive, "eu", "coordinator", False),
                 (make_user(org=None, delegation="FI", clearance=3), None, "reader", True),
                 (User.objects.get(pk=instance["peer"].actor_id), "nato", "reader", True)]
    for user, org, role, active in accounts:
        for subject in (instance["eu"], instance["nato"]):
            expected = (active and org == "eu" and subject.key == "eu"
                        and role in ("coordinator", "approver", "administrator"))
            assert bool(can(user, PartnersAction.VIEW, subject)) == expected, (user.username, subject.key)


# Received copies, marked as such where contributions are listed --------------------------------------


def test_a_received_copy_is_marked_in_the_lists_and_the_api(instance, make_user, signed_in, write, commitments):
    eu = make_user(org="eu", role="drafter", clearance=3)
    nato = make_user(org="nato", role="drafter", clearance=3)
    own = write(eu, commitments[0], "EU progress on staff talks.", to=["eu", "nato"], submit=True)
    receive_from_nato(instance, [write(nato, commitments[0], "NATO progress on staff talks.",
                                       marking="NATO RESTRICTED", to=["eu", "nato"], submit=True)])
    receive_from_nato(instance, [write(nato, commitments[1], "NATO progress elsewhere.",
                                       marking="NATO RESTRICTED", to=["eu", "nato"], submit=True)])
    from rapport.contributions.models import Contribution
    from rapport.federation.models import ReceivedCopy

    copies = {r.local_id: r for r in ReceivedCopy.objects.select_related("package")}
    first = Contribution.objects.get(narrative="NATO progress on staff talks.")
    assert copies[first.pk].package.sequence == 1
    client = signed_in(make_user(org="eu", role="reader", clearance=2))

    detail = _get(client, f"/commitments/{commitments[0].pk}/")[1]
    assert detail.count("copy from NATO") == 1  # the NATO copy, not the EU's own text
    assert "received from NATO's instance in exchange package 1" in detail
    listing = _get(client, "/commitments/")[1]
    assert listing.count("copy from NATO") == 2 and "exchange package 2" in listing
    found = _get(client, "/search/?q=progress+staff+talks")[1]
    assert "NATO progress on staff talks" in found or "copy from NATO" in found
    assert found.count("copy from NATO") == 1

    api = client.get(f"/api/v1/contributions/{first.pk}").json()
    assert api["received_from"] == {"organisation": "nato", "package": 1}
    assert client.get(f"/api/v1/contributions/{own.pk}").json()["received_from"] is None
    items = {c["id"]: c["received_from"] for c in client.get("/api/v1/contributions").json()["items"]}
    assert items[own.pk] is None and items[first.pk] == {"organisation": "nato", "package": 1}
    assert sum(1 for v in items.values() if v) == 2

    shy = signed_in(make_user(org="eu", role="reader", clearance=1))  # reads neither copy
    assert "copy from NATO" not in _get(shy, f"/commitments/{commitments[0].pk}/")[1]
    assert shy.get(f"/api/v1/contributions/{first.pk}").status_code == 404


def test_a_withdrawal_waiting_to_go_does_not_break_the_page(instance, make_user, signed_in, write, commitments):
    from rapport.contributions import services

    eu = make_user(org="eu", role="drafter", clearance=3)
    sent = write(eu, commitments[0], "Sent, then returned.", to=["eu", "nato"], submit=True)
    export_package(instance["peer"])
    services.return_contribution(actor=make_user(org="eu", role="approver", clearance=3), contribution=sent,
                                 message="Another look.")
    assert [obj["kind"] for _record, obj in _records(instance)] == ["withdrawal"]
    status, body = _get(signed_in(make_user(org="eu", role="coordinator", clearance=3)), "/partners/nato/")
    assert status == 200 and f"/contributions/{sent.pk}/" not in body
