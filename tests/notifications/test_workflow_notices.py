"""Notices of workflow steps (rapport/notifications/workflow.py): who is told of a submission,
an approval, a return, the report's approvals and its publication — never the actor, never
anyone who may not read the text, never with a reference the recipient may not read — and
that a step rolled back tells nobody."""

from __future__ import annotations

import pytest
from django.db import transaction

from rapport.contributions import services
from rapport.core.errors import Refused
from rapport.notifications.models import Notification
from rapport.reports import parts, workflow
from rapport.reports.models import Report

pytestmark = [pytest.mark.django_db, pytest.mark.workflow_notices]


def told(user, kind="workflow") -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("pk").values_list("title", flat=True))


@pytest.fixture
def staff(person):
    return {
        "eu-drafter": person("eu", "drafter", 3), "eu-approver": person("eu", "approver", 3),
        "eu-approver-2": person("eu", "approver", 3), "nato-approver": person("nato", "approver", 3),
        "eu-coordinator": person("eu", "coordinator", 3), "nato-coordinator": person("nato", "coordinator", 3),
        "eu-reader": person("eu", "reader", 3),
    }


def test_a_submission_tells_its_organisations_approvers_and_a_decision_its_author(staff, write, commitments):
    c = write(staff["eu-drafter"], commitments[0], "Progress.", submit=True)
    ref = commitments[0].ref
    for key in ("eu-approver", "eu-approver-2"):
        assert told(staff[key]) == [f"A contribution on {ref} waits for your approval"]
    # Not the other organisation's approvers, readers, coordinators or the author.
    for key in ("nato-approver", "eu-reader", "eu-coordinator", "eu-drafter"):
        assert told(staff[key]) == [], key
    notice = Notification.objects.filter(recipient=staff["eu-approver"]).get()
    assert notice.url == f"/contributions/{c.pk}/"
    c = services.return_contribution(actor=staff["eu-approver"], contribution=c, message="Name the exercise.")
    assert told(staff["eu-drafter"]) == [f"Your contribution on {ref} was returned: the reason is on its page"]
    c = services.submit_contribution(actor=staff["eu-drafter"], contribution=c)
    services.approve_contribution(actor=staff["eu-approver-2"], contribution=c)
    assert told(staff["eu-drafter"])[-1] == f"Your contribution on {ref} was approved"
    # The approver is told of each submission once, and never of their own step.
    assert told(staff["eu-approver-2"]) == [f"A contribution on {ref} waits for your approval"] * 2


def test_a_title_names_a_commitment_only_to_its_readers(eu_nato, level, person):
    from rapport.commitments.models import Commitment
    from rapport.notifications.workflow import _on
    from rapport.partnerships.models import Organisation

    secret = Commitment.objects.create(partnership=eu_nato, ref="MX-SECRET-01", mandate=eu_nato.mandates.first(),
                                       area=eu_nato.areas.first(), title="MX secret", text="MX secret",
                                       classification=level("NATO CONFIDENTIAL"), order=9999)
    secret.releasable_to.set(Organisation.objects.filter(key__in=["nato", "eu"]))
    assert _on(person("eu", "approver", 1), secret.pk, "on %(ref)s", "unnamed") == "unnamed"
    assert _on(person("eu", "approver", 5), secret.pk, "on %(ref)s", "unnamed") == "on MX-SECRET-01"


def test_a_nato_only_contribution_tells_no_eu_user(staff, write, commitments, person):
    write(person("nato", "drafter", 3), commitments[1], "NATO only.", marking="NATO RESTRICTED", to=["nato"],
          submit=True)
    assert told(staff["nato-approver"]) == [f"A contribution on {commitments[1].ref} waits for your approval"]
    assert all(told(staff[k]) == [] for k in staff if k.startswith("eu-"))


def test_a_step_rolled_back_tells_nobody(staff, write, commitments):
    c = write(staff["eu-drafter"], commitments[2], "Progress.")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_contribution(actor=staff["eu-drafter"], contribution=c)
        raise RuntimeError("the request failed after the step")
    assert Notification.objects.count() == 0


