"""The policy rules for reporting periods, registered with rapport.access.

A period moves through the cycle by joint acts: each organisation's coordinator
agrees to the next step for their own organisation only, and the period moves
once every organisation of the partnership has agreed. Coordinators set the
deadlines, plan the next period, and grant their own organisation's drafters an
extension on a commitment after the contributions deadline.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from rapport.access.policy import allow, deny, in_partnership, rule
from rapport.access.roles import Role

from .choices import PeriodState, PeriodStep
from .lifecycle import EXTENSIBLE, FINAL, STEPS
from .models import ReportingPeriod


class PeriodAction(StrEnum):
    AGREE = "period.agree"  # context: step
    SET_DEADLINES = "period.set_deadlines"
    GRANT_EXTENSION = "period.grant_extension"  # context: commitment
    PLAN_NEXT = "period.plan_next"


def _coordinator(user, period):
    if user.role != Role.COORDINATOR or not in_partnership(user, period.partnership):
        return deny(_("only the coordinators of the partnership's organisations run the cycle"))
    return None


@rule(ReportingPeriod, PeriodAction.AGREE)
def agree(user, period, step=None):
    refused = _coordinator(user, period)
    if refused is not None:
        return refused
    if step not in STEPS:
        return deny(_("name a step of the cycle"))
    before = STEPS[PeriodStep(step)][0]
    if period.state != before:
        return deny(_("the %(period)s period is %(state)s: '%(step)s' follows '%(before)s'") % {
            "period": period.ordinal_word, "state": period.get_state_display().lower(),
            "step": str(PeriodStep(step).label).lower(), "before": str(PeriodState(before).label).lower()})
    if period.agreements.filter(step=step, organisation_id=user.organisation_id).exists():
        return deny(_("this organisation has already agreed to this step"))
    return allow("a coordinator agrees for their own organisation only")


@rule(ReportingPeriod, PeriodAction.SET_DEADLINES)
def set_deadlines(user, period):
    refused = _coordinator(user, period)
    if refused is not None:
        return refused
    if period.state in FINAL:
        return deny(_("the deadlines of a period whose report is published are history"))
    return allow("coordinators keep the calendar")


@rule(ReportingPeriod, PeriodAction.GRANT_EXTENSION)
def grant_extension(user, period, commitment=None):
    refused = _coordinator(user, period)
    if refused is not None:
        return refused
    if commitment is not None and commitment.partnership_id != period.partnership_id:
        return deny(_("the commitment belongs to another partnership"))
    if period.state not in EXTENSIBLE:
        return deny(_("the %(period)s period is %(state)s: extensions are granted between the contributions "
                      "deadline and the report's approval")
                    % {"period": period.ordinal_word, "state": period.get_state_display().lower()})
    return allow("a coordinator extends the deadline for their own organisation only")


@rule(ReportingPeriod, PeriodAction.PLAN_NEXT)
def plan_next(user, period):
    refused = _coordinator(user, period)
    if refused is not None:
        return refused
    if period.partnership.periods.filter(ordinal__gt=period.ordinal).exists():
        return deny(_("the %(period)s period is not the partnership's last") % {"period": period.ordinal_word})
    return allow("coordinators plan the next period from the cadence")
