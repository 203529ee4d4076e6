"""STANAG 4774 confidentiality labels over the API (markings/labels.py builds them).

``GET /api/v1/labels/{kind}/{id}`` answers the label of any record the API serves, read
through the caller's visibility exactly as the record's own route reads it: a record the
caller may not read answers 404 as a missing one.

The object routes can answer the same label instead of their JSON when asked
(``?label=4774`` or ``Accept: application/xml``)::

    if wants_label(request):
        return label_response(request, kind, found)
"""

from __future__ import annotations

from enum import StrEnum

from django.http import HttpResponse

from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution
from rapport.markings import labels
from rapport.markings.querysets import get_visible_or_404

from .records import KINDS
from .resources import ERRORS, ID, Int, router

# The kinds of record the API serves, by the path of their routes (/api/v1/<kind>/{id}).
MODELS = {"commitments": Commitment, "contributions": Contribution, **{k.path: k.model for k in KINDS}}
LabelKind = StrEnum("LabelKind", {path.replace("-", "_"): path for path in MODELS})
XML_TYPES = ("application/xml", "text/xml")


def reference(kind: str, obj) -> str:
    """The record's own route: what the label's DataReference names."""
    return f"/api/v1/{kind}/{obj.pk}"


def wants_label(request) -> bool:
    """Whether the caller asked for the label rather than the JSON: ``?label=4774``, or an
    ``Accept`` header that ranks an XML type above JSON (the first listed wins a tie)."""
    if request.GET.get("label") == "4774":
        return True
    best, best_q = None, 0.0
    for part in request.headers.get("Accept", "").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in (*XML_TYPES, "application/json", "*/*", "application/*") and q > best_q:
            best, best_q = media, q
    return best in XML_TYPES


def label_response(request, kind: str, obj) -> HttpResponse:
    """The label of a record the caller has read (through ``visible_to``), as the answer."""
    body = labels.label_for(obj, request.auth, reference=reference(kind, obj))
    return HttpResponse(body, content_type=f"{labels.CONTENT_TYPE}; charset=utf-8")


def visible(kind: str, user):
    return (MODELS[kind].objects.visible_to(user).with_marking().select_related("classification__scheme"))


XML_ANSWER = {"200": {"description": "The record's STANAG 4774 labels (originator and alternatives) in a "
                                     "STANAG 4778 BindingInformation",
                      "content": {labels.CONTENT_TYPE: {"schema": {"type": "string"}}}}}


@router.get("/labels/{kind}/{id}", response={**ERRORS}, url_name="label", summary="A record's confidentiality label",
            description="The originator label in the record's own scheme and an alternative label for the equal "
                        "level of each other scheme of the partnership (STANAG 4774), as XML.",
            openapi_extra={"responses": XML_ANSWER})
def label(request, kind: LabelKind, id: Int = ID):
    found = get_visible_or_404(visible(kind.value, request.auth), request.auth, pk=id)
    return label_response(request, kind.value, found)
