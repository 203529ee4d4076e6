"""STANAG 4774 confidentiality labels over the API (markings/labels.py builds them).

``GET /api/v1/labels/{kind}/{id}`` answers the label of any record the API serves, read
through the caller's visibility exactly as the record's own route reads it: a record the
caller may not read answers 404 as a missing one.

The object routes answer the same label instead of their JSON when asked (``?label=4774``
or ``Accept: application/xml``): see labelling.py.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from django.db.models import Max
from django.http import HttpResponse

from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution
from rapport.markings import labels
from rapport.markings.querysets import get_visible_or_404

from .records import KINDS, _queryset
from .resources import ERRORS, ID, Int, router

# The kinds of record the API serves, by the path of their routes (/api/v1/<kind>/{id}).
MODELS = {"commitments": Commitment, "contributions": Contribution, **{k.path: k.model for k in KINDS}}
LabelKind = StrEnum("LabelKind", {path.replace("-", "_"): path for path in MODELS})


def label_time(obj, reader) -> datetime.datetime:
    """When the record last changed: its own time where it keeps one, else the latest entry
    about it in the audit log that the reader may read, else the Unix epoch (said in the docs)."""
    own = labels.own_time(obj)
    if own is not None:
        return own
    latest = AuditEvent.objects.for_object(obj).visible_to(reader).aggregate(at=Max("at"))["at"]
    return latest or labels.EPOCH


def reference(kind: str, obj) -> str:
    """The record's own route: what the label's DataReference names."""
    return f"/api/v1/{kind}/{obj.pk}"


def label_response(request, kind: str, obj) -> HttpResponse:
    """The label of a record the caller has read (through ``visible_to``), as the answer."""
    body = labels.label_for(obj, created=label_time(obj, request.auth), reference=reference(kind, obj))
    return HttpResponse(body, content_type=f"{labels.CONTENT_TYPE}; charset=utf-8")


def visible(kind: str, user):
    described = next((k for k in KINDS if k.path == kind), None)
    if described is not None:  # read exactly as its own route reads it (a report's part with its report)
        return _queryset(described, user)
    return (MODELS[kind].objects.visible_to(user).with_marking().select_related("classification__scheme"))


XML_ANSWER = {"200": {"description": "The record's STANAG 4774 labels (originator and alternatives) in a "
                                     "STANAG 4778 BindingInformation",
                      "content": {labels.CONTENT_TYPE: {"schema": {"type": "string"}}}}}


@router.get("/labels/{kind}/{id}", response={**ERRORS}, url_name="label", summary="A record's confidentiality label",
            description="The originator label in the record's own scheme and an alternative label for the equal "
                        "level of each other scheme of the partnership (STANAG 4774), as XML.",
            openapi_extra={"responses": XML_ANSWER})
def label(request, kind: LabelKind, id: Int = ID):
    kind = LabelKind(kind).value
    found = get_visible_or_404(visible(kind, request.auth), request.auth, pk=id)
    return label_response(request, kind, found)
