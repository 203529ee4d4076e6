"""Users: each belongs to one organisation or to a member-state delegation,
holds one role and a clearance in their organisation's scheme."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from .roles import Role


class User(AbstractUser):
    organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    delegation = models.ForeignKey(
        "partnerships.MemberState", null=True, blank=True, on_delete=models.PROTECT, related_name="delegates",
        help_text="For member-state delegations: the state this user represents.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.READER)
    clearance = models.ForeignKey(
        "markings.ClassificationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Highest marking this user may read (equivalent levels of other schemes included).",
    )

    def clean(self) -> None:
        super().clean()
        if self.organisation_id and self.delegation_id:
            raise ValidationError("A user belongs to an organisation or to a delegation, not both.")
        if self.delegation_id and self.role not in (Role.READER,):
            raise ValidationError({"role": "Member-state delegations read; they do not draft or approve."})

    @property
    def clearance_rank(self) -> int:
        return self.clearance.rank if self.clearance_id else 0

    def reading_organisations(self, on: datetime.date | None = None) -> list[int]:
        """Organisations whose releasable content this user may read.

        Staff read for their own organisation; a delegation reads for every
        organisation its state belongs to on the given date (today by default).
        """
        if not self.is_authenticated or not self.is_active:
            return []
        if self.organisation_id:
            return [self.organisation_id]
        if self.delegation_id:
            from rapport.partnerships.models import Membership

            return list(Membership.objects.current(on).filter(state_id=self.delegation_id).values_list("organisation_id", flat=True))
        return []

    def affiliation(self) -> str:
        if self.organisation_id:
            return self.organisation.short_name
        if self.delegation_id:
            return f"Delegation of {self.delegation.name}"
        return "No organisation"


class FailedSignIns(models.Model):
    """Failed sign-ins on one account in one day, counted: the first of the day is an audit
    entry, the rest only raise the count, so nobody can grow the audit log by guessing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="failed_sign_ins_one_per_day")]

    def __str__(self) -> str:
        return f"{self.count} failed sign-in(s) of {self.user} on {self.day}"
