from django.db import models
from django.utils.translation import pgettext_lazy


class PeriodState(models.TextChoices):
    """A period's place in the yearly cycle, in order (see docs/cycle.md)."""

    PLANNED = "planned", pgettext_lazy("period state", "Planned")
    OPEN = "open", pgettext_lazy("period state", "Open for contributions")
    CONTRIBUTIONS_CLOSED = "contributions_closed", pgettext_lazy("period state", "Contributions closed")
    IN_PREPARATION = "in_preparation", pgettext_lazy("period state", "Report in preparation")
    IN_APPROVAL = "in_approval", pgettext_lazy("period state", "Report in approval")
    PUBLISHED = "published", pgettext_lazy("period state", "Report published")
    ARCHIVED = "archived", pgettext_lazy("period state", "Archived")


class PeriodStep(models.TextChoices):
    """The steps every organisation's coordinator agrees to; the period moves once all have."""

    OPEN = "open", pgettext_lazy("period step", "Open the period for contributions")
    CLOSE_CONTRIBUTIONS = "close_contributions", pgettext_lazy("period step", "Close contributions")
    PREPARE_REPORT = "prepare_report", pgettext_lazy("period step", "Start preparing the report")
    ARCHIVE = "archive", pgettext_lazy("period step", "Archive the period")


class Deadline(models.TextChoices):
    """The dated milestones of a period (fields of ReportingPeriod)."""

    CONTRIBUTIONS = "contributions_due", pgettext_lazy("deadline", "Contributions due")
    JOINT_TEXTS = "joint_texts_due", pgettext_lazy("deadline", "Joint texts due")
    APPROVAL = "approval_due", pgettext_lazy("deadline", "Report approval due")
    REPORT = "report_due", pgettext_lazy("deadline", "Report presented to the Councils")
