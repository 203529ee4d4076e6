"""Shared records between two instances, checked on the EU's: joint texts (a version made from
ours replaces it, both changing it is a conflict that blocks approval until resolved), the
peer's signed approvals and agreements (counted only for what they name, refused whole when
forged), and publication (only while the peer's signed approval verifies)."""

from __future__ import annotations

import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rapport.access.policy import can
from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.models import JointText, JointTextApproval
from rapport.contributions.rules import JointTextAction
from rapport.core.errors import InputError
from rapport.core.errors import Refused as NotAllowed
from rapport.federation import joint_texts, package, period_agreements, report_approvals, statements
from rapport.federation.exporting import export_package
from rapport.federation.importing import Refused, import_package
from rapport.federation.models import Conflict, Statement
from rapport.markings.labels import EPOCH, label_document, partnership_schemes
from rapport.partnerships.models import Organisation
from rapport.periods import services as periods
from rapport.periods.models import PeriodAgreement, ReportingPeriod
from rapport.reports import workflow
from rapport.reports.models import Report, ReportApproval
from rapport.reports.rules import ReportAction
from rapport.reports.start import start_report

from .test_exchange import _nato_package

pytestmark = pytest.mark.django_db
AT = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC)


class Nato:
    """NATO's instance, as far as its packages go: its key, its sequence, its statements."""

    def __init__(self, key):
        self.key, self.sequence, self.previous = key, 0, ""
        self.nato = Organisation.objects.get(key="nato")

    def send(self, *objects):
        self.sequence += 1
        data = _nato_package(list(objects), key=self.key, sequence=self.sequence, previous=self.previous)
        outcome = import_package(data)
        self.previous = package.sha256(data)
        return outcome

    def approval(self, subject, digest, key=None):
        return statements.sign_approval(organisation=self.nato, subject=subject, digest=digest,
                                        approver="NATO Approver", at=AT, private_key=key or self.key)

    def joint_text(self, commitment, period, text, history, approved=False, level=None, pk=900, digest=None):
        level = level or commitment.partnership.organisations.get(key="nato").scheme.levels.get(rank=0)
        both = list(Organisation.objects.filter(key__in=["eu", "nato"]))
        own = joint_texts.version_digest(text, level, both)
        subject = statements.joint_text_subject("eu-nato", commitment.ref, period.ordinal)
        content = {"partnership": "eu-nato", "commitment": commitment.ref, "period": period.ordinal, "text": text,
                   "language": "en", "translations": {},
                   "classification": {"scheme": level.scheme.key, "level": level.name, "rank": level.rank},
                   "releasable_to": sorted(o.key for o in both) if level.rank else [], "digest": own,
                   "history": [*history, own], "author": "NATO Drafter",
                   "approvals": [self.approval(subject, digest or own)] if approved else []}
        return self._object("joint_text", pk, content, level, both)

    def statements_object(self, kind, pk, content):
        level = self.nato.scheme.levels.get(rank=0)
        return self._object(kind, pk, content, level, [])

    def _object(self, kind, pk, content, level, releasable):
        digest = package.content_hash(content)
        label = label_document(level=level, releasable_to=[o.short_name for o in releasable] if level.rank else [],
                               schemes=partnership_schemes(Commitment.objects.first()), created=EPOCH,
                               reference=package.data_reference(kind, pk, digest)).decode()
        return {"kind": kind, "id": pk, "content": content, "content_sha256": digest, "label": label}


@pytest.fixture
def nato(eu_instance, nato_key):
    return Nato(nato_key)


@pytest.fixture
def people(make_user):
    return {"writer": make_user(org="eu", role="drafter", clearance=3),
            "signer": make_user(org="eu", role="approver", clearance=3),
            "coordinator": make_user(org="eu", role="coordinator", clearance=3)}


def _joint(people, open_period, text="The EU's first draft."):
    both = list(Organisation.objects.filter(key__in=["eu", "nato"]))
    commitment = Commitment.objects.order_by("order", "ref").first()
    public = both[0].scheme.levels.get(rank=0)
    return services.create_joint_text(actor=people["writer"], commitment=commitment, period=open_period, text=text,
                                      classification=public, releasable_to=both)


