from django.db import models

from rapport.audit.verbs import Verb


class Kind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Escalation"
    MENTION = "mention", "Mention"
    WORKFLOW = "workflow", "Workflow"


# The audit verbs of this app, named here for its modules and tests.
NOTIFICATION_SENT = Verb.NOTIFICATION_SENT
NOTIFICATIONS_READ = Verb.NOTIFICATIONS_READ
