"""The French edition says nothing in English untagged: the guiding principles are quoted in their
French forms (the default data gives them; one without a French form is quoted in English in a
``lang="en"`` span), joined with French punctuation; the partnership is named by its French name
(tagged where it has none); the report's title, which the data gives in English, says so (HTML,
PDF structure and XMP, DOCX runs); Annex A's commitment titles and the provenance annex's
excerpts of English statements are in ``lang="en"`` cells; the charts' text alternatives are
French. The web summary tags its English bullets. English is as it was."""

from __future__ import annotations

import html
import importlib
import io
import re
import zipfile

import lxml.html
import pytest
import yaml
from django.apps import apps
from pypdf import PdfReader

from rapport.core.registry import registry
from rapport.partnerships.models import Principle
from rapport.reports.build import render_edition
from rapport.seed.load import load_dataset
from tests.synthetic import reader_for

pytestmark = pytest.mark.django_db

DEFAULT = registry["seed_datasets"]["eu_nato"]
NB = "\u00a0"
ENGLISH_PRINCIPLES = ("mutual openness and transparency", "inclusiveness and reciprocity",
                      "decision-making autonomy of both organisations")
FRENCH_PRINCIPLES = ("ouverture et transparence mutuelles", "inclusivité et réciprocité",
                     "autonomie décisionnelle des deux organisations")
ENGLISH_NAME, FRENCH_NAME = "EU–NATO strategic partnership", "Partenariat stratégique UE–OTAN"


@pytest.fixture
def period(eu_nato):
    return eu_nato.periods.get(ordinal=9)


def _render(period, fmt="html", language="fr", edition="public"):
    return render_edition(period, edition, fmt, actor=reader_for(period, edition), language=language).content


def _page(period, language="fr") -> lxml.html.HtmlElement:
    return lxml.html.fromstring(_render(period, language=language).decode())


def flat(s: str) -> str:
    return " ".join(html.unescape(s).split())


def languages_of(doc, text: str) -> list[str | None]:
    """The language of each place the page shows ``text`` (case-insensitively): the nearest
    ``lang`` attribute of the element whose text or tail holds it."""
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for node, value in ((el, el.text), (el.getparent(), el.tail)):
            if node is not None and value and text.casefold() in value.casefold():
                holder = node
                while holder is not None and holder.get("lang") is None:
                    holder = holder.getparent()
                found.append(holder.get("lang") if holder is not None else None)
    return found


def _principles_paragraph(doc):
    (p,) = [p for p in doc.xpath("//main//p") if "principes directeurs convenus" in p.text_content()]
    return p


def test_the_principles_are_quoted_in_french_with_french_punctuation(period):
    doc = _page(period)
    for english in ENGLISH_PRINCIPLES:  # nowhere untagged: the sentence quotes the French forms
        assert set(languages_of(doc, english)) <= {"en"}, english
    text = _principles_paragraph(doc).text_content()
    assert (f"convenus{NB}: ouverture et transparence mutuelles{NB}; inclusivité et réciprocité{NB}; "
            f"et autonomie décisionnelle des deux organisations.") in text
    assert not _principles_paragraph(doc).xpath(".//*[@lang]")


def test_a_principle_without_a_french_form_is_quoted_in_english_and_tagged(period):
    Principle.objects.filter(key="inclusiveness_reciprocity").update(translations={})
    paragraph = _principles_paragraph(_page(period))
    (span,) = paragraph.xpath(".//span[@lang]")
    assert span.get("lang") == "en" and span.text == "inclusiveness and reciprocity"
    text = paragraph.text_content()
    assert f"mutuelles{NB}; inclusiveness and reciprocity{NB}; et autonomie décisionnelle" in text
    # The DOCX puts the English words in a run of their own, in English.
    with zipfile.ZipFile(io.BytesIO(_render(period, "docx"))) as z:
        body = z.read("word/document.xml").decode()
    assert re.search(r'<w:lang w:val="en"/></w:rPr><w:t>inclusiveness and reciprocity</w:t>', body)


def test_the_partnership_is_named_in_french(period):
    doc = _page(period)
    assert doc.xpath("//p[@class='partnership']")[0].text == FRENCH_NAME
    assert FRENCH_NAME in [dd.text for dd in doc.xpath("//div[@class='title-page']//dd")]
    assert "Dans le cadre du partenariat stratégique UE–OTAN, les organisations" in flat(doc.text_content())
    assert set(languages_of(doc, ENGLISH_NAME)) <= {"en"}


def test_a_partnership_without_a_french_name_is_tagged(period):
    partnership = period.partnership
    partnership.translations = {}
    partnership.save(update_fields=["translations"])
    doc = _page(period)
    assert doc.xpath("//p[@class='partnership']")[0].get("lang") == "en"
    (first,) = [p for p in doc.xpath("//main//p") if "Dans le cadre du" in p.text_content()]
    assert [(s.get("lang"), s.text) for s in first.xpath(".//span[@lang]")] == [("en", ENGLISH_NAME)]
    assert set(languages_of(doc, ENGLISH_NAME)) == {"en"}


