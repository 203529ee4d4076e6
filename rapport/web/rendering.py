"""Rendering a page: the template, then the marking banner filled in from what
the template actually showed.

Every response is a full page. htmx requests pick the part they swap with
``hx-select`` and take the banners along with ``hx-select-oob``, so a partial
update can never leave a banner that is lower than what the page shows.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

from rapport.core.errors import NotFound
from rapport.markings.querysets import get_visible_or_404

from .marking import PageMarking


def page_marking(request) -> PageMarking:
    if not hasattr(request, "_page_marking"):
        request._page_marking = PageMarking()
    return request._page_marking


def data_version(request) -> str:
    """The audit log's head (one query per request): every audited change moves it, so what is
    kept across requests under it is as fresh as the data (see fragments.py)."""
    if not hasattr(request, "_rapport_data_version"):
        from rapport.audit.models import AuditHead

        head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
        request._rapport_data_version = f"{head[0]}:{head[1]}" if head else "0"
    return request._rapport_data_version


def page(request, template: str, context: dict | None = None, *, status: int = 200, marked=()) -> HttpResponse:
    """Render a page and fill in the marking banner.

    ``marked`` are records whose content the page uses without printing a portion
    marking for each (chart cells, counts): they raise the banner too.
    """
    marking = page_marking(request)
    for obj in marked:
        marking.note_object(obj)
    html = render_to_string(template, context or {}, request=request)
    if marking.rank:
        marking.version = data_version(request)
    for position in ("top", "bottom"):
        slot = f"<!--rapport:marking-banner-{position}-->"
        banner = render_to_string("_marking_banner.html", {"marking": marking, "position": position})
        html = html.replace(slot, banner)
    return HttpResponse(html, status=status)


def visible_or_404(queryset, user, **lookup):
    """``get_visible_or_404`` for views: denied and missing both become the same 404."""
    try:
        return get_visible_or_404(queryset, user, **lookup)
    except NotFound as exc:
        raise Http404 from exc
