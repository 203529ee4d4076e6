"""User text is inert in every format: whatever a person typed (or a dataset holds), the
Markdown, HTML, DOCX and PDF files show it as text, never as markup, a script, or a link
other than http(s) and the report's own anchors.

Documents are built directly from the dataclasses with hostile text in every slot;
one case goes through the database and render_edition. PDFs cost about a second
each, so they get a few fixed documents rather than generated ones.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from rapport.contributions.choices import JointTextState
from rapport.contributions.models import Contribution, JointText
from rapport.reports.build import render_document, render_edition
from rapport.reports.document import (
    Document,
    Figure,
    Marking,
    OrgScheme,
    Paragraph,
    Row,
    SchemeLevel,
    Section,
    Source,
    Table,
)
from rapport.reports.models import Highlight
from tests.synthetic import reader_for

from .readback import pdf_text

# Generated labels hold characters no installed font has, and long ones; matplotlib warns for each.
pytestmark = [pytest.mark.filterwarnings("ignore:Glyph .* missing from font"),
              pytest.mark.filterwarnings("ignore:Tight layout not applied")]

HOSTILE = (
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">a</a>',
    "[a](javascript:alert(1))", "![i](javascript:alert(1))", "<javascript:alert(1)>", "[a]: javascript:x",
    "[a][r]\n\n[r]: javascript:x", "<mailto:a@b>", "a@b.example", "mailto:a@b.example", "xmpp:a@b.example/x",
    "ftp://example.org/x", "//example.org/x", "www.example.org", "https://example.org/?q=<x>&r=1",
    "javascript:alert(1)", "data:text/html,<b>x</b>", "&lt;", "&#x3c;script&#x3e;", "&amp;", "|", "a | b", "\\",
    "\\|", "x\\", "line\nbreak", "para\n\npara", "\r\n\r\n", "\r", "\t", "# heading", "> quote", "- item", "+ item",
    "1. item", "1) item", "===", "---", "***", "    indented code", "```\ncode\n```", "`code`", "~~~", "*em* _em_",
    "**strong**", "~~struck~~", "[^1]", "[ ] task", "<!-- comment -->", "<![CDATA[x]]>", "<?php x ?>",
    "</p><p onclick=x>", '" onmouseover="x', "' onload='x", "</style><script>x</script>", "</title>",
    "*/ } body { background: url(javascript:x) }", '{ HYPERLINK "javascript:x" }', "$x$", "\\(x\\)",
    "Ünïcödé – “quotes” — 東京 🙂 \u00a0\u2028\u202e", "\u2060@", "\ufffe\uffff", "x" * 300,
)
# Any character a browser can send (clean_text refuses control characters except these).
_char = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")) | st.sampled_from("\t\n\r")
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE) | st.text(_char, max_size=8), min_size=1, max_size=4).map("".join),
    st.text(_char, max_size=30),
)


def hostile_document(texts) -> Document:
    """A document with the next of ``texts`` in every slot that holds text."""
    t = texts.__next__

    def chart_text():  # charts.py hands these labels to matplotlib: "$x$" and "_x" must stay text
        return t()

    orgs = tuple(OrgScheme(f"o{i}", t(), t(), t(), "#336699",
                           (SchemeLevel(0, t(), t()), SchemeLevel(2, t(), t()))) for i in range(2))
    m = Marking(2, (orgs[0].short_name,))
    src = (Source(t(), t(), t(), t(), t()),)

    def para(style):
        return Paragraph(t(), m, src, style)

    table = Table(t(), (t(), t()), (Row((t(), t()), m, src, "differs"), Row((t(), t()))), (1, 2))
    figure = Figure(t(), "bar", (chart_text(), chart_text()), ((chart_text(), "#0072B2", (1.0, 2.0)),), m)
    sub = Section(t(), t(), (para("body"), para("bullet"), para("bullet"), para("lead"), para("note")), (), m)
    sections = (Section(t(), t(), (para("body"), table, figure), (sub,), m, page_break=True),
                Section(t(), t(), (para("body"),)))
    return Document(title=t(), partnership=t(), ordinal=8, ordinal_word=t(), period_label=t(), date="2023-06-16",
                    date_label=t(), edition=t(), edition_label=t(), organisations=orgs, sections=sections,
                    title_marking=m, status=t(), kind_label=t())


def texts_of(doc: Document) -> list[str]:
    """The user texts a reader must find again in the file."""
    out = [doc.title, doc.period_label, doc.date_label, doc.edition_label, doc.status]

    def walk(sections):
        for s in sections:
            out.append(s.title)
            for b in s.blocks:
                if isinstance(b, Paragraph):
                    out.append(b.text)
                elif isinstance(b, Table):
                    out.extend([b.caption, *b.header, *(c for r in b.rows for c in r.cells)])
                else:
                    out.append(b.caption)
            walk(s.subsections)

    walk(doc.sections)
    return out


def norm(text: str) -> str:
    # Word joiners are how the Markdown edition keeps GFM from linking addresses.
    return " ".join(text.replace("\u2060", "").split())


SAFE_URL = re.compile(r"(?i)(https?://|#)")

# Markdown --------------------------------------------------------------------------------

try:  # GFM's autolinks need linkify-it-py; without it they are checked by the rules below
    import linkify_it  # noqa: F401

    MD = MarkdownIt("gfm-like", {"html": True})
except ImportError:
    MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# The Markdown edition's own anchors; another issue replaces them.
ANCHOR = re.compile(r'<a id="[A-Za-z0-9._-]+"></a>')
# GFM (cmark-gfm) links these in text after escapes are resolved: an e-mail address
# (as mailto:, also after mailto: or xmpp:) and a scheme followed by //.
GFM_EMAIL = re.compile(r"[A-Za-z0-9.+_-]@[A-Za-z0-9_-]+\.[A-Za-z0-9]")
GFM_URL = re.compile(r"(?i)([a-z]*:)?//")


def markdown_problems(content: bytes) -> list[str]:
    problems = []

    def walk(tokens):
        for tok in tokens:
            if tok.type in ("html_block", "inline") and ANCHOR.fullmatch(tok.content.strip()):
                continue
            if tok.type in ("html_block", "html_inline"):
                problems.append(f"raw HTML {tok.content!r}")
            elif tok.type in ("link_open", "image"):
                href = tok.attrs.get("href", tok.attrs.get("src", ""))
                if tok.type == "image" or not SAFE_URL.match(str(href)):
                    problems.append(f"{tok.type} to {href!r}")
            elif tok.type == "text":
                if GFM_EMAIL.search(tok.content):
                    problems.append(f"GFM e-mail autolink in {tok.content!r}")
                for scheme in GFM_URL.findall(tok.content):
                    if scheme.lower() not in ("http:", "https:"):
                        problems.append(f"GFM autolink {scheme}// in {tok.content!r}")
            walk(tok.children or [])

    walk(MD.parse(content.decode()))
    return problems


def markdown_text(content: bytes) -> str:
    parts = []
    for tok in MD.parse(content.decode()):
        if tok.type == "inline":
            parts += [c.content if c.type in ("text", "code_inline") else " " for c in tok.children or []
                      if c.type in ("text", "code_inline", "softbreak", "hardbreak")]
            parts.append(" ")
    return norm("".join(parts))


# HTML ------------------------------------------------------------------------------------

# The elements the HTML renderer writes, and those of matplotlib's SVG charts.
HTML_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "main", "nav", "section", "h1", "h2", "h3", "h4", "p",
    "span", "ul", "ol", "li", "a", "dl", "dt", "dd", "table", "caption", "colgroup", "col", "thead", "tbody", "tr",
    "th", "td", "figure", "figcaption",
    "svg", "metadata", "rdf:rdf", "cc:work", "dc:type", "dc:format", "dc:creator", "cc:agent", "dc:title", "defs",
    "g", "path", "rect", "use", "clippath", "text",
}
CSS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
URL_ATTRS = {"href", "xlink:href", "src", "srcset", "action", "formaction", "data", "poster", "background",
             "codebase", "srcdoc", "http-equiv"}


class HtmlCheck(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.text, self.in_style = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag not in HTML_TAGS:
            self.problems.append(f"element <{tag}>")
        self.in_style = tag == "style"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event attribute {name}={value!r}")
            elif name in URL_ATTRS and not (name.endswith("href") and SAFE_URL.match(value)):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            elif name == "style" and re.search(r"(?i)url\(|expression|javascript|@import", value):
                self.problems.append(f"style={value!r}")

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:  # text in CSS strings is inert; outside them, no URL, import or script
            if re.search(r"(?i)url\(|expression|javascript|@import|<", CSS_STRING.sub('""', data)):
                self.problems.append(f"style sheet holds a URL, an import or a script: {data[:200]!r}")
        else:
            self.text.append(data)

    def handle_comment(self, data):
        self.problems.append(f"comment {data!r}")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.problems.append(f"declaration {data!r}")


def html_check(content: bytes) -> HtmlCheck:
    check = HtmlCheck()
    check.feed(content.decode())
    check.close()
    return check


# DOCX ------------------------------------------------------------------------------------

NOT_IN_XML = {0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}  # XML cannot hold them; the DOCX shows U+FFFD
DOCX_RELATIONS = {"officeDocument", "core-properties", "extended-properties", "thumbnail", "styles",
                  "stylesWithEffects", "settings", "webSettings", "fontTable", "theme", "numbering", "customXml",
                  "customXmlProps", "header", "footer", "image"}
DOCX_FIELDS = {"PAGE", "NUMPAGES", 'TOC \\o "1-2" \\h \\z \\u'}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_TOC_BOOKMARK = re.compile(r"_Toc\d{8}")


def _contents_link(el, bookmarks: set) -> bool:
    """A link of the table of contents: to a bookmark of the renderer's own naming in the same
    document, with no relationship (so no address) of its own."""
    anchor = el.get(W + "anchor") or ""
    no_address = not any(k.endswith("}id") for k in el.attrib)
    return no_address and bool(_TOC_BOOKMARK.fullmatch(anchor)) and anchor in bookmarks


def docx_problems(content: bytes) -> list[str]:
    problems = []
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(z.read(name))
            if name.endswith(".rels"):
                for rel in root:
                    kind = rel.get("Type", "").rsplit("/", 1)[-1]
                    if rel.get("TargetMode") == "External" or kind not in DOCX_RELATIONS:
                        problems.append(f"{name}: relationship {kind} to {rel.get('Target')!r}")
                continue
            bookmarks = {el.get(W + "name") for el in root.iter(W + "bookmarkStart")}
            for el in root.iter():
                tag = el.tag if isinstance(el.tag, str) else ""
                if tag == W + "hyperlink" and _contents_link(el, bookmarks):
                    continue  # an entry of the contents, to the bookmark on its heading
                if tag in (W + "hyperlink", W + "fldSimple", W + "object", W + "altChunk", W + "control"):
                    problems.append(f"{name}: {tag.removeprefix(W)}")
                if tag == W + "instrText" and (el.text or "").strip() not in DOCX_FIELDS:
                    problems.append(f"{name}: field {el.text!r}")
    return problems


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    spaces = (W + "tab", W + "br", W + "cr")
    return norm(" ".join("".join(el.text or "" if el.tag == W + "t" else " " if el.tag in spaces else ""
                                 for el in p.iter()) for p in root.iter(W + "p")))


# PDF -------------------------------------------------------------------------------------

PDF_FORBIDDEN_KEYS = {"/JS", "/JavaScript", "/Launch", "/AA", "/OpenAction", "/EmbeddedFiles", "/XFA"}
PDF_FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
                         "/Rendition", "/ResetForm", "/Hide", "/Named", "/Sound", "/Movie", "/RichMediaExecute"}


def pdf_problems(content: bytes) -> list[str]:
    problems, seen = [], set()

    def walk(obj):
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                return
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in PDF_FORBIDDEN_KEYS:
                    problems.append(f"key {key}")
                if key == "/S" and str(value) in PDF_FORBIDDEN_ACTIONS:
                    problems.append(f"action {value}")
                if key == "/URI" and not re.match(r"https?://", str(value)):
                    problems.append(f"URI {value!r}")
                walk(value)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value)

    walk(PdfReader(io.BytesIO(content)).trailer)
    return problems


# The properties ---------------------------------------------------------------------------


def assert_inert(fmt: str, content: bytes, expected: list[str] = ()) -> None:
    """No markup, script or foreign link in the file; where a reader can get the text back,
    every expected text is there as typed (so escaping neither drops nor doubles it)."""
    if fmt == "md":
        assert markdown_problems(content) == []
        shown = markdown_text(content)
    elif fmt == "html":
        check = html_check(content)
        assert check.problems == []
        shown = norm("".join(check.text))
    elif fmt == "docx":
        assert docx_problems(content) == []
        shown = docx_text(content)
        expected = [t.translate(NOT_IN_XML) for t in expected]
    else:
        assert pdf_problems(content) == []
        return
    missing = [t for t in expected if norm(t) not in shown]
    assert missing == []


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_generated_user_text_is_inert_in_markdown_html_and_docx(data):
    doc = hostile_document(iter(lambda: data.draw(hostile), None))
    for fmt in ("md", "html", "docx"):
        assert_inert(fmt, render_document(doc, fmt), texts_of(doc))


def fixed_documents():
    """A few documents that cycle through every hostile text, each starting elsewhere."""
    return [hostile_document(itertools.islice(itertools.cycle(HOSTILE), start, None)) for start in (0, 23, 47)]


@pytest.mark.parametrize("doc", fixed_documents(), ids=["a", "b", "c"])
def test_hostile_text_is_inert_in_every_format(doc):
    for fmt in ("md", "html", "docx", "pdf"):
        assert_inert(fmt, render_document(doc, fmt), texts_of(doc))


def test_hostile_records_are_inert_in_every_edition_format(syn):
    """Through the database: a narrative, a commitment title, a highlight and a joint text."""
    period = syn["periods"][1]
    commitment = syn["commitments"][0]
    hostile_texts = {
        "narrative": "Narrative <script>alert(1)</script> [a](javascript:alert(1))\r\n\r\n<javascript:alert(2)> a@b.example",
        "title": "Title <img src=x onerror=alert(3)> | [t]: javascript:x",
        "highlight": "Highlight <mailto:a@b> &lt; \\| <!-- c --> ftp://example.org",
        "joint": "# Joint\r\n> text\r\n\r\n1. <iframe src=javascript:alert(4)> `x` www.example.org",
    }
    contribution = Contribution.objects.get(period=period, commitment=commitment, organisation=syn["orgs"][0])
    contribution.narrative = hostile_texts["narrative"]
    contribution.save(update_fields=["narrative"])
    commitment.title = hostile_texts["title"]
    commitment.save(update_fields=["title"])
    highlight = Highlight.objects.filter(report__period=period).order_by("order").first()
    highlight.text = hostile_texts["highlight"]
    highlight.save(update_fields=["text"])
    JointText.objects.create(commitment=commitment, period=period, text=hostile_texts["joint"],
                             state=JointTextState.APPROVED, classification=syn["levels"]["syn0"][0])
    reader = reader_for(period, "syn0")
    for fmt in ("md", "html", "docx", "pdf"):
        content = render_edition(period, "syn0", fmt, actor=reader).content
        assert_inert(fmt, content)
        # PDF text comes back with line ends and hyphens where lines wrap.
        shown = re.sub(r"[\s-]", "", pdf_text(content)) if fmt == "pdf" else None
        for needle in ("<script>alert(1)</script>", "[a](javascript:alert(1))", "<img src=x onerror=alert(3)>",
                       "<mailto:a", "<iframe src=javascript:alert(4)>"):
            if fmt == "pdf":
                assert re.sub(r"[\s-]", "", needle) in shown, needle  # shown as text
            elif fmt == "md":
                assert needle in markdown_text(content), needle
            elif fmt == "html":
                assert needle in norm("".join(html_check(content).text)), needle
            else:
                assert needle in docx_text(content), needle
