"""The public summary: a short text in the form of a Council press release,
written only from the records of the public edition.

It is built from the same visible records as the public edition (rank 0), so
nothing that is not PUBLIC can reach it; build.public_summary_markdown loads them.
"""

from __future__ import annotations

from .prose import (
    TAKING_NOTE,
    council_verb,
    councils,
    day,
    principles_sentence,
    proposal_sets,
    words,
)
from .records import Records


def _endorsement(r: Records) -> str:
    sets = proposal_sets(r)
    if not sets:
        return f"the commitments of the {r.period.partnership.name}"
    total = sum(n for _, n in sets)
    return (f"the {total} common proposals that {councils([m for m, _ in sets])} endorsed on "
            f"{words([day(m.date) for m, _ in sets])}")


def _opening(r: Records) -> str:
    p = r.period
    subject = f"the {p.ordinal_word} progress report on the implementation of {_endorsement(r)}"
    actions = [a for a in r.council_actions if a.action in TAKING_NOTE]
    if not actions:
        return f"This is {subject}."
    first, *others = actions
    parts = [f"On {day(first.date)} the {first.organisation.council} {council_verb(first.action)} {subject}."]
    parts += [f"The {a.organisation.council} {council_verb(a.action)} it on {day(a.date)}." for a in others]
    return " ".join(parts)


def public_summary(r: Records) -> str:
    """The press-release style summary of one period's report, as Markdown, from the public edition's records."""
    p = r.period
    orgs = "the two organisations" if len(r.orgs) == 2 else f"the {len(r.orgs)} organisations"
    lines = [f"# {p.partnership.name}: {p.ordinal_word} progress report", ""]
    if r.report and r.report.presented_on:
        lines += [f"*{day(r.report.presented_on)}*", ""]
    lines += [_opening(r), ""]
    lines += [f"The report sets out the progress that {orgs} made together across the areas of cooperation "
              f"in the period from {p.start:%B %Y} to {p.end:%B %Y}.", ""]
    if r.highlights:
        lines += ["Among its main findings:", ""]
        lines += [f"- {h.text}" for h in r.highlights] + [""]
    if r.outlook:
        lines += ["Looking ahead:", ""]
        lines += [f"- {o.text}" for o in r.outlook] + [""]
    closing = principles_sentence(f"{orgs.capitalize()} pursue this cooperation", p.partnership)
    if closing:
        lines += [closing, ""]
    return "\n".join(lines)
