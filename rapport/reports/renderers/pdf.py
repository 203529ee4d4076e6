"""PDF printed by WeasyPrint from the HTML edition: running headers and footers
with the marking and the document number, page numbers, bookmarks from the headings.

Two variants, both tagged (a structure tree from the HTML: the title as H1, sections,
lists, tables whose header cells carry a /Scope, figures with /Alt from the chart's
text alternative), with /Lang, DisplayDocTitle and XMP metadata (title, document
number, marking, edition, report number, language, and the SHA-256 of the canonical
document it is printed from):

``pdf``   PDF/UA-1 (WeasyPrint's ``pdf/ua-1``).
``pdfa``  the archival copy: PDF/A-3a (WeasyPrint's ``pdf/a-3a``, tagged; it also
          declares PDF/UA-1), with the Markdown edition and the document model as
          JSON (the canonical JSON the seal hashes) attached as embedded files.

WeasyPrint gives identical bytes for identical HTML, and the HTML holds no "now"
(attachments are dated with the report's date), so a sealed PDF can be checked by
its file hash.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

import pydyf
from django.utils.translation import gettext as _

from ..document import Document
from . import heading_number, register_renderer
from .html import PRINT_CSS, render_html

# WeasyPrint and fontTools log every font subset at INFO/WARNING; keep CLI output clean.
for name in ("weasyprint", "fontTools"):
    logging.getLogger(name).setLevel(logging.ERROR)

UA_VARIANT = "pdf/ua-1"
ARCHIVAL_VARIANT = "pdf/a-3a"

# The report's own XMP properties, and the PDF/A extension schemas that describe them
# (PDF/A admits properties outside its predefined schemas only when described so).
RAPPORT_NS = "https://rapport.invalid/xmp/report/1.0/"
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rapport": RAPPORT_NS,
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
for _prefix, _uri in NS.items():
    register_namespace(_prefix, _uri)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

RAPPORT_PROPERTIES = (
    ("documentNumber", "The report's document number, in its partnership's pattern"),
    ("reportNumber", "The ordinal of the report in its partnership's series"),
    ("marking", "The security marking of the whole document, in each organisation's scheme"),
    ("edition", "The edition (audience) the document is for"),
    ("editionLabel", "The edition as the cover names it"),
    ("status", "The state of the report when the document was made"),
    ("contentSHA256", "SHA-256 of the canonical JSON of the document model (the sealed content)"),
)


def xmp_fields(doc: Document) -> dict[str, str]:
    """The report's own XMP properties (``rapport:`` namespace) and their values."""
    return {
        "documentNumber": doc.number,
        "reportNumber": str(doc.ordinal),
        "marking": doc.marking_names(),
        "edition": doc.edition,
        "editionLabel": doc.edition_label,
        "status": doc.status,
        "contentSHA256": doc.content_sha256(),
    }


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _description(rdf: Element) -> Element:
    element = SubElement(rdf, _q("rdf", "Description"))
    element.set(_q("rdf", "about"), "")
    return element


def _extension_schemas(rdf: Element, pdfua_in_pdfa: bool) -> None:
    schemas = [("Rapport report", RAPPORT_NS, "rapport", RAPPORT_PROPERTIES)]
    if pdfua_in_pdfa:
        schemas.append(("PDF/UA identification", NS["pdfuaid"], "pdfuaid",
                        (("part", "Part of ISO 14289 the file conforms to"),)))
    bag = SubElement(SubElement(_description(rdf), _q("pdfaExtension", "schemas")), _q("rdf", "Bag"))
    for title, uri, prefix, properties in schemas:
        schema = SubElement(bag, _q("rdf", "li"))
        schema.set(_q("rdf", "parseType"), "Resource")
        SubElement(schema, _q("pdfaSchema", "schema")).text = title
        SubElement(schema, _q("pdfaSchema", "namespaceURI")).text = uri
        SubElement(schema, _q("pdfaSchema", "prefix")).text = prefix
        seq = SubElement(SubElement(schema, _q("pdfaSchema", "property")), _q("rdf", "Seq"))
        for name, description in properties:
            prop = SubElement(seq, _q("rdf", "li"))
            prop.set(_q("rdf", "parseType"), "Resource")
            SubElement(prop, _q("pdfaProperty", "name")).text = name
            SubElement(prop, _q("pdfaProperty", "valueType")).text = "Integer" if name == "part" else "Text"
            SubElement(prop, _q("pdfaProperty", "category")).text = "internal"
            SubElement(prop, _q("pdfaProperty", "description")).text = description


