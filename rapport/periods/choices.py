from django.db import models


class PeriodState(models.TextChoices):
    """A period's place in the yearly cycle, in order (see docs/cycle.md)."""

    PLANNED = "planned", "Planned"
    OPEN = "open", "Open for contributions"
    CONTRIBUTIONS_CLOSED = "contributions_closed", "Contributions closed"
    IN_PREPARATION = "in_preparation", "Report in preparation"
    IN_APPROVAL = "in_approval", "Report in approval"
    PUBLISHED = "published", "Report published"
    ARCHIVED = "archived", "Archived"


class PeriodStep(models.TextChoices):
    """The steps every organisation's coordinator agrees to; the period moves once all have."""

    OPEN = "open", "Open the period for contributions"
    CLOSE_CONTRIBUTIONS = "close_contributions", "Close contributions"
    PREPARE_REPORT = "prepare_report", "Start preparing the report"
    ARCHIVE = "archive", "Archive the period"


class Deadline(models.TextChoices):
    """The dated milestones of a period (fields of ReportingPeriod)."""

    CONTRIBUTIONS = "contributions_due", "Contributions due"
    JOINT_TEXTS = "joint_texts_due", "Joint texts due"
    APPROVAL = "approval_due", "Report approval due"
    REPORT = "report_due", "Report presented to the Councils"
