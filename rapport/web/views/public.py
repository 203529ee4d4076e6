"""The public area: what a signed-out visitor may read (published, PUBLIC content)."""

from __future__ import annotations

from rapport.commitments.models import Commitment
from rapport.partnerships.models import Area, Mandate

from ..queries import PUBLIC_READER, the_partnership, visible_commitments
from ..rendering import page, visible_or_404


def public_home(request):
    """The commitments by area, as the signed-out public may read them."""
    commitments = visible_commitments(PUBLIC_READER).order_by("area__order", "order", "ref")
    visible_area_ids = set(Area.objects.visible_to(PUBLIC_READER).values_list("pk", flat=True))
    groups: dict[int, dict] = {}
    for c in commitments:
        if c.area_id in visible_area_ids:
            groups.setdefault(c.area_id, {"area": c.area, "commitments": []})["commitments"].append(c)
    total = sum(len(g["commitments"]) for g in groups.values())
    return page(request, "web/public/home.html", {
        "nav": "public-home", "groups": list(groups.values()), "total": total,
        "partnership": the_partnership(),
    })


def public_commitment(request, pk: int):
    commitment = visible_or_404(
        Commitment.objects.select_related("area", "mandate").with_marking(), PUBLIC_READER, pk=pk
    )
    mandate = Mandate.objects.visible_to(PUBLIC_READER).filter(pk=commitment.mandate_id).first()
    area = Area.objects.visible_to(PUBLIC_READER).filter(pk=commitment.area_id).first()
    return page(request, "web/public/commitment.html", {
        "nav": "public-home", "commitment": commitment, "mandate": mandate, "area": area,
    })
