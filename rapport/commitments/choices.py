from django.db import models


class Wording(models.TextChoices):
    PUBLIC_SUMMARY = "public_summary", "Summarised from public sources"
    NOT_PUBLIC = "not_public", "Wording not public"
    FULL_TEXT = "full_text", "Full agreed text"


class Confidence(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
