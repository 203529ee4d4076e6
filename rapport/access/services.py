"""Account changes, audited like every other change."""

from __future__ import annotations

import secrets
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.core.errors import InputError
from rapport.core.registry import registry
from rapport.core.text import clean_text
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import MemberState, Organisation

from .models import User
from .roles import Role

ACCOUNT_FIELDS = ["username", "organisation", "delegation", "role", "clearance", "is_active"]


def _level(name: str, scheme) -> ClassificationLevel:
    qs = ClassificationLevel.objects.filter(scheme=scheme)
    match = qs.filter(name=name).first() or qs.filter(abbreviation=name).first()
    if match is None and name.isdigit():
        match = qs.filter(rank=int(name)).first()
    if match is None:
        names = ", ".join(qs.values_list("abbreviation", flat=True))
        raise InputError(_("no level %(name)s in the %(scheme)s scheme (levels: %(levels)s)")
                         % {"name": repr(name), "scheme": scheme.name, "levels": names}, field="clearance")
    return match


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def _username_taken(username: str) -> bool:
    """Taken, also as a variant: another case ('Alice', 'ALICE') or another form of the same letters
    (full-width, ligatures), which would read as the same person in the audit log and the console."""
    if User.objects.filter(username__iexact=username).exists():
        return True
    # iexact folds only ASCII on SQLite: compare the names of the same length as Python folds them.
    key = _folded(username)
    same_length = User.objects.annotate(n=Length("username")).filter(n=len(username))
    return any(_folded(name) == key for name in same_length.values_list("username", flat=True).iterator())


def _email_taken(email: str, actor, organisation, state) -> bool:
    """The address of an active account of the same organisation (or delegation), or the actor's own."""
    same = User.objects.filter(is_active=True, email__iexact=email)
    place = Q(organisation=organisation) if organisation is not None else Q(delegation=state)
    if actor is not None and getattr(actor, "pk", None):
        place |= Q(pk=actor.pk)
    return same.filter(place).exists()


@transaction.atomic
def create_account(*, actor, username: str, role: str, clearance: str, organisation: str | None = None,
                   delegation: str | None = None, password: str | None = None,
                   email: str = "") -> tuple[User, str]:
    username = clean_text(username, field="username", required=True, max_length=150, what=gettext_lazy("the username"))
    username = unicodedata.normalize("NFKC", username)  # as Django keeps it
    if _username_taken(username):
        raise InputError(_("the username %(username)s is taken (names that differ only in capitals or in the "
                           "form of their letters count as the same)") % {"username": repr(username)}, field="username")
    if role not in Role.values:
        raise InputError(_("unknown role %(role)s (roles: %(roles)s)") % {"role": repr(role), "roles": ", ".join(Role.values)},
                         field="role")
    if bool(organisation) == bool(delegation):
        raise InputError(_("give exactly one of an organisation or a delegation"), field="organisation")
    org = state = None
    if organisation:
        org = Organisation.objects.filter(key=organisation).first()
        if org is None:
            raise InputError(_("no organisation %(key)s") % {"key": repr(organisation)}, field="organisation")
        scheme = org.scheme
    else:
        state = MemberState.objects.filter(code=delegation.upper()).first()
        if state is None:
            raise InputError(_("no member state %(code)s") % {"code": repr(delegation)}, field="delegation")
        orgs = state.organisations_on(timezone.localdate())
        if not orgs:
            raise InputError(_("%(state)s is not a member of any organisation today") % {"state": state.name},
                             field="delegation")
        scheme = orgs[0].scheme
    for check in registry["account_checks"].values():  # e.g. an organisation's instance holds only its own staff
        check(organisation=org, delegation=state)
    email = clean_text(email or "", field="email", max_length=254, what=gettext_lazy("the e-mail address")).strip()
    if email and _email_taken(email, actor, org, state):
        raise InputError(_("an active account already has this e-mail address: one person, one account (a second "
                           "account of the same person would be a second pair of eyes that is not one)"), field="email")
    user = User(username=username, organisation=org, delegation=state, role=role, clearance=_level(clearance, scheme),
                email=email)
    # A generated password is a temporary one: the first sign-in replaces it (ASVS 6.4.1).
    user.must_change_password = not password
    password = password or secrets.token_urlsafe(12)
    user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:  # name the field
        field, messages = next(iter(getattr(exc, "message_dict", {"__all__": exc.messages}).items()))
        raise InputError("; ".join(messages), field="" if field == "__all__" else field) from None
    user.save()
    orgs = [org] if org else state.organisations_on(timezone.localdate())
    record(actor=actor, verb=Verb.USER_CREATED, obj=user, after=snapshot(user, ACCOUNT_FIELDS),
           classification=ClassificationLevel.objects.get(scheme=orgs[0].scheme, rank=1), releasable_to=orgs,
           system_actor="account administration")
    return user, password


@transaction.atomic
def open_enrolment(*, actor, username: str) -> User:
    """Another day for an account without an authenticator to set one up at sign-in with its
    password (``twofactor.may_enrol_at_sign_in``); for the operator, when no administrator can."""
    from . import twofactor
    from .auditing import record_about_account

    user = User.objects.select_for_update().filter(username=str(username)).first()
    if user is None:
        raise InputError(_("no account %(username)s") % {"username": repr(username)}, field="username")
    if twofactor.enrolled(user):
        raise InputError(_("the account has an authenticator already: reset it in the console first"),
                         field="username")
    twofactor.open_enrolment(user)
    user.refresh_from_db()
    record_about_account(actor=actor, verb=Verb.TWO_FACTOR_ENROLMENT_OPENED, account=user,
                         after={"enrol_by": user.enrol_by.isoformat()})
    return user


# Passwords and sessions of one's own account -------------------------------------------------


def _password_errors(password: str, user) -> str:
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@transaction.atomic
def set_password(*, actor, user: User, password: str, confirmation: str, current: str | None = None,
                 how: str = "changed by its owner") -> None:
    """Set a new password: the owner's current one (unless a one-time link or a temporary password
    brought them here), the policy (length, common passwords, the last N), then audited."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if current is not None and not user.check_password(current):
        raise InputError(_("the current password is wrong"), field="current")
    if not password or password != confirmation:
        raise InputError(_("the two new passwords are not the same"), field="password")
    problem = _password_errors(password, user)
    if problem:
        raise InputError(problem, field="password")
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    from .auditing import record_about_account

    record_about_account(actor=actor, verb=Verb.USER_PASSWORD_CHANGED, account=user, message=how)


@transaction.atomic
def sign_out_everywhere(*, actor, user: User, why: str = "asked by its owner") -> None:
    """End every session of the account, on every device (its API tokens are not sessions)."""
    from django.db.models import F

    from .auditing import record_about_account
    from .devices import end_all

    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    end_all(user)
    record_about_account(actor=actor, verb=Verb.USER_SIGNED_OUT_EVERYWHERE, account=user, message=why)
