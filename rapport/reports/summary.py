"""The public summary: a short text in the form of a Council press release,
written only from the records of the public edition.

It is built from the same visible records as the public edition (rank 0), so
nothing that is not PUBLIC can reach it; build.public_summary_markdown loads only
the ones it reads (records.load_summary_records), not the period's contributions.

The summary is assembled once as blocks of text (``summary_blocks``), each text saying the
language of what is not in the summary's own (a highlight not translated, a principle the data
gives in English only), and written out as Markdown (``public_summary``: the command and the
files, which have no place for a language) or as HTML with those texts tagged
(``public_summary_html``: the pages).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from rapport.core.text import paragraphs

from .prose import (
    TAKING_NOTE,
    council,
    council_verb,
    councils,
    day,
    foreign_spans,
    month_year,
    ordinal,
    partnership_name,
    principle_parts,
    principles_sentence,
    proposal_sets,
    words,
)
from .records import Records, text_for
from .renderers.html import tagged
from .renderers.markdown import inline

_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class Text:
    """A text of the summary: ``lang`` where the whole of it is in another language than the
    summary's, ``spans`` where stretches of it are (``document.segments``). ``markdown``: written
    as Markdown inline text (``inline``); the summary's own fixed sentences are written as they are."""

    text: str
    lang: str = ""
    spans: tuple[tuple[int, int, str], ...] = ()
    markdown: bool = True


def _endorsement(r: Records) -> tuple[str, tuple[str, str] | None]:
    """What the report is on, and the partnership's name where the phrase quotes it."""
    sets = proposal_sets(r)
    if not sets:
        name = partnership_name(r.period.partnership, in_sentence=True)
        return _("the commitments of the %(partnership)s") % {"partnership": name[0]}, name
    return _("the %(total)s common proposals that %(councils)s endorsed on %(days)s") % {
        "total": sum(n for _m, n in sets), "councils": councils([m for m, _n in sets]),
        "days": words([day(m.date) for m, _n in sets])}, None


def _opening(r: Records) -> Text:
    p = r.period
    endorsement, name = _endorsement(r)
    subject = _("the %(ordinal)s progress report on the implementation of %(endorsement)s") % {
        "ordinal": ordinal(p), "endorsement": endorsement}
    actions = [a for a in r.council_actions if a.action in TAKING_NOTE]
    if not actions:
        text = _("This is %(subject)s.") % {"subject": subject}
    else:
        first, *others = sorted(actions, key=lambda a: (a.date is None, a.date or datetime.date.min))
        values = {"council": council(first.organisation), "verb": council_verb(first.action), "subject": subject,
                  "day": day(first.date)}
        parts = [_("On %(day)s %(council)s %(verb)s %(subject)s.") % values if first.date
                 else _capital(_("%(council)s %(verb)s %(subject)s.") % values)]
        for a in others:
            values = {"council": council(a.organisation), "verb": council_verb(a.action), "day": day(a.date)}
            parts.append(_capital(_("%(council)s %(verb)s it on %(day)s.") % values if a.date
                                  else _("%(council)s %(verb)s it.") % values))
        text = " ".join(parts)
    return Text(text, spans=foreign_spans(text, [name] if name else []))


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


def _items(records) -> list[Text]:
    """The bullets of highlights or outlook items: one per paragraph, in the summary's language
    where the record has it so, else tagged with the record's own."""
    out = []
    for x in records:
        text, lang = text_for(x)
        out += [Text(part, lang) for part in paragraphs(text)]
    return out


def summary_blocks(r: Records) -> list[tuple[str, list[Text]]]:
    """The summary as blocks: ("h1" | "date" | "p" | "ul", texts)."""
    p = r.period
    two = len(r.orgs) == 2
    orgs = _("the two organisations") if two else _("the %(n)s organisations") % {"n": len(r.orgs)}
    name = partnership_name(p.partnership)
    heading = _("%(partnership)s: %(ordinal)s progress report") % {"partnership": name[0], "ordinal": ordinal(p)}
    blocks: list[tuple[str, list[Text]]] = [("h1", [Text(heading, spans=foreign_spans(heading, [name]))])]
    if r.report and r.report.presented_on:
        blocks.append(("date", [Text(day(r.report.presented_on), markdown=False)]))
    blocks.append(("p", [_opening(r)]))
    blocks.append(("p", [Text(_("The report sets out the progress that %(organisations)s made together across the "
                                "areas of cooperation in the period from %(start)s to %(end)s.") % {
        "organisations": orgs, "start": month_year(p.start), "end": month_year(p.end)}, markdown=False)]))
    if r.highlights:
        blocks += [("p", [Text(_("Among its main findings:"), markdown=False)]), ("ul", _items(r.highlights))]
    if r.outlook:
        blocks += [("p", [Text(_("Looking ahead:"), markdown=False)]), ("ul", _items(r.outlook))]
    # The principles are stated once: not again when a highlight or outlook item already names them
    # (in the data's words or in the summary's language).
    parts = principle_parts(p.partnership)
    english = p.partnership.principle_list()
    local = [text for text, _lang in parts]
    if not any(states_principles(x.text, english) or states_principles(text_for(x)[0], local)
               for x in (*r.highlights, *r.outlook)):
        subject = (_("The two organisations pursue this cooperation") if two else
                   _("The %(n)s organisations pursue this cooperation") % {"n": len(r.orgs)})
        closing = principles_sentence(subject, parts)
        if closing:
            blocks.append(("p", [Text(closing, spans=foreign_spans(closing, parts))]))
    return blocks


def _markdown(t: Text) -> str:
    return inline(t.text) if t.markdown else t.text


def public_summary(r: Records) -> str:
    """The press-release style summary of one period's report, as Markdown, from the public edition's records."""
    lines: list[str] = []
    for kind, texts in summary_blocks(r):
        if kind == "h1":
            lines += [f"# {_markdown(texts[0])}", ""]
        elif kind == "date":
            lines += [f"*{_markdown(texts[0])}*", ""]
        elif kind == "ul":
            lines += [f"- {_markdown(t)}" for t in texts] + [""]
        else:
            lines += [_markdown(texts[0]), ""]
    return "\n".join(lines)


def _html(t: Text) -> str:
    return tagged(t.text, t.spans)


def _lang(t: Text) -> str:
    return f' lang="{escape(t.lang)}"' if t.lang else ""


def public_summary_html(r: Records) -> str:
    """The same summary as HTML for the pages: what is in another language than the page's is in
    an element whose ``lang`` says which (a bullet in its ``li``, a quoted name in a ``span``)."""
    out: list[str] = []
    for kind, texts in summary_blocks(r):
        if kind == "h1":
            out.append(f"<h1{_lang(texts[0])}>{_html(texts[0])}</h1>")
        elif kind == "date":
            out.append(f"<p><em>{_html(texts[0])}</em></p>")
        elif kind == "ul":
            out.append("<ul>\n" + "".join(f"<li{_lang(t)}>{_html(t)}</li>\n" for t in texts) + "</ul>")
        else:
            out.append(f"<p{_lang(texts[0])}>{_html(texts[0])}</p>")
    return "\n".join(out) + "\n"
