"""DOCX through python-docx: Word's own heading styles, a table of contents
(its entries written out, linked to bookmarks on the headings, inside a TOC field
Word updates on opening), real tables, charts as PNG with their text alternative,
the marking and the document number in the header and footer of every page, and
for a draft DRAFT there too and as a watermark.

The package describes the document: core properties (title, subject = edition and
marking, the document number as identifier, language), application properties of
Rapport's own (not python-docx's template's), the language of the text (en-GB or fr)
in the styles, ``w:lang`` on the runs of a record's text in another language, and no
thumbnail (the template's is a blank page).

python-docx stamps zip members with the current time; the file is rewritten
with fixed timestamps and the core properties are set from the report date,
so the same document gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from html import escape

from django.utils.translation import gettext
from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree
from lxml.etree import SubElement

from .. import charts
from ..document import Document, Figure, Paragraph, Section, Table, segments
from . import (
    cover_entries,
    distribution_rows,
    figure_numbers,
    group_blocks,
    heading_number,
    marking_label,
    register_renderer,
)

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x5A, 0x5A, 0x5A)
FONT = "Liberation Sans"
# Characters XML 1.0 cannot hold (lxml refuses them) become U+FFFD. A Paragraph is one
# paragraph, so its line ends are spaces, as in HTML (python-docx would make them breaks).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LINE_END = re.compile(r"\s*(?:\r\n|\r|\n)\s*")


_EITHER = re.compile("[\x00-\x08\x0a-\x1f\ufffe\uffff\ud800-\udfff]")


def _t(text: str) -> str:
    if not _EITHER.search(text):  # most text has neither: spare the two substitutions
        return text
    return _NOT_XML.sub("\ufffd", _LINE_END.sub(" ", text))


def _field(paragraph, instruction: str, placeholder: str = "", size: Pt | None = None) -> None:
    """A Word field (PAGE, NUMPAGES …); Word computes its value. ``size`` sizes its runs."""
    run = paragraph.add_run()
    run.font.size = size
    for tag, attr in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "separate")):
        el = OxmlElement(tag)
        if attr:
            el.set(qn("w:fldCharType"), attr)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = instruction
        run._r.append(el)
    paragraph.add_run(placeholder).font.size = size
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    last = paragraph.add_run()
    last.font.size = size
    last._r.append(end)


def _styles(d, doc: Document) -> None:
    for lang in d.styles.element.xpath("w:docDefaults//w:lang"):  # the template's is en-US
        lang.set(qn("w:val"), doc.language)
    normal = d.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    for n, size in ((1, 16), (2, 13), (3, 11), (4, 10.5)):
        st = d.styles[f"Heading {n}"]
        st.font.name, st.font.size, st.font.color.rgb = FONT, Pt(size), ACCENT
        rfonts = st.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:ascii"), FONT)
        rfonts.set(qn("w:hAnsi"), FONT)
    for name, (bold, italic, size, muted) in CHARACTER_STYLES.items():
        st = d.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        st.font.bold, st.font.italic = bold or None, italic or None
        if size:
            st.font.size = Pt(size)
        if muted:
            st.font.color.rgb = MUTED
    d.styles["Draft Mark"].font.color.rgb = RGBColor(0xA0, 0, 0)
    for n in (1, 2):  # the template has no contents styles: Word's built-in "toc 1", "toc 2"
        st = d.styles.add_style(f"TOC {n}", WD_STYLE_TYPE.PARAGRAPH)
        st.element.name_val = f"toc {n}"
        st.element.attrib.pop(qn("w:customStyle"), None)
        st.base_style = normal
        st.paragraph_format.left_indent = Cm(0.6 * (n - 1))
        st.paragraph_format.space_after = Pt(3 if n == 1 else 1)
        st.font.bold = n == 1


# Word's own text watermark: a VML word-art shape in the header, behind the text of every page.
_WATERMARK = """<w:r xmlns:w="{w}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><w:rPr><w:noProof/></w:rPr><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="RapportDraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:140pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#a00000" stroked="f"><v:fill opacity=".12"/><v:textpath style="font-family:&quot;Liberation Sans&quot;;font-size:1pt;font-weight:bold" string="DRAFT"/></v:shape>
</w:pict></w:r>""".replace("{w}", nsmap["w"])


def _header_footer(d, doc: Document) -> None:
    """On every page: the marking above and below; the document number above, DRAFT above and
    below (and the watermark) on a draft; page numbers below, all in one size."""
    marking = _t(doc.marking_names())
    small = Pt(7)
    for sec in d.sections:
        sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
        sec.left_margin = sec.right_margin = Cm(1.8)
        sec.top_margin = sec.bottom_margin = Cm(2.2)
        head = sec.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = head.add_run(marking)
        r.bold, r.font.size = True, Pt(8)
        if doc.draft:
            word = escape(gettext("DRAFT"), quote=True)
            head._p.append(etree.fromstring(_WATERMARK.replace('string="DRAFT"', f'string="{word}"')))
        if doc.number or doc.draft:
            ident = sec.header.add_paragraph()
            ident.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            r = ident.add_run(" — ".join(x for x in (_t(doc.number), gettext("DRAFT") if doc.draft else "") if x))
            r.font.size, r.font.color.rgb = small, MUTED
            r.bold = doc.draft
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = foot.add_run(marking)
        r.bold, r.font.size = True, Pt(8)
        pages = sec.footer.add_paragraph()
        pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if doc.draft:
            r = pages.add_run(gettext("DRAFT") + " — ")
            r.bold, r.font.size = True, small
        pages.add_run(gettext("Page") + " ").font.size = small
        _field(pages, "PAGE", "1", small)
        pages.add_run(" " + gettext("of") + " ").font.size = small
        _field(pages, "NUMPAGES", "1", small)


class _Body:
    """Writes the document body as WordprocessingML text, parsed with the document at the end.

    python-docx inserts every block before the section properties that close the body,
    scanning the body each time, and looks styles up by name on every use: on a long
    report both grow with the square of its length, and building every element through
    its API costs several times what the HTML takes. Here each kind of paragraph, run,
    table and row is built once with python-docx and kept as text; blocks are written
    from those templates, and the text is spliced into the saved document's part before
    the section properties (parsing it back into the tree would cost more than all the rest,
    and moving a parsed table into the tree costs lxml time that grows with the square of
    its length). The elements are those python-docx makes, so the file is the same; the
    tests read every file back with python-docx. Blocks python-docx must make itself
    (pictures, fields) are built by it on paragraphs of their own, serialised at the end.
    """

    def __init__(self, d, doc: Document):
        self.d, self.doc = d, doc
        self.parent = d._body  # gives paragraphs and runs their document part
        self.block_width = d._block_width
        self.style_names = {st.name for st in d.styles}
        self.style_ids: dict = {}
        self.marks: dict = {}
        self.templates: dict = {}
        self.chunks: list = []  # text, or elements python-docx is still filling
        self.bookmarks = _bookmarks(doc)  # id(section) -> number of its _Toc bookmark

    def write(self, xml: str) -> None:
        self.chunks.append(xml)

    def close(self) -> str:
        """The body's text, to go before the section properties of the saved document."""
        text = "".join(c if isinstance(c, str) else etree.tostring(c, encoding="unicode") for c in self.chunks)
        self.chunks = []
        return text

    def element_paragraph(self, style: str | None = None):
        """A paragraph element in its place in the body, for python-docx to fill."""
        p = OxmlElement("w:p")
        self.chunks.append(p)
        if style is not None:
            p.style = self.style_id(style)
        return p

    def style_id(self, name: str, kind=WD_STYLE_TYPE.PARAGRAPH):
        key = (name, kind)
        if key not in self.style_ids:
            self.style_ids[key] = self.d.part.get_style_id(name, kind)
        return self.style_ids[key]

    def has_style(self, name: str) -> bool:
        return name in self.style_names

    def template(self, key, build) -> list[str]:
        """The text of an element python-docx builds, split where ``build`` put ``_SLOT`` texts."""
        found = self.templates.get(key)
        if found is None:
            found = self.templates[key] = _xml(build()).split(_SLOT_XML)
        return found

    def paragraph(self, style: str | None, *runs: str) -> None:
        def build():
            p = OxmlElement("w:p")
            if style is not None:
                p.style = self.style_id(style)
            _slot(p)
            return p

        start, end = self.template(("p", style), build)
        self.write(start + "".join(runs) + end)

    def run(self, text: str, kind: str = "", lang: str = "") -> str:
        """A run of ``text`` with one of the formats of ``_RUN_FORMATS``, in ``lang`` where its
        language is not the document's (``w:lang``, last in the run properties as the schema orders them)."""
        def build():
            r = OxmlElement("w:r")
            _RUN_FORMATS[kind](Run(r, self.parent))
            if lang:
                tag = OxmlElement("w:lang")
                tag.set(qn("w:val"), lang)
                r.get_or_add_rPr().append(tag)
            _slot(r)
            return r

        start, end = self.template(("r", kind, lang), build)
        return start + _t_xml(text) + end

    def mark(self, marking) -> str:
        return self.run(self.portion_mark(marking) + " ", "mark")

    def portion_mark(self, marking) -> str:
        text = self.marks.get(marking)
        if text is None:
            text = self.marks[marking] = _t(self.doc.portion_mark(marking))
        return text

    def page_break(self) -> None:
        def build():
            p = OxmlElement("w:p")
            DocxParagraph(p, self.parent).add_run().add_break(WD_BREAK.PAGE)
            return p

        self.write(self.template("page-break", build)[0])


