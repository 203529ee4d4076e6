"""Every edition in French: headings, fixed wording, dates and markings in French, the records'
text in their own language and tagged so; the files declare fr; the same edition in the same
language gives the same bytes; English is as it was; a language Rapport does not write is refused
before anything is read or recorded."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from pypdf import PdfReader

from rapport.audit.models import AuditEvent
from rapport.core.errors import InputError
from rapport.reports.build import document_for, public_summary_markdown, render_edition
from rapport.reports.models import DownloadTally
from rapport.reports.prose import day
from tests.synthetic import reader_for

from .readback import text

pytestmark = pytest.mark.django_db


def flat(s: str) -> str:
    return " ".join(html.unescape(s).split())


@pytest.fixture
def eighth(eu_nato):
    return eu_nato.periods.get(ordinal=8)


def _render(period, edition="public", fmt="html", language="fr"):
    return render_edition(period, edition, fmt, actor=reader_for(period, edition), language=language)


def test_french_dates():
    import datetime

    with translation.override("fr"):
        assert day(datetime.date(2017, 12, 5)) == "5 décembre 2017"
        assert day(datetime.date(2016, 7, 1)) == "1er juillet 2016"
    with translation.override("en"):
        assert day(datetime.date(2017, 12, 5)) == "5 December 2017"


def test_the_french_html_has_french_headings_dates_and_lang(eighth):
    f = _render(eighth)
    page = f.content.decode()
    assert '<html lang="fr">' in page
    body = flat(text("html", f.content))
    for heading in ("Introduction", "Progrès par domaine de coopération", "Statistiques",
                    "Annexe A — Engagements et leur appréciation", "Annexe B — Provenance", "Table des matières",
                    "Huitième rapport d’étape", "Diffusion", "Marquage"):
        assert heading in body, heading
    assert "Progress by area of cooperation" not in body and "Contents" not in body
    assert re.search(r"\b\d{1,2}(er)? (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
                     r"|décembre) 20\d\d\b", body)
    assert f.filename == "eu-nato-report-08-public-fr.html" and f.language == "fr"
    # The records are English and not translated: their text is tagged as English.
    assert '<span lang="en">' in page


@pytest.mark.parametrize(("edition", "french", "english"), [
    ("nato:NR", "NATO DIFFUSION RESTREINTE", "NATO RESTRICTED"),
    ("eu:R-UE", "RESTREINT UE/EU RESTRICTED", "RESTREINT UE/EU RESTRICTED"),
])
def test_markings_are_in_their_french_forms(eighth, edition, french, english):
    fr = flat(text("html", _render(eighth, edition).content))
    en = flat(text("html", _render(eighth, edition, language="en").content))
    assert f"jusqu’à {french}" in fr and f"up to {english}" in en
    if edition == "nato:NR":
        assert "NATO RESTRICTED" not in fr and "NATO DIFFUSION RESTREINTE" not in en


def test_a_marked_document_prints_its_marking_in_french(eighth):
    from dataclasses import replace

    doc, _sealed = document_for(eighth, "nato:NR", language="fr")
    marked = replace(doc, title_marking=replace(doc.title_marking, rank=2, releasable=("NATO",)))
    with translation.override("fr"):
        assert marked.marking_names() == "NATO DIFFUSION RESTREINTE / RESTREINT UE/EU RESTRICTED — diffusable à NATO"
        assert marked.portion_mark(marked.title_marking) == "(NR/R-UE REL NATO)"


def test_the_french_pdf_declares_fr(eighth):
    f = _render(eighth, fmt="pdf")
    reader = PdfReader(io.BytesIO(f.content))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    body = flat(text("pdf", f.content))
    assert "Huitième rapport d’étape" in body and "Table des matières" in body
    # The organisations by their French names (the default data has them), not the English ones.
    assert "Union européenne" in body and "European Union" not in body


def test_the_french_docx_declares_fr(eighth):
    f = _render(eighth, fmt="docx")
    with zipfile.ZipFile(io.BytesIO(f.content)) as z:
        styles = z.read("word/styles.xml").decode()
        core = z.read("docProps/core.xml").decode()
        document = z.read("word/document.xml").decode()
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="fr"', styles, re.S)
    assert "<dc:language>fr</dc:language>" in core
    assert '<w:lang w:val="en"/>' in document  # the records' English text, tagged
    assert "Table des matières" in flat(text("docx", f.content))


def test_the_french_markdown_says_its_language(eighth):
    md = _render(eighth, fmt="md").content.decode()
    assert md.splitlines()[2] == "Langue\u00a0: français"
    assert "## Table des matières" in md


@pytest.mark.parametrize("fmt", ["html", "md", "docx", "pdf"])
def test_the_same_edition_in_french_twice_is_the_same_bytes(eighth, fmt):
    assert _render(eighth, fmt=fmt).content == _render(eighth, fmt=fmt).content


def test_english_is_english_whatever_the_active_language(eighth):
    english = _render(eighth, language="en").content
    with translation.override("fr"):
        assert _render(eighth, language="en").content == english
    assert b'<html lang="en-GB">' in english and b"<span lang=" not in english
    with translation.override("en"):
        assert _render(eighth).content == _render(eighth).content  # French whatever the active language


def test_the_public_summary_in_french(eighth):
    summary = public_summary_markdown(eighth, "fr")
    assert summary.startswith("# Partenariat stratégique UE–OTAN\u00a0: huitième rapport d’étape")
    assert "Parmi ses principales conclusions\u00a0:" in summary
    assert "décembre 2023" in summary or "juin 2023" in summary


def test_downloads_record_their_language(eighth):
    before = AuditEvent.objects.count()
    _render(eighth, "nato", "md")
    entry = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1 and entry.after["language"] == "fr"
    render_edition(eighth, "public", "md", actor=None, language="fr")
    render_edition(eighth, "public", "md", actor=None, language="en")
    assert set(DownloadTally.objects.filter(report__period=eighth).values_list("language", "count")) == {
        ("fr", 1), ("en", 1)}
    assert AuditEvent.objects.order_by("-seq").first().after["language"] == "en"


@pytest.mark.parametrize("language", ["de", "", "FR-x", None, "fr\x00"])
def test_an_unknown_language_is_refused_and_nothing_is_recorded(eighth, language):
    before = AuditEvent.objects.count()
    with pytest.raises(InputError) as failure:
        render_edition(eighth, "public", "html", actor=None, language=language)
    assert failure.value.field == "language"
    assert AuditEvent.objects.count() == before and not DownloadTally.objects.exists()


def test_an_edition_sealed_in_english_only_is_rendered_in_french_from_the_records(syn):
    from rapport.reports.sealing import seal_edition

    period, actor = syn["periods"][1], syn["users"][("syn0", "coordinator")]
    seal_edition(actor=actor, period=period, edition="public", formats=["html"])
    reader = reader_for(period, "public")
    english = render_edition(period, "public", "html", actor=reader)
    french = render_edition(period, "public", "html", actor=reader, language="fr")
    assert english.sealed and not french.sealed
    assert b'<html lang="fr">' in french.content and french.content != english.content
    doc, sealed = document_for(period, "public", "html", "fr")
    assert not sealed and doc.language == "fr"


def test_the_command_renders_french(eighth, tmp_path):
    out = io.StringIO()
    call_command("report", "--period", "8", "--edition", "public", "--format", "html", "--output", str(tmp_path),
                 "--language", "fr", stdout=out)
    path = tmp_path / "eu-nato-report-08-public-fr.html"
    assert out.getvalue().strip() == str(path.resolve())
    assert '<html lang="fr">' in path.read_text()
    with pytest.raises(CommandError, match="invalid choice: 'de'"):
        call_command("report", "--period", "8", "--format", "html", "--output", str(tmp_path), "--language", "de")


def test_evidence_names_are_in_french_where_the_record_holds_a_translation(eighth):
    from rapport.evidence.models import Exercise, Meeting

    english = flat(_render(eighth, language="en").content.decode())
    meeting = next(m for m in Meeting.objects.filter(classification__rank=0).order_by("date") if m.title in english)
    Meeting.objects.filter(pk=meeting.pk).update(translations={"fr": {"title": "Réunion traduite pour l'essai"}})
    exercise = next((x for x in Exercise.objects.filter(classification__rank=0) if x.name in english), None)
    if exercise is not None:
        Exercise.objects.filter(pk=exercise.pk).update(translations={"fr": {"name": "Exercice traduit pour l'essai"}})
    french = flat(_render(eighth).content.decode())
    assert "Réunion traduite pour l'essai" in french and meeting.title not in french
    if exercise is not None:
        assert "Exercice traduit pour l'essai" in french
    assert flat(_render(eighth, language="en").content.decode()) == english  # English is as it was
