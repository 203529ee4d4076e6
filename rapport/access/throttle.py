"""Limits on failed sign-ins beyond django-axes' per account-and-address lock.

django-axes locks one username at one address after five failures. That alone lets
someone try one password on many accounts (spraying), or one account from many
addresses. Over the same 15-minute window, Rapport also refuses:

* an **account** that has had ``RAPPORT_SIGN_IN_ACCOUNT_LIMIT`` failures from any addresses;
* an **address** that has had ``RAPPORT_SIGN_IN_ADDRESS_LIMIT`` failures on any accounts;
* the **two-factor codes** of an account that has had ``CODE_LIMIT`` wrong codes (someone
  holding the password guessing codes, over as many pending sign-ins as they like).

A wrong current password on the password-change page counts as a failed sign-in (the same
limits, the same messages). A refusal says which limit holds and for how long, and the start
of each lock is an audit entry (about the account, internal to its organisation; for an
address, about the account tried, or written to the log when there is no such account).
"""

from __future__ import annotations

import datetime
import ipaddress
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .durations import duration
from .models import SignInFailure

log = logging.getLogger("rapport.access.throttle")

PASSWORD_KINDS = (SignInFailure.PASSWORD, SignInFailure.PASSWORD_CHANGE)
CODE_LIMIT = 10  # wrong two-factor codes on one account within the window


def _window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.RAPPORT_SIGN_IN_WINDOW_SECONDS)


def _recent(kinds=PASSWORD_KINDS):
    return SignInFailure.objects.filter(at__gte=timezone.now() - _window(), kind__in=kinds)


def client_address(request) -> str | None:
    """The address limits count by: REMOTE_ADDR, or behind ``RAPPORT_TRUSTED_PROXIES`` proxies the
    entry of X-Forwarded-For the outermost of them appended (entries further left are the
    client's own word). Missing or malformed: REMOTE_ADDR."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "RAPPORT_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


def window_text(language: str | None = None) -> str:
    """The sign-in window as a duration, in ``language`` (audit messages ask for "en") or the active one."""
    if language:
        with translation.override(language):
            return duration(settings.RAPPORT_SIGN_IN_WINDOW_SECONDS)
    return duration(settings.RAPPORT_SIGN_IN_WINDOW_SECONDS)


def refusal(username: str, address: str | None) -> str | None:
    """The message to show if a limit holds for this username or address, else None."""
    username = str(username or "")[:150]
    if username and _recent().filter(username=username).count() >= settings.RAPPORT_SIGN_IN_ACCOUNT_LIMIT:
        return (_("Too many failed sign-ins on this account, from several places: it is locked for up to "
                  "%(wait)s. Try again later, or ask your organisation's administrator.") % {"wait": window_text()})
    if address and _recent().filter(ip_address=address).count() >= settings.RAPPORT_SIGN_IN_ADDRESS_LIMIT:
        return (_("Too many failed sign-ins from this address: signing in from it is paused for up to %(wait)s.")
                % {"wait": window_text()})
    return None


def _forget_old() -> None:
    SignInFailure.objects.filter(at__lt=timezone.now() - _window()).delete()


def note_failure(username: str, address: str | None, kind: str = SignInFailure.PASSWORD) -> list[str]:
    """Count one failed password; return the limits ("account", "address") this failure just reached."""
    username = str(username or "")[:150]
    _forget_old()
    SignInFailure.objects.create(username=username, ip_address=address, at=timezone.now(), kind=kind)
    reached = []
    if username and _recent().filter(username=username).count() == settings.RAPPORT_SIGN_IN_ACCOUNT_LIMIT:
        reached.append("account")
    if address and _recent().filter(ip_address=address).count() == settings.RAPPORT_SIGN_IN_ADDRESS_LIMIT:
        reached.append("address")
    if reached:
        log.warning("sign-in limit reached (%s) for username %r from %s", ", ".join(reached), username, address)
    return reached


def first_of_window(username: str, kind: str) -> bool:
    """Whether the failure just counted is the account's first of this kind in the window."""
    return _recent((kind,)).filter(username=str(username or "")[:150]).count() == 1


# Two-factor codes -------------------------------------------------------------------------------


def _code_key(user) -> str:
    return f"#{user.pk}"  # the account, whatever its name becomes


def code_refusal(user) -> str | None:
    """The message to show while the account's two-factor codes are locked, else None."""
    if _recent((SignInFailure.CODE,)).filter(username=_code_key(user)).count() >= CODE_LIMIT:
        return (_("Too many wrong two-factor codes on this account: codes are refused for up to %(wait)s. "
                  "Try again later, or ask your organisation's administrator.") % {"wait": window_text()})
    return None


def note_code_failure(user, address: str | None = None) -> tuple[bool, bool]:
    """Count one wrong code; return (the first of the window, the one that reached the limit)."""
    _forget_old()
    SignInFailure.objects.create(username=_code_key(user), ip_address=address, at=timezone.now(),
                                 kind=SignInFailure.CODE)
    count = _recent((SignInFailure.CODE,)).filter(username=_code_key(user)).count()
    if count == CODE_LIMIT:
        log.warning("two-factor code limit reached for account %s", user.pk)
    return count == 1, count == CODE_LIMIT
