"""A highlight's page lists the contributions it rests on: the approved contributions of the
report's period on the highlight's commitments, only those the reader may read."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.commitments.models import Commitment
from rapport.contributions.choices import ContributionState
from rapport.contributions.models import Contribution
from rapport.partnerships.models import Organisation
from rapport.reports import parts
from rapport.reports.choices import ReportState
from rapport.reports.models import Report

pytestmark = pytest.mark.django_db


def _contribution(org, commitment, period, text, level, marking=None, to=None, state=ContributionState.APPROVED):
    c = Contribution.objects.create(organisation=org, commitment=commitment, period=period, narrative=text,
                                    state=state, classification=marking or level(0, scheme=org.key))
    c.releasable_to.set(to if to is not None else period.partnership.organisations.all())
    return c


def test_the_highlight_page_lists_the_contributions_it_rests_on(eu_nato, make_user, level):
    report = (Report.objects.filter(period__partnership=eu_nato).exclude(state=ReportState.PUBLISHED)
              .select_related("period").order_by("-period__ordinal").first())
    period = report.period
    eu, nato = Organisation.objects.get(key="eu"), Organisation.objects.get(key="nato")
    first, second, other = Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("order")[:3]
    _contribution(eu, first, period, "MXEU approved text on the first.", level)
    _contribution(nato, second, period, "MXNATO restricted text.", level, marking=level("NATO RESTRICTED"), to=[nato])
    _contribution(eu, second, period, "MXDRAFT still a draft.", level, state=ContributionState.DRAFT)
    _contribution(eu, other, period, "MXOTHER on a commitment the highlight does not name.", level)
    coordinator = make_user(org="eu", role="coordinator", clearance=3)
    highlight = parts.create_highlight(actor=coordinator, report=report, text="Two strands moved.",
                                       classification=level(0, scheme="eu"), releasable_to=[eu, nato],
                                       links={"commitments": [first.pk, second.pk]})
    path = f"/reports/{period.ordinal}/parts/highlight/{highlight.pk}/edit/"

    def page(user):
        client = Client()
        client.force_login(user)
        return client.get(path).content.decode()

    eu_page = page(coordinator)
    assert "Contributions it rests on" in eu_page and "MXEU approved" in eu_page
    assert "MXNATO" not in eu_page and "MXDRAFT" not in eu_page and "MXOTHER" not in eu_page
    nato_page = page(make_user(org="nato", role="approver", clearance=3))
    assert "MXNATO restricted" in nato_page and "MXEU approved" in nato_page and "MXDRAFT" not in nato_page


def test_a_highlight_without_commitments_says_so_and_readers_see_what_it_is_about(eu_nato, make_user, level):
    report = (Report.objects.filter(period__partnership=eu_nato).exclude(state=ReportState.PUBLISHED)
              .select_related("period").order_by("-period__ordinal").first())
    eu, nato = Organisation.objects.get(key="eu"), Organisation.objects.get(key="nato")
    coordinator = make_user(org="eu", role="coordinator", clearance=3)
    bare = parts.create_highlight(actor=coordinator, report=report, text="Unlinked.",
                                  classification=level(0, scheme="eu"), releasable_to=[eu, nato])
    client = Client()
    client.force_login(make_user(org="nato", role="reader", clearance=3))
    page = client.get(f"/reports/{report.period.ordinal}/parts/highlight/{bare.pk}/edit/").content.decode()
    assert "names no commitment you may read" in page
    first = Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("order").first()
    linked = parts.create_highlight(actor=coordinator, report=report, text="Linked.",
                                    classification=level(0, scheme="eu"), releasable_to=[eu, nato],
                                    links={"commitments": [first.pk]})
    page = client.get(f"/reports/{report.period.ordinal}/parts/highlight/{linked.pk}/edit/").content.decode()
    assert f"/commitments/{first.pk}/" in page and "No approved contribution of period" in page


def test_a_refused_writer_is_told_the_policy_not_the_forms_fields(eu_nato, make_user, level):
    report = (Report.objects.filter(period__partnership=eu_nato).exclude(state=ReportState.PUBLISHED)
              .select_related("period").order_by("-period__ordinal").first())
    client = Client()
    client.force_login(make_user(org=None, delegation="FI", role="reader", clearance=3))
    response = client.post(f"/reports/{report.period.ordinal}/parts/highlight/new/",
                           {"highlight-text": "x", "highlight-classification": level(0).pk}, follow=True)
    body = response.content.decode()
    assert "Not allowed:" in body and "Select a valid choice" not in body