def _metadata_class():
    from weasyprint.pdf.metadata import DocumentMetadata

    class ReportMetadata(DocumentMetadata):
        """WeasyPrint's XMP packet, with the report's identity added to its RDF."""

        doc: Document

        def generate_rdf_metadata(self, variant, version, conformance):
            rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))
            doc = self.doc
            dc = _description(rdf)
            if doc.number:
                SubElement(dc, _q("dc", "identifier")).text = doc.number
            language = SubElement(SubElement(dc, _q("dc", "language")), _q("rdf", "Bag"))
            SubElement(language, _q("rdf", "li")).text = doc.language
            rights = SubElement(SubElement(dc, _q("dc", "rights")), _q("rdf", "Alt"))
            li = SubElement(rights, _q("rdf", "li"))
            li.set("xml:lang", "x-default")
            li.text = doc.marking_names()
            SubElement(dc, _q("dc", "source")).text = f"sha256:{doc.content_sha256()}"
            if doc.title_lang:  # a title in another language than the document's says which
                for alt in (t.find(_q("rdf", "Alt")) for t in rdf.iter(_q("dc", "title"))):
                    default = next((li for li in alt if li.get(_XML_LANG) == "x-default"), None) if alt is not None else None
                    if default is not None:
                        li = SubElement(alt, _q("rdf", "li"))
                        li.set(_XML_LANG, doc.title_lang)
                        li.text = default.text
            own = _description(rdf)
            for name, value in xmp_fields(doc).items():
                SubElement(own, _q("rapport", name)).text = value
            if variant == "a":  # an archival copy is tagged as PDF/UA-1 requires, and says so
                SubElement(_description(rdf), _q("pdfuaid", "part")).text = "1"
            _extension_schemas(rdf, pdfua_in_pdfa=variant == "a")
            return tostring(rdf, encoding="utf-8")

    return ReportMetadata


def _link_labels(doc: Document) -> dict[str, str]:
    """What each internal link leads to, by anchor: "Go to 2.1 Countering hybrid threats"."""
    labels: dict[str, str] = {}

    def walk(sections):
        for s in sections:
            labels[s.anchor] = (_("Go to %(heading)s") % {"heading": f"{heading_number(s)} {s.title}"}).replace("  ", " ")
            walk(s.subsections)

    walk(doc.sections)
    return labels


def _finish(document, pdf, links: dict[str, str] | None = None, title_lang: str = "") -> None:
    """What WeasyPrint 70 leaves undone for PDF/UA, done before the file is written:

    - header cells get a /Scope (WeasyPrint links data cells to their headers but writes no
      scope): every header row in a report table is a column header;
    - the running headers and footers become artifacts: WeasyPrint tags their text as marked
      content but leaves their structure elements out of the tree (PDF/UA wants content that
      is not in the structure marked /Artifact);
    - each attached file is listed once in the catalogue's /AF (WeasyPrint lists it twice);
    - links (the contents') describe where they lead in /Contents, as PDF/UA asks (WeasyPrint
      puts the bare anchor there);
    - the title (the one H1) says its language in /Lang where it is not the document's
      (WeasyPrint writes no /Lang on structure elements).
    """
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("Type") == "/StructElem" and obj.get("S") == "/TH":
            obj["A"]["Scope"] = "/Column"
        elif isinstance(obj, dict) and obj.get("Type") == "/StructElem" and obj.get("S") == "/H1" and title_lang:
            obj["Lang"] = pydyf.String(title_lang)
        elif isinstance(obj, dict) and obj.get("Subtype") == "/Link" and links:
            target = getattr(obj.get("Dest"), "string", None)
            if target in links:
                obj["Contents"] = pydyf.String(links[target])
    if "StructTreeRoot" in pdf.catalog:
        _untagged_to_artifacts(pdf)
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = type(pdf.catalog["AF"])(dict.fromkeys(pdf.catalog["AF"]))


def _reference(obj) -> bytes:
    return f"{obj.number} 0 R".encode()


