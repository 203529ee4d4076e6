"""The page banner names the highest marking the page showed in the reader's own
scheme first, with the equivalent levels of the other scheme, and the common
releasability; the public reads PUBLIC."""

import re

import pytest
from django.utils.html import strip_tags

EU_R, NATO_R = "RESTREINT UE/EU RESTRICTED", "NATO RESTRICTED"
EU_C, NATO_C = "CONFIDENTIEL UE/EU CONFIDENTIAL", "NATO CONFIDENTIAL"


def banners(html: str) -> dict[str, str]:
    """The text of the top and bottom banners, whitespace collapsed."""
    found = {}
    for position in ("top", "bottom"):
        match = re.search(rf'<div id="marking-banner-{position}"[^>]*>(.*?)</div>', html, re.S)
        assert match, f"no {position} banner"
        found[position] = " ".join(strip_tags(match.group(1)).split())
    return found


def banner(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    found = banners(response.content.decode())
    assert found["top"] == found["bottom"]
    return found["top"]


@pytest.fixture
def nato_restricted(make_user, write, commitments):
    """A submitted NATO RESTRICTED contribution releasable to both organisations."""
    author = make_user(org="nato", role="drafter", clearance=2)
    return write(author, commitments[0], "NATO staff text.", marking=NATO_R, to=["eu", "nato"], submit=True)


def reader(make_user, who: str, clearance: int = 2):
    if who in ("eu", "nato"):
        return make_user(org=who, role="reader", clearance=clearance)
    return make_user(org=None, delegation=who, clearance=clearance)


@pytest.mark.django_db
@pytest.mark.parametrize("who,first,other", [
    ("eu", EU_R, NATO_R),
    ("nato", NATO_R, EU_R),
    # Delegations have no scheme: those of the organisations they read for come first.
    ("GB", NATO_R, EU_R),  # NATO only since 2020
    ("AT", EU_R, NATO_R),  # EU only
    ("FI", EU_R, NATO_R),  # both: organisation key order
])
def test_banner_names_the_level_in_the_readers_scheme_first(nato_restricted, make_user, signed_in, who, first, other):
    client = signed_in(reader(make_user, who))
    assert banner(client, "/commitments/") == f"{first} (equivalent: {other}) — releasable to EU, NATO"
    # The text's own page also shows its history (its first entry, from the draft, is NATO's only).
    assert banner(client, f"/contributions/{nato_restricted.pk}/").startswith(f"{first} (equivalent: {other}) — releasable to ")


@pytest.mark.django_db
def test_eu_reader_of_an_eu_text_reads_the_eu_level_first(make_user, write, commitments, signed_in):
    author = make_user(org="eu", role="drafter", clearance=3)
    c = write(author, commitments[2], "EU staff text.", marking=EU_C, to=["eu"], submit=True)
    eu = signed_in(make_user(org="eu", role="reader", clearance=3))
    assert banner(eu, f"/contributions/{c.pk}/") == f"{EU_C} (equivalent: {NATO_C}) — releasable to EU"


@pytest.mark.django_db
def test_banner_rises_only_with_what_the_page_showed(nato_restricted, make_user, signed_in):
    # Cleared below the text: the page does not show it, and the banner stays PUBLIC.
    low = signed_in(make_user(org="eu", role="reader", clearance=1))
    assert banner(low, f"/commitments/{nato_restricted.commitment_id}/") == "PUBLIC"
    # A page that does not show the text is PUBLIC for a reader who could read it.
    high = signed_in(make_user(org="eu", role="reader", clearance=2))
    assert banner(high, "/reports/") == "PUBLIC"
    assert NATO_R in banner(high, f"/commitments/{nato_restricted.commitment_id}/")


@pytest.mark.django_db
def test_common_releasability_is_the_intersection(nato_restricted, make_user, write, commitments, signed_in):
    # The list shows both texts' assessments: one releasable to both, one to NATO only.
    write(make_user(org="nato", role="drafter", clearance=2), commitments[1], "Second NATO text.", marking=NATO_R,
          to=["nato"], submit=True)
    nato = signed_in(make_user(org="nato", role="reader", clearance=2))
    assert banner(nato, "/commitments/") == f"{NATO_R} (equivalent: {EU_R}) — releasable to NATO"
    # The same list for EU staff does not show the NATO-only text, so it is releasable to both.
    eu = signed_in(make_user(org="eu", role="reader", clearance=2))
    assert banner(eu, "/commitments/") == f"{EU_R} (equivalent: {NATO_R}) — releasable to EU, NATO"


@pytest.mark.django_db
def test_the_public_reads_public(client, eu_nato, nato_restricted):
    for url in ["/", "/public/reports/", f"/public/commitments/{nato_restricted.commitment_id}/"]:
        assert banner(client, url) == "PUBLIC"


@pytest.mark.django_db
def test_page_marking_without_a_reader_names_schemes_in_organisation_order(level):
    from rapport.web.marking import PageMarking

    marking = PageMarking()
    assert marking.text == "PUBLIC"
    marking.note(level(NATO_R), ["NATO", "EU"])
    assert (marking.label, marking.equivalents, marking.caveat) == (EU_R, [NATO_R], "releasable to EU, NATO")
    marking.note(level(3, scheme="eu"), ["EU"])
    assert marking.text == f"{EU_C} (equivalent: {NATO_C}) — releasable to EU"
    marking.note(level(1, scheme="nato"), ["NATO"])  # lower: the rank stays, releasability narrows
    assert marking.text == f"{EU_C} (equivalent: {NATO_C}) — not releasable to any one organisation"
