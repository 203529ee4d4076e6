"""One's own account: two-factor sign-in, the password, signing out everywhere, and the
session's remaining time (for the pages' warning). A one-time sign-in link from the
administrator's console opens the page that sets the first password."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.access import devices, services, sessions, twofactor
from rapport.access.models import SignedInSession, User
from rapport.access.policy import can
from rapport.console.rules import ConsoleAction
from rapport.core.errors import InputError, NotFound

from ..rendering import page
from .signin import enrolment, reauthentication_allowed, wrong_current_password
from .signin import sentence as _sentence


@login_required
def security(request):
    user = request.user
    organisation = user.organisation
    return page(request, "registration/security.html", {
        "nav": "account", "enrolled": twofactor.enrolled(user), "required": twofactor.required(user),
        "codes_left": twofactor.recovery_codes_left(user),
        "console": organisation is not None and bool(can(user, ConsoleAction.MANAGE, organisation)),
        "sessions": list(devices.open_sessions(user)[:50]), "this_session": request.session.session_key,
    })


@login_required
@require_POST
def session_end(request, pk: int):
    """End one of one's own sessions (another's, or a missing one: 404)."""
    ending_this = SignedInSession.objects.filter(pk=pk, session_key=request.session.session_key).exists()
    try:
        devices.end_session(actor=request.user, pk=pk)
    except NotFound:
        raise Http404 from None
    if ending_this:
        logout(request)
        return redirect("login")
    messages.success(request, _("That session has ended."))
    return redirect("account-security")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if twofactor.enrolled(request.user):
        return redirect("account-security")

    def done(codes):
        return page(request, "registration/recovery_codes.html", {"codes": codes, "next": "account-security"})

    return enrolment(request, request.user, on_done=done, ask_password=True)


@login_required
@require_POST
def recovery_codes(request):
    try:
        codes = twofactor.new_recovery_codes(user=request.user, code=request.POST.get("code", ""))
    except InputError as exc:
        messages.error(request, _sentence(exc) + " No new codes were made.")
        return redirect("account-security")
    return page(request, "registration/recovery_codes.html", {"codes": codes, "next": "account-security"})


@login_required
@require_POST
def two_factor_off(request):
    try:
        twofactor.turn_off(user=request.user, code=request.POST.get("code", ""))
    except InputError as exc:
        messages.error(request, _sentence(exc))
    else:
        messages.success(request, _("Two-factor sign-in is off. You can set it up again here at any time."))
    return redirect("account-security")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """A wrong current password counts as a failed sign-in (django-axes and ``access/throttle.py``,
    per account and per address): past a limit the page refuses, with the sign-in page's message,
    before looking at the password."""
    user = request.user
    error = None
    if request.method == "POST":
        try:
            reauthentication_allowed(request, user)
            services.set_password(actor=user, user=user, current=request.POST.get("current", ""),
                                  password=request.POST.get("password", ""),
                                  confirmation=request.POST.get("confirmation", ""))
        except InputError as exc:
            error = exc
            if exc.field == "current" and not getattr(exc, "throttled", False):
                wrong_current_password(request, user, "on the password-change page")
        else:
            user.refresh_from_db()
            update_session_auth_hash(request, user)  # this session stays; others end with the old password
            messages.success(request, _("Your password is changed. Your other sessions have ended."))
            return redirect("account-security")
    return page(request, "registration/password.html", {
        "error": error and _sentence(error), "error_field": error and error.field, "ask_current": True,
        "forced": user.must_change_password,
    }, status=400 if error else 200)


@login_required
@require_POST
def sign_out_everywhere(request):
    services.sign_out_everywhere(actor=request.user, user=request.user)
    logout(request)
    messages.info(request, _("You are signed out on every device and browser."))
    return redirect("login")


def _time_left(request) -> HttpResponse:
    left = sessions.remaining(request) if request.user.is_authenticated else 0
    return HttpResponse(json.dumps({"remaining": max(left, 0)}), content_type="application/json")


@require_GET
def session_status(request):
    """Seconds left in this session, for the pages' warning; asking is not activity."""
    return _time_left(request)


@login_required
@require_POST
def session_extend(request):
    """'Stay signed in' (the pages' script posts it): a request, so the middleware counts it as
    activity; answers the seconds now left."""
    return _time_left(request)


@require_http_methods(["GET", "POST"])
def welcome(request, uidb64: str, token: str):
    """A one-time sign-in link: set the account's first password. The token (Django's, valid
    for PASSWORD_RESET_TIMEOUT) stops working once a password is set or the account signs in."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        raise Http404 from None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return page(request, "registration/welcome_expired.html", {}, status=404)
    error = None
    if request.method == "POST":
        try:
            services.set_password(actor=user, user=user, password=request.POST.get("password", ""),
                                  confirmation=request.POST.get("confirmation", ""),
                                  how="set with a one-time sign-in link")
        except InputError as exc:
            error = exc
        else:
            if request.user.is_authenticated:
                logout(request)
            messages.success(request, _("Your password is set. Sign in with it now."))
            return redirect("login")
    return page(request, "registration/password.html", {
        "error": error and _sentence(error), "error_field": error and error.field, "ask_current": False,
        "account": user, "welcome": True,
    }, status=400 if error else 200)
