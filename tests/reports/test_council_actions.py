"""What each Council did with the report comes after its publication: an organisation's
coordinators record their own Council's action on a published report, their own approvers
approve it, the public summary then says it — and the published report stays published with
its approvals, until the period is archived."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from rapport.access.policy import can
from rapport.core.errors import InputError, Refused
from rapport.periods.choices import PeriodState
from rapport.reports import parts
from rapport.reports.choices import PartState, ReportState
from rapport.reports.models import CouncilAction, Report
from rapport.reports.rules import PartAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(eu_nato):
    """The latest published report (the tenth in the default data)."""
    return (Report.objects.filter(period__partnership=eu_nato, state=ReportState.PUBLISHED)
            .select_related("period").order_by("-period__ordinal").first())


def test_a_council_action_is_recorded_after_publication(published, make_user, level, eu_nato):
    eu_co, eu_ap = make_user(org="eu", role="coordinator", clearance=3), make_user(org="eu", role="approver", clearance=3)
    nato_co = make_user(org="nato", role="coordinator", clearance=3)
    approvals = set(published.approvals.filter(withdrawn_at__isnull=True).values_list("pk", flat=True))
    version = published.version
    # Other parts stay closed on a published report.
    assert not can(eu_co, PartAction.WRITE, published)
    assert can(eu_co, PartAction.RECORD_COUNCIL_ACTION, published)
    with pytest.raises(Refused):
        parts.create_outlook(actor=eu_co, report=published, text="Late.", classification=level(0, scheme="eu"),
                             releasable_to=list(eu_nato.organisations.all()))
    action = parts.create_council_action(actor=eu_co, report=published, action="took_note",
                                         date=datetime.date(2026, 6, 23), classification=level(0, scheme="eu"),
                                         releasable_to=list(eu_nato.organisations.all()))
    public = Client().get(f"/public/reports/{published.period.ordinal}/").content.decode()
    assert "23 June 2026" not in public  # not approved yet
    with pytest.raises(Refused):  # NATO neither writes nor approves the EU Council's action
        parts.edit_part(actor=nato_co, part=action, base_version=action.version, text="x", action="took_note",
                        classification=action.classification, releasable_to=[])
    action = parts.approve_part(actor=eu_ap, part=action)
    assert action.state == PartState.APPROVED  # its own organisation's approval is enough
    published.refresh_from_db()
    assert (published.state, published.version) == (ReportState.PUBLISHED, version)
    assert set(published.approvals.filter(withdrawn_at__isnull=True).values_list("pk", flat=True)) == approvals
    public = Client().get(f"/public/reports/{published.period.ordinal}/").content.decode()
    assert "23 June 2026" in public and "took note" in public


def test_the_editor_offers_only_the_council_action_form_on_a_published_report(published, make_user):
    client = Client()
    client.force_login(make_user(org="eu", role="coordinator", clearance=3))
    page = client.get(f"/reports/{published.period.ordinal}/edit/").content.decode()
    assert "Add a Council action" in page and "Add a highlight" not in page and "Add an outlook item" not in page


def test_nothing_is_recorded_once_the_period_is_archived(published, make_user, level, eu_nato):
    eu_co = make_user(org="eu", role="coordinator", clearance=3)
    published.period.state = PeriodState.ARCHIVED
    published.period.save(update_fields=["state"])
    before = CouncilAction.objects.count()
    with pytest.raises(Refused, match="archived"):
        parts.create_council_action(actor=eu_co, report=published, action="took_note",
                                    classification=level(0, scheme="eu"),
                                    releasable_to=list(eu_nato.organisations.all()))
    assert CouncilAction.objects.count() == before


@pytest.mark.parametrize("date, action, message", [
    (None, "took_note", "give the day"),
    (datetime.date(2001, 1, 1), "welcomed", "before the period"),
    (datetime.date(2999, 1, 1), "took_note", "in the future"),
    (datetime.date(2026, 6, 23), "applauded", "not a Council action"),
])
def test_a_council_action_is_dated_within_reason(published, make_user, level, eu_nato, date, action, message):
    eu_co = make_user(org="eu", role="coordinator", clearance=3)
    before = CouncilAction.objects.count()
    with pytest.raises(InputError, match=message) as err:
        parts.create_council_action(actor=eu_co, report=published, action=action, date=date,
                                    classification=level(0, scheme="eu"),
                                    releasable_to=list(eu_nato.organisations.all()))
    assert err.value.field in ("date", "action") and CouncilAction.objects.count() == before


def test_one_action_of_a_kind_per_council_and_its_marking_is_its_own(published, make_user, level, eu_nato):
    eu_co = make_user(org="eu", role="coordinator", clearance=3)
    eu = eu_nato.organisations.get(key="eu")
    # Only the EU approves the EU Council's action: it may be releasable to the EU alone.
    first = parts.create_council_action(actor=eu_co, report=published, action="took_note",
                                        date=datetime.date(2026, 6, 23), classification=level(1, scheme="eu"),
                                        releasable_to=[eu])
    with pytest.raises(InputError, match="already recorded") as err:
        parts.create_council_action(actor=eu_co, report=published, action="took_note",
                                    date=datetime.date(2026, 6, 24), classification=level(0, scheme="eu"),
                                    releasable_to=[eu])
    assert err.value.field == "action"
    # Editing the one there is is not a second one.
    parts.edit_part(actor=eu_co, part=first, base_version=1, text="Conclusions of the Council.", action="took_note",
                    date=datetime.date(2026, 6, 24), classification=level(1, scheme="eu"), releasable_to=[eu])


def test_a_council_action_is_discussed_after_publication(published, make_user, level, eu_nato):
    from rapport.discussions.services import add_comment

    eu_co = make_user(org="eu", role="coordinator", clearance=3)
    action = parts.create_council_action(actor=eu_co, report=published, action="took_note",
                                         date=datetime.date(2026, 6, 23), classification=level(0, scheme="eu"),
                                         releasable_to=list(eu_nato.organisations.all()))
    nato_co = make_user(org="nato", role="coordinator", clearance=3)
    add_comment(actor=nato_co, subject=action, text="Which meeting was it?", classification=level(0, scheme="nato"),
                releasable_to=list(eu_nato.organisations.all()))
    highlight = published.highlights.first()
    with pytest.raises(Refused, match="published"):  # the report's other parts stay closed
        add_comment(actor=nato_co, subject=highlight, text="Late remark.", classification=level(0, scheme="nato"),
                    releasable_to=list(eu_nato.organisations.all()))
    published.period.state = PeriodState.ARCHIVED
    published.period.save(update_fields=["state"])
    with pytest.raises(Refused, match="archived"):
        add_comment(actor=nato_co, subject=action, text="Too late.", classification=level(0, scheme="nato"),
                    releasable_to=list(eu_nato.organisations.all()))
