"""The administrator's console: the only writers of what an administrator changes.

Each asks the policy (``console/rules.py``) before and after locking its row, validates,
writes and records an audit entry about the account (internal to its organisation), as
every service does. An account made here starts without a clearance: any clearance asked
for becomes a raise that a second administrator confirms.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapport.access import services as accounts
from rapport.access import twofactor
from rapport.access.accountsettings import for_organisation, installation_roles
from rapport.access.auditing import account_marking, record_about_account
from rapport.access.devices import end_all
from rapport.access.models import OrganisationSettings, User
from rapport.access.policy import require
from rapport.access.roles import Role
from rapport.api.models import AccessToken
from rapport.api.tokens import AUDITED as TOKEN_FIELDS
from rapport.api.tokens import revoke_all
from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.core.errors import InputError
from rapport.markings.models import ClassificationLevel, internal_level
from rapport.partnerships.models import Organisation

from .models import ClearanceRaise, RaiseState
from .rules import ConsoleAction

ACCOUNT_FIELDS = ["role", "clearance", "is_active", "must_change_password"]
LINK, TEMPORARY_PASSWORD = "link", "password"
MAX_REMINDER_DAYS = 90


def _level(organisation, value) -> ClassificationLevel:
    level = ClassificationLevel.objects.filter(pk=value, scheme_id=organisation.scheme_id).first() if str(
        value).isdigit() else None
    if level is None:
        raise InputError(_("choose a level of the organisation's own scheme"), field="clearance")
    return level


def _end_sessions(account) -> None:
    """Every session of the account ends: those listed on its security page are deleted, and the
    raised generation ends any other at its next request."""
    User.objects.filter(pk=account.pk).update(session_generation=F("session_generation") + 1)
    end_all(account)


def _cut_off(account) -> dict:
    """Every session of the account ends and every API token it holds is revoked: a recovery
    action (deactivation, a new password or second factor, a lowered clearance, another role) must
    not leave a way in made before it. Returns what the action's audit entry records."""
    _end_sessions(account)
    return {"sessions_ended": True, "tokens_revoked": revoke_all(account)}


def _cut_off_note(cut: dict) -> str:
    tokens = cut["tokens_revoked"]
    return "sessions ended; " + (f"API tokens revoked: {', '.join(tokens)}" if tokens else "no API token to revoke")


def _locked(account) -> User:
    # Lock the account's row only (PostgreSQL locks no row on the nullable side of a join).
    return User.objects.select_for_update(of=("self",)).select_related("organisation", "clearance").get(pk=account.pk)


# Accounts -----------------------------------------------------------------------------------


def _sign_in_link(account) -> str:
    """The path of a one-time sign-in link (Django's token: it ends once a password is set)."""
    return reverse("account-welcome", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(account.pk)),
                                              "token": default_token_generator.make_token(account)})


@transaction.atomic
def create_account(*, actor, organisation, username: str, role: str, email: str = "", clearance=None,
                   how: str = LINK) -> tuple[User, str, ClearanceRaise | None]:
    """A new account of the administrator's organisation. Returns it, what to hand over (a
    one-time sign-in path, or a temporary password), and the raise any clearance asked for opened."""
    require(actor, ConsoleAction.MANAGE, organisation)
    if how not in (LINK, TEMPORARY_PASSWORD):
        raise InputError(_("choose a one-time sign-in link or a temporary password"), field="how")
    level = _level(organisation, clearance) if clearance not in (None, "") else None
    if level is not None and level.rank > actor.clearance_rank:
        raise InputError(_("nobody gives a clearance above their own"), field="clearance")
    # An administrator's account starts as a reader: a second administrator confirms the role.
    wants_administrator = role == Role.ADMINISTRATOR
    password = secrets.token_urlsafe(12)
    account, _password = accounts.create_account(actor=actor, username=username,
                                         role=Role.READER if wants_administrator else role, clearance="0",
                                         organisation=organisation.key, email=email, password=password)
    if how == LINK:
        account.set_unusable_password()
        account.save(update_fields=["password"])
        handover = _sign_in_link(account)
    else:
        account.must_change_password = True
        account.save(update_fields=["must_change_password"])
        handover = password
    raise_ = None
    level = level if level is not None and level.rank > 0 else None
    if level is not None or wants_administrator:
        raise_ = _open_raise(actor, account, level, role=Role.ADMINISTRATOR if wants_administrator else "")
    return account, handover, raise_


