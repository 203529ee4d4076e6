"""The report editor in the browser (/reports/<n>/edit/ and the part pages): forms that work
without JavaScript, what each reader is offered, bad input named with nothing changed,
suggestions and the readiness checklist from what the reader may read only, user text inert."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.contributions.choices import ContributionState
from rapport.contributions.models import Contribution
from rapport.reports import parts
from rapport.reports.choices import PartState, ReportState
from rapport.reports.models import Highlight, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(eu_nato):
    return (Report.objects.filter(period__partnership=eu_nato).exclude(state=ReportState.PUBLISHED)
            .select_related("period").order_by("-period__ordinal").first())


@pytest.fixture
def orgs(eu_nato):
    return list(eu_nato.organisations.order_by("key"))


def url(report, rest=""):
    return f"/reports/{report.period.ordinal}/{rest}"


def approved_contribution(org, commitment, period, level, text, assessment="substantial", marking=None, to=None):
    """An approved contribution in the report's period, written directly (the period may be past its deadline)."""
    from rapport.partnerships.models import AssessmentValue

    value = AssessmentValue.objects.get(scheme=period.partnership.assessment_scheme, key=assessment)
    c = Contribution.objects.create(organisation=org, commitment=commitment, period=period, narrative=text,
                                    assessment=value, state=ContributionState.APPROVED,
                                    classification=marking or level(0, scheme=org.key))
    c.releasable_to.set(to if to is not None else period.partnership.organisations.all())
    return c


def test_coordinator_adds_a_highlight_with_a_plain_form(report, make_user, signed_in, level, orgs):
    eu = make_user(org="eu", role="coordinator", clearance=3)
    client = signed_in(eu)
    page = client.get(url(report, "edit/"))
    assert page.status_code == 200
    assert b"Readiness before approval" in page.content and b"Add a highlight" in page.content
    response = client.post(url(report, "parts/highlight/new/"), {
        "highlight-text": "Staffs <b>met</b> & agreed.", "highlight-classification": level(0, scheme="eu").pk,
        "highlight-releasable_to": [o.pk for o in orgs]})
    assert response.status_code == 302
    h = Highlight.objects.get(report=report, text="Staffs <b>met</b> & agreed.")
    assert h.state == PartState.DRAFT
    page = client.get(url(report, "edit/")).content.decode()
    assert "Staffs &lt;b&gt;met&lt;/b&gt; &amp; agreed." in page and "<b>met</b>" not in page  # inert


def test_drafters_and_readers_get_no_forms_and_cannot_post(report, make_user, signed_in, level, orgs):
    for role in ("drafter", "reader", "approver"):
        client = signed_in(make_user(org="eu", role=role, clearance=3))
        page = client.get(url(report, "edit/"))
        assert page.status_code == 200 and b"Add a highlight" not in page.content
        client.post(url(report, "parts/highlight/new/"), {
            "highlight-text": f"By a {role}.", "highlight-classification": level(0, scheme="eu").pk})
        assert not Highlight.objects.filter(text=f"By a {role}.").exists()


def test_bad_input_on_edit_is_400_naming_the_field_and_changes_nothing(report, make_user, signed_in, level, orgs):
    eu = make_user(org="eu", role="coordinator", clearance=3)
    h = parts.create_highlight(actor=eu, report=report, text="Original.", classification=level(0, scheme="eu"),
                               releasable_to=orgs)
    client = signed_in(eu)
    edit = url(report, f"parts/highlight/{h.pk}/edit/")
    assert client.get(edit).status_code == 200
    for data, field in (({"text": ""}, "text"), ({"text": "x", "classification": "999999999999999999999999"},
                                                   "classification"),
                        ({"text": "x", "meetings": ["-4"]}, "meetings")):
        post = {"classification": level(0, scheme="eu").pk, "releasable_to": [o.pk for o in orgs],
                "base_version": h.version, **data}
        response = client.post(edit, post)
        assert response.status_code == 400, data
        assert f'id="id_{field}_error"'.encode() in response.content, field
    h.refresh_from_db()
    assert (h.text, h.version) == ("Original.", 1)
    stale = client.post(edit, {"text": "New.", "classification": level(0, scheme="eu").pk,
                               "releasable_to": [o.pk for o in orgs], "base_version": 0})
    assert stale.status_code == 409
    ok = client.post(edit, {"text": "New.", "classification": level(0, scheme="eu").pk,
                            "releasable_to": [o.pk for o in orgs], "base_version": 1})
    assert ok.status_code == 302
    h.refresh_from_db()
    assert (h.text, h.version) == ("New.", 2)


