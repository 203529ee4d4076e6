"""Session limits: an idle timeout, an absolute lifetime, and the session's start.

An account holding a temporary password is sent to the page that replaces it before anything
else. Every signed-in request checks two times kept in the session: when it was signed in
(``RAPPORT_SESSION_ABSOLUTE_SECONDS``, 8 hours by default) and when the reader last did
something (``RAPPORT_SESSION_IDLE_SECONDS``, 15 minutes). Past either, the session is
ended and the reader is sent to the sign-in page with a message saying why. The pages'
warning asks ``session-status``, which reads the times without counting as activity.

"Sign out everywhere" and deactivation end every session of an account through
``User.session_generation``, which Django checks on each request (``get_session_auth_hash``).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

STARTED, SEEN = "rapport.session.started", "rapport.session.seen"
# Activity is written to the session at most this often (a write per request would be a
# database update on every page); the idle timeout is exact to within it.
SEEN_RESOLUTION = 10


def clock() -> float:
    """The sessions' clock (the tests move it)."""
    return time.time()


def start(request) -> None:
    """Called when someone signs in: the lifetime counts from now."""
    now = int(clock())
    request.session[STARTED] = now
    request.session[SEEN] = now


def remaining(request, now: float | None = None) -> int:
    """Seconds until the session ends by the sooner of its two limits."""
    now = clock() if now is None else now
    started = request.session.get(STARTED, now)
    seen = request.session.get(SEEN, now)
    return int(min(seen + settings.RAPPORT_SESSION_IDLE_SECONDS, started + settings.RAPPORT_SESSION_ABSOLUTE_SECONDS)
               - now)


def expired_because(request, now: float) -> str | None:
    started = request.session.get(STARTED)
    seen = request.session.get(SEEN)
    if started is not None and now - started > settings.RAPPORT_SESSION_ABSOLUTE_SECONDS:
        hours = settings.RAPPORT_SESSION_ABSOLUTE_SECONDS / 3600
        return f"You were signed out: a session lasts at most {hours:g} hours. Sign in again to go on."
    if seen is not None and now - seen > settings.RAPPORT_SESSION_IDLE_SECONDS:
        minutes = settings.RAPPORT_SESSION_IDLE_SECONDS / 60
        return f"You were signed out after {minutes:g} minutes without activity. Sign in again to go on."
    return None


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock()
            reason = expired_because(request, now)
            if reason:
                return self._signed_out(request, reason)
            if STARTED not in request.session:  # a session made without the sign-in page (tests)
                start(request)
            elif not _is_status_check(request) and now - request.session.get(SEEN, 0) >= SEEN_RESOLUTION:
                request.session[SEEN] = int(now)
            if user.must_change_password and request.path not in _password_paths():
                return redirect("account-password")
        return self.get_response(request)

    def _signed_out(self, request, reason: str):
        path = request.get_full_path()
        logout(request)
        messages.info(request, reason)
        login = reverse("login")
        if request.method == "GET" and not _is_status_check(request):
            login += "?" + urlencode({"next": path})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
            return response
        if _is_status_check(request):
            return HttpResponse('{"remaining": 0}', content_type="application/json")
        return redirect(login)


def _password_paths() -> set[str]:
    """What an account holding a temporary password may open before choosing its own."""
    return {reverse(name) for name in ("account-password", "logout", "session-status", "session-extend")}


def _is_status_check(request) -> bool:
    return request.method == "GET" and request.path == reverse("session-status")
