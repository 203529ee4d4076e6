from django.db import models
from django.utils.translation import pgettext_lazy

from rapport.audit.verbs import Verb


class Kind(models.TextChoices):
    REMINDER = "reminder", pgettext_lazy("notification kind", "Reminder")
    OVERDUE = "overdue", pgettext_lazy("notification kind", "Overdue")
    ESCALATION = "escalation", pgettext_lazy("notification kind", "Escalation")
    MENTION = "mention", pgettext_lazy("notification kind", "Mention")
    WORKFLOW = "workflow", pgettext_lazy("notification kind", "Workflow")


# The audit verbs of this app, named here for its modules and tests.
NOTIFICATION_SENT = Verb.NOTIFICATION_SENT
NOTIFICATIONS_READ = Verb.NOTIFICATIONS_READ