# The report's character styles: every run of the body takes one (no direct formatting), so a
# reader's Word can restyle the document, and each element says what it is.
CHARACTER_STYLES = {
    # name: (bold, italic, size in pt, muted colour)
    "Portion Mark": (True, False, 7.5, True),
    "Paragraph Number": (True, False, None, False),
    "Note Text": (False, True, 9.5, True),
    "Lead Text": (True, False, None, False),
    "Caption Text": (True, False, None, False),
    "Figure Caption": (False, True, 9, False),
    "Table Mark": (True, False, 7, True),
    "Table Text": (False, False, 8.5, False),
    "Table Heading": (True, False, 8.5, False),
    "Cover Label": (False, False, None, True),
    "Partnership Name": (False, False, 12, True),
    "Draft Mark": (True, False, 14, False),
}


def _styled(name: str):
    def fmt(run) -> None:
        run.style = name

    return fmt


def _plain(run) -> None:
    pass


_RUN_FORMATS = {"": _plain, "mark": _styled("Portion Mark"), "number": _styled("Paragraph Number"),
                "note": _styled("Note Text"), "lead": _styled("Lead Text"), "bold": _styled("Caption Text"),
                "figure": _styled("Figure Caption"), "cell-mark": _styled("Table Mark"),
                "cell": _styled("Table Text"), "heading": _styled("Table Heading"),
                "label": _styled("Cover Label"), "partnership": _styled("Partnership Name"),
                "draft": _styled("Draft Mark")}
