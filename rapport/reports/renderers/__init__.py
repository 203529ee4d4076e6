"""Renderers turn a Document into the bytes of one file format.

Each module registers one ``Renderer`` in the registry's "renderers" store;
adding a format touches one file (plus its import in ReportsConfig.ready()).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rapport.core.registry import register, registry

from ..document import Document, Paragraph


@dataclass(frozen=True)
class Renderer:
    name: str
    extension: str
    content_type: str
    render: Callable[[Document], bytes]


def register_renderer(name: str, extension: str, content_type: str):
    def decorator(func: Callable[[Document], bytes]):
        register("renderers", name)(Renderer(name, extension, content_type, func))
        return func

    return decorator


def get_renderer(name: str) -> Renderer:
    try:
        return registry["renderers"][name]
    except KeyError:
        known = ", ".join(sorted(registry["renderers"]))
        raise KeyError(f"Unknown format {name!r}; known formats: {known}.") from None


def group_blocks(blocks):
    """Blocks with consecutive bullet paragraphs gathered into lists: yields ("list", [..]) or ("block", b)."""
    run: list[Paragraph] = []
    for b in blocks:
        if isinstance(b, Paragraph) and b.style == "bullet":
            run.append(b)
            continue
        if run:
            yield "list", run
            run = []
        yield "block", b
    if run:
        yield "list", run


def figure_numbers(doc: Document) -> dict[int, int]:
    """Figure numbering by identity, in reading order."""
    from ..document import Figure, iter_blocks

    return {id(b): n for n, b in enumerate((b for _s, b in iter_blocks(doc.sections) if isinstance(b, Figure)), 1)}


# The renderers write their own words (labels, "Contents", "Page 1 of 9") in the document's
# language: they run inside ``languages.in_language_of(doc)``.


def progress_report(doc: Document) -> str:
    """'Eighth progress report', 'Huitième rapport d'étape'."""
    text = _("%(ordinal)s progress report") % {"ordinal": doc.ordinal_word}
    return text[:1].upper() + text[1:]


def cover_rows(doc: Document) -> list[tuple[str, str]]:
    return [(k, v) for k, v, _lang in cover_entries(doc)]


def cover_entries(doc: Document) -> list[tuple[str, str, str]]:
    """The cover's (label, value, language of the value where it is not the document's)."""
    orgs = f" {pgettext('the last item of a list', 'and')} ".join(o.name for o in doc.organisations)
    return [(k, v, lang) for k, v, lang in (
        (_("Document"), doc.number, ""), (_("Partnership"), doc.partnership, doc.partnership_lang),
        (_("Organisations"), orgs, ""), (_("Report"), progress_report(doc), ""),
        (_("Period covered"), doc.period_label, ""), (_("Date"), doc.date_label, ""),
        (_("Status"), doc.status, "")) if v]


def marking_label() -> str:
    return _("Marking")


def distribution_rows(doc: Document) -> list[tuple[str, str]]:
    """The distribution block: who the edition is for, which edition, its marking, and for an
    edition above PUBLIC a copy number for the registry that issues it."""
    rows = [(_("Audience"), doc.audience), (_("Edition"), doc.edition_label), (marking_label(), doc.marking_names())]
    if doc.marking.rank > 0:
        rows.append((_("Copy No."), _("____ of ____ (entered by the issuing registry)")))
    return [(k, v) for k, v in rows if v]


def heading_number(s) -> str:
    """The number shown before a heading: none where the title already names it ("Annex A — …")."""
    if not s.number:
        return ""
    named = (f"Annex {s.number}", _("Annex %(letter)s") % {"letter": s.number})
    return "" if s.title.startswith(named) else s.number
