"""Limits on failed password sign-ins beyond django-axes' per account-and-address lock.

django-axes locks one username at one address after five failures. That alone lets
someone try one password on many accounts (spraying), or one account from many
addresses. Over the same 15-minute window, Rapport also refuses:

* an **account** that has had ``RAPPORT_SIGN_IN_ACCOUNT_LIMIT`` failures from any addresses;
* an **address** that has had ``RAPPORT_SIGN_IN_ADDRESS_LIMIT`` failures on any accounts.

A refusal says which limit holds and for how long, and the start of each lock is an audit
entry (about the account, internal to its organisation; for an address, about the account
tried, or written to the log when there is no such account).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from .models import SignInFailure

log = logging.getLogger("rapport.access.throttle")


def _window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.RAPPORT_SIGN_IN_WINDOW_SECONDS)


def _recent():
    return SignInFailure.objects.filter(at__gte=timezone.now() - _window())


def client_address(request) -> str | None:
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def refusal(username: str, address: str | None) -> str | None:
    """The message to show if a limit holds for this username or address, else None."""
    minutes = settings.RAPPORT_SIGN_IN_WINDOW_SECONDS // 60
    username = str(username or "")[:150]
    if username and _recent().filter(username=username).count() >= settings.RAPPORT_SIGN_IN_ACCOUNT_LIMIT:
        return (f"Too many failed sign-ins on this account, from several places: it is locked for up to "
                f"{minutes} minutes. Try again later, or ask your organisation's administrator.")
    if address and _recent().filter(ip_address=address).count() >= settings.RAPPORT_SIGN_IN_ADDRESS_LIMIT:
        return (f"Too many failed sign-ins from this address: signing in from it is paused for up to "
                f"{minutes} minutes.")
    return None


def note_failure(username: str, address: str | None) -> list[str]:
    """Count one failure; return the limits ("account", "address") this failure just reached."""
    username = str(username or "")[:150]
    SignInFailure.objects.filter(at__lt=timezone.now() - _window()).delete()
    SignInFailure.objects.create(username=username, ip_address=address, at=timezone.now())
    reached = []
    if username and _recent().filter(username=username).count() == settings.RAPPORT_SIGN_IN_ACCOUNT_LIMIT:
        reached.append("account")
    if address and _recent().filter(ip_address=address).count() == settings.RAPPORT_SIGN_IN_ADDRESS_LIMIT:
        reached.append("address")
    if reached:
        log.warning("sign-in limit reached (%s) for username %r from %s", ", ".join(reached), username, address)
    return reached
