"""The dashboard of the current period: what waits for me, what is still missing,
progress by area, contributions by area and period, and recent activity.

Everything here is counted in the database from the reader's visible rows, so the
page has the same size and the same number of queries for 74 commitments or for
7,400; lists show their first rows and link to the filtered commitment list for the
rest. The banner covers every row a figure was computed from.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions.choices import ContributionState
from rapport.contributions.models import Contribution
from rapport.contributions.rules import waiting_for
from rapport.partnerships.models import Area, AssessmentValue
from rapport.reports.records import text_for

from ..charts import Segment, stacked_bars
from ..fragments import fragment
from ..queries import current_period, periods, the_partnership
from ..rendering import page, page_marking

DONE = (ContributionState.SUBMITTED, ContributionState.APPROVED)
SHOWN = 10  # rows a dashboard list shows before "all …"


@login_required
def dashboard(request):
    # "Waiting for you" depends on the account and its role; the rest on the reader's scope.
    user = request.user
    body = fragment(request, "dashboard", "web/dashboard/_dashboard.html", lambda: _dashboard(request),
                    vary=(user.pk, user.role))
    return page(request, "web/dashboard/dashboard.html", {"nav": "dashboard", "body": body})


def _dashboard(request) -> dict:
    user = request.user
    partnership = the_partnership()
    all_periods = periods(partnership)
    current = current_period(all_periods)
    organisations = list(partnership.organisations.order_by("key")) if partnership else []
    org = _chosen_org(request, organisations)
    values = list(AssessmentValue.objects.filter(scheme_id=partnership.assessment_scheme_id)) if partnership else []
    areas = list(Area.objects.visible_to(user).filter(partnership=partnership).order_by("order"))
    commitments = Commitment.objects.visible_to(user).filter(partnership=partnership, area__in=[a.pk for a in areas])
    contributions = Contribution.objects.visible_to(user).filter(commitment__in=commitments.values("pk"))
    marking = page_marking(request)
    marking.note_rank(*commitments.marking_summary(organisations))
    marking.note_rank(*contributions.marking_summary(organisations))
    totals = dict(commitments.order_by().values_list("area").annotate(n=Count("pk")))
    return {
        "partnership": partnership, "current": current, "periods": all_periods,
        "organisations": organisations, "org": org, "values": values,
        "my_work": _my_work(user, current, contributions),
        "missing": _missing(commitments, contributions, current, organisations),
        "progress": _progress(areas, totals, contributions, current, org, values),
        "by_period": _by_period(areas, totals, contributions, all_periods, org),
        "empty_periods": _empty_periods(contributions, all_periods, org),
        "activity": AuditEvent.objects.visible_to(user).with_marking().order_by("-seq")[:10],
    }


def _chosen_org(request, organisations):
    key = request.GET.get("org")
    for o in organisations:
        if o.key == key:
            return o
    own = request.user.organisation_id
    return next((o for o in organisations if o.pk == own), organisations[0] if organisations else None)


def _list_url(**params) -> str:
    return reverse("commitment-list") + "?" + "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, ""))


def _my_work(user, current, contributions):
    own = contributions.filter(period=current) if current else contributions.none()
    work = []
    for key, title, status in (("returned", _("Returned to you"), "returned"), ("to_submit", _("To submit"), "draft"),
                               ("to_approve", _("To approve"), "submitted")):
        rows = waiting_for(user, own)[key].with_marking().select_related("commitment").order_by(
            "commitment__order", "commitment__ref")
        count = rows.count()
        if count:
            work.append({"title": title, "rows": list(rows[:SHOWN]), "count": count,
                         "more": _list_url(period=current.ordinal, organisation=user.organisation.key, status=status)})
    return work


def _missing(commitments, contributions, current, organisations):
    """Per organisation: commitments without a submitted or approved contribution this period."""
    if current is None:
        return []
    total = commitments.count()
    done = dict(contributions.filter(period=current, state__in=DONE).order_by().values_list("organisation")
                .annotate(n=Count("commitment", distinct=True)))
    result = []
    for o in organisations:
        has = contributions.filter(period=current, organisation=o, state__in=DONE).values("commitment")
        first = list(commitments.exclude(pk__in=has).order_by("order", "ref")[:SHOWN])
        result.append({"organisation": o, "missing": total - done.get(o.pk, 0), "done": done.get(o.pk, 0),
                       "first": first, "all": _list_url(period=current.ordinal, organisation=o.key, status="missing")})
    return result


def _progress(areas, totals, contributions, current, org, values):
    if current is None or org is None:
        return None
    counts: dict[int, dict] = defaultdict(dict)
    assessed = (contributions.filter(period=current, organisation=org, assessment__isnull=False).order_by()
                .values_list("commitment__area", "assessment__key").annotate(n=Count("commitment", distinct=True)))
    for area, key, n in assessed:
        counts[area][key] = n
    rows = []
    for area in areas:
        if not totals.get(area.pk):
            continue
        segments = [Segment(css=f"swatch-{v.scheme_id}-{v.key}", label=text_for(v, "label")[0],
                            count=counts[area.pk].get(v.key, 0), record=v) for v in values]
        segments.append(Segment(css="swatch-none", label=_("Not assessed"),
                                count=totals[area.pk] - sum(s.count for s in segments)))
        rows.append((area.local_name, segments, area))
    chart = stacked_bars(rows)
    for bar in chart["bars"]:
        bar.description = _("%(area)s: %(counts)s") % {"area": bar.label, "counts": ", ".join(
            f"{s.count} {s.label.lower()}" for s in bar.segments if s.count)}
    return chart


def _empty_periods(contributions, all_periods, org):
    """The periods in which the organisation has no contribution the reader may see, as ordinals
    (most of them predate Rapport: their reports are recorded at report level only)."""
    if org is None:
        return []
    used = set(contributions.filter(organisation=org).order_by().values_list("period", flat=True).distinct())
    return [p.ordinal for p in all_periods if p.pk not in used]


def _by_period(areas, totals, contributions, all_periods, org):
    """Per area and period: how many of the area's commitments have a contribution of the
    organisation, and how many of those are approved; each cell links to those commitments."""
    if org is None:
        return None
    cells: dict[tuple[int, int], tuple[int, int]] = {}
    rows = (contributions.filter(organisation=org).order_by().values_list("commitment__area", "period")
            .annotate(n=Count("commitment", distinct=True),
                      approved=Count("commitment", distinct=True, filter=Q(state=ContributionState.APPROVED))))
    for area, period, n, approved in rows:
        cells[(area, period)] = (n, approved)
    table = []
    for area in areas:
        total = totals.get(area.pk, 0)
        if not total:
            continue
        row = []
        for p in all_periods:
            n, approved = cells.get((area.pk, p.pk), (0, 0))
            share = n / total
            row.append({"n": n, "approved": approved, "total": total, "period": p,
                        "level": 0 if n == 0 else 1 + min(3, int(share * 4)),
                        "url": _list_url(area=area.pk, period=p.ordinal, organisation=org.key, status="reported")})
        table.append({"area": area, "total": total, "cells": row})
    return table
