"""Read helpers the pages share. Every query on marked content starts from
``Model.objects.visible_to(user)``; related marked rows are prefetched through
the same filter, so a page never reaches a row its reader may not see and its
query count does not grow with its rows."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution
from rapport.core.clock import today
from rapport.markings.querysets import VisiblePrefetch
from rapport.partnerships.models import Partnership
from rapport.periods.choices import PeriodState
from rapport.periods.models import ReportingPeriod

# The public area reads as a signed-out visitor, whoever is signed in.
PUBLIC_READER = AnonymousUser()


def the_partnership() -> Partnership | None:
    return Partnership.objects.select_related("assessment_scheme").order_by("pk").first()


def periods(partnership) -> list[ReportingPeriod]:
    if partnership is None:
        return []
    return list(ReportingPeriod.objects.filter(partnership=partnership).order_by("ordinal"))


def current_period(all_periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The period open for contributions, else the latest one that has started."""
    for period in reversed(all_periods):
        if period.state == PeriodState.OPEN:
            return period
    day = today()
    started = [p for p in all_periods if p.start <= day]
    if started:
        return started[-1]
    return all_periods[-1] if all_periods else None


def visible_commitments(user):
    return Commitment.objects.visible_to(user).with_marking().select_related("area", "mandate", "area__classification")


def visible_contributions(user):
    return Contribution.objects.visible_to(user).with_marking().select_related(
        "organisation", "assessment", "period", "author", "commitment")


def with_period_contributions(commitments, user, period, to_attr="period_contributions"):
    """Attach each commitment's visible contributions of one period (one extra query)."""
    qs = Contribution.objects.filter(period=period) if period else Contribution.objects.none()
    qs = qs.select_related("organisation", "assessment", "period", "author", "commitment")
    return commitments.prefetch_related(VisiblePrefetch("contributions", user, queryset=qs, to_attr=to_attr))


def by_organisation(contributions) -> dict[int, Contribution]:
    return {c.organisation_id: c for c in contributions}
