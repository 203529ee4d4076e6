"""Every page answers for the users it is for, and the staff pages ask signed-out visitors to sign in."""

import pytest
from django.urls import reverse

STAFF_PAGES = ["/dashboard/", "/commitments/", "/reports/", "/search/?q=hybrid", "/audit/"]
PUBLIC_PAGES = ["/", "/public/reports/", "/accounts/login/", "/styles/assessments.css"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_need_no_sign_in(client, eu_nato, url):
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_ask_to_sign_in(client, eu_nato, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role,org", [("drafter", "eu"), ("approver", "nato"), ("coordinator", "eu"), ("reader", None)])
def test_staff_pages_render(signed_in, make_user, commitments, role, org):
    user = make_user(org=org, role=role, delegation="FI" if org is None else None)
    client = signed_in(user)
    for url in [*STAFF_PAGES, f"/commitments/{commitments[0].pk}/", "/reports/9/", "/reports/9/summary/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'class="marking-banner' in html
        assert user.affiliation() in html


@pytest.mark.django_db
def test_header_shows_identity_and_clearance(signed_in, make_user):
    user = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    html = signed_in(user).get("/dashboard/").content.decode()
    assert "NATO · Drafter · cleared to NATO RESTRICTED" in html


@pytest.mark.django_db
def test_sign_in_and_out(client, make_user):
    make_user(org="eu", role="drafter", username="alice")
    response = client.post("/accounts/login/", {"username": "alice", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get("/accounts/logout/").status_code == 200  # asks first
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_no_inline_script_or_style(signed_in, make_user, commitments):
    """The CSP forbids them; the pages must not need them."""
    client = signed_in(make_user(org="eu", role="coordinator"))
    for url in ["/dashboard/", "/commitments/", f"/commitments/{commitments[0].pk}/", "/reports/9/"]:
        html = client.get(url).content.decode()
        assert " style=" not in html and "<style" not in html, url
        for tag in html.split("<script")[1:]:
            assert "src=" in tag.split(">")[0], url


@pytest.mark.django_db
def test_public_area_shows_published_reports_only(client, eu_nato):
    from rapport.reports.models import Report

    published = list(Report.objects.filter(period__partnership=eu_nato, state="published"))
    drafts = list(Report.objects.filter(period__partnership=eu_nato).exclude(state="published"))
    html = client.get("/public/reports/").content.decode()
    for r in published:
        assert r.title in html
    for r in drafts:
        assert client.get(f"/public/reports/{r.period.ordinal}/").status_code == 404
