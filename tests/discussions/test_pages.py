"""The thread on the contribution and joint text pages, posting to it, the return reason,
the quality warnings, and the comparison of two revisions."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.audit.models import AuditEvent
from rapport.discussions.models import Comment

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _state():
    return Comment.objects.count(), AuditEvent.objects.count()


def _post(client, subject_path, **data):
    fields = {"text": "", "classification": "", "releasable_to": []}
    fields.update(data)
    return client.post(f"{subject_path}comments/", fields)


def test_the_thread_is_on_the_contribution_page_and_user_text_is_inert(nato_only, comment):
    made = comment(nato_only["author"], nato_only["contribution"], "<script>alert('x')</script> MXCOMMENT")
    body = _client(nato_only["nato_reader"]).get(f"/contributions/{nato_only['contribution'].pk}/").content.decode()
    assert f'id="comment-{made.pk}"' in body and "MXCOMMENT" in body
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body
    assert "NATO RESTRICTED" in body  # the banner at least as high as the comment


def test_an_eu_user_never_sees_a_comment_on_a_nato_only_text(nato_only, comment, eu_nato):
    made = comment(nato_only["author"], nato_only["contribution"], "MXSECRETCOMMENT on the exercise")
    eu = _client(nato_only["eu_reader"])
    pk = nato_only["contribution"].pk
    for path in (f"/contributions/{pk}/", f"/audit/discussions.comment/{made.pk}/", "/audit/",
                 "/search/?q=MXSECRETCOMMENT", "/dashboard/"):
        response = eu.get(path)
        assert response.status_code in (200, 404), path
        # (the search page repeats the query itself, so look for the rest of the text)
        assert b"on the exercise" not in response.content, path
        assert b"nato-writer" not in response.content, path
    # Denied answers as missing.
    assert eu.get(f"/contributions/{pk}/").content == eu.get(f"/contributions/{pk + 900000}/").content
    assert (eu.get(f"/audit/discussions.comment/{made.pk}/").content
            == eu.get(f"/audit/discussions.comment/{made.pk + 900000}/").content)
    # The NATO colleague sees the entry (so the checks above can fail).
    nato = _client(nato_only["nato_reader"])
    assert nato.get(f"/audit/discussions.comment/{made.pk}/").status_code == 200


def test_posting_a_comment_without_javascript(nato_only, level, orgs):
    path = f"/contributions/{nato_only['contribution'].pk}/"
    response = _post(_client(nato_only["nato_reader"]), path, text="Which dates?", classification=level(2, scheme="nato").pk,
                     releasable_to=[orgs["nato"].pk])
    made = Comment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{path}#comment-{made.pk}"
    assert made.author == nato_only["nato_reader"] and made.text == "Which dates?"


def test_posting_on_a_hidden_text_is_404_like_a_missing_one(nato_only, level, orgs):
    eu = _client(nato_only["eu_reader"])
    before = _state()
    pk = nato_only["contribution"].pk
    data = {"text": "Hello", "classification": level(2, scheme="eu").pk, "releasable_to": [orgs["eu"].pk]}
    hidden = _post(eu, f"/contributions/{pk}/", **data)
    missing = _post(eu, f"/contributions/{pk + 900000}/", **data)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert _state() == before


@pytest.mark.parametrize("data, error", [
    ({"text": ""}, "Write the comment"),
    ({"text": "x" * 5001}, "at most 5000 characters"),
    ({"releasable_to": ["eu"]}, "Select valid choices"),
    ({"classification": "public"}, "Select a valid choice"),
])
def test_bad_input_is_a_clear_400_that_keeps_the_text(nato_only, level, orgs, data, error):
    fields = {"text": "Keep this text", "classification": level(2, scheme="nato").pk, "releasable_to": [orgs["nato"].pk]}
    if data.get("releasable_to") == ["eu"]:
        data = {"releasable_to": [orgs["eu"].pk]}  # the text is not releasable to the EU
    if data.get("classification") == "public":
        data = {"classification": level(0, scheme="nato").pk}  # below the text's marking
    fields.update(data)
    client = _client(nato_only["nato_reader"])
    before = _state()
    response = _post(client, f"/contributions/{nato_only['contribution'].pk}/", **fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    if fields["text"] == "Keep this text":
        assert b"Keep this text" in response.content
    assert _state() == before


def test_a_control_character_is_refused_before_any_view(nato_only, level, orgs):
    client = _client(nato_only["nato_reader"])
    before = _state()
    response = _post(client, f"/contributions/{nato_only['contribution'].pk}/", text="a\x00b",
                     classification=level(2, scheme="nato").pk, releasable_to=[orgs["nato"].pk])
    assert response.status_code == 400 and b"control character" in response.content
    assert _state() == before


def test_the_thread_shows_a_page_at_a_time(nato_only, comment):
    from rapport.web.views.discussions import THREAD_PAGE_SIZE

    for i in range(THREAD_PAGE_SIZE + 3):
        comment(nato_only["author"], nato_only["contribution"], f"Comment number MX{i:03d}")
    client = _client(nato_only["nato_reader"])
    path = f"/contributions/{nato_only['contribution'].pk}/"
    latest = client.get(path).content.decode()
    assert f"MX{THREAD_PAGE_SIZE + 2:03d}" in latest and "MX000" not in latest and "Page 2 of 2" in latest
    first = client.get(path, {"comments": 1}).content.decode()
    assert "MX000" in first and f"MX{THREAD_PAGE_SIZE + 2:03d}" not in first


def test_readers_of_a_final_period_see_the_thread_without_a_form(nato_only, comment, open_period):
    from rapport.periods.models import ReportingPeriod

    comment(nato_only["author"], nato_only["contribution"], "Before publication.")
    ReportingPeriod.objects.filter(pk=open_period.pk).update(state="published")
    body = _client(nato_only["nato_reader"]).get(f"/contributions/{nato_only['contribution'].pk}/").content.decode()
    assert "Before publication." in body and "Post comment" not in body and "texts are final" in body


def test_the_joint_text_page_and_its_thread(make_user, commitments, open_period, level, orgs, comment):
    from rapport.contributions.services import create_joint_text

    eu = make_user(org="eu", role="drafter", clearance=3)
    nato = make_user(org="nato", role="approver", clearance=3)
    low = make_user(org="nato", role="reader", clearance=1)
    jt = create_joint_text(actor=eu, commitment=commitments[0], period=open_period, text="MXJOINT text.",
                           classification=level(2, scheme="eu"), releasable_to=[orgs["eu"], orgs["nato"]])
    comment(eu, jt, "MXJOINTCOMMENT")
    body = _client(nato).get(f"/joint-texts/{jt.pk}/").content.decode()
    assert "MXJOINT text." in body and "MXJOINTCOMMENT" in body
    response = _post(_client(nato), f"/joint-texts/{jt.pk}/", text="Fine by NATO.", classification=level(2, scheme="nato").pk,
                     releasable_to=[orgs["eu"].pk, orgs["nato"].pk])
    assert response.status_code == 302
    assert Comment.objects.about(jt).count() == 2
    denied = _client(low).get(f"/joint-texts/{jt.pk}/")
    assert denied.status_code == 404 and denied.content == _client(low).get(f"/joint-texts/{jt.pk + 900000}/").content


def test_htmx_gets_the_thread_back_with_the_error(nato_only, level, orgs):
    client = _client(nato_only["nato_reader"])
    response = client.post(f"/contributions/{nato_only['contribution'].pk}/comments/",
                           {"text": "", "classification": level(2, scheme="nato").pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'id="comments"' in response.content
    assert b"Write the comment" in response.content and not Comment.objects.exists()


def test_the_contribution_page_links_to_the_joint_text_only_for_its_readers(make_user, write, commitments,
                                                                           open_period, level, orgs):
    from rapport.contributions.services import create_joint_text

    eu = make_user(org="eu", role="drafter", clearance=3)
    low = make_user(org="eu", role="reader", clearance=1)
    c = write(eu, commitments[0], "PUBLIC progress.", submit=True)
    jt = create_joint_text(actor=eu, commitment=commitments[0], period=open_period, text="Together.",
                           classification=level(3, scheme="eu"), releasable_to=[orgs["eu"], orgs["nato"]])
    link = f'href="/joint-texts/{jt.pk}/"'
    assert link in _client(eu).get(f"/contributions/{c.pk}/").content.decode()
    assert link not in _client(low).get(f"/contributions/{c.pk}/").content.decode()
