"""The public summary: a short text in the form of a Council press release,
written only from the records of the public edition.

It is built from the same visible records as the public edition (rank 0), so
nothing that is not PUBLIC can reach it; build.public_summary_markdown loads only
the ones it reads (records.load_summary_records), not the period's contributions.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from rapport.core.text import paragraphs

from .prose import (
    TAKING_NOTE,
    council,
    council_verb,
    councils,
    day,
    month_year,
    ordinal,
    principles_sentence,
    proposal_sets,
    words,
)
from .records import Records, text_for
from .renderers.markdown import inline

_WORD = re.compile(r"[^\W\d_]{4,}")


def _endorsement(r: Records) -> str:
    sets = proposal_sets(r)
    if not sets:
        return _("the commitments of the %(partnership)s") % {"partnership": r.period.partnership.name}
    return _("the %(total)s common proposals that %(councils)s endorsed on %(days)s") % {
        "total": sum(n for _m, n in sets), "councils": councils([m for m, _n in sets]),
        "days": words([day(m.date) for m, _n in sets])}


def _opening(r: Records) -> str:
    p = r.period
    subject = _("the %(ordinal)s progress report on the implementation of %(endorsement)s") % {
        "ordinal": ordinal(p), "endorsement": _endorsement(r)}
    actions = [a for a in r.council_actions if a.action in TAKING_NOTE]
    if not actions:
        return _("This is %(subject)s.") % {"subject": subject}
    first, *others = sorted(actions, key=lambda a: (a.date is None, a.date or datetime.date.min))
    values = {"council": council(first.organisation), "verb": council_verb(first.action), "subject": subject,
              "day": day(first.date)}
    parts = [_("On %(day)s %(council)s %(verb)s %(subject)s.") % values if first.date
             else _capital(_("%(council)s %(verb)s %(subject)s.") % values)]
    for a in others:
        values = {"council": council(a.organisation), "verb": council_verb(a.action), "day": day(a.date)}
        parts.append(_capital(_("%(council)s %(verb)s it on %(day)s.") % values if a.date
                              else _("%(council)s %(verb)s it.") % values))
    return " ".join(parts)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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
    two = len(r.orgs) == 2
    orgs = _("the two organisations") if two else _("the %(n)s organisations") % {"n": len(r.orgs)}
    lines = [_("# %(partnership)s: %(ordinal)s progress report") % {
        "partnership": inline(p.partnership.name), "ordinal": ordinal(p)}, ""]
    if r.report and r.report.presented_on:
        lines += [f"*{day(r.report.presented_on)}*", ""]
    lines += [inline(_opening(r)), ""]
    lines += [_("The report sets out the progress that %(organisations)s made together across the areas of "
                "cooperation in the period from %(start)s to %(end)s.") % {
                    "organisations": orgs, "start": month_year(p.start), "end": month_year(p.end)}, ""]
    if r.highlights:
        lines += [_("Among its main findings:"), ""]
        lines += [f"- {inline(part)}" for h in r.highlights for part in paragraphs(text_for(h)[0])] + [""]
    if r.outlook:
        lines += [_("Looking ahead:"), ""]
        lines += [f"- {inline(part)}" for o in r.outlook for part in paragraphs(text_for(o)[0])] + [""]
    # The principles are stated once: not again when a highlight or outlook item already names them.
    principles = p.partnership.principle_list()
    if not any(states_principles(x.text, principles) for x in (*r.highlights, *r.outlook)):
        subject = (_("The two organisations pursue this cooperation") if two else
                   _("The %(n)s organisations pursue this cooperation") % {"n": len(r.orgs)})
        closing = principles_sentence(subject, p.partnership)
        if closing:
            lines += [inline(closing), ""]
    return "\n".join(lines)