def test_approve_and_return_through_the_page(report, make_user, signed_in, level, orgs):
    co = make_user(org="eu", role="coordinator", clearance=3)
    h = parts.create_highlight(actor=co, report=report, text="To approve.", classification=level(0, scheme="eu"),
                               releasable_to=orgs)
    eu_ap, nato_ap = make_user(org="eu", role="approver", clearance=3), make_user(org="nato", role="approver", clearance=3)
    page = signed_in(eu_ap).get(url(report, "edit/")).content.decode()
    assert f"parts/highlight/{h.pk}/approve/" in page
    signed_in(eu_ap).post(url(report, f"parts/highlight/{h.pk}/approve/"))
    signed_in(nato_ap).post(url(report, f"parts/highlight/{h.pk}/approve/"))
    h.refresh_from_db()
    assert h.state == PartState.APPROVED
    signed_in(nato_ap).post(url(report, f"parts/highlight/{h.pk}/return/"), {"message": "Too vague."})
    h.refresh_from_db()
    assert h.state == PartState.DRAFT


def test_a_nato_only_highlight_never_reaches_an_eu_user(report, make_user, signed_in, level, orgs):
    h = Highlight.objects.create(report=report, order=50, text="NATOONLY line of the report.",
                                 state=PartState.APPROVED, classification=level("NATO RESTRICTED"))
    h.releasable_to.set([o for o in orgs if o.key == "nato"])
    from rapport.web.reporting import readable_editions

    eu_user = make_user(org="eu", role="coordinator", clearance=3)
    eu = signed_in(eu_user)
    names = [e.name for e in readable_editions(eu_user, report.period.partnership, report)]
    assert len(names) >= 2  # the public edition and the EU's own
    for address in ("edit/", "", *(f"preview/?edition={n}" for n in names)):
        response = eu.get(url(report, address))
        assert response.status_code == 200 and b"NATOONLY" not in response.content, address
    assert b"line of the report" not in eu.get("/search/?q=NATOONLY").content  # the query itself is echoed
    assert b"NATOONLY" not in eu.get("/audit/").content
    assert eu.get(url(report, f"parts/highlight/{h.pk}/edit/")).status_code == 404
    assert eu.post(url(report, f"parts/highlight/{h.pk}/return/"), {"message": "x"}).status_code == 404
    nato = signed_in(make_user(org="nato", role="coordinator", clearance=3))
    assert b"NATOONLY" in nato.get(url(report, "edit/")).content
    assert b"line of the report" in nato.get("/search/?q=NATOONLY").content


def test_suggestions_come_only_from_visible_approved_contributions(report, eu_nato, make_user, signed_in, level,
                                                                     orgs):
    from rapport.commitments.models import Commitment

    eu_org, nato_org = orgs
    c1, c2, c3, c4 = Commitment.objects.filter(partnership=eu_nato).order_by("order")[:4]
    period = report.period
    shared = approved_contribution(nato_org, c1, period, level, "SHAREDTEXT progress. " * 40)
    hidden = approved_contribution(nato_org, c2, period, level, "HIDDENTEXT progress.",
                                   marking=level("NATO RESTRICTED"), to=[nato_org])
    limited = approved_contribution(eu_org, c3, period, level, "LIMITEDTEXT progress.", assessment="limited")
    draft = approved_contribution(eu_org, c4, period, level, "DRAFTTEXT progress.")
    # The EU coordinator reads this one, but NATO may not: a joint highlight cannot quote it.
    approved_contribution(eu_org, c2, period, level, "EUONLYTEXT progress.", marking=level(1, scheme="eu"),
                          to=[eu_org])
    Contribution.objects.filter(pk=draft.pk).update(state=ContributionState.SUBMITTED)
    eu = make_user(org="eu", role="coordinator", clearance=3)
    page = signed_in(eu).get(url(report, "edit/")).content.decode()
    assert f'id="suggestion-{shared.pk}"' in page
    for text in ("HIDDENTEXT", "LIMITEDTEXT", "DRAFTTEXT", "EUONLYTEXT"):
        assert text not in page
    # Adopting a hidden one answers as a missing one; adopting the shared one makes a linked draft.
    assert signed_in(eu).post(url(report, f"suggestions/{hidden.pk}/adopt/")).status_code == 404
    response = signed_in(eu).post(url(report, f"suggestions/{shared.pk}/adopt/"))
    h = Highlight.objects.get(report=report, commitments=c1)
    assert response.status_code == 302 and response["Location"].endswith(f"/parts/highlight/{h.pk}/edit/")
    assert h.state == PartState.DRAFT and h.text.startswith("SHAREDTEXT") and len(h.text) < 450
    assert h.classification.rank >= shared.classification.rank
    # Adopted: the commitment has a highlight, so it is no longer suggested.
    assert f'id="suggestion-{shared.pk}"' not in signed_in(eu).get(url(report, "edit/")).content.decode()
    del limited


def test_a_changed_assessment_is_suggested(report, eu_nato, make_user, signed_in, level, orgs):
    from rapport.commitments.models import Commitment
    from rapport.periods.models import ReportingPeriod

    eu_org = orgs[0]
    c = Commitment.objects.filter(partnership=eu_nato).order_by("order")[5]
    previous = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=report.period.ordinal - 1)
    approved_contribution(eu_org, c, previous, level, "Before.", assessment="not_started")
    now = approved_contribution(eu_org, c, report.period, level, "CHANGEDTEXT after.", assessment="limited")
    page = signed_in(make_user(org="eu", role="coordinator", clearance=3)).get(url(report, "edit/")).content.decode()
    assert f'id="suggestion-{now.pk}"' in page


