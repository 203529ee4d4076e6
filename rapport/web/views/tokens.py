"""One's own personal access tokens for the API: make one (its secret shown once, on the
answer to the form, never kept), see one's tokens, revoke one. Made and revoked through
rapport.api.tokens, audited there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rapport.api.models import AccessToken, Scope
from rapport.api.tokens import DEFAULT_DAYS, MAX_DAYS, create_token, revoke_token
from rapport.core.errors import InputError, NotFound

from ..rendering import page

SHOWN = 50  # the newest tokens of the account; older ones have long expired


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    context = {"nav": "account", "scopes": Scope.choices, "default_days": DEFAULT_DAYS, "max_days": MAX_DAYS,
               "form": {"name": "", "scope": Scope.READ, "days": DEFAULT_DAYS}}
    status = 200
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("name", "scope", "days")}
        try:
            token, secret = create_token(user=request.user, name=form["name"], scope=form["scope"],
                                         days=form["days"] or DEFAULT_DAYS)
        except InputError as exc:
            context.update(form=form, error=exc.detail, error_field=exc.field)
            status = 400
        else:
            context.update(made=token, secret=secret)
    now = timezone.now()
    rows = list(AccessToken.objects.filter(user=request.user).order_by("-created_at", "-pk")[:SHOWN])
    context["tokens"] = [{"token": t, "usable": t.revoked_at is None and t.expires_at > now} for t in rows]
    return page(request, "web/account/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request, prefix: str):
    try:
        token = revoke_token(actor=request.user, prefix=prefix)
    except NotFound:
        raise Http404("No such token among yours.") from None  # another's token answers as a missing one
    messages.success(request, _("The token %(prefix)s… (%(name)s) is revoked: it no longer signs in.")
                     % {"prefix": token.prefix, "name": token.name})
    return redirect("account-tokens")
