"""The report's parts between two instances, checked on the EU's: a part NATO's instance wrote
arrives under its name and its signed approval counts; a version made from ours replaces it,
both changing it is a conflict; a deletion travels; NATO never writes or removes the EU's
Council action, nor sends a part above the link's accreditation or with a forged approval."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rapport.audit.models import AuditEvent
from rapport.core.clock import today
from rapport.core.errors import Refused as NotAllowed
from rapport.federation import package, report_parts
from rapport.federation.exporting import export_package
from rapport.federation.importing import Refused
from rapport.federation.models import PartConflict, SharedPart
from rapport.partnerships.models import Organisation
from rapport.periods.models import ReportingPeriod
from rapport.reports import parts, workflow
from rapport.reports.assemble import assemble
from rapport.reports.editions import resolve_edition
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report, ReportApproval
from rapport.reports.start import start_report

from .test_shared import Nato

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {"signer": make_user(org="eu", role="approver", clearance=3),
            "coordinator": make_user(org="eu", role="coordinator", clearance=3)}


@pytest.fixture
def report(eu_instance, people):
    period = ReportingPeriod.objects.get(ordinal=11)
    found = Report.objects.filter(period=period, state="draft").first()
    return found or start_report(actor=people["coordinator"], period=period)


@pytest.fixture
def nato(eu_instance, nato_key):
    return Nato(nato_key)


def _both():
    return list(Organisation.objects.filter(key__in=["eu", "nato"]).order_by("key"))


def _level(rank, org="nato"):
    return Organisation.objects.get(key=org).scheme.levels.get(rank=rank)


def _part(nato, report, kind, text, *, origin="nato", origin_id=900, history=(), order=1, rank=0, approved=False,
          organisation=None, action=None, date=None, commitments=(), digest=None, key=None, to=("eu", "nato")):
    """A part as NATO's instance sends it (the digest and history made as report_parts makes them)."""
    level = _level(rank)
    releasable = [o for o in _both() if o.key in to] if rank else []
    marking = report_parts._marking(level, releasable)
    version = report_parts._version(kind, text, "en", {}, marking, None, sorted(commitments), organisation, action,
                                    date)
    own = package.content_hash(version)
    subject = report_parts.subject_of("eu-nato", report.period.ordinal, kind, (origin, origin_id))
    content = {"partnership": "eu-nato", "period": report.period.ordinal, "part": kind, "origin": origin,
               "origin_id": origin_id, "order": order, "text": text, "language": "en", "translations": {},
               **marking, "area": None, "commitments": sorted(commitments), "organisation": organisation,
               "action": action, "date": date, "digest": own, "history": [*history, own], "author": "NATO Coordinator",
               "approvals": [nato.approval(subject, digest or own, key=key)] if approved else []}
    return nato._object(report_parts.KIND, origin_id, content, level, releasable)


def _sent(peer, kind=report_parts.KIND):
    return [o for o in package.load(export_package(peer)[0])[0]["objects"] if o["kind"] == kind]


def _state():
    return (Highlight.objects.count(), Outlook.objects.count(), CouncilAction.objects.count(),
            SharedPart.objects.count(), AuditEvent.objects.count())


def test_a_part_written_on_natos_instance_arrives_under_its_name_and_its_signed_approval_counts(
        eu_instance, nato, people, report):
    outcome = nato.send(_part(nato, report, "highlight", "NATO's highlight.", approved=True))
    assert outcome.created == 1
    h = Highlight.objects.get(report=report, text="NATO's highlight.")
    assert (h.state, [a.organisation.key for a in h.approvals.all()]) == ("in_approval", ["nato"])
    assert report_parts.name_of(h) == ("nato", 900)
    # The EU's approver approves here; the part is approved, and the EU's approval goes back signed.
    h = parts.approve_part(actor=people["signer"], part=h)
    assert h.state == "approved"
    (sent,) = _sent(eu_instance["peer"])
    assert (sent["content"]["origin"], sent["content"]["origin_id"]) == ("nato", 900)
    (item,) = sent["content"]["approvals"]
    assert (item["body"]["organisation"], item["body"]["digest"]) == ("eu", report_parts.digest_of(h))
    # The report names it as NATO's instance does, so both name the same statement alike.
    edition = resolve_edition(report.period.partnership, "public", report.period)
    sources = assemble(report.period, edition).canonical_json()
    assert '"highlight:nato:900"' in sources


