"""Quality checks on a contribution about to be submitted: warnings, never blocks.

* no assessment;
* a narrative shorter than ``settings.RAPPORT_MIN_NARRATIVE_WORDS`` words (default 30);
* the same narrative as the organisation's contribution on the commitment in the
  previous period;
* no evidence linked;
* an assessment changed with no change in the narrative (against the previous
  period's contribution, or against the revision before the last edit).

The previous period's contribution is read through ``visible_to(reader)``: a warning
never tells a reader anything about a text they may not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Contribution

DEFAULT_MIN_NARRATIVE_WORDS = 30


@dataclass(frozen=True)
class QualityWarning:
    code: str
    message: str


def min_narrative_words() -> int:
    return int(getattr(settings, "RAPPORT_MIN_NARRATIVE_WORDS", DEFAULT_MIN_NARRATIVE_WORDS))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def previous_contribution(contribution: Contribution, reader) -> Contribution | None:
    """The organisation's latest contribution on the commitment before this period, if the reader may read it."""
    return (Contribution.objects.visible_to(reader)
            .filter(organisation_id=contribution.organisation_id, commitment_id=contribution.commitment_id,
                    period__partnership_id=contribution.period.partnership_id,
                    period__ordinal__lt=contribution.period.ordinal)
            .order_by("-period__ordinal").only("narrative", "assessment_id").first())


def quality_warnings(contribution: Contribution, reader) -> list[QualityWarning]:
    """What an approver would ask about before this contribution is submitted (a fixed number of queries)."""
    found: list[QualityWarning] = []
    if contribution.assessment_id is None:
        found.append(QualityWarning("no_assessment", _("No assessment is given: say how far the commitment has come.")))
    words = len(contribution.narrative.split())
    minimum = min_narrative_words()
    if words < minimum:
        found.append(QualityWarning("short_narrative", ngettext("The narrative has %(words)s word; a contribution usually needs at least %(minimum)s.",
                                                         "The narrative has %(words)s words; a contribution usually needs at "
                                                         "least %(minimum)s.", words)
                                                % {"words": words, "minimum": minimum}))
    previous = previous_contribution(contribution, reader)
    same_as_previous = previous is not None and _same(previous.narrative, contribution.narrative)
    if same_as_previous:
        found.append(QualityWarning("same_as_previous", _("The narrative is the same as the previous period's: "
                                                   "say what happened in this period.")))
    if not any(getattr(contribution, kind).exists() for kind in ("formats", "meetings", "exercises", "activities")):
        found.append(QualityWarning("no_evidence", _("No evidence (meeting, exercise, format or activity) is linked.")))
    changed = same_as_previous and previous.assessment_id != contribution.assessment_id
    if not changed:
        last_two = list(contribution.revisions.order_by("-version").only("narrative", "assessment_id")[:2])
        changed = (len(last_two) == 2 and last_two[0].assessment_id != last_two[1].assessment_id
                   and _same(last_two[0].narrative, last_two[1].narrative))
    if changed:
        found.append(QualityWarning("assessment_without_narrative", _("The assessment changed but the narrative did not: "
                                                               "explain the change.")))
    return found
