"""Editions contain only what their audience may read, in every format."""

import io

import pytest
from docx import Document as DocxDocument

from rapport.core.errors import InputError, NotFound, Refused
from rapport.reports.assemble import assemble
from rapport.reports.build import render_edition
from rapport.reports.document import Paragraph, iter_blocks
from rapport.reports.editions import resolve_edition
from tests.synthetic import reader_for

from .readback import docx_headers, text

FORMATS = ["html", "md", "docx", "pdf"]
SECRETS = ("RESTRICTED-SECRET", "CONFIDENTIAL-SECRET", "HIDDEN-COMMITMENT-TITLE")


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_edition_holds_only_public_content(syn, fmt):
    f = render_edition(syn["periods"][1], "public", fmt, actor=reader_for(syn["periods"][1], "public"))
    body = text(fmt, f.content)
    assert "SYN0 progress on SYN-A0-000" in body.replace("\n", " ")
    for secret in SECRETS:
        assert secret not in body
    assert "RESTRICTED" not in body.replace("RESTRICTED-SECRET", "")
    assert "PUBLIC" in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_organisation_editions_follow_clearance_and_releasability(syn, fmt):
    period = syn["periods"][1]
    mine = text(fmt, render_edition(period, "syn0", fmt, actor=reader_for(period, "syn0")).content)
    other = text(fmt, render_edition(period, "syn1", fmt, actor=reader_for(period, "syn1")).content)
    low = text(fmt, render_edition(period, "syn0:SYN0I", fmt, actor=reader_for(period, "syn0:SYN0I")).content)
    assert "RESTRICTED-SECRET" in mine and "CONFIDENTIAL-SECRET" in mine and "HIDDEN-COMMITMENT-TITLE" in mine
    assert "RESTRICTED-SECRET" in other
    assert "CONFIDENTIAL-SECRET" not in other and "HIDDEN-COMMITMENT-TITLE" not in other
    assert not any(s in low for s in SECRETS)


def test_document_marking_in_each_scheme_on_every_page(syn):
    period = syn["periods"][1]
    docx = render_edition(period, "syn0", "docx", actor=reader_for(period, "syn0")).content
    expected = "SYN0 CONFIDENTIAL / SYN1 CONFIDENTIAL — releasable to SYN0"
    assert set(docx_headers(docx)) >= {expected}
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(render_edition(period, "syn0", "pdf", actor=reader_for(period, "syn0")).content)).pages
    assert len(pages) > 3
    for page in pages:
        flat = " ".join((page.extract_text() or "").split())
        assert flat.count("SYN0 CONFIDENTIAL / SYN1 CONFIDENTIAL") >= 2  # header and footer
    assert "SYN1 RESTRICTED" in text("html", render_edition(period, "syn1", "html", actor=reader_for(period, "syn1")).content)


def test_an_organisations_edition_names_its_own_scheme_first(syn):
    period = syn["periods"][1]
    own = {key: assemble(period, resolve_edition(period.partnership, key, period)) for key in ("syn0", "syn1")}
    public = assemble(period, resolve_edition(period.partnership, "public", period))
    assert own["syn1"].marking_names().startswith("SYN1 RESTRICTED / SYN0 RESTRICTED")
    assert own["syn0"].marking_names().startswith("SYN0 CONFIDENTIAL / SYN1 CONFIDENTIAL")
    marks = {key: {b.marking.rank: doc.portion_mark(b.marking) for _, b in iter_blocks(doc.sections) if b.marking.rank}
             for key, doc in own.items()}
    assert marks["syn1"] and all(m.startswith("(SYN1") for m in marks["syn1"].values())
    assert marks["syn0"] and all(m.startswith("(SYN0") for m in marks["syn0"].values())
    assert public.marked_for == "" and [o.key for o in public.scheme_order] == ["syn0", "syn1"]
    # In every format: the DOCX header names the reader's own scheme first.
    docx = render_edition(period, "syn1", "docx", actor=reader_for(period, "syn1")).content
    assert any(h.startswith("SYN1 RESTRICTED / SYN0 RESTRICTED") for h in docx_headers(docx))


def test_docx_has_real_headings_toc_field_tables_and_charts(syn):
    d = DocxDocument(io.BytesIO(render_edition(syn["periods"][1], "syn0", "docx", actor=reader_for(syn["periods"][1], "syn0")).content))
    styles = {p.style.name for p in d.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3", "List Bullet"} <= styles
    assert "TOC \\o" in d.element.xml
    assert len(d.tables) > 5
    assert len(d.inline_shapes) == 2


def test_counts_and_headings_leave_no_trace(syn):
    doc = assemble(syn["periods"][1], resolve_edition(syn["partnership"], "public", syn["periods"][1]))
    area2 = next(s for s in doc.sections[1].subsections if s.anchor == "area-area2")
    texts = [b.text for b in area2.blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("2 commitments in this area") for t in texts)  # the hidden third is not counted
    annex = next(s for s in doc.sections if s.anchor == "annex-commitments").blocks[1]
    assert len(annex.rows) == 8
    assert doc.marking.rank == 0


def test_differing_assessments_are_shown_side_by_side(syn):
    doc = assemble(syn["periods"][1], resolve_edition(syn["partnership"], "syn0", syn["periods"][1]))
    tables = [b for _, b in iter_blocks(doc.sections) if getattr(b, "caption", "").startswith("Assessment of")]
    differing = [t for t in tables if t.rows[0].flag == "differs"]
    assert differing
    row = differing[0].rows[0]
    assert len(set(row.cells[1:])) == 2  # both assessments, none averaged


def test_every_statement_is_traceable(syn):
    f = render_edition(syn["periods"][1], "syn0", "html", actor=reader_for(syn["periods"][1], "syn0"))
    html = f.content.decode()
    assert 'data-record="contribution:' in html and 'data-author="Drafter SYN0"' in html
    assert 'data-approver="Approver SYN1"' in html
    assert "Annex B — Provenance" in html


def test_bad_editions_are_refused(syn):
    period = syn["periods"][1]
    for name in ("nobody", "syn0:TOP SECRET", "delegation:ZZ", "public:extra", ""):
        with pytest.raises(InputError):
            render_edition(period, name, "md", actor=reader_for(period, name))


def test_users_only_get_editions_they_may_read(syn):
    from rapport.audit.models import AuditEvent

    period, users = syn["periods"][1], syn["users"]
    drafter1 = users[("syn1", "drafter")]
    with pytest.raises(Refused, match="another audience"):
        render_edition(period, "syn0", "md", actor=drafter1)
    with pytest.raises(NotFound):  # the public cannot see an unpublished report at all
        render_edition(period, "public", "md", actor=None)
    assert not AuditEvent.objects.filter(verb="report.downloaded").exists()
    f = render_edition(period, "syn1", "md", actor=drafter1)
    assert AuditEvent.objects.filter(verb="report.downloaded", actor=drafter1).count() == 1
    assert f.edition == "syn1:SYN1C"


def test_delegation_edition_reads_for_its_states_organisations(syn):
    period = syn["periods"][1]
    body = text("md", render_edition(period, "delegation:SYX:2", "md", actor=reader_for(period, "delegation:SYX:2")).content)
    assert "RESTRICTED-SECRET" in body and "CONFIDENTIAL-SECRET" not in body


def test_renders_are_deterministic(syn):
    period = syn["periods"][1]
    for fmt in FORMATS:
        assert render_edition(period, "syn0", fmt, actor=reader_for(period, "syn0")).sha256 == render_edition(period, "syn0", fmt, actor=reader_for(period, "syn0")).sha256
