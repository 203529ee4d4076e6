"""Standalone HTML: one file with its CSS and inline SVG charts; the PDF is printed from it.

Every paragraph and table row carries its portion marking visibly and its
provenance as data attributes (data-record, data-organisation, data-author,
data-approver), so each statement can be traced from the file alone.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote

from django.utils.translation import gettext as _

from .. import charts
from ..document import Document, Figure, Paragraph, Section, Table, segments
from . import (
    cover_entries,
    distribution_rows,
    figure_numbers,
    group_blocks,
    heading_number,
    progress_report,
    register_renderer,
)

CSS = (Path(__file__).with_name("report.css")).read_text()
# What only WeasyPrint reads (bookmark levels, leaders and page references in the contents):
# the PDF renderer passes it as a stylesheet of its own, so the HTML file holds standard CSS only.
PRINT_CSS = (Path(__file__).with_name("print.css")).read_text()
_FONT = '"Liberation Sans", "DejaVu Sans", sans-serif'


def _css_string(text: str) -> str:
    """A CSS string that cannot end itself, the declaration or the <style> element."""
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:;/()-–—" else f"\\{ord(ch):x} " for ch in text) + '"'


# The draft watermark on paper: a page background, which WeasyPrint draws as an artifact (outside
# the structure tree, as PDF/UA wants); on screen the fixed .watermark element shows it.
_WATERMARK_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">'
    '<text x="300" y="340" font-family="Liberation Sans, DejaVu Sans, sans-serif" font-size="150" '
    'font-weight="bold" fill="#a00000" fill-opacity="0.10" text-anchor="middle" '
    'transform="rotate(-35 300 300)">{word}</text></svg>')


def watermark_url() -> str:
    """The watermark picture with DRAFT in the document's language."""
    return "data:image/svg+xml," + quote(_WATERMARK_SVG.format(word=escape(_("DRAFT"))), safe="")


def page_css(doc: Document) -> str:
    """Running headers and footers: the document marking on every page, the document number
    above, page numbers below; DRAFT in the header and the footer of every page of a draft."""
    marking = _css_string(doc.marking_names())
    short = _css_string(f"{progress_report(doc)} — {doc.edition_label}")
    draft = _css_string(_("DRAFT")) if doc.draft else "none"
    page, of = _css_string(_("Page") + " "), _css_string(" " + _("of") + " ")
    number = _css_string(doc.number) if doc.number else "none"
    first_left = f"content: {draft};" if doc.draft else "content: none;"
    background = f'background: url("{watermark_url()}") no-repeat center / 170mm auto;' if doc.draft else ""
    return f"""
@page {{ size: A4; margin: 22mm 18mm 22mm 18mm; {background}
  @top-left {{ content: {number}; font: 7pt {_FONT}; color: #5a5a5a; }}
  @top-center {{ content: {marking}; font: bold 8pt {_FONT}; }}
  @top-right {{ content: {draft}; font: bold 8pt {_FONT}; color: #a00000; }}
  @bottom-center {{ content: {marking}; font: bold 8pt {_FONT}; }}
  @bottom-left {{ content: {(draft + ' " — " ') if doc.draft else ""}{short}; font: 7pt {_FONT}; color: #5a5a5a; }}
  @bottom-right {{ content: {page} counter(page) {of} counter(pages); font: 7pt {_FONT}; }}
}}
@page :first {{ @bottom-left {{ {first_left} }} @bottom-right {{ content: none; }} }}
"""


def _attrs(doc: Document, marking, sources) -> str:
    out = f' data-marking="{escape(doc.portion_mark(marking))}"'
    if sources:
        s = sources[0]
        out += (f' data-record="{escape(" ".join(x.record for x in sources))}"'
                f' data-organisation="{escape(s.organisation)}" data-author="{escape(s.author)}"'
                f' data-approver="{escape(s.approver)}"')
    return out


def _pm(doc: Document, marking) -> str:
    return f'<span class="pm">{escape(doc.portion_mark(marking))}</span>'


