"""Session limits: an idle timeout and an absolute lifetime.

The session (in the database) keeps when it was signed in: past
``RAPPORT_SESSION_ABSOLUTE_SECONDS`` (8 hours by default) it ends, whatever happens. The
reader's last activity is kept in a signed cookie beside the session cookie, renewed with every
response (the server's time, signed with the secret key and bound to the session's key), so that
counting activity never writes to the database; past ``RAPPORT_SESSION_IDLE_SECONDS`` (15 minutes)
without a request the session ends (without that cookie, the time counts from signing in). Either way the reader is sent to the
sign-in page with a message saying why — also when the browser and the store dropped the session
at its absolute end by themselves (the cookie carries when the session started). The pages' warning asks ``session-status``, which reads
the times without counting as activity. An account holding a temporary password is sent to the
page that replaces it before anything else.

"Sign out everywhere" and deactivation end every session of an account through
``User.session_generation``, which Django checks on each request (``get_session_auth_hash``).
"""

from __future__ import annotations

import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .durations import duration

STARTED = "rapport.session.started"
SEEN_SALT = "rapport.session.seen"


def clock() -> float:
    """The sessions' clock (the tests move it)."""
    return time.time()


def seen_cookie_name() -> str:
    """Beside a ``__Host-`` session cookie, a ``__Host-`` one too."""
    prefix = "__Host-" if settings.SESSION_COOKIE_NAME.startswith("__Host-") else ""
    return f"{prefix}rapport-seen"


def start(request) -> None:
    """Called when someone signs in: the lifetime counts from now."""
    request.session[STARTED] = int(clock())
    request.rapport_seen_at = clock()


def _seen(request) -> float | None:
    """When this session last did something, from its signed cookie (None if missing or not its own)."""
    if hasattr(request, "rapport_seen_at"):
        return request.rapport_seen_at
    try:
        data = signing.loads(request.COOKIES.get(seen_cookie_name(), ""), salt=SEEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") != request.session.session_key:
        return None
    return float(data.get("t", 0))


def remaining(request, now: float | None = None) -> int:
    """Seconds until the session ends by the sooner of its two limits."""
    now = clock() if now is None else now
    started = request.session.get(STARTED, now)
    seen = _seen(request)
    seen = started if seen is None else seen
    # Rounded up: 0 only once the session has ended. Truncated, 0.7 s left read as 0, the page
    # reloaded itself, and that reload (still in time) counted as activity and kept the session.
    return math.ceil(min(seen + settings.RAPPORT_SESSION_IDLE_SECONDS,
                         started + settings.RAPPORT_SESSION_ABSOLUTE_SECONDS) - now)


def _reason(started: float | None, seen: float | None, now: float, *, ended: bool = False) -> str | None:
    """Why a session that started and was last active then has ended by ``now``, or None. ``ended``:
    it is gone already (its store and cookie expire with the absolute lifetime), so the limit it
    reached first is the reason."""
    absolute_end = started + settings.RAPPORT_SESSION_ABSOLUTE_SECONDS if started is not None else None
    seen = started if seen is None else seen  # no cookie of its own: idle since signing in
    idle_end = seen + settings.RAPPORT_SESSION_IDLE_SECONDS if seen is not None else None
    past = (lambda end: end is not None and now >= end) if ended else (lambda end: end is not None and now > end)
    if past(absolute_end) and not (past(idle_end) and idle_end < absolute_end):
        return (_("You were signed out: your session reached its limit of %(limit)s. Sign in again to go on.")
                % {"limit": duration(settings.RAPPORT_SESSION_ABSOLUTE_SECONDS)})
    if past(idle_end):
        return (_("You were signed out after %(idle)s without activity. Sign in again to go on.")
                % {"idle": duration(settings.RAPPORT_SESSION_IDLE_SECONDS)})
    return None


def expired_because(request, now: float) -> str | None:
    return _reason(request.session.get(STARTED), _seen(request), now)


def ended_because(request, now: float) -> str | None:
    """For a request without a session that carries the activity cookie of one: why that session
    ended, when it reached a limit. The browser and the session store drop a session once its
    absolute lifetime is over, so without this the sign-in page would give no reason."""
    try:
        data = signing.loads(request.COOKIES.get(seen_cookie_name(), ""), salt=SEEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), (int, float)):
        return None
    return _reason(float(data["s"]), float(data.get("t", data["s"])), now, ended=True)


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock()
            reason = expired_because(request, now)
            if reason:
                return self._ended(self._signed_out(request, reason))
            if STARTED not in request.session:  # a session made without the sign-in page (tests)
                start(request)
            if not _is_status_check(request):
                request.rapport_seen_at = now
            if user.must_change_password and request.path not in _password_paths():
                return self._note_activity(request, redirect("account-password"))
        elif seen_cookie_name() in request.COOKIES:
            reason = ended_because(request, clock())
            if reason:  # told on the sign-in page this request shows or is sent to
                messages.info(request, reason)
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return self._note_activity(request, response)
        return self._ended(response) if seen_cookie_name() in request.COOKIES else response

    @staticmethod
    def _note_activity(request, response):
        """Every request but the warning's own question is activity."""
        if _is_status_check(request) or not request.session.session_key:
            return response
        value = signing.dumps({"k": request.session.session_key, "t": int(clock()),
                               "s": request.session.get(STARTED)}, salt=SEEN_SALT)
        response.set_cookie(seen_cookie_name(), value, max_age=settings.RAPPORT_SESSION_ABSOLUTE_SECONDS,
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax", path="/")
        return response

    @staticmethod
    def _ended(response):
        response.delete_cookie(seen_cookie_name(), path="/", samesite="Lax")
        return response

    @staticmethod
    def _signed_out(request, reason: str):
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
