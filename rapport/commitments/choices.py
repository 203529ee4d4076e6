from django.db import models
from django.utils.translation import pgettext_lazy


class Wording(models.TextChoices):
    PUBLIC_SUMMARY = "public_summary", pgettext_lazy("commitment wording", "Summarised from public sources")
    NOT_PUBLIC = "not_public", pgettext_lazy("commitment wording", "Wording not public")
    FULL_TEXT = "full_text", pgettext_lazy("commitment wording", "Full agreed text")


class Confidence(models.TextChoices):
    HIGH = "high", pgettext_lazy("confidence", "High")
    MEDIUM = "medium", pgettext_lazy("confidence", "Medium")
    LOW = "low", pgettext_lazy("confidence", "Low")
