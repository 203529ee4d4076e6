"""Template tags for Rapport's pages: portion markings, assessment and state badges."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from rapport.web.marking import portion_label
from rapport.web.rendering import page_marking
from rapport.web.templatetags.rapport_language import lang_attr, local_text

register = template.Library()


@register.simple_tag(takes_context=True)
def portion(context, obj) -> str:
    """Print a record's portion marking and raise the page banner to it."""
    request = context.get("request")
    if request is not None:
        page_marking(request).note_object(obj)
    label = portion_label(obj)
    css = f"portion marking-rank-{min(obj.classification.rank, 5)}"
    return format_html('<span class="{}" title="{}">{}</span>', css,
                       _("Marking: %(level)s") % {"level": obj.classification.name}, label)


@register.simple_tag(takes_context=True)
def marking_banner_slot(context, position: str) -> str:
    """Where ``rendering.page`` puts a banner once the page is rendered; it also
    tells the page's marking who reads it, so the banner names levels in the
    reader's own scheme first."""
    if position not in ("top", "bottom"):
        raise template.TemplateSyntaxError("a marking banner is at the top or the bottom")
    request = context.get("request")
    if request is not None:
        page_marking(request).reader = context.get("user")
    return mark_safe(f"<!--rapport:marking-banner-{position}-->")  # a fixed comment, no user text


@register.simple_tag(takes_context=True)
def note_marking(context, obj) -> str:
    """Raise the page banner to a record whose content is used without a portion marking."""
    request = context.get("request")
    if request is not None and obj is not None:
        page_marking(request).note_object(obj)
    return ""


@register.simple_tag
def assessment(value, short: bool = False) -> str:
    """An assessment's badge: its label in the page's language where the scale gives one, else
    as the scale has it, tagged with its language (``lang_attr``)."""
    if value is None:
        return format_html('<span class="assess assess-none">{}</span>', "—" if short else _("Not assessed"))
    label, lang = local_text(value, "label"), lang_attr(value, "label")
    if short:
        initials = "".join(w[0] for w in label.split() if w[0].isalnum()).upper()
        return format_html(
            '<span class="assess assess-{}-{}" title="{}"{}><span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span></span>',
            value.scheme_id, value.key, label, lang, initials, label,
        )
    return format_html('<span class="assess assess-{}-{}"{}>{}</span>', value.scheme_id, value.key, lang, label)


@register.simple_tag
def state_badge(obj) -> str:
    return format_html('<span class="state state-{}">{}</span>', obj.state, obj.get_state_display())


@register.filter
def and_list(items) -> str:
    """Names joined as a sentence in the page's language: "A, B and C" / "A, B et C"."""
    return get_text_list([str(i) for i in items], _("and"))


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.inclusion_tag("web/periods/_deadlines.html")
def deadlines(period, only: str = ""):
    """A period's stage and the deadlines still ahead, with days left (only=field: that one)."""
    from rapport.periods.lifecycle import FINAL, days_left

    rows = []
    if period is not None and period.state not in FINAL:
        for name, label, day in period.deadlines():
            left = days_left(day)
            if (only and name != only) or (not only and left < 0 and name != "contributions_due"):
                continue
            rows.append({"label": label, "day": day, "left": left, "ago": -left})
    return {"period": period, "rows": rows}
