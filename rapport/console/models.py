"""A change waiting for a second administrator (four eyes): a clearance raise, a change of role
to or from administrator, or both (an administrator's account made in the console)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class RaiseState(models.TextChoices):
    PENDING = "pending", gettext_lazy("Awaiting a second administrator")
    CONFIRMED = "confirmed", gettext_lazy("Confirmed")
    CANCELLED = "cancelled", gettext_lazy("Withdrawn or declined")


class ClearanceRaiseQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> ClearanceRaiseQuerySet:
        """A raise exists for whoever may know of its account (``User.objects.visible_to``)."""
        from rapport.access.models import User

        return self.filter(account__in=User.objects.visible_to(viewer).values("pk"))


class ClearanceRaise(models.Model):
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearance_raises")
    level = models.ForeignKey("markings.ClassificationLevel", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text=gettext_lazy("The clearance asked for; empty: the clearance stays."))
    role = models.CharField(max_length=20, blank=True, default="",
                            help_text=gettext_lazy("The role asked for (to or from administrator); empty: the role stays."))
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
        return f"change of {self.account} to {self.describe()} ({self.state})"

    def describe(self) -> str:
        """What confirming does: "clearance NATO SECRET", "role administrator", or both."""
        parts = [f"clearance {self.level.name}"] if self.level_id else []
        if self.role:
            parts.append(f"role {self.role}")
        return " and ".join(parts)