def test_our_parts_travel_with_our_name_but_not_those_above_the_link_or_of_the_default_data(
        eu_instance, people, report):
    both = _both()
    ours = parts.create_highlight(actor=people["coordinator"], report=report, text="Ours, for both.",
                                  classification=_level(0, "eu"), releasable_to=both)
    parts.create_outlook(actor=people["coordinator"], report=report, text="Ours, marked higher than the link.",
                         classification=_level(3, "eu"), releasable_to=both)
    Outlook.objects.create(report=report, text="As the default data has it.", classification=_level(0, "eu"))
    sent = _sent(eu_instance["peer"])
    assert [(o["content"]["part"], o["content"]["origin"], o["content"]["origin_id"], o["content"]["text"])
            for o in sent] == [("highlight", "eu", ours.pk, "Ours, for both.")]
    assert _sent(eu_instance["peer"]) == []  # nothing new since


def test_a_version_made_from_ours_replaces_it_and_both_changing_it_is_a_conflict(eu_instance, nato, people, report):
    both = _both()
    ours = parts.create_outlook(actor=people["coordinator"], report=report, text="Our outlook.",
                                classification=_level(0, "eu"), releasable_to=both)
    first = report_parts.digest_of(ours)
    (sent,) = _sent(eu_instance["peer"])
    outcome = nato.send(_part(nato, report, "outlook", "NATO's outlook.", origin="eu", origin_id=ours.pk,
                              history=[first]))
    ours.refresh_from_db()
    assert (outcome.updated, ours.text, ours.version) == (1, "NATO's outlook.", 2)
    # Both change it between two exchanges: NATO's version waits beside ours, and blocks approval.
    ours = parts.edit_part(actor=people["coordinator"], part=ours, base_version=ours.version, text="Ours again.",
                           classification=_level(0, "eu"), releasable_to=both)
    theirs = package.content_hash(report_parts._version("outlook", "NATO's outlook.", "en", {},
                                                        report_parts._marking(_level(0), []), None, [], None, None,
                                                        None))
    outcome = nato.send(_part(nato, report, "outlook", "NATO's second outlook.", origin="eu", origin_id=ours.pk,
                              history=[first, theirs]))
    ours.refresh_from_db()
    assert (outcome.part_conflicts, ours.text) == (1, "Ours again.")
    with pytest.raises(NotAllowed, match="resolve the conflict first"):
        parts.approve_part(actor=people["signer"], part=ours)
    conflict = PartConflict.objects.get(part_id=ours.pk, resolved_at__isnull=True)
    ours = report_parts.resolve_conflict(actor=people["coordinator"], conflict=conflict, keep="theirs")
    assert ours.text == "NATO's second outlook."
    # What goes back names NATO's version in its history: NATO takes it without a new conflict.
    (sent,) = _sent(eu_instance["peer"])
    assert conflict.their_sha256 in sent["content"]["history"]
    assert parts.approve_part(actor=people["signer"], part=ours).state == "in_approval"


def test_a_part_deleted_on_one_instance_is_removed_on_the_other(eu_instance, nato, people, report):
    nato.send(_part(nato, report, "highlight", "NATO's highlight, approved by both.", approved=True))
    h = parts.approve_part(actor=people["signer"], part=Highlight.objects.get(report=report))
    assert h.state == "approved"
    nato.send(nato.statements_object(report_parts.REMOVED, 900, {"partnership": "eu-nato", "part": "highlight",
                                                                   "origin": "nato", "origin_id": 900}))
    assert not Highlight.objects.filter(report=report).exists()
    assert AuditEvent.objects.filter(verb=report_parts.REMOVED_VERB).exists()
    # And ours, deleted here, goes to NATO as a removal by its name.
    ours = parts.create_outlook(actor=people["coordinator"], report=report, text="Soon gone.",
                                classification=_level(0, "eu"), releasable_to=_both())
    _sent(eu_instance["peer"])
    parts.delete_part(actor=people["coordinator"], part=ours)
    (removal,) = _sent(eu_instance["peer"], report_parts.REMOVED)
    assert removal["content"] == {"partnership": "eu-nato", "part": "outlook", "origin": "eu", "origin_id": ours.pk}


