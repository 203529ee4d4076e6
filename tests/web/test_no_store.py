"""Marked pages and report files stay out of caches: every response to a signed-in
user, and every report download or preview, is sent with Cache-Control: no-store."""

import pytest

pytestmark = pytest.mark.usefixtures("web_middleware")

NO_STORE = "no-store, private"


@pytest.mark.django_db
@pytest.mark.parametrize("role,org", [("drafter", "eu"), ("approver", "nato"), ("reader", None)])
def test_every_page_to_a_signed_in_user_is_no_store(make_user, signed_in, commitments, open_period, role, org):
    client = signed_in(make_user(org=org, role=role, delegation="FI" if org is None else None))
    for url in ["/dashboard/", "/commitments/", f"/commitments/{commitments[0].pk}/", "/reports/", "/reports/9/",
                "/reports/9/summary/", "/search/?q=hybrid", "/audit/", "/contributions/999999/",
                f"/commitments/{commitments[0].pk}/periods/{open_period.ordinal}/contribution/",
                "/", "/public/reports/", "/styles/assessments.css", "/search/?q=%00"]:
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 404), url
        assert response["Cache-Control"] == NO_STORE, url


@pytest.mark.django_db
def test_a_redirect_after_a_change_is_no_store(make_user, signed_in, write, commitments):
    author = make_user(org="eu", role="drafter")
    c = write(author, commitments[0], "Text.")
    response = signed_in(author).post(f"/contributions/{c.pk}/submit/")
    assert response.status_code == 302 and response["Cache-Control"] == NO_STORE


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/reports/9/preview/?edition=public", "/reports/9/download/?edition=public&format=md"])
def test_report_previews_and_downloads_are_no_store(make_user, signed_in, url):
    response = signed_in(make_user(org="nato", role="reader")).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


@pytest.mark.django_db
def test_public_downloads_are_no_store_and_public_pages_may_be_cached(client, eu_nato):
    response = client.get("/public/reports/9/download.md")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == NO_STORE
    for url in ["/", "/public/reports/", "/public/reports/9/", "/styles/assessments.css"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), url
