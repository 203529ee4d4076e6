"""The only writers of notifications.

``notify`` is what other parts of Rapport call (the reminders of ``rapport remind``,
@-mentions in comment threads, workflow steps)::

    notify(user, kind=Kind.MENTION, subject=comment, title="…", url="/…", actor=author)

It creates nothing and returns None when the recipient may not read ``subject``
(asked through ``access.policy.can``: the object's marking, releasability and own
rule — a draft stays with its organisation) or when a notice with the same dedupe
key was already made for them. Otherwise, in one transaction, it stores the notice,
records an audit entry about the subject, and after the commit sends the e-mail
(``mail.py``).

The title must be made only of what the recipient may read (references such as a
commitment's ref, a period, a deadline): the caller composes it for that recipient. Given
as a callable (``title=lambda: _("…") % {…}``), it is made under each language of
``settings.LANGUAGES`` (``titles``, what the inbox shows in the reader's language of the
moment) and under the recipient's own (``title``, what the e-mail says); ``titles`` may
also be given made already (``rapport remind``).
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.access.policy import VIEW, can, require, signed_in
from rapport.audit.record import record
from rapport.core.errors import InputError, NotFound
from rapport.core.text import clean_text
from rapport.markings.models import MarkedModel, internal_level, stricter
from rapport.markings.querysets import PUBLIC_RANK

from .choices import NOTIFICATION_SENT, NOTIFICATIONS_READ, Kind
from .language import in_each_language, language_of
from .models import KEY_MAX, TITLE_MAX, URL_MAX, Notification, is_subject_model, subject_models

# A link is a path inside Rapport: no scheme, no host, no spaces, no backslashes.
_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9._~!$&'()*+,;=:@%/?#-]*")


def clean_title(value) -> str:
    """One line of at most TITLE_MAX characters: control characters refused (clean_text),
    line ends and runs of spaces collapsed, so a title can never add an e-mail header."""
    text = clean_text(value, field="title", required=True, what=gettext_lazy("the notification's title"))
    text = " ".join(text.split())
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rstrip() + "…"


def clean_titles(recipient, title, titles) -> tuple[str, dict[str, str]]:
    """The title in the recipient's language and the titles in each language, each cleaned as a
    title is. ``title`` is a text, or a callable made under each language (the same words for the
    same reader); ``titles``, when given, maps languages of ``settings.LANGUAGES`` to texts."""
    languages = dict(settings.LANGUAGES)
    if titles is not None and (not isinstance(titles, dict) or any(code not in languages for code in titles)):
        raise InputError(_("a notification's titles are given by language (%(languages)s)")
                         % {"languages": ", ".join(languages)}, field="titles")
    if callable(title):
        make = title
        titles = in_each_language(make) if titles is None else titles
        language = language_of(recipient)
        if language in titles:
            title = titles[language]
        else:
            with translation.override(language):
                title = str(make())
    titles = titles or {}
    return clean_title(title), {code: clean_title(text) for code, text in titles.items()}


def clean_url(value) -> str:
    url = "" if value is None else str(value)
    if len(url) > URL_MAX or not _PATH.fullmatch(url):
        raise InputError(_("a notification links to a path inside Rapport, such as /contributions/12/"), field="url")
    return url


def may_read(user, subject) -> bool:
    """Whether ``user`` may read ``subject``: the policy's VIEW (marking, releasability and the
    object's own rule: a draft stays with its organisation) for objects with a read path;
    reference data (a reporting period) for any active, signed-in user."""
    if not signed_in(user):
        return False
    if type(subject) in subject_models():
        return bool(can(user, VIEW, subject))
    return True


def _audit_marking(subject, recipient) -> dict:
    """An entry about a notice is marked like its subject, and at least internal to the
    recipient's organisation: who was told what is that organisation's business."""
    orgs = list(recipient.organisation and [recipient.organisation] or [])
    if not orgs:
        from rapport.partnerships.models import Organisation

        orgs = list(Organisation.objects.filter(pk__in=recipient.reading_organisations()).order_by("pk"))
    level = subject.classification if isinstance(subject, MarkedModel) else None
    own = internal_level(orgs[0].scheme_id) if orgs else None
    if own is not None:
        level = stricter(own, level)
    if level is None or level.rank == PUBLIC_RANK:  # no organisation to keep it for: keep it from everyone
        from rapport.markings.models import ClassificationLevel

        level = ClassificationLevel.objects.filter(rank__gt=PUBLIC_RANK).order_by("rank", "pk").first()
    if isinstance(subject, MarkedModel) and subject.classification.rank > PUBLIC_RANK:
        keep = set(subject.releasable_to.values_list("pk", flat=True))
        orgs = [o for o in orgs if o.pk in keep]
    return {"classification": level, "releasable_to": orgs}


def default_key(kind: str, subject, url: str, title: str) -> str:
    ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    digest = hashlib.sha256(f"{url}\n{title}".encode()).hexdigest()[:24]
    return f"{kind}:{ct.app_label}.{ct.model}:{subject.pk}:{digest}"


@transaction.atomic
def notify(recipient, *, kind, subject, title, url, titles=None, dedupe_key=None, actor=None,
           send_mail=True) -> Notification | None:
    """Tell ``recipient`` about ``subject``; None (and nothing written) when they may not read it,
    are not an active account, or were already told (the same dedupe key). ``title`` is a text or
    a callable made in each language (``clean_titles``)."""
    try:
        kind = Kind(kind)
    except ValueError:
        raise InputError(_("%(kind)s is not a kind of notification (%(kinds)s)")
                         % {"kind": repr(kind), "kinds": ", ".join(Kind.values)}, field="kind") from None
    if subject is None or getattr(subject, "pk", None) is None or not is_subject_model(type(subject)):
        raise InputError(_("a notification is about a saved object with a read path, or a reporting period"),
                         field="subject")
    (title, titles), url = clean_titles(recipient, title, titles), clean_url(url)
    key = dedupe_key if dedupe_key is not None else default_key(kind, subject, url, title)
    key = clean_text(key, field="dedupe_key", required=True, max_length=KEY_MAX, what=gettext_lazy("the dedupe key"))
    if actor is not None and not may_read(actor, subject):
        raise NotFound(subject._meta.verbose_name)  # nobody notifies about what they may not see
    if getattr(recipient, "pk", None) is None or not may_read(recipient, subject):
        return None
    if Notification.objects.filter(recipient=recipient, dedupe_key=key).exists():
        return None
    ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    notification = Notification(recipient=recipient, kind=kind, content_type=ct, object_pk=subject.pk,
                                title=title, titles=titles, url=url, dedupe_key=key, created_at=timezone.now())
    try:
        with transaction.atomic():  # a concurrent run made the same notice: it is made once
            notification.save()
    except IntegrityError:
        return None
    with translation.override("en"):  # the audit log's own words stay as they were written
        label = str(kind.label)
    record(actor=actor, verb=NOTIFICATION_SENT, obj=subject, system_actor="notifications",
           after={"notification": notification.pk, "recipient": recipient.username, "kind": str(kind)},
           message=f"{label} for {recipient.username}.", **_audit_marking(subject, recipient))
    if send_mail:
        from .mail import send_notification

        transaction.on_commit(lambda: send_notification(notification.pk))
    return notification


@transaction.atomic
def mark_read(*, actor, notification) -> int:
    """Mark one of the actor's notifications read (NotFound for anyone else's, as for a missing
    one). Returns how many changed (0 or 1)."""
    require(actor, VIEW, notification)
    return _mark(actor, Notification.objects.visible_to(actor).filter(pk=notification.pk))


@transaction.atomic
def mark_all_read(*, actor) -> int:
    """Mark every notification the actor can see read. Returns how many changed."""
    if not signed_in(actor):
        raise NotFound("notification")
    return _mark(actor, Notification.objects.visible_to(actor))


def _mark(actor, queryset) -> int:
    ids = list(queryset.unread().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0  # nothing changed: nothing written, not even an audit entry
    Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())
    record(actor=actor, verb=NOTIFICATIONS_READ, obj=actor, object_repr=actor.username,
           after={"read": ids}, message=f"{len(ids)} notification(s) marked read.", **_audit_marking(actor, actor))
    return len(ids)
