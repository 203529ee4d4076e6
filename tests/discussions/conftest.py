"""Fixtures of the discussion tests: texts written through the services, comments through add_comment."""

from __future__ import annotations

import pytest


@pytest.fixture
def open_period(eu_nato):
    """The period open for contributions, with no deadlines (so the date of the run never closes it)."""
    from rapport.periods.models import ReportingPeriod

    periods = ReportingPeriod.objects.filter(partnership=eu_nato)
    period = periods.filter(state="open").order_by("ordinal").first() or periods.order_by("-ordinal").first()
    deadlines = {f.name: None for f in ReportingPeriod._meta.concrete_fields if f.name.endswith("_due")}
    periods.filter(pk=period.pk).update(state="open", **deadlines)
    period.refresh_from_db()
    return period


@pytest.fixture
def signed_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def commitments(eu_nato):
    from rapport.commitments.models import Commitment

    return list(Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("order", "ref"))


@pytest.fixture
def orgs(eu_nato):
    from rapport.partnerships.models import Organisation

    return {o.key: o for o in Organisation.objects.all()}


@pytest.fixture
def write(eu_nato, open_period, level, orgs):
    """write(author, commitment, text, marking=None|"NATO RESTRICTED", to=["nato"], submit=False, assessment=…)."""
    from rapport.contributions import services
    from rapport.partnerships.models import AssessmentValue

    def factory(author, commitment, text, marking=None, to=None, submit=False, assessment="substantial",
                period=None):
        lv = level(marking) if marking else level(0, scheme=author.organisation.scheme.key)
        value = AssessmentValue.objects.get(scheme=eu_nato.assessment_scheme, key=assessment) if assessment else None
        c = services.create_contribution(
            actor=author, commitment=commitment, period=period or open_period, narrative=text, assessment=value,
            classification=lv, releasable_to=[orgs[k] for k in (to or ["eu", "nato"])],
        )
        if submit:
            c = services.submit_contribution(actor=author, contribution=c)
        return c

    return factory


@pytest.fixture
def comment(level, orgs):
    """comment(author, subject, text, marking=None (the subject's rank in the author's scheme), to=None (the subject's))."""
    from rapport.discussions.services import add_comment
    from rapport.markings.models import ClassificationLevel

    def factory(author, subject, text, marking=None, to=None):
        lv = (level(marking) if marking else
              ClassificationLevel.objects.get(scheme=author.organisation.scheme, rank=subject.classification.rank))
        releasable = ([orgs[k] for k in to] if to is not None else
                      (list(subject.releasable_to.all()) if subject.classification.rank else list(orgs.values())))
        return add_comment(actor=author, subject=subject, text=text, classification=lv, releasable_to=releasable)

    return factory


@pytest.fixture
def nato_only(make_user, write, commitments):
    """A submitted NATO RESTRICTED contribution releasable to NATO only, its author, and readers on both sides."""
    author = make_user(org="nato", role="drafter", clearance=3, username="nato-writer")
    text = write(author, commitments[0], "NATO only progress text.", marking="NATO RESTRICTED", to=["nato"],
                 submit=True)
    return {
        "contribution": text, "author": author,
        "nato_reader": make_user(org="nato", role="reader", clearance=3, username="nato-colleague"),
        "eu_reader": make_user(org="eu", role="approver", clearance=5, username="eu-colleague"),
    }
