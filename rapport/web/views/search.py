"""Search across commitments, contributions, meetings and reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from rapport.search.service import search
from rapport.search.sources import SOURCES

from ..fragments import fragment
from ..rendering import page

# Search kinds of the report's parts -> their kind in the report editor's addresses.
PART_KINDS = {"outlook": "outlook", "text": "text"}


def _url(hit) -> str:
    obj = hit.obj
    if hit.kind == "commitment":
        return reverse("commitment-detail", args=[obj.pk])
    if hit.kind == "contribution":
        return reverse("contribution-detail", args=[obj.pk])
    if hit.kind == "meeting":
        return reverse("meeting-detail", args=[obj.pk])
    if hit.kind == "report":
        return reverse("report-detail", args=[obj.period.ordinal])
    if hit.kind == "highlight":
        return reverse("report-detail", args=[obj.report.period.ordinal])
    if hit.kind in PART_KINDS:  # the part's own page in the report editor, with its thread
        return reverse("report-part-edit", args=[obj.report.period.ordinal, PART_KINDS[hit.kind], obj.pk])
    return "#"


def _title(hit) -> str:
    obj = hit.obj
    if hit.kind == "contribution":
        return f"{obj.organisation.short_name} contribution, period {obj.period.ordinal}"
    if hit.kind == "highlight":
        return f"Highlight of {obj.report.title}"
    if hit.kind == "outlook":
        return f"Outlook of {obj.report.title}"
    if hit.kind == "text":
        return f"Text of {obj.report.title}"
    return str(obj)


@login_required
def search_page(request):
    q = request.GET.get("q", "").strip()[:200]
    body = fragment(request, "search", "web/search/_search.html", lambda: _search(request, q))
    return page(request, "web/search/search.html", {"nav": "search", "search_query": q, "body": body})


def _search(request, q: str) -> dict:
    kinds = [k for k in request.GET.getlist("kind") if k]
    hits = search(request.user, q, kinds or None) if q else []
    _prefetch_for_display(hits)
    results = [{"hit": h, "url": _url(h), "title": _title(h), "label": h.kind} for h in hits]
    counts: dict[str, int] = {}
    for h in hits:
        counts[h.kind] = counts.get(h.kind, 0) + 1
    return {"search_query": q, "results": results, "kinds": kinds, "sources": SOURCES, "counts": counts}


def _prefetch_for_display(hits) -> None:
    """Load what titles and portion markings need, one query per kind and relation."""
    from django.db.models import prefetch_related_objects

    groups: dict[str, list] = {}
    for h in hits:
        groups.setdefault(h.kind, []).append(h.obj)
    related = {
        "commitment": ["classification", "releasable_to"],
        "contribution": ["classification", "releasable_to", "organisation", "period"],
        "meeting": ["classification", "releasable_to"],
        "report": ["classification", "releasable_to", "period"],
        "highlight": ["classification", "releasable_to", "report__period"],
        "outlook": ["classification", "releasable_to", "report__period"],
        "text": ["classification", "releasable_to", "report__period"],
    }
    for kind, objs in groups.items():
        prefetch_related_objects(objs, *related.get(kind, []))
