"""DOCX through python-docx: Word's own heading styles, a table of contents field
(Word fills it on opening), real tables, charts as PNG, the marking in the
header and footer of every page.

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
from ..document import Document, Figure, Paragraph, Section, Table
from . import figure_numbers, group_blocks, register_renderer

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


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC …); Word computes its value."""
    run = paragraph.add_run()
    for tag, attr in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "separate")):
        el = OxmlElement(tag)
        if attr:
            el.set(qn("w:fldCharType"), attr)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = instruction
        run._r.append(el)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _styles(d) -> None:
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


def _header_footer(d, doc: Document) -> None:
    marking = _t(doc.marking_names())
    for sec in d.sections:
        sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
        sec.left_margin = sec.right_margin = Cm(1.8)
        sec.top_margin = sec.bottom_margin = Cm(2.2)
        head = sec.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = head.add_run(marking)
        r.bold, r.font.size = True, Pt(8)
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = foot.add_run(marking)
        r.bold, r.font.size = True, Pt(8)
        pages = sec.footer.add_paragraph()
        pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        pages.add_run("Page ").font.size = Pt(7)
        _field(pages, "PAGE", "1")
        pages.add_run(" of ").font.size = Pt(7)
        _field(pages, "NUMPAGES", "1")


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

    def run(self, text: str, kind: str = "") -> str:
        """A run of ``text`` with one of the formats of ``_RUN_FORMATS``."""
        def build():
            r = OxmlElement("w:r")
            _RUN_FORMATS[kind](Run(r, self.parent))
            _slot(r)
            return r

        start, end = self.template(("r", kind), build)
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


def _plain(run) -> None:
    pass


def _mark_format(run) -> None:
    run.bold, run.font.size, run.font.color.rgb = True, Pt(7.5), MUTED


def _note_format(run) -> None:
    run.italic, run.font.size, run.font.color.rgb = True, Pt(9.5), MUTED


def _bold(run) -> None:
    run.bold = True


def _figure_caption(run) -> None:
    run.italic, run.font.size = True, Pt(9)


def _cell_format(size: float):
    def fmt(run) -> None:
        run.font.size = Pt(size)

    return fmt


_RUN_FORMATS = {"": _plain, "mark": _mark_format, "note": _note_format, "lead": _bold, "bold": _bold,
                "figure": _figure_caption, "cell-mark": _cell_format(7), "cell": _cell_format(8.5)}
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
    b.paragraph(style, b.mark(item.marking), b.run(_t(item.text), item.style if item.style in ("note", "lead") else ""))


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
    for cell, text in zip(table.rows[0].cells, ("Mk.", *t.header), strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(_t(text))
        run.bold, run.font.size = True, Pt(8.5)
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
        for text, piece in zip(texts, pieces[1:], strict=True):
            parts += (_t_xml(text), piece)
    parts.append(end)
    b.write("".join(parts))
    b.paragraph(None)


def _figure(b: _Body, f: Figure, number: int) -> None:
    """The chart as PNG with its text alternative (the sentence and the data) as the picture's
    description, the caption, and the sentence under it; its data table is next to it."""
    run = DocxParagraph(b.element_paragraph(), b.parent).add_run()
    run.add_picture(io.BytesIO(charts.png(f)), width=Cm(16))
    for doc_pr in run._r.xpath(".//wp:docPr"):
        doc_pr.set("descr", _t(charts.alt_text(f, number)))
        doc_pr.set("title", _t(f"Figure {number}: {f.caption}"))
    b.paragraph(None, b.mark(f.marking), b.run(f"Figure {number}: {_t(f.caption)}", "figure"))
    b.paragraph(None, b.run(_t(charts.summary(f)), "note"))


def _section(b: _Body, s: Section, depth: int, numbers: dict[int, int]) -> None:
    if s.page_break:
        b.page_break()
    b.paragraph(f"Heading {min(depth + 1, 4)}", b.mark(s.marking), b.run(_t(s.title)))
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
    r = DocxParagraph(b.element_paragraph(), b.parent).add_run(_t(doc.partnership.upper()))
    r.font.size, r.font.color.rgb = Pt(12), MUTED
    b.paragraph("Title", b.mark(doc.title_marking), b.run(_t(doc.title)))
    rows = [("Report", f"{doc.ordinal_word.capitalize()} progress report"), ("Period covered", doc.period_label),
            ("Date", doc.date_label), ("Edition", doc.edition_label), ("Status", doc.status),
            ("Marking", doc.marking_names())]
    for k, v in rows:
        p = DocxParagraph(b.element_paragraph(), b.parent)
        r = p.add_run(f"{k}: ")
        r.font.color.rgb = MUTED
        p.add_run(_t(v)).bold = k == "Marking"
    b.page_break()
    b.paragraph("Heading 1", b.run("Contents"))
    _field(DocxParagraph(b.element_paragraph(), b.parent), 'TOC \\o "1-2" \\h \\z \\u',
           "Right-click and choose Update Field to show the contents.")


def _deterministic(data: bytes, body: str) -> bytes:
    """The saved file with the body spliced into its main part, and fixed entry dates and order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = content.decode()
                at = text.rindex("<w:sectPr")
                content = (text[:at] + body + text[at:]).encode()
            dst.writestr(fixed, content)
    return out.getvalue()


@register_renderer("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
def docx_bytes(doc: Document) -> bytes:
    d = new_docx()
    _styles(d)
    when = datetime.datetime.fromisoformat(doc.date).replace(tzinfo=datetime.UTC)
    props = d.core_properties
    # Core properties hold at most 255 characters.
    props.title, props.subject = _t(doc.title)[:255], _t(doc.period_label)[:255]
    props.author = props.last_modified_by = _t(" and ".join(o.short_name for o in doc.organisations))[:255]
    props.created = props.modified = when
    props.revision = 1
    props.keywords = _t(doc.marking_names())[:255]
    _header_footer(d, doc)
    body = _Body(d, doc)
    _title_page(body)
    numbers = figure_numbers(doc)
    for s in doc.sections:
        _section(body, s, 0, numbers)
    text = body.close()
    buf = io.BytesIO()
    d.save(buf)
    return _deterministic(buf.getvalue(), text)

