"""The commitment list's rows, built once for the page and for its spreadsheets: the same
filter form, period and visibility, so a download holds exactly what the list shows."""

from __future__ import annotations

from dataclasses import dataclass

from .filters import CommitmentFilterForm
from .queries import (
    current_period,
    periods,
    the_partnership,
    visible_commitments,
    with_period_contributions,
)


@dataclass
class CommitmentListing:
    form: CommitmentFilterForm
    period: object  # the ReportingPeriod whose contributions the list shows, or None
    commitments: object  # the visible, filtered commitments, in list order, with the period's visible contributions
    organisations: list
    partnership: object


def commitment_listing(user, params) -> CommitmentListing:
    """The commitment list as ``user`` sees it with these filters (a QueryDict or dict)."""
    partnership = the_partnership()
    all_periods = periods(partnership)
    current = current_period(all_periods)
    form = CommitmentFilterForm(params or None, user=user, partnership=partnership, periods=all_periods,
                                current=current)
    ordinal = form.period_ordinal(current.ordinal if current else None)
    period = next((p for p in all_periods if p.ordinal == ordinal), current)
    commitments = form.apply(visible_commitments(user), period) if form.is_bound else visible_commitments(user)
    commitments = with_period_contributions(commitments.order_by("order", "ref"), user, period)
    organisations = list(partnership.organisations.order_by("key")) if partnership else []
    return CommitmentListing(form, period, commitments, organisations, partnership)
