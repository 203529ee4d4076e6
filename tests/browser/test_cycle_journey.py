"""The yearly cycle end to end, in the browsers of the people who run it: both coordinators
open a period; drafters write and are reminded; after the deadline a late contribution needs
its organisation's extension; the coordinators adopt a suggested highlight and start a joint
text, discuss it, both organisations approve everything; the report is published, the period
closes, and nothing more can be written in it. Screenshots of each step go to the artefacts."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(make_user):
    people = {}
    for org in ("eu", "nato"):
        for role, clearance in (("drafter", 2), ("approver", 3), ("coordinator", 3)):
            people[f"{org}-{role}"] = make_user(org=org, role=role, clearance=clearance, username=f"cy-{org}-{role}")
    return people


def _click(session, name):
    session.page.get_by_role("button", name=name).first.click()
    # A form posts by navigation or by htmx: the next step reads what it wrote, so let it land.
    session.page.wait_for_load_state("networkidle")


def test_the_reporting_cycle(browse, people, eu_nato):
    from rapport.commitments.models import Commitment
    from rapport.contributions.models import Contribution, JointText
    from rapport.notifications.models import Notification
    from rapport.periods.models import ReportingPeriod
    from rapport.reports.models import Report

    last = ReportingPeriod.objects.filter(partnership=eu_nato).order_by("-ordinal").first()
    first, late = Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("order", "ref")[:2]
    coordinators = {org: browse().sign_in(f"cy-{org}-coordinator") for org in ("eu", "nato")}

    # 1. The coordinators plan the next period and both agree to open it.
    eu = coordinators["eu"]
    eu.go(f"/periods/{last.ordinal}/")
    _click(eu, "Plan the next period")
    period = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=last.ordinal + 1)
    for org, session in coordinators.items():
        session.go(f"/periods/{period.ordinal}/")
        _click(session, f"Agree for {org.upper()}: open the period for contributions")
    session.shot("cycle-1-period-opened")
    period.refresh_from_db()
    assert period.state == "open"

    # 2. A drafter writes and submits; its approver approves.
    drafter = browse().sign_in("cy-eu-drafter")
    drafter.go(f"/commitments/{first.pk}/periods/{period.ordinal}/contribution/")
    drafter.page.get_by_label("Progress in this period").fill("Both staffs held four joint workshops this year.")
    drafter.page.get_by_label("Your organisation's assessment").select_option(label="Substantial")
    drafter.page.get_by_label("Marking", exact=True).select_option(label="PUBLIC")
    _click(drafter, "Save draft")
    _click(drafter, "Submit for approval")
    drafter.shot("cycle-2-submitted")
    approver = browse().sign_in("cy-eu-approver")
    contribution = Contribution.objects.get(commitment=first, period=period, organisation__key="eu")
    approver.go(f"/contributions/{contribution.pk}/")
    _click(approver, "Approve")
    contribution.refresh_from_db()
    assert contribution.state == "approved"

    # 3. Reminders: a week before the deadline, the drafters who owe a text are told.
    reminder_day = period.contributions_due - datetime.timedelta(days=7)
    call_command("remind", today=reminder_day.isoformat())
    notice = Notification.objects.get(recipient=people["eu-drafter"], kind="reminder")
    drafter.go("/inbox/")
    drafter.shot("cycle-3-reminded")
    assert drafter.page.get_by_text(notice.title).count() == 1

    # 4. After the deadline, writing needs the organisation's own extension.
    after = (period.contributions_due + datetime.timedelta(days=1)).isoformat()
    with override_settings(RAPPORT_TODAY=after):
        nato_drafter = browse().sign_in("cy-nato-drafter")
        response = nato_drafter.go(f"/commitments/{late.pk}/periods/{period.ordinal}/contribution/")
        assert "deadline" in nato_drafter.page.content()
        nato = coordinators["nato"]
        nato.go(f"/periods/{period.ordinal}/")
        nato.page.get_by_label("Commitment reference").fill(late.ref)
        nato.page.get_by_label("Until").fill((period.contributions_due + datetime.timedelta(days=14)).isoformat())
        nato.page.get_by_label("Reason").fill("The lead unit's expert was deployed.")
        _click(nato, "Grant the extension")
        nato.shot("cycle-4-extension")
        response = nato_drafter.go(f"/commitments/{late.pk}/periods/{period.ordinal}/contribution/")
        assert response.status == 200
        nato_drafter.page.get_by_label("Progress in this period").fill("Late, under an extension: staff talks held.")
        nato_drafter.page.get_by_label("Marking", exact=True).select_option(label="PUBLIC")
        _click(nato_drafter, "Save draft")
        assert Contribution.objects.filter(commitment=late, period=period, organisation__key="nato").exists()

        # 5. The coordinators start the report, adopt a suggested highlight and start a joint text.
        eu.go(f"/periods/{period.ordinal}/")
        _click(eu, "Start the report of this period")
        eu.go(f"/reports/{period.ordinal}/edit/")
        eu.shot("cycle-5-editor")
        _click(eu, "Adopt as a draft highlight")
        report = Report.objects.get(period=period)
        assert report.highlights.count() == 1
        eu.go(f"/commitments/{first.pk}/periods/{period.ordinal}/joint-text/")
        eu.page.get_by_label("Text", exact=True).fill("Both organisations report steady joint work on this commitment.")
        eu.page.get_by_label("Marking", exact=True).select_option(label="PUBLIC")
        _click(eu, "Save")
        joint = JointText.objects.get(commitment=first, period=period)

        # 6. They discuss the joint text in its thread.
        nato.go(f"/joint-texts/{joint.pk}/")
        nato.page.get_by_label("Comment").fill("@cy-eu-coordinator Fine for NATO; shall we add the workshops?")
        _click(nato, "Post comment")
        nato.shot("cycle-6-thread")
        assert Notification.objects.filter(recipient=people["eu-coordinator"], kind="mention").exists()

        # 7. Both organisations approve the joint text, the highlight and the report; a coordinator publishes.
        for org in ("eu", "nato"):
            session = browse().sign_in(f"cy-{org}-approver") if org == "nato" else approver
            session.go(f"/joint-texts/{joint.pk}/")
            _click(session, f"Approve for {org.upper()}")
            session.go(f"/reports/{period.ordinal}/edit/")
            _click(session, f"Approve for {org.upper()}")
        for org in ("eu", "nato"):
            session = browse().sign_in(f"cy-{org}-approver")
            session.go(f"/reports/{period.ordinal}/")
            _click(session, f"Approve for {org.upper()}")
        report.refresh_from_db()
        assert report.state == "approved", report.state
        nato.go(f"/reports/{period.ordinal}/")
        _click(nato, "Publish")
        nato.shot("cycle-7-published")
        period.refresh_from_db()
        assert (Report.objects.get(pk=report.pk).state, period.state) == ("published", "published")

        # 8. Nothing more is written in the period.
        nato_drafter.go(f"/commitments/{first.pk}/periods/{period.ordinal}/contribution/")
        assert "not open" in nato_drafter.page.content()
        nato_drafter.shot("cycle-8-closed")
