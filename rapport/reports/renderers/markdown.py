"""Markdown (GitHub-flavoured: pipe tables). Charts appear as their data tables,
which every figure has next to it, and the sentence of their text alternative;
provenance is in Annex B.

No raw HTML: headings are identified by their section numbers (``### 2.1 …``),
which are stable between editions, and the contents list them as plain text
references; every renderer (GitHub, CommonMark, GFM, pandoc) reads the same thing,
and GitHub still makes its own heading links. Paragraphs carry their numbers
(``3\\. (PUBLIC) …``, escaped so that no parser makes an ordered list of them).
A draft says DRAFT at the top and the bottom, beside the marking. A French edition says
its language on its first line (Markdown has no place for it in the file itself);
an English one says nothing, as before.

Every text from the records goes through ``inline``, so CommonMark and GFM read it
as text: no raw HTML, entity, link, emphasis or table cell break can come from it,
and it never starts a line (line ends become spaces; each line starts with the
renderer's own bullet, heading mark or portion mark).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .. import charts
from ..document import Document, Figure, Paragraph, Section, Table
from . import (
    cover_rows,
    distribution_rows,
    figure_numbers,
    group_blocks,
    heading_number,
    register_renderer,
)

# ASCII punctuation that is syntax somewhere in CommonMark or GFM (a backslash makes it text).
_SYNTAX = re.compile(r"([\\`*_\[\]<>&|~#!$])")
# GFM links e-mail addresses (also after mailto: and xmpp:) and ftp:// in text after
# escapes are resolved, so no escape stops it; an invisible word joiner does.
_WORD_JOINER = "\u2060"
_EMAIL_AT = re.compile(r"(?<=[A-Za-z0-9.+_-])@")
# '//' is kept only in http:// and https://.
_SLASHES = re.compile(r"(?i)((?:^|(?<=[^a-z]))https?:)?/(?=/)")
_LINE_END = re.compile(r"\s*(?:\r\n|\r|\n)\s*")
# A text with none of these characters and no outer spaces reads back as given: most cells and marks.
_PLAIN = re.compile(r"[\\`*_\[\]<>&|~#!$@/\r\n]")


def inline(text: str) -> str:
    """Text from the records as Markdown inline text that reads back as given (line ends as
    spaces, and an invisible word joiner where GFM would otherwise make a link)."""
    if not _PLAIN.search(text) and text == text.strip():
        return text
    text = _LINE_END.sub(" ", text).strip()
    text = _SYNTAX.sub(r"\\\1", text)
    text = _EMAIL_AT.sub(_WORD_JOINER + "@", text)
    return _SLASHES.sub(lambda m: m.group(0) if m.group(1) else "/" + _WORD_JOINER, text)


def _table(doc: Document, t: Table) -> list[str]:
    lines = [f"**{inline(doc.portion_mark(t.marking))} {inline(t.caption)}**", ""]
    lines.append(f"| {inline(_('Mk.'))} | " + " | ".join(inline(h) or " " for h in t.header) + " |")
    lines.append("|" + "---|" * (len(t.header) + 1))
    for row in t.rows:
        lines.append(f"| {inline(doc.portion_mark(row.marking))} | " + " | ".join(inline(c) for c in row.cells) + " |")
    return lines + [""]


def _paragraph(doc: Document, p: Paragraph) -> str:
    number = f"{inline(p.number)}\\. " if p.number else ""
    return f"{number}{inline(doc.portion_mark(p.marking))} {inline(p.text)}".rstrip()


def _section(doc: Document, s: Section, depth: int, numbers: dict[int, int]) -> list[str]:
    number = f"{inline(heading_number(s))} " if heading_number(s) else ""
    heading = "#" * min(depth + 2, 6) + f" {number}{inline(doc.portion_mark(s.marking))} {inline(s.title)}"
    lines = [heading.rstrip(), ""]
    for kind, item in group_blocks(s.blocks):
        if kind == "list":
            lines += [f"- {_paragraph(doc, p)}" for p in item] + [""]
        elif isinstance(item, Paragraph):
            text = _paragraph(doc, item)
            lines += [f"*{text}*" if item.style == "note" else f"**{text}**" if item.style == "lead" else text, ""]
        elif isinstance(item, Table):
            lines += _table(doc, item)
        elif isinstance(item, Figure):
            figure = _("Figure %(number)s:") % {"number": numbers[id(item)]}
            lines += [f"*{inline(doc.portion_mark(item.marking))} {inline(figure)} {inline(item.caption)} "
                      + inline(_("(chart in the HTML, PDF and DOCX editions; its data is in the table above)."))
                      + "*", "",
                      inline(charts.summary(item)), ""]
    for sub in s.subsections:
        lines += _section(doc, sub, depth + 1, numbers)
    return lines


def _toc(sections, depth=0) -> list[str]:
    lines = []
    for s in sections:
        lines.append("  " * depth + f"- {inline(f'{heading_number(s)} {s.title}'.strip())}")
        if depth < 1:
            lines += _toc(s.subsections, depth + 1)
    return lines


def _label(name: str) -> str:
    """'Date:', 'Date :' in French."""
    return inline((_("%(label)s: ") % {"label": name}).rstrip())


def render_markdown(doc: Document) -> str:
    draft = inline(_("DRAFT")) + " — " if doc.draft else ""
    banner = f"**{draft}{inline(doc.marking_names())}**"
    lines = [banner, ""]
    if doc.base_language != "en":
        lines += [inline(_("Language: %(language)s") % {"language": _("French")}), ""]
    lines += [f"# {inline(doc.title)}", ""]
    lines += [f"- **{_label(k)}** {inline(v)}" for k, v in cover_rows(doc)] + [""]
    lines += [f"**{inline(_('Distribution'))}**", ""]
    lines += [f"- **{_label(k)}** {inline(v)}" for k, v in distribution_rows(doc)] + [""]
    lines += [f"## {inline(_('Contents'))}", "", *_toc(doc.sections), ""]
    numbers = figure_numbers(doc)
    for s in doc.sections:
        lines += _section(doc, s, 0, numbers)
    lines += [banner, ""]
    return "\n".join(lines)


@register_renderer("md", "md", "text/markdown; charset=utf-8")
def markdown_bytes(doc: Document) -> bytes:
    return render_markdown(doc).encode()
