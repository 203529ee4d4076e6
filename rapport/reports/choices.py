from django.db import models


class ReportState(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved by every organisation"
    PUBLISHED = "published", "Published"


class CouncilActionKind(models.TextChoices):
    WELCOMED = "welcomed", "Welcomed in conclusions"
    TOOK_NOTE = "took_note", "Took note"
    NOTED_IN_CONCLUSIONS = "noted_in_conclusions", "Noted in conclusions"
    PRESENTED = "presented", "Presented"


class PartState(models.TextChoices):
    """Where a part of the report (a highlight, an outlook item, a Council action) stands in
    its joint workflow. Only approved parts enter the report's editions."""

    DRAFT = "draft", "Draft"
    IN_APPROVAL = "in_approval", "In approval"
    APPROVED = "approved", "Approved by every organisation"
