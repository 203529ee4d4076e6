"""Suggested material for the report's highlights, and adopting one.

A suggestion is an approved contribution of the report's period that the coordinator may
read, on a commitment no visible highlight of the report is linked to yet, that either

* is assessed in the two highest values of the partnership's assessment scheme
  (substantial or complete on the EU–NATO completion scale), or
* carries an assessment other than its organisation's approved contribution on the same
  commitment in the previous period (as far as the coordinator may read that one),

and that every organisation of the partnership may read (PUBLIC, or releasable to each):
a highlight is a joint part approved by every organisation, so it can quote only what
each of them may read. Everything is counted and listed in the database, through
``visible_to(user)``: a contribution the coordinator may not read is never proposed.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from rapport.access.policy import require
from rapport.commitments.models import Commitment
from rapport.contributions.choices import ContributionState
from rapport.contributions.models import Contribution
from rapport.core.errors import InputError, NotFound
from rapport.markings.models import ClassificationLevel
from rapport.periods.models import ReportingPeriod

from .models import Highlight
from .parts import EVIDENCE, create_highlight
from .rules import PartAction

LIMIT = 20  # suggestions shown at once (the page keeps its size)
SHORT = 400  # characters of the contribution's narrative a new highlight starts from


def _top_scores(partnership) -> list[int]:
    scores = sorted(partnership.assessment_scheme.values.values_list("score", flat=True), reverse=True)
    return scores[:2]


def suggestions(user, report):
    """A queryset of suggested contributions (annotated with ``previous_assessment_id``)."""
    period = report.period
    partnership = period.partnership
    org_count = partnership.organisations.count()
    previous = ReportingPeriod.objects.filter(partnership=partnership, ordinal=period.ordinal - 1).first()
    visible = Contribution.objects.visible_to(user)
    before = (visible.filter(period=previous, state=ContributionState.APPROVED, organisation=OuterRef("organisation"),
                             commitment=OuterRef("commitment")).values("assessment_id")[:1]
              if previous else Contribution.objects.none().values("assessment_id"))
    linked = Highlight.objects.visible_to(user).filter(report=report, commitments=OuterRef("commitment"))
    qs = (visible.filter(period=period, state=ContributionState.APPROVED,
                         commitment__in=Commitment.objects.visible_to(user).filter(partnership=partnership))
          .annotate(previous_assessment_id=Subquery(before),
                    shared_with=Count("releasable_to", filter=Q(releasable_to__partnerships=partnership),
                                      distinct=True))
          .filter(Q(classification__rank=0) | Q(shared_with__gte=org_count))
          .filter(Q(assessment__score__in=_top_scores(partnership))
                  | (Q(previous_assessment_id__isnull=False) & ~Q(previous_assessment_id=F("assessment_id"))))
          .exclude(Exists(linked)))
    return qs.select_related("commitment", "organisation", "assessment", "classification").order_by(
        "commitment__order", "commitment__ref", "organisation__key")


def shorten(text: str, limit: int = SHORT) -> str:
    """The first paragraph, cut at a word before ``limit`` characters (an ellipsis says so)."""
    first = text.strip().split("\n\n")[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


@transaction.atomic
def adopt_suggestion(*, actor, report, contribution_id) -> Highlight:
    """A draft highlight from a suggested contribution: linked to its commitment and to the
    evidence it cites that the actor may read, its narrative shortened as a starting point,
    marked no lower than the contribution (the same rank in the actor's own scheme) and
    releasable to every organisation (which a suggestion always is)."""
    require(actor, PartAction.WRITE, report)
    try:
        pk = int(contribution_id)
    except (TypeError, ValueError):
        raise InputError("choose a suggested contribution", field="contribution") from None
    found = suggestions(actor, report).filter(pk=pk).first() if 0 < pk <= 2**63 - 1 else None
    if found is None:  # missing, hidden, or no longer a suggestion: one answer
        raise NotFound("suggestion")
    own = actor.organisation.scheme_id
    level = ClassificationLevel.objects.filter(scheme_id=own, rank=found.classification.rank).first()
    if level is None:
        raise InputError("your organisation's scheme has no level equal to the contribution's", field="classification")
    links = {"commitments": [found.commitment_id]}
    for kind, model in EVIDENCE.items():
        links[kind] = list(model.objects.visible_to(actor).filter(pk__in=getattr(found, kind).values("pk"))
                           .values_list("pk", flat=True))
    return create_highlight(actor=actor, report=report, text=shorten(found.narrative), classification=level,
                            releasable_to=list(report.period.partnership.organisations.all()), links=links)