def test_nato_never_writes_or_removes_the_eus_council_action(eu_instance, nato, people, report):
    before = _state()
    with pytest.raises(Refused, match="own Council"):
        nato.send(_part(nato, report, "council_action", "", organisation="eu", action="took_note",
                        date="2026-11-20"))
    assert _state() == before
    nato.sequence -= 1
    ours = parts.create_council_action(actor=people["coordinator"], report=report, action="took_note",
                                       date=today(), classification=_level(0, "eu"),
                                       releasable_to=_both())
    (sent,) = _sent(eu_instance["peer"])  # NATO holds it now, and knows its version
    before = _state()
    with pytest.raises(Refused, match="own Council"):
        nato.send(nato.statements_object(report_parts.REMOVED, ours.pk, {
            "partnership": "eu-nato", "part": "council_action", "origin": "eu", "origin_id": ours.pk}))
    assert _state() == before and CouncilAction.objects.filter(pk=ours.pk).exists()
    # Nor rewrites it as its own, from the version it holds.
    nato.sequence -= 1
    with pytest.raises(Refused, match="own Council"):
        nato.send(_part(nato, report, "council_action", "Rewritten by NATO.", origin="eu", origin_id=ours.pk,
                        organisation="nato", action="took_note", date=sent["content"]["date"],
                        history=[sent["content"]["digest"]], approved=True))
    ours.refresh_from_db()
    assert _state() == before and (ours.organisation.key, ours.text) == ("eu", "")


def test_a_peer_names_only_the_parts_it_knows_of(eu_instance, nato, people, report):
    """A part of ours never sent to the peer, or in another report than it says, is beyond its
    reach: a guessed name finds nothing, and says nothing of what exists."""
    both = _both()
    secret = parts.create_highlight(actor=people["coordinator"], report=report, text="Never sent.",
                                    classification=_level(3, "eu"), releasable_to=both)
    _sent(eu_instance["peer"])
    outcome = nato.send(nato.statements_object(report_parts.REMOVED, secret.pk, {
        "partnership": "eu-nato", "part": "highlight", "origin": "eu", "origin_id": secret.pk}))
    assert Highlight.objects.filter(pk=secret.pk).exists() and outcome.notes == []
    outcome = nato.send(_part(nato, report, "highlight", "A version of a part never sent.", origin="eu",
                              origin_id=secret.pk, history=["0" * 64]))
    secret.refresh_from_db()
    assert secret.text == "Never sent." and not PartConflict.objects.exists()
    assert "no longer held here" in outcome.notes[0] and str(secret.pk) not in outcome.notes[0]
    # A part that went, named as if it were in another period's report: refused whole.
    sent_part = parts.create_outlook(actor=people["coordinator"], report=report, text="Sent.",
                                     classification=_level(0, "eu"), releasable_to=both)
    _sent(eu_instance["peer"])
    other = Report.objects.exclude(pk=report.pk).select_related("period").first()
    before = _state()
    with pytest.raises(Refused, match="another report"):
        nato.send(_part(nato, other, "outlook", "Moved?", origin="eu", origin_id=sent_part.pk, history=["0" * 64]))
    nato.sequence -= 1
    # A part and its removal in one package: a second record for the same part.
    with pytest.raises(Refused, match="second record"):
        nato.send(_part(nato, report, "outlook", "Back.", origin="eu", origin_id=sent_part.pk, history=["0" * 64]),
                  nato.statements_object(report_parts.REMOVED, sent_part.pk, {
                      "partnership": "eu-nato", "part": "outlook", "origin": "eu", "origin_id": sent_part.pk}))
    assert _state() == before