def _lang(lang: str) -> str:
    """A ``lang`` attribute (with its leading space) for text in another language than the document's."""
    return f' lang="{escape(lang)}"' if lang else ""


def tagged(text: str, spans) -> str:
    """``text`` escaped, the words it quotes in another language (``spans``) each in a span of
    their own that says which (the report's paragraphs and the pages' summary)."""
    return escape(text) if not spans else "".join(
        f"<span{_lang(lang)}>{escape(piece)}</span>" if lang else escape(piece)
        for piece, lang in segments(text, spans))


def _text(p: Paragraph) -> str:
    """The paragraph's text, in a ``lang`` span where it is not in the document's language."""
    text = tagged(p.text, p.spans)
    return f'<span lang="{escape(p.lang)}">{text}</span>' if p.lang else text


def paragraph(doc: Document, p: Paragraph, tag: str = "p", section: str = "") -> str:
    """A paragraph with its number (``id="p-2.1-3"`` for section 2.1, paragraph 3) and portion mark."""
    ident, number = "", ""
    if p.number:
        ident = f' id="p-{escape(section)}-{escape(p.number)}"' if section else ""
        number = f'<span class="pn">{escape(p.number)}.</span>'
    return (f'<{tag} class="{escape(p.style)}"{ident}{_attrs(doc, p.marking, p.sources)}>{number}'
            f"{_pm(doc, p.marking)}{_text(p)}</{tag}>")


def _width_classes(t: Table) -> list[str]:
    """Column widths as classes (``w123`` is 12.3%): the page's style block defines them, as a
    content security policy without inline styles allows."""
    total = sum(t.widths) or 1
    return [f"w{round(w * 900 / total)}" for w in t.widths]


def width_css(doc: Document) -> str:
    def tables(sections):
        for s in sections:
            yield from (b for b in s.blocks if isinstance(b, Table))
            yield from tables(s.subsections)

    used = sorted({c for t in tables(doc.sections) for c in _width_classes(t)}, key=lambda c: int(c[1:]))
    return "".join(f"col.{c} {{ width: {int(c[1:]) / 10:.1f}%; }}\n" for c in used)


