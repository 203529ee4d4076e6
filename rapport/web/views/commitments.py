"""Commitments: the filterable list and the page of one commitment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.access.policy import can
from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment, Responsibility
from rapport.commitments.rules import CommitmentAction
from rapport.contributions.models import Contribution
from rapport.contributions.rules import ContributionAction
from rapport.core.errors import InputError
from rapport.evidence.models import CoordinationFormat, Exercise, Meeting, PartnerActivity
from rapport.markings.querysets import VisiblePrefetch
from rapport.partnerships.models import Area, Mandate

from ..actions import run_workflow_action
from ..fragments import fragment
from ..listing import commitment_listing
from ..queries import (
    by_organisation,
    current_period,
    periods,
    the_partnership,
    visible_contributions,
)
from ..rendering import page, visible_or_404
from .partners import mark_received

PAGE_SIZE = 50


@login_required
def commitment_list(request):
    """The commitments the reader may see, filtered, a page at a time (filters stay in the URL)."""
    # "Mine only" depends on the account, everything else on the reader's scope.
    vary = (request.user.pk,) if request.GET.get("mine") else ()
    body = fragment(request, "commitment-list", "web/commitments/_list.html", lambda: _list(request), vary=vary)
    return page(request, "web/commitments/list.html", {"nav": "commitments", "body": body})


def _list(request) -> dict:
    user = request.user
    listing = commitment_listing(user, request.GET)
    form, period, commitments, organisations = listing.form, listing.period, listing.commitments, listing.organisations
    page_obj = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    visible_areas = set(Area.objects.visible_to(user).values_list("pk", flat=True))
    visible_mandates = set(Mandate.objects.visible_to(user).values_list("pk", flat=True))
    rows = []
    for c in page_obj.object_list:
        found = by_organisation(c.period_contributions)
        rows.append({
            "commitment": c,
            "area": c.area if c.area_id in visible_areas else None,
            "mandate": c.mandate if c.mandate_id in visible_mandates else None,
            "cells": [found.get(o.pk) for o in organisations],
        })
    mark_received([c for row in rows for c in row["cells"]])
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "rows": rows, "organisations": organisations, "period": period, "page_obj": page_obj,
            "export_query": query.urlencode(), "staff": bool(user.organisation_id)}


@login_required
def commitment_detail(request, pk: int):
    # What the reader may do here (write, assign) depends on the account and its role.
    user = request.user
    parts = fragment(request, "commitment-detail", DETAIL, lambda: _detail(request, pk), vary=(user.pk, user.role))
    return page(request, "web/commitments/detail.html", {"nav": "commitments", **parts})


DETAIL = {"title": "web/commitments/_detail_title.html", "body": "web/commitments/_detail.html"}


def _detail(request, pk: int) -> dict:
    user = request.user
    commitment = visible_or_404(Commitment.objects.select_related("area", "mandate", "parent").with_marking(), user, pk=pk)
    partnership = the_partnership()
    all_periods = periods(partnership)
    current = current_period(all_periods)
    organisations = list(partnership.organisations.order_by("key")) if partnership else []
    contributions = list(
        visible_contributions(user).filter(commitment=commitment).prefetch_related(
            *(VisiblePrefetch(kind, user) for kind in ("meetings", "exercises", "activities", "formats")))
    )
    mark_received(contributions)  # a peer's copies say so (one query for them all)
    grid = {(c.period_id, c.organisation_id): c for c in contributions}
    timeline = []
    for p in reversed(all_periods):
        cells = [grid.get((p.pk, o.pk)) for o in organisations]
        if any(cells) or p == current:
            timeline.append({"period": p, "cells": list(zip(organisations, cells, strict=True))})
    own_org = user.organisation_id
    own_current = grid.get((current.pk, own_org)) if current and own_org else None
    may_write = own_current is None and current is not None and bool(
        can(user, ContributionAction.CREATE, commitment, period=current))
    evidence = {
        "formats": CoordinationFormat.objects.visible_to(user).filter(commitments=commitment).with_marking(),
        "meetings": Meeting.objects.visible_to(user).filter(commitments=commitment).with_marking(),
        "exercises": Exercise.objects.visible_to(user).filter(commitments=commitment).with_marking(),
        # A partner country is a record of its own: named only where the reader may read it.
        "activities": PartnerActivity.objects.visible_to(user).filter(commitments=commitment).with_marking()
        .prefetch_related(VisiblePrefetch("country", user)),
    }
    about = AuditEvent.objects.for_object(commitment) | AuditEvent.objects.for_objects(
        Contribution, [c.pk for c in contributions])
    history = about.visible_to(user).with_marking().order_by("-seq")[:50]
    return {
        "commitment": commitment, "own_org": user.organisation,
        "mandate": Mandate.objects.visible_to(user).filter(pk=commitment.mandate_id).first(),
        "area": Area.objects.visible_to(user).filter(pk=commitment.area_id).first(),
        "parent": Commitment.objects.visible_to(user).filter(pk=commitment.parent_id).first() if commitment.parent_id else None,
        "lead_units": commitment.lead_units.select_related("organisation"),
        "responsible": (Responsibility.objects.filter(commitment=commitment, organisation_id=own_org)
                        .select_related("user") if own_org else []),
        "may_assign": bool(can(user, CommitmentAction.ASSIGN, commitment)),
        "organisations": organisations, "timeline": timeline, "current": current,
        "own_current": own_current, "may_write": may_write,
        "evidence": evidence, "history": history,
    }


@login_required
@require_POST
def commitment_assign(request, pk: int):
    """A coordinator names their organisation's lead unit and responsible staff (by username)."""
    from rapport.access.models import User
    from rapport.commitments import services

    user = request.user
    commitment = visible_or_404(Commitment.objects.all(), user, pk=pk)
    names = [n for n in request.POST.get("staff", "").replace(",", " ").split() if n][:50]

    def call():
        staff = list(User.objects.filter(username__in=names, organisation_id=user.organisation_id))
        unknown = sorted(set(names) - {u.username for u in staff})
        if unknown:
            raise InputError(_("no active staff of your organisation named %(names)s")
                             % {"names": ", ".join(unknown)[:200]}, field="staff")
        services.assign(actor=user, commitment=commitment, unit=request.POST.get("unit", ""), staff=staff)

    run_workflow_action(request, call, _("Assignment saved."))
    return redirect("commitment-detail", pk)
