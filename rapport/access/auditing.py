"""The marking of audit entries about an account: internal to the account's own
organisation(s), at the lowest non-public level of their scheme, releasable there only.
Who holds which account, role, clearance or second factor is their business."""

from __future__ import annotations

from django.utils import timezone

from rapport.audit.record import record
from rapport.markings.models import internal_level


def account_organisations(user) -> list:
    if user.organisation_id:
        return [user.organisation]
    if user.delegation_id:
        return user.delegation.organisations_on(timezone.localdate())
    return []


def account_marking(user) -> dict:
    orgs = account_organisations(user)
    level = internal_level(orgs[0].scheme_id) if orgs else None
    return {"classification": level, "releasable_to": orgs} if level is not None else {}


def record_about_account(*, actor, verb, account, system_actor: str = "account administration", **fields):
    """``audit.record`` about an account, marked internal to its organisation(s)."""
    return record(actor=actor, verb=verb, obj=account, object_repr=account.username, system_actor=system_actor,
                  **account_marking(account), **fields)
