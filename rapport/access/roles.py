"""The roles a user can hold. One role per user keeps responsibilities clear."""

from django.db import models


class Role(models.TextChoices):
    DRAFTER = "drafter", "Drafter"
    COORDINATOR = "coordinator", "Coordinator"
    APPROVER = "approver", "Approver"
    READER = "reader", "Reader"
    ADMINISTRATOR = "administrator", "Administrator"
