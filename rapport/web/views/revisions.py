"""Two revisions of a contribution side by side, with the words that changed.

Both revisions must belong to the contribution in the address, which the reader
must be able to see; a revision of another contribution, a revision marked above
the reader's clearance, a missing one and a malformed id all answer the same 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404

from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution, ContributionRevision
from rapport.core.translations import NAMES
from rapport.markings.models import LEVEL_MARKINGS
from rapport.markings.querysets import reader_scope

from ..converters import IdConverter
from ..rendering import page, page_marking, visible_or_404
from ..worddiff import word_diff

_ID = IdConverter.regex


def _revision_id(value: str | None):
    import re

    if value in (None, ""):
        return None
    if not re.fullmatch(_ID, value):
        raise Http404
    return int(value)


@login_required
def contribution_compare(request, pk: int):
    user = request.user
    contribution = visible_or_404(
        Contribution.objects.select_related("commitment", "period", "organisation").with_marking(), user, pk=pk)
    _, clearance, _ = reader_scope(user)
    # An old revision may carry a higher marking than the text has now: it is shown only to those cleared for it.
    revisions = list(ContributionRevision.objects.filter(contribution=contribution, classification__rank__lte=clearance)
                     .select_related("author", "assessment", "classification")
                     .prefetch_related(f"classification__{LEVEL_MARKINGS}").order_by("version"))
    by_id = {r.pk: r for r in revisions}
    a_id, b_id = _revision_id(request.GET.get("a")), _revision_id(request.GET.get("b"))
    if (a_id is not None and a_id not in by_id) or (b_id is not None and b_id not in by_id):
        raise Http404
    newest = revisions[-1] if revisions else None
    b = by_id[b_id] if b_id is not None else newest
    a = by_id[a_id] if a_id is not None else (revisions[-2] if len(revisions) > 1 else newest)
    left = right = []
    changed = False
    translated = []
    if a is not None and b is not None:
        left, right, changed = word_diff(a.narrative, b.narrative)
        translated = _translations_compared(a, b)
        marking = page_marking(request)
        names = [o.short_name for o in contribution.releasable_to.all()]
        for r in (a, b):
            marking.note(r.classification, names)
    commitment = Commitment.objects.visible_to(user).filter(pk=contribution.commitment_id).first()
    return page(request, "web/contributions/compare.html", {
        "nav": "commitments", "contribution": contribution, "commitment": commitment, "revisions": revisions,
        "a": a, "b": b, "left": left, "right": right, "changed": changed,
        "assessment_changed": a is not None and b is not None and a.assessment_id != b.assessment_id,
        "translated": translated,
    }, marked=[contribution])


def _translations_compared(a, b) -> list[dict]:
    """The narrative's translations in the two versions, word by word: an approver sees what
    changed in the translation as in the original (a translation is approved with it)."""
    compared = []
    for code in sorted(set(a.translations or {}) | set(b.translations or {})):
        before = ((a.translations or {}).get(code) or {}).get("narrative", "")
        after = ((b.translations or {}).get(code) or {}).get("narrative", "")
        left, right, changed = word_diff(before, after)
        compared.append({"language": code, "name": NAMES.get(code, code), "left": left, "right": right,
                         "changed": changed})
    return compared
