"""Checks on a marking a user is about to put on a record."""

from __future__ import annotations

from django.utils.translation import gettext as _

from rapport.core.errors import InputError


def check_marking(*, actor, partnership, classification, releasable_to) -> None:
    """A user marks content in their own organisation's scheme, at or below their own
    clearance, releasable only to organisations of the partnership and always to their
    own organisation, so that they never lock themselves out of what they write."""
    org_ids = set(partnership.organisations.values_list("pk", flat=True))
    if classification is None:
        raise InputError(_("every contribution needs a marking"), field="classification")
    if not partnership.organisations.filter(scheme_id=classification.scheme_id).exists():
        raise InputError(_("the marking is not in the scheme of an organisation of this partnership"), field="classification")
    own = getattr(getattr(actor, "organisation", None), "scheme_id", None)
    if classification.rank > 0 and own is not None and classification.scheme_id != own:
        raise InputError(_("mark what you write in your own organisation's scheme"), field="classification")
    if classification.rank > actor.clearance_rank:
        raise InputError(_("you cannot mark content above your own clearance"), field="classification")
    chosen = {o.pk for o in releasable_to}
    if not chosen <= org_ids:
        raise InputError(_("content can only be released to organisations of the partnership"), field="releasable_to")
    if classification.rank > 0 and actor.organisation_id not in chosen:
        raise InputError(_("non-public content must be releasable to your own organisation"), field="releasable_to")
