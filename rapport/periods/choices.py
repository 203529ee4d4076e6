from django.db import models


class PeriodState(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open for contributions"
    CLOSED = "closed", "Closed"