def needs_second_administrator(old_role: str, new_role: str) -> bool:
    """Giving or taking the administrator role takes two administrators, as a clearance raise does:
    an administrator decides who may confirm the four-eyes changes, and who is one."""
    return old_role != new_role and Role.ADMINISTRATOR in (old_role, new_role)


@transaction.atomic
def change_role(*, actor, account, role: str) -> User | ClearanceRaise:
    """Change the role at once, or — to or from administrator — ask for it: returns the account, or
    the request a second administrator confirms."""
    require(actor, ConsoleAction.CHANGE_ROLE, account, role=role)
    account = _locked(account)
    require(actor, ConsoleAction.CHANGE_ROLE, account, role=role)
    if role == account.role:
        return account
    if needs_second_administrator(account.role, role):
        return _open_raise(actor, account, None, role=role)
    before = snapshot(account, ACCOUNT_FIELDS)
    account.role = role
    try:
        account.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise InputError("; ".join(exc.messages), field="role") from None
    account.save(update_fields=["role"])
    # What the old role allowed ends with it: sessions (a role that must use a second factor
    # signs in with one from the next request on) and the API tokens made under the old role.
    cut = _cut_off(account)
    message = _cut_off_note(cut)
    if twofactor.required(account) and not twofactor.enrolled(account):
        twofactor.open_enrolment(account)
        message += "; the new role must set up two-factor sign-in, within a day"
    record_about_account(actor=actor, verb=Verb.USER_ROLE_CHANGED, account=account, before=before,
                         after={**snapshot(account, ACCOUNT_FIELDS), **cut}, message=message)
    return account


@transaction.atomic
def set_active(*, actor, account, active: bool) -> User:
    require(actor, ConsoleAction.SET_ACTIVE, account)
    account = _locked(account)
    require(actor, ConsoleAction.SET_ACTIVE, account)
    if account.is_active == bool(active):
        return account
    before = snapshot(account, ACCOUNT_FIELDS)
    account.is_active = bool(active)
    # An administrator comes back as a reader: the role is given again only with a second
    # administrator, as when the account was made (one administrator alone never makes one).
    returning_administrator = bool(active) and account.role == Role.ADMINISTRATOR
    if returning_administrator:
        account.role = Role.READER
    account.save(update_fields=["is_active", "role"])
    # Sessions end and tokens are revoked, so that a reactivation brings back neither (an inactive
    # account's tokens already stop working: AccessToken.objects.usable).
    cut = _cut_off(account)
    record_about_account(actor=actor, verb=Verb.USER_REACTIVATED if active else Verb.USER_DEACTIVATED,
                         account=account, before=before, after={**snapshot(account, ACCOUNT_FIELDS), **cut},
                         message=_cut_off_note(cut))
    if returning_administrator:
        _open_raise(actor, account, None, role=Role.ADMINISTRATOR)
    return account


@transaction.atomic
def lower_clearance(*, actor, account, level) -> User:
    level = _level(account.organisation, level)
    require(actor, ConsoleAction.LOWER_CLEARANCE, account, level=level)
    account = _locked(account)
    require(actor, ConsoleAction.LOWER_CLEARANCE, account, level=level)
    before = snapshot(account, ACCOUNT_FIELDS)
    account.clearance = level
    account.save(update_fields=["clearance"])
    ClearanceRaise.objects.filter(account=account, state=RaiseState.PENDING, level__rank__lte=level.rank).update(
        state=RaiseState.CANCELLED, decided_by=actor, decided_at=timezone.now())
    cut = _cut_off(account)  # a script or a browser tab left open read at the old clearance
    record_about_account(actor=actor, verb=Verb.USER_CLEARANCE_LOWERED, account=account, before=before,
                         after={**snapshot(account, ACCOUNT_FIELDS), **cut}, message=_cut_off_note(cut))
    return account


