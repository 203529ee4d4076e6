"""Answering a record's STANAG 4774 label instead of its JSON, when the caller asks for it:
``?label=4774``, or an ``Accept`` header that ranks an XML type above JSON.

An object route takes it with one decorator under its ``router.get`` (and documents the XML
answer with ``openapi_extra=XML_ALTERNATIVE``)::

    @router.get("/commitments/{id}", ..., openapi_extra=XML_ALTERNATIVE)
    @labelled("commitments")
    def commitment(request, id: Int = ID): ...

The label is read as ``GET /api/v1/labels/<kind>/{id}`` reads it (labels.py): through the
caller's visibility, 404 as for a missing record. This module imports no route module, so
the route modules can import it.
"""

from __future__ import annotations

import functools
import inspect

XML_TYPES = ("application/xml", "text/xml")
OTHER_TYPES = ("application/json", "*/*", "application/*")
XML_ALTERNATIVE = {"responses": {200: {"content": {"application/xml": {"schema": {
    "type": "string", "description": "The record's STANAG 4774 labels, answered for ?label=4774 or "
                                     "Accept: application/xml (see GET /api/v1/labels/{kind}/{id})."}}}}}}


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
        if media in (*XML_TYPES, *OTHER_TYPES) and q > best_q:
            best, best_q = media, q
    return best in XML_TYPES


def labelled(kind: str):
    """Make an object route answer the record's label when the caller asks for it."""

    def decorate(view):
        @functools.wraps(view)
        def route(request, *args, **kwargs):
            if wants_label(request):
                from .labels import label

                return label(request, kind, kwargs["id"])
            return view(request, *args, **kwargs)

        # The view's parameters with their types resolved in its own module (django-ninja reads
        # string annotations in the module of the function it is given: this one's).
        route.__signature__ = inspect.signature(view, eval_str=True)
        return route

    return decorate
