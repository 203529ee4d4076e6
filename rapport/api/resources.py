"""The API's read routes: what the pages show, through the same visibility filter
(``visible_to``), one page of a list at a time. An object the caller may not read answers
404 exactly as a missing one."""

from __future__ import annotations

import re
from typing import Annotated

from django.http import HttpResponse
from ninja import Path, Query, Router
from pydantic import BeforeValidator

from rapport.commitments.models import Commitment
from rapport.contributions.listing import narrow_commitments
from rapport.contributions.models import Contribution
from rapport.core.errors import InputError
from rapport.federation.contents import KIND as CONTRIBUTION
from rapport.federation.models import ReceivedCopy
from rapport.markings.querysets import get_visible_or_404
from rapport.periods.models import ReportingPeriod

from . import pagination
from .labelling import XML_ALTERNATIVE, labelled
from .schemas import (
    CommitmentOut,
    CommitmentPage,
    ContributionOut,
    ContributionPage,
    Me,
    PeriodOut,
    Problem,
)

router = Router()


def _whole(value):
    """A number in an address is written in digits: "5", not "5.0" or "5e0" (which pydantic's
    lax mode would take)."""
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]{1,20}", value):
        raise ValueError("a whole number, in digits")
    return value


Int = Annotated[int, BeforeValidator(_whole)]
ID = Path(..., ge=1, le=pagination.MAX_ID)
LIMIT = Query(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)
CURSOR = Query(None, ge=0, le=pagination.MAX_ID, description="The `next` of the previous page.")
PERIOD = Query(None, ge=1, le=10_000, description="The period's ordinal.")
COMMITMENT = Query(None, ge=1, le=pagination.MAX_ID, description="The commitment's id.")
# What any route may answer besides its success (problem details).
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}


def _marking(obj) -> dict:
    level = obj.classification
    return {"classification": level.name, "scheme": level.scheme.key, "rank": level.rank,
            "releasable_to": sorted(o.key for o in obj.releasable_to.all()) if level.rank else []}


def _commitment(c) -> dict:
    return {"id": c.pk, "ref": c.ref, "title": c.title, "text": c.text, "area": c.area.code,
            "mandate": c.mandate.key, "due": c.due, "marking": _marking(c)}


