"""The joint report between instances: each organisation approves on its own instance, and its
instance sends the approval as a signed statement naming the SHA-256 of the public edition's
content as approved (``basis``: the public document without the approvals themselves).

An instance counts a peer's approval only if the statement verifies against the peer's pinned
key and names the same content as its own public edition holds; when the peer stops sending it
(withdrawn, or cleared by a change), it is withdrawn here too. Publication then needs every
organisation's approval standing, and a peer's only while its statement still verifies and
still names the content (``rules.peer_approvals_verified``), so both instances publish the same
public edition: the same content and, rendered, the same bytes."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.audit.record import record, snapshot
from rapport.reports.assemble import assemble
from rapport.reports.choices import ReportState
from rapport.reports.editions import resolve_edition
from rapport.reports.models import Report, ReportApproval
from rapport.reports.records import person  # the report names people as it does: one function
from rapport.reports.workflow import AUDITED, _settle_state, standing_approvals

from . import statements
from .models import Package, Peer, Statement

KIND = "report"
RECEIVED = "federation.report_approval_received"
WITHDRAWN = "federation.report_approval_withdrawn"
NOT_COUNTED = "federation.report_approval_not_counted"


def basis(period) -> str:
    """The SHA-256 of the public edition's content as its approvers approve it."""
    edition = resolve_edition(period.partnership, "public", period)
    return assemble(period, edition, approvals=False).content_sha256()


def subject_of(report: Report) -> str:
    return statements.report_subject(report.period.partnership.key, report.period.ordinal)


def reports_to_send(own):
    """The reports still to publish: a published report is final on each instance."""
    return (Report.objects.filter(period__partnership__organisations=own).exclude(state=ReportState.PUBLISHED)
            .select_related("period__partnership").order_by("period__ordinal"))


def content(report: Report, own) -> dict:
    """The exchanged form: the report's period and this organisation's signed approval, if one stands."""
    approval = standing_approvals(report).filter(organisation=own).select_related("approver").first()
    items = []
    if approval is not None:
        items.append(statements.sign_approval(organisation=own, subject=subject_of(report),
                                              digest=basis(report.period), approver=person(approval.approver),
                                              at=approval.approved_at))
    return {"partnership": report.period.partnership.key, "period": report.period.ordinal, "approvals": items}


CONTENT_FIELDS = {"partnership": str, "period": int, "approvals": list}


@dataclass
class ResolvedReport:
    report: Report | None
    period: object
    content: dict
    approvals: list


def resolve(content: dict, lookups, peer: Peer) -> ResolvedReport:
    from .contents import BadContent, period_of

    period = period_of(content, CONTENT_FIELDS, lookups)
    subject = statements.report_subject(content["partnership"], content["period"])
    if len(content["approvals"]) > 1:
        raise BadContent("approvals", _("more than one approval of the organisation"))
    approvals = []
    for item in content["approvals"]:
        try:
            statements.check(item, peer, subject)
        except statements.BadStatement as exc:
            raise BadContent("approvals", str(exc)) from None
        approvals.append(item)
    return ResolvedReport(Report.objects.filter(period=period).first(), period, content, approvals)


def receive(peer: Peer, made: Package, item: ResolvedReport, outcome) -> None:
    report = item.report
    if report is not None and report.state == ReportState.PUBLISHED:
        outcome.unchanged += 1
        return
    if report is None:
        outcome.unchanged += 1
        if item.approvals:
            outcome.notes.append(f"report of period {item.period.ordinal}: not started here, so "
                                 f"{peer.organisation.short_name}'s approval waits for the next package")
        return
    standing = standing_approvals(report).filter(organisation=peer.organisation).first()
    before = snapshot(report, AUDITED)
    subject = subject_of(report)
    if item.approvals:
        body = item.approvals[0]["body"]
        kept = statements.keep(item.approvals[0], peer, made)
        statements.withdraw(peer, subject, keep_digest=body["digest"])
        ours = basis(report.period)
        if body["digest"] == ours:
            if standing is not None:
                kept.approval_id = standing.pk
                kept.save(update_fields=["approval_id"])
                outcome.unchanged += 1
                return
            approval = ReportApproval.objects.create(
                report=report, organisation=peer.organisation, version=report.version, approver=peer.actor,
                message=f"Signed by {peer.organisation.short_name}'s instance for {body['approver']}.")
            kept.approval_id = approval.pk
            kept.save(update_fields=["approval_id"])
            _settle_state(report, peer.actor)
            report.save(update_fields=["state"])
            record(actor=peer.actor, verb=RECEIVED, obj=report, before=before, after=snapshot(report, AUDITED),
                   message=f"Approved for {peer.organisation.short_name} by {body['approver']}: signed statement "
                           f"verified, public content sha256 {ours} (package {made.sequence}, sha256 {made.sha256}).")
            outcome.updated += 1
            return
        outcome.notes.append(f"report of period {item.period.ordinal}: {peer.organisation.short_name} approved other "
                             f"content (sha256 {body['digest'][:12]}…, here {ours[:12]}…); not counted")
        record(actor=peer.actor, verb=NOT_COUNTED, obj=report,
               message=f"{peer.organisation.short_name}'s signed approval names public content sha256 "
                       f"{body['digest']}, but this instance holds {ours}: not counted until both hold the same "
                       f"(package {made.sequence}).")
    else:
        statements.withdraw(peer, subject)
    if standing is None:
        outcome.unchanged += 1
        return
    standing.withdrawn_at, standing.withdrawn_by = timezone.now(), peer.actor
    standing.message = (standing.message + "\n" if standing.message else "") + "Withdrawn by the peer's instance."
    standing.save(update_fields=["withdrawn_at", "withdrawn_by", "message"])
    _settle_state(report, peer.actor)
    report.save(update_fields=["state"])
    record(actor=peer.actor, verb=WITHDRAWN, obj=report, before=before, after=snapshot(report, AUDITED),
           message=f"{peer.organisation.short_name}'s approval no longer stands on its instance "
                   f"(package {made.sequence}, sha256 {made.sha256}).")
    outcome.updated += 1


def missing_approval(report: Report, own) -> str:
    """Why the report may not be published on this instance yet, or "": this organisation's own
    approval standing, and for every other organisation its instance's signed statement of the
    current public content, standing and verifying against the pinned key. Read from the
    evidence, not from the report's state or the approval rows, which the database could hold
    otherwise."""
    from .models import Peer

    actors = set(Peer.objects.values_list("actor_id", flat=True))
    if not standing_approvals(report).filter(organisation=own).exclude(approver_id__in=actors).exists():
        return f"{own.short_name} has no standing approval of the report"
    peers = {p.organisation_id: p for p in Peer.objects.select_related("organisation")}
    digest = None
    for org in report.period.partnership.organisations.exclude(pk=own.pk).order_by("key"):
        if org.pk not in peers:
            return f"{org.short_name} is not a pinned peer, so its approval cannot be checked"
        digest = digest or basis(report.period)
        found = Statement.objects.filter(organisation=org, subject=subject_of(report), digest=digest,
                                         peer=peers[org.pk]).select_related("peer").first()
        if found is None or not statements.verified(found):
            return f"{org.short_name}'s approval is not backed by its instance's signed statement of this content"
    return ""
