"""The administrator's console: an organisation's administrators manage its accounts, their
API tokens and the organisation's own settings (``console/services.py`` writes, asking
``console/rules.py``). For anyone else, and for another organisation's accounts, the pages do
not exist: 404, exactly as a missing account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapport.access import twofactor
from rapport.access.accountsettings import for_organisation, installation_roles
from rapport.access.models import User
from rapport.access.policy import can
from rapport.access.roles import Role
from rapport.api.models import AccessToken
from rapport.console import services
from rapport.console.models import ClearanceRaise, RaiseState
from rapport.console.rules import ConsoleAction
from rapport.core.errors import InputError, NotFound, Refused
from rapport.markings.models import LEVEL_MARKINGS, ClassificationLevel

from ..rendering import page

PAGE_SIZE = 50


def _organisation(request, action=ConsoleAction.MANAGE):
    organisation = request.user.organisation
    if organisation is None or not can(request.user, action, organisation):
        raise Http404
    return organisation


def _account(request, pk: int) -> User:
    account = (User.objects.visible_to(request.user).select_related("organisation", "clearance")
               .prefetch_related(f"clearance__{LEVEL_MARKINGS}").filter(pk=pk).first())
    if account is None or not can(request.user, ConsoleAction.VIEW_ACCOUNT, account):
        raise Http404
    return account


def _sentence(exc) -> str:
    text = exc.detail if isinstance(exc, InputError) else str(exc)
    text = text.removeprefix("Not allowed: ")
    return text[0].upper() + text[1:].rstrip(".") + "."


def _levels(organisation, up_to: int):
    return list(ClassificationLevel.objects.filter(scheme_id=organisation.scheme_id, rank__lte=up_to)
                .prefetch_related(LEVEL_MARKINGS).order_by("rank"))  # named by their banner in the page's language


@login_required
def console_home(request):
    organisation = _organisation(request)
    accounts = (User.objects.visible_to(request.user).filter(organisation=organisation)
                .select_related("clearance").prefetch_related(f"clearance__{LEVEL_MARKINGS}")
                .annotate(two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
                          tokens=Count("access_tokens", filter=Q(access_tokens__revoked_at__isnull=True)))
                .order_by("username"))
    query = request.GET.get("q", "").strip()[:150]
    if query:
        accounts = accounts.filter(Q(username__icontains=query) | Q(first_name__icontains=query)
                                   | Q(last_name__icontains=query))
    page_obj = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    raises = (ClearanceRaise.objects.visible_to(request.user).filter(state=RaiseState.PENDING,
                                                                     account__organisation=organisation)
              .select_related("account__clearance", "level", "requested_by")
              .prefetch_related(f"account__clearance__{LEVEL_MARKINGS}", f"level__{LEVEL_MARKINGS}").order_by("requested_at"))
    return page(request, "web/console/home.html", {
        "nav": "console", "organisation": organisation, "page_obj": page_obj, "accounts": list(page_obj.object_list),
        "raises": [(r, r.requested_by_id != request.user.pk) for r in raises], "q": query,
    })


@login_required
@require_http_methods(["GET", "POST"])
def account_new(request):
    organisation = _organisation(request)
    error, made, values = None, None, {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("username", "role", "email", "clearance", "how")}
        try:
            made = services.create_account(actor=request.user, organisation=organisation, **values)
        except InputError as exc:
            error = exc
        except (Refused, NotFound):
            raise Http404 from None
    if made:
        account, handover, raise_ = made
        link = request.build_absolute_uri(handover) if values["how"] == services.LINK else ""
        return page(request, "web/console/account_made.html", {
            "nav": "console", "account": account, "link": link, "password": "" if link else handover,
            "raise": raise_,
        })
    return page(request, "web/console/account_new.html", {
        "nav": "console", "organisation": organisation, "roles": Role.choices, "values": values,
        "levels": _levels(organisation, request.user.clearance_rank),
        "error": error and _sentence(error), "error_field": error and error.field,
    }, status=400 if error else 200)


@login_required
def account_detail(request, pk: int):
    account = _account(request, pk)
    tokens = list(AccessToken.objects.filter(user=account).order_by("-created_at", "-pk")[:100])
    pending = (ClearanceRaise.objects.filter(account=account, state=RaiseState.PENDING)
               .select_related("level", "requested_by").first())
    me = request.user
    return page(request, "web/console/account.html", {
        "nav": "console", "account": account, "tokens": tokens, "pending": pending,
        "two_factor": twofactor.enrolled(account), "two_factor_required": twofactor.required(account),
        "codes_left": twofactor.recovery_codes_left(account), "roles": Role.choices,
        "levels": _levels(account.organisation, me.clearance_rank),
        "may_change": bool(can(me, ConsoleAction.SET_ACTIVE, account)),
        "may_revoke": bool(can(me, ConsoleAction.REVOKE_TOKEN, account)),
    })


@login_required
@require_POST
def account_action(request, pk: int, action: str):
    account = _account(request, pk)
    me, post = request.user, request.POST
    steps = {
        "role": lambda: services.change_role(actor=me, account=account, role=post.get("role", "")),
        "deactivate": lambda: services.set_active(actor=me, account=account, active=False),
        "reactivate": lambda: services.set_active(actor=me, account=account, active=True),
        "reset-two-factor": lambda: services.reset_two_factor(actor=me, account=account),
        "sign-out": lambda: services.sign_out(actor=me, account=account),
        "clearance": lambda: _clearance(me, account, post.get("clearance", "")),
    }
    if action == "sign-in-link":
        return _new_link(request, account)
    if action not in steps:
        raise Http404
    try:
        done = steps[action]()
    except NotFound:
        raise Http404 from None
    except (InputError, Refused) as exc:
        messages.error(request, _sentence(exc) + " " + _("Nothing was changed."))
    else:
        if action == "role" and isinstance(done, ClearanceRaise):
            messages.success(request, _("The change to the role %(role)s is asked: a second administrator must "
                                        "confirm it.") % {"role": done.role})
            return redirect("console-account", account.pk)
        messages.success(request, {
            "role": _("The role is changed: the account's sessions have ended and its API tokens are revoked."),
            "deactivate": _("The account is deactivated: its sessions and tokens no longer work."),
            "reactivate": _("The account is active again."),
            "reset-two-factor": _("Two-factor sign-in is reset: the account sets it up again at its next sign-in. "
                                  "Its sessions have ended and its API tokens are revoked."),
            "sign-out": _("Every session of the account has ended."),
            "clearance": done if isinstance(done, str) else "",
        }[action])
    return redirect("console-account", account.pk)


def _new_link(request, account):
    try:
        path = services.issue_sign_in_link(actor=request.user, account=account)
    except NotFound:
        raise Http404 from None
    except Refused as exc:
        messages.error(request, _sentence(exc) + " " + _("Nothing was changed."))
        return redirect("console-account", account.pk)
    return page(request, "web/console/account_made.html", {
        "nav": "console", "account": account, "link": request.build_absolute_uri(path), "reset": True})


def _clearance(actor, account, value) -> str:
    level = ClassificationLevel.objects.filter(pk=value if str(value).isdigit() else None,
                                               scheme_id=account.organisation.scheme_id).first()
    if level is None:
        raise InputError(_("choose a level of the organisation's own scheme"), field="clearance")
    if level.rank > account.clearance_rank:
        services.request_raise(actor=actor, account=account, level=level.pk)
        return _("The raise to %(level)s is asked: a second administrator must confirm it.") % {"level": level.name}
    services.lower_clearance(actor=actor, account=account, level=level.pk)
    return (_("The clearance is now %(level)s: the account's sessions have ended and its API tokens are revoked.")
            % {"level": level.name})


@login_required
@require_POST
def raise_action(request, pk: int, action: str):
    raise_ = ClearanceRaise.objects.visible_to(request.user).select_related("account__organisation").filter(pk=pk).first()
    if raise_ is None or action not in ("confirm", "cancel") or not can(request.user, ConsoleAction.VIEW_ACCOUNT,
                                                                        raise_.account):
        raise Http404
    what = raise_.describe()
    try:
        if action == "confirm":
            services.confirm_raise(actor=request.user, raise_=raise_)
        else:
            services.cancel_raise(actor=request.user, raise_=raise_)
    except NotFound:
        raise Http404 from None
    except (InputError, Refused) as exc:
        messages.error(request, _sentence(exc) + " " + _("Nothing was changed."))
    else:
        if raise_.role:
            messages.success(request, (_("The change to %(what)s is confirmed.") if action == "confirm"
                                       else _("The change to %(what)s is withdrawn.")) % {"what": what})
        else:
            messages.success(request, _("The clearance is raised.") if action == "confirm"
                             else _("The raise is withdrawn."))
    if request.POST.get("back") == "account":
        return redirect("console-account", raise_.account_id)
    return redirect("console-home")


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = (AccessToken.objects.select_related("user").filter(
        pk=pk, user__in=User.objects.visible_to(request.user).values("pk")).first())
    if token is None or not can(request.user, ConsoleAction.VIEW_ACCOUNT, token.user):
        raise Http404
    try:
        services.revoke_token(actor=request.user, token=token)
    except NotFound:
        raise Http404 from None
    except Refused as exc:
        messages.error(request, _sentence(exc))
    else:
        messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("console-account", token.user_id)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request):
    organisation = _organisation(request, ConsoleAction.EDIT_SETTINGS)
    chosen = for_organisation(organisation)
    error = None
    if request.method == "POST":
        try:
            services.update_settings(
                actor=request.user, organisation=organisation, default_level=request.POST.get("default_level", ""),
                two_factor_roles=request.POST.getlist("two_factor_roles"),
                remind_days_before=request.POST.get("remind_days_before", ""),
                escalate_after_days=request.POST.get("escalate_after_days", ""))
        except InputError as exc:
            error = exc
        except (Refused, NotFound):
            raise Http404 from None
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("console-settings")
    partnership = organisation.partnerships.order_by("pk").first()
    return page(request, "web/console/settings.html", {
        "nav": "console", "organisation": organisation, "chosen": chosen, "roles": Role.choices,
        "installation_roles": installation_roles(),
        "levels": _levels(organisation, 99), "partnership": partnership,
        "error": error and _sentence(error), "error_field": error and error.field,
    }, status=400 if error else 200)
