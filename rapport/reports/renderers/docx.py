"""DOCX through python-docx: Word's own heading styles, a table of contents field
(Word fills it on opening), real tables, charts as PNG, the marking in the
header and footer of every page.

python-docx stamps zip members with the current time; the file is rewritten
with fixed timestamps and the core properties are set from the report date,
so the same document gives the same bytes.
"""

from __future__ import annotations

import copy
import datetime
import io
import re
import zipfile

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

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


def _t(text: str) -> str:
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


def _pm(p, doc: Document, marking) -> None:
    r = p.add_run(_t(doc.portion_mark(marking)) + " ")
    r.bold, r.font.size, r.font.color.rgb = True, Pt(7.5), MUTED


def _paragraph(d, doc: Document, item: Paragraph, style: str | None = None) -> None:
    p = d.add_paragraph(style=style)
    _pm(p, doc, item.marking)
    run = p.add_run(_t(item.text))
    if item.style == "note":
        run.italic, run.font.size, run.font.color.rgb = True, Pt(9.5), MUTED
    elif item.style == "lead":
        run.bold = True


def _shade(cell, colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(d, doc: Document, t: Table) -> None:
    cap = d.add_paragraph(style="Caption") if _has_style(d, "Caption") else d.add_paragraph()
    _pm(cap, doc, t.marking)
    cap.add_run(_t(t.caption)).bold = True
    table = d.add_table(rows=1, cols=len(t.header) + 1)
    table.style = "Table Grid"
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
    template = table.add_row()._tr
    for tr in (table.rows[0]._tr, template):
        for tc, w in zip(tr.tc_lst, widths, strict=False):
            _Cell(tc, table).width = Cm(w)
    # Data rows are copies of the empty template row, appended with lxml: python-docx's
    # add_row and row.cells walk the whole table each time (quadratic on a long annex).
    tbl = table._tbl
    tbl.remove(template)
    for row in t.rows:
        tr = copy.deepcopy(template)
        tbl.append(tr)
        for n, (tc, text) in enumerate(zip(tr.tc_lst, (doc.portion_mark(row.marking), *row.cells), strict=True)):
            cell = _Cell(tc, table)
            run = cell.paragraphs[0].add_run(_t(text))
            run.font.size = Pt(7 if n == 0 else 8.5)
            if row.flag == "differs":
                _shade(cell, "FFF4D6")
    d.add_paragraph()


def _has_style(d, name: str) -> bool:
    """Looked up once per document: listing the styles costs more than a whole table row."""
    names = d.__dict__.setdefault("_rapport_style_names", {s.name for s in d.styles})
    return name in names


def _figure(d, doc: Document, f: Figure, number: int) -> None:
    d.add_picture(io.BytesIO(charts.png(f)), width=Cm(16))
    cap = d.add_paragraph()
    _pm(cap, doc, f.marking)
    r = cap.add_run(f"Figure {number}: {_t(f.caption)}")
    r.italic, r.font.size = True, Pt(9)


def _section(d, doc: Document, s: Section, depth: int, numbers: dict[int, int]) -> None:
    if s.page_break:
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    h = d.add_heading(level=min(depth + 1, 4))
    _pm(h, doc, s.marking)
    h.add_run(_t(s.title))
    for kind, item in group_blocks(s.blocks):
        if kind == "list":
            for p in item:
                _paragraph(d, doc, p, "List Bullet")
        elif isinstance(item, Paragraph):
            _paragraph(d, doc, item)
        elif isinstance(item, Table):
            _table(d, doc, item)
        else:
            _figure(d, doc, item, numbers[id(item)])
    for sub in s.subsections:
        _section(d, doc, sub, depth + 1, numbers)


def _title_page(d, doc: Document) -> None:
    p = d.add_paragraph()
    r = p.add_run(_t(doc.partnership.upper()))
    r.font.size, r.font.color.rgb = Pt(12), MUTED
    p = d.add_paragraph(style="Title")
    _pm(p, doc, doc.title_marking)
    p.add_run(_t(doc.title))
    rows = [("Report", f"{doc.ordinal_word.capitalize()} progress report"), ("Period covered", doc.period_label),
            ("Date", doc.date_label), ("Edition", doc.edition_label), ("Status", doc.status),
            ("Marking", doc.marking_names())]
    for k, v in rows:
        p = d.add_paragraph()
        r = p.add_run(f"{k}: ")
        r.font.color.rgb = MUTED
        p.add_run(_t(v)).bold = k == "Marking"
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_heading("Contents", level=1)
    _field(d.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "Right-click and choose Update Field to show the contents.")


def _deterministic(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
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
    _title_page(d, doc)
    numbers = figure_numbers(doc)
    for s in doc.sections:
        _section(d, doc, s, 0, numbers)
    buf = io.BytesIO()
    d.save(buf)
    return _deterministic(buf.getvalue())

