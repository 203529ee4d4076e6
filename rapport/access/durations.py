"""Durations said as people say them: "15 minutes", "40 seconds", "1 hour and 30 minutes" (never
"0.666667 minutes", never "1 seconds"), in the active language, for the messages about sessions
and sign-in limits (an audit message asks for English: ``translation.override("en")``)."""

from __future__ import annotations

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _unit(count: int, size: int) -> str:
    if size == 3600:
        return ngettext("%(n)s hour", "%(n)s hours", count) % {"n": count}
    if size == 60:
        return ngettext("%(n)s minute", "%(n)s minutes", count) % {"n": count}
    return ngettext("%(n)s second", "%(n)s seconds", count) % {"n": count}


def duration(seconds: float) -> str:
    left = max(round(float(seconds)), 0)
    parts = []
    for size in (3600, 60, 1):
        count, left = divmod(left, size)
        if count:
            parts.append(_unit(count, size))
    if not parts:
        return _unit(0, 1)
    return get_text_list(parts, _("and"))
