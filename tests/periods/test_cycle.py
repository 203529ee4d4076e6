"""The reporting cycle: joint steps, deadlines, extensions, and what may be written when.

Every rule here is asked through the services, as the pages and the command line do.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from rapport.audit.models import AuditEvent
from rapport.contributions import services as contributions
from rapport.core.errors import InputError, NotFound, Refused
from rapport.periods import services
from rapport.periods.models import Extension, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {f"{org}-{role}": make_user(org=org, role=role, clearance=2)
            for org in ("eu", "nato") for role in ("drafter", "coordinator", "approver")}


@pytest.fixture
def open_period(eu_nato):
    return ReportingPeriod.objects.get(partnership=eu_nato, state="open")


@pytest.fixture
def public_commitments(eu_nato):
    from rapport.commitments.models import Commitment

    return list(Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("pk")[:2])


def _write(user, commitment, period, level):
    from rapport.partnerships.models import Organisation

    return contributions.create_contribution(
        actor=user, commitment=commitment, period=period, narrative="Staff met and agreed next steps.",
        classification=level(0, scheme=user.organisation.scheme.key), releasable_to=list(Organisation.objects.all()))


def test_a_step_is_taken_only_when_every_organisation_has_agreed(people, open_period):
    services.agree(actor=people["eu-coordinator"], period=open_period, step="close_contributions")
    open_period.refresh_from_db()
    assert open_period.state == "open"  # one organisation never acts for the other
    with pytest.raises(Refused, match="already agreed"):
        services.agree(actor=people["eu-coordinator"], period=open_period, step="close_contributions")
    services.agree(actor=people["nato-coordinator"], period=open_period, step="close_contributions")
    open_period.refresh_from_db()
    assert open_period.state == "contributions_closed"
    verbs = list(AuditEvent.objects.for_object(open_period).order_by("seq").values_list("verb", flat=True))
    assert verbs[-3:] == ["period.agreed", "period.agreed", "period.moved"]


@pytest.mark.parametrize("role", ["drafter", "approver"])
def test_only_coordinators_agree(people, open_period, role):
    with pytest.raises(Refused, match="coordinators"):
        services.agree(actor=people[f"eu-{role}"], period=open_period, step="close_contributions")
    assert not open_period.agreements.exists()


def test_a_step_out_of_order_or_unknown_is_refused(people, open_period):
    with pytest.raises(Refused, match="follows"):
        services.agree(actor=people["eu-coordinator"], period=open_period, step="archive")
    with pytest.raises(InputError, match="not a step"):
        services.agree(actor=people["eu-coordinator"], period=open_period, step="publish")
    assert not open_period.agreements.exists()


def _close_contributions(people, period):
    for org in ("eu", "nato"):
        services.agree(actor=people[f"{org}-coordinator"], period=period, step="close_contributions")
    period.refresh_from_db()


def test_after_contributions_close_only_an_extension_lets_one_organisation_write_on_one_commitment(
        people, open_period, public_commitments, level):
    first, second = public_commitments
    draft = _write(people["eu-drafter"], first, open_period, level)
    _close_contributions(people, open_period)
    with pytest.raises(Refused, match="deadline .* has passed|needs an extension"):
        _write(people["eu-drafter"], second, open_period, level)
    with pytest.raises(Refused, match="needs an extension"):
        contributions.submit_contribution(actor=people["eu-drafter"], contribution=draft)
    until = datetime.date(2026, 12, 10)
    services.grant_extension(actor=people["eu-coordinator"], period=open_period, commitment=first, until=until,
                             reason="The unit's head was travelling.")
    contributions.submit_contribution(actor=people["eu-drafter"], contribution=draft)  # now it can
    with pytest.raises(Refused, match="needs an extension"):
        _write(people["eu-drafter"], second, open_period, level)  # another commitment: still closed
    with pytest.raises(Refused, match="needs an extension"):
        _write(people["nato-drafter"], first, open_period, level)  # another organisation: still closed
    # The extension ends on its day.
    with override_settings(RAPPORT_TODAY="2026-12-11"):
        with pytest.raises(Refused, match="needs an extension"):
            _write(people["eu-drafter"], second, open_period, level)


def test_the_contributions_deadline_closes_writing_even_before_the_coordinators_close(people, open_period,
                                                                                      public_commitments, level):
    day_after = (open_period.contributions_due + datetime.timedelta(days=1)).isoformat()
    _write(people["eu-drafter"], public_commitments[0], open_period, level)  # before the deadline
    with override_settings(RAPPORT_TODAY=day_after):
        with pytest.raises(Refused, match="has passed"):
            _write(people["eu-drafter"], public_commitments[1], open_period, level)


def test_an_extension_is_granted_by_an_organisations_own_coordinator_for_its_own_organisation(
        people, open_period, public_commitments):
    _close_contributions(people, open_period)
    for who in ("eu-drafter", "eu-approver"):
        with pytest.raises(Refused):
            services.grant_extension(actor=people[who], period=open_period, commitment=public_commitments[0],
                                     until=datetime.date(2026, 12, 10), reason="Late.")
    ext = services.grant_extension(actor=people["nato-coordinator"], period=open_period,
                                   commitment=public_commitments[0], until=datetime.date(2026, 12, 10), reason="Late.")
    assert ext.organisation.key == "nato"
    for bad, field in [({"reason": "  "}, "reason"), ({"until": datetime.date(2026, 11, 1)}, "until"),
                       ({"until": "tomorrow"}, "until")]:
        kwargs = {"until": datetime.date(2026, 12, 10), "reason": "Late.", **bad}
        with pytest.raises(InputError) as caught:
            services.grant_extension(actor=people["eu-coordinator"], period=open_period,
                                     commitment=public_commitments[0], **kwargs)
        assert caught.value.field == field
    assert not Extension.objects.filter(organisation__key="eu").exists()


def test_an_extension_and_its_audit_entry_stay_with_the_organisation(people, open_period, public_commitments):
    _close_contributions(people, open_period)
    ext = services.grant_extension(actor=people["eu-coordinator"], period=open_period,
                                   commitment=public_commitments[0], until=datetime.date(2026, 12, 10),
                                   reason="UNIQUE-EXTENSION-REASON")
    entry = AuditEvent.objects.get(verb="period.extension_granted", object_pk=ext.pk)
    assert AuditEvent.objects.visible_to(people["eu-drafter"]).filter(pk=entry.pk).exists()
    for other in ("nato-coordinator", "nato-drafter"):
        assert not AuditEvent.objects.visible_to(people[other]).filter(pk=entry.pk).exists()
        assert not Extension.objects.visible_to(people[other]).exists()
    assert list(Extension.objects.visible_to(people["eu-drafter"])) == [ext]


def test_an_extension_on_a_commitment_the_coordinator_may_not_see_answers_as_a_missing_one(
        people, open_period, public_commitments, level):
    from rapport.commitments.models import Commitment
    from rapport.partnerships.models import Organisation
    from tests.synthetic import mark

    _close_contributions(people, open_period)
    hidden = public_commitments[1]
    mark(hidden, level("NATO CONFIDENTIAL"), [Organisation.objects.get(key="nato")])
    assert not Commitment.objects.visible_to(people["eu-coordinator"]).filter(pk=hidden.pk).exists()
    with pytest.raises(NotFound):
        services.grant_extension(actor=people["eu-coordinator"], period=open_period, commitment=hidden,
                                 until=datetime.date(2026, 12, 10), reason="Late.")


def test_deadlines_keep_the_order_of_the_cycle_and_bad_ones_change_nothing(people, open_period):
    before = {f: getattr(open_period, f) for f in services.DEADLINES}
    with pytest.raises(InputError) as caught:
        services.set_deadlines(actor=people["eu-coordinator"], period=open_period,
                               approval_due=open_period.contributions_due - datetime.timedelta(days=1))
    assert caught.value.field == "joint_texts_due" or caught.value.field == "approval_due"
    with pytest.raises(Refused):
        services.set_deadlines(actor=people["eu-drafter"], period=open_period, report_due=None)
    with pytest.raises(InputError, match="not a deadline"):
        services.set_deadlines(actor=people["eu-coordinator"], period=open_period, end=datetime.date(2030, 1, 1))
    open_period.refresh_from_db()
    assert {f: getattr(open_period, f) for f in services.DEADLINES} == before
    later = open_period.report_due + datetime.timedelta(days=7)
    services.set_deadlines(actor=people["nato-coordinator"], period=open_period, report_due=later)
    open_period.refresh_from_db()
    assert open_period.report_due == later
    assert AuditEvent.objects.for_object(open_period).filter(verb="period.deadlines_set").exists()


def test_the_next_period_follows_the_cadence_and_only_from_the_last(people, open_period, eu_nato):
    with pytest.raises(Refused, match="not the partnership's last"):
        services.plan_next(actor=people["eu-coordinator"], period=eu_nato.periods.get(ordinal=open_period.ordinal - 1))
    nxt = services.plan_next(actor=people["eu-coordinator"], period=open_period)
    assert (nxt.ordinal, nxt.state) == (open_period.ordinal + 1, "planned")
    assert nxt.start == open_period.end + datetime.timedelta(days=1)
    assert (nxt.end.year, nxt.end.month) == (open_period.end.year + 1, open_period.end.month)
    assert nxt.contributions_due == open_period.contributions_due.replace(year=open_period.contributions_due.year + 1)
    with pytest.raises(Refused):
        services.plan_next(actor=people["eu-drafter"], period=nxt)
    # Opening it is a joint act too.
    services.agree(actor=people["eu-coordinator"], period=nxt, step="open")
    services.agree(actor=people["nato-coordinator"], period=nxt, step="open")
    nxt.refresh_from_db()
    assert nxt.state == "open"


def test_nothing_is_written_approved_or_returned_in_a_published_period(people, eu_nato, public_commitments, level):
    from rapport.contributions.models import Contribution

    published = eu_nato.periods.filter(state="published").order_by("-ordinal").first()
    with pytest.raises(Refused, match="not open"):
        _write(people["eu-drafter"], public_commitments[0], published, level)
    submitted = Contribution.objects.filter(period=published, state="submitted").first()
    if submitted is not None:
        with pytest.raises(Refused):
            contributions.approve_contribution(actor=people[f"{submitted.organisation.key}-approver"],
                                               contribution=submitted)
    with pytest.raises(Refused):
        services.set_deadlines(actor=people["eu-coordinator"], period=published, report_due=None)


def test_a_coordinator_starts_the_report_once_and_it_starts_by_itself_when_preparation_is_agreed(
        people, open_period, eu_nato):
    from rapport.reports.models import Report
    from rapport.reports.start import start_report

    with pytest.raises(Refused, match="coordinators"):
        start_report(actor=people["eu-drafter"], period=open_period)
    report = start_report(actor=people["nato-coordinator"], period=open_period)
    assert (report.state, report.classification.rank) == ("draft", 0)
    assert AuditEvent.objects.for_object(report).filter(verb="report.created").exists()
    with pytest.raises(Refused, match="already has its report"):
        start_report(actor=people["eu-coordinator"], period=open_period)
    nxt = services.plan_next(actor=people["eu-coordinator"], period=open_period)
    with pytest.raises(Refused, match="planned"):
        start_report(actor=people["eu-coordinator"], period=nxt)
    # Agreeing to prepare the report starts it when nobody has.
    report.delete()
    _close_contributions(people, open_period)
    for org in ("eu", "nato"):
        services.agree(actor=people[f"{org}-coordinator"], period=open_period, step="prepare_report")
    open_period.refresh_from_db()
    assert open_period.state == "in_preparation"
    assert Report.objects.get(period=open_period).state == "draft"
