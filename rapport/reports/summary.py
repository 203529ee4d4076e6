"""The public summary: a short text in the form of a Council press release,
written only from the records of the public edition.

It is built from the same visible records as the public edition (rank 0), so
nothing that is not PUBLIC can reach it; build.public_summary_markdown loads only
the ones it reads (records.load_summary_records), not the period's contributions.
"""

from __future__ import annotations

import datetime
import re

from rapport.core.text import paragraphs

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
from .renderers.markdown import inline

_WORD = re.compile(r"[^\W\d_]{4,}")


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
    first, *others = sorted(actions, key=lambda a: (a.date is None, a.date or datetime.date.min))
    verb = council_verb(first.action)
    parts = [f"On {day(first.date)} the {first.organisation.council} {verb} {subject}." if first.date
             else f"The {first.organisation.council} {verb} {subject}."]
    parts += [f"The {a.organisation.council} {council_verb(a.action)} it" + (f" on {day(a.date)}." if a.date else ".")
              for a in others]
    return " ".join(parts)


def _stems(text: str) -> list[str]:
    # Six letters are enough to match "decisions" with "decision-making", "organisation's" with "organisations".
    return [w[:6].casefold() for w in _WORD.findall(text)]


def states_principles(text: str, principles: list[str]) -> bool:
    """Whether a text already names every one of these principles (at least half the words of each)."""
    found = set(_stems(text))
    return bool(principles) and all(
        2 * sum(stem in found for stem in _stems(p)) >= len(_stems(p)) > 0 for p in principles)


def public_summary(r: Records) -> str:
    """The press-release style summary of one period's report, as Markdown, from the public edition's records."""
    p = r.period
    orgs = "the two organisations" if len(r.orgs) == 2 else f"the {len(r.orgs)} organisations"
    lines = [f"# {inline(p.partnership.name)}: {p.ordinal_word} progress report", ""]
    if r.report and r.report.presented_on:
        lines += [f"*{day(r.report.presented_on)}*", ""]
    lines += [inline(_opening(r)), ""]
    lines += [f"The report sets out the progress that {orgs} made together across the areas of cooperation "
              f"in the period from {p.start:%B %Y} to {p.end:%B %Y}.", ""]
    if r.highlights:
        lines += ["Among its main findings:", ""]
        lines += [f"- {inline(part)}" for h in r.highlights for part in paragraphs(h.text)] + [""]
    if r.outlook:
        lines += ["Looking ahead:", ""]
        lines += [f"- {inline(part)}" for o in r.outlook for part in paragraphs(o.text)] + [""]
    # The principles are stated once: not again when a highlight or outlook item already names them.
    principles = p.partnership.principle_list()
    if not any(states_principles(x.text, principles) for x in (*r.highlights, *r.outlook)):
        closing = principles_sentence(f"{orgs.capitalize()} pursue this cooperation", p.partnership)
        if closing:
            lines += [inline(closing), ""]
    return "\n".join(lines)
