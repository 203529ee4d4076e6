"""Exchange packages between two organisations' instances, checked from both ends: what a
package to a peer holds (never a draft, never above the link's accreditation, never what is
not releasable to the peer), and what an instance refuses (a package altered, signed by
another key, addressed elsewhere, out of sequence, or holding anything it may not receive)
— refused whole, with nothing written."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.models import Contribution, JointText
from rapport.core.errors import InputError
from rapport.federation import keys, package
from rapport.federation.contents import KIND
from rapport.federation.exporting import _object, export_package
from rapport.federation.importing import Refused, import_package
from rapport.federation.models import Direction, Package, ReceivedCopy, SentObject
from rapport.markings.labels import EPOCH, label_document, partnership_schemes
from rapport.partnerships.models import Organisation
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report

pytestmark = pytest.mark.django_db


def _commitments(n):
    return list(Commitment.objects.order_by("order", "ref")[:n])


def _write(author, commitment, period, text, lv, to, submit=True):
    c = services.create_contribution(actor=author, commitment=commitment, period=period, narrative=text,
                                     classification=lv, releasable_to=list(Organisation.objects.filter(key__in=to)))
    return services.submit_contribution(actor=author, contribution=c) if submit else c


def _objects(data: bytes) -> list[dict]:
    """The records a package holds (not the digest of the register of commitments, which the
    first package carries whatever else goes: tests/federation/test_report_parts.py)."""
    return [o for o in json.loads(data)["package"]["objects"] if o["kind"] != "register"]


# Export ------------------------------------------------------------------------------------------


def test_a_package_holds_what_the_peer_may_receive_and_only_once(eu_instance, make_user, level, open_period):
    eu = make_user(org="eu", role="drafter", clearance=3)
    c = _commitments(6)
    sent = [_write(eu, c[0], open_period, "Public and shared.", level(0, "eu"), ["eu", "nato"]),
            _write(eu, c[1], open_period, "Restricted, for both.", level(2, "eu"), ["eu", "nato"])]
    kept = [_write(eu, c[2], open_period, "A draft stays home.", level(0, "eu"), ["eu", "nato"], submit=False),
            _write(eu, c[3], open_period, "Restricted, for the EU only.", level(2, "eu"), ["eu"]),
            _write(eu, c[4], open_period, "Confidential: above the link.", level(3, "eu"), ["eu", "nato"])]
    data, made = export_package(eu_instance["peer"])
    assert made.sequence == 1 and made.previous == "" and made.sha256 == package.sha256(data)
    assert sorted(o["id"] for o in _objects(data)) == sorted(x.pk for x in sent)
    for text in ("A draft stays home", "for the EU only", "above the link"):
        assert text.encode() not in data
    assert {x.pk for x in kept}.isdisjoint(o["id"] for o in _objects(data))

    again, second = export_package(eu_instance["peer"])  # nothing changed: nothing goes again
    assert _objects(again) == [] and second.sequence == 2 and second.previous == made.sha256
    approver = make_user(org="eu", role="approver", clearance=3)
    services.approve_contribution(actor=approver, contribution=sent[0])  # its state changed: it goes again
    third, _ = export_package(eu_instance["peer"])
    assert [o["id"] for o in _objects(third)] == [sent[0].pk]


def test_each_object_carries_labels_bound_to_its_content(eu_instance, make_user, level, open_period):
    eu = make_user(org="eu", role="drafter", clearance=3)
    c = _write(eu, _commitments(1)[0], open_period, "Restricted, for both.", level(2, "eu"), ["eu", "nato"])
    obj = _objects(export_package(eu_instance["peer"])[0])[0]
    assert obj["content_sha256"] == package.content_hash(obj["content"])
    assert package.data_reference(KIND, c.pk, obj["content_sha256"]) in obj["label"]
    assert "originatorConfidentialityLabel" in obj["label"] and "RESTREINT UE/EU RESTRICTED" in obj["label"]
    assert "alternativeConfidentialityLabel" in obj["label"] and "NATO RESTRICTED" in obj["label"]


def test_export_needs_an_identity_and_a_peer(eu_nato, instance_key):
    from rapport.federation.exporting import peer_by_key

    with pytest.raises(InputError, match="single shared server"):
        from rapport.federation.identity import require_identity
        require_identity()
    with pytest.raises(InputError, match="not a peer"):
        peer_by_key("nato")


STATES = ["draft", "submitted", "approved", "returned"]


MARKINGS = st.tuples(st.sampled_from([0, 1, 2, 3, 4]), st.sampled_from([("eu",), ("eu", "nato"), ("nato",)]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from([0, 1, 2, 3, 4]), st.sampled_from(STATES),
                               st.sampled_from([("eu",), ("eu", "nato"), ("nato",)])), min_size=1, max_size=8),
       joint=st.lists(MARKINGS, max_size=4), accredited=st.sampled_from([0, 1, 2, 3, 4]),
       parts=st.lists(st.tuples(st.sampled_from(["highlight", "outlook", "council_action"]), MARKINGS,
                                st.booleans(), st.sampled_from(["eu", "nato"])), max_size=4))
def test_no_package_ever_holds_what_the_peer_may_not_receive(eu_instance, make_user, level, open_period,
                                                             rows, joint, accredited, parts):
    """The oracle, written out here: a contribution goes only if it is the EU's, submitted or
    approved, and PUBLIC or (releasable to NATO and at most the accreditation's rank); a joint
    text (both organisations', in any state) only if PUBLIC or (releasable to NATO and at most
    the accreditation's rank); a report part likewise, if written in Rapport (the default data's
    are on both instances) and, for a Council action, only the EU's."""
    peer = eu_instance["peer"]
    peer.accredited_up_to = level(accredited, "nato")
    peer.save()
    SentObject.objects.filter(peer=peer).delete()  # each example starts a fresh link
    Package.objects.filter(peer=peer).delete()
    Contribution.objects.all().delete()
    author = make_user(org="eu", role="drafter", clearance=4)
    allowed = set()
    for commitment, (rank, state, to) in zip(_commitments(len(rows)), rows, strict=False):
        c = Contribution.objects.create(organisation=eu_instance["eu"], commitment=commitment, period=open_period,
                                        narrative=f"row {commitment.pk}", classification=level(rank, "eu"),
                                        state=state, author=author,
                                        approved_at=datetime.datetime.now(datetime.UTC) if state == "approved" else None)
        c.releasable_to.set(Organisation.objects.filter(key__in=to))
        if state in ("submitted", "approved") and (rank == 0 or ("nato" in to and rank <= accredited)):
            allowed.add(c.pk)
    JointText.objects.all().delete()
    allowed_joint = set()
    for commitment, (rank, to) in zip(_commitments(len(joint)), joint, strict=False):
        jt = JointText.objects.create(commitment=commitment, period=open_period, text=f"joint {commitment.pk}",
                                      classification=level(rank, "eu"), author=author)
        jt.releasable_to.set(Organisation.objects.filter(key__in=to))
        if rank == 0 or ("nato" in to and rank <= accredited):
            allowed_joint.add(jt.pk)
    report = Report.objects.filter(period=open_period).first() or Report.objects.create(
        period=open_period, title="The open period's report", classification=level(0, "eu"))
    allowed_parts = set()
    models = {"highlight": Highlight, "outlook": Outlook, "council_action": CouncilAction}
    for model in models.values():
        model.objects.filter(report=report).delete()
    for n, (kind, (rank, to), written, org) in enumerate(parts):
        extra = ({"organisation": Organisation.objects.get(key=org), "action": ["took_note", "presented",
                  "welcomed", "noted_in_conclusions"][n]} if kind == "council_action" else {})
        part = models[kind].objects.create(report=report, text=f"part {n}", classification=level(rank, "eu"),
                                           author=author if written else None, **extra)
        part.releasable_to.set(Organisation.objects.filter(key__in=to))
        if written and (rank == 0 or ("nato" in to and rank <= accredited)) and (kind != "council_action"
                                                                                  or org == "eu"):
            allowed_parts.add((kind, part.pk))
    data, _made = export_package(peer)
    assert {o["id"] for o in _objects(data) if o["kind"] == KIND} == allowed
    assert {o["id"] for o in _objects(data) if o["kind"] == "joint_text"} == allowed_joint
    assert {(o["content"]["part"], o["id"]) for o in _objects(data) if o["kind"] == "report_part"} == allowed_parts
    assert {o["kind"] for o in _objects(data)} <= {KIND, "joint_text", "report_part"}


# Import ------------------------------------------------------------------------------------------


def _nato_package(objects, *, key, sequence=1, previous="", receiver="eu", sender="nato"):
    """A package as NATO's instance writes it (the same builders, signed with NATO's key)."""
    body = {"format": package.FORMAT,
            "header": {"sender": sender, "receiver": receiver, "partnership": "eu-nato", "sequence": sequence,
                       "previous": previous, "created": "2026-11-26T10:00:00Z",
                       "sender_key": keys.fingerprint(key.public_key())},
            "objects": objects}
    return package.dump(body, keys.sign(package.canonical(body), key))


@pytest.fixture
def nato_records(eu_instance, make_user, level, open_period):
    """NATO contributions as NATO's instance holds them: the objects its packages carry, then
    removed from this database (they exist here only once received)."""
    nato = make_user(org="nato", role="drafter", clearance=3)
    c = _commitments(4)
    made = {"shared": _write(nato, c[0], open_period, "NATO text for both.", level(2, "nato"), ["eu", "nato"]),
            "public": _write(nato, c[1], open_period, "NATO public text.", level(0, "nato"), ["eu", "nato"]),
            "confidential": _write(nato, c[2], open_period, "NATO confidential text.", level(3, "nato"), ["eu", "nato"]),
            "own": _write(nato, c[3], open_period, "NATO only.", level(2, "nato"), ["nato"])}
    schemes = partnership_schemes(made["shared"])
    objects = {name: _object(x, schemes) for name, x in made.items()}
    for x in made.values():
        x.delete()
    return objects


def _state():
    return (Contribution.objects.count(), Package.objects.filter(direction=Direction.RECEIVED).count(),
            ReceivedCopy.objects.count(), AuditEvent.objects.count())


def test_a_package_is_applied_whole_and_a_replay_changes_nothing(eu_instance, nato_records, nato_key):
    data = _nato_package([nato_records["shared"], nato_records["public"]], key=nato_key)
    outcome = import_package(data)
    assert (outcome.created, outcome.updated, outcome.replay) == (2, 0, False)
    copy = Contribution.objects.get(narrative="NATO text for both.")
    assert copy.organisation.key == "nato" and copy.state == "submitted"
    assert copy.classification.name == "NATO RESTRICTED"
    assert sorted(copy.releasable_to.values_list("key", flat=True)) == ["eu", "nato"]
    assert ReceivedCopy.objects.get(local_id=copy.pk).source_id == nato_records["shared"]["id"]
    entry = AuditEvent.objects.filter(object_pk=str(copy.pk)).order_by("-seq").first()
    assert package.sha256(data) in entry.message and entry.actor == eu_instance["peer"].actor

    before = _state()
    assert import_package(data).replay is True
    assert _state() == before

    changed = dict(nato_records["shared"])
    changed["content"] = dict(changed["content"], narrative="NATO text, revised.", version=2)
    changed["content_sha256"] = package.content_hash(changed["content"])
    changed["label"] = changed["label"].replace(nato_records["shared"]["content_sha256"], changed["content_sha256"])
    second = _nato_package([changed], key=nato_key, sequence=2, previous=package.sha256(data))
    assert import_package(second).updated == 1
    copy.refresh_from_db()
    assert copy.narrative == "NATO text, revised." and copy.version == 2


def _refused(data, match):
    before = _state()
    with pytest.raises(Refused, match=match):
        import_package(data)
    assert _state() == before


def test_an_altered_byte_anywhere_is_refused(eu_instance, nato_records, nato_key):
    data = _nato_package([nato_records["shared"]], key=nato_key)
    at = data.index(b"NATO text for both.")
    _refused(data[:at] + b"M" + data[at + 1:], "signature does not verify")
    _refused(data.replace(b'"sequence":1', b'"sequence": 1'), "altered")
    _refused(data[:-3] + b"A" + data[-2:], "signature|altered")
    _refused(data[:100], "not an exchange package")


def test_a_package_signed_by_another_key_is_refused(eu_instance, nato_records):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _refused(_nato_package([nato_records["shared"]], key=Ed25519PrivateKey.generate()), "unknown key")


def test_a_package_from_an_unknown_sender_or_to_another_organisation_is_refused(eu_instance, nato_records, nato_key):
    _refused(_nato_package([nato_records["shared"]], key=nato_key, receiver="nato"), "addressed to 'nato'")
    _refused(_nato_package([nato_records["shared"]], key=nato_key, sender="un"), "not a pinned peer")


def test_a_gap_is_refused_naming_the_missing_package(eu_instance, nato_records, nato_key):
    _refused(_nato_package([nato_records["shared"]], key=nato_key, sequence=3), "package 1 has not been received")
    first = _nato_package([nato_records["shared"]], key=nato_key)
    import_package(first)
    _refused(_nato_package([nato_records["public"]], key=nato_key, sequence=2, previous="0" * 64), "previous hash")
    other = _nato_package([nato_records["public"]], key=nato_key, sequence=1)
    _refused(other, "already received with other content")


def test_one_object_the_instance_may_not_receive_refuses_the_whole_package(eu_instance, nato_records, nato_key):
    good = nato_records["public"]
    _refused(_nato_package([good, nato_records["confidential"]], key=nato_key), "above the link's accreditation")
    _refused(_nato_package([good, nato_records["own"]], key=nato_key), "not releasable to EU")
    draft = dict(good, content=dict(good["content"], state="draft"))
    draft["content_sha256"] = package.content_hash(draft["content"])
    draft["label"] = good["label"].replace(good["content_sha256"], draft["content_sha256"])
    _refused(_nato_package([draft], key=nato_key), "only submitted and approved")
    moved = dict(good, content_sha256=nato_records["shared"]["content_sha256"])
    _refused(_nato_package([moved], key=nato_key), "does not match its hash")
    relabelled = dict(nato_records["shared"],
                      label=nato_records["shared"]["label"].replace("NATO RESTRICTED", "NATO UNCLASSIFIED"))
    _refused(_nato_package([relabelled], key=nato_key), "originator label")
    unbound = dict(good, label=nato_records["shared"]["label"])
    _refused(_nato_package([unbound], key=nato_key), "bound to other data")
    eus = dict(good, content=dict(good["content"], organisation="eu"))
    eus["content_sha256"] = package.content_hash(eus["content"])
    eus["label"] = good["label"].replace(good["content_sha256"], eus["content_sha256"])
    _refused(_nato_package([eus], key=nato_key), "sends only its own organisation's records")
    entity = dict(good, label='<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>')
    _refused(_nato_package([entity], key=nato_key), "label is not readable")


def test_received_copies_cannot_be_written_by_anyone_but_the_peer(eu_instance, make_user):
    from rapport.access.policy import can
    from rapport.federation.rules import FederationAction

    commitment = _commitments(1)[0]
    nato = eu_instance["nato"]
    peer_actor = eu_instance["peer"].actor
    assert can(peer_actor, FederationAction.RECEIVE, commitment, organisation_id=nato.pk)
    assert not can(peer_actor, FederationAction.RECEIVE, commitment, organisation_id=eu_instance["eu"].pk)
    for role in ("drafter", "coordinator", "approver", "administrator"):
        staff = make_user(org="nato", role=role, clearance=3)
        assert not can(staff, FederationAction.RECEIVE, commitment, organisation_id=nato.pk), role
    assert not peer_actor.has_usable_password()


def test_a_received_copy_says_so_on_its_page(eu_instance, nato_records, nato_key, make_user, client, level):
    import_package(_nato_package([nato_records["shared"]], key=nato_key))
    copy = Contribution.objects.get(narrative="NATO text for both.")
    client.force_login(make_user(org="eu", role="reader", clearance=3))
    page = client.get(f"/contributions/{copy.pk}/").content.decode()
    assert "NATO text for both." in page
    assert "A read-only copy of NATO's contribution, received from NATO's instance in exchange package 1" in page
    own = make_user(org="eu", role="drafter", clearance=3)
    mine = _write(own, _commitments(2)[1], copy.period, "An EU text of this instance.", level(0, "eu"), ["eu"])
    client.force_login(own)
    assert "read-only copy" not in client.get(f"/contributions/{mine.pk}/").content.decode()


def test_an_organisations_instance_makes_accounts_only_for_its_own_staff(eu_instance):
    from rapport.access.services import create_account

    with pytest.raises(InputError, match="holds only EU's staff"):
        create_account(actor=None, username="fakenato", role="approver", clearance="2", organisation="nato")
    user, _password = create_account(actor=None, username="eu-new", role="drafter", clearance="2", organisation="eu")
    assert user.organisation.key == "eu"


def test_an_instance_with_other_organisations_staff_cannot_become_one_organisations(eu_nato, make_user):
    from rapport.federation.identity import set_identity
    from rapport.federation.models import Identity

    make_user(org="nato", role="approver", clearance=2)
    with pytest.raises(InputError, match="active accounts of other organisations"):
        set_identity(Organisation.objects.get(key="eu"))
    assert not Identity.objects.exists()


def test_a_failed_export_write_sends_nothing(eu_instance, make_user, level, open_period, tmp_path):
    from django.core.management import CommandError, call_command

    eu = make_user(org="eu", role="drafter", clearance=3)
    _write(eu, _commitments(1)[0], open_period, "Public and shared.", level(0, "eu"), ["eu", "nato"])
    with pytest.raises(CommandError, match="cannot write"):
        call_command("exchange", "export", "--to", "nato", "--output", str(tmp_path / "missing" / "p.json"))
    assert not Package.objects.exists() and not SentObject.objects.exists()
    call_command("exchange", "export", "--to", "nato", "--output", str(tmp_path / "p.json"))
    assert [o["content"]["narrative"] for o in _objects((tmp_path / "p.json").read_bytes())] == ["Public and shared."]
    assert Package.objects.get().sequence == 1


def test_malformed_but_signed_packages_are_refused_not_crashed(eu_instance, nato_records, nato_key):
    shared, public = nato_records["shared"], nato_records["public"]
    _refused(_nato_package([shared, dict(public, id=shared["id"])], key=nato_key), "twice")
    _refused(_nato_package([dict(shared, id=-5)], key=nato_key), "out of range")
    _refused(_nato_package([dict(shared, id=2**70)], key=nato_key), "out of range")
    same_place = dict(public, id=shared["id"] + 1000,
                      content=dict(public["content"], commitment=shared["content"]["commitment"]))
    same_place["content_sha256"] = package.content_hash(same_place["content"])
    same_place["label"] = public["label"].replace(
        package.data_reference(KIND, public["id"], public["content_sha256"]),
        package.data_reference(KIND, same_place["id"], same_place["content_sha256"]))
    _refused(_nato_package([shared, same_place], key=nato_key), "same commitment and period")
    noisy = dict(public, content=dict(public["content"], narrative="bell \x07 here"))
    noisy["content_sha256"] = package.content_hash(noisy["content"])
    noisy["label"] = public["label"].replace(public["content_sha256"], noisy["content_sha256"])
    _refused(_nato_package([noisy], key=nato_key), "narrative")
    restrictive = dict(shared, label=shared["label"].replace('Type="PERMISSIVE"', 'Type="RESTRICTIVE"'))
    _refused(_nato_package([restrictive], key=nato_key), "Releasable To")
    other = dict(shared)
    body = _nato_package([other], key=nato_key).replace(b'"partnership":"eu-nato","previous"', b'"partnership":"other","previous"')
    assert b'"partnership":"other"' in body
    _refused(body, "signature")
    _refused(b"[" * 100000 + b"]" * 100000, "not an exchange package")


def test_contributions_on_commitments_the_peer_may_not_read_stay_home(eu_instance, make_user, level, open_period):
    """A contribution names its commitment: one on a commitment above the link, or not releasable
    to the peer, would tell the peer the commitment exists."""
    eu = make_user(org="eu", role="drafter", clearance=4)
    hidden, shown = _commitments(2)
    hidden.classification = level(3, "eu")
    hidden.save()
    hidden.releasable_to.set(Organisation.objects.all())
    _write(eu, hidden, open_period, "On a confidential commitment.", level(0, "eu"), ["eu", "nato"])
    kept = _write(eu, shown, open_period, "On a public commitment.", level(0, "eu"), ["eu", "nato"])
    assert [o["id"] for o in _objects(export_package(eu_instance["peer"])[0])] == [kept.pk]


def test_a_package_about_a_commitment_the_peer_may_not_read_here_is_refused(eu_instance, nato_records, nato_key,
                                                                           level):
    commitment = Commitment.objects.get(ref=nato_records["public"]["content"]["commitment"])
    commitment.classification = level(3, "eu")
    commitment.save()
    commitment.releasable_to.set(Organisation.objects.all())
    _refused(_nato_package([nato_records["public"]], key=nato_key), "may not write on here")


# Withdrawing a copy -------------------------------------------------------------------------------------


def test_a_contribution_returned_after_it_was_sent_is_withdrawn_and_its_copy_emptied(
        eu_instance, make_user, level, open_period, nato_records, nato_key):
    people = {"writer": make_user(org="eu", role="drafter", clearance=3),
              "signer": make_user(org="eu", role="approver", clearance=3)}

    # Sending side: a record the peer may no longer receive goes as a withdrawal naming it only.
    c = services.create_contribution(actor=people["writer"], commitment=_commitments(6)[5],
                                     period=open_period, narrative="Sent, then returned.",
                                     classification=level(2, "eu"),
                                     releasable_to=list(Organisation.objects.filter(key__in=["eu", "nato"])))
    c = services.submit_contribution(actor=people["writer"], contribution=c)
    export_package(eu_instance["peer"])
    services.return_contribution(actor=people["signer"], contribution=c, message="Needs another look.")
    data, _made = export_package(eu_instance["peer"])
    (obj,) = [o for o in package.load(data)[0]["objects"] if o["kind"] == "withdrawal"]
    assert obj["content"] == {"record": "contribution", "id": c.pk} and b"Sent, then returned" not in data
    again, _made = export_package(eu_instance["peer"])
    assert package.load(again)[0]["objects"] == []  # withdrawn once

    # Receiving side: NATO withdraws a copy it sent; its text leaves this instance.
    first = _nato_package([nato_records["shared"]], key=nato_key)
    import_package(first)
    copy = ReceivedCopy.objects.get(source_id=nato_records["shared"]["id"])
    eu_reader = people["signer"]
    withdrawn_before = Contribution.objects.get(pk=copy.local_id)
    assert Contribution.objects.visible_to(eu_reader).filter(pk=copy.local_id).exists()
    content = {"record": "contribution", "id": nato_records["shared"]["id"]}
    digest = package.content_hash(content)
    label = label_document(level=level(0, "nato"), releasable_to=[], schemes=partnership_schemes(withdrawn_before),
                           created=EPOCH, reference=package.data_reference("withdrawal", content["id"], digest))
    import_package(_nato_package([{"kind": "withdrawal", "id": content["id"], "content": content,
                                   "content_sha256": digest, "label": label.decode()}],
                                 key=nato_key, sequence=2, previous=package.sha256(first)))
    withdrawn = Contribution.objects.get(pk=copy.local_id)
    assert (withdrawn.narrative, withdrawn.state, withdrawn.revisions.count()) == ("", "draft", 0)
    assert not Contribution.objects.visible_to(eu_reader).filter(pk=copy.local_id).exists()


def test_a_refusal_is_in_the_operators_language(eu_instance):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(Refused) as refused:
        import_package(b'{"package": {}, "signature": "x"}')
    assert str(refused.value).startswith("Paquet refusé\u00a0: ce n’est pas un paquet d’échange au format")
