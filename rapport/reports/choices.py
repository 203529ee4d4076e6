from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by every organisation")
    PUBLISHED = "published", _("Published")


class CouncilActionKind(models.TextChoices):
    WELCOMED = "welcomed", _("Welcomed in conclusions")
    TOOK_NOTE = "took_note", _("Took note")
    NOTED_IN_CONCLUSIONS = "noted_in_conclusions", _("Noted in conclusions")
    PRESENTED = "presented", _("Presented")


class PartState(models.TextChoices):
    """Where a part of the report (a highlight, an outlook item, a Council action) stands in
    its joint workflow. Only approved parts enter the report's editions."""

    DRAFT = "draft", _("Draft")
    IN_APPROVAL = "in_approval", _("In approval")
    APPROVED = "approved", _("Approved by every organisation")
