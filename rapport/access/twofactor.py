"""Two-factor sign-in: a TOTP authenticator (django-otp's ``TOTPDevice``) and single-use
recovery codes (``RecoveryCode``, kept as SHA-256 only).

Who must use it: the roles of ``RAPPORT_TWO_FACTOR_ROLES`` (approvers, coordinators,
administrators by default) and those an organisation's administrators add in the console
(``accountsettings.two_factor_roles``); anyone else may. Enrolling, refused codes,
a recovery code used, new recovery codes and turning it off are audit entries about the
account. Wrong codes are counted (``throttle.py``): the first of a window and the lock that
follows too many are recorded, in their own transaction, so they stay in the log whatever the
caller does next; past the limit every code is refused unchecked.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from base64 import b32encode
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapport.audit.verbs import Verb
from rapport.core.errors import InputError

from . import throttle
from .accountsettings import two_factor_roles
from .auditing import record_about_account
from .models import RecoveryCode, User

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 bits each, no 0/O or 1/I
RECOVERY_LENGTH = 24  # 120 bits
TOTP_TOLERANCE = 1  # one 30-second step either side, for clocks a little apart


def required(user) -> bool:
    return user.role in two_factor_roles(user)


def device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# Enrolment ---------------------------------------------------------------------------------

ENROLMENT_CLOSED = gettext_lazy("Your account must sign in with two-factor sign-in, and the time to set it up with "
                                "your password alone has passed. Ask your organisation's administrator for a new "
                                "sign-in link.")


def may_enrol_at_sign_in(user) -> bool:
    """Whether an account without an authenticator may set one up at sign-in with its password
    alone: only within ``ENROL_WINDOW`` of its way in being handed over (``User.enrol_by``), so a
    password found later does not let its finder give the account their own authenticator."""
    return user.enrol_by is not None and timezone.now() <= user.enrol_by


def open_enrolment(users) -> None:
    """Open the window again for an account (or a queryset of accounts); callers audit the change."""
    from .models import enrol_window_end

    users = users if hasattr(users, "update") else User.objects.filter(pk=users.pk)
    users.update(enrol_by=enrol_window_end())


def enrolment_closed(user) -> None:
    """A password that was right, given after the window closed: counted like a wrong code (the
    first of a window and the lock are audit entries), so the log does not grow without bound."""
    _refused(user, "the password was right, but the time to set up two-factor sign-in with it alone had passed")


def new_key() -> str:
    """A fresh TOTP secret (20 random bytes, hex): kept in the session until confirmed."""
    return secrets.token_hex(20)


@dataclass(frozen=True)
class Provisioning:
    url: str  # otpauth://… for the authenticator app
    secret: str  # the same key in base32, grouped, to type in by hand
    svg: str  # the QR code, as inline SVG (no image request, nothing the CSP must allow)


def provisioning(user, key: str) -> Provisioning:
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "Rapport")
    b32 = b32encode(bytes.fromhex(key)).decode().rstrip("=")
    label = quote(f"{issuer}:{user.username}")
    url = f"otpauth://totp/{label}?" + urlencode({"secret": b32, "issuer": issuer, "digits": 6, "period": 30})
    svg = segno.make(url, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"), svgclass="qr")
    return Provisioning(url=url, secret=" ".join(b32[i:i + 4] for i in range(0, len(b32), 4)), svg=svg)


def _code(value) -> str:
    return re.sub(r"[\s-]", "", str(value or "")).upper()


def enrol(*, user: User, key: str, code: str) -> list[str]:
    """Confirm the authenticator holding ``key`` with one of its codes; returns new recovery codes."""
    if not re.fullmatch(r"[0-9a-f]{40}", str(key or "")):
        raise InputError(_("the set-up has expired: start again"), field="code")
    _check_code_limit(user)
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
    totp.time = time.time()
    digits = _code(code)
    if not re.fullmatch(r"\d{6}", digits) or not totp.verify(int(digits), TOTP_TOLERANCE):
        _refused(user, "a code given while setting up two-factor sign-in was wrong")
        raise InputError(_("that code is not the one your authenticator shows now: check its clock and try again"),
                         field="code")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if enrolled(locked):
            raise InputError(_("two-factor sign-in is already set up for this account"), field="code")
        TOTPDevice.objects.filter(user=locked).delete()  # unconfirmed leftovers
        TOTPDevice.objects.create(user=locked, name="Authenticator", key=key, confirmed=True,
                                  tolerance=TOTP_TOLERANCE, last_t=totp.t())
        codes = _replace_recovery_codes(locked)
        User.objects.filter(pk=locked.pk).update(enrol_by=None)  # the window closes with the set-up
        record_about_account(actor=locked, verb=Verb.TWO_FACTOR_ENROLLED, account=locked,
                             after={"authenticator": "TOTP", "recovery_codes": len(codes)})
    return codes


# Signing in -------------------------------------------------------------------------------


def verify(*, user: User, code: str) -> str:
    """Check a code from the authenticator, or a recovery code (used up by this).

    Returns "totp" or "recovery code"; raises InputError, after recording the refusal."""
    value = _code(code)
    found = device(user)
    if found is None:
        raise InputError(_("two-factor sign-in is not set up for this account"), field="code")
    _check_code_limit(user)
    if re.fullmatch(r"\d{6}", value):
        allowed, info = found.verify_is_allowed()
        if not allowed:
            wait = _wait(info)
            _refused(user, f"a code was given while codes were paused for {wait} s after failures")
            raise InputError(ngettext("too many wrong codes: wait %(n)s second, then try again",
                                      "too many wrong codes: wait %(n)s seconds, then try again", wait) % {"n": wait},
                             field="code")
        if found.verify_token(value):
            return "totp"
        _refused(user, "wrong authenticator code")
        raise InputError(_("that code is wrong or already used; enter the code your authenticator shows now"),
                         field="code")
    if len(value) == RECOVERY_LENGTH:
        with transaction.atomic():
            used = (RecoveryCode.objects.select_for_update()
                    .filter(user=user, digest=_digest(value), used_at__isnull=True).first())
            if used is not None:
                used.used_at = timezone.now()
                used.save(update_fields=["used_at"])
                record_about_account(actor=user, verb=Verb.RECOVERY_CODE_USED, account=user,
                                     after={"recovery_codes_left": recovery_codes_left(user)})
                return "recovery code"
    _refused(user, "wrong or already used recovery code" if len(value) == RECOVERY_LENGTH else "malformed code")
    raise InputError(_("that code is wrong or already used: give the 6 digits of your authenticator, or an unused "
                       "recovery code"), field="code")


def _wait(info) -> int:
    until = (info or {}).get("locked_until")
    return max(int((until - timezone.now()).total_seconds()) + 1, 1) if until else 1


def _check_code_limit(user) -> None:
    """Past ``throttle.CODE_LIMIT`` wrong codes in the window, every code is refused unchecked
    (the right one too), and nothing more is counted or recorded."""
    refused = throttle.code_refusal(user)
    if refused:
        raise InputError(refused[0].lower() + refused[1:].rstrip("."), field="code")


def _refused(user, why: str) -> None:
    """Count a wrong code. Only the first of the window and the one that locks the codes are audit
    entries (the others are counted): whoever holds the password cannot grow the log by guessing."""
    with transaction.atomic():
        first, locked = throttle.note_code_failure(user)
        window = throttle.window_text("en")  # for the audit messages
        if first:
            record_about_account(actor=None, verb=Verb.TWO_FACTOR_FAILED, account=user, system_actor="sign-in",
                                 message=f"{why}; further wrong codes within {window} are counted, not recorded")
        if locked:
            record_about_account(actor=None, verb=Verb.USER_SIGN_IN_LOCKED, account=user, system_actor="sign-in",
                                 message=f"{throttle.CODE_LIMIT} wrong two-factor codes within {window}: codes "
                                         f"are refused for up to {window}")


# Recovery codes, turning off, resetting -----------------------------------------------------


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _replace_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(c)) for c in codes)
    return ["-".join(c[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4)) for c in codes]


def _confirm_with_authenticator(user, code) -> None:
    found = device(user)
    if found is None:
        raise InputError(_("two-factor sign-in is not set up for this account"), field="code")
    _check_code_limit(user)
    if not re.fullmatch(r"\d{6}", _code(code)) or not found.verify_token(_code(code)):
        _refused(user, "wrong authenticator code to confirm a change of two-factor sign-in")
        raise InputError(_("that code is wrong or already used; enter the code your authenticator shows now"),
                         field="code")


def new_recovery_codes(*, user: User, code: str) -> list[str]:
    """Replace the account's recovery codes (the old ones stop working); asks for a current code."""
    _confirm_with_authenticator(user, code)
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        record_about_account(actor=user, verb=Verb.RECOVERY_CODES_MADE, account=user,
                             after={"recovery_codes": len(codes)})
    return codes


def turn_off(*, user: User, code: str) -> None:
    """The owner turns two-factor sign-in off, where their role does not require it."""
    if required(user):
        raise InputError(_("your role must use two-factor sign-in: it cannot be turned off"), field="code")
    _confirm_with_authenticator(user, code)
    with transaction.atomic():
        clear(user)
        record_about_account(actor=user, verb=Verb.TWO_FACTOR_REMOVED, account=user)


def clear(user) -> None:
    """Remove the authenticator and the recovery codes (callers audit it)."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
