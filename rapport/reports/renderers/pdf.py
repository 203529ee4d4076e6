"""PDF printed by WeasyPrint from the HTML edition: running headers and footers
with the marking, page numbers, and bookmarks from the headings.

WeasyPrint gives identical bytes for identical HTML, and the HTML holds no
"now", so a sealed PDF can be checked by its file hash.
"""

from __future__ import annotations

import logging

from ..document import Document
from . import register_renderer
from .html import render_html

# WeasyPrint and fontTools log every font subset at INFO/WARNING; keep CLI output clean.
for name in ("weasyprint", "fontTools"):
    logging.getLogger(name).setLevel(logging.ERROR)


@register_renderer("pdf", "pdf", "application/pdf")
def pdf_bytes(doc: Document) -> bytes:
    from weasyprint import HTML

    return _write(HTML(string=render_html(doc)), doc)


def _write(document, doc: Document) -> bytes:
    rendered = document.render()
    rendered.metadata.title = doc.title
    rendered.metadata.authors = [o.name for o in doc.organisations]
    rendered.metadata.created = doc.date
    rendered.metadata.modified = doc.date
    return rendered.write_pdf()
