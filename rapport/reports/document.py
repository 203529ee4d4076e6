"""The one document model every renderer reads: frozen dataclasses, no database.

A document carries everything needed to render it (including each organisation's
classification scheme), so a sealed edition can be rebuilt from its canonical
JSON alone and renders to the same bytes years later.

A document is in one language (``language``, a BCP 47 tag: en-GB or fr): its wording,
dates and markings were written in it when it was assembled, and the renderers write
their own fixed words in it. A paragraph whose text is in another language (a record
not translated) says so in ``lang``; a paragraph in the document's language that quotes
words in another (a principle or a name the data gives in English only) says where in
``spans``; a table row says the language of each cell that is not in the document's in
``langs``; the title, a section's title and the partnership's name say theirs in
``title_lang`` and ``partnership_lang``. These four are left out of the canonical JSON while empty, so
documents made before they existed keep their hash.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

PUBLIC_RANK = 0


@dataclass(frozen=True)
class Marking:
    rank: int = PUBLIC_RANK
    releasable: tuple[str, ...] = ()  # organisation short names; empty for PUBLIC

    @staticmethod
    def highest(markings) -> Marking:
        """The marking of a whole made of parts: the highest rank, releasable only
        where every non-public part is releasable."""
        markings = [m for m in markings if m.rank > PUBLIC_RANK]
        if not markings:
            return Marking()
        rel = set(markings[0].releasable)
        for m in markings[1:]:
            rel &= set(m.releasable)
        return Marking(max(m.rank for m in markings), tuple(sorted(rel)))


@dataclass(frozen=True)
class SchemeLevel:
    rank: int
    name: str
    abbreviation: str


@dataclass(frozen=True)
class OrgScheme:
    """An organisation as the document names it, with its own marking scheme."""

    key: str
    short_name: str
    name: str
    council: str
    colour: str
    levels: tuple[SchemeLevel, ...]

    def level(self, rank: int) -> SchemeLevel | None:
        return next((lv for lv in self.levels if lv.rank == rank), None)


@dataclass(frozen=True)
class Source:
    """Where a statement comes from: the record, its organisation, author and approver."""

    record: str  # "<type>:<pk>", e.g. "contribution:12"
    organisation: str = ""
    author: str = ""
    approver: str = ""
    approved_at: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    marking: Marking = Marking()
    sources: tuple[Source, ...] = ()
    style: str = "body"  # body | bullet | lead | note
    kind: str = "paragraph"
    number: str = ""  # within its section, stable between editions (reports/numbering.py); "" for notes
    lang: str = ""  # the language of the text where it is not the document's (a record not translated)
    # Stretches of the text in another language than the paragraph's: (start, end, language),
    # character offsets, in order and apart (``prose.foreign_spans``).
    spans: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    marking: Marking = Marking()
    sources: tuple[Source, ...] = ()
    flag: str = ""  # e.g. "differs": assessments of the organisations differ
    # The language of each cell where one is not in the document's ("" for those that are); empty
    # when every cell is.
    langs: tuple[str, ...] = ()

    def lang(self, i: int) -> str:
        return self.langs[i] if i < len(self.langs) else ""


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    widths: tuple[int, ...] = ()  # relative column widths
    kind: str = "table"

    @property
    def marking(self) -> Marking:
        return Marking.highest(r.marking for r in self.rows)


@dataclass(frozen=True)
class Figure:
    """A chart, drawn by rapport.reports.charts from the data it carries."""

    caption: str
    chart: str  # "bar" | "stacked"
    categories: tuple[str, ...]
    series: tuple[tuple[str, str, tuple[float, ...]], ...]  # (label, colour, values)
    marking: Marking = Marking()
    kind: str = "figure"


Block = Paragraph | Table | Figure
_BLOCKS = {"paragraph": Paragraph, "table": Table, "figure": Figure}


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    marking: Marking = Marking()  # of the heading itself
    page_break: bool = False
    number: str = ""  # "2.1.3", "A": stable between editions (reports/numbering.py)
    title_lang: str = ""  # the title's language where it is not the document's (a commitment's English title)

    def walk_markings(self):
        yield self.marking
        for b in self.blocks:
            yield b.marking
        for s in self.subsections:
            yield from s.walk_markings()


@dataclass(frozen=True)
class Document:
    title: str
    partnership: str
    ordinal: int
    ordinal_word: str
    period_label: str
    date: str  # ISO date of the report; never "now", so renders are reproducible
    date_label: str
    edition: str
    edition_label: str
    organisations: tuple[OrgScheme, ...]
    sections: tuple[Section, ...]
    title_marking: Marking = Marking()
    status: str = ""
    kind_label: str = "Joint progress report"
    # The organisation an organisation's own edition is for: its scheme names the levels first.
    marked_for: str = ""
    # The document number in the partnership's pattern (reports/numbering.py), e.g. "EU-NATO/PR/8/2023".
    number: str = ""
    # A draft is marked DRAFT in every running header and footer and across every page.
    draft: bool = False
    # Who the edition is for, as the distribution block on the cover names them.
    audience: str = ""
    language: str = "en-GB"
    # The language of the title and of the partnership's name where it is not the document's
    # (a report title or a name the data gives in English only).
    title_lang: str = ""
    partnership_lang: str = ""

    @property
    def file_title(self) -> str:
        """The title files carry in their metadata and window title: a draft says so there too,
        in the language the renderers write their own words in (``build.in_language_of``)."""
        return _("DRAFT — %(title)s") % {"title": self.title} if self.draft else self.title

    @functools.cached_property
    def marking(self) -> Marking:
        # Walked once per document: the renderers ask for it in every header, footer and property.
        parts = {self.title_marking, *(m for s in self.sections for m in s.walk_markings())}
        return Marking.highest(parts)

    # Marking labels in each organisation's own scheme ---------------------------

    @property
    def base_language(self) -> str:
        """The document's language as the catalogues name it: "en" or "fr"."""
        return self.language.split("-")[0].lower()

    def marking_names(self, marking: Marking | None = None) -> str:
        """'NATO RESTRICTED / RESTREINT UE/EU RESTRICTED': the equal-rank level of every scheme
        (as the document's language prints them: NATO DIFFUSION RESTREINTE in French)."""
        m = self.marking if marking is None else marking
        names = _unique(self._level(o, m.rank).name for o in self.scheme_order)
        label = " / ".join(names)
        if m.rank > PUBLIC_RANK and self._limited(m):
            label += _(" — releasable to %(organisations)s") % {"organisations": ", ".join(m.releasable)}
        return label

    def portion_mark(self, marking: Marking) -> str:
        """The short mark put before each paragraph, e.g. '(NR/R-UE)'."""
        if marking.rank == PUBLIC_RANK:
            return "(PUBLIC)"
        abbrs = "/".join(_unique(self._level(o, marking.rank).abbreviation for o in self.scheme_order))
        rel = f" REL {', '.join(marking.releasable)}" if self._limited(marking) else ""
        return f"({abbrs}{rel})"

    @property
    def scheme_order(self) -> tuple[OrgScheme, ...]:
        """The organisations' schemes, the edition's own organisation first (then in register order)."""
        return tuple(sorted(self.organisations, key=lambda o: o.key != self.marked_for))

    def _limited(self, m: Marking) -> bool:
        """Releasability is worth stating only when it excludes one of the organisations."""
        return bool(m.releasable) and set(m.releasable) != {o.short_name for o in self.organisations}

    @staticmethod
    def _level(org: OrgScheme, rank: int) -> SchemeLevel:
        return org.level(rank) or SchemeLevel(rank, f"RANK {rank}", f"R{rank}")

    # Canonical form ---------------------------------------------------------------

    def canonical_json(self) -> str:
        return json.dumps(_without_empty_lang(dataclasses.asdict(self)), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))

    def content_sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    @classmethod
    def from_json(cls, text: str) -> Document:
        return _build(cls, json.loads(text))