# Where a template's content goes: a text no template holds otherwise.
_SLOT = "\ue000"
_SLOT_XML = f"<w:t>{_SLOT}</w:t>"
_W_DECLARATION = f' xmlns:w="{nsmap["w"]}"'


def _slot(element) -> None:
    SubElement(element, qn("w:t")).text = _SLOT


def _xml(element) -> str:
    """An element as text, without the namespace declaration the body already makes."""
    text = etree.tostring(element, encoding="unicode").replace(_W_DECLARATION, "")
    if "xmlns" in text:
        raise ValueError(f"unexpected namespace in a DOCX template: {text[:200]}")
    return text


def _t_xml(text: str) -> str:
    """The content of a run holding ``text``, as python-docx's ``run.text`` makes it: a
    ``w:t`` per stretch between tabs (spaces kept where they would be lost), a ``w:tab`` per tab."""
    if "\t" not in text:
        return _t_element(text) if text else ""
    return "<w:tab/>".join(_t_element(part) if part else "" for part in text.split("\t"))


def _t_element(text: str) -> str:
    start = '<w:t xml:space="preserve">' if len(text.strip()) < len(text) else "<w:t>"
    return start + escape(text, quote=False) + "</w:t>"


def _paragraph(b: _Body, item: Paragraph, style: str | None = None) -> None:
    number = b.run(f"{item.number}. ", "number") if item.number else ""
    kind = item.style if item.style in ("note", "lead") else ""
    if item.spans:  # words in another language: a run of their own, in that language
        text = "".join(b.run(_t(piece), kind, lang or item.lang) for piece, lang in segments(item.text, item.spans))
    else:
        text = b.run(_t(item.text), kind, item.lang)
    b.paragraph(style, number + b.mark(item.marking), text)


