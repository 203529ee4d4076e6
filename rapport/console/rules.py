"""Who may do what in the administrator's console, registered with rapport.access.

An organisation's administrators manage the accounts of that organisation only: another
organisation's account, or a delegation's, is not visible to them (``User.objects.visible_to``)
and answers as a missing one. Nobody acts on their own account here (another administrator
does), nobody acts on an account cleared above their own, and nobody gives a clearance
above their own. Raising a clearance, and giving or taking the administrator role, takes two
administrators: one asks, another confirms — never the account itself, and never an administrator
who shares the asker's e-mail address or whose way in the asker last handed over. Administrators have no workflow rights and read
nothing beyond their clearance; the console changes accounts, not what an account may read
of the content, except through the clearance it records.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from rapport.access.models import User
from rapport.access.policy import allow, deny, rule, staff_of
from rapport.access.roles import Role
from rapport.audit.verbs import Verb
from rapport.partnerships.models import Organisation

from .models import ClearanceRaise, RaiseState


class ConsoleAction(StrEnum):
    MANAGE = "console.manage"  # on an Organisation: list and create its accounts, see raises
    EDIT_SETTINGS = "console.edit_settings"  # on an Organisation
    VIEW_ACCOUNT = "console.view_account"  # on a User
    CHANGE_ROLE = "console.change_role"  # on a User; context: role
    SET_ACTIVE = "console.set_active"  # on a User: deactivate or reactivate
    LOWER_CLEARANCE = "console.lower_clearance"  # on a User; context: level
    REQUEST_RAISE = "console.request_raise"  # on a User; context: level
    RESET_TWO_FACTOR = "console.reset_two_factor"  # on a User
    SIGN_OUT = "console.sign_out"  # on a User: end every session
    ISSUE_SIGN_IN_LINK = "console.issue_sign_in_link"  # on a User: a forgotten password
    REVOKE_TOKEN = "console.revoke_token"  # on a User (the token's holder)
    CONFIRM_RAISE = "console.confirm_raise"  # on a ClearanceRaise
    CANCEL_RAISE = "console.cancel_raise"  # on a ClearanceRaise


def _first(*checks):
    """The first refusal among lazily computed checks (a refusal is falsy, so ``or`` cannot chain them)."""
    for check in checks:
        refused = check()
        if refused is not None:
            return refused
    return None


def _administrator_of(user, organisation_id):
    if user.role != Role.ADMINISTRATOR or not staff_of(user, organisation_id):
        return deny(_("only the organisation's own administrators manage its accounts"))
    return None


@rule(Organisation, ConsoleAction.MANAGE)
def manage(user, organisation):
    refused = _administrator_of(user, organisation.pk)
    return refused if refused is not None else allow("an administrator manages their own organisation")


@rule(Organisation, ConsoleAction.EDIT_SETTINGS)
def edit_settings(user, organisation):
    refused = _administrator_of(user, organisation.pk)
    return refused if refused is not None else allow("an administrator sets their organisation's settings")


def _on_account(user, account):
    refused = _administrator_of(user, account.organisation_id)
    if refused is not None:
        return refused
    if account.pk == user.pk:
        return deny(_("another administrator changes your own account"))
    if account.clearance_rank > user.clearance_rank:
        # Resetting its second factor and sending a sign-in link would hand the account, and what
        # it may read, to an administrator cleared lower: one cleared as high manages it.
        return deny(_("an account cleared above you is managed by an administrator cleared as high"))
    return None


@rule(User, ConsoleAction.VIEW_ACCOUNT)
def view_account(user, account):
    refused = _administrator_of(user, account.organisation_id)
    return refused if refused is not None else allow("an account of the administrator's organisation")


@rule(User, ConsoleAction.CHANGE_ROLE)
def change_role(user, account, role=None):
    refused = _on_account(user, account)
    if refused is not None:
        return refused
    if role is not None and role not in Role.values:
        return deny(_("name a role"))
    return allow("an administrator sets the roles of their organisation's staff")


def _account_rule(reason: str):
    """The rule of an action on one account that needs nothing beyond ``_on_account``."""
    def decide(user, account):
        refused = _on_account(user, account)
        return refused if refused is not None else allow(reason)
    return decide


for _action, _reason in (
    (ConsoleAction.SET_ACTIVE, "an administrator opens and closes their organisation's accounts"),
    (ConsoleAction.RESET_TWO_FACTOR, "an administrator resets a lost second factor"),
    (ConsoleAction.SIGN_OUT, "an administrator ends a colleague's sessions"),
    (ConsoleAction.ISSUE_SIGN_IN_LINK, "an administrator replaces a forgotten password by a link"),
):
    rule(User, _action)(_account_rule(_reason))


@rule(User, ConsoleAction.REVOKE_TOKEN)
def revoke_token(user, account):
    refused = _administrator_of(user, account.organisation_id)
    return refused if refused is not None else allow("an administrator revokes their staff's tokens")


def _level_check(user, account, level):
    if level is None:
        return None
    if level.scheme_id != account.organisation.scheme_id:
        return deny(_("a clearance is a level of the organisation's own scheme"))
    if level.rank > user.clearance_rank:
        return deny(_("nobody gives a clearance above their own"))
    return None


@rule(User, ConsoleAction.LOWER_CLEARANCE)
def lower_clearance(user, account, level=None):
    refused = _first(lambda: _on_account(user, account), lambda: _level_check(user, account, level))
    if refused is not None:
        return refused
    if level is not None and level.rank >= account.clearance_rank:
        return deny(_("that is not lower than the account's clearance"))
    return allow("one administrator may lower a clearance")


@rule(User, ConsoleAction.REQUEST_RAISE)
def request_raise(user, account, level=None):
    refused = _first(lambda: _on_account(user, account), lambda: _level_check(user, account, level))
    if refused is not None:
        return refused
    if level is not None and level.rank <= account.clearance_rank:
        return deny(_("that is not higher than the account's clearance"))
    return allow("an administrator asks for a raise; another confirms it")


# What hands an account's way in to whoever did it: making it, a new sign-in link, a reset second factor.
HANDOVERS = (Verb.USER_CREATED, Verb.USER_PASSWORD_RESET, Verb.TWO_FACTOR_RESET)


def _same_person(user, other) -> bool:
    """Two accounts of one person, as far as can be told: the same e-mail address."""
    mine, theirs = (user.email or "").strip().casefold(), (other.email or "").strip().casefold()
    return bool(mine) and mine == theirs


def handed_over_by(account):
    """The id of the administrator who last handed over the account's way in (made it, gave it a
    new sign-in link or reset its second factor), or None (the operator, or nobody since)."""
    from rapport.audit.models import AuditEvent

    latest = AuditEvent.objects.for_object(account).filter(verb__in=HANDOVERS).order_by("-seq").first()
    return latest.actor_id if latest is not None else None


@rule(ClearanceRaise, ConsoleAction.CONFIRM_RAISE)
def confirm_raise(user, raise_):
    refused = _first(lambda: _on_account(user, raise_.account),
                     lambda: _level_check(user, raise_.account, raise_.level))
    if refused is not None:
        return refused
    if raise_.state != RaiseState.PENDING:
        return deny(_("this change is already decided"))
    if raise_.requested_by_id == user.pk:
        return deny(_("a second administrator confirms a change, not the one who asked"))
    # The second pair of eyes must not be the first one's other account, as far as that can be told.
    if _same_person(user, raise_.requested_by):
        return deny(_("the administrator who asked has your e-mail address: another administrator confirms it"))
    if handed_over_by(user) == raise_.requested_by_id:
        return deny(_("the administrator who asked handed you your sign-in (made your account, or gave it a new "
                    "sign-in link or second factor): another administrator confirms it"))
    # The other way round too: an administrator who handed the asker their way in may hold it.
    if raise_.requested_by_id is not None and handed_over_by(raise_.requested_by) == user.pk:
        return deny(_("you handed the administrator who asked their sign-in (made their account, or gave it a new "
                    "sign-in link or second factor): another administrator confirms it"))
    return allow("a second administrator confirms")


@rule(ClearanceRaise, ConsoleAction.CANCEL_RAISE)
def cancel_raise(user, raise_):
    refused = _administrator_of(user, raise_.account.organisation_id)
    if refused is not None:
        return refused
    if raise_.state != RaiseState.PENDING:
        return deny(_("this change is already decided"))
    return allow("an administrator withdraws or declines a change")
