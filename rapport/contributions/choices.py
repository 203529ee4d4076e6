from django.db import models
from django.utils.translation import pgettext_lazy


class ContributionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contribution state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("contribution state", "Submitted")
    APPROVED = "approved", pgettext_lazy("contribution state", "Approved")
    RETURNED = "returned", pgettext_lazy("contribution state", "Returned")


class JointTextState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("joint text state", "Draft")
    IN_APPROVAL = "in_approval", pgettext_lazy("joint text state", "In approval")
    APPROVED = "approved", pgettext_lazy("joint text state", "Approved by all")