def _open_raise(actor, account, level, role: str = "") -> ClearanceRaise:
    """A change for a second administrator to confirm: a clearance ``level``, a ``role``, or both."""
    if ClearanceRaise.objects.filter(account=account, state=RaiseState.PENDING).exists():
        raise InputError(_("a change of this account already awaits a second administrator: confirm or "
                         "withdraw it first"), field="role" if role else "clearance")
    raise_ = ClearanceRaise.objects.create(account=account, level=level, role=role, requested_by=actor)
    if level is not None:
        record_about_account(actor=actor, verb=Verb.CLEARANCE_RAISE_REQUESTED, account=account,
                             before={"clearance": account.clearance_id}, after={"clearance": level.pk},
                             message=f"to {level.name}; awaits a second administrator")
    if role:
        record_about_account(actor=actor, verb=Verb.ROLE_CHANGE_REQUESTED, account=account,
                             before={"role": account.role}, after={"role": role},
                             message=f"to {role}; awaits a second administrator")
    return raise_


@transaction.atomic
def request_raise(*, actor, account, level) -> ClearanceRaise:
    level = _level(account.organisation, level)
    require(actor, ConsoleAction.REQUEST_RAISE, account, level=level)
    account = _locked(account)
    require(actor, ConsoleAction.REQUEST_RAISE, account, level=level)
    return _open_raise(actor, account, level)


def _locked_raise(raise_) -> ClearanceRaise:
    return ClearanceRaise.objects.select_for_update(of=("self",)).select_related(
        "account__organisation", "level").get(pk=raise_.pk)


@transaction.atomic
def confirm_raise(*, actor, raise_) -> User:
    require(actor, ConsoleAction.CONFIRM_RAISE, raise_)
    raise_ = _locked_raise(raise_)
    require(actor, ConsoleAction.CONFIRM_RAISE, raise_)
    account = _locked(raise_.account)
    raise_.state, raise_.decided_by, raise_.decided_at = RaiseState.CONFIRMED, actor, timezone.now()
    raise_.save(update_fields=["state", "decided_by", "decided_at"])
    asked_by = raise_.requested_by.username
    if raise_.level_id:
        before = snapshot(account, ACCOUNT_FIELDS)
        account.clearance = raise_.level
        account.save(update_fields=["clearance"])
        record_about_account(actor=actor, verb=Verb.CLEARANCE_RAISE_CONFIRMED, account=account, before=before,
                             after=snapshot(account, ACCOUNT_FIELDS), message=f"to {raise_.level.name}, asked by {asked_by}")
    if raise_.role and raise_.role != account.role:
        before = snapshot(account, ACCOUNT_FIELDS)
        account.role = raise_.role
        account.save(update_fields=["role"])
        cut = _cut_off(account)
        if twofactor.required(account) and not twofactor.enrolled(account):
            twofactor.open_enrolment(account)
        record_about_account(actor=actor, verb=Verb.USER_ROLE_CHANGED, account=account, before=before,
                             after={**snapshot(account, ACCOUNT_FIELDS), **cut},
                             message=f"to {raise_.role}, asked by {asked_by} and confirmed by a second administrator; "
                                     + _cut_off_note(cut))
    return account


@transaction.atomic
def cancel_raise(*, actor, raise_) -> ClearanceRaise:
    require(actor, ConsoleAction.CANCEL_RAISE, raise_)
    raise_ = _locked_raise(raise_)
    require(actor, ConsoleAction.CANCEL_RAISE, raise_)
    raise_.state, raise_.decided_by, raise_.decided_at = RaiseState.CANCELLED, actor, timezone.now()
    raise_.save(update_fields=["state", "decided_by", "decided_at"])
    record_about_account(actor=actor, verb=Verb.ROLE_CHANGE_CANCELLED if raise_.role else Verb.CLEARANCE_RAISE_CANCELLED,
                         account=raise_.account,
                         message=f"the change to {raise_.describe()} asked by {raise_.requested_by.username}")
    return raise_


@transaction.atomic
def reset_two_factor(*, actor, account) -> None:
    """For someone who lost their authenticator and recovery codes: they set up a new one at
    their next sign-in (if their role requires it), and every session they have ends."""
    require(actor, ConsoleAction.RESET_TWO_FACTOR, account)
    account = _locked(account)
    require(actor, ConsoleAction.RESET_TWO_FACTOR, account)
    had = twofactor.enrolled(account)
    twofactor.clear(account)
    twofactor.open_enrolment(account)  # the person sets up a new authenticator within a day
    cut = _cut_off(account)
    record_about_account(actor=actor, verb=Verb.TWO_FACTOR_RESET, account=account,
                         before={"two_factor": had}, after={"two_factor": False, **cut}, message=_cut_off_note(cut))


