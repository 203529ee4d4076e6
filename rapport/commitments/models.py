"""Commitments (the "common proposals"): what the organisations endorsed together."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.models import SourcedModel
from rapport.markings.models import MarkedModel

from .choices import Confidence, Wording


class Commitment(MarkedModel, SourcedModel):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="commitments")
    ref = models.CharField(max_length=40, help_text=gettext_lazy("Stable reference, e.g. 2016-HYB-01 (set, area, number)."))
    mandate = models.ForeignKey("partnerships.Mandate", on_delete=models.PROTECT, related_name="commitments")
    area = models.ForeignKey("partnerships.Area", on_delete=models.PROTECT, related_name="commitments")
    themes = models.ManyToManyField("partnerships.Area", blank=True, related_name="themed_commitments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    title = models.CharField(max_length=200)
    text = models.TextField(help_text=gettext_lazy("What the commitment asks, in the project's own words."))
    wording = models.CharField(max_length=20, choices=Wording.choices, default=Wording.PUBLIC_SUMMARY)
    confidence = models.CharField(max_length=10, choices=Confidence.choices, blank=True)
    due = models.DateField(null=True, blank=True, help_text=gettext_lazy("Date of a dated deliverable, where the commitment sets one."))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("commitment")
        verbose_name_plural = gettext_lazy("commitments")
        ordering = ["order", "ref"]
        constraints = [models.UniqueConstraint(fields=["partnership", "ref"], name="commitment_unique_ref")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def clean(self) -> None:
        errors = {}
        if self.mandate_id and self.partnership_id and self.mandate.partnership_id != self.partnership_id:
            errors["mandate"] = _("The mandate belongs to another partnership.")
        if self.area_id and self.partnership_id and self.area.partnership_id != self.partnership_id:
            errors["area"] = _("The area belongs to another partnership.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("A commitment cannot be its own parent.")
        if errors:
            raise ValidationError(errors)


class LeadUnit(models.Model):
    """The unit of one organisation that leads work on a commitment."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="lead_units")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.CharField(max_length=200)

    class Meta:
        verbose_name = gettext_lazy("lead unit")
        verbose_name_plural = gettext_lazy("lead units")
        ordering = ["organisation__key"]
        constraints = [models.UniqueConstraint(fields=["commitment", "organisation"], name="lead_unit_one_per_org")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.unit}"


class Responsibility(models.Model):
    """A member of an organisation's staff responsible for its work on a commitment. Each
    organisation names its own; the names stay with that organisation."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="responsibilities")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responsibilities")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()

    class Meta:
        verbose_name = gettext_lazy("responsibility")
        verbose_name_plural = gettext_lazy("responsibilities")
        ordering = ["commitment", "organisation", "user__username"]
        constraints = [models.UniqueConstraint(fields=["commitment", "user"], name="responsibility_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.commitment_id}"
