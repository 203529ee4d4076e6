"""``writable_commitments`` (the "write a contribution" rule as one queryset) answers what
``can()`` answers commitment by commitment: for users of every role, organisation and
clearance, a delegation, an inactive and a signed-out reader; a period in each state, before
and after its deadline; extensions current and lapsed; the organisation's contributions in
every state, some marked above a colleague's clearance."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from rapport.access.policy import VIEW, can
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.models import Contribution
from rapport.contributions.rules import ContributionAction, writable_commitments
from rapport.core.clock import today
from rapport.partnerships.models import Organisation
from rapport.periods.choices import PeriodState
from rapport.periods.models import Extension, ReportingPeriod

pytestmark = pytest.mark.django_db


def per_commitment(user, period, commitments) -> set[int]:
    """The question asked of each commitment as the import template used to ask it."""
    allowed = set()
    for c in commitments:
        own = Contribution.objects.filter(period=period, commitment=c,
                                          organisation_id=getattr(user, "organisation_id", None)).first()
        if own is not None and can(user, VIEW, own):
            decision = can(user, VIEW, c) and can(user, ContributionAction.EDIT, own)
        else:
            decision = can(user, ContributionAction.CREATE, c, period=period)
        if decision:
            allowed.add(c.pk)
    return allowed


@pytest.fixture
def world(eu_nato, make_user, level):
    period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    orgs = {o.key: o for o in Organisation.objects.filter(key__in=["eu", "nato"])}
    pool = list(Commitment.objects.filter(partnership=eu_nato).order_by("classification__rank", "pk"))
    # Commitments of every marking the data has, the public ones first (the ones every writer sees).
    sample = pool[:8] + [c for c in pool[8:] if c.classification.rank > 0][:6]
    writers = {key: make_user(key, "drafter", 3) for key in orgs}
    approvers = {key: make_user(key, "approver", 3) for key in orgs}
    for key, org in orgs.items():
        author, approver = writers[key], approvers[key]
        for n, c in enumerate(sample[:6]):
            if not can(author, VIEW, c):
                continue
            # A contribution marked at the top of the scheme on some: a colleague of lower clearance cannot read it.
            marking = level(3 if n % 2 else 0, scheme=org.scheme.key)
            x = services.create_contribution(actor=author, commitment=c, period=period, narrative=f"{key} {n}.",
                                             classification=marking, releasable_to=[org])
            if n in (1, 2, 3, 4):
                x = services.submit_contribution(actor=author, contribution=x)
            if n == 2:
                services.return_contribution(actor=approver, contribution=x, message="Again.")
            if n == 3:
                services.approve_contribution(actor=approver, contribution=x)
    day = today()
    grantor = make_user("eu", "coordinator", 3)
    # Each organisation's own extensions: a current one, one ending today, a lapsed one.
    granted = {"eu": ((sample[1], day + datetime.timedelta(days=5)), (sample[5], day),
                      (sample[6], day - datetime.timedelta(days=1))),
               "nato": ((sample[5], day), (sample[7], day + datetime.timedelta(days=2)),
                        (sample[2], day + datetime.timedelta(days=3)))}
    for key, org in orgs.items():
        for c, until in granted[key]:
            Extension.objects.create(period=period, commitment=c, organisation=org, until=until, reason="Late.",
                                     granted_by=grantor, granted_at=datetime.datetime.now(datetime.UTC))
    users = [make_user(org, role, rank) for org in orgs for role in ("drafter", "coordinator", "approver", "reader",
                                                                       "administrator") for rank in (0, 1, 3)]
    inactive = make_user("eu", "drafter", 3)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    users += [*writers.values(), make_user(None, "reader", 3, delegation="FI"), inactive, AnonymousUser()]
    return period, sample, users


STATES = [
    ("open, before the deadline", PeriodState.OPEN, 10),
    ("open, no deadline", PeriodState.OPEN, None),
    ("open, deadline today", PeriodState.OPEN, 0),
    ("open, deadline passed", PeriodState.OPEN, -1),
    ("contributions closed", PeriodState.CONTRIBUTIONS_CLOSED, -5),
    ("report in preparation", PeriodState.IN_PREPARATION, -5),
    ("report in approval", PeriodState.IN_APPROVAL, -5),
    ("report published", PeriodState.PUBLISHED, -5),
    ("planned", PeriodState.PLANNED, 10),
]


def test_the_set_is_what_can_answers_for_each_commitment(world):
    period, sample, users = world
    day = today()
    checked = set()
    for name, state, due in STATES:
        ReportingPeriod.objects.filter(pk=period.pk).update(
            state=state, contributions_due=None if due is None else day + datetime.timedelta(days=due))
        period.refresh_from_db()
        for user in users:
            expected = per_commitment(user, period, sample)
            found = set(writable_commitments(user, period).filter(pk__in=[c.pk for c in sample])
                        .values_list("pk", flat=True))
            assert found == expected, (name, str(user), sorted(found ^ expected))
            checked.add(bool(expected))
    assert checked == {True, False}  # both answers were met: the comparison can fail


def test_the_variety_reaches_every_branch(world):
    """The world above is not all one answer: a writer may write some commitments and not others."""
    period, sample, users = world
    writer = next(u for u in users if getattr(u, "role", "") == "drafter" and u.clearance.rank == 3
                  and u.organisation.key == "eu")
    found = set(writable_commitments(writer, period).values_list("pk", flat=True))
    frozen = {x.commitment_id for x in Contribution.objects.filter(period=period, organisation=writer.organisation)
              .exclude(state__in=["draft", "returned"])}
    assert frozen and not (frozen & found)  # submitted and approved texts are not written
    assert {sample[0].pk, sample[2].pk} <= found  # a draft and a returned text are
    ReportingPeriod.objects.filter(pk=period.pk).update(contributions_due=today() - datetime.timedelta(days=1))
    period.refresh_from_db()
    # Only the draft under the organisation's own current extension (sample[1] is submitted, sample[6]'s
    # extension has lapsed, sample[7]'s and sample[2]'s are NATO's).
    assert set(writable_commitments(writer, period).values_list("pk", flat=True)) == {sample[5].pk}
