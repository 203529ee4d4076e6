"""The header's link to the Partners page, for those the policy lets see it
(``federation.view_partners``): the staff of this instance's organisation who run the cycle."""

from __future__ import annotations

from django import template
from django.db import DatabaseError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rapport.access.policy import can
from rapport.federation.rules import PartnersAction

register = template.Library()


@register.simple_tag(takes_context=True)
def partners_link(context) -> str:
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.organisation_id:
        return ""
    try:
        allowed = can(user, PartnersAction.VIEW, user.organisation)
    except DatabaseError:  # the error page of a failing database still renders
        return ""
    if not allowed:
        return ""
    current = ' aria-current="page"' if context.get("nav") == "partners" else ""
    return format_html('<li><a href="{}"{}>{}</a></li>', reverse("partners"), mark_safe(current), _("Partners"))
