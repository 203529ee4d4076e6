"""Users: each belongs to one organisation or to a member-state delegation,
holds one role and a clearance in their organisation's scheme."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .roles import Role

# How long an account that must use two-factor sign-in and has no authenticator may set one up
# with its password alone, from when its way in was handed over (made, a new sign-in link, a reset
# second factor, a role or an organisation's setting that now requires it).
ENROL_WINDOW = datetime.timedelta(days=1)


def enrol_window_end() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() + ENROL_WINDOW


class AccountQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> AccountQuerySet:
        """Accounts a signed-in user may know of: their own, and their own organisation's staff.

        What each may do to an account is a rule (``console/rules.py``); an account of another
        organisation, or a delegation's, does not exist for them (404, as a missing one).
        """
        if viewer is None or not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
            return self.none()
        mine = Q(pk=viewer.pk)
        if viewer.organisation_id:
            mine |= Q(organisation_id=viewer.organisation_id)
        return self.filter(mine)


class AccountManager(UserManager.from_queryset(AccountQuerySet)):
    pass


class User(AbstractUser):
    organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    delegation = models.ForeignKey(
        "partnerships.MemberState", null=True, blank=True, on_delete=models.PROTECT, related_name="delegates",
        help_text=gettext_lazy("For member-state delegations: the state this user represents."),
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.READER)
    clearance = models.ForeignKey(
        "markings.ClassificationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=gettext_lazy("Highest marking this user may read (equivalent levels of other schemes included)."),
    )
    # Raised to end every session of the account at once ("sign out everywhere", a deactivation,
    # a two-factor reset): it is part of the session's hash, which Django checks on each request.
    session_generation = models.PositiveIntegerField(default=0)
    must_change_password = models.BooleanField(
        default=False, help_text=gettext_lazy("Set for a temporary password: the next sign-in must choose a new one."))
    enrol_by = models.DateTimeField(
        null=True, blank=True, default=enrol_window_end,
        help_text=gettext_lazy("Until when the account may set up its first authenticator at sign-in with its "
                               "password alone; empty: only after an administrator opens a new window (a sign-in "
                               "link, a reset)."))
    # The language of the pages chosen with the switch; empty: the browser's (Accept-Language).
    language = models.CharField(max_length=8, blank=True, default="",
                                choices=[("en", "English"), ("fr", "Français")])

    objects = AccountManager()

    def get_session_auth_hash(self) -> str:
        return salted_hmac("rapport.access.session", f"{self.password}:{self.session_generation}",
                           algorithm="sha256").hexdigest()

    def clean(self) -> None:
        super().clean()
        if self.organisation_id and self.delegation_id:
            raise ValidationError(_("A user belongs to an organisation or to a delegation, not both."))
        if self.delegation_id and self.role not in (Role.READER,):
            raise ValidationError({"role": _("Member-state delegations read; they do not draft or approve.")})

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
            return _("Delegation of %(state)s") % {"state": self.delegation.name}
        return _("No organisation")


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


class PasswordHistory(models.Model):
    """The hashes of an account's earlier passwords, so that none of the last few is chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"password of {self.user} set {self.set_at:%Y-%m-%d}"


class SignInFailure(models.Model):
    """One failed sign-in, for the limits across addresses and across accounts and on two-factor
    codes (``throttle.py``); rows older than the window are deleted as new ones come."""

    PASSWORD, PASSWORD_CHANGE, CODE = "password", "password_change", "code"

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(db_index=True)
    # A wrong password at sign-in, a wrong current password on the password-change page (both
    # count towards the same sign-in limits), or a wrong two-factor code (their own limit).
    kind = models.CharField(max_length=20, default=PASSWORD, db_index=True)

    def __str__(self) -> str:
        return f"failed sign-in as {self.username!r} at {self.at:%Y-%m-%d %H:%M}"


class RecoveryCode(models.Model):
    """A single-use recovery code for two-factor sign-in. Only its SHA-256 is kept: the code
    carries 120 random bits, so a plain hash is enough (ASVS 6.5.2)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user}{' (used)' if self.used_at else ''}"


class OrganisationSettings(models.Model):
    """What an organisation's administrators decide for their own staff."""

    organisation = models.OneToOneField("partnerships.Organisation", on_delete=models.CASCADE,
                                        related_name="account_settings")
    two_factor_roles = models.JSONField(
        default=list, help_text=gettext_lazy("Roles whose accounts must sign in with a second factor."))
    remind_days_before = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Days before a deadline reminders start; empty: the partnership's."))
    escalate_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Days after a deadline escalations go out; empty: the partnership's."))

    def __str__(self) -> str:
        return f"account settings of {self.organisation}"


class SignedInSession(models.Model):
    """A session an account signed in with, so its owner can see and end each one. The session
    itself is Django's (``django_session``); this row names it and says where it came from."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()
    user_agent = models.CharField(max_length=200, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"session of {self.user} since {self.started_at:%Y-%m-%d %H:%M}"
