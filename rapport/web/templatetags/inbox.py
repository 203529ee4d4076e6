"""The header's link to the inbox, with the number of unread notices (a query for the kinds of
object they are about, and one to count them when there are any)."""

from __future__ import annotations

from django import template
from django.db import DatabaseError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rapport.notifications.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_link(context) -> str:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    try:
        unread = Notification.objects.unread_count(user)
    except DatabaseError:  # the error page of a failing database still renders
        unread = 0
    current = ' aria-current="page"' if context.get("nav") == "inbox" else ""
    badge = format_html(' <span class="unread-count">{}<span class="visually-hidden"> {}</span></span>',
                        unread, _("unread")) if unread else ""
    return format_html('<li><a href="{}"{}>{}{}</a></li>', reverse("inbox"), mark_safe(current), _("Inbox"), badge)