def readable_commitments(user, rows) -> set[int]:
    """Of the commitments these rows are on, those the caller may read (one query): a text on a
    commitment the caller may not read names no commitment."""
    ids = {r.commitment_id for r in rows}
    return set(Commitment.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def received_from(rows) -> dict[int, dict]:
    """Of these contributions (already read through ``visible_to``), the received copies of a peer
    instance's, with the peer and the package that brought them: one query for a page of rows."""
    ids = [c.pk for c in rows]
    if not ids:
        return {}
    return {local_id: {"organisation": peer, "package": sequence} for local_id, peer, sequence in
            ReceivedCopy.objects.filter(kind=CONTRIBUTION, local_id__in=ids)
            .values_list("local_id", "peer__organisation__key", "package__sequence")}


def _contribution(c, readable: set[int], received: dict[int, dict] | None = None) -> dict:
    if received is None:
        received = received_from([c])
    return {"id": c.pk, "commitment": c.commitment_id if c.commitment_id in readable else None, "period": c.period.ordinal, "organisation": c.organisation.key,
            "state": c.state, "version": c.version, "narrative": c.narrative,
            "language": c.language, "translations": c.translations,
            "assessment": c.assessment.key if c.assessment_id else None, "updated": c.updated,
            "marking": _marking(c), "received_from": received.get(c.pk)}


def etag(c) -> str:
    """A contribution's entity tag: its version and state (writes.py checks If-Match against it)."""
    return f'"v{c.version}-{c.state}"'


def _commitments(user):
    return (Commitment.objects.visible_to(user).with_marking()
            .select_related("classification__scheme", "area", "mandate"))


def _contributions(user):
    return (Contribution.objects.visible_to(user).with_marking()
            .select_related("classification__scheme", "period", "organisation", "assessment", "commitment__partnership"))


@router.get("/me", response={200: Me, **ERRORS}, summary="Who the caller is")
def me(request):
    user = request.auth
    token = getattr(request, "access_token", None)
    return {"username": user.username, "organisation": user.organisation.key if user.organisation_id else None,
            "delegation": user.delegation.code if user.delegation_id else None, "role": user.role,
            "clearance": user.clearance.name if user.clearance_id else None,
            "token_scope": token.scope if token else None}


@router.get("/periods", response={200: list[PeriodOut], **ERRORS}, summary="Reporting periods (reference data)")
def periods(request):
    return [{"id": p.pk, "ordinal": p.ordinal, "start": p.start, "end": p.end, "state": p.state,
             "contributions_due": p.contributions_due}
            for p in ReportingPeriod.objects.order_by("partnership_id", "ordinal")]


@router.get("/commitments", response={200: CommitmentPage, **ERRORS},
            summary="Commitments the caller may read, with the commitment list's filters")
def commitments(request, q: str | None = Query(None, min_length=1, max_length=200), area: str | None = Query(None, min_length=1, max_length=20),
                mandate: str | None = Query(None, min_length=1, max_length=80), period: Int | None = PERIOD,
                organisation: str | None = Query(None, min_length=1, max_length=40),
                assessment: str | None = Query(None, min_length=1, max_length=40, description="A key of the assessment scale, or "
                                               "`none` for not assessed yet (needs `period`)"),
                status: str | None = Query(None, min_length=1, max_length=20, description="reported, missing, or a contribution "
                                           "state (needs `period`)"),
                mine: bool = False, cursor: Int | None = CURSOR, limit: Int = LIMIT):
    user = request.auth
    chosen = _commitment_filters(user, area=area, mandate=mandate, period=period, organisation=organisation,
                                 assessment=assessment, status=status)
    qs = narrow_commitments(_commitments(user), user, chosen.pop("period"), q=q or "", mine=mine, **chosen)
    rows, nxt = pagination.page(qs, cursor, limit)
    return {"items": [_commitment(c) for c in rows], "next": nxt}


def _commitment_filters(user, *, area, mandate, period, organisation, assessment, status) -> dict:
    """The commitment list's filter values as records, each checked (an unknown value, or one the
    caller may not read, is a 400 naming the parameter, as the page's filter refuses it)."""
    from rapport.contributions.listing import NOT_ASSESSED, STATUSES
    from rapport.partnerships.models import Area, AssessmentValue, Mandate, Partnership

    partnership = Partnership.objects.order_by("pk").first()
    chosen = {"area": None, "mandate": None, "period": None, "organisation": None, "assessment": "", "status": ""}
    if area:
        chosen["area"] = Area.objects.visible_to(user).filter(code=area).first()
        if chosen["area"] is None:
            raise InputError(f"no area {area!r} among those you may read", field="area")
    if mandate:
        chosen["mandate"] = Mandate.objects.visible_to(user).filter(key=mandate).first()
        if chosen["mandate"] is None:
            raise InputError(f"no mandate {mandate!r} among those you may read", field="mandate")
    if period:
        chosen["period"] = ReportingPeriod.objects.filter(partnership=partnership, ordinal=period).first()
        if chosen["period"] is None:
            raise InputError(f"no period {period}", field="period")
    if organisation:
        chosen["organisation"] = partnership.organisations.filter(key=organisation).first() if partnership else None
        if chosen["organisation"] is None:
            raise InputError(f"no organisation {organisation!r} in the partnership", field="organisation")
    if assessment:
        known = AssessmentValue.objects.filter(scheme_id=partnership.assessment_scheme_id, key=assessment).exists()
        if assessment != NOT_ASSESSED and not known:
            raise InputError(f"{assessment!r} is not on the assessment scale (or `none`)", field="assessment")
        chosen["assessment"] = assessment
    if status:
        if status not in STATUSES:
            raise InputError(f"the status is one of {', '.join(STATUSES)}", field="status")
        chosen["status"] = status
    if (organisation or assessment or status) and chosen["period"] is None:
        field = "organisation" if organisation else "assessment" if assessment else "status"
        raise InputError("say which period's contributions to look at (`period`)", field=field)
    return chosen


@router.get("/commitments/{id}", response={200: CommitmentOut, **ERRORS}, summary="One commitment",
            openapi_extra=XML_ALTERNATIVE)
@labelled("commitments")  # ?label=4774 or Accept: application/xml answers its STANAG 4774 label
def commitment(request, id: Int = ID):
    return _commitment(get_visible_or_404(_commitments(request.auth), request.auth, pk=id))


@router.get("/contributions", response={200: ContributionPage, **ERRORS}, summary="Contributions the caller may read")
def contributions(request, period: Int | None = PERIOD, commitment: Int | None = COMMITMENT,
                  organisation: str | None = Query(None, min_length=1, max_length=40),
                  state: str | None = Query(None, min_length=1, max_length=20), cursor: Int | None = CURSOR,
                  limit: Int = LIMIT):
    qs = _contributions(request.auth)
    if period:
        qs = qs.filter(period__ordinal=period)
    if commitment:
        # Only a commitment the caller may read narrows the list (as a missing one, another gives
        # nothing): filtering by a hidden one would tie its id to its contributions.
        qs = qs.filter(commitment_id=commitment, commitment__in=_commitments(request.auth).values("pk"))
    if organisation:
        qs = qs.filter(organisation__key=organisation)
    if state:
        qs = qs.filter(state=state)
    rows, nxt = pagination.page(qs, cursor, limit)
    readable, received = readable_commitments(request.auth, rows), received_from(rows)
    return {"items": [_contribution(c, readable, received) for c in rows], "next": nxt}


@router.get("/contributions/{id}", response={200: ContributionOut, **ERRORS}, summary="One contribution (with its ETag)",
            openapi_extra=XML_ALTERNATIVE)
@labelled("contributions")  # ?label=4774 or Accept: application/xml answers its STANAG 4774 label
def contribution(request, response: HttpResponse, id: Int = ID):
    found = get_visible_or_404(_contributions(request.auth), request.auth, pk=id)
    response["ETag"] = etag(found)
    return _contribution(found, readable_commitments(request.auth, [found]))
