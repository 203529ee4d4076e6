"""Every change to a reporting period goes through these functions: ask the policy,
re-read and lock the row and ask again, validate, write, and append an audit entry.

Steps of the cycle are joint acts: each organisation's coordinator agrees for their
own organisation, and the period moves when the last one agrees. An extension is
one organisation's business: its audit entry is internal to that organisation.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.access.policy import require
from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.core.clock import today
from rapport.core.errors import InputError
from rapport.core.text import MESSAGE, clean_text
from rapport.markings.models import internal_level, stricter
from rapport.markings.querysets import get_visible_or_404
from rapport.partnerships.choices import Cadence

from .choices import Deadline, PeriodState, PeriodStep
from .lifecycle import STEPS
from .models import Extension, PeriodAgreement, ReportingPeriod
from .rules import PeriodAction
from .signals import period_moved

DEADLINES = [d.value for d in Deadline]


def _locked(period) -> ReportingPeriod:
    qs = ReportingPeriod.objects
    if transaction.get_connection().features.has_select_for_update:
        qs = qs.select_for_update()
    return qs.select_related("partnership").get(pk=period.pk)


def _step(value) -> PeriodStep:
    try:
        return PeriodStep(value)
    except ValueError:
        raise InputError(_("%(value)s is not a step of the cycle (%(steps)s)")
                         % {"value": repr(value), "steps": ", ".join(PeriodStep.values)}, field="step") from None


@transaction.atomic
def agree(*, actor, period, step) -> ReportingPeriod:
    """The actor's organisation agrees to the step; the period moves once every organisation has."""
    step = _step(step)
    require(actor, PeriodAction.AGREE, period, step=step)
    current = _locked(period)
    require(actor, PeriodAction.AGREE, current, step=step)
    PeriodAgreement.objects.create(period=current, step=step, organisation_id=actor.organisation_id,
                                   agreed_by=actor, agreed_at=timezone.now())
    with translation.override("en"):  # the audit log's own words
        step_name = str(step.label).lower()
    record(actor=actor, verb=Verb.PERIOD_AGREED, obj=current, after={"step": step.value},
           message=f"{actor.organisation.short_name} agrees: {step_name}")
    needed = set(current.partnership.organisations.values_list("pk", flat=True))
    agreed = set(current.agreements.filter(step=step).values_list("organisation_id", flat=True))
    if needed <= agreed:
        move(current, STEPS[step][1], actor=actor, why=f"every organisation agreed: {step_name}")
    return current


def move(period, state, *, actor, why: str) -> None:
    """Put the period in a state and say so in the log (callers hold the row and checked the rule)."""
    if period.state == state:
        return
    before = snapshot(period, ["state"])
    period.state = state
    period.save(update_fields=["state"])
    record(actor=actor, verb=Verb.PERIOD_MOVED, obj=period, before=before, after=snapshot(period, ["state"]),
           message=why)
    period_moved.send(sender=ReportingPeriod, period=period, state=state, actor=actor)


@transaction.atomic
def set_deadlines(*, actor, period, **dates) -> ReportingPeriod:
    """Change some of the period's deadlines (a value of None clears one)."""
    unknown = set(dates) - set(DEADLINES)
    if unknown:
        raise InputError(_("not a deadline: %(names)s") % {"names": ", ".join(sorted(unknown))}, field=sorted(unknown)[0])
    require(actor, PeriodAction.SET_DEADLINES, period)
    current = _locked(period)
    require(actor, PeriodAction.SET_DEADLINES, current)
    before = snapshot(current, DEADLINES)
    for name, value in dates.items():
        if value is not None and not isinstance(value, datetime.date):
            raise InputError(_("%(value)s is not a date") % {"value": repr(value)}, field=name)
        setattr(current, name, value)
    try:
        current.full_clean()
    except ValidationError as e:
        field, messages = next(iter(e.message_dict.items()))
        raise InputError(" ".join(messages), field=field) from None
    current.save(update_fields=list(dates))
    after = snapshot(current, DEADLINES)
    if after != before:
        record(actor=actor, verb=Verb.PERIOD_DEADLINES_SET, obj=current, before=before, after=after)
    return current


@transaction.atomic
def grant_extension(*, actor, period, commitment, until, reason: str) -> Extension:
    """Let the actor's organisation write on one commitment after the contributions deadline."""
    from rapport.commitments.models import Commitment

    reason = clean_text(reason, field="reason", required=True, max_length=MESSAGE, what=gettext_lazy("the reason"),
                        missing=gettext_lazy("say why the extension is granted"))
    commitment = get_visible_or_404(Commitment.objects, actor, pk=commitment.pk)
    require(actor, PeriodAction.GRANT_EXTENSION, period, commitment=commitment)
    current = _locked(period)
    require(actor, PeriodAction.GRANT_EXTENSION, current, commitment=commitment)
    if not isinstance(until, datetime.date):
        raise InputError(_("%(value)s is not a date") % {"value": repr(until)}, field="until")
    if until < today():
        raise InputError(_("an extension runs until today or a later day"), field="until")
    if current.approval_due and until > current.approval_due:
        raise InputError(_("an extension ends by the report approval deadline (%(date)s)")
                         % {"date": date_format(current.approval_due, "j F Y")}, field="until")
    extension = Extension.objects.update_or_create(
        period=current, commitment=commitment, organisation_id=actor.organisation_id,
        defaults={"until": until, "reason": reason, "granted_by": actor, "granted_at": timezone.now()})[0]
    org = actor.organisation
    record(actor=actor, verb=Verb.EXTENSION_GRANTED, obj=extension,
           object_repr=f"{commitment.ref}: extension for {org.short_name}",
           after={"until": until.isoformat(), "commitment": commitment.ref}, message=reason,
           classification=stricter(commitment.classification, internal_level(org.scheme_id)), releasable_to=[org])
    return extension


def _shift(day: datetime.date | None, months: int) -> datetime.date | None:
    if day is None:
        return None
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def plan_next(*, actor, period) -> ReportingPeriod:
    """Plan the period after this one from the partnership's cadence, its deadlines shifted alike."""
    require(actor, PeriodAction.PLAN_NEXT, period)
    current = _locked(period)
    require(actor, PeriodAction.PLAN_NEXT, current)
    months = 6 if current.partnership.reporting_cadence == Cadence.SEMI_ANNUAL else 12
    start = current.end + datetime.timedelta(days=1)
    nxt = ReportingPeriod(partnership=current.partnership, ordinal=current.ordinal + 1, start=start,
                          end=_shift(start, months) - datetime.timedelta(days=1), state=PeriodState.PLANNED,
                          note=f"Planned in Rapport from the {current.partnership.get_reporting_cadence_display().lower()} "
                               "cadence; the deadlines follow the previous period's.",
                          **{name: _shift(getattr(current, name), months) for name in DEADLINES})
    nxt.full_clean()
    nxt.save()
    record(actor=actor, verb=Verb.PERIOD_PLANNED, obj=nxt, after=snapshot(nxt, ["start", "end", "state", *DEADLINES]))
    return nxt
