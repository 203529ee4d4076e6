"""Which editions of a report a reader may have: their own audience at each level up to their
clearance (highest first), then the public edition, each as the policy decides
(``ReportAction.READ_EDITION``). The pages and the API offer exactly these."""

from __future__ import annotations

from dataclasses import dataclass

from rapport.access.policy import can, signed_in
from rapport.core.errors import InputError

from .editions import resolve_edition
from .rules import ReportAction


@dataclass(frozen=True)
class EditionChoice:
    name: str
    label: str


def _candidate_names(user) -> list[str]:
    """The reader's own audience at each level up to their clearance (highest first), then public."""
    from rapport.markings.models import ClassificationLevel

    names = []
    if signed_in(user) and user.organisation_id:
        org = user.organisation
        for lv in ClassificationLevel.objects.filter(scheme=org.scheme, rank__gt=0, rank__lte=user.clearance_rank).order_by("-rank"):
            names.append(f"{org.key}:{lv.abbreviation}")
    elif signed_in(user) and user.delegation_id:
        for rank in range(user.clearance_rank, 0, -1):
            names.append(f"delegation:{user.delegation.code}:{rank}")
    names.append("public")
    return names


def readable_editions(user, partnership, report) -> list[EditionChoice]:
    """The editions of this report the user may open, as the policy decides."""
    result = []
    for name in _candidate_names(user):
        try:
            edition = resolve_edition(partnership, name, report.period)
        except InputError:  # a level missing from one scheme: no such edition
            continue
        if can(user if signed_in(user) else None, ReportAction.READ_EDITION, report, edition=edition):
            result.append(EditionChoice(edition.name, edition.label))
    return result


def resolve_for(user, partnership, report, name: str):
    """The edition if this user may read it, else None (the caller answers 404)."""
    if name not in {e.name for e in readable_editions(user, partnership, report)}:
        return None
    return resolve_edition(partnership, name, report.period)
