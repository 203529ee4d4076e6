"""One instance per organisation: who this instance is, the peers it exchanges with, the
packages that went each way and what each received record is a copy of.

Without an ``Identity`` row the instance is the single shared server (the default) and
none of this is used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Identity(models.Model):
    """The organisation this instance belongs to (at most one row, set by ``rapport init
    --organisation``): it is authoritative for that organisation's users and records."""

    organisation = models.OneToOneField("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("instance identity")
        verbose_name_plural = gettext_lazy("instance identities")

    def __str__(self) -> str:
        return str(self.organisation)


class Peer(models.Model):
    """Another organisation's instance: its pinned public key and the highest marking the
    network between the two may carry."""

    organisation = models.OneToOneField("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    public_key = models.CharField(max_length=400, help_text=gettext_lazy("The peer's Ed25519 public key (PEM)."))
    fingerprint = models.CharField(max_length=80)
    accredited_up_to = models.ForeignKey("markings.ClassificationLevel", on_delete=models.PROTECT, related_name="+")
    # The account the peer's records are written under on this instance (it cannot sign in).
    actor = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("peer")
        verbose_name_plural = gettext_lazy("peers")
        ordering = ["organisation__key"]

    def __str__(self) -> str:
        return str(self.organisation)


class Direction(models.TextChoices):
    SENT = "sent", gettext_lazy("sent")
    RECEIVED = "received", gettext_lazy("received")


class Package(models.Model):
    """One exchange package, sent to or received from a peer; sequence numbers count each
    direction from 1 and every package names the hash of the one before it."""

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="packages")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    sequence = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    previous = models.CharField(max_length=64, blank=True)
    object_count = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("exchange package")
        verbose_name_plural = gettext_lazy("exchange packages")
        ordering = ["peer", "direction", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "direction", "sequence"], name="package_one_per_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.peer} #{self.sequence}"


class SentObject(models.Model):
    """The content hash of each record as last sent to a peer: a record goes again only
    when it changed."""

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    content_sha256 = models.CharField(max_length=64)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "kind", "object_id"], name="sent_object_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} as sent to {self.peer}"


class ReceivedCopy(models.Model):
    """A record of this instance that is a read-only copy of a peer's: where it came from."""

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    source_id = models.PositiveBigIntegerField(help_text=gettext_lazy("The record's id on the peer's instance."))
    local_id = models.PositiveBigIntegerField()
    content_sha256 = models.CharField(max_length=64)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["peer", "kind", "source_id"], name="received_copy_once"),
            models.UniqueConstraint(fields=["kind", "local_id"], name="received_copy_one_source"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.local_id}, a copy of {self.peer}'s {self.source_id}"
