"""The wording the report and its public summary share: dates, lists, the Councils,
the endorsed proposal sets, what a Council did, and the guiding principles.

Written once, so the report and the summary can never say the same thing in two
ways that drift apart. Every phrase is in the active language (the report is assembled
inside ``translation.override``): English or French. The partnership's data (its name, its
principles) is quoted in that language where the data gives a form in it (``translations``);
where it does not, the English is quoted and ``foreign_spans`` says where, so the renderers
tag it.
"""

from __future__ import annotations

import datetime

from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from rapport.partnerships.choices import MandateKind

from .choices import CouncilActionKind
from .records import Records, text_for

# What a Council did with the report, as a verb phrase: "the North Atlantic Council <verb> the report".
COUNCIL_ACTION_VERBS = {
    CouncilActionKind.WELCOMED: gettext_lazy("welcomed"),
    CouncilActionKind.TOOK_NOTE: gettext_lazy("took note of"),
    CouncilActionKind.NOTED_IN_CONCLUSIONS: gettext_lazy("took note in its conclusions of"),
    CouncilActionKind.PRESENTED: gettext_lazy("received"),
}
# The actions by which a Council takes note of the report (rather than only receiving it).
TAKING_NOTE = (CouncilActionKind.WELCOMED, CouncilActionKind.TOOK_NOTE, CouncilActionKind.NOTED_IN_CONCLUSIONS)


def french() -> bool:
    return (get_language() or "en").startswith("fr")


def day(d: datetime.date | None) -> str:
    """'5 December 2017'; in French '5 décembre 2017' (and '1er décembre 2017')."""
    if not d:
        return _("date not recorded")
    number = "1er" if d.day == 1 and french() else str(d.day)
    return f"{number} {MONTHS[d.month]} {d.year}"


def month_year(d: datetime.date) -> str:
    """'December 2017'; in French 'décembre 2017'."""
    return f"{MONTHS[d.month]} {d.year}"


def month_span(start: datetime.date, end: datetime.date) -> str:
    return _("%(start)s to %(end)s") % {"start": month_year(start), "end": month_year(end)}


# French ordinals of the reports ("le huitième rapport"); from the 21st on, "21e".
_FRENCH_ORDINALS = ("", "premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième",
                    "huitième", "neuvième", "dixième", "onzième", "douzième", "treizième", "quatorzième",
                    "quinzième", "seizième", "dix-septième", "dix-huitième", "dix-neuvième", "vingtième")


def ordinal(period, *, feminine: bool = False) -> str:
    """The period's ordinal as a word in the active language: 'eighth', 'huitième' ('première'
    for a feminine noun such as 'période')."""
    if not french():
        return period.ordinal_word
    n = period.ordinal
    if n == 1 and feminine:
        return "première"
    return _FRENCH_ORDINALS[n] if 0 < n < len(_FRENCH_ORDINALS) else f"{n}e"


def partnership_name(partnership, *, in_sentence: bool = False) -> tuple[str, str]:
    """The partnership's name in the active language, and the language to tag it with ("" where it
    is in the active language). ``in_sentence``: as running French text writes a common noun
    ("le partenariat stratégique UE–OTAN"); English keeps the name as written."""
    name, lang = text_for(partnership, "name")
    return (lower_first(name) if in_sentence and not lang and french() else name), lang


def foreign_spans(text: str, parts) -> tuple[tuple[int, int, str], ...]:
    """Where in ``text`` each of ``parts`` — (words, language) — that is in another language
    stands: (start, end, language), in order, for ``document.Paragraph.spans``."""
    spans: list[tuple[int, int, str]] = []
    for part, lang in parts:
        if not lang or not part:
            continue
        at = text.find(part)
        while at >= 0 and any(at < end and start < at + len(part) for start, end, _l in spans):
            at = text.find(part, at + 1)
        if at >= 0:
            spans.append((at, at + len(part), lang))
    return tuple(sorted(spans))


def listed(items: list[str]) -> str:
    """'a; b; and c' — items that hold commas, joined with semicolons ('a ; b ; et c' in French,
    a no-break space before each semicolon)."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return pgettext("between the items of a list", "; ").join(items[:-1]) + _("; and ") + items[-1]


def words(items: list[str], last: str | None = None) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    last = pgettext("the last item of a list", "and") if last is None else last
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def council_verb(kind: str) -> str:
    return str(COUNCIL_ACTION_VERBS.get(kind, gettext_lazy("acted on")))


def council(org) -> str:
    """An organisation's Council as the sentence names it, with its article: 'the North Atlantic
    Council'. The name is the organisation's data, in the active language where the organisation
    gives one (``Organisation.translations``), else its own."""
    return _("the %(council)s") % {"council": org.local_council}


def proposal_sets(r: Records) -> list[tuple[object, int]]:
    """The endorsed sets of commitments with their count (the authoritative one where recorded;
    otherwise the visible commitments of the set, ``Records.mandate_counts``)."""
    sets = [m for m in r.mandates if m.kind == MandateKind.PROPOSAL_SET]
    return [(m, m.proposal_count if m.proposal_count is not None else r.mandate_counts.get(m.pk, 0)) for m in sets]


def councils(mandates) -> str:
    """'the Council of the European Union and the North Atlantic Council': who issued these mandates."""
    orgs = {o.pk: o for m in mandates for o in m.issued_by.all()}
    return words([council(o) for o in sorted(orgs.values(), key=lambda o: o.key)]) or _("the Councils")


def endorsed_total(r: Records) -> str:
    """'74 common proposals, endorsed in parallel by … on 6 December 2016 and 5 December 2017'."""
    sets = proposal_sets(r)
    total = sum(count for _m, count in sets)
    return _("%(total)s common proposals, endorsed in parallel by %(councils)s") % {
        "total": total, "councils": councils([m for m, _n in sets])}


def endorsement_dates(r: Records) -> str:
    """'42 on 6 December 2016 and 32 on 5 December 2017' (or one date for one set)."""
    sets = proposal_sets(r)
    if len(sets) == 1:
        return _("on %(day)s") % {"day": day(sets[0][0].date)}
    return words([_("%(count)s on %(day)s") % {"count": n, "day": day(m.date)} for m, n in sets])


def principle_parts(partnership) -> list[tuple[str, str]]:
    """The agreed principles as a sentence quotes them: (text, language to tag it with), each in
    the active language where the principle has a form in it (``Principle.translations``)."""
    return [(lower_first(text), lang) for text, lang in (text_for(p, "text") for p in partnership.agreed_principles())]


def principles(parts: list[tuple[str, str]]) -> str:
    """'mutual openness and transparency; inclusiveness and reciprocity; and decision-making autonomy …'."""
    return listed([text for text, _lang in parts])


def principles_sentence(subject: str, parts: list[tuple[str, str]]) -> str:
    """'<Subject> … in full respect of the agreed guiding principles: ….' (empty without principles).
    ``parts`` are ``principle_parts``: ``foreign_spans(sentence, parts)`` says which to tag."""
    listed_ = principles(parts)
    return _("%(subject)s in full respect of the agreed guiding principles: %(principles)s.") % {
        "subject": subject, "principles": listed_} if listed_ else ""
