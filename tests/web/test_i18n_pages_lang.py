"""Pages in French tag what they show in another language: commitment titles and texts, evidence
names, assessment labels, report titles and the areas and mandates that have no French name are
English data, and each sits in an element whose ``lang`` says so (the ``lang_attr`` filter); a
French name is French. An English page tags none of them. The Partners page names a link's
accreditation as the marking scheme writes it in the page's language."""

from __future__ import annotations

import lxml.html
import pytest

from rapport.evidence.models import CoordinationFormat, Exercise, Meeting, PartnerActivity
from rapport.partnerships.models import Area, AssessmentValue, Mandate

from .federation_setup import eu_instance

pytestmark = pytest.mark.django_db


def _reader(make_user, language="fr", **kwargs):
    user = make_user(**{"org": "nato", "role": "coordinator", "clearance": "NATO CONFIDENTIAL", **kwargs})
    user.language = language
    user.save(update_fields=["language"])
    return user


def _page(client, url) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def languages_of(doc, text: str) -> list[str]:
    """The language of each place the page shows ``text``: its nearest ``lang`` attribute."""
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for node, value in ((el, el.text), (el.getparent(), el.tail)):
            if node is not None and value and text in value:
                holder = node
                while holder is not None and holder.get("lang") is None:
                    holder = holder.getparent()
                found.append(holder.get("lang") if holder is not None else None)
    return found


def _assert_english(doc, text):
    langs = languages_of(doc, text)
    assert langs, f"{text!r} is not on the page"
    assert set(langs) == {"en"}, (text, langs)


def _english_only_area():
    """An area with commitments and no French name (the default data names every area in French:
    the test takes one's away, as a partnership's own data may have none)."""
    area = Area.objects.filter(commitments__isnull=False).order_by("-order").first()
    area.translations = {}
    area.save(update_fields=["translations"])
    return area


def _french_area():
    return next(a for a in Area.objects.filter(commitments__isnull=False).distinct().order_by("order")
                if (a.translations or {}).get("fr"))


def test_the_commitment_list_tags_english_titles_and_names(make_user, signed_in, write, commitments):
    author = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    write(author, commitments[0], "Staff talks were held.", assessment="limited")
    english = _english_only_area()
    client = signed_in(_reader(make_user))
    doc = _page(client, f"/commitments/?area={english.pk}")
    _assert_english(doc, english.name)
    doc = _page(client, "/commitments/")
    assert doc.get("lang") == "fr"
    _assert_english(doc, commitments[0].title)
    french = _french_area()
    assert set(languages_of(doc, french.translations["fr"]["name"])) == {"fr"}
    mandate = Mandate.objects.get(pk=commitments[0].mandate_id)
    if not (mandate.translations or {}).get("fr"):
        _assert_english(doc, mandate.title[:40])
    # The assessment badge: the scale's labels are English data.
    _assert_english(doc, AssessmentValue.objects.get(key="limited").label)


def test_an_english_page_tags_none_of_it(make_user, signed_in, commitments):
    client = signed_in(_reader(make_user, language="en"))
    for url in ("/commitments/", f"/commitments/{commitments[0].pk}/", "/dashboard/", "/evidence/",
                "/search/?q=cyber"):
        doc = _page(client, url)
        assert doc.get("lang") == "en"
        assert not doc.xpath("//main//*[@lang]"), url


def test_a_commitment_page_tags_its_title_text_and_evidence(make_user, signed_in, commitments):
    commitment = next(c for c in commitments if c.meetings.exists() or c.formats.exists() or c.exercises.exists())
    client = signed_in(_reader(make_user))
    doc = _page(client, f"/commitments/{commitment.pk}/")
    _assert_english(doc, commitment.title)
    _assert_english(doc, commitment.text[:60])
    for meeting in commitment.meetings.all()[:3]:
        _assert_english(doc, meeting.title)
    for fmt in commitment.formats.all()[:3]:
        _assert_english(doc, fmt.name)
    for exercise in commitment.exercises.all()[:3]:
        _assert_english(doc, exercise.name)


@pytest.mark.parametrize("kind, model, field", [
    ("formats", CoordinationFormat, "name"), ("meetings", Meeting, "title"),
    ("exercises", Exercise, "name"), ("activities", PartnerActivity, "title"),
])
def test_the_evidence_lists_tag_their_english_names(make_user, signed_in, kind, model, field):
    client = signed_in(_reader(make_user))
    doc = _page(client, f"/evidence/?kind={kind}")
    record = model.objects.order_by(*{"formats": ("name",), "meetings": ("-date", "key"),
                                      "exercises": ("start", "key"), "activities": ("key",)}[kind]).first()
    _assert_english(doc, getattr(record, field))
    # A column of the page's own words (the kind of a format or an exercise) is not tagged.
    if kind in ("formats", "exercises"):
        assert set(languages_of(doc, str(record.get_kind_display()))) <= {"fr"}


