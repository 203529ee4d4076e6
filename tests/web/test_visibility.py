"""A restricted item never reaches a user who may not read it: not in lists,
search, counts or the page source; and a denied object answers like a missing one."""

import re

import pytest

SECRET = "Zanzibar-quokka operational detail"


@pytest.fixture
def restricted(make_user, write, commitments):
    """A submitted NATO RESTRICTED contribution releasable to NATO only."""
    author = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    return write(author, commitments[0], f"{SECRET} in the Baltic.", marking="NATO RESTRICTED", to=["nato"], submit=True)


def _pages(restricted):
    c = restricted
    return [
        "/dashboard/", "/commitments/", f"/commitments/{c.commitment_id}/", "/audit/",
        f"/search/?q={SECRET.split()[0]}", f"/audit/contributions.contribution/{c.pk}/",
        "/commitments/?organisation=nato&assessment=substantial",
    ]


def _strip_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["eu-staff", "low-clearance-nato", "delegation-of-a-non-nato-state"])
def test_restricted_item_is_nowhere(restricted, make_user, signed_in, who):
    from rapport.partnerships.models import Membership, MemberState

    if who == "eu-staff":
        user = make_user(org="eu", role="approver", clearance=4)
    elif who == "low-clearance-nato":
        user = make_user(org="nato", role="reader", clearance="NATO UNCLASSIFIED")
    else:
        nato_states = Membership.objects.current().filter(organisation__key="nato").values("state")
        state = MemberState.objects.exclude(pk__in=nato_states).filter(memberships__organisation__key="eu").first()
        user = make_user(org=None, delegation=state.code)
    client = signed_in(user)
    for url in _pages(restricted):
        html = client.get(url).content.decode()
        assert SECRET not in html, url
        assert "NATO RESTRICTED" not in html.split("</header>", 1)[0], url  # the banner does not rise
    search = client.get(f"/search/?q={SECRET.split()[0]}").content.decode()
    assert "0 results" in search
    # Missing counts: the contribution is not counted as submitted for NATO.
    dashboard = client.get("/dashboard/").content.decode()
    assert re.search(r"NATO</span>\s*74 missing, 0 submitted", dashboard)


@pytest.mark.django_db
def test_reader_with_clearance_sees_it_and_the_banner_rises(restricted, make_user, signed_in):
    client = signed_in(make_user(org="nato", role="reader", clearance="NATO RESTRICTED"))
    html = client.get(f"/commitments/{restricted.commitment_id}/").content.decode()
    assert SECRET in html
    assert re.search(r'marking-banner-top[^>]*>\s*<strong>NATO RESTRICTED</strong>', html)
    assert "releasable to NATO" in html
    search = client.get(f"/search/?q={SECRET.split()[0]}").content.decode()
    assert "1 result" in search and "<mark>" in search


@pytest.mark.django_db
def test_denied_answers_exactly_like_missing(restricted, make_user, signed_in):
    client = signed_in(make_user(org="eu", role="approver", clearance=4))
    for denied, missing in [
        (f"/contributions/{restricted.pk}/", "/contributions/999999/"),
        (f"/contributions/{restricted.pk}/edit/", "/contributions/999999/edit/"),
    ]:
        a, b = client.get(denied), client.get(missing)
        assert a.status_code == b.status_code == 404
        assert _strip_csrf(a.content.decode()) == _strip_csrf(b.content.decode())
    a = client.post(f"/contributions/{restricted.pk}/approve/")
    b = client.post("/contributions/999999/approve/")
    assert a.status_code == b.status_code == 404 and a.content == b.content


@pytest.mark.django_db
def test_drafts_stay_inside_their_organisation(make_user, write, commitments, signed_in):
    author = make_user(org="eu", role="drafter")
    draft = write(author, commitments[1], "An EU draft nobody else reads yet.")
    nato = signed_in(make_user(org="nato", role="approver", clearance=4))
    assert nato.get(f"/contributions/{draft.pk}/").status_code == 404
    assert "An EU draft" not in nato.get(f"/commitments/{commitments[1].pk}/").content.decode()


@pytest.mark.django_db
def test_public_area_never_shows_restricted_or_unpublished(restricted, client, commitments):
    for url in ["/", f"/public/commitments/{commitments[0].pk}/", "/public/reports/"]:
        assert SECRET not in client.get(url).content.decode()
    assert client.get(f"/contributions/{restricted.pk}/").status_code == 302  # sign in first


@pytest.mark.django_db
def test_a_partner_country_is_named_only_where_the_reader_may_read_it(make_user, write, commitments, level, signed_in):
    """A PUBLIC activity in a NATO CONFIDENTIAL partner country (releasable to NATO): its title is
    public, the country's name is not."""
    from rapport.evidence.models import PartnerActivity, PartnerCountry
    from rapport.partnerships.models import Organisation

    nato = Organisation.objects.get(key="nato")
    country = PartnerCountry.objects.create(partnership=commitments[0].partnership, code="QQ",
                                            name="Quokkaland-NC-Secret", classification=level(3, scheme="nato"))
    country.releasable_to.set([nato])
    activity = PartnerActivity.objects.create(partnership=commitments[0].partnership, key="qq-training",
                                              title="Public training activity", country=country,
                                              classification=level(0, scheme="nato"))
    activity.commitments.set([commitments[0]])
    author = make_user(org="eu", role="drafter", clearance=2)
    c = write(author, commitments[0], "Text with an activity.", submit=True)
    c.activities.set([activity])
    pages = [f"/commitments/{commitments[0].pk}/", f"/contributions/{c.pk}/"]
    for reader in (make_user(org="eu", role="reader", clearance=3), make_user(org="nato", role="reader", clearance=2)):
        client = signed_in(reader)
        for url in pages:
            body = client.get(url).content.decode()
            assert "Public training activity" in body and "Quokkaland" not in body, (reader.username, url)
    cleared = signed_in(make_user(org="nato", role="reader", clearance=3))
    for url in pages:
        body = cleared.get(url).content.decode()
        assert "Quokkaland-NC-Secret" in body
        assert re.search(r'id="marking-banner-top"[^>]*>\s*<strong>NATO CONFIDENTIAL', body), url
