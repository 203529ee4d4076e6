from django.db import models


class Cadence(models.TextChoices):
    SEMI_ANNUAL = "semi-annual", "Semi-annual"
    ANNUAL = "annual", "Annual"


class MandateKind(models.TextChoices):
    JOINT_DECLARATION = "joint_declaration", "Joint declaration"
    PROPOSAL_SET = "proposal_set", "Common set of proposals"
    COUNCIL_CONCLUSIONS = "council_conclusions", "Council conclusions"
    NAC_DECISION = "nac_decision", "North Atlantic Council decision"
    DEMONSTRATION = "demonstration", "Demonstration data (not a mandate)"


class AssessmentKind(models.TextChoices):
    COMPLETION = "completion", "Completion scale"
    SCORE = "score", "Score"