def test_a_part_above_the_link_or_with_a_forged_approval_refuses_the_whole_package(eu_instance, nato, people,
                                                                                   report):
    before = _state()
    with pytest.raises(Refused, match="above the link's accreditation"):
        nato.send(_part(nato, report, "highlight", "Too high.", rank=3),
                  _part(nato, report, "outlook", "Fine.", origin_id=901))
    nato.sequence -= 1
    with pytest.raises(Refused, match="releasable to every organisation"):  # a joint part: both approve it
        nato.send(_part(nato, report, "outlook", "For the EU's eyes only, says NATO.", rank=2, to=("eu",)))
    nato.sequence -= 1
    with pytest.raises(Refused, match="approvals"):
        nato.send(_part(nato, report, "outlook", "Forged.", approved=True, key=Ed25519PrivateKey.generate()))
    nato.sequence -= 1
    with pytest.raises(Refused, match="approvals"):
        nato.send(_part(nato, report, "outlook", "Another version approved.", approved=True, digest="0" * 64))
    assert _state() == before


def test_a_peers_approval_of_a_part_clears_and_restores_the_reports_approvals(eu_instance, nato, people, report):
    """A part entering the report changes its content: the report's standing approvals go."""
    ReportApproval.objects.filter(report=report).delete()
    report = workflow.approve_report(actor=people["signer"], report=report)
    assert ReportApproval.objects.filter(report=report, withdrawn_at__isnull=True).exists()
    nato.send(_part(nato, report, "highlight", "Approved by NATO.", approved=True))
    parts.approve_part(actor=people["signer"], part=Highlight.objects.get(report=report))
    assert not ReportApproval.objects.filter(report=report, withdrawn_at__isnull=True).exists()


# The register of commitments -------------------------------------------------------------------


def test_each_package_says_whether_the_registers_of_commitments_are_the_same(eu_instance, nato):
    from rapport.commitments.models import Commitment
    from rapport.federation import register
    from rapport.partnerships.models import Partnership

    partnership = Partnership.objects.get(key="eu-nato")
    ours = register.content(partnership)
    assert ours["commitments"] == Commitment.objects.filter(partnership=partnership, classification__rank=0).count()
    # Ours goes in the first package, and again only when it changes.
    assert [o["content"] for o in _sent(eu_instance["peer"], register.KIND)] == [ours]
    assert _sent(eu_instance["peer"], register.KIND) == []
    outcome = nato.send(nato.statements_object(register.KIND, 1, ours))
    peer = eu_instance["peer"]
    peer.refresh_from_db()
    assert peer.register_agrees is True and not outcome.notes
    # NATO's instance loaded another register: the import says so, and the audit trail keeps it.
    outcome = nato.send(nato.statements_object(register.KIND, 1, {**ours, "register": "1" * 64}))
    peer.refresh_from_db()
    assert peer.register_agrees is False
    assert "register of commitments differs" in outcome.notes[0]
    assert AuditEvent.objects.filter(verb=register.DIFFERS).count() == 1
    # A commitment changed here shows too: our next package carries the new digest.
    c = Commitment.objects.filter(partnership=partnership, classification__rank=0).order_by("ref").first()
    Commitment.objects.filter(pk=c.pk).update(title=c.title + " (amended)")
    (sent,) = _sent(eu_instance["peer"], register.KIND)
    assert sent["content"]["register"] != ours["register"]


def test_the_reason_inside_a_refusal_is_in_the_operators_language_too(eu_instance, nato, report):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(Refused) as refused:
        nato.send(_part(nato, report, "council_action", "", organisation="eu", action="took_note", date="2026-11-20"))
    assert "un pair n’envoie que les actions de son propre Conseil" in str(refused.value)
    assert str(refused.value).startswith("Paquet refusé\u00a0: ")


