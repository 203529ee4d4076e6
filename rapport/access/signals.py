"""Sign-ins and failed sign-ins go into the audit log.

An entry about a user is internal to the user's own organisation(s): it is
marked at rank 1 of their scheme and releasable only there. Failed attempts on
usernames that do not exist are left to django-axes' own log. Failed attempts on
an account are counted per day (FailedSignIns): the first of the day is an audit
entry, the others raise the count, so guessing cannot grow the log without bound.
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.markings.models import ClassificationLevel

from .models import FailedSignIns, User


def _internal_marking(user):
    orgs = [user.organisation] if user.organisation_id else (
        user.delegation.organisations_on(timezone.localdate()) if user.delegation_id else [])
    if not orgs:
        return None, []
    level = ClassificationLevel.objects.filter(scheme=orgs[0].scheme, rank=1).first()
    return level, orgs


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    level, orgs = _internal_marking(user)
    if level is None:
        return
    record(actor=user, verb=Verb.USER_LOGGED_IN, obj=user, object_repr=user.username,
           classification=level, releasable_to=orgs)


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    user = User.objects.filter(username=str(credentials.get("username", ""))[:150]).first()
    if user is None:
        return
    level, orgs = _internal_marking(user)
    if level is None:
        return
    day = timezone.localdate()
    with transaction.atomic():
        tally, first = FailedSignIns.objects.get_or_create(user=user, day=day)
        FailedSignIns.objects.filter(pk=tally.pk).update(count=F("count") + 1)
        if first:
            record(actor=None, verb=Verb.USER_LOGIN_FAILED, obj=user, object_repr=user.username,
                   classification=level, releasable_to=orgs, system_actor="sign-in",
                   message=f"first failed sign-in on {day.isoformat()}; later ones that day are counted")