# Joint texts ----------------------------------------------------------------------------------------


def test_a_version_made_from_ours_replaces_it_and_the_peers_signed_approval_counts(eu_instance, nato, people,
                                                                                 open_period):
    jt = _joint(people, open_period)
    export_package(eu_instance["peer"])  # NATO now holds our first version
    ours = joint_texts.digest_of(jt)
    outcome = nato.send(nato.joint_text(jt.commitment, open_period, "NATO's wording.", [ours], approved=True))
    jt.refresh_from_db()
    assert (outcome.updated, outcome.conflicts) == (1, 0)
    assert (jt.text, jt.version, jt.state) == ("NATO's wording.", 2, "in_approval")
    assert [a.organisation.key for a in jt.approvals.all()] == ["nato"]
    assert Statement.objects.get(organisation__key="nato").peer == eu_instance["peer"]
    services.approve_joint_text(actor=people["signer"], joint_text=jt)
    jt.refresh_from_db()
    assert jt.state == "approved"
    # Our approval goes back signed by this instance, for the version it names.
    sent = [o for o in package.load(export_package(eu_instance["peer"])[0])[0]["objects"] if o["kind"] == "joint_text"]
    (item,) = sent[0]["content"]["approvals"]
    assert item["body"]["organisation"] == "eu" and item["body"]["digest"] == joint_texts.digest_of(jt)


def test_an_older_version_of_ours_changes_nothing(eu_instance, nato, people, open_period):
    jt = _joint(people, open_period)
    first = joint_texts.digest_of(jt)
    export_package(eu_instance["peer"])
    jt = services.edit_joint_text(actor=people["writer"], joint_text=jt, base_version=1, text="Our second version.")
    export_package(eu_instance["peer"])
    outcome = nato.send(nato.joint_text(jt.commitment, open_period, "The EU's first draft.", [],
                                        level=jt.classification))
    jt.refresh_from_db()
    assert joint_texts.version_digest("The EU's first draft.", jt.classification, jt.releasable_to.all()) == first
    assert (jt.text, outcome.conflicts, Conflict.objects.count()) == ("Our second version.", 0, 0)


def test_both_changing_a_text_is_a_conflict_that_blocks_approval_until_resolved(eu_instance, nato, people,
                                                                              open_period):
    jt = _joint(people, open_period)
    base = joint_texts.digest_of(jt)
    export_package(eu_instance["peer"])
    jt = services.edit_joint_text(actor=people["writer"], joint_text=jt, base_version=1, text="The EU's change.")
    outcome = nato.send(nato.joint_text(jt.commitment, open_period, "NATO's change.", [base]))
    jt.refresh_from_db()
    assert outcome.conflicts == 1 and jt.text == "The EU's change."  # neither overwrites the other
    conflict = Conflict.objects.get()
    assert conflict.their_text == "NATO's change." and conflict.resolved_at is None
    decision = can(people["signer"], JointTextAction.APPROVE, jt)
    assert not decision and "resolve the conflict first" in decision.reason
    assert AuditEvent.objects.filter(verb=joint_texts.CONFLICT_OPENED).count() == 1

    # Someone who may not edit the text cannot resolve it; a writer takes NATO's version.
    with pytest.raises(NotAllowed):
        joint_texts.resolve_conflict(actor=people["signer"], conflict=conflict, keep="theirs")
    jt = joint_texts.resolve_conflict(actor=people["writer"], conflict=conflict, keep="theirs")
    assert jt.text == "NATO's change." and Conflict.objects.get().resolution == "theirs"
    assert can(people["signer"], JointTextAction.APPROVE, jt)
    # NATO's instance gets a version made from its own: it takes it without a new conflict.
    sent = [o for o in package.load(export_package(eu_instance["peer"])[0])[0]["objects"] if o["kind"] == "joint_text"]
    assert conflict.their_sha256 in sent[0]["content"]["history"]


