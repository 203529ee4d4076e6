"""Signing in: a password, then — for an account with an authenticator, or whose role must
use one — a second step, before the account is signed in at all.

After the password, the session holds only a pending sign-in (the account, the time, where
to go next) for five minutes; five wrong codes end it. The account is signed in (Django's
``login``) only once the code is right, or once an account that must use two-factor sign-in
has set up its authenticator — which, with the password alone, it may do only within a day of
its way in being handed over (``twofactor.may_enrol_at_sign_in``). Throttling: django-axes per
account and address, and ``access/throttle.py`` across addresses and accounts, checked before the
password, and on the account's two-factor codes.
"""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rapport.access import throttle, twofactor
from rapport.access.models import SignInFailure, User
from rapport.core.errors import InputError

from ..rendering import page

PENDING = "rapport.pending_sign_in"
PENDING_SECONDS = 5 * 60
PENDING_FAILURES = 5
ENROL_KEY = "rapport.enrol_key"


class SignInForm(AuthenticationForm):
    def clean(self):
        # The name as the form will look the account up (stripped, NFKC): a variant of a locked
        # account's name (a trailing space, a full-width letter) is the same locked account.
        raw = self.data.get("username", "")
        try:
            username = self.fields["username"].clean(raw)
        except forms.ValidationError:
            username = raw
        refused = throttle.refusal(username, throttle.client_address(self.request))
        if refused:
            raise forms.ValidationError(refused, code="throttled")
        return super().clean()


class SignInView(LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.required(user) and not twofactor.enrolled(user) and not twofactor.may_enrol_at_sign_in(user):
            twofactor.enrolment_closed(user)
            form.add_error(None, twofactor.ENROLMENT_CLOSED)
            return self.form_invalid(form)
        if twofactor.enrolled(user) or twofactor.required(user):
            self.request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": int(time.time()),
                                             "next": self.get_success_url(), "failures": 0}
            self.request.session.pop(ENROL_KEY, None)
            return redirect("sign-in-code" if twofactor.enrolled(user) else "sign-in-enrol")
        return super().form_valid(form)


def sentence(exc: InputError) -> str:
    """An input error as a sentence: a capital first, one full stop at the end (the password
    policy's own messages end with one already)."""
    text = str(exc.detail).strip()
    return text[:1].upper() + text[1:].rstrip(".") + "."


def reauthentication_allowed(request, user) -> None:
    """Refuse a signed-in account's password check (changing the password, setting up an
    authenticator) while a sign-in limit holds for the account or the address, as the sign-in page
    does; raises InputError on the ``current`` field."""
    refused = throttle.refusal(user.username, throttle.client_address(request))
    if refused is None and settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, {"username": user.username}):
        refused = (_("Too many failed sign-ins on this account from this address: try again in up to %(wait)s.")
                   % {"wait": throttle.window_text()})
    if refused:
        error = InputError(refused, field="current")
        error.throttled = True
        raise error


def wrong_current_password(request, user, where: str) -> None:
    """A wrong password given by a signed-in account: a failed sign-in for the limits (django-axes'
    and Rapport's) and the audit log (``access/signals.py``)."""
    user_login_failed.send(sender=__name__, request=request, credentials={
        "username": user.username, "rapport_kind": SignInFailure.PASSWORD_CHANGE, "rapport_where": where})


def _pending(request) -> tuple[User | None, dict]:
    data = request.session.get(PENDING) or {}
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, {}
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    return user, data


def _expired(request):
    messages.info(request, _("The sign-in was not finished in time. Sign in again."))
    return redirect("login")


def _finish(request, user, data, method: str):
    request.session.pop(PENDING, None)
    request.session.pop(ENROL_KEY, None)
    user.backend = data["backend"]
    request.rapport_second_factor = method
    login(request, user)
    target = data.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "dashboard"
    return target


@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step: a code from the authenticator, or a recovery code."""
    user, data = _pending(request)
    if user is None or not twofactor.enrolled(user):
        return _expired(request)
    error = ""
    if request.method == "POST":
        try:
            method = twofactor.verify(user=user, code=request.POST.get("code", ""))
        except InputError as exc:
            data["failures"] = data.get("failures", 0) + 1
            if data["failures"] >= PENDING_FAILURES:
                request.session.pop(PENDING, None)
                messages.error(request, _("Too many wrong codes. Sign in again."))
                return redirect("login")
            request.session[PENDING] = data
            error = sentence(exc)
        else:
            target = _finish(request, user, data, "a recovery code" if method == "recovery code" else "an authenticator code")
            if method == "recovery code":
                left = twofactor.recovery_codes_left(user)
                messages.warning(request, _("You signed in with a recovery code; it cannot be used again. %(left)s "
                                            "left: make new ones on your account's security page if you run low.")
                                 % {"left": left})
            return redirect(target)
    return page(request, "registration/sign_in_code.html", {"error": error}, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def sign_in_enrol(request):
    """An account that must use two-factor sign-in and has no authenticator sets one up now."""
    user, data = _pending(request)
    if user is None or twofactor.enrolled(user):
        return _expired(request)
    if not twofactor.may_enrol_at_sign_in(user):
        request.session.pop(PENDING, None)
        messages.error(request, twofactor.ENROLMENT_CLOSED)
        return redirect("login")
    return enrolment(request, user, on_done=lambda codes: _enrolled(request, user, data, codes))


def _enrolled(request, user, data, codes):
    target = _finish(request, user, data, "a new authenticator")
    return page(request, "registration/recovery_codes.html", {"codes": codes, "next": target, "new_setup": True})


def enrolment(request, user, *, on_done, ask_password: bool = False):
    """The set-up page: a QR code and the key of a new authenticator (kept in the session until
    confirmed, so showing the page writes nothing), and a code to confirm it. Signed in already,
    the account's password is asked again (a change of how the account signs in); a wrong one
    counts as a failed sign-in (the limits, the audit log)."""
    key = request.session.get(ENROL_KEY)
    if not key:
        key = request.session[ENROL_KEY] = twofactor.new_key()
    error = ""
    if request.method == "POST":
        try:
            if ask_password:
                reauthentication_allowed(request, user)
                if not user.check_password(request.POST.get("password", "")):
                    wrong_current_password(request, user, "while setting up an authenticator")
                    raise InputError(_("your password is wrong"), field="password")
            codes = twofactor.enrol(user=user, key=key, code=request.POST.get("code", ""))
        except InputError as exc:
            error = sentence(exc)
        else:
            request.session.pop(ENROL_KEY, None)
            return on_done(codes)
    return page(request, "registration/enrol.html", {
        "setup": twofactor.provisioning(user, key), "error": error, "required": twofactor.required(user),
        "account": user, "ask_password": ask_password,
    }, status=400 if error else 200)
