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


# The web app's own middleware (rapport/web/middleware.py), at the end of MIDDLEWARE
# as docs/ui.md says; the fixture puts them there whether or not the settings list them.
WEB_MIDDLEWARE = ["rapport.web.middleware.NoStoreMiddleware", "rapport.web.middleware.ControlCharacterMiddleware"]


@pytest.fixture
def web_middleware(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m not in WEB_MIDDLEWARE] + WEB_MIDDLEWARE


@pytest.fixture
def db_state(eu_nato):
    """db_state() -> what a refused request must leave as it was: the audit log, contributions,
    reports and their approvals, organisations."""
    from rapport.audit.models import AuditEvent
    from rapport.contributions.models import Contribution
    from rapport.partnerships.models import Organisation
    from rapport.reports.models import Report, ReportApproval

    def state():
        return (
            AuditEvent.objects.count(),
            list(Contribution.objects.order_by("pk").values_list(
                "pk", "version", "state", "narrative", "classification_id", "assessment_id")),
            list(Report.objects.order_by("pk").values_list("pk", "state")),
            list(ReportApproval.objects.order_by("pk").values_list("pk", "organisation_id", "withdrawn_at")),
            list(Organisation.objects.order_by("pk").values_list("pk", "default_level_id")),
        )

    return state