def test_a_meeting_page_tags_its_title_and_summary(make_user, signed_in):
    meeting = Meeting.objects.exclude(summary="").order_by("pk").first()
    client = signed_in(_reader(make_user))
    doc = _page(client, f"/meetings/{meeting.pk}/")
    _assert_english(doc, meeting.title)
    _assert_english(doc, meeting.summary[:60])


def test_search_results_tag_english_titles_and_snippets(make_user, signed_in):
    client = signed_in(_reader(make_user))
    doc = _page(client, "/search/?q=cyber&kind=commitment")
    links = doc.xpath("//ol[@class='search-results']//p[@class='result-title']/a")
    assert links, "no result"
    assert {a.get("lang") for a in links} == {"en"}
    snippets = doc.xpath("//ol[@class='search-results']//p[@class='snippet']")
    assert snippets and {p.get("lang") for p in snippets} == {"en"}


def test_a_french_contribution_is_not_tagged_in_search(make_user, signed_in, write, commitments):
    from rapport.contributions import services

    author = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    c = write(author, commitments[0], "Les états-majors se sont réunis sur la cyberdéfense.")
    services.edit_contribution(actor=author, contribution=c, base_version=c.version, language="fr",
                               narrative=c.narrative, classification=c.classification,
                               releasable_to=list(c.releasable_to.all()))
    client = signed_in(_reader(make_user))
    doc = _page(client, "/search/?q=cyberdéfense&kind=contribution")
    snippets = doc.xpath("//ol[@class='search-results']//p[@class='snippet']")
    assert snippets and {p.get("lang") for p in snippets} == {None}


def test_the_dashboard_tags_titles_legend_and_areas(make_user, signed_in, write, commitments):
    author = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    write(author, commitments[0], "Staff talks were held.", submit=True, assessment="limited")
    client = signed_in(_reader(make_user))
    doc = _page(client, "/dashboard/?org=nato")
    # Still missing: commitment titles (English data), cut to fit.
    _assert_english(doc, commitments[1].title[:30])
    # The chart's legend and its table's columns: the scale's labels.
    for value in AssessmentValue.objects.filter(scheme__key="completion"):
        _assert_english(doc, value.label)
    assert "Non appréciée" in doc.text_content()  # the page's own word for no assessment
    # The areas: French where they have a French name, else English.
    french = _french_area()
    assert set(languages_of(doc, french.translations["fr"]["name"])) == {"fr"}
    english = _english_only_area()
    _assert_english(_page(client, "/dashboard/?org=nato"), english.name)
    # The bar's words for screen readers: French punctuation.
    labels = [svg.get("aria-label") for svg in doc.xpath("//*[local-name()='svg'][@class='bar']")]
    assert labels and all("\u00a0: " in label for label in labels)


def test_report_titles_are_tagged(make_user, signed_in):
    from rapport.reports.models import Report

    report = Report.objects.filter(state="published").order_by("-period__ordinal").first()
    client = signed_in(_reader(make_user))
    _assert_english(_page(client, "/reports/"), report.title)
    _assert_english(_page(client, f"/reports/{report.period.ordinal}/"), report.title)
    _assert_english(_page(client, "/public/reports/"), report.title)
    public = _page(client, f"/public/reports/{report.period.ordinal}/")
    _assert_english(public, report.title)  # the heading and the window's title
    assert public.xpath("//title")[0].get("lang") == "en"


def test_the_public_pages_tag_commitments_and_areas(client, commitments):
    client.cookies["rapport-language"] = "fr"
    doc = _page(client, "/")
    public = [c for c in commitments if c.classification.rank == 0]
    _assert_english(doc, public[0].title)
    page = _page(client, f"/public/commitments/{public[0].pk}/")
    _assert_english(page, public[0].title)
    _assert_english(page, public[0].text[:60])


def test_the_public_home_names_the_partnership_in_the_pages_language(client, eu_nato):
    client.cookies["rapport-language"] = "fr"
    body = client.get("/").content.decode()
    assert "<h1>Partenariat stratégique UE–OTAN</h1>" in body
    client.cookies["rapport-language"] = "en"
    assert f"<h1>{eu_nato.name}</h1>" in client.get("/").content.decode()


def test_the_partners_page_names_the_accreditation_in_french(eu_nato, settings, tmp_path, make_user, signed_in):
    eu_instance(settings, tmp_path)
    user = make_user(org="eu", role="coordinator", clearance=2)
    user.language = "fr"
    user.save(update_fields=["language"])
    client = signed_in(user)
    for url in ("/partners/", "/partners/nato/"):
        body = client.get(url).content.decode()
        assert "NATO DIFFUSION RESTREINTE" in body, url
        assert "NATO RESTRICTED" not in body.split("<pre", 1)[0].split("</main>")[0].split("<main", 1)[-1], url
    user.language = "en"
    user.save(update_fields=["language"])
    assert "NATO RESTRICTED" in client.get("/partners/").content.decode()


def _mandate_line(doc) -> str:
    return doc.xpath("//dl[@class='facts']/dt[.='Mandat']/following-sibling::dd[1]")[0].text_content().strip()


