"""Fixtures of the web tests: contributions written through the services."""

from __future__ import annotations

import pytest


@pytest.fixture
def open_period(eu_nato):
    from rapport.periods.models import ReportingPeriod

    return ReportingPeriod.objects.get(partnership=eu_nato, state="open")


@pytest.fixture
def write(eu_nato, open_period, level):
    """write(author, commitment, text, marking="PUBLIC"|"NATO RESTRICTED"…, to=["nato"], submit=False, assessment="limited")."""
    from rapport.contributions import services
    from rapport.partnerships.models import AssessmentValue, Organisation

    def factory(author, commitment, text, marking=None, to=None, submit=False, assessment="substantial"):
        lv = level(marking) if marking else level(0, scheme=author.organisation.scheme.key)
        orgs = list(Organisation.objects.filter(key__in=to or ["eu", "nato"]))
        value = AssessmentValue.objects.get(scheme=eu_nato.assessment_scheme, key=assessment) if assessment else None
        c = services.create_contribution(
            actor=author, commitment=commitment, period=open_period, narrative=text, assessment=value,
            classification=lv, releasable_to=orgs,
        )
        if submit:
            c = services.submit_contribution(actor=author, contribution=c)
        return c

    return factory


@pytest.fixture
def commitments(eu_nato):
    from rapport.commitments.models import Commitment

    return list(Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref"))


@pytest.fixture
def signed_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login
