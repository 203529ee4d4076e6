"""Paragraphs typed in a browser (lines ended by \\r\\n, paragraphs by a blank line) are
paragraphs in every format; a highlight of several paragraphs gives a bullet per paragraph."""

import io
import re
from html.parser import HTMLParser

import pytest
from docx import Document as DocxDocument
from markdown_it import MarkdownIt

from rapport.contributions.models import Contribution
from rapport.contributions.services import (
    approve_contribution,
    create_contribution,
    submit_contribution,
)
from rapport.periods.choices import PeriodState
from rapport.reports.build import render_edition
from rapport.reports.models import Highlight
from tests.synthetic import reader_for

from .readback import pdf_text

NARRATIVE = "First point typed in a browser.\r\nStill the first point.\r\n\r\nSecond point.\r\n\r\n\r\nThird point."
PARAGRAPHS = ["SYN0: First point typed in a browser. Still the first point.", "Second point.", "Third point."]
HIGHLIGHT = "Highlight first part.\n\nHighlight second part."
BULLETS = ["Highlight first part.", "Highlight second part."]


@pytest.fixture
def typed(syn):
    """A narrative written, submitted and approved through the services, as the pages do."""
    period, commitment = syn["periods"][1], syn["commitments"][1]
    org = syn["orgs"][0]
    period.state = PeriodState.OPEN
    period.save(update_fields=["state"])
    Contribution.objects.filter(period=period, commitment=commitment, organisation=org).delete()
    drafter, approver = syn["users"][("syn0", "drafter")], syn["users"][("syn0", "approver")]
    c = create_contribution(actor=drafter, commitment=commitment, period=period, narrative=NARRATIVE,
                            classification=syn["levels"]["syn0"][0], releasable_to=[])
    c = submit_contribution(actor=drafter, contribution=c)
    approve_contribution(actor=approver, contribution=c)
    Highlight.objects.filter(report__period=period).order_by("order").update(text=HIGHLIGHT)
    return period


def rendered(period, fmt: str) -> bytes:
    return render_edition(period, "public", fmt, actor=reader_for(period, "public")).content


class Blocks(HTMLParser):
    """The text of every <p> and <li>, portion mark left out."""

    def __init__(self):
        super().__init__()
        self.blocks, self.inside, self.skip = [], False, False

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "li"):
            self.blocks.append("")
            self.inside = True
        self.skip = ("class", "pm") in attrs or ("class", "pn") in attrs  # portion mark, paragraph number

    def handle_endtag(self, tag):
        self.skip = False
        if tag in ("p", "li"):
            self.inside = False

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.blocks[-1] += data


def paragraphs(fmt: str, content: bytes) -> list[str]:
    """Each paragraph of the file as a reader's tool sees it, without its number and portion mark."""
    if fmt == "html":
        parser = Blocks()
        parser.feed(content.decode())
        found = parser.blocks
    elif fmt == "docx":
        found = [p.text for p in DocxDocument(io.BytesIO(content)).paragraphs]
    else:
        found = [t.content for t in MarkdownIt("commonmark").parse(content.decode()) if t.type == "inline"]
    return [" ".join(re.sub(r"^(\d+[a-z]*\\?\.\s*)?\(PUBLIC\)\s*", "", " ".join(p.split())).split()) for p in found]


@pytest.mark.parametrize("fmt", ["html", "docx", "md"])
def test_typed_paragraphs_stay_paragraphs(typed, fmt):
    found = paragraphs(fmt, rendered(typed, fmt))
    start = found.index(PARAGRAPHS[0])
    assert found[start:start + 3] == PARAGRAPHS
    start = found.index(BULLETS[0])
    assert found[start:start + 2] == BULLETS


def test_typed_paragraphs_stay_paragraphs_in_pdf(typed):
    # Each paragraph of a PDF starts with its own number and portion mark.
    body = " ".join(pdf_text(rendered(typed, "pdf")).split())
    assert re.search(r"SYN0: First point typed in a browser\. Still the first point\. \d+\. \(PUBLIC\) Second point\. "
                     r"\d+\. \(PUBLIC\) Third point\.", body)
    assert re.search(r"Highlight first part\. (• )?\d+\. \(PUBLIC\) Highlight second part\.", body)
