"""Comment threads on partnership texts.

A comment is about one subject (``content_type`` + ``object_pk``, as an audit entry
is), restricted to the models registered in ``subjects.py`` (contributions, joint
texts and the report's parts). It carries a marking of its own and is read under two rules at once: its own
marking, and its subject's visibility to the reader *now* — a comment on a draft
stays with the draft's organisation, and the thread of a record a reader may not see
is as absent as the record.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.text import MESSAGE
from rapport.markings.models import MarkedModel
from rapport.markings.querysets import MarkedQuerySet

from .subjects import SUBJECTS, subject_models

# The longest comment Rapport takes (characters).
COMMENT_MAX_LENGTH = MESSAGE


class CommentQuerySet(MarkedQuerySet):
    def about(self, obj) -> CommentQuerySet:
        """The comments on one subject."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                           object_pk=obj.pk)


class Comment(MarkedModel):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     help_text="The kind of record the comment is about.")
    object_pk = models.BigIntegerField(help_text="The id of the record the comment is about.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("comment")
        verbose_name_plural = gettext_lazy("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_pk", "created_at"], name="comment_subject_idx")]

    def __str__(self) -> str:
        return f"Comment by {self.author.username if self.author_id else '—'} on {self.subject_label}"

    @property
    def subject_label(self) -> str:
        ct = ContentType.objects.get_for_id(self.content_type_id)
        return f"{ct.app_label}.{ct.model} {self.object_pk}"

    def clean(self) -> None:
        if self.content_type_id:
            ct = ContentType.objects.get_for_id(self.content_type_id)
            if f"{ct.app_label}.{ct.model}" not in SUBJECTS:
                raise ValidationError({"content_type": _("Comments are taken only on contributions, joint texts and the "
                                                         "report's parts.")})

    @classmethod
    def extra_visibility(cls, user, orgs):
        # On top of its own marking, a comment is readable only while its subject is
        # readable to the reader, under the subject's own rule (drafts stay home).
        rule = Q(pk__in=[])
        subjects = ContentType.objects.get_for_models(*subject_models(), for_concrete_models=False)
        for model, ct in subjects.items():
            rule |= Q(content_type=ct.pk, object_pk__in=model.objects.visible_to(user).values("pk"))
        return rule

    @classmethod
    def publication_filter(cls):
        return Q(pk__in=[])  # discussions are the staffs' own: never shown to signed-out readers
