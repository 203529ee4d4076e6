"""Reporting periods: the spans of time each progress report covers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .choices import PeriodState


class ReportingPeriod(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="periods")
    ordinal = models.PositiveSmallIntegerField()
    start = models.DateField()
    end = models.DateField()
    contributions_due = models.DateField(null=True, blank=True)
    report_due = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=PeriodState.choices, default=PeriodState.PLANNED)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "ordinal"], name="period_unique_ordinal"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{ordinal_word(self.ordinal)} reporting period ({self.start:%B %Y} – {self.end:%B %Y})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "A period must end on or after its start."})

    @property
    def ordinal_word(self) -> str:
        return ordinal_word(self.ordinal)


_ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
             "seventeenth", "eighteenth", "nineteenth", "twentieth"]


def ordinal_word(n: int) -> str:
    if 0 <= n < len(_ORDINALS):
        return _ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