def test_a_joint_text_approval_signed_by_another_key_or_for_another_version_refuses_the_package(
        eu_instance, nato, people, open_period):
    jt = _joint(people, open_period)
    export_package(eu_instance["peer"])
    base = joint_texts.digest_of(jt)
    forged = nato.joint_text(jt.commitment, open_period, "NATO's wording.", [base], approved=True)
    forged["content"]["approvals"] = [nato.approval(joint_texts.subject_of(jt), forged["content"]["digest"],
                                                    key=Ed25519PrivateKey.generate())]
    forged = nato._object("joint_text", 900, forged["content"], jt.classification, [])
    before = (JointText.objects.get().text, JointTextApproval.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Refused, match="signature does not verify"):
        nato.send(forged)
    other = nato.joint_text(jt.commitment, open_period, "NATO's wording.", [base], approved=True, digest="0" * 64)
    nato.sequence -= 1
    with pytest.raises(Refused, match="another version"):
        nato.send(other)
    assert (JointText.objects.get().text, JointTextApproval.objects.count(), AuditEvent.objects.count()) == before


# The cycle and the report -----------------------------------------------------------------------------


def test_a_period_moves_once_both_coordinators_agreed_each_on_their_instance(eu_instance, nato, people, open_period):
    step = "close_contributions"
    periods.agree(actor=people["coordinator"], period=open_period, step=step)
    subject = period_agreements.subject("eu-nato", open_period.ordinal, step)
    agreement = nato.approval(subject, period_agreements.digest("eu-nato", open_period.ordinal, step))
    wrong = nato.approval(subject, period_agreements.digest("eu-nato", open_period.ordinal + 1, step))
    with pytest.raises(Refused, match="another period or step"):
        nato.send(nato.statements_object("period", 1, {"partnership": "eu-nato", "period": open_period.ordinal,
                                                       "agreements": [wrong]}))
    nato.sequence -= 1
    nato.send(nato.statements_object("period", 1, {"partnership": "eu-nato", "period": open_period.ordinal,
                                                   "agreements": [agreement]}))
    open_period.refresh_from_db()
    assert open_period.state == "contributions_closed"
    assert PeriodAgreement.objects.get(period=open_period, step=step, organisation__key="nato").agreed_by == \
        eu_instance["peer"].actor


@pytest.fixture
def report(eu_instance, people):
    period = ReportingPeriod.objects.get(ordinal=11)
    found = Report.objects.filter(period=period, state="draft").first()
    return found or start_report(actor=people["coordinator"], period=period)


def _report_object(nato, report, digest, key=None):
    subject = statements.report_subject("eu-nato", report.period.ordinal)
    return nato.statements_object("report", report.pk, {"partnership": "eu-nato", "period": report.period.ordinal,
                                                        "approvals": [nato.approval(subject, digest, key=key)]})


def test_the_peers_report_approval_counts_only_for_the_same_public_content(eu_instance, nato, people, report):
    outcome = nato.send(_report_object(nato, report, "0" * 64))
    assert not ReportApproval.objects.filter(report=report).exists()
    assert "approved other content" in outcome.notes[0]
    nato.send(_report_object(nato, report, report_approvals.basis(report.period)))
    approval = ReportApproval.objects.get(report=report, withdrawn_at__isnull=True)
    assert approval.organisation.key == "nato" and approval.approver == eu_instance["peer"].actor
    # NATO stops sending it (withdrawn on its instance): withdrawn here too.
    nato.send(nato.statements_object("report", report.pk, {"partnership": "eu-nato", "period": 11, "approvals": []}))
    assert not ReportApproval.objects.filter(report=report, withdrawn_at__isnull=True).exists()


