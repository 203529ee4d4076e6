from django.shortcuts import render

from rapport.commitments.models import Commitment
from rapport.partnerships.models import Area


def public_home(request):
    """The commitments by area, as the signed-out public may read them."""
    commitments = (
        Commitment.objects.visible_to(request.user)
        .select_related("area", "mandate")
        .order_by("area__order", "order", "ref")
    )
    areas: dict[int, dict] = {}
    for c in commitments:
        areas.setdefault(c.area_id, {"area": c.area, "commitments": []})["commitments"].append(c)
    visible_area_ids = set(Area.objects.visible_to(request.user).values_list("pk", flat=True))
    groups = [g for g in areas.values() if g["area"].pk in visible_area_ids]
    return render(request, "web/public_home.html", {"groups": groups, "total": len(commitments)})