def _untagged_to_artifacts(pdf) -> None:
    by_reference = {_reference(obj): obj for obj in pdf.objects if getattr(obj, "number", None) is not None}
    reached: set[bytes] = set()
    pending = [pdf.catalog["StructTreeRoot"]]
    while pending:  # every structure element reachable from the root
        ref = pending.pop()
        ref = ref.encode() if isinstance(ref, str) else ref
        if ref in reached or ref not in by_reference:
            continue
        reached.add(ref)
        kids = by_reference[ref].get("K", [])
        pending += [k for k in (kids if isinstance(kids, list) else [kids]) if isinstance(k, (bytes, str))]
    orphans: dict[bytes, set[int]] = {}  # page -> MCIDs of structure elements outside the tree
    for obj in pdf.objects:
        if (isinstance(obj, dict) and obj.get("Type") == "/StructElem" and _reference(obj) not in reached
                and "Pg" in obj):
            page = obj["Pg"].encode() if isinstance(obj["Pg"], str) else obj["Pg"]
            orphans.setdefault(page, set()).update(k for k in obj.get("K", []) if isinstance(k, int))
    if not orphans:
        return
    pages = [p.encode() if isinstance(p, str) else p for p in pdf.page_references]
    nums = by_reference[_as_bytes(by_reference[_as_bytes(pdf.catalog["StructTreeRoot"])]["ParentTree"])]["Nums"]
    for page, mcids in orphans.items():
        stream = by_reference[_as_bytes(by_reference[page]["Contents"])]
        ops = stream.stream
        for i in range(1, len(ops) - 1):
            item = ops[i]
            if isinstance(item, dict) and item.get("MCID") in mcids and ops[i + 1] == b"BDC":
                ops[i - 1], ops[i], ops[i + 1] = "/Artifact", b"", b"BMC"
        index = pages.index(page)
        parents = nums[nums.index(index) + 1] if index in nums[::2] else None
        if parents is not None:
            for mcid in mcids:
                if mcid < len(parents):
                    parents[mcid] = b"null"


def _as_bytes(ref) -> bytes:
    return ref.encode() if isinstance(ref, str) else ref


def _attachments(doc: Document, when: datetime.datetime) -> list:
    from weasyprint import Attachment

    from .markdown import render_markdown

    base = doc.number.replace("/", "-") or f"report-{doc.ordinal}"
    return [
        Attachment(string=render_markdown(doc).encode(), name=f"{base}.md", created=when, modified=when,
                   description=_("The Markdown edition of this document"), relationship="Alternative"),
        Attachment(string=doc.canonical_json().encode(), name=f"{base}.json", created=when, modified=when,
                   description=_("The document model as canonical JSON (its SHA-256 is the sealed content hash)"),
                   relationship="Data"),
    ]


def _write(doc: Document, variant: str) -> bytes:
    from weasyprint import CSS, HTML

    rendered = HTML(string=render_html(doc)).render(stylesheets=[CSS(string=PRINT_CSS)])
    old = rendered.metadata
    metadata = _metadata_class()(
        title=doc.file_title, authors=[o.name for o in doc.organisations],
        description=f"{doc.kind_label} {doc.number} — {doc.edition_label} — {doc.marking_names()}".replace("  ", " "),
        keywords=[k for k in (doc.number, doc.marking_names(), doc.edition) if k],
        created=doc.date, modified=doc.date, lang=old.lang or doc.language)
    metadata.doc = doc
    when = datetime.datetime.fromisoformat(doc.date).replace(tzinfo=datetime.UTC)
    if variant == ARCHIVAL_VARIANT:
        metadata.attachments = _attachments(doc, when)
    rendered.metadata = metadata
    return rendered.write_pdf(pdf_variant=variant,
                              finisher=partial(_finish, links=_link_labels(doc), title_lang=doc.title_lang))


@register_renderer("pdf", "pdf", "application/pdf")
def pdf_bytes(doc: Document) -> bytes:
    """Tagged PDF/UA-1."""
    return _write(doc, UA_VARIANT)


@register_renderer("pdfa", "archive.pdf", "application/pdf")
def archival_pdf_bytes(doc: Document) -> bytes:
    """The archival copy: PDF/A-3a with the Markdown edition and the document model attached."""
    return _write(doc, ARCHIVAL_VARIANT)
