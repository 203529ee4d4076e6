"""The dashboard of the current period: progress, the heatmap, what is missing,
what waits for me, and recent activity."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required

from rapport.audit.models import AuditEvent
from rapport.contributions.choices import ContributionState
from rapport.contributions.rules import waiting_for
from rapport.partnerships.models import Area, AssessmentValue

from ..charts import Segment, stacked_bars
from ..queries import (
    current_period,
    periods,
    the_partnership,
    visible_commitments,
    visible_contributions,
)
from ..rendering import page

DONE = (ContributionState.SUBMITTED, ContributionState.APPROVED)


@login_required
def dashboard(request):
    user = request.user
    partnership = the_partnership()
    all_periods = periods(partnership)
    current = current_period(all_periods)
    organisations = list(partnership.organisations.order_by("key")) if partnership else []
    org = _chosen_org(request, organisations)
    values = list(AssessmentValue.objects.filter(scheme_id=partnership.assessment_scheme_id)) if partnership else []

    commitments = list(visible_commitments(user).order_by("order", "ref"))
    contributions = list(visible_contributions(user).filter(commitment__in=visible_commitments(user).values("pk")))
    grid = {(c.commitment_id, c.period_id, c.organisation_id): c for c in contributions}

    context = {
        "nav": "dashboard", "partnership": partnership, "current": current, "periods": all_periods,
        "organisations": organisations, "org": org, "values": values,
        "heatmap": _heatmap(commitments, all_periods, grid, org),
        "progress": _progress(user, commitments, current, grid, org, values),
        "missing": _missing(commitments, current, grid, organisations),
        "my_work": _my_work(user, current, contributions),
        "activity": AuditEvent.objects.visible_to(user).with_marking().order_by("-seq")[:10],
    }
    return page(request, "web/dashboard/dashboard.html", context, marked=contributions)


def _chosen_org(request, organisations):
    key = request.GET.get("org")
    for o in organisations:
        if o.key == key:
            return o
    own = request.user.organisation_id
    return next((o for o in organisations if o.pk == own), organisations[0] if organisations else None)


def _heatmap(commitments, all_periods, grid, org):
    rows = []
    for c in commitments:
        cells = [grid.get((c.pk, p.pk, org.pk)) if org else None for p in all_periods]
        rows.append({"commitment": c, "cells": cells})
    return rows


def _progress(user, commitments, current, grid, org, values):
    if current is None or org is None:
        return None
    areas = {a.pk: a for a in Area.objects.visible_to(user).order_by("order")}
    counts: dict[int, Counter] = {pk: Counter() for pk in areas}
    for c in commitments:
        if c.area_id not in counts:
            continue
        contribution = grid.get((c.pk, current.pk, org.pk))
        key = contribution.assessment.key if contribution and contribution.assessment_id else "none"
        counts[c.area_id][key] += 1
    rows = []
    for pk, area in areas.items():
        if not counts[pk]:
            continue
        segments = [Segment(css=f"swatch-{v.scheme_id}-{v.key}", label=v.label, count=counts[pk][v.key]) for v in values]
        segments.append(Segment(css="swatch-none", label="Not assessed", count=counts[pk]["none"]))
        rows.append((area.name, segments))
    chart = stacked_bars(rows)
    chart["columns"] = [v.label for v in values] + ["Not assessed"]
    return chart


def _missing(commitments, current, grid, organisations):
    """Per organisation: commitments without a submitted or approved contribution this period."""
    if current is None:
        return []
    result = []
    for o in organisations:
        items = []
        for c in commitments:
            contribution = grid.get((c.pk, current.pk, o.pk))
            if contribution is None or contribution.state not in DONE:
                items.append({"commitment": c, "contribution": contribution})
        result.append({"organisation": o, "items": items, "done": len(commitments) - len(items)})
    return result


def _my_work(user, current, contributions):
    own = [c for c in contributions if c.organisation_id == user.organisation_id
           and (current is None or c.period_id == current.pk)]
    return waiting_for(user, own) if user.organisation_id else waiting_for(user, [])