@transaction.atomic
def issue_sign_in_link(*, actor, account) -> str:
    """For a forgotten password: the old one stops working (and with it every session), and a
    one-time link sets a new one. Two-factor sign-in stays as it is: the link replaces the
    password only, never the second factor."""
    require(actor, ConsoleAction.ISSUE_SIGN_IN_LINK, account)
    account = _locked(account)
    require(actor, ConsoleAction.ISSUE_SIGN_IN_LINK, account)
    account.set_unusable_password()
    account.must_change_password = False
    account.save(update_fields=["password", "must_change_password"])
    if not twofactor.enrolled(account):
        twofactor.open_enrolment(account)  # a first authenticator goes with the new password
    cut = _cut_off(account)
    record_about_account(actor=actor, verb=Verb.USER_PASSWORD_RESET, account=account, after=cut,
                         message="the password no longer works; a one-time sign-in link was made; "
                                 + _cut_off_note(cut))
    return _sign_in_link(account)


@transaction.atomic
def sign_out(*, actor, account) -> None:
    require(actor, ConsoleAction.SIGN_OUT, account)
    accounts.sign_out_everywhere(actor=actor, user=account, why="by an administrator")


@transaction.atomic
def revoke_token(*, actor, token: AccessToken) -> AccessToken:
    """Revoke a token of one of the organisation's accounts (another's answers as missing)."""
    require(actor, ConsoleAction.REVOKE_TOKEN, token.user)
    token = AccessToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is None:
        before = snapshot(token, TOKEN_FIELDS)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, verb=Verb.TOKEN_REVOKED, obj=token, before=before, after=snapshot(token, TOKEN_FIELDS),
               message=f"by an administrator; held by {token.user.username}", **account_marking(token.user))
    return token


# The organisation's settings -------------------------------------------------------------------


def _days(value, field) -> int | None:
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise InputError(_("give a number of days"), field=field) from None
    if not 0 <= days <= MAX_REMINDER_DAYS:
        raise InputError(_("give a number of days from 0 to %(max)s") % {"max": MAX_REMINDER_DAYS}, field=field)
    return days


def _settings_snapshot(organisation, chosen) -> dict:
    return {"default_level": organisation.default_level_id, "two_factor_roles": sorted(chosen.two_factor_roles),
            "remind_days_before": chosen.remind_days_before, "escalate_after_days": chosen.escalate_after_days}


@transaction.atomic
def update_settings(*, actor, organisation, default_level, two_factor_roles, remind_days_before,
                    escalate_after_days) -> OrganisationSettings:
    require(actor, ConsoleAction.EDIT_SETTINGS, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require(actor, ConsoleAction.EDIT_SETTINGS, organisation)
    level = None
    if default_level not in (None, ""):
        level = ClassificationLevel.objects.filter(pk=default_level if str(default_level).isdigit() else None,
                                                   scheme_id=organisation.scheme_id).first()
        if level is None:
            raise InputError(_("choose a level of the organisation's own scheme, or none"), field="default_level")
    roles = set(two_factor_roles or [])
    unknown = sorted(r for r in roles if r not in Role.values)
    if unknown:
        raise InputError(_("unknown roles: %(roles)s") % {"roles": ", ".join(unknown)}, field="two_factor_roles")
    roles = sorted(roles - installation_roles())  # the installation's roles are required anyway
    before_days, after_days = _days(remind_days_before, "remind_days_before"), _days(escalate_after_days,
                                                                                    "escalate_after_days")
    chosen = for_organisation(organisation)
    before = _settings_snapshot(organisation, chosen)
    newly_required = set(roles) - set(chosen.two_factor_roles) - installation_roles()
    if newly_required:  # their accounts set up an authenticator at their next sign-in, within a day
        without = User.objects.filter(organisation=organisation, role__in=newly_required).exclude(
            pk__in=TOTPDevice.objects.filter(confirmed=True).values("user_id"))
        twofactor.open_enrolment(without)
    organisation.default_level = level
    organisation.save(update_fields=["default_level"])
    chosen.two_factor_roles, chosen.remind_days_before, chosen.escalate_after_days = roles, before_days, after_days
    chosen.save()
    after = _settings_snapshot(organisation, chosen)
    if after != before:
        level_ = internal_level(organisation.scheme_id)
        record(actor=actor, verb=Verb.ORGANISATION_SETTINGS_CHANGED, obj=organisation, before=before, after=after,
               classification=level_, releasable_to=[organisation], system_actor="account administration")
    return chosen
