"""Document numbers, and the numbers of sections and paragraphs.

Each report is cited by a document number in its partnership's pattern.

The pattern is a ``str.format`` string; the default gives ``EU-NATO/PR/8/2023``
(partnership, "PR" for progress report, the report's ordinal, the year of its
date). A deployment sets its own per partnership key in the setting
``RAPPORT_REPORT_NUMBER_PATTERNS`` (``"*"`` for every other partnership), e.g.
``{"eu-nato": "EU-NATO/JPR({ordinal:02d})/{year}"}``.

Fields: ``PARTNERSHIP`` (the key in capitals), ``partnership`` (the key),
``ordinal``, ``year``.

Sections are numbered 1, 2, 2.1, 2.1.3 (annexes A, B) and paragraphs 1, 2, 3 within
their section, as Council and NATO documents are, so that readers of different
editions can cite the same paragraph ("section 2.1.3, paragraph 2"). Editions differ
only in what is above PUBLIC, so the numbers are anchored on what every edition holds:

- a PUBLIC item (paragraph, or the area or commitment a section is about) takes the
  next number; an item above PUBLIC takes the number before it and a letter (``2a``,
  ``2b``), so it shifts no PUBLIC item's number and the public edition has no gaps;
- area sections are numbered by the area's place among the areas, commitment sections
  by the commitment's place among the commitments of its area, whether or not the
  edition has a section for it (only what the edition's reader may read is counted,
  so a number reveals nothing above the reader's edition);
- top-level sections are numbered in order, annexes lettered.

Notes and the lead-ins of lists are not numbered (a lead-in carries the highest marking of
its list). A number can still differ between editions where a generated paragraph (a count)
is PUBLIC in one edition and marked higher in another, because it counts records above
PUBLIC there.
"""

from __future__ import annotations

import datetime
import string

from django.conf import settings

from .document import PUBLIC_RANK, Paragraph, Section

DEFAULT_PATTERN = "{PARTNERSHIP}/PR/{ordinal}/{year}"


def pattern_for(partnership_key: str) -> str:
    patterns = getattr(settings, "RAPPORT_REPORT_NUMBER_PATTERNS", None) or {}
    return patterns.get(partnership_key) or patterns.get("*") or DEFAULT_PATTERN


def document_number(partnership_key: str, ordinal: int, date: datetime.date) -> str:
    return pattern_for(partnership_key).format(
        PARTNERSHIP=partnership_key.upper(), partnership=partnership_key, ordinal=ordinal, year=date.year)


def _letters(n: int) -> str:
    """1 → a, 26 → z, 27 → aa."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = string.ascii_lowercase[rest] + out
    return out


def anchored(items) -> dict:
    """{key: number} for (key, is_public) pairs in order: PUBLIC ones count 1, 2, 3; the others
    take the number before them and a letter."""
    labels, n, letter = {}, 0, 0
    for key, public in items:
        if public:
            n, letter = n + 1, 0
            labels[key] = str(n)
        else:
            letter += 1
            labels[key] = f"{n}{_letters(letter)}"
    return labels


def _public(marking) -> bool:
    return marking.rank == PUBLIC_RANK


# Paragraphs that take no number: notes, and the lead-ins of lists ("The report underlines in
# particular that:"), which carry the highest marking of their list — numbered, a lead-in above
# PUBLIC in one edition and PUBLIC in another would move every PUBLIC number after it.
UNNUMBERED = frozenset({"note", "lead"})


def _numbered(obj, number: str, **changes):
    """A copy of a frozen block or section with its number (and other fields) set.

    ``dataclasses.replace`` runs ``__init__`` field by field; a report at 100× numbers tens of
    thousands of blocks, and a copy of the instance's fields is several times cheaper.
    """
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__, number=number, **changes)
    return new


def _number_blocks(blocks) -> tuple:
    numbers = anchored((i, _public(b.marking)) for i, b in enumerate(blocks)
                       if isinstance(b, Paragraph) and b.style not in UNNUMBERED)
    if not numbers:
        return tuple(blocks)
    return tuple(_numbered(b, numbers[i]) if i in numbers else b for i, b in enumerate(blocks))


def number_sections(sections, keys=None, prefix: str = "") -> tuple[Section, ...]:
    """The sections with their numbers and their paragraphs'. ``keys`` gives the subsections'
    numbers by anchor, for sections numbered by the records they are about (``section_keys``)."""
    keys = keys or {}
    out = []
    if not prefix:  # top level: in order, annexes lettered
        body = [s for s in sections if not s.anchor.startswith("annex-")]
        own = {id(s): str(n) for n, s in enumerate(body, 1)}
        own.update({id(s): string.ascii_uppercase[n] for n, s in
                    enumerate(s for s in sections if s.anchor.startswith("annex-"))})
    else:
        known = keys.get(prefix, {})
        rest = anchored((id(s), _public(s.marking)) for s in sections if s.anchor not in known)
        own = {id(s): known.get(s.anchor) or rest[id(s)] for s in sections}
    for s in sections:
        number = f"{prefix}.{own[id(s)]}" if prefix else own[id(s)]
        out.append(_numbered(s, number, blocks=_number_blocks(s.blocks),
                             subsections=number_sections(s.subsections, keys, number)))
    return tuple(out)


def append_annex(sections: tuple[Section, ...], annex: Section) -> tuple[Section, ...]:
    """Numbered sections with one more annex after them, numbered as ``number_sections``
    would number it among them (without numbering the others again)."""
    letter = string.ascii_uppercase[sum(1 for s in sections if s.anchor.startswith("annex-"))]
    return (*sections, _numbered(annex, letter, blocks=_number_blocks(annex.blocks),
                                 subsections=number_sections(annex.subsections, {}, letter)))


def section_keys(r, sections) -> dict[str, dict[str, str]]:
    """{parent section number: {subsection anchor: number}} for the areas and the commitments,
    numbered by their place among the areas and the commitments of their area the reader may read."""
    from .records import marking_of

    keys: dict[str, dict[str, str]] = {}
    top = [s for s in sections if not s.anchor.startswith("annex-")]
    for n, s in enumerate(top, 1):
        if s.anchor != "areas":
            continue
        areas = anchored((a.pk, _public(marking_of(a))) for a in r.areas)
        keys[str(n)] = {f"area-{a.key}": areas[a.pk] for a in r.areas}
        for a in r.areas:
            commitments = r.commitments_in(a)
            numbers = anchored((c.pk, _public(marking_of(c))) for c in commitments)
            keys[f"{n}.{areas[a.pk]}"] = {f"c-{c.ref}": numbers[c.pk] for c in commitments}
    return keys
