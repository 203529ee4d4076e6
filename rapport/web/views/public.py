"""The public area: what a signed-out visitor may read (published, PUBLIC content)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count

from rapport.commitments.models import Commitment
from rapport.partnerships.models import Area, Mandate

from ..fragments import fragment
from ..queries import PUBLIC_READER, the_partnership, visible_commitments
from ..rendering import page, visible_or_404

PAGE_SIZE = 50


def public_home(request):
    """The commitments by area, as the signed-out public may read them, a page at a time."""
    body = fragment(request, "public-home", "web/public/_home.html", lambda: _home(request), reader=PUBLIC_READER)
    return page(request, "web/public/home.html", {"nav": "public-home", "body": body})


def _home(request) -> dict:
    areas = Area.objects.visible_to(PUBLIC_READER)
    commitments = visible_commitments(PUBLIC_READER).filter(area__in=areas).order_by("area__order", "order", "ref")
    chosen = request.GET.get("area", "")
    counts = dict(commitments.order_by().values_list("area").annotate(n=Count("pk")))
    index = [(a, counts[a.pk]) for a in areas.order_by("order") if counts.get(a.pk)]
    if chosen:
        commitments = commitments.filter(area__key=chosen)
    page_obj = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    groups: dict[int, dict] = {}
    for c in page_obj.object_list:
        groups.setdefault(c.area_id, {"area": c.area, "count": counts[c.area_id], "commitments": []})[
            "commitments"].append(c)
    return {
        "groups": list(groups.values()), "total": sum(counts.values()), "index": index,
        "chosen": chosen, "page_obj": page_obj, "partnership": the_partnership(),
    }


def public_commitment(request, pk: int):
    commitment = visible_or_404(
        Commitment.objects.select_related("area", "mandate").with_marking(), PUBLIC_READER, pk=pk
    )
    mandate = Mandate.objects.visible_to(PUBLIC_READER).filter(pk=commitment.mandate_id).first()
    area = Area.objects.visible_to(PUBLIC_READER).filter(pk=commitment.area_id).first()
    return page(request, "web/public/commitment.html", {
        "nav": "public-home", "commitment": commitment, "mandate": mandate, "area": area,
    })
