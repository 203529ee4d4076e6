"""Assigning work on a commitment: the actor's organisation's lead unit and responsible staff.

As every write: ask the policy (a commitment the actor may not see answers as a missing
one), validate, write, and record. The entry is internal to the organisation, like the
names it holds.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.access.policy import require
from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.core.errors import InputError
from rapport.core.text import clean_text
from rapport.markings.models import internal_level, stricter
from rapport.markings.querysets import is_visible

from .models import Commitment, LeadUnit, Responsibility
from .rules import CommitmentAction


@transaction.atomic
def assign(*, actor, commitment: Commitment, unit: str, staff) -> None:
    """Set the actor's organisation's lead unit ("" for not named) and responsible staff."""
    require(actor, CommitmentAction.ASSIGN, commitment)
    unit = clean_text(unit or "", field="unit", max_length=200, what=gettext_lazy("the lead unit"))
    org = actor.organisation
    staff = list(staff)
    for person in staff:
        if getattr(person, "organisation_id", None) != org.pk or not person.is_active:
            raise InputError(_("%(person)s is not active staff of %(organisation)s")
                             % {"person": person.username, "organisation": org.short_name}, field="staff")
        if not is_visible(commitment, person):
            raise InputError(_("%(person)s may not read %(ref)s") % {"person": person.username, "ref": commitment.ref},
                             field="staff")
    before = _state(commitment, org)
    if unit:
        LeadUnit.objects.update_or_create(commitment=commitment, organisation=org, defaults={"unit": unit})
    else:
        LeadUnit.objects.filter(commitment=commitment, organisation=org).delete()
    Responsibility.objects.filter(commitment=commitment, organisation=org).exclude(user__in=staff).delete()
    have = set(Responsibility.objects.filter(commitment=commitment, organisation=org).values_list("user_id", flat=True))
    Responsibility.objects.bulk_create([
        Responsibility(commitment=commitment, organisation=org, user=p, assigned_by=actor, assigned_at=timezone.now())
        for p in staff if p.pk not in have])
    after = _state(commitment, org)
    if after != before:
        record(actor=actor, verb=Verb.COMMITMENT_ASSIGNED, obj=commitment, before=before, after=after,
               object_repr=f"{commitment.ref}: assignment of {org.short_name}",
               classification=stricter(commitment.classification, internal_level(org.scheme_id)),
               releasable_to=[org])


def _state(commitment, org) -> dict:
    unit = LeadUnit.objects.filter(commitment=commitment, organisation=org).values_list("unit", flat=True).first()
    staff = sorted(Responsibility.objects.filter(commitment=commitment, organisation=org)
                   .values_list("user__username", flat=True))
    return {"unit": unit or "", "staff": staff}
