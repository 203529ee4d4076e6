"""Starting a period's report: a coordinator starts it from the period's page, and it starts
by itself when every organisation agrees to prepare it (periods.signals.period_moved).

A report starts as an empty PUBLIC draft with the default title; its parts are then written
in the report editor (reports/parts.py).
"""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from rapport.access.policy import allow, deny, in_partnership, require, rule
from rapport.access.roles import Role
from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.markings.models import ClassificationLevel
from rapport.periods.choices import PeriodState
from rapport.periods.lifecycle import FINAL
from rapport.periods.models import ReportingPeriod

from .models import Report


class ReportStart(StrEnum):
    START = "report.start"  # asked of the period


@rule(ReportingPeriod, ReportStart.START)
def may_start(user, period):
    if user.role != Role.COORDINATOR or not in_partnership(user, period.partnership):
        return deny(_("only the coordinators of the partnership's organisations start a report"))
    if period.state == PeriodState.PLANNED or period.state in FINAL:
        return deny(_("the %(period)s period is %(state)s")
                    % {"period": period.ordinal_word, "state": period.get_state_display().lower()})
    if Report.objects.filter(period=period).exists():
        return deny(_("the %(period)s period already has its report") % {"period": period.ordinal_word})
    return allow("a coordinator starts the report of a period under way")


def default_title(period) -> str:
    from .assemble import default_title as title

    return title(period)


@transaction.atomic
def start_report(*, actor, period) -> Report:
    require(actor, ReportStart.START, period)
    ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()  # one start at a time
    require(actor, ReportStart.START, period)
    return _create(period, actor)


def _create(period, actor) -> Report:
    public = ClassificationLevel.objects.filter(scheme=actor.organisation.scheme_id, rank=0).first()
    report = Report.objects.create(period=period, title=default_title(period), classification=public)
    record(actor=actor, verb=Verb.REPORT_CREATED, obj=report, after=snapshot(report, ["title", "state", "version"]))
    return report


def start_when_prepared(sender, *, period, state, actor, **kwargs) -> None:
    """Every organisation agreed to prepare the report: start it if no one has yet."""
    if state == PeriodState.IN_PREPARATION and not Report.objects.filter(period=period).exists():
        _create(period, actor)
