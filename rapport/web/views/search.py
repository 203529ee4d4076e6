"""Search across commitments, contributions, meetings and reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.search.service import search
from rapport.search.sources import SOURCES

from ..fragments import fragment
from ..rendering import page
from ..templatetags.rapport_language import lang_attr, local_text
from .partners import mark_received

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


# The page's words for each kind of record searched: the boxes to tick and the tag of a result.
SOURCE_LABELS = {"commitment": gettext_lazy("Commitments"), "contribution": gettext_lazy("Contributions"),
                 "meeting": gettext_lazy("Meetings"), "report": gettext_lazy("Reports"),
                 "highlight": gettext_lazy("Report highlights"), "outlook": gettext_lazy("Report outlook"),
                 "text": gettext_lazy("Report introduction and area texts")}
KIND_TAGS = {"commitment": gettext_lazy("commitment"), "contribution": gettext_lazy("contribution"),
             "meeting": gettext_lazy("meeting"), "report": gettext_lazy("report"),
             "highlight": gettext_lazy("highlight"), "outlook": gettext_lazy("outlook"),
             "text": gettext_lazy("text")}


# Kinds whose result is titled with the record's own title (its language is tagged on the page);
# the others are titled with the page's words.
OWN_TITLES = ("commitment", "meeting", "report")


def _title(hit) -> str:
    obj = hit.obj
    if hit.kind == "contribution":
        return _("%(organisation)s contribution, period %(ordinal)s") % {
            "organisation": obj.organisation.short_name, "ordinal": obj.period.ordinal}
    if hit.kind in ("highlight", "outlook", "text"):
        # The report's title in a sentence of the page's: tagged with its own language (English data).
        title = format_html("<span{}>{}</span>", lang_attr(obj.report, "title"), local_text(obj.report, "title"))
        sentence = {"highlight": _("Highlight of %(report)s"), "outlook": _("Outlook of %(report)s"),
                    "text": _("Text of %(report)s")}[hit.kind]
        return mark_safe(conditional_escape(sentence) % {"report": title})  # the sentence escaped, the title built escaped
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
    mark_received([h.obj for h in hits if h.kind == "contribution"])
    results = [{"hit": h, "url": _url(h), "title": _title(h), "label": KIND_TAGS.get(h.kind, h.kind),
                "titled": h.obj if h.kind in OWN_TITLES else None} for h in hits]
    counts: dict[str, int] = {}
    for h in hits:
        counts[h.kind] = counts.get(h.kind, 0) + 1
    sources = [{"kind": s.kind, "label": SOURCE_LABELS.get(s.kind, s.label)} for s in SOURCES]
    return {"search_query": q, "results": results, "kinds": kinds, "sources": sources, "counts": counts}


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
