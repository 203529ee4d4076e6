"""The audit log: overall and per object, with the chain's verification status."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from rapport.audit.models import AuditEvent
from rapport.audit.verify import verify_chain

from ..queries import marked
from ..rendering import page

PAGE_SIZE = 50


@login_required
def audit_log(request):
    events = marked(AuditEvent.objects.visible_to(request.user)).order_by("-seq")
    verb = request.GET.get("verb", "")
    if verb:
        events = events.filter(verb=verb)
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(request, "web/audit/log.html", {
        "nav": "audit", "page_obj": page_obj, "events": page_obj.object_list, "chain": verify_chain(),
        "verb": verb, "verbs": AuditEvent._meta.get_field("verb").choices, "subject": None,
    })


@login_required
def audit_object(request, object_type: str, object_id: str):
    events = marked(
        AuditEvent.objects.visible_to(request.user).filter(object_type=object_type, object_id=object_id)
    ).order_by("-seq")
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    # An object whose entries the user may not read looks like one without entries.
    subject = page_obj.object_list[0].object_repr if page_obj.object_list else f"{object_type} {object_id}"
    return page(request, "web/audit/log.html", {
        "nav": "audit", "page_obj": page_obj, "events": page_obj.object_list, "chain": verify_chain(),
        "subject": subject, "object_type": object_type, "object_id": object_id,
    })
