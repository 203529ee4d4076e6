"""Rapport in French, as a French-speaking staff officer uses it: a browser that asks for French
gets French pages from the sign-in on; the switch on every page changes the language (and the
account keeps the choice, which then wins over what the browser asks for).

``sign_in_in_french`` is the start of every French journey; the journeys that go further
(a report downloaded in French, checked as a PDF that declares French and speaks it) start from
it. The public pages offer the public edition in each language without signing in.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def page_language(session) -> str:
    return session.page.locator("html").get_attribute("lang")


def sign_in_in_french(browse, username: str):
    """A browser asking for French (Accept-Language: fr-FR): the sign-in page and the dashboard
    it leads to are in French."""
    me = browse(locale="fr-FR")
    me.go("/accounts/login/")
    assert page_language(me) == "fr"
    assert me.page.get_by_role("heading", name="Se connecter").is_visible()
    me.page.get_by_label("Nom d’utilisateur").fill(username)
    me.page.get_by_label("Mot de passe").fill("correct-horse-battery")
    me.page.get_by_role("button", name="Se connecter").click()
    me.page.wait_for_url("**/dashboard/")
    assert page_language(me) == "fr"
    return me


def switch_to(session, name: str):
    """Press a language's button in the header (a form: no script needed) and wait for the page."""
    with session.page.expect_navigation():
        session.page.locator("form.language-switch").get_by_role("button", name=name).click()


def test_a_french_speaking_officer_reads_and_switches_language(browse, make_user, eu_nato):
    from rapport.access.models import User
    from rapport.commitments.models import Commitment

    make_user(org="eu", role="drafter", clearance=3, username="eu-redacteur")
    me = sign_in_in_french(browse, "eu-redacteur")
    assert me.page.get_by_role("heading", level=1, name=re.compile(r"^Tableau de bord")).is_visible()
    nav = me.page.get_by_role("navigation", name="Navigation principale")
    assert nav.get_by_role("link", name="Engagements", exact=True).is_visible()
    assert me.page.get_by_role("button", name="Français").get_attribute("aria-pressed") == "true"

    # A commitment's page, in French: its wording translated, its content as written.
    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()
    me.go(f"/commitments/{commitment.pk}/")
    assert page_language(me) == "fr"
    assert me.page.get_by_role("heading", name="Contributions par période").is_visible()
    assert me.page.get_by_text(commitment.title).first.is_visible()
    me.shot("french-commitment")

    # Switch to English: the same page, in English; the account keeps the choice.
    switch_to(me, "English")
    assert me.page.url.endswith(f"/commitments/{commitment.pk}/")
    assert page_language(me) == "en"
    assert me.page.get_by_role("heading", name="Contributions by period").is_visible()
    assert User.objects.get(username="eu-redacteur").language == "en"

    # The account's choice wins over the browser's: a new browser asking for French shows the
    # sign-in page in French, and the account's pages in English once it is known.
    other = browse(locale="fr-FR")
    other.go("/accounts/login/")
    assert page_language(other) == "fr"
    other.page.get_by_label("Nom d’utilisateur").fill("eu-redacteur")
    other.page.get_by_label("Mot de passe").fill("correct-horse-battery")
    other.page.get_by_role("button", name="Se connecter").click()
    other.page.wait_for_url("**/dashboard/")
    assert page_language(other) == "en"
    assert other.page.get_by_role("heading", level=1, name=re.compile(r"^Dashboard")).is_visible()

    # And back to French, with the switch of any page.
    me.go("/commitments/")
    switch_to(me, "Français")
    assert page_language(me) == "fr"
    assert me.page.get_by_role("heading", level=1, name="Engagements").is_visible()
    assert User.objects.get(username="eu-redacteur").language == "fr"
    assert not [e for e in me.console_errors + other.console_errors if "Content Security Policy" in e]


def test_the_public_area_follows_the_browser_and_the_switch(browse, eu_nato):
    visitor = browse(locale="fr-FR")
    visitor.go("/")
    assert page_language(visitor) == "fr"
    assert visitor.page.get_by_role("link", name="Se connecter").is_visible()
    switch_to(visitor, "English")
    assert page_language(visitor) == "en"
    visitor.go("/public/reports/")  # the switch's cookie now wins over the browser's French
    assert page_language(visitor) == "en"
    assert visitor.page.get_by_role("link", name="Sign in").is_visible()
    english = browse()
    english.go("/")
    assert page_language(english) == "en"


def _pdf(path) -> tuple[str, str]:
    """The catalog's /Lang and the text of a downloaded PDF, read with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    return str(reader.trailer["/Root"].get("/Lang", "")), " ".join(
        " ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_a_french_speaking_officer_downloads_the_report_in_french(browse, make_user, eu_nato):
    """From the sign-in to the PDF: the report page offers the edition in the page's language,
    and the file declares French and is written in French (headings, the areas' French names)."""
    make_user(org="nato", role="reader", clearance=2, username="nato-lecteur")
    me = sign_in_in_french(browse, "nato-lecteur")
    me.page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Rapports").click()
    assert page_language(me) == "fr"
    me.go("/reports/8/")
    form = me.page.locator("form.edition-form")
    assert form.get_by_label("Langue").input_value() == "fr"  # the page's language, chosen already
    form.get_by_label("Format").select_option("pdf")
    with me.page.expect_download() as info:
        form.get_by_role("button", name="Télécharger").click()
    download = info.value
    assert download.suggested_filename.endswith("-fr.pdf")
    lang, body = _pdf(download.path())
    assert lang == "fr"
    for heading in ("Table des matières", "Progrès par domaine de coopération", "Huitième rapport"):
        assert heading in body, heading
    assert "Mobilité militaire" in body and "Conseil de l'Atlantique Nord" in body.replace("’", "'")
    assert "Progress by area of cooperation" not in body

    # The same form gives the English edition when English is chosen.
    form.get_by_label("Langue").select_option("en")
    with me.page.expect_download() as info:
        form.get_by_role("button", name="Télécharger").click()
    lang, body = _pdf(info.value.path())
    assert lang.startswith("en") and "Progress by area of cooperation" in body and "Military mobility" in body


def test_the_public_pages_offer_the_french_edition(browse, eu_nato):
    visitor = browse(locale="fr-FR")
    visitor.go("/public/reports/")
    assert page_language(visitor) == "fr"
    assert visitor.page.get_by_text("Édition publique en français").first.is_visible()
    with visitor.page.expect_download() as info:
        visitor.page.get_by_role("link", name="PDF (français)").first.click()
    assert info.value.suggested_filename.endswith("-public-fr.pdf")
    lang, body = _pdf(info.value.path())
    assert lang == "fr" and "Table des matières" in body and "Lutte contre les menaces hybrides" in body

    # The report's own page offers both languages, whatever the page's language.
    visitor.go("/public/reports/8/")
    assert visitor.page.get_by_role("link", name="PDF (anglais)").is_visible()
    with visitor.page.expect_download() as info:
        visitor.page.get_by_role("link", name="PDF (français)").click()
    assert _pdf(info.value.path())[0] == "fr"
