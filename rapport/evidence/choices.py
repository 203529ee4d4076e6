from django.db import models
from django.utils.translation import pgettext_lazy


class FormatKind(models.TextChoices):
    POLITICAL_MEETING = "political_meeting", pgettext_lazy("coordination format kind", "Political meeting")
    CROSS_BRIEFING = "cross_briefing", pgettext_lazy("coordination format kind", "Cross-briefing")
    STRUCTURED_DIALOGUE = "structured_dialogue", pgettext_lazy("coordination format kind", "Structured dialogue")
    TASK_FORCE = "task_force", pgettext_lazy("coordination format kind", "Task force")
    STAFF_COORDINATION = "staff_coordination", pgettext_lazy("coordination format kind", "Staff coordination")
    STAFF_TALKS = "staff_talks", pgettext_lazy("coordination format kind", "Staff talks")
    BODY = "body", pgettext_lazy("coordination format kind", "Body")


class ExerciseKind(models.TextChoices):
    PARALLEL_COORDINATED = "parallel_coordinated", pgettext_lazy("exercise kind", "Parallel and coordinated")
    PARALLEL = "parallel", pgettext_lazy("exercise kind", "Parallel")
    CRISIS_MANAGEMENT = "crisis_management", pgettext_lazy("exercise kind", "Crisis management")
