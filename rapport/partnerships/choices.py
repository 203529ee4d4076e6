from django.db import models
from django.utils.translation import pgettext_lazy


class Cadence(models.TextChoices):
    SEMI_ANNUAL = "semi-annual", pgettext_lazy("reporting cadence", "Semi-annual")
    ANNUAL = "annual", pgettext_lazy("reporting cadence", "Annual")


class MandateKind(models.TextChoices):
    JOINT_DECLARATION = "joint_declaration", pgettext_lazy("mandate kind", "Joint declaration")
    PROPOSAL_SET = "proposal_set", pgettext_lazy("mandate kind", "Common set of proposals")
    COUNCIL_CONCLUSIONS = "council_conclusions", pgettext_lazy("mandate kind", "Council conclusions")
    NAC_DECISION = "nac_decision", pgettext_lazy("mandate kind", "North Atlantic Council decision")
    DEMONSTRATION = "demonstration", pgettext_lazy("mandate kind", "Demonstration data (not a mandate)")


class AssessmentKind(models.TextChoices):
    COMPLETION = "completion", pgettext_lazy("assessment kind", "Completion scale")
    SCORE = "score", pgettext_lazy("assessment kind", "Score")
