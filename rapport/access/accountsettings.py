"""An organisation's account settings (``OrganisationSettings``), with the installation's
defaults for an organisation whose administrators have not chosen."""

from __future__ import annotations

from django.conf import settings

from .models import OrganisationSettings
from .roles import Role


def for_organisation(organisation) -> OrganisationSettings:
    """The organisation's settings row, or an unsaved one holding the defaults."""
    found = OrganisationSettings.objects.filter(organisation=organisation).first()
    return found or OrganisationSettings(organisation=organisation,
                                         two_factor_roles=list(settings.RAPPORT_TWO_FACTOR_ROLES))


def two_factor_roles(user) -> set[str]:
    """The roles that must use two-factor sign-in, for this user's organisation (a delegation:
    the installation's default)."""
    if getattr(user, "organisation_id", None):
        chosen = (OrganisationSettings.objects.filter(organisation_id=user.organisation_id)
                  .values_list("two_factor_roles", flat=True).first())
        if chosen is not None:
            return {r for r in chosen if r in Role.values}
    return {r for r in settings.RAPPORT_TWO_FACTOR_ROLES if r in Role.values}
