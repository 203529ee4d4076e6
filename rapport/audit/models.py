"""The append-only, hash-chained audit log.

Each entry's hash is an HMAC, with a key kept outside the database, of its own
fields (including the organisations it is releasable to) and the previous
entry's hash, so altering, removing or inserting a row breaks the chain from
that row on; ``rapport audit verify`` finds it. The checkpoint file
(``checkpoints.py``) and signed heads (``signed.py``) catch what the database
alone cannot show: entries removed from the end, or the whole log replaced.

An entry is about one object (``content_type`` + ``object_pk``) and carries a
marking of its own (at least that of the object when it was written). It is
read under two rules at once: its own marking, and its object's visibility to
the reader *now* — an entry about a draft stays with the draft's organisation,
and the history of an object a reader may not see is as absent as the object.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q

from rapport.markings.models import MarkedModel
from rapport.markings.querysets import MarkedQuerySet

from .verbs import Verb


class AuditQuerySet(MarkedQuerySet):
    # The models these entries can be about, when the queryset is narrowed to them
    # (for_object, for_objects; None: any). visible_to then builds the read rule of
    # those models only, instead of one subquery per marked model.
    _about: frozenset | None = None

    def _clone(self):
        clone = super()._clone()
        clone._about = self._about
        return clone

    def __or__(self, other):
        combined = super().__or__(other)
        mine, theirs = self._about, getattr(other, "_about", None)
        combined._about = None if mine is None or theirs is None else mine | theirs
        return combined

    def _narrowed_to(self, model) -> AuditQuerySet:
        qs = self._chain()
        qs._about = frozenset({model}) if self._about is None else self._about & {model}
        return qs

    def extra_visibility_for(self, user, orgs):
        return self.model.extra_visibility(user, orgs, subjects=self._about)

    def for_object(self, obj) -> AuditQuerySet:
        """The entries about one object."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                           object_pk=obj.pk)._narrowed_to(type(obj))

    def for_objects(self, model, pks) -> AuditQuerySet:
        """The entries about the given objects of one model."""
        return self.filter(content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
                           object_pk__in=pks)._narrowed_to(model)


def _marked_subjects():
    return [m for m in apps.get_models() if issubclass(m, MarkedModel) and m is not AuditEvent]


class AuditEvent(MarkedModel):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150, help_text="Username at the time, or the system process that acted.")
    actor_org = models.CharField(max_length=60, blank=True, help_text="The organisation (or delegation) the actor acted for.")
    # Not a choices field: every app adds its verbs to Verb, and a verb's label is for display only.
    verb = models.CharField(max_length=40, help_text="What happened: one of audit.verbs.Verb.")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     help_text="The kind of object the entry is about.")
    object_pk = models.BigIntegerField(help_text="The id of the object the entry is about.")
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    message = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["content_type", "object_pk"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.object_repr}"

    def get_verb_display(self) -> str:
        return Verb(self.verb).label if self.verb in Verb.values else self.verb

    @property
    def object_label(self) -> str:
        """'app_label.model' of the object, as the chain hashes it and the audit URLs name it."""
        ct = ContentType.objects.get_for_id(self.content_type_id)
        return f"{ct.app_label}.{ct.model}"

    @classmethod
    def extra_visibility(cls, user, orgs, subjects=None):
        # On top of its own marking, an entry about partnership content is readable only
        # while that content is readable to the reader; an entry about a record that no
        # longer exists keeps its own marking as the only rule. ``subjects``: the models the
        # entries are known to be about (AuditQuerySet.for_object), whose rules suffice.
        marked = [m for m in _marked_subjects() if subjects is None or m in subjects]
        subjects = ContentType.objects.get_for_models(*marked, for_concrete_models=False)
        about_content = Q(content_type__in=[ct.pk for ct in subjects.values()])
        rule = ~about_content
        for model, ct in subjects.items():
            gone = ~Exists(model._base_manager.filter(pk=OuterRef("object_pk")))
            rule |= Q(content_type=ct.pk) & (Q(object_pk__in=model.objects.visible_to(user).values("pk")) | gone)
        return rule

    @classmethod
    def publication_filter(cls):
        return Q(pk__in=[])  # the log is never shown to signed-out readers


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Locking it serialises writers on PostgreSQL."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at #{self.seq}"


class ChainVerification(models.Model):
    """One row: how far the chain was last verified. Its ``mac`` (HMAC with the audit key)
    covers the other fields, so a database user cannot make the pages skip entries by
    forging it; a row whose mac does not fit is ignored and the chain verified from #1."""

    class Kind(models.TextChoices):
        FULL = "full", "full"
        INCREMENTAL = "incremental", "incremental"

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(help_text="Entries up to this one were verified.")
    hash = models.CharField(max_length=64, help_text="The hash of that entry.")
    verified_at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    full_verified_at = models.DateTimeField(null=True, blank=True, help_text="The last full verification.")
    mac = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain verified up to #{self.seq}"
