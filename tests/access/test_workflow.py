"""Workflow rules, through the real services (rapport.contributions.services,
rapport.reports.workflow)."""

from __future__ import annotations

import pytest

from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.core.errors import Conflict, InputError, NotFound, Refused
from rapport.reports import workflow
from rapport.reports.models import Report

pytestmark = pytest.mark.django_db


def _write(actor, commitment, period, level, releasable, text="Progress on the commitment."):
    return services.create_contribution(actor=actor, commitment=commitment, period=period, narrative=text,
                                        classification=level, releasable_to=releasable)


# Contributions ------------------------------------------------------------------------------


def test_contribution_life_cycle(make_user, level, orgs, open_period, commitment):
    drafter = make_user("eu", "drafter", 2)
    approver = make_user("eu", "approver", 3)
    restricted = level(2, scheme="eu")  # RESTREINT UE/EU RESTRICTED
    c = _write(drafter, commitment, open_period, restricted, [orgs["eu"]])
    assert (c.state, c.version, c.organisation_id) == ("draft", 1, orgs["eu"].pk)
    c = services.submit_contribution(actor=drafter, contribution=c)
    assert c.state == "submitted"

    c = services.approve_contribution(actor=approver, contribution=c)
    c.refresh_from_db()
    assert c.state == "approved"
    assert c.approved_by_id == approver.pk
    revision = c.revisions.get(version=c.version)
    assert c.approved_revision_id == revision.pk
    assert revision.narrative == c.narrative and revision.classification_id == restricted.pk

    with pytest.raises(Refused):
        services.edit_contribution(actor=drafter, contribution=c, base_version=c.version, narrative="Changed.",
                                   classification=restricted, releasable_to=[orgs["eu"]])
    c.refresh_from_db()
    assert c.narrative == "Progress on the commitment." and c.state == "approved"


def test_other_organisation_cannot_approve_and_cannot_see_eu_only_text(make_user, level, orgs, open_period, commitment):
    drafter = make_user("eu", "drafter", 2)
    nato_approver = make_user("nato", "approver", 3)
    c = _write(drafter, commitment, open_period, level(2, scheme="eu"), [orgs["eu"]])
    c = services.submit_contribution(actor=drafter, contribution=c)
    # Releasable to the EU only: for NATO it does not exist.
    with pytest.raises(NotFound) as exc:
        services.approve_contribution(actor=nato_approver, contribution=c)
    assert str(exc.value) == "No such contribution."
    c.refresh_from_db()
    assert c.state == "submitted"


def test_other_organisation_cannot_approve_a_text_it_can_read(make_user, level, orgs, open_period, commitment):
    drafter = make_user("eu", "drafter", 2)
    nato_approver = make_user("nato", "approver", 3)
    c = _write(drafter, commitment, open_period, level(2, scheme="eu"), [orgs["eu"], orgs["nato"]])
    c = services.submit_contribution(actor=drafter, contribution=c)
    with pytest.raises(Refused, match="own organisation"):
        services.approve_contribution(actor=nato_approver, contribution=c)
    c.refresh_from_db()
    assert c.state == "submitted" and c.approved_by_id is None


def test_nobody_approves_their_own_text(make_user, level, orgs, open_period, commitment):
    author = make_user("eu", "drafter", 3)
    c = _write(author, commitment, open_period, level(2, scheme="eu"), [orgs["eu"]])
    c = services.submit_contribution(actor=author, contribution=c)
    author.role = "approver"  # the author has since become an approver
    author.save()
    with pytest.raises(Refused, match="wrote"):
        services.approve_contribution(actor=author, contribution=c)
    # Nor someone who only wrote a later revision.
    editor = make_user("eu", "drafter", 3)
    c2 = _write(make_user("eu", "drafter", 2),
                Commitment.objects.exclude(pk=commitment.pk).filter(classification__rank=0).first(),
                open_period, level(2, scheme="eu"), [orgs["eu"]])
    c2 = services.edit_contribution(actor=editor, contribution=c2, base_version=1, narrative="Edited by editor.",
                                    classification=level(2, scheme="eu"), releasable_to=[orgs["eu"]])
    c2 = services.submit_contribution(actor=editor, contribution=c2)
    editor.role = "approver"
    editor.save()
    with pytest.raises(Refused, match="wrote"):
        services.approve_contribution(actor=editor, contribution=c2)


def test_stale_edit_is_a_conflict_and_changes_nothing(make_user, level, orgs, open_period, commitment):
    a = make_user("eu", "drafter", 2)
    b = make_user("eu", "coordinator", 3)
    lvl = level(2, scheme="eu")
    c = _write(a, commitment, open_period, lvl, [orgs["eu"]])
    services.edit_contribution(actor=b, contribution=c, base_version=1, narrative="B's text.",
                               classification=lvl, releasable_to=[orgs["eu"]])
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict, match="version 2"):
        services.edit_contribution(actor=a, contribution=c, base_version=1, narrative="A's stale text.",
                                   classification=lvl, releasable_to=[orgs["eu"]])
    c.refresh_from_db()
    assert (c.narrative, c.version) == ("B's text.", 2)
    assert c.revisions.count() == 2
    assert AuditEvent.objects.count() == before


