"""The report as a document of record (issue 12): each file read back with a second library.

PDF with pypdf (structure tree, /Alt, header /Scope, /Lang, DisplayDocTitle, XMP
metadata, attachments); DOCX with python-docx and lxml; HTML with tinyhtml5 (the
parser WeasyPrint uses); Markdown with markdown-it-py.
"""

import datetime
import hashlib
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pytest
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from rapport.reports import charts
from rapport.reports.assemble import assemble
from rapport.reports.choices import ReportState
from rapport.reports.document import Document, Figure, Paragraph, iter_blocks
from rapport.reports.editions import resolve_edition
from rapport.reports.models import SealedEdition
from rapport.reports.numbering import anchored, document_number
from rapport.reports.renderers import get_renderer, heading_number
from rapport.reports.renderers.pdf import RAPPORT_NS
from rapport.reports.sealing import seal_edition

from .readback import docx_headers, pdf_text, text

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"


def document(syn, edition="syn0") -> Document:
    period = syn["periods"][1]
    return assemble(period, resolve_edition(period.partnership, edition, period))


def struct_elements(reader: PdfReader) -> list[dict]:
    """Every structure element of the tagged PDF, depth first."""
    found = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def untagged_content(reader: PdfReader) -> tuple[int, int, int]:
    """(tagged, artifact, orphaned) marked-content sequences over every page: a tagged one's MCID
    leads through the parent tree to a structure element reachable from the root; PDF/UA wants
    every other piece of content marked /Artifact, so none may be orphaned."""
    from pypdf.generic import ContentStream

    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    reached = set()

    def walk(ref):
        node = ref.get_object()
        if not isinstance(node, dict) or ref.idnum in reached:
            return
        reached.add(ref.idnum)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "idnum"):
                walk(kid)

    for kid in root["/K"] if isinstance(root["/K"], list) else [root["/K"]]:
        walk(kid)
    nums = root["/ParentTree"].get_object()["/Nums"]
    parents = {nums[i]: nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    tagged = artifacts = orphaned = 0
    for i, page in enumerate(reader.pages):
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"BDC" and len(operands) == 2 and "/MCID" in operands[1]:
                mcid, array = operands[1]["/MCID"], parents.get(i, [])
                ref = array[mcid] if mcid < len(array) else None
                if hasattr(ref, "idnum") and ref.idnum in reached:
                    tagged += 1
                else:
                    orphaned += 1
            elif op == b"BMC" and operands[0] == "/Artifact":
                artifacts += 1
    return tagged, artifacts, orphaned


def xmp(reader: PdfReader) -> ET.Element:
    data = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return ET.fromstring(data[data.index(b"<x:xmpmeta"):data.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")])


def xmp_values(root: ET.Element) -> dict[str, list[str]]:
    """Every XMP property with its text values (an rdf:Alt/Bag/Seq gives its items)."""
    values: dict[str, list[str]] = {}
    for desc in root.iter(f"{{{RDF}}}Description"):
        for key, value in desc.attrib.items():
            if key != f"{{{RDF}}}about":
                values.setdefault(key, []).append(value)
        for prop in desc:
            items = [li.text or "" for li in prop.iter(f"{{{RDF}}}li")] or [prop.text or ""]
            values.setdefault(prop.tag, []).extend(items)
    return values


# PDF/UA-1 ---------------------------------------------------------------------------------------


def test_pdf_is_tagged_pdf_ua_with_metadata_and_the_same_bytes_twice(syn):
    doc = document(syn)
    content = get_renderer("pdf").render(doc)
    assert get_renderer("pdf").render(doc) == content  # deterministic
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert bool(root["/MarkInfo"]["/Marked"])

    elements = struct_elements(reader)
    kinds = [e["/S"] for e in elements]
    assert kinds.count("/H1") == 1 and kinds.index("/H1") < kinds.index("/H2")  # the title, then the sections
    for tag in ("/Sect", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Caption", "/Figure"):
        assert tag in kinds, tag
    figures = [e for e in elements if e["/S"] == "/Figure"]
    expected = [charts.alt_text(b, n) for n, b in
                enumerate((b for _, b in iter_blocks(doc.sections) if isinstance(b, Figure)), 1)]
    assert [str(f["/Alt"]) for f in figures] == expected and len(expected) >= 2
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    titles = {f"Go to {heading_number(s)} {s.title}".replace("  ", " ") for s in doc.sections}
    assert links and all(str(a["/Contents"]).startswith("Go to ") for a in links)  # not the bare anchor
    assert titles <= {str(a["/Contents"]) for a in links}
    tagged, artifacts, orphaned = untagged_content(reader)
    assert tagged > 500 and artifacts and orphaned == 0  # running headers and footers are artifacts
    headers = [e for e in elements if e["/S"] == "/TH"]
    assert headers and all(h["/A"]["/Scope"] == "/Column" for h in headers)
    cells = [e for e in elements if e["/S"] == "/TD"]
    assert all(c["/A"].get("/Headers") for c in cells[:50])  # data cells name their headers

    values = xmp_values(xmp(reader))
    assert values[f"{{{DC}}}title"] == [doc.title]
    assert values[f"{{{DC}}}identifier"] == [doc.number] == ["SYN/PR/2/2022"]
    assert values[f"{{{DC}}}language"] == ["en-GB"]
    assert values[f"{{{DC}}}rights"] == [doc.marking_names()]
    assert values[f"{{{DC}}}source"] == [f"sha256:{doc.content_sha256()}"]
    own = {k.split("}")[1]: v for k, v in values.items() if k.startswith(f"{{{RAPPORT_NS}}}")}
    assert own == {"documentNumber": [doc.number], "reportNumber": ["2"], "marking": [doc.marking_names()],
                   "edition": [doc.edition], "editionLabel": [doc.edition_label], "status": [doc.status],
                   "contentSHA256": [doc.content_sha256()]}
    assert values["{http://www.aiim.org/pdfua/ns/id/}part"] == ["1"]
    assert reader.metadata.title == doc.title


def test_pdf_text_has_no_hyphenation_characters(syn):
    doc = document(syn)
    text = pdf_text(get_renderer("pdf").render(doc))
    assert "\u00ad" not in text and "\u2010" not in text
    # A hyphen at a line end is one the text has: the words it joins are joined so in the document.
    source = doc.canonical_json()
    for before, after in re.findall(r"(\w+)-\n(\w+)", text):
        assert f"{before}-{after}" in source, (before, after)


# PDF/A-3 archival copy --------------------------------------------------------------------------


def test_archival_pdf_of_the_sealed_public_edition_carries_what_the_seal_hashes(syn):
    period, actor = syn["periods"][1], syn["users"][("syn0", "coordinator")]
    seals = {s.format: s for s in seal_edition(actor=actor, period=period, edition="public",
                                                formats=["md", "pdfa"])}
    archive = seals["pdfa"]
    assert archive.filename.endswith("-public.archive.pdf")
    doc = Document.from_json(archive.content)
    content = get_renderer("pdfa").render(doc)
    assert hashlib.sha256(content).hexdigest() == archive.sha256  # the same bytes again
    reader = PdfReader(io.BytesIO(content))
    packet = xmp(reader)
    values = xmp_values(packet)
    assert values["{http://www.aiim.org/pdfa/ns/id/}part"] == ["3"]
    assert values["{http://www.aiim.org/pdfa/ns/id/}conformance"] == ["A"]
    assert values["{http://www.aiim.org/pdfua/ns/id/}part"] == ["1"]
    schemas = [e.text for e in packet.iter("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI")]
    assert RAPPORT_NS in schemas  # the report's own properties are described for PDF/A
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root and "/StructTreeRoot" in root
    assert untagged_content(reader)[2] == 0
    attached = {name: data[0] for name, data in reader.attachments.items()}
    assert set(attached) == {"SYN-PR-2-2022.md", "SYN-PR-2-2022.json"}
    assert len(root["/AF"]) == 2
    # The attachments verify against the seal: the JSON is the sealed content, the Markdown the sealed file.
    json_data = attached["SYN-PR-2-2022.json"]
    assert hashlib.sha256(json_data).hexdigest() == archive.content_sha256 == seals["md"].content_sha256
    assert json_data.decode() == archive.content
    assert hashlib.sha256(attached["SYN-PR-2-2022.md"]).hexdigest() == seals["md"].sha256
    assert SealedEdition.objects.filter(format="pdfa").count() == 1


# Charts -----------------------------------------------------------------------------------------


def test_charts_have_a_text_alternative_in_html_and_docx(syn):
    import tinyhtml5
    from docx import Document as DocxDocument

    doc = document(syn)
    figures = [b for _, b in iter_blocks(doc.sections) if isinstance(b, Figure)]
    html = get_renderer("html").render(doc).decode()
    assert "<metadata" not in html and "rdf:RDF" not in html  # matplotlib's RDF block is gone
    tree = tinyhtml5.parse(html)
    svg_ns = "{http://www.w3.org/2000/svg}"
    svgs = list(tree.iter(f"{svg_ns}svg"))
    assert len(svgs) == len(figures) >= 2
    ids = {e.get("id"): e for e in tree.iter() if e.get("id")}
    for n, (svg, fig) in enumerate(zip(svgs, figures, strict=True), 1):
        assert svg.get("role") == "img"
        assert svg[0].tag == f"{svg_ns}title" and svg[0].text == charts.alt_text(fig, n)
        described = ids[svg.get("aria-describedby")]
        assert "".join(described.itertext()) == charts.summary(fig)
        assert "Data: " in svg[0].text and fig.categories[0] in svg[0].text

    d = DocxDocument(io.BytesIO(get_renderer("docx").render(doc)))
    pictures = d.element.body.xpath(".//wp:docPr")
    assert [p.get("descr") for p in pictures] == [charts.alt_text(f, n) for n, f in enumerate(figures, 1)]


def test_chart_summary_is_written_from_the_data():
    fig = Figure("Commitments per area", "bar", ("POL", "CYB"),
                 (("Commitments", "#000000", (3.0, 5.0)), ("Reported on", "#111111", (1.0, 0.0))))
    assert charts.summary(fig) == ("Bar chart of Commitments per area, by 2 categories and 2 series "
                                   "(Commitments, Reported on); Commitments highest in CYB (5), "
                                   "Reported on highest in POL (1).")
    assert charts.data_text(fig) == "POL: Commitments 3, Reported on 1; CYB: Commitments 5, Reported on 0"
    stacked = Figure("Assessments", "stacked", ("EU", "NATO"), (("Good", "#000000", (3.0, 5.0)),
                                                               ("Poor", "#111111", (1.0, 2.0))))
    assert charts.summary(stacked).endswith("the total highest in NATO (7).")
    # Ties name every category; nothing counted says so (an outside review found "highest in HYB (0)").
    tied = Figure("Reports", "bar", ("POL", "CYB", "HYB"), (("Reported on", "#000000", (2.0, 2.0, 0.0)),
                                                            ("Late", "#111111", (0.0, 0.0, 0.0))))
    assert charts.summary(tied).endswith("Reported on highest in POL and CYB (2), Late zero in every category.")
    assert "<metadata" not in charts.svg(fig)


# Numbering and identity -------------------------------------------------------------------------


def _numbered(doc: Document) -> dict:
    """{(text, sources): (section number, paragraph number)} for the paragraphs from the records."""
    return {(b.text, b.sources): (s.number, b.number) for s, b in iter_blocks(doc.sections)
            if isinstance(b, Paragraph) and b.sources}


def test_public_paragraphs_have_the_same_numbers_in_every_edition(syn):
    public, own, other = document(syn, "public"), document(syn, "syn0"), document(syn, "syn1")
    shared = _numbered(public)
    assert len(shared) > 10
    for edition in (own, other):
        numbers = _numbered(edition)
        assert {k: numbers[k] for k in shared} == shared
    # Above PUBLIC: the number of the PUBLIC paragraph before and a letter, so no PUBLIC number moves.
    higher = [b.number for _, b in iter_blocks(own.sections) if isinstance(b, Paragraph) and b.number
              and b.marking.rank > 0]
    assert higher and all(re.fullmatch(r"\d+[a-z]+", n) for n in higher)
    assert all(re.fullmatch(r"\d+", b.number) for _, b in iter_blocks(public.sections)
               if isinstance(b, Paragraph) and b.number)
    # Sections: 1, 2, 2.1 … by the area's and commitment's place; annexes lettered.
    tops = [s.number for s in public.sections]
    assert tops[:3] == ["1", "2", "3"] and tops[-2:] == ["A", "B"]
    areas = {s.anchor: s.number for s in public.sections[1].subsections}
    assert {s.anchor: s.number for s in own.sections[1].subsections if s.anchor in areas} == areas


def test_numbering_anchors_on_public_items():
    assert anchored([("a", True), ("b", False), ("c", False), ("d", True)]) == {"a": "1", "b": "1a", "c": "1b",
                                                                               "d": "2"}


@pytest.mark.parametrize("fmt", ["html", "md", "docx", "pdf"])
def test_document_number_and_distribution_block_on_the_cover(syn, fmt):
    doc = document(syn, "syn0")
    body = " ".join(text(fmt, get_renderer(fmt).render(doc)).split())
    assert doc.number == "SYN/PR/2/2022" and doc.number in body
    for label in ("Audience", "Edition", "Marking", "Copy No."):
        assert label in body, label
    assert doc.audience in body


def test_document_number_in_every_running_header(syn):
    doc = document(syn, "syn0")
    assert doc.number in docx_headers(get_renderer("docx").render(doc))[1]
    for page in PdfReader(io.BytesIO(get_renderer("pdf").render(doc))).pages:
        assert doc.number in page.extract_text()


def test_document_number_pattern_is_configurable_per_partnership(settings):
    settings.RAPPORT_REPORT_NUMBER_PATTERNS = {"syn": "{PARTNERSHIP}/JPR({ordinal:02d})/{year}"}
    assert document_number("syn", 8, datetime.date(2023, 6, 16)) == "SYN/JPR(08)/2023"
    assert document_number("eu-nato", 8, datetime.date(2023, 6, 16)) == "EU-NATO/PR/8/2023"


# Drafts -----------------------------------------------------------------------------------------


@pytest.fixture
def draft(syn):
    period = syn["periods"][1]
    period.report.state = ReportState.DRAFT
    period.report.save()
    doc = assemble(period, resolve_edition(period.partnership, "syn0", period))
    assert doc.draft
    return doc


def test_a_draft_says_draft_on_every_page_in_pdf_and_html(draft):
    html = get_renderer("html").render(draft).decode()
    assert '<div class="watermark" aria-hidden="true">DRAFT</div>' in html
    assert '@top-right { content: "DRAFT"' in html
    reader = PdfReader(io.BytesIO(get_renderer("pdf").render(draft)))
    assert untagged_content(reader)[2] == 0  # the watermark is a page background: an artifact
    pages = reader.pages
    for page in pages:
        flat = page.extract_text()
        assert flat.count("DRAFT") >= 3, flat[-300:]  # header, footer and watermark
    # The window title (DisplayDocTitle) and the metadata say it too.
    assert reader.metadata.title.startswith("DRAFT — ") and "<title>DRAFT — " in html
    import docx as python_docx

    assert python_docx.Document(io.BytesIO(get_renderer("docx").render(draft))).core_properties.title.startswith(
        "DRAFT — ")


def test_a_draft_says_draft_in_docx_headers_footers_and_watermark_and_in_markdown(draft, syn):
    content = get_renderer("docx").render(draft)
    head = docx_headers(content)
    assert any("DRAFT" in h for h in head[:2]) and any(h.startswith("DRAFT — Page") for h in head)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        header = z.read("word/header1.xml").decode()
    assert 'string="DRAFT"' in header and "v:textpath" in header
    md = get_renderer("md").render(draft).decode().strip().splitlines()
    assert md[0].startswith("**DRAFT — ") and md[-1].startswith("**DRAFT — ")
    report = syn["periods"][1].report
    report.state = ReportState.APPROVED
    report.save()
    final = document(syn, "syn0")  # the same report approved: no DRAFT anywhere
    assert not final.draft
    assert "DRAFT" not in text("docx", get_renderer("docx").render(final))
    assert "DRAFT" not in get_renderer("md").render(final).decode()


# DOCX ---------------------------------------------------------------------------------------------


def test_docx_contents_properties_language_and_page_numbers(syn):
    from docx import Document as DocxDocument

    doc = document(syn, "syn0")
    content = get_renderer("docx").render(doc)
    d = DocxDocument(io.BytesIO(content))
    # A real table of contents: entries for the first two levels, each linked to its heading's bookmark.
    entries = [p for p in d.paragraphs if p.style.name in ("toc 1", "toc 2")]
    expected = [f"{heading_number(s)} {s.title}".strip() for s in doc.sections]
    assert [p.text for p in entries if p.style.name == "toc 1"] == expected
    assert len(entries) > len(expected)
    body = d.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    links = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))]
    assert len(links) == len(entries) and set(links) <= bookmarks
    assert "TOC \\o" in body.xml and "Update Field" not in body.xml
    settings_xml = d.settings.element
    assert settings_xml.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    # Properties describe the document, nothing is left from python-docx's template.
    props = d.core_properties
    assert props.title == doc.title and props.identifier == doc.number and props.language == "en-GB"
    assert props.subject == f"{doc.edition_label} — {doc.marking_names()}"
    assert "python-docx" not in props.comments
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
        rels = z.read("_rels/.rels").decode()
        styles = z.read("word/styles.xml").decode()
        footer = z.read("word/footer1.xml")
    assert "docProps/thumbnail.jpeg" not in names and "thumbnail" not in rels
    assert not [n for n in names if n.startswith("customXml/")]  # python-docx's empty bibliography store
    assert "<Application>Rapport</Application>" in app and "Macintosh" not in app and "Template" not in app
    assert 'w:lang w:val="en-GB"' in styles and 'w:val="en-US"' not in styles.split("</w:docDefaults>")[0]
    # Page numbers in one size: every run of the page-number line is 7 pt.
    root = etree.fromstring(footer)
    line = root.findall(qn("w:p"))[1]
    sizes = {r.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) for r in line.iter(qn("w:r"))}
    assert sizes == {"14"}
    # Styles for every element: the body's runs take a named style, never direct formatting.
    direct = {etree.QName(child).localname for rpr in body.iter(qn("w:rPr")) for child in rpr
              if child.tag != qn("w:rStyle")}
    assert direct == set()
    used = {r.get(qn("w:val")) for r in body.iter(qn("w:rStyle"))}
    assert {"PortionMark", "ParagraphNumber", "TableText", "TableMark", "TableHeading", "CoverLabel"} <= used
    assert used <= {s.style_id for s in d.styles}
    assert get_renderer("docx").render(doc) == content  # deterministic


