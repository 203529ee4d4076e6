"""Whole-database consistency rules that no single row constraint can express."""

from __future__ import annotations

from django.db.models import Count, Q

from rapport.contributions.models import ReportingPeriod
from rapport.partnerships.models import Mandate


def data_problems() -> list[str]:
    problems: list[str] = []
    sets = Mandate.objects.filter(proposal_count__isnull=False).annotate(
        n=Count("commitments", filter=Q(commitments__parent__isnull=True))
    )
    for m in sets:
        if m.n != m.proposal_count:
            problems.append(f"{m.key} endorsed {m.proposal_count} proposals but {m.n} are registered.")
    previous = None
    for p in ReportingPeriod.objects.order_by("partnership", "ordinal"):
        if previous and previous.partnership_id == p.partnership_id and p.start <= previous.end:
            problems.append(f"Period {p.ordinal} starts before period {previous.ordinal} ends.")
        previous = p
    return problems