def test_return_needs_a_message_and_reopens_for_editing(make_user, level, orgs, open_period, commitment):
    drafter = make_user("eu", "drafter", 2)
    approver = make_user("eu", "approver", 3)
    lvl = level(2, scheme="eu")
    c = services.submit_contribution(actor=drafter, contribution=_write(drafter, commitment, open_period, lvl, [orgs["eu"]]))
    with pytest.raises(Refused):  # frozen while submitted
        services.edit_contribution(actor=drafter, contribution=c, base_version=c.version, narrative="x",
                                   classification=lvl, releasable_to=[orgs["eu"]])
    for empty in ("", "   "):
        with pytest.raises(InputError) as exc:
            services.return_contribution(actor=approver, contribution=c, message=empty)
        assert exc.value.field == "message"
    c.refresh_from_db()
    assert c.state == "submitted"
    c = services.return_contribution(actor=approver, contribution=c, message="Add the 2024 exercise.")
    assert c.state == "returned"
    c = services.edit_contribution(actor=drafter, contribution=c, base_version=c.version, narrative="Now with it.",
                                   classification=lvl, releasable_to=[orgs["eu"]])
    assert (c.state, c.version) == ("draft", 2)


def test_delegation_reader_cannot_write(make_user, level, orgs, open_period, commitment):
    delegate = make_user(None, "reader", 2, delegation="FI")
    reader = make_user("eu", "reader", 3)
    for actor in (delegate, reader):
        with pytest.raises(Refused):
            _write(actor, commitment, open_period, level(0, scheme="eu"), [])
    drafter = make_user("eu", "drafter", 2)
    c = _write(drafter, commitment, open_period, level(0, scheme="eu"), [orgs["eu"]])
    with pytest.raises(Refused):
        services.edit_contribution(actor=delegate, contribution=services.submit_contribution(actor=drafter, contribution=c),
                                   base_version=1, narrative="x", classification=level(0, scheme="eu"),
                                   releasable_to=[])


@pytest.mark.parametrize("case, field", [
    ("above clearance", "classification"),
    ("not releasable to own organisation", "releasable_to"),
    ("no marking", "classification"),
])
def test_marking_checks_name_the_field(make_user, level, orgs, open_period, commitment, case, field):
    drafter = make_user("eu", "drafter", 2)
    kwargs = {
        "above clearance": {"classification": level(3, scheme="nato"), "releasable_to": [orgs["eu"]]},
        "not releasable to own organisation": {"classification": level(2, scheme="eu"), "releasable_to": [orgs["nato"]]},
        "no marking": {"classification": None, "releasable_to": [orgs["eu"]]},
    }[case]
    with pytest.raises(InputError) as exc:
        services.create_contribution(actor=drafter, commitment=commitment, period=open_period, narrative="Text.", **kwargs)
    assert exc.value.field == field
    assert field in str(exc.value)


def test_contribution_on_a_commitment_the_drafter_cannot_see_is_not_found(make_user, level, orgs, open_period, eu_nato):
    """Services promise NotFound for anything the actor may not see ("denied = missing")."""
    hidden = Commitment.objects.filter(partnership=eu_nato).order_by("pk").first()
    hidden.pk = None
    hidden.ref, hidden.title = "HIDDEN-01", "A NATO CONFIDENTIAL commitment"
    hidden.classification = level(3, scheme="nato")
    hidden.save()
    hidden.releasable_to.set([orgs["nato"]])
    drafter = make_user("eu", "drafter", 1)
    assert not Commitment.objects.visible_to(drafter).filter(pk=hidden.pk).exists()
    with pytest.raises(NotFound):
        _write(drafter, hidden, open_period, level(1, scheme="eu"), [orgs["eu"]])


# Joint texts ------------------------------------------------------------------------------------


@pytest.fixture
def joint_text(make_user, level, orgs, open_period, commitment):
    author = make_user("eu", "drafter", 2)
    return services.create_joint_text(actor=author, commitment=commitment, period=open_period, text="Joint text.",
                                      classification=level(2, scheme="eu"), releasable_to=[orgs["eu"], orgs["nato"]])


