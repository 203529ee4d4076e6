"""The append-only, hash-chained audit log.

Each entry's hash covers its own fields (including the organisations it is
releasable to) and the previous entry's hash, so altering, removing or inserting
a row breaks the chain from that row on; ``rapport audit verify`` finds it.
An entry carries the marking of the record it is about, so users see the log
under the same visibility rules as the records themselves.
"""

from django.conf import settings
from django.db import models

from rapport.markings.models import MarkedModel

from .verbs import Verb


class AuditEvent(MarkedModel):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150, help_text="Username at the time, or the system process that acted.")
    actor_org = models.CharField(max_length=60, blank=True, help_text="The organisation (or delegation) the actor acted for.")
    verb = models.CharField(max_length=40, choices=Verb.choices)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    message = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.object_repr}"

    @classmethod
    def publication_filter(cls):
        return models.Q(pk__in=[])  # the log is never shown to signed-out readers


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Locking it serialises writers on PostgreSQL."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at #{self.seq}"
