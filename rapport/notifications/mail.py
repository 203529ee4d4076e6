"""The e-mail of a notification: plain text, through Django's e-mail framework.

It carries what the inbox shows and nothing more: the kind, the title (made only of
what the recipient may read, one line, in the recipient's language when the notice was
made), and a link into Rapport, where the text
itself is read after signing in. The notice is re-read through the read path just
before sending, so a notice whose object the recipient may no longer read is not
sent. Sending failures are logged and leave the notice unsent; ``rapport remind``
tries unsent notices again.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .language import language_of
from .models import Notification

log = logging.getLogger("rapport.notifications")

# Unsent notices older than this are not tried again.
RETRY_FOR = timedelta(days=3)



def site_url() -> str:
    return str(getattr(settings, "RAPPORT_SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def language_of_title(notification: Notification) -> str:
    """The language the notice's title was made in: the recipient's then. The recipient's language
    now when the title reads the same in it (or the notice has no titles by language), else the one
    whose title it is, so a recipient who switched language meanwhile gets one language, not two."""
    now = language_of(notification.recipient)
    titles = notification.titles if isinstance(notification.titles, dict) else {}
    if titles.get(now, notification.title) == notification.title:
        return now
    return next((code for code, text in titles.items() if text == notification.title), now)


def message_for(notification: Notification, connection=None) -> EmailMessage:
    """The e-mail, in the language its title was made in (the recipient's when the notice was):
    the subject and the body's fixed words in that one language."""
    user = notification.recipient
    with translation.override(language_of_title(notification)):
        body = _("%(title)s\n"
                 "\n"
                 "Open it in Rapport: %(link)s\n"
                 "\n"
                 "%(kind)s notice for %(username)s. It carries only a reference, a title you may read\n"
                 "and a link: read the text itself in Rapport after signing in.\n") % {
            "title": notification.title, "link": site_url() + notification.url,
            "kind": notification.get_kind_display(), "username": user.username}
        subject = _("[Rapport] %(title)s") % {"title": notification.title}
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email],
                        connection=connection, headers={"Auto-Submitted": "auto-generated"})


def pending():
    """Notices that should go out by e-mail and have not (yet): the recipient has an address, and
    the notice is recent."""
    return (Notification.objects.filter(emailed_at__isnull=True, created_at__gte=timezone.now() - RETRY_FOR,
                                        recipient__is_active=True)
            .exclude(recipient__email="").select_related("recipient").order_by("pk"))


def send_notification(pk: int) -> bool:
    """Send one notice's e-mail if it is still due and still readable by its recipient."""
    return send_pending(Notification.objects.filter(pk=pk)) == 1


def send_pending(queryset=None) -> int:
    """Send the e-mails of these notices (default: every pending one). Returns how many went out."""
    sent = 0
    candidates = list((queryset if queryset is not None else pending())
                      .filter(emailed_at__isnull=True).exclude(recipient__email="").select_related("recipient"))
    if not candidates:
        return 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        for notification in candidates:
            user = notification.recipient
            if not Notification.objects.visible_to(user).filter(pk=notification.pk).exists():
                continue  # the recipient may no longer read what it is about
            try:
                message_for(notification, connection).send()
            except Exception:  # the mail server's problem must not undo the notice
                log.warning("Could not send the e-mail of notification %s to %s", notification.pk, user.username,
                            exc_info=True)
                continue
            # Bookkeeping of the delivery, not a change of content: no audit entry of its own
            # (the notice's creation has one).
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    except Exception:  # e.g. the server refuses the connection
        log.warning("Could not connect to the mail server", exc_info=True)
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()
    return sent
