"""The report's approval workflow: each organisation approves on its own, in any
order; an approval can be withdrawn until publication; a coordinator publishes
once every organisation's approval stands, which seals the public edition in
every format. One organisation's approval never stands in for another's."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from rapport.access.policy import require
from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.core.text import MESSAGE, clean_text
from rapport.periods.choices import PeriodState
from rapport.periods.services import move

from .choices import ReportState
from .languages import LANGUAGES
from .models import Report, ReportApproval
from .rules import ReportAction
from .sealing import seal_edition

AUDITED = ["state", "version"]


def _locked(report) -> Report:
    qs = Report.objects.select_for_update() if transaction.get_connection().features.has_select_for_update else Report.objects
    return qs.get(pk=report.pk)


def _close(period, actor) -> None:
    """A published report's period is final: nothing more is written, approved or returned in it."""
    if period.state in (PeriodState.PUBLISHED, PeriodState.ARCHIVED):
        return
    before = snapshot(period, ["state"])
    period.state = PeriodState.PUBLISHED
    period.save(update_fields=["state"])
    record(actor=actor, verb=Verb.PERIOD_CLOSED, obj=period, before=before, after=snapshot(period, ["state"]),
           message="closed by the publication of its report")


def standing_approvals(report):
    return report.approvals.filter(withdrawn_at__isnull=True)


def _settle_state(report, actor) -> None:
    needed = set(report.period.partnership.organisations.values_list("pk", flat=True))
    have = set(standing_approvals(report).values_list("organisation_id", flat=True))
    report.state = ReportState.APPROVED if needed <= have else ReportState.DRAFT
    # The period is "in approval" while a prepared report has approvals standing.
    period = report.period
    if have and period.state == PeriodState.IN_PREPARATION:
        move(period, PeriodState.IN_APPROVAL, actor=actor, why="an organisation approved the report")
    elif not have and period.state == PeriodState.IN_APPROVAL:
        move(period, PeriodState.IN_PREPARATION, actor=actor, why="no approval of the report stands")


@transaction.atomic
def approve_report(*, actor, report, message: str = "") -> Report:
    message = clean_text(message, field="message", max_length=MESSAGE, what="the message")
    require(actor, ReportAction.APPROVE, report)
    current = _locked(report)
    require(actor, ReportAction.APPROVE, current)
    before = snapshot(current, AUDITED)
    ReportApproval.objects.create(report=current, organisation_id=actor.organisation_id, version=current.version,
                                  approver=actor, message=message)
    _settle_state(current, actor)
    current.save(update_fields=["state"])
    record(actor=actor, verb=Verb.REPORT_APPROVED, obj=current, before=before, after=snapshot(current, AUDITED),
           message=message or f"approved for {actor.organisation.short_name}")
    return current


@transaction.atomic
def withdraw_report_approval(*, actor, report, message: str) -> Report:
    message = clean_text(message, field="message", required=True, max_length=MESSAGE, what="the reason", missing="say why the approval is withdrawn")
    require(actor, ReportAction.WITHDRAW_APPROVAL, report)
    current = _locked(report)
    require(actor, ReportAction.WITHDRAW_APPROVAL, current)
    before = snapshot(current, AUDITED)
    approval = standing_approvals(current).get(organisation_id=actor.organisation_id)
    approval.withdrawn_at, approval.withdrawn_by = timezone.now(), actor
    approval.message = (approval.message + "\n" if approval.message else "") + f"Withdrawn: {message}"
    approval.save()
    _settle_state(current, actor)
    current.save(update_fields=["state"])
    record(actor=actor, verb=Verb.REPORT_APPROVAL_WITHDRAWN, obj=current, before=before,
           after=snapshot(current, AUDITED), message=message)
    return current


def clear_approvals(sender, *, actor, period, obj, **kwargs) -> None:
    """The approved content of the period changed (contributions/signals.py): an approval was
    given for the content its approvers saw, so every standing approval of the period's report
    is cleared, in the same transaction, and the report is a new version."""
    report = _locked_for(period)
    if report is None or report.state == ReportState.PUBLISHED:
        return  # a published report stands as approved (Council actions are recorded after it)
    standing = list(standing_approvals(report))
    if not standing:
        return
    before = snapshot(report, AUDITED)
    reason = f"Cleared: {obj} changed the report's content."
    for approval in standing:
        approval.withdrawn_at, approval.withdrawn_by = timezone.now(), actor
        approval.message = (approval.message + "\n" if approval.message else "") + reason
        approval.save(update_fields=["withdrawn_at", "withdrawn_by", "message"])
    report.version += 1
    _settle_state(report, actor)
    report.save(update_fields=["version", "state"])
    record(actor=actor, verb=Verb.REPORT_APPROVALS_CLEARED, obj=report, before=before,
           after={**snapshot(report, AUDITED), "cleared_for": sorted(a.organisation_id for a in standing)},
           message=reason)


def _locked_for(period) -> Report | None:
    qs = Report.objects.select_for_update() if transaction.get_connection().features.has_select_for_update else Report.objects
    return qs.filter(period=period).first()


@transaction.atomic
def publish_report(*, actor, report, message: str = "") -> Report:
    message = clean_text(message, field="message", max_length=MESSAGE, what="the message")
    require(actor, ReportAction.PUBLISH, report)
    current = _locked(report)
    require(actor, ReportAction.PUBLISH, current)
    before = snapshot(current, AUDITED)
    current.state = ReportState.PUBLISHED
    current.save(update_fields=["state"])
    record(actor=actor, verb=Verb.REPORT_PUBLISHED, obj=current, before=before, after=snapshot(current, AUDITED),
           message=message)
    _close(current.period, actor)
    # Publishing releases the public edition, and that edition is sealed as it is released, in
    # every language Rapport writes it in.
    seal_edition(actor=actor, period=current.period, edition="public", languages=list(LANGUAGES))
    return current
