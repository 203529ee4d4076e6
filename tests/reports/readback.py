"""Read rendered files back as text, the way a recipient's tools would."""

import io

from docx import Document as DocxDocument
from markdown_it import MarkdownIt
from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    d = DocxDocument(io.BytesIO(content))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    for s in d.sections:
        parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "\n".join(parts)


def docx_headers(content: bytes) -> list[str]:
    d = DocxDocument(io.BytesIO(content))
    return [p.text for s in d.sections for p in (*s.header.paragraphs, *s.footer.paragraphs) if p.text]


def md_text(content: bytes) -> str:
    tokens = MarkdownIt("commonmark").enable("table").parse(content.decode())
    return "\n".join(t.content for t in tokens if t.type == "inline")


def text(fmt: str, content: bytes) -> str:
    if fmt == "pdf":
        return pdf_text(content)
    if fmt == "docx":
        return docx_text(content)
    if fmt == "md":
        return md_text(content)
    return content.decode()
