"""The audit log: overall and per object, with the chain's verification status
(``page_status``: only the entries written since the last verification are checked).

Entries are read through ``AuditEvent.objects.visible_to``: their own marking and
their object's visibility to the reader now. The page of one object answers 404
— exactly as for an object that never existed — unless the reader may see the
object or at least one entry about it.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404

from rapport.audit.models import AuditEvent
from rapport.audit.verify import page_status
from rapport.markings.models import MarkedModel

from ..rendering import page

PAGE_SIZE = 50


@login_required
def audit_log(request):
    events = AuditEvent.objects.visible_to(request.user).with_marking().order_by("-seq")
    verb = request.GET.get("verb", "")
    if verb:
        events = events.filter(verb=verb)
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(request, "web/audit/log.html", {
        "nav": "audit", "page_obj": page_obj, "events": page_obj.object_list, "chain": page_status(),
        "verb": verb, "verbs": AuditEvent._meta.get_field("verb").choices, "subject": None,
    })


def _subject(user, object_type: str, object_pk: int):
    """The object's model and, if the reader may see it, the object (else None)."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        raise Http404 from None
    if issubclass(model, MarkedModel):
        return model, model.objects.visible_to(user).filter(pk=object_pk).first()
    return model, None


@login_required
def audit_object(request, object_type: str, object_pk: int):
    user = request.user
    model, visible = _subject(user, object_type, object_pk)
    events = AuditEvent.objects.visible_to(user).filter(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name,
        object_pk=object_pk).with_marking().order_by("-seq")
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    if visible is None and not page_obj.object_list:
        raise Http404
    subject = str(visible) if visible is not None else page_obj.object_list[0].object_repr
    return page(request, "web/audit/log.html", {
        "nav": "audit", "page_obj": page_obj, "events": page_obj.object_list, "chain": page_status(),
        "subject": subject, "object_type": object_type, "object_pk": object_pk,
    }, marked=[visible] if visible is not None else [])