def test_a_mandate_is_dated_once(make_user, signed_in, client, commitments):
    """A mandate whose title names its date ("… (endorsed 6 December 2016)") is not dated again
    in the other language; a title without it is followed by the date in the page's language."""
    commitment = next(c for c in commitments if c.classification.rank == 0)
    mandate = Mandate.objects.get(pk=commitment.mandate_id)
    assert "2016" in mandate.title and not mandate.translations.get("fr")  # the default data's set of 2016
    reader = signed_in(_reader(make_user))
    client.cookies["rapport-language"] = "fr"
    for who, url in ((reader, f"/commitments/{commitment.pk}/"), (client, f"/public/commitments/{commitment.pk}/")):
        line = _mandate_line(_page(who, url))
        assert line.count("2016") == 1 and "décembre" not in line, line
    mandate.translations = {"fr": {"title": "Ensemble commun de propositions"}}
    mandate.save(update_fields=["translations"])
    for who, url in ((reader, f"/commitments/{commitment.pk}/"), (client, f"/public/commitments/{commitment.pk}/")):
        doc = _page(who, url)
        assert _mandate_line(doc).endswith("Ensemble commun de propositions (6 décembre 2016)")
        assert set(languages_of(doc, "Ensemble commun de propositions")) == {"fr"}


def test_clearances_are_named_in_french_in_the_header_and_the_console(make_user, signed_in):
    admin = _reader(make_user, role="administrator", clearance="NATO RESTRICTED")
    colleague = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    client = signed_in(admin)
    for url in ("/dashboard/", "/console/", f"/console/accounts/{colleague.pk}/"):
        body = client.get(url).content.decode()
        assert "NATO DIFFUSION RESTREINTE" in body, url
        assert "NATO RESTRICTED" not in body, url
    admin.language = "en"
    admin.save(update_fields=["language"])
    assert "cleared to NATO RESTRICTED" in client.get("/dashboard/").content.decode()


def test_the_comparison_of_versions_names_their_markings_in_french(make_user, signed_in, write, commitments):
    from rapport.contributions import services

    author = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    c = write(author, commitments[0], "Staff talks were held.", marking="NATO RESTRICTED", to=["nato"])
    services.edit_contribution(actor=author, contribution=c, base_version=c.version, narrative="Staff talks were held twice.",
                               classification=c.classification, releasable_to=list(c.releasable_to.all()))
    client = signed_in(_reader(make_user))
    body = client.get(f"/contributions/{c.pk}/compare/").content.decode()
    headings = [h.text_content() for h in lxml.html.fromstring(body).xpath("//h2[@id='left-h' or @id='right-h']")]
    assert len(headings) == 2 and all("NATO DIFFUSION RESTREINTE" in h for h in headings), headings


def test_a_report_part_found_is_titled_in_french_with_the_reports_english_title(make_user, signed_in):
    client = signed_in(_reader(make_user))
    doc = _page(client, "/search/?q=hybrid&kind=highlight")
    links = doc.xpath("//ol[@class='search-results']//p[@class='result-title']/a")
    assert links
    for link in links:
        assert link.get("lang") is None and link.text.startswith("Point saillant de ")
        (title,) = link.xpath("span")
        assert title.get("lang") == "en" and "progress report" in title.text


def test_a_periods_note_is_tagged(make_user, signed_in, open_period):
    assert open_period.note
    client = signed_in(_reader(make_user))
    _assert_english(_page(client, f"/periods/{open_period.ordinal}/"), open_period.note[:40])


def test_the_comparison_of_reports_and_the_summary_heading_say_their_language(make_user, signed_in):
    from rapport.reports.models import Report

    report = Report.objects.filter(state="published", period__ordinal=8).get()
    client = signed_in(_reader(make_user))
    diff = _page(client, "/reports/8/diff/")
    (document,) = diff.xpath("//div[contains(@class, 'diff-document')]")
    assert document.get("lang") == "en"  # the comparison is written in English only
    summary = _page(client, "/reports/8/summary/")
    heading = summary.xpath("//main//h1")[0]
    assert heading.text.startswith("Synthèse publique")
    _assert_english(summary, report.title)
    client = signed_in(_reader(make_user, language="en"))
    assert _page(client, "/reports/8/diff/").xpath("//div[contains(@class, 'diff-document')]")[0].get("lang") is None


def test_the_report_editor_tags_english_parts_and_area_names(eu_nato, make_user, signed_in, level):
    from rapport.reports.models import Report, ReportText

    report = (Report.objects.filter(period__partnership=eu_nato).exclude(state="published")
              .select_related("period").order_by("-period__ordinal").first())
    area = _english_only_area()
    text = ReportText.objects.create(report=report, area=area, text="Staffs met on the area's work plan.",
                                     classification=level(0, scheme="eu"))
    text.releasable_to.set(eu_nato.organisations.all())
    client = signed_in(_reader(make_user, org="eu", clearance=3))
    doc = _page(client, f"/reports/{report.period.ordinal}/edit/")
    (item,) = doc.xpath(f"//li[@id='text-{text.pk}']")
    _assert_english(item, text.text)
    _assert_english(item, area.name)
    assert "sur " in item.text_content()
