"""Fixtures of the notification tests: contributions written through the services."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def quiet_workflow(request):
    """The reminder, mention and inbox tests count the notices they make: the notices workflow
    steps send (notifications/workflow.py) are left out of them, and tested with the marker
    ``workflow_notices`` (test_workflow_notices.py), and connected everywhere else."""
    from rapport.audit.signals import recorded
    from rapport.notifications.workflow import announce

    if request.node.get_closest_marker("workflow_notices"):
        yield
        return
    recorded.disconnect(announce, dispatch_uid="rapport.notifications.workflow")
    try:
        yield
    finally:
        recorded.connect(announce, dispatch_uid="rapport.notifications.workflow")


@pytest.fixture
def open_period(eu_nato):
    """The period open for contributions (the latest one made open if none is). No period has
    deadlines: each test sets those it needs on this one."""
    from rapport.periods.models import ReportingPeriod

    periods = ReportingPeriod.objects.filter(partnership=eu_nato)
    period = periods.filter(state="open").order_by("ordinal").first() or periods.order_by("-ordinal").first()
    deadlines = {f.name: None for f in ReportingPeriod._meta.concrete_fields if f.name.endswith("_due")}
    periods.update(**deadlines)
    periods.filter(pk=period.pk).update(state="open")
    period.refresh_from_db()
    return period


@pytest.fixture
def deadlines(open_period):
    """deadlines(contributions_due=date, …): set the open period's deadlines (as coordinators would)."""

    def set_(**dates):
        type(open_period).objects.filter(pk=open_period.pk).update(**dates)
        open_period.refresh_from_db()
        return open_period

    return set_


@pytest.fixture
def commitments(eu_nato):
    from rapport.commitments.models import Commitment

    return list(Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref"))


@pytest.fixture
def write(eu_nato, open_period, level):
    """write(author, commitment, text, marking=None|"NATO CONFIDENTIAL"…, to=["nato"], submit=False)."""
    from rapport.contributions import services
    from rapport.partnerships.models import Organisation

    def factory(author, commitment, text, marking=None, to=None, submit=False):
        lv = level(marking) if marking else level(0, scheme=author.organisation.scheme.key)
        orgs = list(Organisation.objects.filter(key__in=to or ["eu", "nato"]))
        c = services.create_contribution(actor=author, commitment=commitment, period=open_period, narrative=text,
                                         classification=lv, releasable_to=orgs)
        if submit:
            c = services.submit_contribution(actor=author, contribution=c)
        return c

    return factory


@pytest.fixture
def person(make_user):
    """person(org, role, clearance, email=True): a user with an e-mail address."""

    def factory(org="eu", role="drafter", clearance=3, email=True, **kw):
        user = make_user(org=org, role=role, clearance=clearance, **kw)
        if email:
            user.email = f"{user.username}@example.org"
            user.save(update_fields=["email"])
        return user

    return factory
