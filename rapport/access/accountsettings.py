"""An organisation's account settings (``OrganisationSettings``), with the installation's
defaults for an organisation whose administrators have not chosen.

Two-factor sign-in: the installation's ``RAPPORT_TWO_FACTOR_ROLES`` is a floor every
organisation keeps; an organisation's administrators may require it of more roles, never of
fewer (one administrator alone must not be able to weaken how their colleagues sign in).
"""

from __future__ import annotations

from django.conf import settings

from .models import OrganisationSettings
from .roles import Role


def installation_roles() -> set[str]:
    return {r for r in settings.RAPPORT_TWO_FACTOR_ROLES if r in Role.values}


def for_organisation(organisation) -> OrganisationSettings:
    """The organisation's settings row, or an unsaved one holding the defaults."""
    found = OrganisationSettings.objects.filter(organisation=organisation).first()
    return found or OrganisationSettings(organisation=organisation, two_factor_roles=[])


def two_factor_roles(user) -> set[str]:
    """The roles that must use two-factor sign-in in this user's organisation: the installation's,
    and those its administrators added (a delegation: the installation's)."""
    roles = installation_roles()
    if getattr(user, "organisation_id", None):
        chosen = (OrganisationSettings.objects.filter(organisation_id=user.organisation_id)
                  .values_list("two_factor_roles", flat=True).first())
        roles |= {r for r in chosen or [] if r in Role.values}
    return roles
