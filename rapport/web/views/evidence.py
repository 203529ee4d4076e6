"""Evidence records: a meeting and what it is linked to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

from rapport.commitments.models import Commitment
from rapport.evidence.models import CoordinationFormat, Meeting

from ..rendering import page, visible_or_404


@login_required
def meeting_detail(request, pk: int):
    user = request.user
    meeting = visible_or_404(Meeting.objects.all().with_marking(), user, pk=pk)
    return page(request, "web/evidence/meeting.html", {
        "nav": "commitments", "meeting": meeting,
        "format": CoordinationFormat.objects.visible_to(user).with_marking().filter(pk=meeting.format_id).first(),
        "commitments": Commitment.objects.visible_to(user).filter(meetings=meeting).with_marking().order_by("order", "ref"),
    })
