"""The structure that keeps a large report fast, checked where it is cheap to check
(the times themselves are measured by bench/bench_reports.py, never here):

- reading an edition's records makes the same number of queries whatever the number of
  contributions, evidence links and markings;
- the DOCX body holds every block of the document in order, with the section properties last;
- the public summary's light read gives the text, and the counts of the endorsed sets, that
  the full read gives.
"""

import io
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from rapport.access.demo import ensure_demo_users
from rapport.commitments.models import Commitment
from rapport.contributions.choices import JointTextState
from rapport.contributions.models import Contribution, JointText
from rapport.evidence.models import Exercise, Meeting
from rapport.reports import charts
from rapport.reports.assemble import assemble
from rapport.reports.build import public_summary_markdown
from rapport.reports.document import Figure, Paragraph, Table
from rapport.reports.editions import resolve_edition
from rapport.reports.prose import proposal_sets
from rapport.reports.records import load_records, load_summary_records
from rapport.reports.renderers import figure_numbers, get_renderer, heading_number
from rapport.reports.summary import public_summary
from rapport.seed.demo import generate
from tests.synthetic import build, mark

pytestmark = pytest.mark.django_db


def _with_links(data) -> None:
    """Evidence links on every third contribution, approved joint texts on every fourth commitment."""
    for period in data["periods"]:
        meeting = Meeting.objects.get(partnership=data["partnership"], key=f"meet{period.ordinal}")
        exercise = Exercise.objects.get(partnership=data["partnership"], key=f"ex{period.ordinal}")
        for n, c in enumerate(Contribution.objects.filter(period=period).order_by("pk")):
            if n % 3 == 0:
                c.meetings.add(meeting)
                c.exercises.add(exercise)
        public = data["levels"][data["orgs"][0].key][0]
        JointText.objects.bulk_create([
            JointText(commitment=c, period=period, text=f"Joint text on {c.ref}.", state=JointTextState.APPROVED,
                      classification=public) for c in data["commitments"][::4]])
    restricted = data["levels"][data["orgs"][0].key][2]
    for jt in JointText.objects.filter(period__partnership=data["partnership"]).order_by("pk")[::3]:
        mark(jt, restricted, data["orgs"])


def _queries(period, edition: str) -> tuple[int, int]:
    """(queries to read the records, queries to assemble the document, reading included)."""
    ed = resolve_edition(period.partnership, edition, period)
    with CaptureQueriesContext(connection) as reading:
        r = load_records(period, ed)
    with CaptureQueriesContext(connection) as assembling:
        assemble(period, ed)
    assert r.contributions  # the edition has something to read
    return len(reading), len(assembling)


@pytest.mark.parametrize("edition", ["public", "{p}0", "{p}1:{P}1R", "delegation:{D}X"])
def test_reading_and_assembling_an_edition_make_as_many_queries_at_any_size(edition):
    small = build(prefix="qa", n_areas=2, per_area=2, scale=1)
    large = build(prefix="qb", n_areas=2, per_area=2, scale=6)
    for data in (small, large):
        _with_links(data)
    counts = []
    for data, prefix in ((small, "qa"), (large, "qb")):
        name = edition.format(p=prefix, P=prefix.upper(), D=prefix.upper()[:2])
        counts.append(_queries(data["periods"][1], name))
    assert Contribution.objects.filter(period=large["periods"][1]).count() == 6 * Contribution.objects.filter(
        period=small["periods"][1]).count()
    assert counts[0] == counts[1]


def _body_items(content: bytes):
    """The body of a DOCX as it reads: each paragraph's text (empty ones left out) and each
    table's rows, in order; and the tags of the body's children."""
    d = DocxDocument(io.BytesIO(content))
    body = d.element.body
    items = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = DocxParagraph(child, d._body).text
            if text.strip():
                items.append(text)
        elif child.tag == qn("w:tbl"):
            items.append(tuple(tuple(c.text for c in row.cells) for row in DocxTable(child, d._body).rows))
    return items, [child.tag for child in body.iterchildren()]