def _check_counts(client, report) -> dict:
    import re

    page = client.get(url(report, "edit/")).content.decode()
    return {key: int(n) for key, n in re.findall(
        r'id="check-([\w-]+)"[^>]*>\s*<strong>[^<]*<span class="check-count">(\d+)</span>', page)}


def _grow(report, eu_nato, level, orgs, commitments):
    for c in commitments:
        approved_contribution(orgs[0], c, report.period, level, f"EU progress on {c.ref}.", assessment="limited")


def _joint(actor, commitment, report, level, orgs) -> int:
    """A draft joint text on the commitment (1), or 0 where the period no longer takes joint texts."""
    from rapport.contributions.services import create_joint_text
    from rapport.core.errors import Refused

    try:
        create_joint_text(actor=actor, commitment=commitment, period=report.period, text="Together.",
                          classification=level(0, scheme="eu"), releasable_to=orgs)
    except Refused:
        return 0
    return 1


def test_checklist_counts_and_queries_at_two_sizes(report, eu_nato, make_user, signed_in, level, orgs):
    from rapport.commitments.models import Commitment
    commitments = list(Commitment.objects.filter(partnership=eu_nato).order_by("order"))
    total = len(commitments)
    co = make_user(org="eu", role="coordinator", clearance=3)
    client = signed_in(co)
    h = parts.create_highlight(actor=co, report=report, text="A draft.", classification=level(0, scheme="eu"),
                               releasable_to=orgs)
    edit = url(report, f"parts/highlight/{h.pk}/edit/")
    client.get(url(report, "edit/"))  # warm caches
    _grow(report, eu_nato, level, orgs, commitments[:3])
    joint = _joint(co, commitments[44], report, level, orgs)
    small = _check_counts(client, report)
    with CaptureQueriesContext(connection) as few:
        client.get(url(report, "edit/"))
    with CaptureQueriesContext(connection) as few_edit:
        assert client.get(edit).status_code == 200
    assert small["missing-eu"] == total - 3 and small["missing-nato"] == total
    assert small["unapproved-highlight"] >= 1
    _grow(report, eu_nato, level, orgs, commitments[3:40])
    more = _joint(co, commitments[45], report, level, orgs)
    large = _check_counts(client, report)
    with CaptureQueriesContext(connection) as many:
        client.get(url(report, "edit/"))
    with CaptureQueriesContext(connection) as many_edit:
        assert client.get(edit).status_code == 200
    assert len(many_edit.captured_queries) == len(few_edit.captured_queries)
    assert large["missing-eu"] == total - 40 and large["missing-nato"] == total
    assert small["no-text"] == total - 3 - joint
    assert large["no-text"] == total - 40 - joint - more
    assert large["joint-texts"] == small["joint-texts"] + more
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_restricted_part_and_its_history_stay_from_a_reader_below_it(report, make_user, signed_in, level, orgs):
    """Written through the services (so with audit entries): NATO RESTRICTED, releasable to both."""
    from rapport.web.reporting import readable_editions

    nato = make_user(org="nato", role="coordinator", clearance=3)
    h = parts.create_highlight(actor=nato, report=report, text="RESTRICTEDLINE of the report.",
                               classification=level("NATO RESTRICTED"), releasable_to=orgs)
    parts.edit_part(actor=nato, part=h, base_version=1, text="RESTRICTEDLINE, edited.",
                    classification=level("NATO RESTRICTED"), releasable_to=orgs)
    low_user = make_user(org="eu", role="coordinator", clearance=1)
    low = signed_in(low_user)
    names = [e.name for e in readable_editions(low_user, report.period.partnership, report)]
    for address in ("edit/", "", *(f"preview/?edition={n}" for n in names)):
        response = low.get(url(report, address))
        assert response.status_code == 200 and b"RESTRICTEDLINE" not in response.content, address
    assert b"RESTRICTEDLINE" not in low.get("/audit/").content
    assert low.get(f"/audit/reports.highlight/{h.pk}/").status_code == 404
    assert low.get(url(report, f"parts/highlight/{h.pk}/edit/")).status_code == 404
    high = signed_in(make_user(org="eu", role="coordinator", clearance=2))
    assert b"RESTRICTEDLINE" in high.get(url(report, "edit/")).content
    assert high.get(f"/audit/reports.highlight/{h.pk}/").status_code == 200


def test_the_summary_page_shows_approved_highlights_only(report, make_user, signed_in, level, orgs):
    co = make_user(org="eu", role="coordinator", clearance=3)
    parts.create_highlight(actor=co, report=report, text="DRAFTLINE not agreed yet.",
                           classification=level(0, scheme="eu"), releasable_to=orgs)
    page = signed_in(co).get(url(report, "summary/"))
    assert page.status_code == 200 and b"DRAFTLINE" not in page.content
