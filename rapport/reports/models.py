"""The joint progress report of a period: its highlights and outlook, each
organisation's approval, and what each Council did with it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from rapport.contributions.translations import Translated
from rapport.core.models import SourcedModel
from rapport.evidence.models import EvidenceLinks
from rapport.markings.models import MarkedModel

from .choices import CouncilActionKind, PartState, ReportState


class Report(MarkedModel, SourcedModel):
    period = models.OneToOneField("periods.ReportingPeriod", on_delete=models.PROTECT, related_name="report")
    title = models.CharField(max_length=400)
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    presented_on = models.DateField(null=True, blank=True)
    presented_note = models.CharField(max_length=200, blank=True, help_text="Precision note where the exact day is not known.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["period__ordinal"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def publication_filter(cls):
        return Q(state=ReportState.PUBLISHED)


class ReportPart(models.Model):
    """What every part of the report written in the browser carries: its place in the joint
    workflow (rapport/reports/parts.py), the version approvals are for, and who wrote it.
    Rows written outside the services (the data loader) say their state themselves."""

    state = models.CharField(max_length=20, choices=PartState.choices, default=PartState.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every edit; approvals are for one version.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Highlight(MarkedModel, EvidenceLinks, ReportPart, Translated):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="highlights")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    commitments = models.ManyToManyField("commitments.Commitment", blank=True, related_name="highlights")

    class Meta:
        ordering = ["report", "order"]

    def __str__(self) -> str:
        return self.text[:80]

    @classmethod
    def publication_filter(cls):
        return Q(report__state=ReportState.PUBLISHED, state=PartState.APPROVED)


class Outlook(MarkedModel, ReportPart, Translated):
    """A forward-looking commitment the report states (what the organisations will do next)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="outlook")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["report", "order"]

    def __str__(self) -> str:
        return self.text[:80]

    @classmethod
    def publication_filter(cls):
        return Q(report__state=ReportState.PUBLISHED, state=PartState.APPROVED)


class CouncilAction(MarkedModel, ReportPart, Translated):
    """What one organisation's Council did with the report, on its own."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="council_actions")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30, choices=CouncilActionKind.choices)
    date = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "date", "organisation__key"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_action_display().lower()} the {self.report.period.ordinal_word} report"

    @classmethod
    def publication_filter(cls):
        return Q(report__state=ReportState.PUBLISHED, state=PartState.APPROVED)


class ReportText(MarkedModel, ReportPart, Translated):
    """A paragraph the coordinators write for the report: in its introduction (no area), or
    the joint text on one area of cooperation (shown at the head of that area's section)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="texts")
    area = models.ForeignKey("partnerships.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="The area the text is about; empty for the report's introduction.")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["report", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if self.area_id and self.report_id and self.area.partnership_id != self.report.period.partnership_id:
            raise ValidationError({"area": "The area belongs to another partnership."})

    @classmethod
    def publication_filter(cls):
        return Q(report__state=ReportState.PUBLISHED, state=PartState.APPROVED)


class ReportApproval(models.Model):
    """One organisation's approval of a report version; withdrawal keeps the row."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="approvals")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "organisation"], condition=Q(withdrawn_at__isnull=True),
                name="report_one_standing_approval_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} approval of {self.report} (version {self.version})"


# The links of a part approval to its part, one per kind of part.
PART_LINKS = ("highlight", "outlook", "council_action", "text")


def _exactly_one(fields) -> Q:
    return Q(*(Q(**{f"{f}__isnull": f != chosen for f in fields}) for chosen in fields), _connector=Q.OR)


class PartApproval(models.Model):
    """One organisation's approval of one version of a report part (exactly one of the
    links is set). Any edit or return deletes a part's approvals: a new version needs new ones."""

    highlight = models.ForeignKey(Highlight, null=True, blank=True, on_delete=models.CASCADE, related_name="approvals")
    text = models.ForeignKey(ReportText, null=True, blank=True, on_delete=models.CASCADE, related_name="approvals")
    outlook = models.ForeignKey(Outlook, null=True, blank=True, on_delete=models.CASCADE, related_name="approvals")
    council_action = models.ForeignKey(CouncilAction, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="approvals")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(help_text="The version of the part this approval is for.")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_exactly_one(PART_LINKS), name="part_approval_one_part"),
            models.UniqueConstraint(fields=["highlight", "organisation"], name="part_approval_one_per_org_highlight"),
            models.UniqueConstraint(fields=["outlook", "organisation"], name="part_approval_one_per_org_outlook"),
            models.UniqueConstraint(fields=["council_action", "organisation"],
                                    name="part_approval_one_per_org_council_action"),
            models.UniqueConstraint(fields=["text", "organisation"], name="part_approval_one_per_org_text"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} approval of a report part (version {self.version})"


class SealedEdition(MarkedModel):
    """One edition of a report in one format, frozen: the canonical document it was
    rendered from and the SHA-256 of both. It carries the marking of that document."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="sealed_editions")
    edition = models.CharField(max_length=80, help_text="Canonical edition name, e.g. public or eu:R-UE.")
    format = models.CharField(max_length=10)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the rendered file.")
    content_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical document JSON.")
    content = models.TextField(help_text="The canonical document JSON the file was rendered from.")
    language = models.CharField(max_length=8, default="en", help_text="The language the edition is written in.")
    filename = models.CharField(max_length=200)
    sealed_at = models.DateTimeField(auto_now_add=True)
    sealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["report", "edition", "format"]
        constraints = [
            models.UniqueConstraint(fields=["report", "edition", "format", "language"],
                                    name="sealed_edition_one_per_format_and_language"),
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.edition} ({self.format}) sealed"

    @classmethod
    def publication_filter(cls):
        # A report can be sealed once approved; the public sees its editions only after publication.
        return Q(report__state=ReportState.PUBLISHED)


class DownloadTally(models.Model):
    """Signed-out downloads of one edition file, counted per day instead of one audit entry each."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="download_tallies")
    edition = models.CharField(max_length=80)
    format = models.CharField(max_length=10)
    language = models.CharField(max_length=5, default="en", help_text="The report language of the files: en or fr.")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["report", "day", "edition", "format", "language"]
        constraints = [
            models.UniqueConstraint(fields=["report", "edition", "format", "language", "day"],
                                    name="download_tally_one_per_day_and_language"),
        ]

    def __str__(self) -> str:
        return (f"{self.count} public download(s) of {self.report} ({self.edition}, {self.format}, {self.language}) "
                f"on {self.day}")
