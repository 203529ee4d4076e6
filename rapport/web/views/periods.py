"""The reporting cycle: each period's stage, deadlines (with days left) and the
steps every organisation's coordinator agrees to; deadlines, the next period and
extensions are set here by coordinators, through rapport.periods.services."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.access.policy import can
from rapport.commitments.models import Commitment
from rapport.core.errors import InputError
from rapport.periods import services
from rapport.periods.choices import Deadline, PeriodStep
from rapport.periods.lifecycle import NEXT_STEP, days_left
from rapport.periods.models import CalendarFeed, Extension, ReportingPeriod
from rapport.periods.rules import PeriodAction
from rapport.reports.models import Report
from rapport.reports.start import ReportStart, start_report

from ..actions import run_workflow_action
from ..queries import the_partnership
from ..rendering import page, visible_or_404


def _period(user, ordinal: int) -> ReportingPeriod:
    qs = ReportingPeriod.objects.select_related("partnership").filter(partnership=the_partnership())
    return visible_or_404(qs, user, ordinal=ordinal)


@login_required
def period_list(request):
    partnership = the_partnership()
    periods = list(ReportingPeriod.objects.filter(partnership=partnership).order_by("-ordinal"))
    rows = [{"period": p, "deadlines": [(label, day, days_left(day)) for _, label, day in p.deadlines()]}
            for p in periods]
    return page(request, "web/periods/list.html", {"nav": "periods", "rows": rows})


@login_required
def period_detail(request, ordinal: int):
    user = request.user
    period = _period(user, ordinal)
    organisations = list(period.partnership.organisations.order_by("key"))
    step = NEXT_STEP.get(period.state)
    agreed = {a.organisation_id: a for a in period.agreements.filter(step=step).select_related("agreed_by")} if step else {}
    extensions = (Extension.objects.visible_to(user).filter(period=period).select_related("commitment", "granted_by")
                  .order_by("commitment__order", "commitment__ref")[:200])
    return page(request, "web/periods/detail.html", {
        "nav": "periods", "period": period,
        "deadlines": [(name, label, getattr(period, name), days_left(getattr(period, name)),
                       -(days_left(getattr(period, name)) or 0)) for name, label in Deadline.choices],
        "step": PeriodStep(step) if step else None,
        "agreements": [(o, agreed.get(o.pk)) for o in organisations],
        "extensions": extensions,
        "report": Report.objects.visible_to(user).filter(period=period).first(),
        "allowed": {
            "agree": bool(step) and bool(can(user, PeriodAction.AGREE, period, step=step)),
            "deadlines": bool(can(user, PeriodAction.SET_DEADLINES, period)),
            "plan_next": bool(can(user, PeriodAction.PLAN_NEXT, period)),
            "extend": bool(can(user, PeriodAction.GRANT_EXTENSION, period)),
            "start_report": bool(can(user, ReportStart.START, period)),
        },
    })


def _date(value: str, field: str) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(_("%(value)s is not a date (YYYY-MM-DD)") % {"value": repr(value[:40])}, field=field) from None


@login_required
@require_POST
def period_action(request, ordinal: int, action: str):
    user = request.user
    period = _period(user, ordinal)
    post = request.POST
    if action == "agree":
        def call():
            services.agree(actor=user, period=period, step=post.get("step", ""))
        done = _("Your organisation's agreement is recorded.")
    elif action == "deadlines":
        def call():
            services.set_deadlines(actor=user, period=period,
                                   **{name: _date(post.get(name), name) for name in services.DEADLINES})
        done = _("Deadlines saved.")
    elif action == "start-report":
        def call():
            start_report(actor=user, period=period)
        done = _("The report is started: write its parts in the report editor.")
    elif action == "plan-next":
        def call():
            services.plan_next(actor=user, period=period)
        done = _("The next period is planned.")
    elif action == "extend":
        def call():
            ref = post.get("commitment", "").strip()
            commitment = Commitment.objects.visible_to(user).filter(partnership=period.partnership, ref=ref).first()
            if commitment is None:
                raise InputError(_("no commitment %(ref)s that you may see") % {"ref": repr(ref[:40])},
                                 field="commitment")
            services.grant_extension(actor=user, period=period, commitment=commitment,
                                     until=_date(post.get("until"), "until"), reason=post.get("reason", ""))
        done = _("Extension granted.")
    else:
        raise Http404
    run_workflow_action(request, call, done)
    return redirect("period-detail", ordinal)


# The calendar feed ------------------------------------------------------------------------


@login_required
def calendar_page(request):
    """The user's secret calendar address: made (shown once) or revoked here, by POST."""
    from rapport.periods import calendar

    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar.revoke_feed(request.user)
            messages.success(request, _("Your calendar address is revoked: it no longer answers."))
            return redirect("calendar")
        token = calendar.new_feed(request.user)
    has_feed = CalendarFeed.objects.filter(user=request.user).exists()
    url = request.build_absolute_uri(reverse("calendar-feed", args=[token])) if token else None
    response = page(request, "web/periods/calendar.html", {"nav": "periods", "feed_url": url, "has_feed": has_feed})
    return response


def calendar_feed(request, token: str):
    """The deadlines the token's user may read, as iCalendar (no session: the address is the secret)."""
    from rapport.periods import calendar

    user = calendar.user_for(token)
    if user is None:
        raise Http404
    base = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(calendar.feed_ics(user, base), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