def _shade(cell, colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


def _table_templates(b: _Body, t: Table):
    """(the table with its header row, a data row, a shaded data row) as text for this header and
    these widths, built once with python-docx for every table like it."""
    key = ("table", t.header, t.widths)
    if key in b.templates:
        return b.templates[key]
    tbl = CT_Tbl.new_tbl(1, len(t.header) + 1, b.block_width)
    table = DocxTable(tbl, b.parent)
    tbl.tblStyle_val = b.style_id("Table Grid", WD_STYLE_TYPE.TABLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (1.7,) + tuple(w * 15.6 / (sum(t.widths) or 1) for w in (t.widths or (1,) * len(t.header)))
    for cell, text in zip(table.rows[0].cells, (gettext("Mk."), *t.header), strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(_t(text))
        _RUN_FORMATS["heading"](run)
        _shade(cell, "E8EDF3")
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    # Word reads the cell widths, LibreOffice the table grid: set both, and a fixed layout.
    table.autofit = False
    for column, w in zip(table.columns, widths, strict=False):
        column.width = Cm(w)
    row = table.add_row()._tr
    for tr in (table.rows[0]._tr, row):
        for tc, w in zip(tr.tc_lst, widths, strict=False):
            _Cell(tc, table).width = Cm(w)
    tbl.remove(row)
    for n, tc in enumerate(row.tc_lst):
        run = _Cell(tc, table).paragraphs[0].add_run()
        _RUN_FORMATS["cell-mark" if n == 0 else "cell"](run)
        _slot(run._r)
    shaded = row.__copy__()  # an lxml element's copy is deep
    for tc in shaded.tc_lst:
        _shade(_Cell(tc, table), "FFF4D6")
    _slot(tbl)
    b.templates[key] = (_xml(tbl).split(_SLOT_XML), _xml(row).split(_SLOT_XML), _xml(shaded).split(_SLOT_XML))
    return b.templates[key]


def _table(b: _Body, t: Table) -> None:
    b.paragraph("Caption" if b.has_style("Caption") else None, b.mark(t.marking), b.run(_t(t.caption), "bold"))
    (start, end), plain, shaded = _table_templates(b, t)
    parts = [start]
    for row in t.rows:
        pieces = shaded if row.flag == "differs" else plain
        texts = (b.portion_mark(row.marking), *map(_t, row.cells))
        parts.append(pieces[0])
        for n, (text, piece) in enumerate(zip(texts, pieces[1:], strict=True)):
            lang = row.lang(n - 1) if n else ""
            if lang:  # a cell in another language: its run says so (w:lang, last in the run properties)
                parts[-1] = _with_lang(parts[-1], lang)
            parts += (_t_xml(text), piece)
    parts.append(end)
    b.write("".join(parts))
    b.paragraph(None)


def _with_lang(before: str, lang: str) -> str:
    """The text before a table cell's content, with the cell's run in ``lang``: the run's properties
    end right before the content, so ``w:lang`` goes last in them."""
    end = "</w:rPr>"
    if not before.endswith(end):
        raise ValueError("a DOCX table cell template without run properties before its content")
    return before[:-len(end)] + f'<w:lang w:val="{escape(lang)}"/>' + end


def _figure(b: _Body, f: Figure, number: int) -> None:
    """The chart as PNG with its text alternative (the sentence and the data) as the picture's
    description, the caption, and the sentence under it; its data table is next to it."""
    run = DocxParagraph(b.element_paragraph(), b.parent).add_run()
    run.add_picture(io.BytesIO(charts.png(f)), width=Cm(16))
    for doc_pr in run._r.xpath(".//wp:docPr"):
        doc_pr.set("descr", _t(charts.alt_text(f, number)))
        doc_pr.set("title", _t(f"{gettext('Figure %(number)s:') % {'number': number}} {f.caption}"))
    b.paragraph(None, b.mark(f.marking), b.run(f"{gettext('Figure %(number)s:') % {'number': number}} {_t(f.caption)}",
                                               "figure"))
    b.paragraph(None, b.run(_t(charts.summary(f)), "note"))


def _bookmarks(doc: Document) -> dict[int, int]:
    """The headings the contents list (two levels), numbered in reading order."""
    found: dict[int, int] = {}

    def walk(sections, depth):
        for s in sections:
            found[id(s)] = len(found) + 1
            if depth < 1:
                walk(s.subsections, depth + 1)

    walk(doc.sections, 0)
    return found


def _bookmarked(b: _Body, s: Section, runs: str) -> str:
    n = b.bookmarks.get(id(s))
    if n is None:
        return runs
    return f'<w:bookmarkStart w:id="{n}" w:name="_Toc{n:08d}"/>{runs}<w:bookmarkEnd w:id="{n}"/>'


def _section(b: _Body, s: Section, depth: int, numbers: dict[int, int]) -> None:
    if s.page_break:
        b.page_break()
    number = b.run(f"{heading_number(s)} ") if heading_number(s) else ""
    b.paragraph(f"Heading {min(depth + 1, 4)}", _bookmarked(b, s, number + b.mark(s.marking) + b.run(_t(s.title), "", s.title_lang)))
    for kind, item in group_blocks(s.blocks):
        if kind == "list":
            for p in item:
                _paragraph(b, p, "List Bullet")
        elif isinstance(item, Paragraph):
            _paragraph(b, item)
        elif isinstance(item, Table):
            _table(b, item)
        else:
            _figure(b, item, numbers[id(item)])
    for sub in s.subsections:
        _section(b, sub, depth + 1, numbers)


def _title_page(b: _Body) -> None:
    doc = b.doc
    b.paragraph(None, b.run(_t(doc.partnership.upper()), "partnership", doc.partnership_lang))
    if doc.draft:
        b.paragraph(None, b.run(gettext("DRAFT"), "draft"))
    b.paragraph("Title", b.mark(doc.title_marking), b.run(_t(doc.title), "", doc.title_lang))
    distribution = [(k, v, "") for k, v in [(gettext("Distribution"), "")] + distribution_rows(doc)]
    for rows in (cover_entries(doc), distribution):
        for k, v, lang in rows:
            if not v:
                b.paragraph(None, b.run(k, "lead"))
                continue
            b.paragraph(None, b.run(gettext("%(label)s: ") % {"label": k}, "label"),
                        b.run(_t(v), "lead" if k == marking_label() else "", lang))
        b.paragraph(None)
    b.page_break()
    b.paragraph("TOC Heading" if b.has_style("TOC Heading") else None, b.run(gettext("Contents")))
    _contents(b)


def _fld_char(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def _contents(b: _Body) -> None:
    """The table of contents: a TOC field whose result is written out (an entry per heading of the
    first two levels, linked to its bookmark), so it reads right before Word updates it; page
    numbers come when Word (asked by the document's settings) or LibreOffice updates the field."""
    entries = []

    def walk(sections, depth):
        for s in sections:
            entries.append((depth, s))
            if depth < 1:
                walk(s.subsections, depth + 1)

    walk(b.doc.sections, 0)
    begin = (_fld_char("begin") + '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
             + _fld_char("separate"))
    if not entries:
        b.paragraph(None, begin + _fld_char("end"))
        return
    for i, (depth, s) in enumerate(entries):
        link = (f'<w:hyperlink w:anchor="_Toc{b.bookmarks[id(s)]:08d}" w:history="1">'
                f"{b.run(_t(f'{heading_number(s)} {s.title}'.strip()))}</w:hyperlink>")
        b.paragraph(f"toc {depth + 1}", (begin if i == 0 else "") + link
                    + (_fld_char("end") if i == len(entries) - 1 else ""))


_APP_XML = """<?xml version='1.0' encoding='UTF-8' standalone='yes'?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
<Application>Rapport</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>\
<Company>{company}</Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>\
<HyperlinksChanged>false</HyperlinksChanged></Properties>"""
_THUMBNAIL = "docProps/thumbnail.jpeg"
_THUMBNAIL_REL = re.compile(r'<Relationship [^>]*Target="docProps/thumbnail\.jpeg"/>')
# python-docx's template also carries an empty bibliography store (customXml): left out, with its
# relationship and content-type entry.
_CUSTOM_XML = "customXml/"
_CUSTOM_XML_REL = re.compile(r'<Relationship [^>]*Target="\.\./customXml/[^"]*"/>')
_CUSTOM_XML_TYPE = re.compile(r'<Override PartName="/customXml/[^"]*" ContentType="[^"]*"/>')


def _settings(d) -> None:
    """Word updates the fields (the contents' page numbers) on opening; no preview picture is saved."""
    settings = d.settings.element
    for preview in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(preview)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    compat = settings.find(qn("w:compat"))
    if compat is not None:  # the schema's order: updateFields comes before compat
        compat.addprevious(update)
    else:
        settings.append(update)
    for lang in settings.findall(qn("w:themeFontLang")):
        lang.set(qn("w:val"), "en-GB")


def _deterministic(data: bytes, body: str, doc: Document) -> bytes:
    """The saved file with the body spliced into its main part, Rapport's application properties,
    no thumbnail, no template bibliography, and fixed entry dates and order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            if info.filename == _THUMBNAIL or info.filename.startswith(_CUSTOM_XML):
                continue
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = content.decode()
                at = text.rindex("<w:sectPr")
                content = (text[:at] + body + text[at:]).encode()
            elif info.filename == "_rels/.rels":
                content = _THUMBNAIL_REL.sub("", content.decode()).encode()
            elif info.filename == "word/_rels/document.xml.rels":
                content = _CUSTOM_XML_REL.sub("", content.decode()).encode()
            elif info.filename == "[Content_Types].xml":
                content = _CUSTOM_XML_TYPE.sub("", content.decode()).encode()
            elif info.filename == "docProps/app.xml":
                company = escape(_t(" and ".join(o.name for o in doc.organisations)), quote=False)
                content = _APP_XML.format(company=company).encode()
            dst.writestr(fixed, content)
    return out.getvalue()


@register_renderer("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
def docx_bytes(doc: Document) -> bytes:
    d = new_docx()
    _styles(d, doc)
    _settings(d)
    when = datetime.datetime.fromisoformat(doc.date).replace(tzinfo=datetime.UTC)
    props = d.core_properties
    # Core properties hold at most 255 characters.
    props.title = _t(doc.file_title)[:255]
    props.subject = _t(f"{doc.edition_label} — {doc.marking_names()}")[:255]
    props.author = props.last_modified_by = _t(" and ".join(o.short_name for o in doc.organisations))[:255]
    props.created = props.modified = when
    props.revision = 1
    props.keywords = _t("; ".join(x for x in (doc.number, doc.marking_names(), doc.edition) if x))[:255]
    props.identifier = _t(doc.number)[:255]
    props.language = doc.language
    props.category = _t(doc.kind_label)[:255]
    props.comments = _t(f"{doc.kind_label}, {doc.period_label}" + (f" ({gettext('DRAFT')})" if doc.draft else ""))[:255]
    props.content_status = gettext("Draft") if doc.draft else _t(doc.status)[:255]
    _header_footer(d, doc)
    body = _Body(d, doc)
    _title_page(body)
    numbers = figure_numbers(doc)
    for s in doc.sections:
        _section(body, s, 0, numbers)
    text = body.close()
    buf = io.BytesIO()
    d.save(buf)
    return _deterministic(buf.getvalue(), text, doc)

