"""Personal access tokens: how another system (or a script) signs in to the API as a user.

A token is shown once, when it is made; only its SHA-256 is kept, with a short prefix to
find it by. It has a scope (read, or read and write), an end day, and can be revoked. It
acts as its user, never as more: every read still goes through the user's visibility."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Scope(models.TextChoices):
    READ = "read", gettext_lazy("Read")
    WRITE = "write", gettext_lazy("Read and write")


class AccessTokenQuerySet(models.QuerySet):
    def usable(self) -> AccessTokenQuerySet:
        """Tokens that still sign in: not revoked, not expired, their user active."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)


class AccessToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, in the user's words.")
    prefix = models.CharField(max_length=12, unique=True, help_text="The token's first characters, to find it by.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the whole token, in hex.")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["user", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name}, {self.scope})"
