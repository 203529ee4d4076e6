"""Reporting periods: the spans of time each progress report covers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .choices import Deadline, PeriodState, PeriodStep


class PeriodQuerySet(models.QuerySet):
    def visible_to(self, user) -> PeriodQuerySet:
        """Periods are reference data (dates and states): public by nature, like the partnership."""
        return self.all()


class ReportingPeriod(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="periods")
    ordinal = models.PositiveSmallIntegerField()
    start = models.DateField()
    end = models.DateField()
    contributions_due = models.DateField(null=True, blank=True, help_text=gettext_lazy("Contributions due; after it, writing needs an extension."))
    joint_texts_due = models.DateField(null=True, blank=True)
    approval_due = models.DateField(null=True, blank=True, help_text=gettext_lazy("Every organisation's approval of the report due."))
    report_due = models.DateField(null=True, blank=True, help_text=gettext_lazy("The report presented to the Councils."))
    state = models.CharField(max_length=20, choices=PeriodState.choices, default=PeriodState.PLANNED)
    note = models.TextField(blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("reporting period")
        verbose_name_plural = gettext_lazy("reporting periods")
        ordering = ["partnership", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "ordinal"], name="period_unique_ordinal"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{english_ordinal(self.ordinal)} reporting period ({self.start:%B %Y} – {self.end:%B %Y})"

    @property
    def title(self) -> str:
        """The period as pages name it, in the active language: 'eighth reporting period (December
        2024 – November 2025)'. ``str(period)`` stays English, for the records (audit entries)."""
        return _("%(ordinal)s reporting period (%(start)s – %(end)s)") % {
            "ordinal": self.ordinal_word, "start": date_format(self.start, "F Y"), "end": date_format(self.end, "F Y")}

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A period must end on or after its start.")})
        order = [(d, getattr(self, d.value)) for d in Deadline]
        dated = [(d, v) for d, v in order if v is not None]
        for (first, a), (then, b) in zip(dated, dated[1:], strict=False):
            if b < a:
                raise ValidationError({then.value: _("%(deadline)s may not be before %(earlier)s (%(date)s).") % {
                    "deadline": then.label, "earlier": str(first.label).lower(), "date": date_format(a, "j F Y")}})

    @property
    def ordinal_word(self) -> str:
        """'eighth' (in French 'huitième': a period is feminine), in the active language."""
        return ordinal_word(self.ordinal)

    def deadlines(self) -> list[tuple[str, str, object]]:
        """(field, label, date) of the dated deadlines, in the order of the cycle."""
        return [(d.value, d.label, getattr(self, d.value)) for d in Deadline if getattr(self, d.value)]


class PeriodAgreement(models.Model):
    """One organisation's agreement, given by its coordinator, to a step of the period."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="agreements")
    step = models.CharField(max_length=30, choices=PeriodStep.choices)
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField()

    class Meta:
        verbose_name = gettext_lazy("period agreement")
        verbose_name_plural = gettext_lazy("period agreements")
        ordering = ["period", "step", "organisation"]
        constraints = [models.UniqueConstraint(fields=["period", "step", "organisation"], name="agreement_once")]

    def __str__(self) -> str:
        return f"{self.organisation} agrees: {self.get_step_display()} ({self.period})"


class ExtensionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExtensionQuerySet:
        """An extension is its organisation's business: its staff see it, on commitments they may see."""
        from rapport.commitments.models import Commitment

        if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
            return self.none()
        return self.filter(organisation_id=user.organisation_id,
                           commitment__in=Commitment.objects.visible_to(user).values("pk"))


class Extension(models.Model):
    """Writing on one commitment for one organisation after the contributions deadline, until a day."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="extensions")
    commitment = models.ForeignKey("commitments.Commitment", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="+")
    until = models.DateField()
    reason = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()

    objects = ExtensionQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("extension")
        verbose_name_plural = gettext_lazy("extensions")
        ordering = ["period", "commitment", "organisation"]
        constraints = [models.UniqueConstraint(fields=["period", "commitment", "organisation"], name="extension_once")]

    def __str__(self) -> str:
        return f"Extension for {self.organisation} on {self.commitment_id} until {self.until}"


_ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
             "seventeenth", "eighteenth", "nineteenth", "twentieth"]


# The same words in the active language, said of a reporting period (French: feminine).
_ORDINAL_WORDS = [
    pgettext_lazy("ordinal of a period", "zeroth"),
    pgettext_lazy("ordinal of a period", "first"),
    pgettext_lazy("ordinal of a period", "second"),
    pgettext_lazy("ordinal of a period", "third"),
    pgettext_lazy("ordinal of a period", "fourth"),
    pgettext_lazy("ordinal of a period", "fifth"),
    pgettext_lazy("ordinal of a period", "sixth"),
    pgettext_lazy("ordinal of a period", "seventh"),
    pgettext_lazy("ordinal of a period", "eighth"),
    pgettext_lazy("ordinal of a period", "ninth"),
    pgettext_lazy("ordinal of a period", "tenth"),
    pgettext_lazy("ordinal of a period", "eleventh"),
    pgettext_lazy("ordinal of a period", "twelfth"),
    pgettext_lazy("ordinal of a period", "thirteenth"),
    pgettext_lazy("ordinal of a period", "fourteenth"),
    pgettext_lazy("ordinal of a period", "fifteenth"),
    pgettext_lazy("ordinal of a period", "sixteenth"),
    pgettext_lazy("ordinal of a period", "seventeenth"),
    pgettext_lazy("ordinal of a period", "eighteenth"),
    pgettext_lazy("ordinal of a period", "nineteenth"),
    pgettext_lazy("ordinal of a period", "twentieth"),
]
_ORDINAL_SUFFIXES = {"st": pgettext_lazy("ordinal of a period", "%(number)sst"),
                     "nd": pgettext_lazy("ordinal of a period", "%(number)snd"),
                     "rd": pgettext_lazy("ordinal of a period", "%(number)srd"),
                     "th": pgettext_lazy("ordinal of a period", "%(number)sth")}


def _suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def english_ordinal(n: int) -> str:
    """The English word, whatever the active language (what a record says of itself)."""
    return _ORDINALS[n] if 0 <= n < len(_ORDINALS) else f"{n}{_suffix(n)}"


def ordinal_word(n: int) -> str:
    """The word in the active language: 'eighth', 'huitième'."""
    if 0 <= n < len(_ORDINALS):
        return str(_ORDINAL_WORDS[n])
    return str(_ORDINAL_SUFFIXES[_suffix(n)]) % {"number": n}


class CalendarFeed(models.Model):
    """A user's secret calendar address: only a hash of its token is kept, so the address is
    shown once, when it is made; making a new one or revoking it ends the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
