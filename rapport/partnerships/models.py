"""Who is in the partnership and what founds it: organisations, member states and
their memberships over time, the partnership with its principles and assessment
scheme, the mandates and the areas of cooperation they introduced."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.models import SourcedModel
from rapport.markings.models import MarkedModel

from .choices import AssessmentKind, Cadence, MandateKind

# Names in other languages -------------------------------------------------------


def translated(obj, field: str, language: str | None = None) -> str:
    """``obj.field`` in ``language`` (by default the active one): the record's own translation
    where it holds one (``translations = {"fr": {"name": "..."}}``), else the field itself.

    The one place that picks a reference record's name for a language; pages, reports and the
    console call it (or the ``local_*`` properties built on it) rather than reading the JSON."""
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    found = (getattr(obj, "translations", None) or {}).get(code) or {}
    value = found.get(field) if isinstance(found, dict) else None
    return value if isinstance(value, str) and value.strip() else getattr(obj, field)


def translations_field() -> models.JSONField:
    return models.JSONField(default=dict, blank=True, help_text=gettext_lazy(
        "The record's names in other languages, by language code, e.g. {\"fr\": {\"name\": \"…\"}}."))


# Reference data ---------------------------------------------------------------


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations are reference data (names, schemes): public by nature, like the partnership."""
        return self.all()


class Organisation(models.Model):
    key = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=20)
    council = models.CharField(max_length=200, help_text=gettext_lazy("The body that takes note of the joint report."))
    scheme = models.ForeignKey("markings.ClassificationScheme", on_delete=models.PROTECT, related_name="organisations")
    colour = models.CharField(max_length=7, default="#444444")
    default_level = models.ForeignKey(
        "markings.ClassificationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=gettext_lazy("The marking a new contribution starts at; empty means the writer always chooses."),
    )
    translations = translations_field()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("organisation")
        verbose_name_plural = gettext_lazy("organisations")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def local_name(self) -> str:
        return translated(self, "name")

    @property
    def local_council(self) -> str:
        return translated(self, "council")

    def clean(self) -> None:
        # Staff mark in their own scheme, so the default must be one of its levels.
        if self.default_level_id and self.scheme_id and self.default_level.scheme_id != self.scheme_id:
            raise ValidationError({"default_level": _("The default level must be a level of the organisation's own scheme.")})


class MemberState(SourcedModel):
    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        verbose_name = gettext_lazy("member state")
        verbose_name_plural = gettext_lazy("member states")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def organisations_on(self, on: datetime.date) -> list[Organisation]:
        return [m.organisation for m in self.memberships.current(on).select_related("organisation")]


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships in force on a date: joined on or before it, not yet left."""
        on = on or timezone.localdate()
        return self.filter(Q(joined__lte=on) & (Q(left__isnull=True) | Q(left__gt=on)))


class Membership(models.Model):
    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateField()
    left = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("membership")
        verbose_name_plural = gettext_lazy("memberships")
        ordering = ["organisation__key", "joined", "state__name"]
        constraints = [
            models.UniqueConstraint(fields=["state", "organisation", "joined"], name="membership_unique_spell"),
            models.CheckConstraint(condition=Q(left__isnull=True) | Q(left__gt=models.F("joined")), name="membership_left_after_joined"),
        ]

    def __str__(self) -> str:
        return f"{self.state} in {self.organisation} from {self.joined}"

    def clean(self) -> None:
        if self.left and self.left <= self.joined:
            raise ValidationError({"left": _("A membership must end after it starts.")})


class AssessmentScheme(models.Model):
    key = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class AssessmentValue(models.Model):
    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="values")
    key = models.SlugField()
    label = models.CharField(max_length=100)
    score = models.SmallIntegerField(help_text=gettext_lazy("Order on the scale; for compliance schemes the score itself."))
    colour = models.CharField(max_length=7, default="#999999")

    class Meta:
        verbose_name = gettext_lazy("assessment value")
        verbose_name_plural = gettext_lazy("assessment values")
        ordering = ["scheme__key", "score"]
        constraints = [models.UniqueConstraint(fields=["scheme", "key"], name="assessment_value_unique_key")]

    def __str__(self) -> str:
        return self.label


class Partnership(models.Model):
    key = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    organisations = models.ManyToManyField(Organisation, related_name="partnerships")
    assessment_scheme = models.ForeignKey(AssessmentScheme, on_delete=models.PROTECT, related_name="partnerships")
    other_schemes = models.ManyToManyField(
        AssessmentScheme, blank=True, related_name="+", help_text=gettext_lazy("Further scales contributions may also be scored on.")
    )
    reporting_cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.ANNUAL)
    remind_days_before = models.PositiveSmallIntegerField(
        default=14, help_text=gettext_lazy("Days before a deadline that 'rapport remind' reminds those it concerns."))
    escalate_after_days = models.PositiveSmallIntegerField(
        default=7, help_text=gettext_lazy("Days after a missed deadline that the coordinator is told."))
    translations = translations_field()

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The partnership's name in the active language where it has one (pages name it so)."""
        return translated(self, "name")

    def principle_list(self) -> list[str]:
        return [p.text for p in self.agreed_principles()]

    def agreed_principles(self) -> list[Principle]:
        """The agreed guiding principles, in order: reports quote each in their language
        (``Principle.translations``) where it has a form in it."""
        return list(self.principles.filter(agreed=True))


class Principle(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="principles")
    key = models.SlugField()
    text = models.CharField(max_length=300)
    agreed = models.BooleanField(default=True, help_text=gettext_lazy("One of the agreed guiding principles quoted in reports."))
    order = models.PositiveSmallIntegerField(default=0)
    sources = models.JSONField(default=list, blank=True)
    translations = translations_field()

    class Meta:
        verbose_name = gettext_lazy("principle")
        verbose_name_plural = gettext_lazy("principles")
        ordering = ["partnership", "order"]
        constraints = [models.UniqueConstraint(fields=["partnership", "key"], name="principle_unique_key")]

    def __str__(self) -> str:
        return self.text


# Content ----------------------------------------------------------------------


class Mandate(MarkedModel, SourcedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="mandates")
    key = models.SlugField(max_length=80)
    kind = models.CharField(max_length=30, choices=MandateKind.choices)
    title = models.CharField(max_length=400)
    date = models.DateField()
    issued_by = models.ManyToManyField(Organisation, related_name="mandates_issued")
    summary = models.TextField(blank=True)
    proposal_count = models.PositiveSmallIntegerField(null=True, blank=True, help_text=gettext_lazy("Authoritative count of a proposal set."))
    count_variants = models.JSONField(default=list, blank=True, help_text=gettext_lazy("Other counts found in sources, with notes."))
    translations = translations_field()

    class Meta:
        verbose_name = gettext_lazy("mandate")
        verbose_name_plural = gettext_lazy("mandates")
        ordering = ["date", "key"]
        constraints = [models.UniqueConstraint(fields=["partnership", "key"], name="mandate_unique_key")]

    def __str__(self) -> str:
        return self.title

    @property
    def local_title(self) -> str:
        return translated(self, "title")


class Area(MarkedModel, SourcedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(max_length=60)
    code = models.CharField(max_length=6)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    introduced_by = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="areas_introduced")
    order = models.PositiveSmallIntegerField(default=0)
    translations = translations_field()

    class Meta:
        verbose_name = gettext_lazy("area")
        verbose_name_plural = gettext_lazy("areas")
        ordering = ["order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="area_unique_key"),
            models.UniqueConstraint(fields=["partnership", "code"], name="area_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        return translated(self, "name")
