"""The inbox: the reader's own notifications, newest first, a page at a time.

Notices are read through ``Notification.objects.visible_to``: the reader's own, and
only while the reader may still read what each is about (a notice about a text that
was since remarked, or a contribution that went back to its organisation, is not
shown). Marking read goes through ``notifications.services``; someone else's notice
answers 404 exactly as a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rapport.core.errors import NotFound
from rapport.markings.models import MarkedModel
from rapport.notifications import services
from rapport.notifications.models import Notification

from ..rendering import page

PAGE_SIZE = 25
UNREAD = "unread"


def _subjects(user, notices) -> None:
    """Attach each notice's subject when it carries a marking (for its portion marking and the
    banner): one query (and one for releasability) per kind of subject on the page."""
    by_type: dict[int, list[Notification]] = {}
    for n in notices:
        n.marked_subject = None
        by_type.setdefault(n.content_type_id, []).append(n)
    for rows in by_type.values():
        model = rows[0].content_type.model_class()
        if model is None or not issubclass(model, MarkedModel):
            continue
        found = model.objects.visible_to(user).filter(pk__in=[n.object_pk for n in rows]).with_marking().in_bulk()
        for n in rows:
            n.marked_subject = found.get(n.object_pk)


@login_required
def inbox(request):
    user = request.user
    show = request.GET.get("show", "")
    notices = Notification.objects.visible_to(user).select_related("content_type")
    if show == UNREAD:
        notices = notices.unread()
    page_obj = Paginator(notices.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page_obj.object_list)
    _subjects(user, rows)
    return page(request, "web/inbox/inbox.html", {
        "nav": "inbox", "page_obj": page_obj, "notices": rows, "show": show,
    }, marked=[n.marked_subject for n in rows if n.marked_subject is not None])


def _back(request):
    return redirect(reverse("inbox") + ("?show=unread" if request.POST.get("show") == UNREAD else ""))


@login_required
@require_POST
def inbox_read(request, pk: int):
    notice = Notification.objects.visible_to(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    try:
        services.mark_read(actor=request.user, notification=notice)
    except NotFound:
        raise Http404 from None
    return _back(request)


@login_required
@require_POST
def inbox_read_all(request):
    changed = services.mark_all_read(actor=request.user)
    messages.success(request, ngettext("%(count)s notification marked read.", "%(count)s notifications marked read.",
                                       changed) % {"count": changed} if changed else _("Nothing was unread."))
    return _back(request)