# The language fields added after the canonical form was fixed, left out of it while empty.
# (A paragraph's ``lang`` stays in it as it always has: asdict() keeps tuples, so the sections
# and their blocks were never stripped of it, and the hashes of sealed documents count it.)
_LANGUAGE_FIELDS = frozenset({"spans", "langs", "title_lang", "partnership_lang"})


def _without_empty_lang(value: Any) -> Any:
    """The asdict() form without the language fields that say nothing."""
    if isinstance(value, dict):
        return {k: _without_empty_lang(v) for k, v in value.items()
                if not (k in _LANGUAGE_FIELDS and v in ("", (), []))}
    if isinstance(value, (list, tuple)):
        return [_without_empty_lang(v) for v in value]
    return value


def segments(text: str, spans) -> list[tuple[str, str]]:
    """``text`` cut at its ``spans``: (piece, language) in order, "" for the pieces in the
    paragraph's own language. Spans that overlap or fall outside the text are ignored."""
    out: list[tuple[str, str]] = []
    at = 0
    for start, end, lang in spans or ():
        if start < at or end <= start or end > len(text):
            continue
        if start > at:
            out.append((text[at:start], ""))
        out.append((text[start:end], lang))
        at = end
    if at < len(text) or not out:
        out.append((text[at:], ""))
    return out


def _unique(items) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _build(cls, data: dict[str, Any]):
    """Rebuild nested frozen dataclasses from their asdict() form."""
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        kwargs[f.name] = _value(cls, f.name, data[f.name])
    return cls(**kwargs)


_NESTED = {
    (Document, "organisations"): OrgScheme,
    (Document, "sections"): Section,
    (Document, "title_marking"): Marking,
    (OrgScheme, "levels"): SchemeLevel,
    (Section, "subsections"): Section,
    (Section, "marking"): Marking,
    (Paragraph, "marking"): Marking,
    (Paragraph, "sources"): Source,
    (Row, "marking"): Marking,
    (Row, "sources"): Source,
    (Table, "rows"): Row,
    (Figure, "marking"): Marking,
}


def _value(cls, name: str, value: Any) -> Any:
    if cls is Section and name == "blocks":
        return tuple(_build(_BLOCKS[b["kind"]], b) for b in value)
    target = _NESTED.get((cls, name))
    if target is not None:
        if isinstance(value, list):
            return tuple(_build(target, v) for v in value)
        return _build(target, value)
    return _tuplify(value)


def _tuplify(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuplify(v) for v in value)
    return value


def iter_blocks(sections):
    """Every (section, block) pair, depth first."""
    for s in sections:
        for b in s.blocks:
            yield s, b
        yield from iter_blocks(s.subsections)