def table(doc: Document, t: Table) -> str:
    cols = '<col class="mk">' + "".join(f'<col class="{c}">' for c in _width_classes(t))
    head = f'<th class="mk" scope="col">{escape(_("Mk."))}</th>' + "".join(f'<th scope="col">{escape(h)}</th>' for h in t.header)
    rows = []
    for row in t.rows:
        cls = f' class="{escape(row.flag)}"' if row.flag else ""
        cells = "".join(f"<td{_lang(row.lang(i))}>{escape(c)}</td>" for i, c in enumerate(row.cells))
        rows.append(f'<tr{cls}{_attrs(doc, row.marking, row.sources)}><td class="mk">'
                    f'{escape(doc.portion_mark(row.marking))}</td>{cells}</tr>')
    compact = ' class="compact"' if len(t.rows) <= 6 else ""
    return (f'<table{compact} data-marking="{escape(doc.portion_mark(t.marking))}"><caption>{_pm(doc, t.marking)}'
            f'{escape(t.caption)}</caption><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def figure(doc: Document, f: Figure, number: int) -> str:
    """The chart as inline SVG with its text alternative (charts.accessible_svg), the caption,
    and the summary sentence the SVG's aria-describedby names; its data table is next to it."""
    summary = f"figure-{number}-summary"
    return (f'<figure data-marking="{escape(doc.portion_mark(f.marking))}">'
            f"{charts.accessible_svg(f, number, summary)}"
            f"<figcaption>{_pm(doc, f.marking)}{escape(_('Figure %(number)s:') % {'number': number})} "
            f"{escape(f.caption)}"
            f'<span class="figure-summary" id="{summary}">{escape(charts.summary(f))}</span></figcaption></figure>')


def section(doc: Document, s: Section, depth: int, numbers: dict[int, int]) -> str:
    level = min(depth + 2, 6)  # the title is the one h1
    number = f'<span class="sn">{escape(heading_number(s))}</span> ' if heading_number(s) else ""
    label = escape(f"{heading_number(s)} {s.title}".strip())  # the PDF bookmark (print.css)
    title = f"<span{_lang(s.title_lang)}>{escape(s.title)}</span>" if s.title_lang else escape(s.title)
    parts = [f'<h{level}{_attrs(doc, s.marking, ())} data-label="{label}">{number}{_pm(doc, s.marking)}'
             f"{title}</h{level}>"]
    for kind, item in group_blocks(s.blocks):
        if kind == "list":
            parts.append("<ul>" + "".join(paragraph(doc, p, "li", s.number) for p in item) + "</ul>")
        elif isinstance(item, Paragraph):
            parts.append(paragraph(doc, item, section=s.number))
        elif isinstance(item, Table):
            parts.append(table(doc, item))
        else:
            parts.append(figure(doc, item, numbers[id(item)]))
    parts += [section(doc, sub, depth + 1, numbers) for sub in s.subsections]
    cls = ' class="break"' if s.page_break else ""
    return f'<section id="{escape(s.anchor)}"{cls}>{"".join(parts)}</section>'


def toc(doc: Document) -> str:
    def items(sections, depth):
        if not sections or depth > 2:
            return ""
        return "<ol>" + "".join(
            f'<li><a href="#{escape(s.anchor)}"{_lang(s.title_lang)}>{escape(f"{heading_number(s)} {s.title}".strip())}</a>'
            f"{items(s.subsections, depth + 1)}</li>"
            for s in sections) + "</ol>"

    return f'<nav class="toc"><h2>{escape(_("Contents"))}</h2>{items(doc.sections, 1)}</nav>'


def title_page(doc: Document) -> str:
    dl = "".join(f"<dt>{escape(k)}</dt><dd{_lang(lang)}>{escape(v)}</dd>" for k, v, lang in cover_entries(doc))
    dist = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in distribution_rows(doc))
    draft = f'<p class="draft-flag">{escape(_("DRAFT"))}</p>' if doc.draft else ""
    return (f'<div class="title-page"><p class="partnership"{_lang(doc.partnership_lang)}>{escape(doc.partnership)}'
            f'</p>{draft}<h1 class="doc-title"{_lang(doc.title_lang)}{_attrs(doc, doc.title_marking, ())}>'
            f'{escape(doc.title)}</h1>'
            f'<dl>{dl}</dl><p class="distribution-head">{escape(_("Distribution"))}</p>'
            f'<dl class="distribution">{dist}</dl></div>')


def render_html(doc: Document) -> str:
    marking = escape(doc.marking_names())
    numbers = figure_numbers(doc)
    body = "".join(section(doc, s, 0, numbers) for s in doc.sections)
    watermark = f'<div class="watermark" aria-hidden="true">{escape(_("DRAFT"))}</div>' if doc.draft else ""
    number = f'<meta name="dcterms.identifier" content="{escape(doc.number)}">' if doc.number else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(doc.language)}"><head><meta charset="utf-8">'
        f"<title{_lang(doc.title_lang)}>{escape(doc.file_title)}</title>{number}"
        f'<meta name="dcterms.accessRights" content="{marking}">'
        f"<style>{CSS}{page_css(doc)}{width_css(doc)}</style></head>"
        f'<body data-edition="{escape(doc.edition)}" data-marking="{marking}"{" data-draft" if doc.draft else ""}>'
        f'{watermark}<div class="banner screen">{marking}</div>{title_page(doc)}{toc(doc)}<main>{body}</main>'
        f'<div class="banner screen">{marking}</div></body></html>\n'
    )


@register_renderer("html", "html", "text/html; charset=utf-8")
def html_bytes(doc: Document) -> bytes:
    return render_html(doc).encode()
