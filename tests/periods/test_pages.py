"""The cycle in the browser's pages: stages and deadlines with days left, the coordinators'
steps, deadlines and extensions, and what one organisation's page never shows the other."""

from __future__ import annotations

import datetime

import pytest

from rapport.periods import services
from rapport.periods.models import Extension, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_period(eu_nato):
    return ReportingPeriod.objects.get(partnership=eu_nato, state="open")


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_cycle_shows_every_period_with_its_stage_and_days_left(client, make_user, open_period):
    html = _page(client, make_user(org="eu", role="reader", clearance=0), "/periods/")
    assert "Open for contributions" in html and "Report in preparation" in html
    left = (open_period.contributions_due - datetime.date(2026, 11, 26)).days  # the suite's fixed day
    assert f"({left} days left)" in html
    detail = _page(client, make_user(org="nato", role="drafter"), f"/periods/{open_period.ordinal}/")
    assert f"{left} days left" in detail
    assert "Agree for" not in detail  # a drafter has no step to agree to


def test_coordinators_move_the_period_from_the_page_and_others_change_nothing(client, make_user, open_period):
    url = f"/periods/{open_period.ordinal}/agree/"
    drafter = make_user(org="eu", role="drafter")
    client.force_login(drafter)
    response = client.post(url, {"step": "close_contributions"}, follow=True)
    assert "only the coordinators" in response.content.decode()
    assert not open_period.agreements.exists()
    for org in ("eu", "nato"):
        coordinator = make_user(org=org, role="coordinator")
        page = _page(client, coordinator, f"/periods/{open_period.ordinal}/")
        assert "Agree for" in page
        client.post(url, {"step": "close_contributions"})
    open_period.refresh_from_db()
    assert open_period.state == "contributions_closed"


def test_a_bad_deadline_from_the_form_is_named_and_changes_nothing(client, make_user, open_period):
    coordinator = make_user(org="nato", role="coordinator")
    client.force_login(coordinator)
    before = open_period.report_due
    response = client.post(f"/periods/{open_period.ordinal}/deadlines/", {
        "contributions_due": "2027-04-30", "joint_texts_due": "2027-05-14", "approval_due": "2027-06-04",
        "report_due": "30/06/2027"}, follow=True)
    assert "is not a date" in response.content.decode()
    response = client.post(f"/periods/{open_period.ordinal}/deadlines/", {
        "contributions_due": "2027-04-30", "joint_texts_due": "2027-03-01", "approval_due": "2027-06-04",
        "report_due": "2027-06-30"}, follow=True)
    assert "may not be before" in response.content.decode()
    open_period.refresh_from_db()
    assert open_period.report_due == before and open_period.joint_texts_due == datetime.date(2027, 5, 14)
    assert client.post(f"/periods/{open_period.ordinal}/nonsense/").status_code == 404


def test_an_organisations_extension_is_shown_to_its_own_staff_only(client, make_user, open_period, level, eu_nato):
    from rapport.commitments.models import Commitment
    from rapport.partnerships.models import Organisation
    from tests.synthetic import mark

    nato = make_user(org="nato", role="coordinator", clearance=3)
    for org in ("eu", "nato"):
        services.agree(actor=make_user(org=org, role="coordinator"), period=open_period, step="close_contributions")
    open_period.refresh_from_db()
    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("pk").first()
    mark(commitment, level("NATO CONFIDENTIAL"), [Organisation.objects.get(key="nato")])
    client.force_login(nato)
    client.post(f"/periods/{open_period.ordinal}/extend/", {
        "commitment": commitment.ref, "until": "2026-12-15", "reason": "EXTENSION-REASON-XYZ"})
    assert Extension.objects.filter(organisation__key="nato", commitment=commitment).exists()
    mine = _page(client, nato, f"/periods/{open_period.ordinal}/")
    assert "EXTENSION-REASON-XYZ" in mine and commitment.ref in mine
    for who in (make_user(org="eu", role="coordinator", clearance=3), make_user(org="nato", role="reader", clearance=1)):
        other = _page(client, who, f"/periods/{open_period.ordinal}/")
        assert "EXTENSION-REASON-XYZ" not in other and commitment.ref not in other
    # Asking for an extension on a commitment the coordinator may not see: the same answer as a missing one.
    eu = make_user(org="eu", role="coordinator", clearance=3)
    client.force_login(eu)
    hidden = client.post(f"/periods/{open_period.ordinal}/extend/", {
        "commitment": commitment.ref, "until": "2026-12-15", "reason": "x"}, follow=True).content.decode()
    missing = client.post(f"/periods/{open_period.ordinal}/extend/", {
        "commitment": "NO-SUCH-REF", "until": "2026-12-15", "reason": "x"}, follow=True).content.decode()
    assert "that you may see" in hidden and "that you may see" in missing
    assert not Extension.objects.filter(organisation__key="eu").exists()


def test_the_dashboard_says_why_periods_are_empty_and_shows_the_deadlines(client, make_user, eu_nato, open_period):
    from rapport.commitments.models import Commitment
    from rapport.contributions import services as contributions
    from rapport.markings.models import ClassificationLevel
    from rapport.partnerships.models import Organisation

    drafter = make_user(org="eu", role="drafter")
    contributions.create_contribution(
        actor=drafter, commitment=Commitment.objects.filter(partnership=eu_nato).order_by("pk").first(),
        period=open_period, narrative="Staff met.", releasable_to=list(Organisation.objects.all()),
        classification=ClassificationLevel.objects.get(scheme__key="eu", rank=0))
    html = " ".join(_page(client, drafter, "/dashboard/?org=eu").split())
    earlier = ", ".join(str(n) for n in range(1, open_period.ordinal))
    assert f"recorded for periods {earlier}." in html  # the open period has a contribution now
    assert "Contributions due 30 Apr 2027" in html


def test_a_coordinator_starts_the_report_from_the_period_page(client, make_user, open_period):
    from rapport.reports.models import Report

    drafter = make_user(org="eu", role="drafter")
    assert "Start the report" not in _page(client, drafter, f"/periods/{open_period.ordinal}/")
    client.post(f"/periods/{open_period.ordinal}/start-report/")
    assert not Report.objects.filter(period=open_period).exists()
    coordinator = make_user(org="eu", role="coordinator")
    assert "Start the report" in _page(client, coordinator, f"/periods/{open_period.ordinal}/")
    client.post(f"/periods/{open_period.ordinal}/start-report/")
    assert Report.objects.get(period=open_period).state == "draft"
    assert "The period's report" in _page(client, coordinator, f"/periods/{open_period.ordinal}/")
