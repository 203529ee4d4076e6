"""Sign-ins and failed sign-ins go into the audit log, and feed the sign-in limits.

An entry about a user is internal to the user's own organisation(s) (``auditing.py``).
Failed attempts on usernames that do not exist are left to django-axes' own log. Failed
attempts on an account are counted per day (FailedSignIns): the first of the day is an audit
entry, the others raise the count, so guessing cannot grow the log without bound. Every
failure also counts towards the limits across addresses and accounts (``throttle.py``);
reaching one is an audit entry.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from rapport.audit.verbs import Verb

from . import devices, sessions, throttle
from .auditing import account_marking, record_about_account
from .models import FailedSignIns, SignInFailure, User


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.start(request)
        devices.note_sign_in(request, user)
    if not account_marking(user):
        return
    method = getattr(request, "rapport_second_factor", None) if request is not None else None
    record_about_account(actor=user, verb=Verb.USER_LOGGED_IN, account=user,
                         message=f"with a password and {method}" if method else "")


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        devices.forget(request.session.session_key)


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    """A wrong password at sign-in, or (``rapport_kind`` "password_change") a wrong current password
    given by a signed-in account, where it says (``rapport_where``): the same limits count both."""
    username = str(credentials.get("username", ""))[:150]
    kind = credentials.get("rapport_kind", SignInFailure.PASSWORD)
    reached = throttle.note_failure(username, throttle.client_address(request), kind)
    user = User.objects.filter(username=username).first()
    if user is None or not account_marking(user):
        return
    day = timezone.localdate()
    with transaction.atomic():
        if kind == SignInFailure.PASSWORD:
            tally, first = FailedSignIns.objects.get_or_create(user=user, day=day)
            FailedSignIns.objects.filter(pk=tally.pk).update(count=F("count") + 1)
            if first:
                record_about_account(actor=None, verb=Verb.USER_LOGIN_FAILED, account=user, system_actor="sign-in",
                                     message=f"first failed sign-in on {day.isoformat()}; later ones that day are "
                                             f"counted")
        elif throttle.first_of_window(username, kind):
            record_about_account(actor=user, verb=Verb.USER_LOGIN_FAILED, account=user, system_actor="sign-in",
                                 message=f"a wrong current password {credentials.get('rapport_where', '')}; further "
                                         f"ones within {throttle.window_text('en')} count towards the sign-in limits, "
                                         f"not recorded one by one")
        if reached:
            what = " and ".join({"account": "this account's limit across addresses",
                                 "address": "the limit of the address it came from"}[r] for r in reached)
            record_about_account(actor=None, verb=Verb.USER_SIGN_IN_LOCKED, account=user, system_actor="sign-in",
                                 message=f"failed sign-ins reached {what}; refused for a while")