def _expected_items(doc):
    """What the document says, in reading order, as the DOCX should hold it."""
    numbers = figure_numbers(doc)
    items = []

    def walk(section):
        number = f"{heading_number(section)} " if heading_number(section) else ""
        items.append(f"{number}{doc.portion_mark(section.marking)} {section.title}")
        for b in section.blocks:
            if isinstance(b, Paragraph):
                items.append(f"{b.number + '. ' if b.number else ''}{doc.portion_mark(b.marking)} {b.text}")
            elif isinstance(b, Table):
                items.append(f"{doc.portion_mark(b.marking)} {b.caption}")
                items.append((("Mk.", *b.header), *((doc.portion_mark(r.marking), *r.cells) for r in b.rows)))
            elif isinstance(b, Figure):
                items.append(f"{doc.portion_mark(b.marking)} Figure {numbers[id(b)]}: {b.caption}")
                items.append(charts.summary(b))  # the sentence of its text alternative
        for sub in section.subsections:
            walk(sub)

    for s in doc.sections:
        walk(s)
    return items


def test_docx_body_holds_every_block_in_order_and_the_section_properties_last(syn):
    period = syn["periods"][1]
    doc = assemble(period, resolve_edition(period.partnership, "syn0", period))
    items, tags = _body_items(get_renderer("docx").render(doc))
    expected = _expected_items(doc)
    assert any(isinstance(x, tuple) for x in expected) and len(expected) > 50
    start = items.index(expected[0])
    assert items[start:] == expected
    assert tags[-1] == qn("w:sectPr") and tags.count(qn("w:sectPr")) == 1


def _both(period, edition="public"):
    ed = resolve_edition(period.partnership, edition, period)
    return load_records(period, ed), load_summary_records(period, ed)


def test_light_summary_read_says_what_the_full_read_says_for_every_default_period(eu_nato):
    ensure_demo_users(eu_nato)
    generate(eu_nato, scale=2)  # demonstration commitments and contributions in the open period
    periods = list(eu_nato.periods.order_by("ordinal"))
    assert len(periods) >= 10
    for period in periods:
        full, light = _both(period)
        assert public_summary(light) == public_summary(full), period.ordinal
        assert public_summary_markdown(period) == public_summary(full)
        for edition in ("public", "nato", "eu", "delegation:FI"):
            full, light = _both(period, edition)
            assert light.mandate_counts == full.mandate_counts == dict(Counter(c.mandate_id for c in full.commitments))
            assert proposal_sets(light) == proposal_sets(full)


def test_light_summary_read_counts_what_the_edition_may_read(syn):
    """Counts come from the commitments themselves here (no authoritative count), and leave out
    a commitment that is hidden, or whose area is."""
    period = syn["periods"][1]
    for m in syn["partnership"].mandates.filter(kind="proposal_set"):
        m.proposal_count = None
        m.save(update_fields=["proposal_count"])
    first = syn["orgs"][0]
    mark(syn["areas"][0], syn["levels"][first.key][2], [first])
    full, light = _both(period)
    # The public reads PUBLIC commitments outside the area just restricted.
    shown = Counter(Commitment.objects.filter(partnership=syn["partnership"], classification__rank=0)
                    .exclude(area=syn["areas"][0]).values_list("mandate_id", flat=True))
    assert sum(shown.values()) < len(syn["commitments"]) - 1
    assert [(m.pk, n) for m, n in proposal_sets(light)] == [(m.pk, shown[m.pk]) for m, _ in proposal_sets(full)]
    assert proposal_sets(light) == proposal_sets(full)
    assert public_summary(light) == public_summary(full)
    staff = _both(period, "syn0")
    assert proposal_sets(staff[1]) == proposal_sets(staff[0]) != proposal_sets(light)


def test_the_public_summary_reads_no_contribution(syn):
    with CaptureQueriesContext(connection) as queries:
        public_summary_markdown(syn["periods"][1])
    tables = " ".join(q["sql"] for q in queries)
    assert "contributions_contribution" not in tables and "evidence_" not in tables
    assert len(queries) < 15
