"""Evidence of implementation: coordination formats and their meetings, exercises,
partner countries and the capacity-building activities with them.

Formats, meetings, exercises and partner activities are described in words: each says the
language its name (or title) and description are written in, and may hold their translation
into the other language (``core.translations.Translated``), loaded with the record
(``seed/writers.py``) and checked as its other texts are. A partner country is named like an
organisation, not described: it has no language."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from rapport.core.models import SourcedModel
from rapport.core.translations import Translated
from rapport.markings.models import MarkedModel

from .choices import ExerciseKind, FormatKind


class CoordinationFormat(MarkedModel, SourcedModel, Translated):
    TRANSLATED = ("name", "description")

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="formats")
    key = models.SlugField(max_length=80)
    kind = models.CharField(max_length=30, choices=FormatKind.choices)
    name = models.CharField(max_length=200)
    started = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    commitments = models.ManyToManyField("commitments.Commitment", blank=True, related_name="formats")

    class Meta:
        verbose_name = gettext_lazy("coordination format")
        verbose_name_plural = gettext_lazy("coordination formats")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "key"], name="format_unique_key")]

    def __str__(self) -> str:
        return self.name


class Meeting(MarkedModel, SourcedModel, Translated):
    TRANSLATED = ("title", "summary")

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="meetings")
    key = models.SlugField(max_length=80)
    format = models.ForeignKey(CoordinationFormat, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    commitments = models.ManyToManyField("commitments.Commitment", blank=True, related_name="meetings")

    class Meta:
        verbose_name = gettext_lazy("meeting")
        verbose_name_plural = gettext_lazy("meetings")
        ordering = ["-date", "key"]
        constraints = [models.UniqueConstraint(fields=["partnership", "key"], name="meeting_unique_key")]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class Exercise(MarkedModel, SourcedModel, Translated):
    TRANSLATED = ("name", "description")

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="exercises")
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=ExerciseKind.choices)
    lead = models.ForeignKey("partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    commitments = models.ManyToManyField("commitments.Commitment", blank=True, related_name="exercises")

    class Meta:
        verbose_name = gettext_lazy("exercise")
        verbose_name_plural = gettext_lazy("exercises")
        ordering = ["start", "key"]
        constraints = [models.UniqueConstraint(fields=["partnership", "key"], name="exercise_unique_key")]

    def __str__(self) -> str:
        return self.name


class PartnerCountry(MarkedModel, SourcedModel):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="partner_countries")
    code = models.CharField(max_length=3)
    name = models.CharField(max_length=100)
    region = models.BooleanField(default=False, help_text=gettext_lazy("A region rather than a single country."))
    since = models.PositiveSmallIntegerField(null=True, blank=True, help_text=gettext_lazy("Year first named as a partner."))

    class Meta:
        verbose_name = gettext_lazy("partner country")
        verbose_name_plural = gettext_lazy("partner countries")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "code"], name="partner_country_unique_code")]

    def __str__(self) -> str:
        return self.name


class PartnerActivity(MarkedModel, SourcedModel, Translated):
    TRANSLATED = ("title", "description")

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="partner_activities")
    key = models.SlugField(max_length=80)
    country = models.ForeignKey(
        PartnerCountry, null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
        help_text=gettext_lazy("Empty for a programme that serves partners in general."),
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    period = models.ForeignKey("periods.ReportingPeriod", null=True, blank=True, on_delete=models.PROTECT, related_name="partner_activities")
    organisations = models.ManyToManyField("partnerships.Organisation", blank=True, related_name="+")
    commitments = models.ManyToManyField("commitments.Commitment", blank=True, related_name="partner_activities")

    class Meta:
        verbose_name = gettext_lazy("partner activity")
        verbose_name_plural = gettext_lazy("partner activities")
        ordering = ["country__name", "key"]
        constraints = [models.UniqueConstraint(fields=["partnership", "key"], name="partner_activity_unique_key")]

    def __str__(self) -> str:
        return self.title


class EvidenceLinks(models.Model):
    """Links from a statement (a contribution, a report highlight) to the evidence behind it."""

    formats = models.ManyToManyField(CoordinationFormat, blank=True, related_name="+")
    meetings = models.ManyToManyField(Meeting, blank=True, related_name="+")
    exercises = models.ManyToManyField(Exercise, blank=True, related_name="+")
    activities = models.ManyToManyField(PartnerActivity, blank=True, related_name="+")

    class Meta:
        abstract = True
