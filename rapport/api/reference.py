"""Reference data through the API: partnerships, their organisations, and the member states'
memberships of each organisation (public facts, unmarked, the same for every caller)."""

from __future__ import annotations

import datetime

from ninja import Query, Schema

from rapport.partnerships.models import Membership, Organisation, Partnership

from . import pagination
from .resources import CURSOR, ERRORS, LIMIT, Int, router


class PartnershipOut(Schema):
    id: int
    key: str
    name: str
    description: str
    organisations: list[str]  # organisation keys
    reporting_cadence: str


class OrganisationOut(Schema):
    id: int
    key: str
    name: str
    short_name: str
    council: str
    scheme: str  # the key of its classification scheme


class MembershipOut(Schema):
    id: int
    state: str  # the member state's code
    state_name: str
    organisation: str
    joined: datetime.date
    left: datetime.date | None


class MembershipPage(Schema):
    items: list[MembershipOut]
    next: int | None


@router.get("/partnerships", response={200: list[PartnershipOut], **ERRORS}, summary="Partnerships (reference data)",
            url_name="partnerships")
def partnerships(request):
    rows = Partnership.objects.prefetch_related("organisations").order_by("pk")
    return [{"id": p.pk, "key": p.key, "name": p.name, "description": p.description,
             "organisations": sorted(o.key for o in p.organisations.all()),
             "reporting_cadence": p.reporting_cadence} for p in rows]


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS},
            summary="Organisations (reference data)", url_name="organisations")
def organisations(request):
    return [{"id": o.pk, "key": o.key, "name": o.name, "short_name": o.short_name, "council": o.council,
             "scheme": o.scheme.key} for o in Organisation.objects.select_related("scheme").order_by("pk")]


@router.get("/memberships", response={200: MembershipPage, **ERRORS},
            summary="Member states' memberships of the organisations (reference data)", url_name="memberships")
def memberships(request, organisation: str | None = Query(None, min_length=1, max_length=50), cursor: Int | None = CURSOR, limit: Int = LIMIT):
    rows = Membership.objects.select_related("state", "organisation")
    if organisation:
        rows = rows.filter(organisation__key=organisation[:50])
    page, nxt = pagination.page(rows, cursor, limit)
    return {"items": [{"id": m.pk, "state": m.state.code, "state_name": m.state.name,
                       "organisation": m.organisation.key, "joined": m.joined, "left": m.left} for m in page],
            "next": nxt}
