"""One's own sessions: each sign-in is listed (when, from which browser and address) until it
ends, and its owner can end any one of them, or all at once.

Ending a session deletes it from Django's session store, so it is gone at the backend, not
merely forgotten by the browser. "Sign out everywhere" also raises the account's session
generation (``services.sign_out_everywhere``), which ends sessions this list may not know of.
"""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from rapport.audit.verbs import Verb
from rapport.core.errors import NotFound

from .auditing import record_about_account
from .models import SignedInSession


def note_sign_in(request, user) -> None:
    key = request.session.session_key
    if not key:
        return
    SignedInSession.objects.update_or_create(session_key=key, defaults={
        "user": user, "started_at": timezone.now(),
        "user_agent": str(request.META.get("HTTP_USER_AGENT", ""))[:200],
        "address": request.META.get("REMOTE_ADDR") or None,
    })


def forget(session_key: str | None) -> None:
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


def open_sessions(user):
    """The account's sessions that still exist and have not expired."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SignedInSession.objects.filter(user=user, session_key__in=live)


@transaction.atomic
def end_session(*, actor, pk: int) -> None:
    """End one of the actor's own sessions (another's answers as missing)."""
    found = SignedInSession.objects.select_for_update().filter(pk=pk, user=actor).first()
    if found is None:
        raise NotFound("session")
    Session.objects.filter(session_key=found.session_key).delete()
    found.delete()
    record_about_account(actor=actor, verb=Verb.USER_SESSION_ENDED, account=actor,
                         message=f"the session signed in at {found.started_at:%Y-%m-%d %H:%M} from "
                                 f"{found.address or 'an unknown address'}")


def end_all(user) -> None:
    """Delete every listed session of the account (callers audit it)."""
    keys = list(SignedInSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    SignedInSession.objects.filter(user=user).delete()
