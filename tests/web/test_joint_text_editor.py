"""Writing a joint text in the browser through rapport.contributions.services: start, edit,
approve by every organisation, return; bad input named with nothing changed; a hidden one
answers as a missing one."""

from __future__ import annotations

import pytest

from rapport.contributions.choices import JointTextState
from rapport.contributions.models import JointText

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(eu_nato):
    return list(eu_nato.organisations.order_by("key"))


def test_start_edit_approve_and_return(eu_nato, open_period, commitments, make_user, signed_in, level, orgs):
    c = commitments[3]
    eu = make_user(org="eu", role="drafter", clearance=3)
    start = f"/commitments/{c.pk}/periods/{open_period.ordinal}/joint-text/"
    client = signed_in(eu)
    assert client.get(start).status_code == 200
    bad = client.post(start, {"text": "", "classification": level(0, scheme="eu").pk})
    assert bad.status_code == 400 and b'id="id_text_error"' in bad.content
    assert not JointText.objects.filter(commitment=c, period=open_period).exists()
    made = client.post(start, {"text": "Written <i>together</i>.", "classification": level(0, scheme="eu").pk,
                               "releasable_to": [o.pk for o in orgs]})
    jt = JointText.objects.get(commitment=c, period=open_period)
    assert made.status_code == 302 and made["Location"] == f"/joint-texts/{jt.pk}/"
    page = client.get(f"/joint-texts/{jt.pk}/").content.decode()
    assert "Written &lt;i&gt;together&lt;/i&gt;." in page and f"/joint-texts/{jt.pk}/edit/" in page
    assert client.get(start)["Location"] == f"/joint-texts/{jt.pk}/edit/"  # one per commitment and period
    edited = client.post(f"/joint-texts/{jt.pk}/edit/", {"text": "Written together, again.", "base_version": 1})
    assert edited.status_code == 302
    stale = client.post(f"/joint-texts/{jt.pk}/edit/", {"text": "Stale.", "base_version": 1})
    assert stale.status_code == 409
    for org in ("eu", "nato"):
        approver = make_user(org=org, role="approver", clearance=3)
        assert b"Approve for" in signed_in(approver).get(f"/joint-texts/{jt.pk}/").content
        signed_in(approver).post(f"/joint-texts/{jt.pk}/approve/")
    jt.refresh_from_db()
    assert (jt.state, jt.version, jt.text) == (JointTextState.APPROVED, 2, "Written together, again.")
    nato = make_user(org="nato", role="approver", clearance=3)
    signed_in(nato).post(f"/joint-texts/{jt.pk}/return/", {"message": "One more fact."})
    jt.refresh_from_db()
    assert jt.state == JointTextState.DRAFT and not jt.approvals.exists()


def test_readers_get_no_form_and_a_hidden_text_is_missing(eu_nato, open_period, commitments, make_user, signed_in,
                                                          level, orgs):
    from rapport.contributions.services import create_joint_text

    nato = make_user(org="nato", role="drafter", clearance=3)
    jt = create_joint_text(actor=nato, commitment=commitments[4], period=open_period, text="NATOSECRETLINE.",
                           classification=level("NATO CONFIDENTIAL"), releasable_to=orgs)
    low = signed_in(make_user(org="eu", role="drafter", clearance=2))  # below the text's marking
    assert low.get(f"/joint-texts/{jt.pk}/edit/").status_code == 404
    assert low.post(f"/joint-texts/{jt.pk}/approve/").status_code == 404
    reader = signed_in(make_user(org="nato", role="reader", clearance=3))
    page = reader.get(f"/joint-texts/{jt.pk}/edit/")
    assert page.status_code == 200 and b"You cannot write it" in page.content and b'name="text"' not in page.content
    assert reader.post(f"/joint-texts/{jt.pk}/edit/", {"text": "By a reader.", "base_version": 1}).status_code == 403
    jt.refresh_from_db()
    assert jt.text == "NATOSECRETLINE."
