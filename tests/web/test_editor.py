"""The contribution editor and workflow through the pages: refusals become
messages, a stale edit keeps the user's text."""

import pytest

from rapport.contributions.models import Contribution


def _form(period, level, orgs, text="Progress written in the browser.", version=None):
    data = {"narrative": text, "classification": level.pk, "releasable_to": [o.pk for o in orgs]}
    if version is not None:
        data["base_version"] = version
    return data


@pytest.mark.django_db
def test_drafter_writes_submits_and_own_approver_approves(make_user, signed_in, commitments, open_period, level, client):
    from rapport.partnerships.models import Organisation

    eu, nato = Organisation.objects.get(key="eu"), Organisation.objects.get(key="nato")
    drafter = make_user(org="eu", role="drafter")
    signed_in(drafter)
    url = f"/commitments/{commitments[0].pk}/periods/{open_period.ordinal}/contribution/"
    assert client.get(url).status_code == 200
    response = client.post(url, _form(open_period, level(0, scheme="eu"), [eu, nato]))
    assert response.status_code == 302
    c = Contribution.objects.get(commitment=commitments[0], period=open_period, organisation=eu)
    client.post(f"/contributions/{c.pk}/submit/")
    c.refresh_from_db()
    assert c.state == "submitted"

    # The other organisation's approver sees no approve button, and a forged POST is refused.
    client.force_login(make_user(org="nato", role="approver", clearance=4))
    page = client.get(f"/contributions/{c.pk}/").content.decode()
    assert "Approve</button>" not in page
    response = client.post(f"/contributions/{c.pk}/approve/", follow=True)
    assert response.status_code == 200 and "Not allowed" in response.content.decode()
    c.refresh_from_db()
    assert c.state == "submitted"

    # Its own approver approves.
    client.force_login(make_user(org="eu", role="approver", clearance=3))
    assert "Approve</button>" in client.get(f"/contributions/{c.pk}/").content.decode()
    client.post(f"/contributions/{c.pk}/approve/", {"message": "Fine."})
    c.refresh_from_db()
    assert c.state == "approved"


@pytest.mark.django_db
def test_return_needs_a_message(make_user, write, commitments, client):
    c = write(make_user(org="eu", role="drafter"), commitments[0], "Text.", submit=True)
    client.force_login(make_user(org="eu", role="approver", clearance=3))
    response = client.post(f"/contributions/{c.pk}/return/", {"message": ""}, follow=True)
    assert "say why" in response.content.decode()
    client.post(f"/contributions/{c.pk}/return/", {"message": "Add the dates."})
    c.refresh_from_db()
    assert c.state == "returned"


@pytest.mark.django_db
def test_stale_edit_shows_conflict_and_keeps_text(make_user, write, commitments, client, level):
    from rapport.contributions import services
    from rapport.partnerships.models import Organisation

    eu = Organisation.objects.get(key="eu")
    alice, bob = make_user(org="eu", role="drafter"), make_user(org="eu", role="drafter")
    c = write(alice, commitments[0], "First text.")
    services.edit_contribution(actor=bob, contribution=c, base_version=1, narrative="Bob's newer text.",
                               assessment=None, classification=level(0, scheme="eu"), releasable_to=[eu])
    client.force_login(alice)
    response = client.post(f"/contributions/{c.pk}/edit/", _form(None, level(0, scheme="eu"), [eu], "Alice's own words.", version=1))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Alice&#x27;s own words." in html or "Alice's own words." in html
    assert "Bob&#x27;s newer text." in html or "Bob's newer text." in html
    assert 'name="base_version" value="2"' in html
    # Saving again now goes through.
    response = client.post(f"/contributions/{c.pk}/edit/", _form(None, level(0, scheme="eu"), [eu], "Alice's merged words.", version=2))
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.narrative == "Alice's merged words." and c.version == 3


@pytest.mark.django_db
def test_bad_marking_is_a_form_error_not_a_500(make_user, commitments, open_period, client, level):
    from rapport.partnerships.models import Organisation

    client.force_login(make_user(org="eu", role="drafter", clearance=2))
    nato = Organisation.objects.get(key="nato")
    url = f"/commitments/{commitments[0].pk}/periods/{open_period.ordinal}/contribution/"
    response = client.post(url, _form(open_period, level(2, scheme="eu"), [nato]))
    assert response.status_code == 400
    assert "releasable to your own organisation" in response.content.decode()


@pytest.mark.django_db
def test_the_new_contribution_form_is_offered_only_to_those_who_may_save_it(make_user, commitments, open_period,
                                                                           signed_in):
    url = f"/commitments/{commitments[0].pk}/periods/{open_period.ordinal}/contribution/"
    for role in ("reader", "approver", "administrator"):
        response = signed_in(make_user(org="eu", role=role, clearance=2)).get(url, follow=True)
        assert response.redirect_chain[-1][0] == f"/commitments/{commitments[0].pk}/"
        assert "You cannot write a contribution here" in response.content.decode()
    assert signed_in(make_user(org="eu", role="drafter", clearance=2)).get(url).status_code == 200
    closed = open_period.partnership.periods.get(ordinal=9)
    response = signed_in(make_user(org="nato", role="drafter", clearance=2)).get(
        f"/commitments/{commitments[0].pk}/periods/{closed.ordinal}/contribution/", follow=True)
    assert "not open for writing" in response.content.decode()
