"""A clearance raise waiting for a second administrator (four eyes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RaiseState(models.TextChoices):
    PENDING = "pending", "Awaiting a second administrator"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Withdrawn or declined"


class ClearanceRaiseQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> ClearanceRaiseQuerySet:
        """A raise exists for whoever may know of its account (``User.objects.visible_to``)."""
        from rapport.access.models import User

        return self.filter(account__in=User.objects.visible_to(viewer).values("pk"))


class ClearanceRaise(models.Model):
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearance_raises")
    level = models.ForeignKey("markings.ClassificationLevel", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=RaiseState.choices, default=RaiseState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ClearanceRaiseQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["account"], condition=models.Q(state="pending"),
                                               name="one_pending_raise_per_account")]

    def __str__(self) -> str:
        return f"raise of {self.account} to {self.level} ({self.state})"
