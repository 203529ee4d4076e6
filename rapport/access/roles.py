"""The roles a user can hold. One role per user keeps responsibilities clear."""

from django.db import models
from django.utils.translation import gettext_lazy


class Role(models.TextChoices):
    DRAFTER = "drafter", gettext_lazy("Drafter")
    COORDINATOR = "coordinator", gettext_lazy("Coordinator")
    APPROVER = "approver", gettext_lazy("Approver")
    READER = "reader", gettext_lazy("Reader")
    ADMINISTRATOR = "administrator", gettext_lazy("Administrator")