def test_publication_needs_the_peers_signed_approval_to_verify(eu_instance, nato, people, report):
    nato.send(_report_object(nato, report, report_approvals.basis(report.period)))
    report = workflow.approve_report(actor=people["signer"], report=report)
    assert report.state == "approved"
    # Our approval goes to NATO signed, naming the same public content.
    sent = [o for o in package.load(export_package(eu_instance["peer"])[0])[0]["objects"] if o["kind"] == "report"]
    (item,) = sent[0]["content"]["approvals"]
    assert (item["body"]["organisation"], item["body"]["digest"]) == ("eu", report_approvals.basis(report.period))
    statement = Statement.objects.get(organisation__key="nato")
    statement.body = statement.body.replace("NATO Approver", "Someone Else")  # rewritten in the database
    statement.save()
    decision = can(people["coordinator"], ReportAction.PUBLISH, report)
    assert not decision and "not backed by its instance's signed statement" in decision.reason
    with pytest.raises(NotAllowed):
        workflow.publish_report(actor=people["coordinator"], report=report)
    statement.body = statement.body.replace("Someone Else", "NATO Approver")
    statement.save()
    assert can(people["coordinator"], ReportAction.PUBLISH, report)



def test_a_conflict_is_read_under_its_own_marking_and_the_joint_texts(eu_instance, nato, people, make_user, level,
                                                                     open_period):
    jt = _joint(people, open_period)  # PUBLIC here
    base = joint_texts.digest_of(jt)
    export_package(eu_instance["peer"])
    services.edit_joint_text(actor=people["writer"], joint_text=jt, base_version=1, text="Ours.")
    nato.send(nato.joint_text(jt.commitment, open_period, "Theirs, restricted.", [base], level=level(2, "nato")))
    conflict = Conflict.objects.get()
    assert conflict.classification.rank == 2
    cleared, below = make_user(org="eu", role="drafter", clearance=2), make_user(org="eu", role="drafter", clearance=1)
    assert JointText.objects.visible_to(below).filter(pk=jt.pk).exists()
    assert list(joint_texts.open_conflicts(jt, cleared)) == [conflict]
    assert list(joint_texts.open_conflicts(jt, below)) == []  # the text is readable, NATO's restricted version not
    jt.classification = level(3, "eu")  # the joint text above a reader's clearance hides its conflicts too
    jt.save()
    assert list(joint_texts.open_conflicts(jt, cleared)) == []


# What an attacker tried ------------------------------------------------------------------------------


def test_publication_reads_the_evidence_not_the_rows_or_the_state(eu_instance, nato, people, report):
    # A row for NATO written in the database, and the state column set by hand: no NATO statement.
    ReportApproval.objects.create(report=report, organisation=eu_instance["nato"], version=report.version,
                                  approver=people["signer"], message="written in the database")
    report = workflow.approve_report(actor=people["signer"], report=report)
    assert report.state == "approved"
    assert "not backed by its instance's signed statement" in can(people["coordinator"], ReportAction.PUBLISH,
                                                                  report).reason
    # NATO approves, then withdraws: its old statement no longer counts, even with the row revived.
    ReportApproval.objects.filter(report=report, organisation__key="nato").delete()
    nato.send(_report_object(nato, report, report_approvals.basis(report.period)))
    assert can(people["coordinator"], ReportAction.PUBLISH, Report.objects.get(pk=report.pk))
    nato.send(nato.statements_object("report", report.pk, {"partnership": "eu-nato", "period": 11, "approvals": []}))
    ReportApproval.objects.filter(report=report, organisation__key="nato").update(withdrawn_at=None)
    Report.objects.filter(pk=report.pk).update(state="approved")
    assert not can(people["coordinator"], ReportAction.PUBLISH, Report.objects.get(pk=report.pk))


def test_a_peer_never_lowers_the_marking_of_our_joint_text(eu_instance, nato, people, level, open_period):
    both = list(Organisation.objects.filter(key__in=["eu", "nato"]))
    jt = services.create_joint_text(actor=people["writer"], commitment=Commitment.objects.order_by("ref").first(),
                                    period=open_period, text="Restricted wording.", classification=level(2, "eu"),
                                    releasable_to=both)
    ours = joint_texts.digest_of(jt)
    export_package(eu_instance["peer"])
    outcome = nato.send(nato.joint_text(jt.commitment, open_period, "Restricted wording, now public?", [ours]))
    jt.refresh_from_db()
    assert outcome.conflicts == 1 and jt.classification.rank == 2 and jt.text == "Restricted wording."
    with pytest.raises(InputError, match="would lower the text's marking"):
        joint_texts.resolve_conflict(actor=people["writer"], conflict=Conflict.objects.get(), keep="theirs")


