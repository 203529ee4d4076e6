"""Making, checking and revoking personal access tokens (models.AccessToken).

A token reads ``rpt_<prefix>_<secret>``: the prefix finds the row, the SHA-256 of the whole
token is compared in constant time. Making and revoking are audited, marked internal to the
user's organisation (who holds which token is that organisation's business)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.core.errors import InputError, NotFound
from rapport.core.text import clean_text
from rapport.markings.models import internal_level
from rapport.partnerships.models import Organisation

from .models import AccessToken, Scope

PREFIX = "rpt_"
MAX_DAYS = 366  # a token lives at most a year: the user makes a new one
DEFAULT_DAYS = 90
AUDITED = ["name", "prefix", "scope", "expires_at", "revoked_at"]
# Writing ``last_used_at`` on every request would make each read a write: once a minute is enough.
USE_RESOLUTION = datetime.timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _marking(user) -> dict:
    orgs = ([user.organisation] if user.organisation_id else
            list(Organisation.objects.filter(pk__in=user.reading_organisations()).order_by("pk")))
    level = internal_level(orgs[0].scheme_id) if orgs else None
    return {"classification": level, "releasable_to": orgs} if level is not None else {}


@transaction.atomic
def create_token(*, user, name: str, scope: str = Scope.READ, days: int = DEFAULT_DAYS) -> tuple[AccessToken, str]:
    """A new token for ``user``; returns it and the secret, which is never shown again."""
    name = clean_text(name, field="name", required=True, max_length=100, what="the token's name")
    if scope not in Scope.values:
        raise InputError(_("the scope is %(scopes)s") % {"scopes": _(" or ").join(Scope.values)}, field="scope")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise InputError(_("give the token's life in days"), field="days") from None
    if not 1 <= days <= MAX_DAYS:
        raise InputError(_("a token lives from 1 to %(max)s days") % {"max": MAX_DAYS}, field="days")
    if not user.is_active:
        raise InputError(_("the account is not active"), field="user")
    prefix = secrets.token_hex(4)
    while AccessToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = AccessToken.objects.create(user=user, name=name, prefix=prefix, digest=_digest(secret), scope=scope,
                                       expires_at=timezone.now() + datetime.timedelta(days=days))
    record(actor=user, verb=Verb.TOKEN_CREATED, obj=token, after=snapshot(token, AUDITED), **_marking(user))
    return token, secret


@transaction.atomic
def revoke_token(*, actor, prefix: str) -> AccessToken:
    """Revoke one of the actor's own tokens (another's answers as missing)."""
    token = AccessToken.objects.select_for_update().filter(user=actor, prefix=str(prefix)).first()
    if token is None:
        raise NotFound("token")
    if token.revoked_at is None:
        before = snapshot(token, AUDITED)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, verb=Verb.TOKEN_REVOKED, obj=token, before=before, after=snapshot(token, AUDITED),
               **_marking(actor))
    return token


def revoke_all(user) -> list[str]:
    """Revoke every token of ``user`` not yet revoked or expired, inside the caller's transaction;
    returns their prefixes. For the console's recovery actions (a deactivation, a reset password
    or second factor, a lowered clearance or a changed role): the caller's own audit entry names
    the prefixes, so no token outlives the change that should have ended it."""
    now = timezone.now()
    live = AccessToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    prefixes = sorted(live.values_list("prefix", flat=True))
    AccessToken.objects.filter(user=user, prefix__in=prefixes).update(revoked_at=now)
    return prefixes


def authenticate(secret: str) -> AccessToken | None:
    """The usable token this secret is, or None."""
    if not isinstance(secret, str) or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    prefix = secret[len(PREFIX):].split("_", 1)[0]
    token = AccessToken.objects.usable().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