def test_joint_text_needs_every_organisation(make_user, joint_text):
    eu1, eu2 = make_user("eu", "approver", 3), make_user("eu", "approver", 3)
    nato = make_user("nato", "approver", 3)
    jt = services.approve_joint_text(actor=eu1, joint_text=joint_text)
    assert jt.state == "in_approval"
    with pytest.raises(Refused, match="already approved"):
        services.approve_joint_text(actor=eu2, joint_text=jt)
    jt = services.approve_joint_text(actor=nato, joint_text=jt)
    assert jt.state == "approved"
    assert set(jt.approvals.values_list("organisation__key", flat=True)) == {"eu", "nato"}
    with pytest.raises(Refused):
        services.edit_joint_text(actor=make_user("nato", "drafter", 2), joint_text=jt, base_version=jt.version,
                                 text="Too late.")


def test_any_organisation_returning_clears_all_approvals(make_user, joint_text):
    eu = make_user("eu", "approver", 3)
    nato = make_user("nato", "approver", 3)
    jt = services.approve_joint_text(actor=eu, joint_text=joint_text)
    with pytest.raises(InputError):
        services.return_joint_text(actor=nato, joint_text=jt, message=" ")
    jt = services.return_joint_text(actor=nato, joint_text=jt, message="Our figures differ.")
    assert jt.state == "draft" and jt.approvals.count() == 0


def test_an_edit_clears_approvals(make_user, joint_text):
    eu = make_user("eu", "approver", 3)
    nato_drafter = make_user("nato", "drafter", 2)
    jt = services.approve_joint_text(actor=eu, joint_text=joint_text)
    assert jt.approvals.count() == 1
    jt = services.edit_joint_text(actor=nato_drafter, joint_text=jt, base_version=jt.version, text="Joint text, v2.")
    assert (jt.state, jt.version, jt.approvals.count()) == ("draft", 2, 0)
    with pytest.raises(Conflict):
        services.edit_joint_text(actor=nato_drafter, joint_text=jt, base_version=1, text="stale")


# The report ---------------------------------------------------------------------------------------


def test_report_approval_workflow(make_user, eu_nato):
    report = Report.objects.get(period__partnership=eu_nato, state="draft")
    assert report.period.state == "in_preparation"
    eu, nato = make_user("eu", "approver", 3), make_user("nato", "approver", 3)
    coordinator = make_user("nato", "coordinator", 3)
    drafter = make_user("eu", "drafter", 2)

    with pytest.raises(Refused):
        workflow.approve_report(actor=drafter, report=report)
    report = workflow.approve_report(actor=eu, report=report)
    assert report.state == "draft"
    report.period.refresh_from_db()
    assert report.period.state == "in_approval"  # a prepared report with an approval standing
    with pytest.raises(Refused):  # not every organisation has approved
        workflow.publish_report(actor=coordinator, report=report)
    report = workflow.approve_report(actor=nato, report=report)
    assert report.state == "approved"
    with pytest.raises(Refused, match="already stands"):
        workflow.approve_report(actor=make_user("eu", "approver", 3), report=report)

    report = workflow.withdraw_report_approval(actor=eu, report=report, message="Figures changed.")
    assert report.state == "draft"
    entry = AuditEvent.objects.for_object(report).filter(verb="report.approval_withdrawn").last()
    assert entry is not None and entry.actor_id == eu.pk and entry.message == "Figures changed."
    assert entry.before["state"] == "approved" and entry.after["state"] == "draft"
    with pytest.raises(Refused):
        workflow.publish_report(actor=coordinator, report=report)

    report = workflow.approve_report(actor=eu, report=report)
    assert report.state == "approved"
    with pytest.raises(Refused):  # an approver cannot publish
        workflow.publish_report(actor=eu, report=report)
    report = workflow.publish_report(actor=coordinator, report=report)
    assert report.state == "published"
    sealed = report.sealed_editions.filter(edition="public")
    assert sorted(sealed.values_list("language", "format")) == [
        (lang, fmt) for lang in ("en", "fr") for fmt in ("docx", "html", "md", "pdf", "pdfa")]
    with pytest.raises(Refused, match="after publication"):
        workflow.withdraw_report_approval(actor=nato, report=report, message="Too late.")
    with pytest.raises(Refused):
        workflow.approve_report(actor=make_user("eu", "approver", 3), report=report)
    report.refresh_from_db()
    assert report.state == "published"
    assert report.approvals.filter(withdrawn_at__isnull=True).count() == 2


def test_the_period_is_in_approval_while_an_approval_of_its_prepared_report_stands(make_user, eu_nato):
    report = Report.objects.get(period__partnership=eu_nato, state="draft")
    period = report.period
    eu = make_user("eu", "approver", 3)
    workflow.approve_report(actor=eu, report=report)
    period.refresh_from_db()
    assert period.state == "in_approval"
    workflow.withdraw_report_approval(actor=eu, report=report, message="Not yet.")
    period.refresh_from_db()
    assert period.state == "in_preparation"
    moves = AuditEvent.objects.for_object(period).filter(verb="period.moved").order_by("seq")
    assert [(e.before["state"], e.after["state"]) for e in moves] == [("in_preparation", "in_approval"),
                                                                      ("in_approval", "in_preparation")]
