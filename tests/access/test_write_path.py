"""The one write path, where it used to be bypassed: joint texts go through the policy,
editing keeps evidence links its editor cannot see, and the audit log of a contribution
stays with its organisation while the contribution does."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.core.errors import Conflict, InputError, NotFound, Refused
from rapport.evidence.models import Meeting
from rapport.periods.models import ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_commitment(eu_nato, level, orgs):
    """A NATO CONFIDENTIAL commitment releasable to NATO only: no EU user may see it."""
    c = Commitment.objects.filter(partnership=eu_nato).order_by("-pk").first()
    c.classification = level(3, scheme="nato")
    c.save()
    c.releasable_to.set([orgs["nato"]])
    return c


def _joint(actor, commitment, period, level, orgs, to=("eu", "nato"), rank=2):
    return services.create_joint_text(actor=actor, commitment=commitment, period=period, text="Joint text.",
                                      classification=level(rank, scheme=actor.organisation.scheme.key),
                                      releasable_to=[orgs[k] for k in to])


# Joint texts go through the policy ----------------------------------------------------------------


def test_joint_text_on_a_commitment_the_writer_cannot_see_is_not_found(make_user, level, orgs, open_period,
                                                                        hidden_commitment):
    with pytest.raises(NotFound):
        _joint(make_user("eu", "drafter", 3), hidden_commitment, open_period, level, orgs)
    assert _joint(make_user("nato", "drafter", 3), hidden_commitment, open_period, level, orgs, to=("nato", "eu"))


def test_joint_text_only_in_an_open_period(make_user, level, orgs, eu_nato, commitment):
    closed = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=9)
    with pytest.raises(Refused, match="not open"):
        _joint(make_user("eu", "drafter", 2), commitment, closed, level, orgs)


def test_joint_text_needs_a_writer_of_the_partnership(make_user, level, orgs, open_period, commitment):
    for role in ("approver", "reader", "administrator"):
        with pytest.raises(Refused):
            _joint(make_user("eu", role, 3), commitment, open_period, level, orgs)


def test_joint_text_must_be_releasable_to_every_approving_organisation(make_user, level, orgs, open_period, commitment):
    with pytest.raises(InputError) as refused:
        _joint(make_user("eu", "drafter", 2), commitment, open_period, level, orgs, to=("eu",))
    assert refused.value.field == "releasable_to" and "NATO" in str(refused.value)
    # PUBLIC needs no releasability.
    assert _joint(make_user("eu", "drafter", 2), commitment, open_period, level, orgs, to=(), rank=0)


def test_an_existing_hidden_joint_text_is_not_revealed(make_user, level, orgs, open_period, commitment):
    secret = _joint(make_user("nato", "drafter", 3), commitment, open_period, level, orgs, rank=3)
    secret.text = "SECRET JOINT WORDING"
    secret.save()
    low = make_user("eu", "drafter", 2)
    with pytest.raises(Refused) as refused:
        _joint(low, commitment, open_period, level, orgs)
    assert "SECRET" not in str(refused.value) and "already exists" not in str(refused.value)
    with pytest.raises(Conflict, match="already exists"):  # one who may see it is told to edit it
        _joint(make_user("eu", "drafter", 3), commitment, open_period, level, orgs)


def test_joint_text_edit_rechecks_after_the_locked_read(make_user, level, orgs, open_period, commitment):
    jt = _joint(make_user("eu", "drafter", 2), commitment, open_period, level, orgs)
    stale = type(jt).objects.get(pk=jt.pk)  # read before both organisations approve
    services.approve_joint_text(actor=make_user("eu", "approver", 3), joint_text=jt)
    services.approve_joint_text(actor=make_user("nato", "approver", 3), joint_text=jt)
    with pytest.raises(Refused, match="frozen"):
        services.edit_joint_text(actor=make_user("nato", "drafter", 2), joint_text=stale, base_version=1, text="Late.")
    jt.refresh_from_db()
    assert (jt.state, jt.text, jt.approvals.count()) == ("approved", "Joint text.", 2)


def test_contribution_edit_rechecks_after_the_locked_read(make_user, level, orgs, open_period, commitment):
    drafter = make_user("eu", "drafter", 2)
    c = services.create_contribution(actor=drafter, commitment=commitment, period=open_period, narrative="One.",
                                     classification=level(2, scheme="eu"), releasable_to=[orgs["eu"]])
    stale = type(c).objects.get(pk=c.pk)
    services.submit_contribution(actor=drafter, contribution=c)
    with pytest.raises(Refused, match="frozen"):
        services.edit_contribution(actor=drafter, contribution=stale, base_version=1, narrative="Two.",
                                   classification=level(2, scheme="eu"), releasable_to=[orgs["eu"]])


# Evidence links ---------------------------------------------------------------------------------------


@pytest.fixture
def meetings(eu_nato, level, orgs):
    public = Meeting.objects.filter(partnership=eu_nato, classification__rank=0).order_by("pk")[:2]
    secret = Meeting.objects.filter(partnership=eu_nato).exclude(pk__in=[m.pk for m in public]).order_by("pk").first()
    secret.classification = level(3, scheme="eu")
    secret.save()
    secret.releasable_to.set([orgs["eu"]])
    return list(public), secret


def test_editing_keeps_links_the_editor_cannot_see(make_user, level, orgs, open_period, commitment, meetings):
    (a, b), secret = meetings
    senior, junior = make_user("eu", "drafter", 3), make_user("eu", "drafter", 1)
    lvl = level(1, scheme="eu")
    c = services.create_contribution(actor=senior, commitment=commitment, period=open_period, narrative="One.",
                                     classification=lvl, releasable_to=[orgs["eu"]],
                                     evidence={"meetings": [a, secret]})
    c = services.edit_contribution(actor=junior, contribution=c, base_version=1, narrative="Two.",
                                   classification=lvl, releasable_to=[orgs["eu"]], evidence={"meetings": [b]})
    assert set(c.meetings.values_list("pk", flat=True)) == {b.pk, secret.pk}  # a removed, secret kept


def test_evidence_the_writer_cannot_see_answers_as_missing(make_user, level, orgs, open_period, commitment, meetings):
    _, secret = meetings
    drafter = make_user("eu", "drafter", 2)

    def refusal(value):
        with pytest.raises(InputError) as refused:
            services.create_contribution(actor=drafter, commitment=commitment, period=open_period, narrative="One.",
                                         classification=level(1, scheme="eu"), releasable_to=[orgs["eu"]],
                                         evidence={"meetings": [value]})
        assert refused.value.field == "meetings"
        return str(refused.value).replace(str(value), "N")

    hidden, missing = refusal(secret.pk), refusal(secret.pk + 900_000)
    assert hidden == missing and secret.title not in hidden
    refusal(10**30)  # a number no database column holds: the same clear error, no overflow
    refusal("abc")
    assert not c_exists(commitment, open_period)


def c_exists(commitment, period):
    from rapport.contributions.models import Contribution

    return Contribution.objects.filter(commitment=commitment, period=period).exists()


# The audit log of a contribution stays with it ------------------------------------------------------


def test_returned_contribution_history_stays_with_its_organisation(make_user, level, orgs, open_period, commitment):
    drafter, approver = make_user("eu", "drafter", 2), make_user("eu", "approver", 3)
    c = services.create_contribution(actor=drafter, commitment=commitment, period=open_period, narrative="One.",
                                     classification=level(0, scheme="eu"), releasable_to=[])
    c = services.submit_contribution(actor=drafter, contribution=c, message="SUBMIT-NOTE")
    c = services.return_contribution(actor=approver, contribution=c, message="RETURN-REASON")
    outsiders = [make_user("nato", "reader", 3), make_user(delegation="FI", clearance=3),
                 make_user(delegation="AT", clearance=3)]
    insider = make_user("eu", "reader", 1)
    for who in outsiders:
        seen = AuditEvent.objects.for_object(c).visible_to(who)
        assert not seen.exists(), f"{who} reads the history of a returned contribution"
        assert not AuditEvent.objects.visible_to(who).filter(message__in=["SUBMIT-NOTE", "RETURN-REASON"]).exists()
    assert set(AuditEvent.objects.for_object(c).visible_to(insider).values_list("message", flat=True)) >= {
        "SUBMIT-NOTE", "RETURN-REASON"}
    # Once submitted again the other organisation reads its submissions, but what happened while it was
    # with the EU (created, edited, returned) stays internal.
    c = services.edit_contribution(actor=drafter, contribution=c, base_version=c.version, narrative="Two.",
                                   classification=level(0, scheme="eu"), releasable_to=[])
    c = services.submit_contribution(actor=drafter, contribution=c, message="AGAIN")
    verbs = set(AuditEvent.objects.for_object(c).visible_to(outsiders[0]).values_list("verb", flat=True))
    assert verbs == {"contribution.submitted"}
    assert not AuditEvent.objects.visible_to(outsiders[0]).filter(message="RETURN-REASON").exists()


def test_audit_page_of_a_draft_answers_as_a_missing_one(make_user, level, orgs, open_period, commitment):
    drafter = make_user("eu", "drafter", 2)
    c = services.create_contribution(actor=drafter, commitment=commitment, period=open_period, narrative="Draft.",
                                     classification=level(0, scheme="eu"), releasable_to=[])
    nato = Client()
    nato.force_login(make_user("nato", "reader", 3))
    url = reverse("audit-object", args=["contributions.contribution", c.pk])
    missing = reverse("audit-object", args=["contributions.contribution", c.pk + 900_000])
    denied, absent = nato.get(url), nato.get(missing)
    assert denied.status_code == absent.status_code == 404
    assert denied.content == absent.content
    eu = Client()
    eu.force_login(drafter)
    assert eu.get(url).status_code == 200
    assert nato.get(reverse("audit-object", args=["no.such", 1])).content == absent.content


# "What waits for me" is the policy's answer, not a role check of its own ---------------------------


def test_waiting_for_agrees_with_the_policy(make_user, level, orgs, open_period, eu_nato):
    from rapport.access.policy import can
    from rapport.contributions.rules import ContributionAction, waiting_for

    drafter, approver = make_user("eu", "drafter", 2), make_user("eu", "approver", 3)
    commitments = list(Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("pk")[:4])
    made = []
    for n, c in enumerate(commitments):
        x = services.create_contribution(actor=drafter, commitment=c, period=open_period, narrative=f"Text {n}.",
                                         classification=level(1, scheme="eu"), releasable_to=[orgs["eu"]])
        if n >= 1:
            x = services.submit_contribution(actor=drafter, contribution=x)
        if n == 2:
            x = services.return_contribution(actor=approver, contribution=x, message="Again.")
        if n == 3:
            x = services.approve_contribution(actor=approver, contribution=x)
        made.append(x)
    users = [drafter, approver, make_user("eu", "coordinator", 3), make_user("eu", "reader", 3),
             make_user("eu", "administrator", 3), make_user("nato", "approver", 3)]
    asked = {"to_submit": ContributionAction.SUBMIT, "returned": ContributionAction.EDIT,
             "to_approve": ContributionAction.APPROVE}
    state = {"to_submit": "draft", "returned": "returned", "to_approve": "submitted"}
    from rapport.contributions.models import Contribution

    visible = Contribution.objects.filter(pk__in=[x.pk for x in made])
    for user in users:
        work = waiting_for(user, visible)
        for key, action in asked.items():
            expected = {x.pk for x in made if x.state == state[key] and can(user, action, x)}
            assert {x.pk for x in work[key]} == expected, (user.username, key)
    # The coordinator writes but does not approve; the approver approves but does not write.
    assert not waiting_for(make_user("eu", "coordinator", 3), visible)["to_approve"]
    assert [x.pk for x in waiting_for(approver, visible)["to_approve"]] == [made[1].pk]


# A report's approval covers the content its approvers saw ---------------------------------------------


def test_content_approved_after_the_report_clears_its_approvals(make_user, level, orgs, open_period, commitment):
    from rapport.reports import workflow
    from rapport.reports.models import Report

    report = Report.objects.get(period=open_period)
    eu_approver, nato_approver = make_user("eu", "approver", 3), make_user("nato", "approver", 3)
    report = workflow.approve_report(actor=eu_approver, report=report)
    report = workflow.approve_report(actor=nato_approver, report=report)
    assert (report.state, report.version) == ("approved", 1)
    drafter = make_user("nato", "drafter", 2)
    c = services.create_contribution(actor=drafter, commitment=commitment, period=open_period, narrative="Late.",
                                     classification=level(0, scheme="nato"), releasable_to=[])
    c = services.submit_contribution(actor=drafter, contribution=c)
    report.refresh_from_db()
    assert report.state == "approved"  # a draft or a submitted text is not in the report
    services.approve_contribution(actor=nato_approver, contribution=c)
    report.refresh_from_db()
    assert (report.state, report.version) == ("draft", 2)
    assert not report.approvals.filter(withdrawn_at__isnull=True).exists()
    cleared = AuditEvent.objects.for_object(report).filter(verb="report.approvals_cleared").get()
    assert cleared.actor == nato_approver and "changed the report's content" in cleared.message
    with pytest.raises(Refused):
        workflow.publish_report(actor=make_user("nato", "coordinator", 3), report=report)


def test_a_published_report_closes_its_period(make_user, level, orgs, open_period, commitment):
    from rapport.reports import workflow
    from rapport.reports.models import Report

    drafter, nato_approver = make_user("nato", "drafter", 2), make_user("nato", "approver", 3)
    submitted = services.submit_contribution(actor=drafter, contribution=services.create_contribution(
        actor=drafter, commitment=commitment, period=open_period, narrative="Waiting.",
        classification=level(0, scheme="nato"), releasable_to=[]))
    report = Report.objects.get(period=open_period)
    for approver in (make_user("eu", "approver", 3), nato_approver):
        report = workflow.approve_report(actor=approver, report=report)
    workflow.publish_report(actor=make_user("eu", "coordinator", 3), report=report)
    open_period.refresh_from_db()
    assert open_period.state == "published"
    assert AuditEvent.objects.for_object(open_period).filter(verb="period.closed").exists()
    for call in (lambda: services.approve_contribution(actor=nato_approver, contribution=submitted),
                 lambda: services.return_contribution(actor=nato_approver, contribution=submitted, message="No."),
                 lambda: services.create_contribution(actor=drafter, commitment=commitment, period=open_period,
                                                      narrative="Too late.", classification=level(0, scheme="nato"),
                                                      releasable_to=[])):
        with pytest.raises(Refused, match="not open"):
            call()
    report.refresh_from_db()
    assert report.state == "published"


def test_a_joint_text_entering_or_leaving_the_report_clears_its_approvals(make_user, level, orgs, open_period,
                                                                          commitment):
    from rapport.reports import workflow
    from rapport.reports.models import Report

    eu_approver, nato_approver = make_user("eu", "approver", 3), make_user("nato", "approver", 3)

    def approve_report():
        report = Report.objects.get(period=open_period)
        for approver in (eu_approver, nato_approver):
            report = workflow.approve_report(actor=approver, report=report)
        return report

    jt = _joint(make_user("eu", "drafter", 2), commitment, open_period, level, orgs)
    approve_report()
    jt = services.approve_joint_text(actor=eu_approver, joint_text=jt)
    assert Report.objects.get(period=open_period).state == "approved"  # one approval: not yet in the report
    jt = services.approve_joint_text(actor=nato_approver, joint_text=jt)
    assert Report.objects.get(period=open_period).state == "draft"
    approve_report()
    services.return_joint_text(actor=nato_approver, joint_text=jt, message="Our figures changed.")
    report = Report.objects.get(period=open_period)
    assert (report.state, report.version) == ("draft", 3)
