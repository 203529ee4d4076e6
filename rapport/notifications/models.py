"""Notifications: a short notice to one user about one object (a reminder, a mention …).

A notification holds only references: the object it is about (content type + id),
a short title made of what the recipient may read (in their language when it was made, and
in every language of ``settings.LANGUAGES``, so the inbox shows it in the language the
reader uses now), and a link inside Rapport. It is
read only by its recipient, and only while the recipient may still read the object
it is about: ``Notification.objects.visible_to(user)`` applies the object's own read
path (``Model.objects.visible_to``) at every read, so a notice about a text that was
since remarked, or a draft that went back to its organisation, disappears from the
inbox (and its e-mail is never sent if it had not been yet).
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext_lazy

from rapport.markings.querysets import reader_scope

from .choices import Kind

TITLE_MAX, URL_MAX, KEY_MAX = 200, 300, 200


def subject_models() -> list[type[models.Model]]:
    """Models with their own read path (``objects.visible_to``): a notice about one of them is
    shown only while its recipient may read it. Other models (reporting periods, the
    partnership) are reference data every signed-in user reads."""
    return [m for m in apps.get_models()
            if hasattr(m._default_manager, "visible_to") and m._meta.label_lower != "notifications.notification"]


# Reference data a notice may be about besides the models with a read path: every signed-in
# user reads it (dates of a reporting period, the partnership), so a notice about it is shown
# while it exists.
REFERENCE_SUBJECTS = ("periods.reportingperiod", "partnerships.partnership")


def is_subject_model(model) -> bool:
    label = model._meta.label_lower
    return label in REFERENCE_SUBJECTS or model in subject_models()


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user, *, content_types=None) -> NotificationQuerySet:
        """The reader's own notifications whose object they may read now: the object's own read
        path decides (one subquery per model with one), reference data must still exist, and a
        notice about anything else is never shown. ``content_types`` (ids), when given, limits
        the subqueries to those kinds of object: building one per model costs more than the
        query itself where a page needs only a count."""
        signed_in, _rank, _orgs = reader_scope(user)
        if not signed_in:
            return self.none()
        # Correlated EXISTS: the cost follows the reader's own notices, not the size of the
        # subjects' tables.
        readable = Q(pk__in=[])
        guarded = ContentType.objects.get_for_models(*subject_models(), for_concrete_models=False)
        if content_types is not None:
            guarded = {model: ct for model, ct in guarded.items() if ct.pk in content_types}
        for model, ct in guarded.items():
            visible = model._default_manager.visible_to(user).filter(pk=OuterRef("object_pk"))
            readable |= Q(content_type=ct.pk) & Exists(visible)
        for label in REFERENCE_SUBJECTS:
            model = apps.get_model(label)
            ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
            readable |= Q(content_type=ct.pk) & Exists(model._base_manager.filter(pk=OuterRef("object_pk")))
        return self.filter(readable, recipient_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def unread_count(self, user) -> int:
        """How many of the reader's notices are unread and readable: the kinds of object they are
        about first (one small query), then the count with only those kinds' read paths."""
        kinds = set(self.filter(recipient_id=getattr(user, "pk", None), read_at__isnull=True).order_by()
                    .values_list("content_type_id", flat=True).distinct())
        if not kinds:
            return 0
        return self.visible_to(user, content_types=kinds).unread().count()


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     help_text="The kind of object the notice is about.")
    object_pk = models.BigIntegerField(help_text="The id of the object the notice is about.")
    title = models.CharField(max_length=TITLE_MAX, help_text="One line, made only of what the recipient may read.")
    titles = models.JSONField(default=dict, blank=True,
                              help_text="The title in each language of LANGUAGES ({'en': …, 'fr': …}), made from "
                                        "the same references for the same recipient; empty for notices made before.")
    url = models.CharField(max_length=URL_MAX, help_text="A path inside Rapport.")
    dedupe_key = models.CharField(max_length=KEY_MAX, help_text="The same key never makes a second notice.")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("notification")
        verbose_name_plural = gettext_lazy("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once_per_recipient"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}: {self.title}"

    @property
    def local_title(self) -> str:
        """The title in the active language (the reader's, on a page), else the title as made."""
        titles = self.titles if isinstance(self.titles, dict) else {}
        language = translation.get_language() or settings.LANGUAGE_CODE
        text = titles.get(language) or titles.get(language.split("-")[0])
        return text if isinstance(text, str) and text else self.title
