"""The wording the report and its public summary share: dates, lists, the Councils,
the endorsed proposal sets, what a Council did, and the guiding principles.

Written once, so the report and the summary can never say the same thing in two
ways that drift apart.
"""

from __future__ import annotations

import datetime

from rapport.partnerships.choices import MandateKind

from .choices import CouncilActionKind
from .records import Records

# What a Council did with the report, as a verb phrase: "the North Atlantic Council <verb> the report".
COUNCIL_ACTION_VERBS = {
    CouncilActionKind.WELCOMED: "welcomed",
    CouncilActionKind.TOOK_NOTE: "took note of",
    CouncilActionKind.NOTED_IN_CONCLUSIONS: "took note in its conclusions of",
    CouncilActionKind.PRESENTED: "received",
}
# The actions by which a Council takes note of the report (rather than only receiving it).
TAKING_NOTE = (CouncilActionKind.WELCOMED, CouncilActionKind.TOOK_NOTE, CouncilActionKind.NOTED_IN_CONCLUSIONS)


def day(d: datetime.date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "date not recorded"


def month_span(start: datetime.date, end: datetime.date) -> str:
    return f"{start:%B %Y} to {end:%B %Y}"


def words(items: list[str], last: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def council_verb(kind: str) -> str:
    return COUNCIL_ACTION_VERBS.get(kind, "acted on")


def proposal_sets(r: Records) -> list[tuple[object, int]]:
    """The endorsed sets of commitments with their count (the authoritative one where recorded;
    otherwise the visible commitments of the set, ``Records.mandate_counts``)."""
    sets = [m for m in r.mandates if m.kind == MandateKind.PROPOSAL_SET]
    return [(m, m.proposal_count if m.proposal_count is not None else r.mandate_counts.get(m.pk, 0)) for m in sets]


def councils(mandates) -> str:
    """'the Council of the European Union and the North Atlantic Council': who issued these mandates."""
    orgs = {o.pk: o for m in mandates for o in m.issued_by.all()}
    return words([f"the {o.council}" for o in sorted(orgs.values(), key=lambda o: o.key)]) or "the Councils"


def endorsed_total(r: Records) -> str:
    """'74 common proposals, endorsed in parallel by … on 6 December 2016 and 5 December 2017'."""
    sets = proposal_sets(r)
    total = sum(n for _, n in sets)
    return f"{total} common proposals, endorsed in parallel by {councils([m for m, _ in sets])}"


def endorsement_dates(r: Records) -> str:
    """'42 on 6 December 2016 and 32 on 5 December 2017' (or one date for one set)."""
    sets = proposal_sets(r)
    if len(sets) == 1:
        return f"on {day(sets[0][0].date)}"
    return words([f"{n} on {day(m.date)}" for m, n in sets])


def principles(partnership) -> str:
    """'mutual openness and transparency; inclusiveness and reciprocity; and decision-making autonomy …'."""
    items = [lower_first(p) for p in partnership.principle_list()]
    if not items:
        return ""
    return items[0] if len(items) == 1 else "; ".join(items[:-1]) + "; and " + items[-1]


def principles_sentence(subject: str, partnership) -> str:
    """'<Subject> … in full respect of the agreed guiding principles: ….' (empty without principles)."""
    listed = principles(partnership)
    return f"{subject} in full respect of the agreed guiding principles: {listed}." if listed else ""
