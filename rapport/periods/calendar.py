"""Deadlines as an iCalendar feed: one per user, at a secret address they can revoke.

The feed holds what the user may read and nothing else: the deadlines of the
periods of their partnerships (reference data) and the ends of their own
organisation's extensions on commitments they may see now, each as a reference
and a title, with a link to the page.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from rapport.audit.record import record
from rapport.audit.verbs import Verb

from .lifecycle import FINAL
from .models import CalendarFeed, Extension, ReportingPeriod


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def new_feed(user) -> str:
    """A fresh secret token for the user (the previous address stops working)."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_sha256": _hash(token),
                                                               "created_at": timezone.now()})
    record(actor=user, verb=Verb.CALENDAR_FEED_MADE, obj=user, object_repr=f"calendar feed of {user.username}")
    return token


@transaction.atomic
def revoke_feed(user) -> bool:
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        record(actor=user, verb=Verb.CALENDAR_FEED_REVOKED, obj=user, object_repr=f"calendar feed of {user.username}")
    return bool(deleted)


def user_for(token: str):
    """The active user whose feed this token opens, or None (unknown, revoked, inactive)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_sha256=_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def _partnerships(user):
    from rapport.partnerships.models import Partnership

    return Partnership.objects.filter(organisations__in=user.reading_organisations()).distinct()


def feed_ics(user, base_url: str) -> bytes:
    """The feed in the user's own language (a calendar program sends no useful Accept-Language)."""
    language = getattr(user, "language", "") or ""
    with translation.override(language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE):
        return _feed(user, base_url)


def _feed(user, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Rapport//Reporting deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Rapport deadlines"))
    stamp = timezone.now()
    periods = (ReportingPeriod.objects.filter(partnership__in=_partnerships(user)).exclude(state__in=FINAL)
               .select_related("partnership").order_by("partnership", "ordinal"))
    for p in periods:
        for name, label, day in p.deadlines():
            summary = _("%(deadline)s: %(partnership)s, period %(ordinal)s") % {
                "deadline": label, "partnership": p.partnership.name, "ordinal": p.ordinal}
            cal.add_component(_event(f"period-{p.pk}-{name}", summary,
                                     day, f"{base_url}/periods/{p.ordinal}/", stamp))
    extensions = (Extension.objects.visible_to(user).exclude(period__state__in=FINAL)
                  .select_related("commitment", "period").order_by("until")[:500])
    for e in extensions:
        summary = _("Extension ends: %(ref)s, period %(ordinal)s") % {"ref": e.commitment.ref, "ordinal": e.period.ordinal}
        cal.add_component(_event(f"extension-{e.pk}", summary,
                                 e.until, f"{base_url}/commitments/{e.commitment_id}/", stamp))
    return cal.to_ical()


def _event(uid: str, summary: str, day: datetime.date, url: str, stamp) -> Event:
    event = Event()
    event.add("uid", f"{uid}@rapport")
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("dtstamp", stamp)
    event.add("url", url)
    return event
