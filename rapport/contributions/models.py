"""What each organisation reports in a period: contributions, their immutable
revisions, and joint texts written together."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.evidence.models import EvidenceLinks
from rapport.markings.models import MarkedModel

from .choices import ContributionState, JointTextState
from .translations import DEFAULT_LANGUAGE, LANGUAGE_CHOICES, Translated


class Contribution(MarkedModel, EvidenceLinks, Translated):
    """One organisation's account of progress on one commitment in one period.

    Its narrative says its language and may hold a translation into the other one
    (``translations.Translated``): in the same row, so marked and approved with it."""

    TRANSLATED = ("narrative",)

    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="contributions")
    commitment = models.ForeignKey("commitments.Commitment", on_delete=models.PROTECT, related_name="contributions")
    period = models.ForeignKey("periods.ReportingPeriod", on_delete=models.PROTECT, related_name="contributions")
    narrative = models.TextField()
    assessment = models.ForeignKey(
        "partnerships.AssessmentValue", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=gettext_lazy("This organisation's own assessment on the partnership's scheme."),
    )
    state = models.CharField(max_length=20, choices=ContributionState.choices, default=ContributionState.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text=gettext_lazy("Raised by every edit; a stale edit is refused."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_revision = models.ForeignKey(
        "ContributionRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=gettext_lazy("The exact revision the approver approved."),
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("contribution")
        verbose_name_plural = gettext_lazy("contributions")
        ordering = ["period__ordinal", "commitment__order", "commitment__ref", "organisation__key"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "commitment", "period"], name="contribution_one_per_org_commitment_period"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.commitment.ref}, period {self.period.ordinal}"

    @classmethod
    def extra_visibility(cls, user, orgs):
        # Drafts and returned texts stay with the staff of the organisation that writes
        # them: the other organisation, and member-state delegations, see a contribution
        # once it is submitted.
        shared = Q(state__in=[ContributionState.SUBMITTED, ContributionState.APPROVED])
        return shared | Q(organisation_id=user.organisation_id) if user.organisation_id else shared

    @classmethod
    def publication_filter(cls):
        return Q(state=ContributionState.APPROVED)

    def clean(self) -> None:
        errors = {}
        partnership = self.commitment.partnership if self.commitment_id else None
        if partnership is not None:
            if self.period_id and self.period.partnership_id != partnership.pk:
                errors["period"] = _("The period belongs to another partnership.")
            if self.organisation_id and not partnership.organisations.filter(pk=self.organisation_id).exists():
                errors["organisation"] = _("The organisation is not in this partnership.")
            if self.assessment_id and self.assessment.scheme_id != partnership.assessment_scheme_id:
                errors["assessment"] = _("%(value)s is not a value of the partnership's scheme %(scheme)s.") % {
                    "value": repr(self.assessment.label), "scheme": repr(partnership.assessment_scheme.name)}
        if errors:
            raise ValidationError(errors)


class ContributionRevision(models.Model):
    """An immutable snapshot of a contribution at one version; approvals point at one."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    narrative = models.TextField()
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE)
    translations = models.JSONField(default=dict, blank=True)
    assessment = models.ForeignKey("partnerships.AssessmentValue", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    classification = models.ForeignKey("markings.ClassificationLevel", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("contribution revision")
        verbose_name_plural = gettext_lazy("contribution revisions")
        ordering = ["contribution", "version"]
        constraints = [models.UniqueConstraint(fields=["contribution", "version"], name="revision_unique_version")]

    def __str__(self) -> str:
        return f"{self.contribution}, version {self.version}"


class JointText(MarkedModel, Translated):
    """A text on one commitment in one period that the organisations write together;
    it needs the approval of every organisation in the partnership. Its translation is
    part of it: editing it is an edit (a new version, approvals cleared)."""

    TRANSLATED = ("text",)

    commitment = models.ForeignKey("commitments.Commitment", on_delete=models.PROTECT, related_name="joint_texts")
    period = models.ForeignKey("periods.ReportingPeriod", on_delete=models.PROTECT, related_name="joint_texts")
    text = models.TextField()
    state = models.CharField(max_length=20, choices=JointTextState.choices, default=JointTextState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("joint text")
        verbose_name_plural = gettext_lazy("joint texts")
        constraints = [models.UniqueConstraint(fields=["commitment", "period"], name="joint_text_one_per_commitment_period")]

    def __str__(self) -> str:
        return f"Joint text on {self.commitment.ref}, period {self.period.ordinal}"

    def clean(self) -> None:
        if self.commitment_id and self.period_id and self.period.partnership_id != self.commitment.partnership_id:
            raise ValidationError({"period": _("The period belongs to another partnership.")})

    @classmethod
    def publication_filter(cls):
        return Q(state=JointTextState.APPROVED)


class JointTextApproval(models.Model):
    joint_text = models.ForeignKey(JointText, on_delete=models.CASCADE, related_name="approvals")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(help_text=gettext_lazy("The version of the text this approval is for."))
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("joint text approval")
        verbose_name_plural = gettext_lazy("joint text approvals")
        constraints = [models.UniqueConstraint(fields=["joint_text", "organisation"], name="joint_text_one_approval_per_org")]

    def __str__(self) -> str:
        return f"{self.organisation} approval of {self.joint_text} (version {self.version})"