# Markdown ---------------------------------------------------------------------------------------


def test_markdown_headings_are_numbered_without_raw_html(syn):
    from markdown_it import MarkdownIt

    doc = document(syn, "syn0")
    source = get_renderer("md").render(doc).decode()
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    assert not any(c.type == "html_inline" for t in tokens if t.children for c in t.children)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag != "h1"]
    expected = [f"{heading_number(s)} {doc.portion_mark(s.marking)} {s.title}".strip() for s in doc.sections]
    assert [h for h in headings if h in expected] == expected
    # The contents are plain text references to those numbers: no links.
    assert not any(c.type == "link_open" for t in tokens if t.children for c in t.children)
    # Numbered paragraphs stay paragraphs (the number is escaped: no ordered list).
    assert not [t for t in tokens if t.type == "ordered_list_open"]


# HTML ---------------------------------------------------------------------------------------------

# <meta name> values registered in the WHATWG MetaExtensions list (the Nu checker rejects others).
REGISTERED_META = {"dcterms.identifier", "dcterms.accessRights"}
WEASYPRINT_ONLY = ("bookmark-level", "bookmark-label", "leader(", "target-counter(", "string-set", "-weasy-")


@pytest.mark.parametrize("edition", ["public", "syn0"])
def test_report_html_is_well_formed_html5_with_standard_css(syn, edition):
    """What can be checked without the Nu checker (a Java program, not in the package registries):
    the HTML5 parser reports no error, ids are unique and every reference finds its target, meta
    names are registered, no htmx attribute, the style sheet has only standard CSS, one h1 and no
    skipped heading level, every header cell has a scope."""
    from tinyhtml5.parser import HTMLParser

    doc = document(syn, edition)
    html = get_renderer("html").render(doc).decode()
    parser = HTMLParser()
    tree = parser.parse(html)
    assert parser.errors == []
    h = "{http://www.w3.org/1999/xhtml}"
    elements = list(tree.iter())
    ids = [e.get("id") for e in elements if e.get("id")]
    assert len(ids) == len(set(ids))
    for e in elements:
        for ref in (e.get("aria-describedby") or "").split():
            assert ref in ids, ref
        href = e.get("href") or ""
        if e.tag == f"{h}a":
            assert href.startswith("#") and href[1:] in ids, href
        assert not any(a.startswith(("hx-", "data-hx-")) for a in e.attrib)
    metas = [e.get("name") for e in tree.iter(f"{h}meta") if e.get("name")]
    assert set(metas) <= REGISTERED_META and "dcterms.identifier" in metas
    style = "".join(e.text or "" for e in tree.iter(f"{h}style"))
    assert not [x for x in WEASYPRINT_ONLY if x in style]
    assert "hyphens: auto" not in style
    levels = [int(e.tag[-1]) for e in elements if re.fullmatch(rf"{re.escape(h)}h[1-6]", str(e.tag))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert all(th.get("scope") == "col" for th in tree.iter(f"{h}th"))
    assert tree.find(f".//{h}h1").text == doc.title
    assert tree.get("lang") == "en-GB"


def test_pdf_bookmarks_follow_the_sections(syn):
    doc = document(syn, "public")
    reader = PdfReader(io.BytesIO(get_renderer("pdf").render(doc)))
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    assert top == [f"{heading_number(s)} {s.title}".strip() for s in doc.sections]


@pytest.mark.skipif(not (os.environ.get("RAPPORT_VNU_JAR") and shutil.which("java")),
                    reason="the Nu HTML checker: set RAPPORT_VNU_JAR to a vnu.jar (npm package vnu-jar) and have java")
def test_report_html_passes_the_nu_checker(syn, tmp_path):
    files = []
    for edition in ("public", "syn0", "syn1"):
        path = tmp_path / f"{edition}.html"
        path.write_bytes(get_renderer("html").render(document(syn, edition)))
        files.append(str(path))
    found = subprocess.run(["java", "-jar", os.environ["RAPPORT_VNU_JAR"], "--also-check-css", "--also-check-svg",
                            "--errors-only", *files], capture_output=True, text=True, timeout=300)
    assert found.returncode == 0 and found.stderr.strip() == "", found.stderr


def test_a_restricted_highlight_moves_no_public_number(syn):
    """A highlight and an outlook item above PUBLIC give their list's lead-in their marking; the
    lead-in takes no number, so no PUBLIC paragraph after it moves (found by an outside review:
    one restricted highlight shifted every PUBLIC highlight after it in the organisation's edition)."""
    from rapport.reports.choices import PartState
    from rapport.reports.models import Highlight, Outlook, Report

    period = syn["periods"][1]
    report = Report.objects.get(period=period)
    org = syn["orgs"][0]
    level = syn["levels"][org.key][2]
    for model, n in ((Highlight, 1), (Outlook, 1)):
        public = model.objects.create(report=report, order=90 + n, text=f"MX public {model.__name__} after.",
                                      state=PartState.APPROVED, classification=syn["levels"][org.key][0])
        secret = model.objects.create(report=report, order=n, text=f"MX restricted {model.__name__} first.",
                                      state=PartState.APPROVED, classification=level)
        secret.releasable_to.set([org])
        assert public.pk and secret.pk
    public, own = document(syn, "public"), document(syn, org.key)
    shared = _numbered(public)
    numbers = _numbered(own)
    assert any("MX restricted" in text for text, _ in numbers) and not any("MX restricted" in t for t, _ in shared)
    assert {k: numbers[k] for k in shared} == shared
