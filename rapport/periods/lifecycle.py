"""Where a period is in the cycle, and what may be written in it on a given day.

The policy rules of contributions, joint texts and reports ask these questions;
they are answered here once, from the period's state, its deadlines and the
extensions coordinators granted.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapport.core.clock import today

from .choices import PeriodState, PeriodStep

S = PeriodState
# step -> (the state it starts from, the state it leads to)
STEPS = {
    PeriodStep.OPEN: (S.PLANNED, S.OPEN),
    PeriodStep.CLOSE_CONTRIBUTIONS: (S.OPEN, S.CONTRIBUTIONS_CLOSED),
    PeriodStep.PREPARE_REPORT: (S.CONTRIBUTIONS_CLOSED, S.IN_PREPARATION),
    PeriodStep.ARCHIVE: (S.PUBLISHED, S.ARCHIVED),
}
NEXT_STEP = {before: step for step, (before, _) in STEPS.items()}
# Nothing is written in a period whose report is published.
FINAL = frozenset({S.PUBLISHED, S.ARCHIVED})
# Contributions are approved or returned, and joint texts written, until the report goes for approval.
WORKING = frozenset({S.OPEN, S.CONTRIBUTIONS_CLOSED, S.IN_PREPARATION})
# After the contributions deadline, an extension lets one organisation write on one commitment.
EXTENSIBLE = WORKING


def deadline_passed(period, day=None) -> bool:
    day = day or today()
    return period.contributions_due is not None and day > period.contributions_due


def extension_for(period, commitment_id, organisation_id, day=None):
    from .models import Extension

    day = day or today()
    return Extension.objects.filter(period=period, commitment_id=commitment_id, organisation_id=organisation_id,
                                    until__gte=day).first()


def contribution_refusal(period, commitment_id, organisation_id) -> str | None:
    """Why an organisation may not write its contribution on a commitment in this period today
    (None: it may)."""
    if period.state == S.OPEN and not deadline_passed(period):
        return None
    if period.state in EXTENSIBLE and extension_for(period, commitment_id, organisation_id) is not None:
        return None
    if period.state in EXTENSIBLE:
        if period.contributions_due:
            return _("the contributions deadline of the %(period)s period has passed (%(date)s): writing needs an "
                     "extension from the organisation's coordinator") % {
                "period": period.ordinal_word, "date": date_format(period.contributions_due, "j F Y")}
        return _("the contributions deadline of the %(period)s period has passed: writing needs an extension "
                 "from the organisation's coordinator") % {"period": period.ordinal_word}
    return _("the %(period)s period is not open for writing (%(state)s)") % {
        "period": period.ordinal_word, "state": period.get_state_display().lower()}


def working_refusal(period) -> str | None:
    """Why approving, returning or writing joint texts is closed in this period (None: open)."""
    if period.state in WORKING:
        return None
    return _("the %(period)s period is not open for this (%(state)s)") % {
        "period": period.ordinal_word, "state": period.get_state_display().lower()}


def days_left(date, day=None) -> int | None:
    return None if date is None else (date - (day or today())).days


# Moves the cycle makes on its own (the report's workflow), for the diagram: (from, to, why).
AUTOMATIC = (
    (S.IN_PREPARATION, S.IN_APPROVAL, "an organisation approves the report"),
    (S.IN_APPROVAL, S.IN_PREPARATION, "the last approval is withdrawn or cleared"),
    (S.OPEN, S.PUBLISHED, "a coordinator publishes the approved report"),
    (S.CONTRIBUTIONS_CLOSED, S.PUBLISHED, "a coordinator publishes the approved report"),
    (S.IN_PREPARATION, S.PUBLISHED, "a coordinator publishes the approved report"),
    (S.IN_APPROVAL, S.PUBLISHED, "a coordinator publishes the approved report"),
)


def mermaid() -> str:
    """The cycle as a Mermaid state diagram (docs/cycle.md holds this text; a test keeps them equal).
    In English, as the docs are."""
    with translation.override("en"):
        labels = {s: str(s.label) for s in S}
        steps = {step: str(step.label).lower() for step in STEPS}
    lines = ["stateDiagram-v2", f"    [*] --> {S.PLANNED.value}"]
    lines += [f"    {s.value}: {labels[s]}" for s in S]
    lines += [f"    {a.value} --> {b.value}: every coordinator agrees to {steps[step]}"
              for step, (a, b) in STEPS.items()]
    lines += [f"    {a.value} --> {b.value}: {why}" for a, b, why in AUTOMATIC]
    lines.append(f"    {S.ARCHIVED.value} --> [*]")
    return "\n".join(lines)