def test_the_english_title_is_tagged_in_every_format(period):
    title = period.report.title
    doc = _page(period)
    (h1,) = doc.xpath("//h1[contains(@class, 'doc-title')]")
    assert h1.text == title and h1.get("lang") == "en"
    assert doc.xpath("//title")[0].get("lang") == "en"
    assert set(languages_of(doc, title)) == {"en"}
    pdf = PdfReader(io.BytesIO(_render(period, "pdf")))
    xmp = pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert f'<rdf:li xml:lang="en">{html.escape(title, quote=False)}</rdf:li>' in xmp
    with zipfile.ZipFile(io.BytesIO(_render(period, "docx"))) as z:
        body = z.read("word/document.xml").decode()
    assert f'<w:lang w:val="en"/></w:rPr><w:t>{html.escape(title, quote=False)}</w:t>' in body


def test_the_pdf_title_heading_says_its_language(period):
    pdf = PdfReader(io.BytesIO(_render(period, "pdf")))
    headings = []

    def walk(node, depth=0):
        node = node.get_object()
        if depth > 60 or not hasattr(node, "get"):
            return
        if node.get("/S") == "/H1":
            headings.append(node.get("/Lang"))
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                walk(kid, depth + 1)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    assert headings == ["en"]


def test_annex_cells_in_english_are_tagged(period):
    doc = _page(period)
    (annex,) = doc.xpath("//section[@id='annex-commitments']//table")
    rows = annex.xpath(".//tbody/tr")
    assert rows and all(row.xpath("td")[2].get("lang") == "en" for row in rows)  # the commitment's title
    assert all(row.xpath("td")[1].get("lang") is None for row in rows)  # its reference
    (provenance,) = doc.xpath("//section[@id='annex-provenance']//table")
    highlights = [row for row in provenance.xpath(".//tbody/tr") if row.get("data-record", "").startswith("highlight:")]
    assert highlights and all(row.xpath("td")[2].get("lang") == "en" for row in highlights)


def test_the_area_sentences_and_the_charts_speak_french(period):
    doc = _page(period)
    counts = [p.text_content() for p in doc.xpath("//main//p") if "dans ce domaine" in p.text_content()]
    assert counts and all(f"){NB}; " in c for c in counts)
    titles = [t.text for t in doc.xpath("//*[local-name()='svg']/*[local-name()='title']")]
    assert titles and all("Data:" not in t and f"Données{NB}: " in t for t in titles)
    assert all(re.search(rf"\b[A-Z]{{3}}{NB}: ", t) for t in titles)


def test_english_is_as_it_was(period):
    page = _render(period, language="en").decode()
    assert ("in full respect of the agreed guiding principles: mutual openness and transparency; inclusiveness and "
            "reciprocity; and decision-making autonomy of both organisations.") in page
    assert "The EU–NATO strategic partnership works to implement" in page
    assert ' lang="' not in page.replace('<html lang="en-GB">', "")
    assert " Data: " in page


def test_the_web_summaries_tag_english_bullets_and_quote_french_principles(period, client, make_user):
    reader = make_user("nato", "coordinator", "NATO CONFIDENTIAL")
    reader.language = "fr"
    reader.save(update_fields=["language"])
    client.force_login(reader)
    for url in (f"/reports/{period.ordinal}/summary/", f"/public/reports/{period.ordinal}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        doc = lxml.html.fromstring(response.content.decode())
        (summary,) = doc.xpath("//div[contains(@class, 'summary')]")
        items = summary.xpath(".//li")
        assert items and all(li.get("lang") == "en" for li in items), url
        text = summary.text_content()
        assert all(p in text for p in FRENCH_PRINCIPLES), url
        assert f"mutuelles{NB}; inclusivité" in text
        for english in ENGLISH_PRINCIPLES:
            assert set(languages_of(summary, english)) <= {"en"}, (url, english)
        assert summary.xpath(".//h1")[0].text.startswith(f"{FRENCH_NAME}{NB}: ")


def test_the_default_data_gives_the_principles_french_forms_and_reloads_without_change(eu_nato):
    assert [translated for translated in Principle.objects.filter(partnership=eu_nato, agreed=True)
            .values_list("translations", flat=True)] == [{"fr": {"text": p[:1].upper() + p[1:]}} for p in FRENCH_PRINCIPLES]
    assert all(p.translations.get("fr") for p in Principle.objects.filter(partnership=eu_nato))
    assert not load_dataset(DEFAULT).changed


def test_the_migration_gives_the_french_forms_to_principles_loaded_before_it(eu_nato):
    migration = importlib.import_module("rapport.partnerships.migrations.0005_principle_translations")
    before = dict(Principle.objects.values_list("key", "translations"))
    Principle.objects.update(translations={})
    Principle.objects.filter(key="no_prejudice").update(text="Reworded by the partnership's administrators")
    migration.add_french(apps, None)
    after = dict(Principle.objects.values_list("key", "translations"))
    assert after["no_prejudice"] == {}
    assert {k: v for k, v in after.items() if k != "no_prejudice"} == {
        k: v for k, v in before.items() if k != "no_prejudice"}
    seed = yaml.safe_load((DEFAULT / "partnership.yaml").read_text(encoding="utf-8"))["partnership"]["principles"]
    assert [(p["key"], p["text"], p["translations"]["fr"]["text"]) for p in seed] == migration.PRINCIPLES

