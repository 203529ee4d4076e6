from django.db import models


class Kind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Escalation"
    MENTION = "mention", "Mention"
    WORKFLOW = "workflow", "Workflow"


# The audit verbs of this app (strings, as rapport.audit.record takes them).
NOTIFICATION_SENT = "notification.sent"
NOTIFICATIONS_READ = "notification.read"
