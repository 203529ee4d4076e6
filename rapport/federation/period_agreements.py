"""The reporting cycle between instances: a period moves a step (open, close contributions,
prepare the report, archive) only once every organisation's coordinator has agreed to it.
Each instance sends its own organisation's agreements as signed statements; a peer's counts
here for the step the period is at, and the period moves when every organisation's agreement
stands — on each instance, from the same agreements."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.audit.record import record
from rapport.periods.lifecycle import STEPS
from rapport.periods.models import PeriodAgreement, ReportingPeriod
from rapport.periods.services import move
from rapport.reports.records import person  # the report names people as it does: one function

from . import package, statements
from .models import Package, Peer

KIND = "period"
RECEIVED = "federation.period_agreement_received"


def subject(partnership: str, ordinal: int, step: str) -> str:
    return f"period:{partnership}:{ordinal}:{step}"


def digest(partnership: str, ordinal: int, step: str) -> str:
    """What an agreement names: the period and the step (the step's states are fixed by the cycle)."""
    return package.content_hash({"partnership": partnership, "period": ordinal, "step": step})


def periods_to_send(own):
    return (ReportingPeriod.objects.filter(partnership__organisations=own, agreements__organisation=own)
            .distinct().select_related("partnership").order_by("ordinal"))


def content(period: ReportingPeriod, own) -> dict:
    """This organisation's agreements to the step the period is at and to the step that brought
    it there (the peer may not have moved yet: this instance moved when it had the peer's
    agreement, the peer moves when it has ours). Older ones are history."""
    key = period.partnership.key
    steps = [step for step, (before, after) in STEPS.items() if period.state in (before, after)]
    items = [statements.sign_approval(organisation=own, subject=subject(key, period.ordinal, a.step),
                                      digest=digest(key, period.ordinal, a.step), approver=person(a.agreed_by),
                                      at=a.agreed_at)
             for a in period.agreements.filter(organisation=own, step__in=steps).select_related("agreed_by")
             .order_by("step")]
    return {"partnership": key, "period": period.ordinal, "agreements": items}


CONTENT_FIELDS = {"partnership": str, "period": int, "agreements": list}


@dataclass
class ResolvedPeriod:
    period: ReportingPeriod
    content: dict
    steps: list  # (step, statement item)


def resolve(content: dict, lookups, peer: Peer) -> ResolvedPeriod:
    from .contents import BadContent, period_of

    period = period_of(content, CONTENT_FIELDS, lookups)
    if len(content["agreements"]) > len(STEPS):
        raise BadContent("agreements", _("more agreements than the cycle has steps"))
    steps = []
    for item in content["agreements"]:
        body = item.get("body") if isinstance(item, dict) else None
        named = body.get("subject") if isinstance(body, dict) else None
        step = named.rsplit(":", 1)[-1] if isinstance(named, str) else ""
        if step not in STEPS:
            raise BadContent("agreements", _("an agreement to a step the cycle does not have"))
        try:
            statements.check(item, peer, subject(content["partnership"], content["period"], step))
        except statements.BadStatement as exc:
            raise BadContent("agreements", str(exc)) from None
        if body["digest"] != digest(content["partnership"], content["period"], step):
            raise BadContent("agreements", _("an agreement naming another period or step"))
        if step in {s for s, _item in steps}:
            raise BadContent("agreements", _("the same step twice"))
        steps.append((step, item))
    return ResolvedPeriod(period, content, steps)


def receive(peer: Peer, made: Package, item: ResolvedPeriod, outcome) -> None:
    """Count the peer's agreement to the step the period is at; move it once every organisation agreed."""
    period = ReportingPeriod.objects.select_related("partnership").get(pk=item.period.pk)
    changed = False
    for step, statement in item.steps:
        statements.keep(statement, peer, made)
        before, _after = STEPS[step]
        if period.state != before or period.agreements.filter(step=step, organisation=peer.organisation).exists():
            continue
        PeriodAgreement.objects.create(period=period, step=step, organisation=peer.organisation,
                                       agreed_by=peer.actor, agreed_at=timezone.now())
        record(actor=peer.actor, verb=RECEIVED, obj=period, after={"step": step},
               message=f"{peer.organisation.short_name} agrees: {step}, by {statement['body']['approver']} "
                       f"(signed statement verified, package {made.sequence}, sha256 {made.sha256}).")
        needed = set(period.partnership.organisations.values_list("pk", flat=True))
        agreed = set(period.agreements.filter(step=step).values_list("organisation_id", flat=True))
        if needed <= agreed:
            move(period, STEPS[step][1], actor=peer.actor, why=f"every organisation agreed: {step}")
        changed = True
    if changed:
        outcome.updated += 1
    else:
        outcome.unchanged += 1
