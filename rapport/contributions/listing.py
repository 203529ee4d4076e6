"""Narrowing a list of commitments: by text, area, mandate, the reader's own responsibilities,
and the contributions of one period (an organisation's, an assessment, a state). The
commitment page's filter form and the API's commitment list both narrow with this, so the
two filter alike. Conditions on contributions count only those the reader may read."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from .choices import ContributionState
from .models import Contribution

NOT_ASSESSED = "none"  # the assessment filter's value for "no assessment given yet"
DONE = (ContributionState.SUBMITTED, ContributionState.APPROVED)
REPORTED, MISSING = "reported", "missing"  # status filter values beside the states
STATUSES = (REPORTED, MISSING, *ContributionState.values)


def narrow_commitments(commitments, user, period, *, q="", area=None, mandate=None, mine=False, organisation=None,
                       assessment="", status=""):
    """A visible commitment queryset narrowed by the given filters (values already checked)."""
    for word in (q or "").split():
        commitments = commitments.filter(Q(ref__icontains=word) | Q(title__icontains=word) | Q(text__icontains=word))
    if area:
        commitments = commitments.filter(area=area)
    if mandate:
        commitments = commitments.filter(mandate=mandate)
    if mine:  # the commitments the reader's organisation made them responsible for
        commitments = commitments.filter(responsibilities__user=user)
    if period is not None and (organisation or assessment or status):
        contribs = Contribution.objects.visible_to(user).filter(commitment=OuterRef("pk"), period=period)
        if organisation:
            contribs = contribs.filter(organisation=organisation)
        if assessment == NOT_ASSESSED:
            commitments = commitments.exclude(Exists(contribs.filter(assessment__isnull=False)))
        elif assessment:
            commitments = commitments.filter(Exists(contribs.filter(assessment__key=assessment)))
        if status == MISSING:  # nothing submitted or approved (by the organisation, if one is chosen)
            commitments = commitments.exclude(Exists(contribs.filter(state__in=DONE)))
        elif status and status != REPORTED:
            commitments = commitments.filter(Exists(contribs.filter(state=status)))
        elif status == REPORTED or (organisation and not assessment):
            commitments = commitments.filter(Exists(contribs))
    return commitments
