"""Reports through the API: the editions a caller may download are those the report pages
offer them, a file is rendered and audited as on the pages, an edition the caller may not
have answers 404 as a missing one; a contribution's revisions follow its visibility and each
revision's own marking."""

from __future__ import annotations

import hashlib

import pytest

from rapport.audit.models import AuditEvent
from rapport.reports.models import Report
from rapport.reports.readers import readable_editions

from .clients import token_client

pytestmark = pytest.mark.django_db



@pytest.fixture
def report9(eu_nato):
    return Report.objects.select_related("period").get(period__partnership=eu_nato, period__ordinal=9)


def test_the_editions_are_the_pages_and_a_download_is_audited(make_user, report9, eu_nato):
    eu = make_user(org="eu", role="coordinator", clearance=3)
    client = token_client(eu, scope="read")
    listed = client.get(f"/api/v1/reports/{report9.pk}/editions")
    assert listed.status_code == 200
    body = listed.json()
    assert [e["edition"] for e in body["editions"]] == [e.name for e in readable_editions(eu, eu_nato, report9)]
    assert "eu:C-UE" in [e["edition"] for e in body["editions"]] and "nato" not in str(body["editions"])
    assert {a["organisation"] for a in body["approvals"]} <= {"eu", "nato"}
    url = body["editions"][0]["download"].format(format="md")
    got = client.get(url)
    assert got.status_code == 200 and "attachment" in got["Content-Disposition"]
    assert got["X-Content-SHA256"] == hashlib.sha256(got.content).hexdigest()
    entry = AuditEvent.objects.filter(verb="report.downloaded", actor=eu).latest("seq")
    assert entry.after["format"] == "md" and entry.after["sha256"] == got["X-Content-SHA256"]


@pytest.mark.parametrize("edition, fmt, status", [
    ("nato", "md", 404),  # another organisation's edition
    ("eu:S-UE", "md", 404),  # above the caller's clearance
    ("nonsense", "md", 404),
    ("public", "exe", 400),
])
def test_editions_the_caller_may_not_have(make_user, report9, edition, fmt, status):
    client = token_client(make_user(org="eu", role="coordinator", clearance=3), scope="read")
    before = AuditEvent.objects.filter(verb="report.downloaded").count()
    answer = client.get(f"/api/v1/reports/{report9.pk}/download", {"edition": edition, "format": fmt})
    assert answer.status_code == status and answer["Content-Type"] == "application/problem+json"
    assert AuditEvent.objects.filter(verb="report.downloaded").count() == before
    if status == 404:
        missing = client.get(f"/api/v1/reports/{report9.pk + 900_000}/download", {"edition": edition, "format": fmt})
        assert missing.content == answer.content


def test_revisions_follow_the_contribution_and_their_own_marking(make_user, eu_nato, level):
    from rapport.commitments.models import Commitment
    from rapport.contributions import services
    from rapport.periods.models import ReportingPeriod

    period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    ReportingPeriod.objects.filter(pk=period.pk).update(contributions_due=None)
    period.refresh_from_db()
    commitment = Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("order").first()
    drafter = make_user(org="eu", role="drafter", clearance=5)
    eu = list(eu_nato.organisations.filter(key="eu"))
    c = services.create_contribution(actor=drafter, commitment=commitment, period=period, narrative="MXREV one",
                                     classification=level("RESTREINT UE/EU RESTRICTED"), releasable_to=eu)
    services.edit_contribution(actor=drafter, contribution=c, base_version=1, narrative="MXREV two",
                               classification=level("CONFIDENTIEL UE/EU CONFIDENTIAL"), releasable_to=eu)
    services.edit_contribution(actor=drafter, contribution=c, base_version=2, narrative="MXREV three",
                               classification=level("RESTREINT UE/EU RESTRICTED"), releasable_to=eu)
    url = f"/api/v1/contributions/{c.pk}/revisions"
    assert [r["narrative"] for r in token_client(drafter, scope="read").get(url).json()] == ["MXREV one", "MXREV two", "MXREV three"]
    low = make_user(org="eu", role="drafter", clearance=2)  # cleared for RESTRICTED, not CONFIDENTIAL
    assert [r["narrative"] for r in token_client(low, scope="read").get(url).json()] == ["MXREV one", "MXREV three"]
    other = token_client(make_user(org="nato", role="drafter", clearance=5), scope="read")
    assert other.get(url).status_code == 404  # a draft stays home


def test_a_part_of_a_report_the_caller_may_not_read_is_not_listed(make_user, report9, level):
    from rapport.partnerships.models import Organisation
    from rapport.reports.models import Highlight

    Report.objects.filter(pk=report9.pk).update(classification=level("NATO RESTRICTED"))
    report9.releasable_to.set(Organisation.objects.filter(key="nato"))
    part = Highlight.objects.create(report=report9, text="MXPARTOFHIDDEN", classification=level(0, scheme="nato"),
                                    state="approved", order=99)
    eu = token_client(make_user(org="eu", role="reader", clearance=5), scope="read")
    nato = token_client(make_user(org="nato", role="reader", clearance=3), scope="read")
    assert "MXPARTOFHIDDEN" not in eu.get("/api/v1/highlights", {"limit": 200}).content.decode()
    assert eu.get(f"/api/v1/highlights/{part.pk}").status_code == 404
    assert eu.get(f"/api/v1/labels/highlights/{part.pk}").status_code == 404
    seen = nato.get(f"/api/v1/highlights/{part.pk}")
    assert seen.status_code == 200 and seen.json()["period"] == 9 and seen.json()["text"] == "MXPARTOFHIDDEN"
