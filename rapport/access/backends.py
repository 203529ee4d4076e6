"""Signing in: Django's ModelBackend, loading the account with what every page reads of it.

Each signed-in request loads its account once. The header names the organisation or
delegation and the clearance, and the visibility filter reads the clearance's rank: loading
them in the same query saves a query each on every page.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("organisation", "delegation", "clearance").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
