"""Renderers turn a Document into the bytes of one file format.

Each module registers one ``Renderer`` in the registry's "renderers" store;
adding a format touches one file (plus its import in ReportsConfig.ready()).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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

    return {id(b): n for n, b in enumerate((b for _, b in iter_blocks(doc.sections) if isinstance(b, Figure)), 1)}


def cover_rows(doc: Document) -> list[tuple[str, str]]:
    orgs = " and ".join(o.name for o in doc.organisations)
    return [(k, v) for k, v in (
        ("Document", doc.number), ("Partnership", doc.partnership), ("Organisations", orgs),
        ("Report", f"{doc.ordinal_word.capitalize()} progress report"), ("Period covered", doc.period_label),
        ("Date", doc.date_label), ("Status", doc.status)) if v]


def distribution_rows(doc: Document) -> list[tuple[str, str]]:
    """The distribution block: who the edition is for, which edition, its marking, and for an
    edition above PUBLIC a copy number for the registry that issues it."""
    rows = [("Audience", doc.audience), ("Edition", doc.edition_label), ("Marking", doc.marking_names())]
    if doc.marking.rank > 0:
        rows.append(("Copy No.", "____ of ____ (entered by the issuing registry)"))
    return [(k, v) for k, v in rows if v]


def heading_number(s) -> str:
    """The number shown before a heading: none where the title already names it ("Annex A — …")."""
    return "" if not s.number or s.title.startswith(f"Annex {s.number}") else s.number
