from django.db import models


class FormatKind(models.TextChoices):
    POLITICAL_MEETING = "political_meeting", "Political meeting"
    CROSS_BRIEFING = "cross_briefing", "Cross-briefing"
    STRUCTURED_DIALOGUE = "structured_dialogue", "Structured dialogue"
    TASK_FORCE = "task_force", "Task force"
    STAFF_COORDINATION = "staff_coordination", "Staff coordination"
    STAFF_TALKS = "staff_talks", "Staff talks"
    BODY = "body", "Body"


class ExerciseKind(models.TextChoices):
    PARALLEL_COORDINATED = "parallel_coordinated", "Parallel and coordinated"
    PARALLEL = "parallel", "Parallel"
    CRISIS_MANAGEMENT = "crisis_management", "Crisis management"
