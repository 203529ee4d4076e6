"""Evidence records: the list of each kind, and a meeting with what it is linked to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from rapport.commitments.models import Commitment
from rapport.evidence.models import CoordinationFormat, Meeting

from ..evidence_listing import KINDS, evidence_listing
from ..rendering import page, visible_or_404

PAGE_SIZE = 50


@login_required
def evidence_list(request):
    """One kind of evidence the reader may read, filtered by text, a page at a time."""
    listing = evidence_listing(request.user, request.GET)
    page_obj = Paginator(listing.records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = listing.rows(page_obj.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return page(request, "web/evidence/list.html", {
        "nav": "evidence", "form": listing.form, "kind": listing.kind, "spec": listing.spec, "kinds": KINDS,
        "rows": rows, "page_obj": page_obj, "export_query": query.urlencode(),
    }, marked=[obj for row in rows for obj in row.shown])


@login_required
def meeting_detail(request, pk: int):
    user = request.user
    meeting = visible_or_404(Meeting.objects.all().with_marking(), user, pk=pk)
    return page(request, "web/evidence/meeting.html", {
        "nav": "commitments", "meeting": meeting,
        "format": CoordinationFormat.objects.visible_to(user).with_marking().filter(pk=meeting.format_id).first(),
        "commitments": Commitment.objects.visible_to(user).filter(meetings=meeting).with_marking().order_by("order", "ref"),
    })