def test_the_reports_approvals_and_publication(staff, eu_nato, level):
    report = Report.objects.select_related("period").get(period__partnership=eu_nato, state="draft")
    n = report.period.ordinal
    workflow.approve_report(actor=staff["eu-approver"], report=report)
    assert told(staff["nato-approver"]) == [f"Report {n} is approved by EU and waits for your organisation's approval"]
    assert told(staff["eu-approver-2"]) == []  # their organisation has approved
    report = workflow.approve_report(actor=staff["nato-approver"], report=Report.objects.get(pk=report.pk))
    for key in ("eu-coordinator", "nato-coordinator"):
        assert told(staff[key]) == [f"Report {n} is approved by every organisation and may be published"]
    # A part entering the report clears its approvals: each organisation's approvers are told.
    h = parts.create_highlight(actor=staff["eu-coordinator"], report=report, text="New line.",
                               classification=level(0, scheme="eu"),
                               releasable_to=list(eu_nato.organisations.all()))
    h = parts.approve_part(actor=staff["eu-approver"], part=h)
    parts.approve_part(actor=staff["nato-approver"], part=h)
    cleared = f"The approvals of report {n} were cleared by a change of its content"
    new_part = f"A new highlight of report {n} waits for your approval"
    assert told(staff["eu-approver-2"]) == [new_part, cleared] and cleared in told(staff["eu-approver"])
    # (the NATO approver's own approval cleared them: they are not told of their own step)
    assert told(staff["nato-approver"])[-1] == new_part and cleared not in told(staff["nato-approver"])
    # A returned part tells its writer.
    h2 = parts.create_outlook(actor=staff["nato-coordinator"], report=report, text="Next steps.",
                              classification=level(0, scheme="nato"), releasable_to=list(eu_nato.organisations.all()))
    h2 = parts.approve_part(actor=staff["eu-approver"], part=h2)
    parts.return_part(actor=staff["eu-approver"], part=h2, message="Too vague.")
    assert told(staff["nato-coordinator"])[-1] == f"The outlook item of report {n} you wrote was returned"
    # Publication tells every coordinator and approver but the one who published.
    report = workflow.approve_report(actor=staff["eu-approver"], report=Report.objects.get(pk=report.pk))
    report = workflow.approve_report(actor=staff["nato-approver"], report=Report.objects.get(pk=report.pk))
    with pytest.raises(Refused):
        workflow.publish_report(actor=staff["eu-reader"], report=report)
    workflow.publish_report(actor=staff["eu-coordinator"], report=report)
    for key in ("nato-coordinator", "eu-approver", "nato-approver", "eu-approver-2"):
        assert told(staff[key])[-1] == f"Report {n} is published", key
    assert f"Report {n} is published" not in told(staff["eu-coordinator"])
    assert told(staff["eu-reader"]) == []


def test_a_decision_tells_everyone_who_wrote_a_version(staff, write, commitments, person):
    from rapport.contributions.models import Contribution

    c = write(staff["eu-drafter"], commitments[3], "First text.")
    editor = person("eu", "drafter", 3)
    c = services.edit_contribution(actor=editor, contribution=c, base_version=c.version, narrative="Second text.",
                                   classification=c.classification, releasable_to=list(c.releasable_to.all()))
    c = services.submit_contribution(actor=editor, contribution=c)
    services.return_contribution(actor=staff["eu-approver"], contribution=Contribution.objects.get(pk=c.pk),
                                 message="Add the dates.")
    returned = f"Your contribution on {commitments[3].ref} was returned: the reason is on its page"
    assert told(staff["eu-drafter"]) == [returned] and told(editor) == [returned]


def test_a_part_tells_the_approvers_it_needs(staff, eu_nato, level):
    import datetime

    report = Report.objects.select_related("period").get(period__partnership=eu_nato, state="draft")
    n = report.period.ordinal
    every = list(eu_nato.organisations.all())
    h = parts.create_highlight(actor=staff["eu-coordinator"], report=report, text="A line.",
                               classification=level(0, scheme="eu"), releasable_to=every)
    waiting = f"A new highlight of report {n} waits for your approval"
    for key in ("eu-approver", "eu-approver-2", "nato-approver"):
        assert told(staff[key]) == [waiting], key
    assert told(staff["eu-reader"]) == [] and told(staff["nato-coordinator"]) == []
    # A drafting edit asks nobody again; an edit after an approval asks every approver again.
    h = parts.edit_part(actor=staff["eu-coordinator"], part=h, base_version=h.version, text="A better line.",
                        classification=h.classification, releasable_to=every)
    assert told(staff["nato-approver"]) == [waiting]
    h = parts.approve_part(actor=staff["nato-approver"], part=h)
    parts.edit_part(actor=staff["eu-coordinator"], part=h, base_version=h.version, text="Changed after approval.",
                    classification=h.classification, releasable_to=every)
    assert told(staff["nato-approver"])[-1] == f"The highlight of report {n} changed after an approval: approve it again"
    # A Council action waits for its own organisation's approvers only.
    parts.create_council_action(actor=staff["nato-coordinator"], report=report, action="took_note",
                                date=datetime.date(2026, 6, 1), classification=level(0, scheme="nato"),
                                releasable_to=every)
    assert told(staff["nato-approver"])[-1] == f"A new Council action of report {n} waits for your approval"
    assert all("Council action" not in t for t in told(staff["eu-approver"]))
