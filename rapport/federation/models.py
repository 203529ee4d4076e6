"""One instance per organisation: who this instance is, the peers it exchanges with, the
packages that went each way and what each received record is a copy of.

Without an ``Identity`` row the instance is the single shared server (the default) and
none of this is used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from rapport.markings.models import MarkedModel


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
    # Whether the peer's register of PUBLIC commitments was the same as ours in its last package
    # (register.py); None until a package said.
    register_agrees = models.BooleanField(null=True, blank=True)
    register_checked_at = models.DateTimeField(null=True, blank=True)

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
    when it changed. A report part received from the peer has one with no hash (the peer holds
    it; it goes back with the next package, and its deletion here goes as a removal)."""

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
    # Who wrote and approved it, as the peer's instance names them (its people have no account here).
    names = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["peer", "kind", "source_id"], name="received_copy_once"),
            models.UniqueConstraint(fields=["kind", "local_id"], name="received_copy_one_source"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.local_id}, a copy of {self.peer}'s {self.source_id}"


class Statement(models.Model):
    """A statement one organisation's instance signed: today an approval of a shared record
    (a joint text's version, a report's public content). Own statements are signed when they
    are sent; a peer's are kept as received, their signature checked against the pinned key."""

    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200, help_text=gettext_lazy("The shared record, by its keys."))
    digest = models.CharField(max_length=64, help_text=gettext_lazy("The SHA-256 of what was approved."))
    body = models.TextField(help_text=gettext_lazy("The statement as signed (canonical JSON)."))
    signature = models.CharField(max_length=200)
    peer = models.ForeignKey(Peer, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text=gettext_lazy("Empty for this instance's own statements."))
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # Set when the peer's later package no longer carries it (withdrawn, or the record changed).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The local approval row this statement stands behind (a report's or a joint text's).
    approval_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("signed statement")
        verbose_name_plural = gettext_lazy("signed statements")
        constraints = [models.UniqueConstraint(fields=["organisation", "subject", "digest"],
                                               name="statement_once_per_digest")]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.subject} ({self.digest[:12]})"


class SharedText(models.Model):
    """A joint text's exchange state: the digests of the versions this instance's text has been
    through, the current one last (joint_texts.py). A peer's version made from any of them
    replaces ours; one of them sent back changes nothing."""

    joint_text = models.OneToOneField("contributions.JointText", on_delete=models.CASCADE, related_name="+")
    history = models.JSONField(default=list)
    # Who wrote the current version, as the peer's instance names them, when it came from a peer.
    author = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Exchange state of {self.joint_text}"


class Conflict(MarkedModel):
    """Both instances changed a joint text since the version they last had in common: the
    peer's version waits here, beside ours, until someone resolves it (nothing is approved
    meanwhile). It carries the marking the peer's version came with, and is read only by
    those who may read the joint text as well."""

    class Resolution(models.TextChoices):
        OURS = "ours", gettext_lazy("our version kept")
        THEIRS = "theirs", gettext_lazy("their version taken")
        MERGED = "merged", gettext_lazy("a new version written")
        SUPERSEDED = "superseded", gettext_lazy("resolved by the peer")

    joint_text = models.ForeignKey("contributions.JointText", on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="+")
    their_text = models.TextField()
    their_sha256 = models.CharField(max_length=64)
    their_author = models.CharField(max_length=200, blank=True)
    their_history = models.JSONField(default=list)
    their_language = models.CharField(max_length=8, blank=True)
    their_translations = models.JSONField(default=dict, blank=True)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="+")
    opened = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)

    class Meta:
        verbose_name = gettext_lazy("exchange conflict")
        verbose_name_plural = gettext_lazy("exchange conflicts")
        ordering = ["-opened", "-pk"]

    def __str__(self) -> str:
        return f"Conflict on {self.joint_text} with {self.peer}"

    @classmethod
    def extra_visibility(cls, user, orgs):
        from rapport.contributions.models import JointText

        return models.Q(joint_text__in=JointText.objects.visible_to(user).values("pk"))


class SharedPart(models.Model):
    """A report part's exchange state (report_parts.py): the part's name on every instance (the
    organisation whose instance wrote it first and its id there), the versions it has been
    through, the current one last, and who wrote the current one when it came from a peer."""

    kind = models.CharField(max_length=20)
    local_id = models.PositiveBigIntegerField()
    origin = models.CharField(max_length=40, help_text=gettext_lazy("The organisation whose instance wrote it first."))
    origin_id = models.PositiveBigIntegerField(help_text=gettext_lazy("Its id on that instance."))
    history = models.JSONField(default=list)
    author = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "local_id"], name="shared_part_once"),
            models.UniqueConstraint(fields=["kind", "origin", "origin_id"], name="shared_part_one_name"),
        ]

    def __str__(self) -> str:
        return f"Exchange state of {self.kind} {self.origin}:{self.origin_id}"


class PartConflict(MarkedModel):
    """Both instances changed a report part since the version they last had in common: the
    peer's version waits here beside ours until a coordinator resolves it (nothing is approved
    meanwhile). Marked as the peer's version was; read only by those who may read the part."""

    class Resolution(models.TextChoices):
        OURS = "ours", gettext_lazy("our version kept")
        THEIRS = "theirs", gettext_lazy("their version taken")
        SUPERSEDED = "superseded", gettext_lazy("resolved by the peer")

    kind = models.CharField(max_length=20)
    part_id = models.PositiveBigIntegerField()
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="+")
    their_text = models.TextField(blank=True)
    their_sha256 = models.CharField(max_length=64)
    their_author = models.CharField(max_length=200, blank=True)
    their_content = models.JSONField(default=dict, help_text=gettext_lazy("The peer's version as it was received."))
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="+")
    opened = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)

    class Meta:
        verbose_name = gettext_lazy("report part conflict")
        verbose_name_plural = gettext_lazy("report part conflicts")
        ordering = ["-opened", "-pk"]

    def __str__(self) -> str:
        return f"Conflict on {self.kind} {self.part_id} with {self.peer}"

    @classmethod
    def extra_visibility(cls, user, orgs):
        from rapport.reports.models import CouncilAction, Highlight, Outlook, ReportText

        q = models.Q(pk__in=[])
        for kind, model in (("highlight", Highlight), ("outlook", Outlook), ("council_action", CouncilAction),
                            ("text", ReportText)):
            q |= models.Q(kind=kind, part_id__in=model.objects.visible_to(user).values("pk"))
        return q