def test_taking_their_version_takes_its_marking_and_translation(eu_instance, nato, people, level, open_period):
    jt = _joint(people, open_period)  # PUBLIC
    base = joint_texts.digest_of(jt)
    export_package(eu_instance["peer"])
    services.edit_joint_text(actor=people["writer"], joint_text=jt, base_version=1, text="Ours.",
                             translations={"fr": {"text": "La nôtre."}})
    theirs = nato.joint_text(jt.commitment, open_period, "Theirs, restricted.", [base], level=level(2, "nato"))
    theirs["content"]["translations"] = {"fr": {"text": "La leur, diffusion restreinte."}}
    theirs["content"]["digest"] = theirs["content"]["history"][-1] = joint_texts.version_digest(
        "Theirs, restricted.", level(2, "nato"), list(Organisation.objects.filter(key__in=["eu", "nato"])), "en",
        theirs["content"]["translations"])
    nato.send(nato._object("joint_text", 900, theirs["content"], level(2, "nato"),
                           list(Organisation.objects.filter(key__in=["eu", "nato"]))))
    jt = joint_texts.resolve_conflict(actor=people["writer"], conflict=Conflict.objects.get(), keep="theirs")
    jt.refresh_from_db()
    assert (jt.text, jt.translations, jt.classification.rank) == (
        "Theirs, restricted.", {"fr": {"text": "La leur, diffusion restreinte."}}, 2)
    assert joint_texts.digest_of(jt) == theirs["content"]["digest"]  # NATO's instance holds the same version


@pytest.mark.parametrize("approver", ["Evil\x00name", "Right\u202eto left", "Two\nlines", "x" * 201])
def test_a_statement_with_an_approver_name_rapport_does_not_accept_refuses_the_package(nato, people, report,
                                                                                      approver):
    item = statements.sign_approval(organisation=nato.nato, subject=statements.report_subject("eu-nato", 11),
                                    digest=report_approvals.basis(report.period), approver=approver, at=AT,
                                    private_key=nato.key)
    with pytest.raises(Refused, match="approver"):
        nato.send(nato.statements_object("report", report.pk, {"partnership": "eu-nato", "period": 11,
                                                               "approvals": [item]}))


def test_another_base64_form_of_the_same_signature_is_refused(eu_instance, nato_key):
    from rapport.federation import keys

    data, signature = b"a package", keys.sign(b"a package", nato_key)
    last = "AEIMQUYcgkosw048"  # the characters whose unused low bits are zero
    other = signature[:-3] + last[(last.index(signature[-3]) + 1) % len(last)] + signature[-2:] \
        if signature[-3] in last else signature
    assert keys.verify(nato_key.public_key(), signature, data)
    if other != signature:
        assert not keys.verify(nato_key.public_key(), other, data)
    tweaked = signature[:-3] + chr(ord(signature[-3]) ^ 1) + signature[-2:]
    assert not keys.verify(nato_key.public_key(), tweaked, data)


def test_malformed_content_is_refused_not_a_traceback(eu_instance, nato, people, open_period):
    jt = _joint(people, open_period)
    bad = [
        nato.statements_object("period", 1, {"partnership": "eu-nato", "period": open_period.ordinal,
                                             "agreements": [{"body": {"subject": 5}, "signature": "x"}]}),
        nato.joint_text(jt.commitment, open_period, "Text.", []),
    ]
    bad[1]["content"]["classification"] = {"scheme": ["nato"], "level": "PUBLIC", "rank": 0}
    bad[1] = nato._object("joint_text", 900, bad[1]["content"], jt.classification, [])
    for obj in bad:
        with pytest.raises(Refused):
            nato.send(obj)
        nato.sequence -= 1