def test_a_peer_never_lowers_a_parts_marking_nor_changes_or_removes_a_published_reports_parts(
        eu_instance, nato, people, report):
    both = _both()
    ours = parts.create_highlight(actor=people["coordinator"], report=report, text="Restricted, for both.",
                                  classification=_level(2, "eu"), releasable_to=both)
    base = report_parts.digest_of(ours)
    _sent(eu_instance["peer"])
    outcome = nato.send(_part(nato, report, "highlight", "Now public, says NATO.", origin="eu", origin_id=ours.pk,
                              history=[base]))
    ours.refresh_from_db()
    assert (outcome.part_conflicts, ours.text, ours.classification.rank) == (1, "Restricted, for both.", 2)
    # Once the report is published here, a removal changes nothing.
    from rapport.reports.models import Report
    Report.objects.filter(pk=report.pk).update(state="published")
    outcome = nato.send(nato.statements_object(report_parts.REMOVED, ours.pk, {
        "partnership": "eu-nato", "part": "highlight", "origin": "eu", "origin_id": ours.pk}))
    assert Highlight.objects.filter(pk=ours.pk).exists() and "final" in outcome.notes[0]


def test_a_part_re_marked_above_the_link_since_it_went_is_beyond_the_peers_reach(eu_instance, nato, people,
                                                                                 report):
    both = _both()
    ours = parts.create_outlook(actor=people["coordinator"], report=report, text="Public at first.",
                                classification=_level(0, "eu"), releasable_to=both)
    (sent,) = _sent(eu_instance["peer"])
    ours = parts.edit_part(actor=people["coordinator"], part=ours, base_version=ours.version, text="Now confidential.",
                           classification=_level(3, "eu"), releasable_to=both)
    outcome = nato.send(_part(nato, report, "outlook", "NATO's edit of the public one.", origin="eu",
                              origin_id=ours.pk, history=[sent["content"]["digest"]]))
    assert "above what the link carries" in outcome.notes[0] and not PartConflict.objects.exists()
    outcome = nato.send(nato.statements_object(report_parts.REMOVED, ours.pk, {
        "partnership": "eu-nato", "part": "outlook", "origin": "eu", "origin_id": ours.pk}))
    ours.refresh_from_db()
    assert ours.text == "Now confidential." and "stays here" in outcome.notes[0]


def test_a_part_deleted_here_that_its_instance_sends_again_stays_deleted(eu_instance, nato, people, report):
    nato.send(_part(nato, report, "highlight", "NATO's."))
    parts.delete_part(actor=people["coordinator"], part=Highlight.objects.get(text="NATO's."))
    outcome = nato.send(_part(nato, report, "highlight", "NATO's.", approved=True))
    assert outcome.unchanged >= 1 and not Highlight.objects.filter(text="NATO's.").exists()
    assert "no longer held here" in outcome.notes[0]
    (removal,) = _sent(eu_instance["peer"], report_parts.REMOVED)  # and NATO is told it was deleted
    assert (removal["content"]["origin"], removal["content"]["origin_id"]) == ("nato", 900)


def test_a_change_made_here_while_a_package_is_checked_is_not_lost(eu_instance, nato, people, report, monkeypatch):
    from rapport.federation import importing

    ours = parts.create_highlight(actor=people["coordinator"], report=report, text="The EU's.",
                                  classification=_level(0, "eu"), releasable_to=_both())
    (sent,) = _sent(eu_instance["peer"])
    checked = importing.check

    def check_then_re_mark(data):
        found = checked(data)
        h = Highlight.objects.get(pk=ours.pk)  # a coordinator re-marks it between the check and the write
        parts.edit_part(actor=people["coordinator"], part=h, base_version=h.version, text="Now confidential.",
                        classification=_level(3, "eu"), releasable_to=_both())
        return found

    monkeypatch.setattr(importing, "check", check_then_re_mark)
    nato.send(_part(nato, report, "highlight", "NATO's second version.", origin="eu", origin_id=ours.pk,
                    history=[sent["content"]["digest"]]))
    ours.refresh_from_db()
    assert (ours.text, ours.classification.rank) == ("Now confidential.", 3)
